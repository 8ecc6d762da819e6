/**
 * The situation report (issue 4 §4, SPEC S5) over a small outbreak built from raw rows (persons,
 * cases with dated events, contacts): every figure for a few dates and two area nodes (山阳区
 * 410811 and its community 文化巷社区 410811001001) against hand-written values; a case confirmed
 * then excluded; a contact released on day 14; days without new cases across a gap; cleared and
 * all-clear dates; composition; list count = figure = CSV lines − 1; the paragraph; publishing
 * with revisions, notes, refusal when unchanged and the append-only trigger; scope and input checks.
 *
 * Cases (C1 = 410811001001, C2 = 410811001002; S suspected, C confirmed, D discharged, E excluded,
 * X deceased; H hospitalised):
 *   K1  C1 imported 湖北武汉           02-01 S H, 02-03 C H, 02-15 D
 *   K2  C1 imported 湖北武汉 cluster    02-02 C H, 02-20 D
 *   K3  C2 imported 信阳               02-05 S H, 02-06 C H, 02-18 D
 *   K4  C1 local, infector K1, cluster 02-07 S H, 02-10 C H, 02-16 C H (hospital changed), 02-22 D
 *   K5  C2 local                      02-08 S H, 02-09 C H, 02-12 E        (confirmed then excluded)
 *   K6  C2 local                      02-11 S H, 02-13 E
 *   K8  C1 local                      02-20 C H, 02-24 D
 *   K9  C2 local                      03-01 S H, 03-03 E
 *   K10 C2 local                      02-14 C H, 02-19 X
 *   KX  解放区 410802001001           02-25 C H                            (never counted here)
 * Contacts: P1 C1 close traced 02-03 released 02-16; P2 C1 close exposure 02-10 traced 02-11
 * released 02-24 (day 14); P3 C1 secondary traced 02-12; P4 C2 close traced 02-07 released 02-20;
 * P5 C2 close traced 02-07; PX 解放区 close traced 02-25.
 */
import { chinaDate } from '../../lib/time';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app';
import { buildPerson } from '../../../test/helpers/factories/persons';
import { buildStaff, signInAs } from '../../../test/helpers/factories/staff';
import type { CaseStatus } from '../../db/schema';
import { reportSeries, situationReport } from './service';

const DISTRICT = '410811';
const C1 = '410811001001';
const C2 = '410811001002';
const OTHER = '410802001001';
type Ev = [string, CaseStatus, boolean];

/** Expected counts, short names: n/c confirmed, ns/cs/us suspected (new, current, cumulative), … */
interface Exp {
  nc: number; cc: number; ns: number; cs: number; us: number; nd: number; cd: number; dd: number; h: number;
  imp: number; loc: number; sg: number; traced: [number, number, number]; rel: [number, number, number]; obs: [number, number, number];
}
const counts = (e: Exp) => ({
  newConfirmed: e.nc, cumulativeConfirmed: e.cc, newSuspected: e.ns, currentSuspected: e.cs, cumulativeSuspected: e.us,
  newDischarged: e.nd, cumulativeDischarged: e.cd, cumulativeDeceased: e.dd, currentlyHospitalised: e.h,
  imported: e.imp, local: e.loc, secondGeneration: e.sg,
  cumulativeTraced: e.traced[0], cumulativeTracedClose: e.traced[1], cumulativeTracedSecondary: e.traced[2],
  released: e.rel[0], releasedClose: e.rel[1], releasedSecondary: e.rel[2],
  underObservation: e.obs[0], underObservationClose: e.obs[1], underObservationSecondary: e.obs[2],
});

