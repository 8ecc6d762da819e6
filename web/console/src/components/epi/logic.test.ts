import { describe, expect, it } from 'vitest';
import {
  actionRequest, chinaLocalToIso, contactEventDetailText, correctionBody, dayText, defaultWindowText, distinctPersons, graphOption, minutesText, registerBody,
} from './logic';
import { offeredStatuses, type CaseFacts } from './model';
import { changeLabel, FIGURE_LABELS } from '../report/model';
import { FIGURES } from '../../../../../src/modules/reports/figures';

const facts: CaseFacts = {
  id: 'c1', number: '410811-0001', maskedName: '王*明', status: 'confirmed', hospitalised: true, hospital: '市五院', classification: 'imported',
  sourceArea: '湖北武汉', infectorCaseId: null, infectorNumber: null, cluster: null, onsetOn: '2020-02-10', confirmedOn: '2020-02-12',
  isolatedOn: '2020-02-11', note: '', communityName: null,
};

describe('epi console helpers', () => {
  it('keeps one row a person, the first (newest) seen', () => {
    const rows = [
      { personId: 'p1', maskedName: '王*明', docMasked: '4108**********1234', placeName: '超市', at: '2020-02-10T02:00:00Z' },
      { personId: 'p2', maskedName: '李*', docMasked: '4108**********5678', placeName: '小区', at: '2020-02-10T01:00:00Z' },
      { personId: 'p1', maskedName: '王*明', docMasked: '4108**********1234', placeName: '医院', at: '2020-02-09T01:00:00Z' },
    ];
    expect(distinctPersons(rows).map((p) => [p.id, p.placeName])).toEqual([['p1', '超市'], ['p2', '小区']]);
  });

  it('builds the registration body: empty fields left out, the source area only for an imported case', () => {
    expect(registerBody({ id: 'p1' }, { status: 'confirmed', effectiveOn: '2020-02-12', onsetOn: '', hospital: ' 市五院 ', hospitalised: true,
      classification: 'local', sourceArea: '武汉', infectorCaseId: '', cluster: ' 张家 ', reason: ' 核酸阳性 ' })).toEqual({
      personId: 'p1', status: 'confirmed', effectiveOn: '2020-02-12', onsetOn: undefined, isolatedOn: undefined, hospital: '市五院', hospitalised: true,
      classification: 'local', sourceArea: undefined, infectorCaseId: undefined, cluster: '张家', note: undefined, reason: '核酸阳性',
    });
    const byDoc = registerBody({ id: '', document: { docType: 'resident_id', docNumber: '410811199001011234' } },
      { status: 'suspected', effectiveOn: '2020-02-12', classification: 'local', reason: '医院报告' });
    expect(byDoc).toMatchObject({ document: { docType: 'resident_id', docNumber: '410811199001011234' } });
    expect('personId' in byDoc).toBe(false);
  });

  it('sends only the corrected facts, a cleared date as null, and drops the source area of a case made local', () => {
    const same = { onsetOn: '2020-02-10', isolatedOn: '2020-02-11', classification: 'imported', sourceArea: '湖北武汉', infectorCaseId: '', cluster: '', note: '', reason: '更正' };
    expect(correctionBody(facts, same)).toEqual({ reason: '更正' });
    expect(correctionBody(facts, { ...same, onsetOn: '2020-02-08', isolatedOn: '' })).toEqual({ onsetOn: '2020-02-08', isolatedOn: null, reason: '更正' });
    expect(correctionBody(facts, { ...same, classification: 'local', cluster: '家庭聚集' })).toEqual({ classification: 'local', sourceArea: null, cluster: '家庭聚集', reason: '更正' });
  });

  it('offers the state machine\'s next statuses, the same status first, none for a closed case', () => {
    expect(offeredStatuses('suspected')).toEqual(['suspected', 'confirmed', 'excluded']);
    expect(offeredStatuses('confirmed')).toEqual(['confirmed', 'discharged', 'deceased', 'excluded']);
    expect(offeredStatuses('discharged')).toEqual([]);
  });

  it('reads typed times as China time, whatever the browser zone', () => {
    expect(chinaLocalToIso('2020-02-26T07:30')).toBe('2020-02-25T23:30:00.000Z');
    expect(chinaLocalToIso('')).toBeUndefined();
    expect(chinaLocalToIso('nonsense')).toBeUndefined();
  });

  it('shows the default window: 2 days before onset 00:00 to 24:00 of the isolation date', () => {
    expect(defaultWindowText(facts, true)).toBe('2020-02-08 00:00 — 2020-02-11 24:00');
    expect(defaultWindowText({ onsetOn: '2020-03-01', isolatedOn: null }, false)).toBe('2020-02-28 00:00 — now');
  });

  it('writes observation days and overlap durations', () => {
    expect(dayText({ day: 3, of: 14, releasedOn: null }, true)).toBe('第 3 / 14 天');
    expect(dayText({ day: 0, of: 14, releasedOn: null }, true)).toBe('明日起第 1 天');
    expect(dayText({ day: 3, of: null }, true)).toBe('第 3 天');
    expect(dayText({ day: 15, of: 14, releasedOn: null }, false)).toBe('14 days done');
    expect(dayText({ day: 14, of: 14, releasedOn: '2020-02-24' }, true)).toBe('已解除');
    expect(minutesText(12.25, true)).toBe('12.3 分钟');
    expect(minutesText(125, false)).toBe('2 h 5 min');
  });

  it('maps each contact action to its route and body; a release without a reason sends none', () => {
    expect(actionRequest('exposure', '2020-02-10', ' 更正 ')).toEqual({ path: 'exposure', body: { lastExposureOn: '2020-02-10', reason: '更正' } });
    expect(actionRequest('symptoms', '2020-02-12', '发热')).toEqual({ path: 'symptoms', body: { on: '2020-02-12', reason: '发热' } });
    expect(actionRequest('override', '2020-03-01', '专家意见')).toEqual({ path: 'override', body: { endOn: '2020-03-01', reason: '专家意见' } });
    expect(actionRequest('revert', '', '撤销')).toEqual({ path: 'override/revert', body: { reason: '撤销' } });
    expect(actionRequest('release', '', '  ')).toEqual({ path: 'release', body: {} });
  });

  it('draws one node a case coloured by status, clusters as categories, arrows infector → case', () => {
    const opt = graphOption({
      nodes: [
        { id: 'a', number: 'A-1', status: 'confirmed', classification: 'imported', sourceArea: '武汉', cluster: '张家', maskedName: '张*', contacts: 4 },
        { id: 'b', number: 'B-2', status: 'suspected', classification: 'local', sourceArea: null, cluster: null, maskedName: '李*', contacts: 0 },
        { id: 'x', number: 'X-9', status: null, classification: null, sourceArea: null, cluster: null, maskedName: null, contacts: 0 },
      ],
      edges: [{ from: 'a', to: 'b' }, { from: 'x', to: 'a' }],
    }, 'zh') as { series: Array<{ type: string; layout: string; categories: Array<{ name: string }>; data: Array<{ id: string; category: number; symbolSize: number; itemStyle: { color: string } }>; links: unknown[] }> };
    const s = opt.series[0]!;
    expect([s.type, s.layout]).toEqual(['graph', 'force']);
    expect(s.categories.map((c) => c.name)).toEqual(['张家', '无聚集']);
    expect(s.data.map((n) => [n.id, n.category, n.symbolSize, n.itemStyle.color])).toEqual([
      ['a', 0, 24, '#cf1322'], ['b', 1, 18, '#fa8c16'], ['x', 1, 18, '#d9d9d9'],
    ]);
    expect(s.links).toEqual([{ source: 'a', target: 'b' }, { source: 'x', target: 'a' }]);
  });
  it('writes a contact event\'s detail as labelled text, without ids or null values', () => {
    const id = 'a9edc371-1b2c-4d5e-8f90-123456789abc';
    expect(contactEventDetailText('created', { kind: 'close', caseId: id, sourceCaseId: id, sourceContactId: null,
      lastExposureOn: '2026-11-30', endOn: '2026-12-14', traceId: id }, 'zh')).toBe('类别：密接；最后接触日期：2026-11-30；观察结束日期：2026-12-14');
    expect(contactEventDetailText('created', { kind: 'secondary', caseId: id, lastExposureOn: '2026-11-30', endOn: '2026-12-14', traceId: null }, 'en'))
      .toBe('Kind: Secondary contact; Last exposure on: 2026-11-30; Observation ends on: 2026-12-14');
    expect(contactEventDetailText('released', { on: '2026-12-10', endOn: '2026-12-14', early: true, personStatus: 'normal' }, 'zh'))
      .toBe('解除日期：2026-12-10；观察结束日期：2026-12-14；提前解除；人员状态：正常');
    expect(contactEventDetailText('released', { on: '2026-12-15', endOn: '2026-12-14', early: false, personStatus: 'home_isolation' }, 'zh'))
      .toBe('解除日期：2026-12-15；观察结束日期：2026-12-14；人员状态：居家隔离');
    expect(contactEventDetailText('symptoms', { on: '2026-12-03', symptomsLastOn: '2026-12-03', endOn: '2026-12-17', fromEndOn: '2026-12-14' }, 'zh'))
      .toBe('症状日期：2026-12-03；最近症状日期：2026-12-03；观察结束日期：2026-12-14 → 2026-12-17');
    expect(contactEventDetailText('exposure_corrected', { from: '2026-11-30', to: '2026-12-02', endOn: '2026-12-16', traceId: id, overrideDropped: '2026-12-10' }, 'zh'))
      .toBe('最后接触日期：2026-11-30 → 2026-12-02；观察结束日期：2026-12-16；已取消人工调整（原为 2026-12-10）');
    expect(contactEventDetailText('override', { from: '2026-12-14', to: '2026-12-20', computedEndOn: '2026-12-14' }, 'en'))
      .toBe('Observation ends on: 2026-12-14 → 2026-12-20; Computed end date: 2026-12-14');
    expect(contactEventDetailText('other', { ref: id, mystery: 3 }, 'zh')).toBe('mystery：3');
    expect(contactEventDetailText('created', undefined, 'zh')).toBe('');
  });
});

describe('report revision labels', () => {
  it('labels every figure the server defines, with the server\'s wording, and the derived fields', () => {
    for (const [k, f] of Object.entries(FIGURES)) expect([k, ...(FIGURE_LABELS[k] ?? [])]).toEqual([k, f.zh, f.en]);
    expect(changeLabel('cumulativeTracedClose', 'zh')).toBe('累计追踪密切接触者（密接）');
    expect(changeLabel('releasedClose', 'en')).toBe('Close contacts released');
    expect(changeLabel('daysWithoutNewConfirmed', 'zh')).toBe('连续无新增确诊天数');
    expect(changeLabel('clearedOn', 'zh')).toBe('清零日期');
    expect(changeLabel('allClearOn', 'en')).toBe('All-clear on');
    expect(changeLabel('importedBySource.湖北武汉', 'zh')).toBe('输入来源 湖北武汉');
    expect(changeLabel('somethingNew', 'zh')).toBe('somethingNew');
  });
});
