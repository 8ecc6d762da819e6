import { describe, expect, it } from 'vitest';
import { addDays } from '../../format';
import { actorLabel, assessmentText, certStateLabel, fieldPath, last14Days, readAnswers, STATE_KEYS, stateShort, symptomLabel } from './model';

describe('certificate console model', () => {
  it('labels every state for the filter, in the order of the brief', () => {
    expect(STATE_KEYS.map((s) => stateShort(s, 'zh'))).toEqual(['待核实', '已退回', '待评估', '待签字', '待出具', '已出具', '已作废', '不予出具']);
    expect(stateShort('assessed', 'en')).toBe('To sign');
    expect(stateShort('unknown', 'zh')).toBe('unknown');
  });
  it('reads stored answers, tolerating missing fields', () => {
    const a = readAnswers({ residence: [{ on: '2020-02-01', place: '本社区' }, null], symptoms: ['cough'], contactWithCases: true });
    expect(a.residence).toEqual([{ on: '2020-02-01', place: '本社区' }]);
    expect(a).toMatchObject({ travel: '', contactWithCases: true, contactWithAreas: false, destination: '', symptoms: ['cough'] });
    expect(readAnswers({}).residence).toEqual([]);
  });
  it('writes an assessment in one line', () => {
    expect(assessmentText({ temperatureC: 36.5, cough: false, chestTightness: true, otherSymptoms: ' 乏力 ', conclusion: 'fit' }, 'zh'))
      .toBe('36.5 °C · 无咳嗽 · 闷气 · 其他：乏力 · 结论：符合');
    expect(assessmentText({ temperatureC: 38, cough: true, chestTightness: false, otherSymptoms: '', conclusion: 'unfit' }, 'en'))
      .toBe('38 °C · cough · no chest tightness · conclusion: unfit');
    expect(assessmentText(null, 'zh')).toBe('');
  });
  it('gives the 14 China dates ending today, oldest first', () => {
    const d = last14Days('2020-03-01', addDays);
    expect(d).toHaveLength(14);
    expect(d[0]).toBe('2020-02-17');
    expect(d[13]).toBe('2020-03-01');
  });
  it('labels actors, symptoms, certificate states and field paths', () => {
    const role = (r: string) => `role:${r}`;
    expect(actorLabel('resident', 'zh', role)).toBe('申请人');
    expect(actorLabel('system', 'en', role)).toBe('Health service center');
    expect(actorLabel('chief_doctor', 'zh', role)).toBe('role:chief_doctor');
    expect(symptomLabel('chest_tightness', 'zh')).toBe('闷气');
    expect(symptomLabel('头痛', 'zh')).toBe('头痛');
    expect(certStateLabel('valid', 'zh')).toBe('有效');
    expect(certStateLabel('expired', 'zh')).toBe('已过期');
    expect(certStateLabel('revoked', 'en')).toBe('Revoked');
    expect(fieldPath('residence.3.place')).toEqual(['residence', 3, 'place']);
  });
});