describe('situation report', () => {
  let t: TestApp;
  let cookie: string;
  let outsider: string;
  let guard: string;
  let staffId: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestApp();
    const staff = await buildStaff(t.ctx, { role: 'district_command', areaCode: DISTRICT });
    staffId = staff.id;
    cookie = await signInAs(t, staff);
    outsider = await signInAs(t, await buildStaff(t.ctx, { role: 'district_command', areaCode: '410802' }));
    guard = await signInAs(t, await buildStaff(t.ctx, { role: 'guard', areaCode: C1 }));
    let seq = 0;
    const addCase = async (key: string, community: string, o: { cls?: 'imported' | 'local'; src?: string; infector?: string; cluster?: string }, events: Ev[]) => {
      const p = await buildPerson(t.ctx, { name: `病例${key}`, homeCommunityCode: community });
      const last = events.at(-1)!;
      const row = await t.ctx.db.insertInto('cases').values({
        number: `T-${process.pid}-${(seq += 1)}`, person_id: p.id, community_code: community, status: last[1], hospitalised: last[2],
        classification: o.cls ?? 'local', source_area: o.src ?? null, infector_case_id: o.infector ? ids[o.infector]! : null,
        cluster: o.cluster ?? null, created_by: staffId,
      }).returning('id').executeTakeFirstOrThrow();
      for (const [on, status, hosp] of events) {
        await t.ctx.db.insertInto('case_events').values({ case_id: row.id, status, hospitalised: hosp, hospital: hosp ? '第五人民医院' : '',
          effective_on: on, reason: '测试', actor_id: staffId, actor_role: 'district_command' }).execute();
      }
      ids[key] = row.id;
    };
    const FAMILY = '张某家庭聚集';
    await addCase('K1', C1, { cls: 'imported', src: '湖北武汉' }, [['2020-02-01', 'suspected', true], ['2020-02-03', 'confirmed', true], ['2020-02-15', 'discharged', false]]);
    await addCase('K2', C1, { cls: 'imported', src: '湖北武汉', cluster: FAMILY }, [['2020-02-02', 'confirmed', true], ['2020-02-20', 'discharged', false]]);
    await addCase('K3', C2, { cls: 'imported', src: '信阳' }, [['2020-02-05', 'suspected', true], ['2020-02-06', 'confirmed', true], ['2020-02-18', 'discharged', false]]);
    await addCase('K4', C1, { infector: 'K1', cluster: FAMILY }, [['2020-02-07', 'suspected', true], ['2020-02-10', 'confirmed', true],
      ['2020-02-16', 'confirmed', true], ['2020-02-22', 'discharged', false]]);
    await addCase('K5', C2, {}, [['2020-02-08', 'suspected', true], ['2020-02-09', 'confirmed', true], ['2020-02-12', 'excluded', false]]);
    await addCase('K6', C2, {}, [['2020-02-11', 'suspected', true], ['2020-02-13', 'excluded', false]]);
    await addCase('K8', C1, {}, [['2020-02-20', 'confirmed', true], ['2020-02-24', 'discharged', false]]);
    await addCase('K9', C2, {}, [['2020-03-01', 'suspected', true], ['2020-03-03', 'excluded', false]]);
    await addCase('K10', C2, {}, [['2020-02-14', 'confirmed', true], ['2020-02-19', 'deceased', false]]);
    await addCase('KX', OTHER, {}, [['2020-02-25', 'confirmed', true]]);
    const addContact = async (key: string, community: string, o: { case: string; source?: string; exposure: string; traced: string; released?: string }) => {
      const p = await buildPerson(t.ctx, { name: `密接${key}`, homeCommunityCode: community });
      const end = new Date(Date.parse(`${o.exposure}T00:00:00Z`) + 14 * 86_400_000).toISOString().slice(0, 10);
      const row = await t.ctx.db.insertInto('contacts').values({
        person_id: p.id, community_code: community, kind: o.source ? 'secondary' : 'close', source_case_id: o.source ? null : ids[o.case]!,
        source_contact_id: o.source ? ids[o.source]! : null, case_id: ids[o.case]!, last_exposure_on: o.exposure, computed_end_on: end, end_on: end,
        traced_on: o.traced, released_on: o.released ?? null, released_by: o.released ? staffId : null, created_by: staffId,
      }).returning('id').executeTakeFirstOrThrow();
      ids[key] = row.id;
    };
    await addContact('P1', C1, { case: 'K1', exposure: '2020-02-02', traced: '2020-02-03', released: '2020-02-16' });
    await addContact('P2', C1, { case: 'K1', exposure: '2020-02-10', traced: '2020-02-11', released: '2020-02-24' });
    await addContact('P3', C1, { case: 'K1', source: 'P2', exposure: '2020-02-11', traced: '2020-02-12' });
    await addContact('P4', C2, { case: 'K3', exposure: '2020-02-06', traced: '2020-02-07', released: '2020-02-20' });
    await addContact('P5', C2, { case: 'K3', exposure: '2020-02-06', traced: '2020-02-07' });
    await addContact('PX', OTHER, { case: 'KX', exposure: '2020-02-24', traced: '2020-02-25' });
  });
  afterAll(async () => { await t?.close(); });

  const get = (url: string, who = cookie) => t.app.inject({ method: 'GET', url, headers: { cookie: who } });
  const figuresOf = async (area: string, date: string) => {
    const res = await get(`/api/reports/figures?areaCode=${area}&date=${date}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };
  const none = { clearedOn: null, allClearOn: null, allClear: false };
  const WUHAN2_XINYANG1 = [{ sourceArea: '湖北武汉', count: 2 }, { sourceArea: '信阳', count: 1 }];
  const FAMILY2 = [{ cluster: '张某家庭聚集', count: 2 }];

  it('山阳区 on 02-10: a new confirmed case today, nothing cleared', async () => {
    const r = await figuresOf(DISTRICT, '2020-02-10');
    expect(r).toMatchObject({ areaCode: DISTRICT, areaName: '山阳区', date: '2020-02-10', asOfText: '截至2月10日24时' });
    expect(r.figures).toEqual({
      ...counts({ nc: 1, cc: 5, ns: 0, cs: 0, us: 4, nd: 0, cd: 0, dd: 0, h: 5, imp: 3, loc: 2, sg: 1, traced: [3, 3, 0], rel: [0, 0, 0], obs: [3, 3, 0] }),
      daysWithoutNewConfirmed: 0, daysWithoutNewSuspected: 2, lastConfirmedOn: '2020-02-10', lastSuspectedOn: '2020-02-08',
      importedBySource: WUHAN2_XINYANG1, clusters: FAMILY2, ...none,
    });
  });

  it('山阳区 on 02-12: the case confirmed on 02-09 and excluded on 02-12 no longer counts', async () => {
    const r = await figuresOf(DISTRICT, '2020-02-12');
    expect(r.figures).toEqual({
      ...counts({ nc: 0, cc: 4, ns: 0, cs: 1, us: 5, nd: 0, cd: 0, dd: 0, h: 5, imp: 3, loc: 1, sg: 1, traced: [5, 4, 1], rel: [0, 0, 0], obs: [5, 4, 1] }),
      daysWithoutNewConfirmed: 2, daysWithoutNewSuspected: 1, lastConfirmedOn: '2020-02-10', lastSuspectedOn: '2020-02-11',
      importedBySource: WUHAN2_XINYANG1, clusters: FAMILY2, ...none,
    });
  });

  it('山阳区 on 02-26: 6 days without a new case, cleared on 02-24, all-clear on 03-23', async () => {
    const r = await figuresOf(DISTRICT, '2020-02-26');
    expect(r.figures).toEqual({
      ...counts({ nc: 0, cc: 6, ns: 0, cs: 0, us: 5, nd: 0, cd: 5, dd: 1, h: 0, imp: 3, loc: 3, sg: 1, traced: [5, 4, 1], rel: [3, 3, 0], obs: [2, 1, 1] }),
      daysWithoutNewConfirmed: 6, daysWithoutNewSuspected: 15, lastConfirmedOn: '2020-02-20', lastSuspectedOn: '2020-02-11',
      importedBySource: WUHAN2_XINYANG1, clusters: FAMILY2, clearedOn: '2020-02-24', allClearOn: '2020-03-23', allClear: false,
    });
    expect(r.text).toBe('截至2020年2月26日24时，山阳区累计报告确诊病例6例（其中境外/外地输入3例：湖北武汉2例、信阳1例；本地病例3例，含二代病例1例），'
      + '当日新增确诊病例0例；现有疑似病例0例；累计治愈出院5例，累计死亡1例，现有住院病例0例；已连续6天无新增确诊病例。'
      + '累计追踪密切接触者5人，已解除医学观察3人，尚在医学观察2人。'
      + '现有病例已于2月24日全部清零（无住院病例、无疑似病例），如无新发病例，将于3月23日满28天，届时达到解除标准。');
  });

  it('山阳区 on 03-05: a suspected case on 03-01, excluded 03-03, restarts the clearing (cleared 03-03, all-clear 03-31)', async () => {
    const r = await figuresOf(DISTRICT, '2020-03-05');
    expect(r.figures).toEqual({
      ...counts({ nc: 0, cc: 6, ns: 0, cs: 0, us: 6, nd: 0, cd: 5, dd: 1, h: 0, imp: 3, loc: 3, sg: 1, traced: [5, 4, 1], rel: [3, 3, 0], obs: [2, 1, 1] }),
      daysWithoutNewConfirmed: 14, daysWithoutNewSuspected: 4, lastConfirmedOn: '2020-02-20', lastSuspectedOn: '2020-03-01',
      importedBySource: WUHAN2_XINYANG1, clusters: FAMILY2, clearedOn: '2020-03-03', allClearOn: '2020-03-31', allClear: false,
    });
    expect((await figuresOf(DISTRICT, '2020-03-02')).figures).toMatchObject({ currentSuspected: 1, currentlyHospitalised: 1, clearedOn: null, allClearOn: null });
  });

  it('newly discharged counts on the discharge day only; a later event with the same status is not a new confirmation', async () => {
    expect((await figuresOf(DISTRICT, '2020-02-22')).figures).toMatchObject({ newDischarged: 1, cumulativeDischarged: 4, newConfirmed: 0 });
    expect((await figuresOf(DISTRICT, '2020-02-23')).figures).toMatchObject({ newDischarged: 0, cumulativeDischarged: 4 });
    expect((await figuresOf(DISTRICT, '2020-02-22')).text).toContain('现有疑似病例0例；当日新增治愈出院1例，累计治愈出院4例');
    expect((await figuresOf(DISTRICT, '2020-02-23')).text).not.toContain('当日新增治愈出院');
    expect((await figuresOf(DISTRICT, '2020-02-16')).figures).toMatchObject({ newConfirmed: 0, cumulativeConfirmed: 5, newDischarged: 0 });
  });

  it('the contact released on day 14 is under observation the day before and released that day', async () => {
    expect((await figuresOf(C1, '2020-02-23')).figures).toMatchObject({ released: 1, underObservation: 2, underObservationClose: 1, cumulativeTraced: 3 });
    expect((await figuresOf(C1, '2020-02-24')).figures).toMatchObject({ released: 2, underObservation: 1, underObservationClose: 0, cumulativeTraced: 3 });
  });

  it('文化巷社区 on 02-10, 02-26 and 03-23 (all-clear reached on 03-23, not on 03-22)', async () => {
    expect((await figuresOf(C1, '2020-02-10')).figures).toEqual({
      ...counts({ nc: 1, cc: 3, ns: 0, cs: 0, us: 2, nd: 0, cd: 0, dd: 0, h: 3, imp: 2, loc: 1, sg: 1, traced: [1, 1, 0], rel: [0, 0, 0], obs: [1, 1, 0] }),
      daysWithoutNewConfirmed: 0, daysWithoutNewSuspected: 3, lastConfirmedOn: '2020-02-10', lastSuspectedOn: '2020-02-07',
      importedBySource: [{ sourceArea: '湖北武汉', count: 2 }], clusters: FAMILY2, ...none,
    });
    const c26 = counts({ nc: 0, cc: 4, ns: 0, cs: 0, us: 2, nd: 0, cd: 4, dd: 0, h: 0, imp: 2, loc: 2, sg: 1, traced: [3, 2, 1], rel: [2, 2, 0], obs: [1, 0, 1] });
    expect((await figuresOf(C1, '2020-02-26')).figures).toEqual({
      ...c26, daysWithoutNewConfirmed: 6, daysWithoutNewSuspected: 19, lastConfirmedOn: '2020-02-20', lastSuspectedOn: '2020-02-07',
      importedBySource: [{ sourceArea: '湖北武汉', count: 2 }], clusters: FAMILY2, clearedOn: '2020-02-24', allClearOn: '2020-03-23', allClear: false,
    });
    const r = await figuresOf(C1, '2020-03-23');
    expect(r.figures).toEqual({
      ...c26, daysWithoutNewConfirmed: 32, daysWithoutNewSuspected: 45, lastConfirmedOn: '2020-02-20', lastSuspectedOn: '2020-02-07',
      importedBySource: [{ sourceArea: '湖北武汉', count: 2 }], clusters: FAMILY2, clearedOn: '2020-02-24', allClearOn: '2020-03-23', allClear: true,
    });
    expect(r.areaName).toBe('文化巷社区');
    expect(r.text.endsWith('现有病例已于2月24日全部清零（无住院病例、无疑似病例），至3月23日已满28天，达到解除标准。')).toBe(true);
    expect((await figuresOf(C1, '2020-03-22')).figures.allClear).toBe(false);
    expect((await figuresOf(C2, '2020-02-26')).figures).toMatchObject({ clearedOn: '2020-02-19', allClearOn: '2020-03-18' });
  });

  it('the paragraph of a day with a new case, and of an area without any', async () => {
    expect((await figuresOf(DISTRICT, '2020-02-10')).text).toBe('截至2020年2月10日24时，山阳区累计报告确诊病例5例（其中境外/外地输入3例：湖北武汉2例、信阳1例；'
      + '本地病例2例，含二代病例1例），当日新增确诊病例1例；现有疑似病例0例；累计治愈出院0例，现有住院病例5例。'
      + '累计追踪密切接触者3人，已解除医学观察0人，尚在医学观察3人。');
    expect((await figuresOf(DISTRICT, '2020-01-31')).text).toBe('截至2020年1月31日24时，山阳区累计报告确诊病例0例，当日新增确诊病例0例；现有疑似病例0例；'
      + '累计治愈出院0例，现有住院病例0例；尚无确诊病例报告。累计追踪密切接触者0人，已解除医学观察0人，尚在医学观察0人。');
  });

  it('the series reuses the same figures day by day (confirmed 02-09, excluded 02-12)', async () => {
    const res = await get(`/api/reports/series?areaCode=${DISTRICT}&from=2020-02-08&to=2020-02-13`);
    expect(res.statusCode, res.body).toBe(200);
    const days = res.json().days as Array<Record<string, number | string>>;
    expect(days.map((d) => d.date)).toEqual(['2020-02-08', '2020-02-09', '2020-02-10', '2020-02-11', '2020-02-12', '2020-02-13']);
    expect(days.map((d) => d.cumulativeConfirmed)).toEqual([3, 4, 5, 5, 4, 4]);
    expect(days.map((d) => d.newConfirmed)).toEqual([0, 1, 1, 0, 0, 0]);
    expect(days.map((d) => d.newSuspected)).toEqual([1, 0, 0, 1, 0, 0]);
    expect(days.map((d) => d.currentSuspected)).toEqual([2, 1, 0, 1, 1, 0]);
    expect(days.map((d) => d.currentlyHospitalised)).toEqual([5, 5, 5, 6, 5, 4]);
    expect(days.map((d) => d.underObservation)).toEqual([3, 3, 3, 4, 5, 5]);
    const direct = await reportSeries(t.ctx, DISTRICT, '2020-02-08', '2020-02-13');
    expect(direct).toEqual(days);
    expect((await situationReport(t.ctx, DISTRICT, '2020-02-11')).figures.cumulativeConfirmed).toBe(5);
    const csv = await get(`/api/reports/export?areaCode=${DISTRICT}&from=2020-02-08&to=2020-02-13`);
    expect(csv.statusCode).toBe(200);
    expect(csv.body.startsWith('\uFEFF日期,新增确诊病例,累计确诊病例,新增疑似病例,现有疑似病例,新增治愈出院,累计治愈出院,累计死亡,')).toBe(true);
    const later = await reportSeries(t.ctx, DISTRICT, '2020-02-22', '2020-02-26');
    expect(later.slice(0, 2).map((d) => [d.newDischarged, d.cumulativeDischarged])).toEqual([[1, 4], [0, 4]]);
    expect(later.at(-1)).toMatchObject({ cumulativeDischarged: 5, cumulativeDeceased: 1 });
    expect(csv.body.split('\r\n').filter(Boolean)).toHaveLength(7);
  });

  it.each([
    ['cumulativeConfirmed', DISTRICT, '2020-02-26', 6],
    ['currentSuspected', DISTRICT, '2020-02-12', 1],
    ['underObservation', DISTRICT, '2020-02-23', 3],
    ['released', C1, '2020-02-24', 2],
    ['secondGeneration', C1, '2020-02-26', 1],
  ])('%s of %s on %s: figure = list rows = CSV lines − 1 = %i', async (figure, area, date, expected) => {
    const fig = (await figuresOf(area, date)).figures[figure];
    const list = await get(`/api/reports/list?areaCode=${area}&date=${date}&figure=${figure}`);
    expect(list.statusCode, list.body).toBe(200);
    const csv = await get(`/api/reports/export?areaCode=${area}&date=${date}&figure=${figure}`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-disposition']).toMatch(/attachment/);
    const lines = csv.body.split('\r\n').filter(Boolean);
    expect([fig, list.json().count, list.json().rows.length, lines.length - 1]).toEqual([expected, expected, expected, expected]);
    const audits = await t.ctx.db.selectFrom('audit_log').select('action').where('action', 'in', ['report.list', 'report.export'])
      .where('area_code', '=', area).execute();
    expect(audits.length).toBeGreaterThanOrEqual(2);
  });

  it('lists mask names and show the case as of the date', async () => {
    const list = (await get(`/api/reports/list?areaCode=${DISTRICT}&date=2020-02-11&figure=cumulativeConfirmed`)).json();
    const k5 = list.rows.find((r: { id: string }) => r.id === ids.K5);
    expect(k5).toMatchObject({ subject: 'case', status: 'confirmed', statusLabel: '确诊', confirmedOn: '2020-02-09', suspectedOn: '2020-02-08', maskedName: '病**5' });
    expect(JSON.stringify(list)).not.toContain('病例K5');
  });

  it('refuses other areas (404), missing permission (403), future and bad dates, unknown figures and long ranges (400)', async () => {
    expect((await get(`/api/reports/figures?areaCode=${DISTRICT}&date=2020-02-26`, outsider)).statusCode).toBe(404);
    expect((await get(`/api/reports/list?areaCode=${C1}&date=2020-02-26&figure=cumulativeConfirmed`, outsider)).statusCode).toBe(404);
    expect((await get(`/api/reports/figures?areaCode=${DISTRICT}&date=2020-02-26`, guard)).statusCode).toBe(403);
    const codes = async (url: string) => (await get(url)).json().error?.code;
    expect(await codes(`/api/reports/figures?areaCode=${DISTRICT}&date=2999-01-01`)).toBe('date_in_future');
    expect(await codes(`/api/reports/figures?areaCode=${DISTRICT}&date=2020-02-30`)).toBe('invalid_date');
    expect(await codes(`/api/reports/list?areaCode=${DISTRICT}&date=2020-02-26&figure=toString`)).toBe('unknown_figure');
    expect(await codes(`/api/reports/series?areaCode=${DISTRICT}&from=2020-01-01&to=2020-05-01`)).toBe('range_too_long');
    expect(await codes(`/api/reports/series?areaCode=${DISTRICT}&from=2020-02-02&to=2020-02-01`)).toBe('invalid_range');
    // the other district's case and contact are theirs only
    expect((await get(`/api/reports/figures?areaCode=410802&date=2020-02-26`, outsider)).json().figures).toMatchObject({ cumulativeConfirmed: 1, cumulativeTraced: 1 });
  });

  it('publishes revision 1, refuses a revision without a note or without a change, then stores a corrected revision 2', async () => {
    const post = (payload: Record<string, unknown>, who = cookie) => t.app.inject({ method: 'POST', url: '/api/reports/publish', headers: { cookie: who }, payload });
    const body = { areaCode: C2, date: '2020-02-26' };
    // a day still running cannot be published "as of 24:00": today China time is refused, nothing stored
    const running = await post({ areaCode: C2, date: chinaDate() });
    expect([running.statusCode, running.json().error.code]).toEqual([400, 'day_not_over']);
    expect(await t.ctx.db.selectFrom('situation_reports').select('id').where('report_date', '=', chinaDate()).execute()).toEqual([]);
    const first = await post(body);
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({ areaCode: C2, date: '2020-02-26', revision: 1, note: '', changes: [] });
    expect(first.json().text).toContain('广场社区累计报告确诊病例2例');
    expect((await post(body, outsider)).statusCode).toBe(404);
    expect((await post(body)).json().error.code).toBe('note_required');
    const same = await post({ ...body, note: '订正：复核' });
    expect([same.statusCode, same.json().error.code]).toEqual([409, 'report_unchanged']);
    // a late-registered contact traced on 02-26 changes the figures
    const p = await buildPerson(t.ctx, { homeCommunityCode: C2 });
    await t.ctx.db.insertInto('contacts').values({
      person_id: p.id, community_code: C2, kind: 'close', source_case_id: ids.K3!, case_id: ids.K3!, last_exposure_on: '2020-02-17',
      computed_end_on: '2020-03-02', end_on: '2020-03-02', traced_on: '2020-02-26', created_by: staffId,
    }).execute();
    const second = await post({ ...body, note: '订正：补报密切接触者1人' });
    expect(second.statusCode, second.body).toBe(201);
    expect(second.json()).toMatchObject({ revision: 2, note: '订正：补报密切接触者1人' });
    expect(second.json().changes).toEqual([
      { figure: 'cumulativeTraced', old: 2, new: 3 }, { figure: 'cumulativeTracedClose', old: 2, new: 3 },
      { figure: 'underObservation', old: 1, new: 2 }, { figure: 'underObservationClose', old: 1, new: 2 },
    ]);
    const list = await get(`/api/reports/published?areaCode=${C2}&date=2020-02-26`);
    expect(list.json().revisions.map((r: { revision: number; changes: unknown[] }) => [r.revision, r.changes.length])).toEqual([[1, 0], [2, 4]]);
    expect(list.json().revisions[0].figures.cumulativeTraced).toBe(2); // stored as issued
    const one = await get(`/api/reports/published/${first.json().id}`);
    expect(one.json()).toMatchObject({ revision: 1, figures: { cumulativeTraced: 2 } });
    expect((await get(`/api/reports/published/${first.json().id}`, outsider)).statusCode).toBe(404);
    await expect(t.ctx.db.updateTable('situation_reports').set({ note: '改' }).where('id', '=', first.json().id).execute()).rejects.toThrow(/never changed/);
    await expect(t.ctx.db.deleteFrom('situation_reports').where('id', '=', first.json().id).execute()).rejects.toThrow(/never changed/);
    const audits = await t.ctx.db.selectFrom('audit_log').select('detail').where('action', '=', 'report.publish').execute();
    expect(audits).toHaveLength(2);
  });

  it('refuses a date before 2000 (year 0000 was a 500 on publish and on the revision list) and a lone surrogate in a note; nothing stored', async () => {
    const before = await t.ctx.db.selectFrom('situation_reports').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    const post = (payload: Record<string, unknown>) => t.app.inject({ method: 'POST', url: '/api/reports/publish', headers: { cookie }, payload });
    for (const d of ['0000-01-01', '1999-12-31']) {
      for (const url of [`/api/reports/figures?areaCode=${DISTRICT}&date=${d}`, `/api/reports/list?areaCode=${DISTRICT}&date=${d}&figure=cumulativeConfirmed`,
        `/api/reports/export?areaCode=${DISTRICT}&date=${d}&figure=cumulativeConfirmed`, `/api/reports/series?areaCode=${DISTRICT}&from=${d}&to=2000-01-05`,
        `/api/reports/published?areaCode=${DISTRICT}&date=${d}`]) {
        const res = await get(url);
        expect([url, res.statusCode, res.json().error?.code]).toEqual([url, 400, 'invalid_date']);
      }
      const pub = await post({ areaCode: DISTRICT, date: d });
      expect([pub.statusCode, pub.json().error.code]).toEqual([400, 'invalid_date']);
    }
    expect((await get(`/api/reports/figures?areaCode=${DISTRICT}&date=2000-01-01`)).statusCode).toBe(200);
    const en = await t.app.inject({ method: 'GET', url: `/api/reports/figures?areaCode=${DISTRICT}&date=0000-01-01`, headers: { cookie, 'accept-language': 'en' } });
    expect(en.json().error.message).toBe('Invalid date (a day from 2000 on, YYYY-MM-DD)');
    const note = await post({ areaCode: DISTRICT, date: '2020-02-26', note: '订正\ud800' });
    expect([note.statusCode, note.json().error.code]).toEqual([400, 'invalid_input']);
    const after = await t.ctx.db.selectFrom('situation_reports').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });
});
