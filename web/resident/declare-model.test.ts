import { describe, expect, it } from 'vitest';
import {
  addDays, answersOf, controlOf, draftFrom, hasOpen, last14Days, missing, newDraft, NONE, possibleFromText, toggleSymptom, type ResidentDeclaration,
} from './declare-model';

describe('the 健康申报 form model', () => {
  it('lists the 14 China dates today − 13 … today, across month and leap-year ends', () => {
    const days = last14Days('2020-03-05');
    expect(days).toHaveLength(14);
    expect(days[0]).toBe('2020-02-21');
    expect(days).toContain('2020-02-29');
    expect(days[13]).toBe('2020-03-05');
    expect(addDays('2020-12-31', 1)).toBe('2021-01-01');
    expect(addDays('2021-01-01', -1)).toBe('2020-12-31');
  });

  it('starts with every day at home and nothing chosen for the 是/否 questions', () => {
    const d = newDraft('p1', '2020-02-20', '本社区');
    expect(Object.values(d.places)).toEqual(Array(14).fill('本社区'));
    expect(d.contactWithCases).toBeNull();
    expect(d.contactWithAreas).toBeNull();
    expect(d.acknowledged).toBe(false);
    expect(missing(d).map((m) => m.key)).toEqual(['contactWithCases', 'contactWithAreas', 'symptoms', 'destination', 'purpose', 'acknowledged']);
  });

  it('sends a complete draft as the server takes it: dates in order, 无 as no symptoms, the note only with 是', () => {
    const d = newDraft('p1', '2020-02-20', '本社区');
    d.places['2020-02-10'] = ' 郑州市金水区 ';
    Object.assign(d, { contactWithCases: false, contactWithAreas: false, contactNote: 'stale', symptoms: [NONE], destination: '郑州', purpose: '返岗复工', acknowledged: true });
    expect(missing(d)).toEqual([]);
    const a = answersOf(d);
    expect(a.residence[0]).toEqual({ on: '2020-02-07', place: '本社区' });
    expect(a.residence.find((r) => r.on === '2020-02-10')!.place).toBe('郑州市金水区');
    expect(a.residence[13]!.on).toBe('2020-02-20');
    expect(a).toMatchObject({ symptoms: [], contactNote: '', contactWithCases: false, acknowledged: true });
    d.contactWithAreas = true;
    d.contactNote = '';
    expect(missing(d).map((m) => m.key)).toEqual(['contactNote']);
    d.places['2020-02-08'] = '  ';
    expect(missing(d).map((m) => m.key)).toEqual(['residence.1.place', 'contactNote']);
  });

  it('makes 无 exclusive of the symptoms', () => {
    expect(toggleSymptom(['fever'], 'cough', true)).toEqual(['fever', 'cough']);
    expect(toggleSymptom(['fever', 'cough'], NONE, true)).toEqual([NONE]);
    expect(toggleSymptom([NONE], 'fever', true)).toEqual(['fever']);
    expect(toggleSymptom(['fever', 'cough'], 'fever', false)).toEqual(['cough']);
  });

  it('prefills a resubmission from earlier answers: days still in range, the acknowledgement asked again', () => {
    const d = draftFrom('p1', { residence: [{ on: '2020-02-01', place: '旧' }, { on: '2020-02-10', place: '郑州' }], contactWithCases: false,
      contactWithAreas: true, contactNote: '亲属', symptoms: [], destination: '郑州', purpose: '返岗', acknowledged: true }, '2020-02-20', '本社区');
    expect(d.places['2020-02-10']).toBe('郑州');
    expect(d.places['2020-02-01']).toBeUndefined();
    expect(d.places['2020-02-20']).toBe('本社区');
    expect(d.symptoms).toEqual([NONE]);
    expect(d.acknowledged).toBe(false);
    expect(draftFrom('p1', {}, '2020-02-20', '本社区').symptoms).toEqual([]);
  });

  it('places server field errors on their control, the rest at the top', () => {
    expect(controlOf('residence.3.place')).toBe('residence.3.place');
    expect(controlOf('residence.3')).toBe('residence.3.place');
    expect(controlOf('residence')).toBe('residence.0.place');
    expect(controlOf('destination')).toBe('destination');
    expect(controlOf('declaration_not_acknowledged')).toBe('acknowledged');
    expect(controlOf('cert_ineligible_residence_too_short')).toBeNull();
    expect(controlOf('')).toBeNull();
  });

  it('words the date an application becomes possible, none without a date', () => {
    expect(possibleFromText('2020-02-25', true)).toBe('可于 2020-02-25 起申请');
    expect(possibleFromText('2020-02-25', false)).toBe('You can apply from 2020-02-25');
    expect(possibleFromText(null, true)).toBe('');
    expect(possibleFromText('soon', true)).toBe('');
  });

  it('knows who has a declaration in progress', () => {
    const d = (personId: string, state: ResidentDeclaration['state']) => ({ personId, state }) as ResidentDeclaration;
    expect(hasOpen([d('a', 'returned'), d('b', 'issued')], 'a')).toBe(true);
    expect(hasOpen([d('a', 'returned'), d('b', 'issued')], 'b')).toBe(false);
    expect(hasOpen([d('b', 'refused'), d('b', 'revoked')], 'b')).toBe(false);
  });
});
