/**
 * 社区报到 and the arrival rule table (issue 5 §1): 湖北武汉 → home isolation 14 days with the status
 * set; 郑州 → none without a rule, health monitoring with one; a rule change previewed lists exactly
 * the people whose measure changes and apply changes nothing else (untouched rows byte-equal);
 * relaxing a rule; the resident's own report; bad input; scope. "Today" is injected into services.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app';
import { buildPerson, registerDevice, validResidentId } from '../../../test/helpers/factories/persons';
import { asStaffUser, buildStaff, signInAs } from '../../../test/helpers/factories/staff';
import { AppError } from '../../lib/errors';
import { addDays, chinaDate } from '../../lib/time';
import type { StaffUser } from '../staff/auth';
import { getStatuses } from '../status/service';
import { addRule, applyRuleChange, previewRuleChange, retireRule } from './service';
import { reportByStaff, type ArrivalView } from './reports';
import { refusal } from '../../../test/helpers/refusal';
import type { Role } from '../staff/roles';
import { assignTeam, closeKeyPerson } from '../keypersons/service';
import { createHousehold } from '../households/service';
import { bindSensor } from '../sensors/service';

const COMMUNITY = '410811001001';
const OTHER = '410802001001';
const TODAY = '2020-02-15';

describe('community reporting and arrival rules', () => {
  let t: TestApp;
  let city: StaffUser;
  let worker: StaffUser;
  let outsiderCity: StaffUser;
  const cookies = {} as Record<'city' | 'worker' | 'outsider' | 'outsiderWorker' | 'district', string>;
  const ids = {} as Record<'wuhan' | 'zzNoRule' | 'zzRule' | 'zzOld' | 'zzOther', { personId: string; reportId: string; arrival: ArrivalView }>;
  let zzMonitorRuleId: string;
  let zzHomeRuleId: string;

  beforeAll(async () => {
    t = await createTestApp();
    const c = await buildStaff(t.ctx, { role: 'city_command', areaCode: '4108' });
    city = asStaffUser(c);
    cookies.city = await signInAs(t, c);
    const w = await buildStaff(t.ctx, { role: 'community_worker', areaCode: COMMUNITY });
    worker = asStaffUser(w);
    cookies.worker = await signInAs(t, w);
    const o = await buildStaff(t.ctx, { role: 'city_command', areaCode: '410802' });
    outsiderCity = asStaffUser(o);
    cookies.outsider = await signInAs(t, o);
    cookies.outsiderWorker = await signInAs(t, await buildStaff(t.ctx, { role: 'community_worker', areaCode: OTHER }));
    cookies.district = await signInAs(t, await buildStaff(t.ctx, { role: 'district_command', areaCode: '410811' }));
    // the city's table: 武汉 (4201) home isolation 14 days
    await addRule(t.ctx, city, { originPrefix: '4201', originLabel: '湖北武汉', measure: 'home_isolation', days: 14, note: '市指挥部通告第5号' });
  });
  afterAll(async () => { await t?.close(); });

  const req = (who: keyof typeof cookies, method: 'GET' | 'POST', url: string, payload?: unknown) =>
    t.app.inject({ method, url, headers: { cookie: cookies[who] }, ...(payload ? { payload } : {}) });
  const statusOf = async (personId: string) => (await getStatuses(t.ctx.db, [personId])).get(personId)!.status;
  const openKeyPersons = (personId: string) => t.ctx.db.selectFrom('key_persons').select(['category', 'measure', 'start_on', 'end_on', 'source_kind'])
    .where('person_id', '=', personId).where('closed_on', 'is', null).orderBy('category').execute();
  const report = async (name: string, over: { originCode?: string | null; originText: string; arrivalOn: string; community?: string; by?: StaffUser }) => {
    const p = await buildPerson(t.ctx, { name, homeCommunityCode: over.community ?? COMMUNITY });
    const r = await reportByStaff(t.ctx, over.by ?? worker, { personId: p.id, communityCode: over.community ?? COMMUNITY, originCode: over.originCode ?? null,
      originText: over.originText, circumstance: 'home', arrivalOn: over.arrivalOn, transport: 'G517次列车' }, TODAY);
    return { personId: p.id, reportId: r.arrival.id, arrival: r.arrival };
  };

  it('湖北武汉 → home isolation 14 days: status set, key person opened', async () => {
    const r = await report('武归甲', { originCode: '420102', originText: '湖北武汉', arrivalOn: '2020-02-10' });
    ids.wuhan = r;
    expect(r.arrival).toMatchObject({ measure: 'home_isolation', measureDays: 14, measureUntil: '2020-02-24', reportedVia: 'staff', measureLabel: '居家隔离' });
    expect(await statusOf(r.personId)).toBe('home_isolation');
    expect(await openKeyPersons(r.personId)).toEqual([{ category: 'home_isolation', measure: 'home_isolation', start_on: '2020-02-11', end_on: '2020-02-24', source_kind: 'arrival' }]);
    const audits = await t.ctx.db.selectFrom('audit_log').select('action').where('person_id', '=', r.personId).execute();
    expect(audits.map((a) => a.action).sort()).toEqual(['arrival.report', 'status.set']);
  });

  it('郑州 without a rule → none (no key person, status normal); with a rule → health monitoring (returnee, status normal)', async () => {
    ids.zzNoRule = await report('郑归乙', { originCode: '410102', originText: '河南郑州', arrivalOn: '2020-02-12' });
    expect(ids.zzNoRule.arrival).toMatchObject({ measure: 'none', measureDays: 0, measureUntil: null, ruleId: null });
    expect(await statusOf(ids.zzNoRule.personId)).toBe('normal');
    expect(await openKeyPersons(ids.zzNoRule.personId)).toEqual([]);
    // arrived long before any notice and not under a measure: never re-decided by a later change
    ids.zzOld = await report('郑归旧', { originCode: '410102', originText: '河南郑州', arrivalOn: '2020-01-20' });

    zzMonitorRuleId = (await addRule(t.ctx, city, { originPrefix: '4101', originLabel: '河南郑州', measure: 'health_monitoring', days: 7 })).id;
    ids.zzRule = await report('郑归丙', { originCode: '410102', originText: '河南郑州', arrivalOn: '2020-02-13' });
    expect(ids.zzRule.arrival).toMatchObject({ measure: 'health_monitoring', measureDays: 7, measureUntil: '2020-02-20', ruleId: zzMonitorRuleId });
    expect(await statusOf(ids.zzRule.personId)).toBe('normal');
    expect(await openKeyPersons(ids.zzRule.personId)).toEqual([{ category: 'returnee', measure: 'health_monitoring', start_on: '2020-02-14', end_on: '2020-02-20', source_kind: 'arrival' }]);
    // another district of the city, followed by the same city rule
    const districtWorker = asStaffUser(await buildStaff(t.ctx, { role: 'community_worker', areaCode: OTHER }));
    ids.zzOther = await report('郑归丁', { originCode: '410105', originText: '河南郑州', arrivalOn: '2020-02-14', community: OTHER, by: districtWorker });
    expect(ids.zzOther.arrival.measure).toBe('health_monitoring');
  });

  it('a rule change previewed lists exactly whose measure changes; apply changes nothing else', async () => {
    const change = { add: { originPrefix: '4101', originLabel: '河南郑州', measure: 'home_isolation' as const, days: 14, priority: 1 }, noticeOn: '2020-02-11' };
    const preview = await previewRuleChange(t.ctx, city, change, TODAY);
    const byPerson = Object.fromEntries(preview.map((c) => [c.personId, `${c.from.measure}/${c.from.until} → ${c.to.measure}/${c.to.until}`]));
    expect(byPerson).toEqual({
      [ids.zzNoRule.personId]: 'none/null → home_isolation/2020-02-26',
      [ids.zzRule.personId]: 'health_monitoring/2020-02-20 → home_isolation/2020-02-27',
      [ids.zzOther.personId]: 'health_monitoring/2020-02-21 → home_isolation/2020-02-28',
    });
    // nothing written by the preview
    expect((await t.ctx.db.selectFrom('arrival_rules').select('id').execute()).length).toBe(2);
    expect(await statusOf(ids.zzNoRule.personId)).toBe('normal');

    const snap = async () => ({
      reports: await t.ctx.db.selectFrom('arrival_reports').selectAll().orderBy('id').execute(),
      keyPersons: await t.ctx.db.selectFrom('key_persons').selectAll().orderBy('id').execute(),
      statuses: await t.ctx.db.selectFrom('person_status').selectAll().orderBy('person_id').execute(),
      rules: await t.ctx.db.selectFrom('arrival_rules').selectAll().orderBy('id').execute(),
    });
    const before = await snap();
    const res = await applyRuleChange(t.ctx, city, { ...change, reason: '市指挥部通告第9号：郑州来焦人员居家隔离' }, TODAY);
    expect(res.changes.map((c) => c.reportId).sort()).toEqual(preview.map((c) => c.reportId).sort());
    zzHomeRuleId = res.rule!.id;
    expect(res.changes.every((c) => c.to.ruleId === zzHomeRuleId)).toBe(true);
    const after = await snap();

    const changedReports = new Set(preview.map((c) => c.reportId));
    const changedPersons = new Set(preview.map((c) => c.personId));
    const json = (x: unknown) => JSON.stringify(x);
    expect(json(after.reports.filter((r) => !changedReports.has(r.id)))).toBe(json(before.reports.filter((r) => !changedReports.has(r.id))));
    expect(json(after.keyPersons.filter((k) => !changedPersons.has(k.person_id)))).toBe(json(before.keyPersons.filter((k) => !changedPersons.has(k.person_id))));
    expect(json(after.statuses.filter((s) => !changedPersons.has(s.person_id)))).toBe(json(before.statuses.filter((s) => !changedPersons.has(s.person_id))));
    expect(json(after.rules.filter((r) => r.id !== zzHomeRuleId))).toBe(json(before.rules));

    const zzRule = after.reports.find((r) => r.id === ids.zzRule.reportId)!;
    expect([zzRule.measure, zzRule.measure_days, zzRule.measure_until, zzRule.rule_id]).toEqual(['home_isolation', 14, '2020-02-27', zzHomeRuleId]);
    for (const k of ['zzNoRule', 'zzRule', 'zzOther'] as const) expect(await statusOf(ids[k].personId)).toBe('home_isolation');
    // the returnee record is closed, the home isolation one opened
    expect(await openKeyPersons(ids.zzRule.personId)).toEqual([{ category: 'home_isolation', measure: 'home_isolation', start_on: '2020-02-14', end_on: '2020-02-27', source_kind: 'arrival' }]);
    const hist = await t.ctx.db.selectFrom('person_status_history').select('reason').where('person_id', '=', ids.zzRule.personId).execute();
    expect(hist.map((h) => h.reason)).toEqual(['报到规则变更：市指挥部通告第9号：郑州来焦人员居家隔离：居家隔离至 2020-02-27']);
    const applyAudit = await t.ctx.db.selectFrom('audit_log').select('detail').where('action', '=', 'arrival_rules.apply').execute();
    expect(applyAudit.length).toBe(1);
    // a second preview of the same (now applied) situation changes no one
    expect(await previewRuleChange(t.ctx, city, { retire: [zzMonitorRuleId], noticeOn: '2020-02-11' }, TODAY)).toEqual([]);
  });

  it('retiring the stricter rule relaxes exactly those people back (status to normal, returnee again)', async () => {
    const res = await applyRuleChange(t.ctx, city, { retire: [zzHomeRuleId], noticeOn: '2020-02-11', reason: '通告第9号撤销' }, TODAY);
    expect(res.rule).toBeNull();
    expect(res.changes.map((c) => `${c.personId}:${c.to.measure}`).sort()).toEqual([
      `${ids.zzNoRule.personId}:health_monitoring`, `${ids.zzRule.personId}:health_monitoring`, `${ids.zzOther.personId}:health_monitoring`].sort());
    expect(await statusOf(ids.zzRule.personId)).toBe('normal');
    expect(await statusOf(ids.wuhan.personId)).toBe('home_isolation');
    expect(await openKeyPersons(ids.zzRule.personId)).toEqual([{ category: 'returnee', measure: 'health_monitoring', start_on: '2020-02-14', end_on: '2020-02-20', source_kind: 'arrival' }]);
    expect(await refusal(retireRuleRoute(zzHomeRuleId))).toBe('409 rule_retired');
  });
  const retireRuleRoute = async (id: string) => {
    const res = await req('city', 'POST', `/api/arrival-rules/${id}/retire`);
    if (res.statusCode !== 200) throw new AppError(res.statusCode, res.json().error.code, { zh: '', en: '' });
  };

  it('a case is never relaxed by an arrival measure', async () => {
    const p = await buildPerson(t.ctx, { name: '病例戊', homeCommunityCode: COMMUNITY, status: 'case', reason: '确诊' });
    const r = await reportByStaff(t.ctx, worker, { personId: p.id, communityCode: COMMUNITY, originCode: '420111', originText: '湖北武汉',
      circumstance: 'work', arrivalOn: '2020-02-14' }, TODAY);
    expect(r.arrival.measure).toBe('home_isolation');
    expect(await statusOf(p.id)).toBe('case');
  });

  it('routes: staff report, registration on the spot, list, detail, rules', async () => {
    const today = chinaDate();
    const doc = validResidentId({ region: '410811' });
    const res = await req('worker', 'POST', '/api/arrivals', {
      person: { name: '现场登记', docType: 'resident_id', docNumber: doc, phone: '', communityCode: COMMUNITY, address: '3号楼101' },
      communityCode: COMMUNITY, originCode: '420102', originText: '湖北武汉', circumstance: 'study', arrivalOn: addDays(today, -1), route: '武汉—郑州—焦作',
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ personCreated: true, arrival: { measure: 'home_isolation', measureUntil: addDays(today, 13), maskedName: '现**记' } });
    const id = res.json().arrival.id;
    const one = await req('district', 'GET', `/api/arrivals/${id}`);
    expect(one.statusCode).toBe(200);
    const list = await req('worker', 'GET', `/api/arrivals?measure=home_isolation&from=${addDays(today, -1)}`);
    expect(list.json().arrivals.map((a: { id: string }) => a.id)).toEqual([id]);
    const rules = await req('worker', 'GET', '/api/arrival-rules');
    expect(rules.json().rules.map((r: { originPrefix: string }) => r.originPrefix)).toEqual(['4101', '4201']); // priority, then newest first
    expect((await req('worker', 'POST', '/api/arrival-rules', { originLabel: '某地', measure: 'home_isolation' })).statusCode).toBe(403);
  });

  it('an existing document binds only under its own name; a double submit or a double rule is refused', async () => {
    const today = chinaDate();
    const doc = validResidentId({ region: '410811' });
    const body = (name: string, originText: string) => ({
      person: { name, docType: 'resident_id', docNumber: doc, phone: '', communityCode: COMMUNITY, address: '5号楼101' },
      communityCode: COMMUNITY, originText, circumstance: 'home', arrivalOn: addDays(today, -2),
    });
    expect((await req('worker', 'POST', '/api/arrivals', body('证件甲', '湖北省武汉市武昌区'))).json().arrival).toMatchObject({
      originCode: '420106', measure: 'home_isolation', // typed text gets its area code: the 4201 rule matches
    });
    const personId = (await t.ctx.db.selectFrom('arrival_reports as r').innerJoin('persons as p', 'p.id', 'r.person_id').select('p.id')
      .where('p.name', '=', '证件甲').executeTakeFirstOrThrow()).id;
    const count = async () => (await t.ctx.db.selectFrom('arrival_reports').select('id').where('person_id', '=', personId).execute()).length;
    const other = await req('worker', 'POST', '/api/arrivals', body('冒名乙', '河南郑州'));
    expect([other.statusCode, other.json().error.code]).toEqual([409, 'document_name_mismatch']);
    const twice = await Promise.all([1, 2].map(() => req('worker', 'POST', '/api/arrivals', body('证件甲', '北京朝阳'))));
    expect(twice.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    expect(await count()).toBe(2);
    const rule = { originPrefix: '1101', originLabel: '北京', measure: 'health_monitoring' as const, days: 7, priority: 3 };
    const applies = await Promise.allSettled([1, 2].map(() => applyRuleChange(t.ctx, city, { add: rule, reason: '重复提交' }, TODAY)));
    expect(applies.map((a) => a.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(await refusal(addRule(t.ctx, city, rule))).toBe('409 rule_exists');
  });

  it('a measure already over sets nothing; a category change keeps the team and the door sensor; closing relaxes the status', async () => {
    const late = await report('补报丙', { originCode: '420102', originText: '湖北武汉', arrivalOn: '2020-01-20' }); // until 02-03 < TODAY
    expect(late.arrival).toMatchObject({ measure: 'home_isolation', measureUntil: '2020-02-03' });
    expect(await statusOf(late.personId)).toBe('normal');
    expect(await openKeyPersons(late.personId)).toEqual([]);

    const r = await report('带队丁', { originCode: '420102', originText: '湖北武汉', arrivalOn: '2020-02-13' });
    const kp = (await t.ctx.db.selectFrom('key_persons').select('id').where('person_id', '=', r.personId).where('closed_on', 'is', null).executeTakeFirstOrThrow()).id;
    const member = async (role: Role, area: string) => (await buildStaff(t.ctx, { role, areaCode: area })).id;
    const team = { street_cadre: await member('street_office', '410811001'), community_worker: worker.id, doctor: await member('community_doctor', COMMUNITY),
      police: await member('police', '410811001'), counsellor: await member('counsellor', '410811001') };
    await assignTeam(t.ctx, worker, kp, team, TODAY);
    const home = await createHousehold(t.ctx, worker, { communityCode: COMMUNITY, room: '带队-101' }, TODAY);
    const sensor = (await bindSensor(t.ctx, worker, { device: `carry-${process.pid}`, householdId: home.id, keyPersonId: kp, windows: [] })).id;

    const applied = await applyRuleChange(t.ctx, city, { add: { originPrefix: '420102', originLabel: '武汉江岸', measure: 'centralized_isolation', days: 14, priority: 9 },
      reason: '江岸区来人集中隔离' }, TODAY);
    expect(applied.changes.map((c) => c.personId)).toContain(r.personId);
    const open = await t.ctx.db.selectFrom('key_persons').select(['id', 'category']).where('person_id', '=', r.personId).where('closed_on', 'is', null).execute();
    expect(open.map((k) => k.category)).toEqual(['centralized_isolation']);
    const newKp = open[0]!.id;
    const kept = await t.ctx.db.selectFrom('care_team_members').select(['team_role', 'staff_id']).where('key_person_id', '=', newKp).execute();
    expect(Object.fromEntries(kept.map((m) => [m.team_role, m.staff_id]))).toEqual(team);
    expect((await t.ctx.db.selectFrom('door_sensors').select('key_person_id').where('id', '=', sensor).executeTakeFirstOrThrow()).key_person_id).toBe(newKp);
    expect(await statusOf(r.personId)).toBe('centralized_isolation');

    await closeKeyPerson(t.ctx, worker, newKp, '隔离期满，核酸阴性', TODAY);
    expect(await statusOf(r.personId)).toBe('normal');
    await retireRule(t.ctx, city, applied.rule!.id); // the later tests expect the city's table without it
  });

  it('the resident reports from the phone (device cookie)', async () => {
    const d = await registerDevice(t, { name: '自报己', communityCode: COMMUNITY });
    const body = { communityCode: COMMUNITY, originCode: '420102', originText: '湖北武汉', circumstance: 'home', arrivalOn: addDays(chinaDate(), -1) };
    const res = await t.app.inject({ method: 'POST', url: '/api/r/arrivals', headers: { cookie: d.cookie }, payload: body });
    expect(res.statusCode).toBe(201);
    expect(res.json().arrival).toMatchObject({ personId: d.personId, reportedVia: 'self', measure: 'home_isolation' });
    expect(await statusOf(d.personId)).toBe('home_isolation');
    expect((await t.app.inject({ method: 'POST', url: '/api/r/arrivals', payload: body })).statusCode).toBe(401);
    const other = await t.app.inject({ method: 'POST', url: '/api/r/arrivals', headers: { cookie: d.cookie }, payload: { ...body, personId: ids.wuhan.personId } });
    expect(other.statusCode).toBe(404);
  });

  it('bad input: each refusal its own code', async () => {
    const p = await buildPerson(t.ctx, { name: '错填庚', homeCommunityCode: COMMUNITY });
    const base = { personId: p.id, communityCode: COMMUNITY, originText: '湖北武汉', circumstance: 'home' as const, arrivalOn: '2020-02-10' };
    expect(await refusal(reportByStaff(t.ctx, worker, { ...base, arrivalOn: '2020-02-16' }, TODAY))).toBe('400 arrival_on_in_future');
    expect(await refusal(reportByStaff(t.ctx, worker, { ...base, arrivalOn: '2020-02-30' }, TODAY))).toBe('400 arrival_on_invalid');
    expect(await refusal(reportByStaff(t.ctx, worker, { ...base, originText: '  ' }, TODAY))).toBe('400 origin_text_invalid');
    expect(await refusal(reportByStaff(t.ctx, worker, { ...base, householdId: '00000000-0000-4000-8000-000000000001' }, TODAY))).toBe('400 household_mismatch');
    expect(await refusal(reportByStaff(t.ctx, worker, { ...base, personId: undefined }, TODAY))).toBe('400 person_required');
    expect(await refusal(applyRuleChange(t.ctx, city, { add: { originLabel: 'x', measure: 'home_isolation' }, reason: ' ' }, TODAY))).toBe('400 reason_required');
    expect(await refusal(previewRuleChange(t.ctx, city, {}, TODAY))).toBe('400 change_empty');
    expect(await refusal(previewRuleChange(t.ctx, city, { retire: ['00000000-0000-4000-8000-000000000002'] }, TODAY))).toBe('404 not_found');
    expect((await req('worker', 'POST', '/api/arrivals', { ...base, circumstance: 'holiday' })).statusCode).toBe(400);
    // a person registered on the spot with a wrong check digit: the field to mark reaches the form
    const bad = await req('worker', 'POST', '/api/arrivals', { ...base, personId: undefined,
      person: { name: '错号', docType: 'resident_id', docNumber: '410811199001011231', phone: '', communityCode: COMMUNITY, address: '1号楼' } });
    expect([bad.statusCode, bad.json().error.details?.field]).toEqual([400, 'docNumber']);
    expect((await req('worker', 'POST', '/api/arrivals', { ...base, originText: 'a\u0000b' })).statusCode).toBe(400);
    expect((await req('city', 'POST', '/api/arrival-rules', { originLabel: '某地', measure: 'home_isolation', days: 61 })).statusCode).toBe(400);
    expect((await req('city', 'POST', '/api/arrival-rules', { originPrefix: '42x', originLabel: '某地', measure: 'home_isolation' })).statusCode).toBe(400);
    expect((await t.ctx.db.selectFrom('arrival_reports').select('id').where('person_id', '=', p.id).execute()).length).toBe(0);
  });

  it('scope: outside the subtree answers 404', async () => {
    expect((await req('outsider', 'GET', `/api/arrivals/${ids.wuhan.reportId}`)).statusCode).toBe(404);
    expect((await req('outsider', 'GET', '/api/arrivals?areaCode=410811')).statusCode).toBe(404);
    const mine = await req('outsider', 'GET', '/api/arrivals');
    expect(mine.json().arrivals.map((a: { personId: string }) => a.personId)).toEqual([ids.zzOther.personId]);
    // a worker of another community cannot report for a person of this one, nor into this community
    const res = await req('outsiderWorker', 'POST', '/api/arrivals', { personId: ids.wuhan.personId, communityCode: OTHER, originText: '湖北武汉', circumstance: 'home', arrivalOn: '2020-02-10' });
    expect(res.statusCode).toBe(404);
    const res2 = await req('outsiderWorker', 'POST', '/api/arrivals', { personId: ids.wuhan.personId, communityCode: COMMUNITY, originText: '湖北武汉', circumstance: 'home', arrivalOn: '2020-02-10' });
    expect(res2.statusCode).toBe(404);
    // a district command cannot retire the city's rule; its preview only sees its own district
    expect(await refusal(previewRuleChange(t.ctx, outsiderCity, { retire: [zzMonitorRuleId] }, TODAY))).toBe('404 not_found');
    const own = await previewRuleChange(t.ctx, outsiderCity, { add: { originPrefix: '4101', originLabel: '河南郑州', measure: 'centralized_isolation', priority: 9 }, noticeOn: '2020-02-11' }, TODAY);
    expect(own.map((c) => c.personId)).toEqual([ids.zzOther.personId]);
  });
});
