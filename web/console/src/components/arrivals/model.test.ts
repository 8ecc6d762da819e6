/** The arrivals console helpers: server refusals → form fields, request bodies, the resident link. */
import { describe, expect, it } from 'vitest';
import { arriveUrl, changeBody, fieldErrors, measureText, reportBody } from './model';

const err = (o: { code: string; message?: string; fields?: { field: string; message: string }[]; details?: Record<string, unknown> }) =>
  ({ message: 'msg', fields: [], ...o });

describe('fieldErrors', () => {
  it('maps validation paths, person registration fields and report codes to form fields', () => {
    expect(fieldErrors(err({ code: 'invalid_input', fields: [{ field: 'person.docNumber', message: 'a' }, { field: 'arrivalOn', message: 'b' }] })))
      .toEqual([{ name: ['person', 'docNumber'], message: 'a' }, { name: 'arrivalOn', message: 'b' }]);
    expect(fieldErrors(err({ code: 'doc_checksum', details: { field: 'docNumber' } }))).toEqual([{ name: ['person', 'docNumber'], message: 'msg' }]);
    expect(fieldErrors(err({ code: 'doc_checksum' }))).toEqual([{ name: ['person', 'docNumber'], message: 'msg' }]);
    expect(fieldErrors(err({ code: 'community_unknown' }))).toEqual([{ name: ['person', 'communityCode'], message: 'msg' }]);
    expect(fieldErrors(err({ code: 'phone_format' }))).toEqual([{ name: ['person', 'phone'], message: 'msg' }]);
    expect(fieldErrors(err({ code: 'arrival_on_in_future' }))).toEqual([{ name: 'arrivalOn', message: 'msg' }]);
    expect(fieldErrors(err({ code: 'origin_text_invalid' }))).toEqual([{ name: 'originText', message: 'msg' }]);
    expect(fieldErrors(err({ code: 'person_required' }))).toEqual([]);
  });
});

describe('bodies', () => {
  it('reportBody leaves out empty optional fields and defaults the home community to the destination', () => {
    const v = { communityCode: '410811001001', originText: ' 湖北武汉 ', originCode: '', circumstance: 'home' as const, arrivalOn: '2020-02-10',
      person: { name: ' 张三 ', docNumber: ' 41 ', address: '1-2-301', phone: ' ' } };
    expect(reportBody(v, { personId: 'p1' })).toEqual({ communityCode: '410811001001', originText: '湖北武汉', circumstance: 'home', arrivalOn: '2020-02-10', personId: 'p1' });
    expect(reportBody(v, 'register')).toMatchObject({ person: { name: '张三', docType: 'resident_id', docNumber: '41', communityCode: '410811001001', address: '1-2-301' } });
    expect((reportBody(v, 'register') as { person: Record<string, unknown> }).person.phone).toBeUndefined();
  });
  it('changeBody sends only what the form sets', () => {
    expect(changeBody({ adding: false, retire: ['r1'] })).toEqual({ retire: ['r1'] });
    expect(changeBody({ adding: true, originLabel: '武汉', originPrefix: '420102', circumstance: '', measure: 'centralized_isolation', days: 14, priority: null, noticeOn: '2020-02-01' }))
      .toEqual({ add: { originLabel: '武汉', originPrefix: '420102', circumstance: null, measure: 'centralized_isolation', days: 14 }, noticeOn: '2020-02-01' });
  });
});

it('measureText and arriveUrl', () => {
  expect(measureText({ measure: 'home_isolation', days: 14, until: '2020-02-24' }, 'zh')).toBe('居家隔离 14 天（至 2020-02-24）');
  expect(measureText({ measure: 'none', days: 0, until: null }, 'en')).toBe('No measure');
  expect(arriveUrl('https://x.cn', '410811001001')).toBe('https://x.cn/arrive?c=410811001001');
});
