/**
 * Health declarations (SPEC S6, issue 6 §1–§2) over the API and real rows: eligibility refusals
 * from the register (an arrival 5 days ago → refused with the date; home isolation → refused),
 * nothing written on a refusal; the full path submitted → residence_verified → assessed → signed
 * (and issued by the center in the same step);
 * a return with a reason and the resident's resubmission; the wrong role at each step (403) and a
 * skipped step (409); staff entry; scope (404 from another district); the steps and audit rows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app';
import { buildPerson, registerDevice, type RegisteredDevice } from '../../../test/helpers/factories/persons';
import { buildStaff, signInAs } from '../../../test/helpers/factories/staff';
import { addDays, chinaDate } from '../../lib/time';
import type { Role } from '../staff/roles';

const COMMUNITY = '410811001001';
const DISTRICT = '410811';
const OTHER = '410802001001';

type Who = 'info' | 'doctor' | 'chief' | 'worker' | 'outInfo' | 'outDoctor' | 'outChief';

describe('health declarations', () => {
  let t: TestApp;
  const ids = {} as Record<Who, string>;
  const cookies = {} as Record<Who, string>;
  let resident: RegisteredDevice;
  let returner: RegisteredDevice;
  let arrived: RegisteredDevice;
  let isolated: RegisteredDevice;
  let noPhoneId: string;
  const today = chinaDate();

  const household = async (personId: string, since: string) => {
    const h = await t.ctx.db.insertInto('households').values({ community_code: COMMUNITY, room: `${Math.floor(Math.random() * 1e6)}`, resident_since: since })
      .returning('id').executeTakeFirstOrThrow();
    await t.ctx.db.insertInto('household_members').values({ household_id: h.id, person_id: personId, since }).execute();
  };

  beforeAll(async () => {
    t = await createTestApp();
    const center = await t.ctx.db.insertInto('organisations').values({ kind: 'health_center', name: '申报测试社区卫生服务中心', area_code: '410811001' })
      .returning('id').executeTakeFirstOrThrow();
    const make = async (who: Who, role: Role, areaCode: string) => {
      const s = await buildStaff(t.ctx, { role, areaCode, displayName: `申报${who}`, orgId: role === 'chief_doctor' ? center.id : null });
      ids[who] = s.id;
      cookies[who] = await signInAs(t, s);
    };
    await make('info', 'info_officer', COMMUNITY);
    await make('doctor', 'community_doctor', COMMUNITY);
    await make('chief', 'chief_doctor', DISTRICT);
    await make('worker', 'community_worker', COMMUNITY);
    await make('outInfo', 'info_officer', OTHER);
    await make('outDoctor', 'community_doctor', OTHER);
    await make('outChief', 'chief_doctor', '410802');
    resident = await registerDevice(t, { name: '欧阳·申报', communityCode: COMMUNITY });
    await household(resident.personId, addDays(today, -40));
    returner = await registerDevice(t, { name: '钱退回', communityCode: COMMUNITY });
    await household(returner.personId, addDays(today, -40));
    arrived = await registerDevice(t, { name: '赵返回', communityCode: COMMUNITY });
    await household(arrived.personId, addDays(today, -200));
    await t.ctx.db.insertInto('arrival_reports').values({
      person_id: arrived.personId, community_code: COMMUNITY, origin_text: '湖北武汉', circumstance: 'home', arrival_on: addDays(today, -5),
      reported_via: 'self', measure: 'health_monitoring', measure_days: 14, measure_until: addDays(today, 9),
    }).execute();
    isolated = await registerDevice(t, { name: '孙隔离', communityCode: COMMUNITY });
    await household(isolated.personId, addDays(today, -100));
    await t.ctx.db.insertInto('key_persons').values({
      person_id: isolated.personId, community_code: COMMUNITY, category: 'home_isolation', measure: 'home_isolation',
      start_on: addDays(today, -2), end_on: addDays(today, 11), source_kind: 'manual', source_id: null,
    }).execute();
    const p = await buildPerson(t.ctx, { name: '李无机', homeCommunityCode: COMMUNITY, phone: null });
    noPhoneId = p.id;
    await household(noPhoneId, addDays(today, -90));
  });
  afterAll(async () => { await t?.close(); });

  const answers = (over: Record<string, unknown> = {}) => ({
    residence: Array.from({ length: 14 }, (_, i) => ({ on: addDays(today, i - 13), place: '文化巷社区2号楼' })),
    travel: '', contactWithCases: false, contactWithAreas: false, contactNote: '', symptoms: [], destination: '郑州市', purpose: '返岗复工',
    acknowledged: true, ...over,
  });
  const staff = (who: Who, method: 'GET' | 'POST', url: string, payload?: unknown) =>
    t.app.inject({ method, url, headers: { cookie: cookies[who] }, ...(payload ? { payload } : {}) });
  const phone = (d: RegisteredDevice, method: 'GET' | 'POST', url: string, payload?: unknown) =>
    t.app.inject({ method, url, headers: { cookie: d.cookie }, ...(payload ? { payload } : {}) });
  const stepAs = (who: Who, id: string, body: Record<string, unknown>) => staff(who, 'POST', `/api/declarations/${id}/steps`, body);
  const counts = async () => ({
    d: Number((await t.ctx.db.selectFrom('declarations').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n),
    s: Number((await t.ctx.db.selectFrom('declaration_steps').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n),
  });
  const fit = { temperatureC: 36.6, cough: false, chestTightness: false, otherSymptoms: '', conclusion: 'fit' };

  it('refuses from real rows with the reason and the date, writing nothing', async () => {
    const before = await counts();
    const a = await phone(arrived, 'POST', '/api/r/declarations', { personId: arrived.personId, ...answers() });
    expect(a.statusCode).toBe(400);
    expect(a.json().error.code).toBe('cert_ineligible_residence_too_short');
    expect(a.json().error.details.possibleFrom).toBe(addDays(today, 10)); // arrival + 15
    expect(a.json().error.message).toContain(addDays(today, 10));
    const i = await phone(isolated, 'POST', '/api/r/declarations', { personId: isolated.personId, ...answers() });
    expect(i.statusCode).toBe(400);
    expect(i.json().error.code).toBe('cert_ineligible_home_isolation');
    expect(i.json().error.details.possibleFrom).toBe(addDays(today, 12));
    expect(i.json().error.message).toContain('居家隔离');
    // not acknowledged, someone else's person, no phone
    expect((await phone(resident, 'POST', '/api/r/declarations', { personId: resident.personId, ...answers({ acknowledged: false }) })).json().error.code)
      .toBe('declaration_not_acknowledged');
    expect((await phone(resident, 'POST', '/api/r/declarations', { personId: arrived.personId, ...answers() })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'POST', url: '/api/r/declarations', payload: { personId: resident.personId, ...answers() } })).statusCode).toBe(401);
    expect(await counts()).toEqual(before);
  });

  it('takes the full path submitted → verified → assessed → signed and issued, each step by its role only', async () => {
    const sub = await phone(resident, 'POST', '/api/r/declarations', { personId: resident.personId, ...answers() });
    expect(sub.statusCode, sub.body).toBe(201);
    const d = sub.json().declaration;
    expect(d).toMatchObject({ state: 'submitted', submittedVia: 'self', communityCode: COMMUNITY, personId: resident.personId });
    const id = d.id as string;
    expect((await phone(resident, 'POST', '/api/r/declarations', { personId: resident.personId, ...answers() })).json().error.code).toBe('declaration_open');

    // submitted: wrong roles 403, later steps 409 skipped
    expect((await stepAs('doctor', id, { action: 'verify_residence' })).json().error.code).toBe('declaration_wrong_role');
    expect((await stepAs('doctor', id, { action: 'verify_residence' })).statusCode).toBe(403);
    expect((await stepAs('chief', id, { action: 'verify_residence' })).statusCode).toBe(403);
    const skip = await stepAs('chief', id, { action: 'sign' });
    expect(skip.statusCode).toBe(409);
    expect(skip.json().error.code).toBe('declaration_step_skipped');
    expect((await stepAs('doctor', id, { action: 'assess', assessment: fit })).json().error.code).toBe('declaration_step_skipped');
    expect((await stepAs('worker', id, { action: 'verify_residence' })).statusCode).toBe(403); // no permission at all

    const v = await stepAs('info', id, { action: 'verify_residence' });
    expect(v.statusCode, v.body).toBe(200);
    expect(v.json().declaration.state).toBe('residence_verified');
    expect((await stepAs('info', id, { action: 'verify_residence' })).json().error.code).toBe('declaration_step_done');

    // residence_verified: only the community doctor assesses
    expect((await stepAs('info', id, { action: 'assess', assessment: fit })).statusCode).toBe(403);
    expect((await stepAs('chief', id, { action: 'assess', assessment: fit })).statusCode).toBe(403);
    expect((await stepAs('chief', id, { action: 'sign' })).json().error.code).toBe('declaration_step_skipped');
    expect((await stepAs('doctor', id, { action: 'assess', assessment: { ...fit, temperatureC: 37.8 } })).json().error.code).toBe('assessment_fever_fit');
    const a = await stepAs('doctor', id, { action: 'assess', assessment: { ...fit, cough: false, otherSymptoms: '无' } });
    expect(a.statusCode, a.body).toBe(200);
    expect(a.json().declaration.state).toBe('assessed');

    // assessed: only the chief doctor signs
    expect((await stepAs('doctor', id, { action: 'sign' })).statusCode).toBe(403);
    expect((await stepAs('info', id, { action: 'sign' })).statusCode).toBe(403);
    const s = await stepAs('chief', id, { action: 'sign' });
    expect(s.statusCode, s.body).toBe(200);
    expect(s.json().declaration.state).toBe('issued');
    expect(s.json().steps.map((x: { action: string; actorRole: string }) => `${x.action}:${x.actorRole}`))
      .toEqual(['submit:resident', 'verify_residence:info_officer', 'assess:community_doctor', 'sign:chief_doctor', 'issue:system']);
    expect(s.json().steps[4].actorName).toBe('申报测试社区卫生服务中心');
    expect(s.json().steps[2].assessment).toMatchObject({ temperatureC: 36.6, conclusion: 'fit' });
    expect(s.json().certificate).toMatchObject({ state: 'valid', name: '欧阳·申报', orgName: '申报测试社区卫生服务中心', chiefDoctorName: '申报chief' });
    expect((await stepAs('chief', id, { action: 'issue' })).json().error.code).toBe('declaration_closed');

    const mine = await phone(resident, 'GET', '/api/r/declarations');
    const row = mine.json().declarations.find((x: { id: string }) => x.id === id);
    expect(row.state).toBe('issued');
    expect(row.progress.map((p: { state: string }) => p.state)).toEqual(['done', 'done', 'done', 'done', 'done']);
    expect(row.certificate.token).toBe(s.json().certificate.token);

    const steps = await t.ctx.db.selectFrom('declaration_steps').selectAll().where('declaration_id', '=', id).orderBy('id').execute();
    expect(steps.map((x) => x.to_state)).toEqual(['submitted', 'residence_verified', 'assessed', 'signed', 'issued']);
    expect(steps[1]!.actor_id).toBe(ids.info);
    await expect(t.ctx.db.updateTable('declaration_steps').set({ reason: 'x' }).where('id', '=', steps[0]!.id).execute()).rejects.toThrow();

    const audits = await t.ctx.db.selectFrom('audit_log').select(['action', 'actor_kind', 'actor_id', 'area_code', 'person_id'])
      .where('person_id', '=', resident.personId).where('action', 'like', 'declaration.%').orderBy('id').execute();
    expect(audits.map((x) => x.action)).toEqual(['declaration.submit', 'declaration.step', 'declaration.step', 'declaration.step']);
    expect(audits[0]!.actor_kind).toBe('resident');
    expect(audits.every((x) => x.area_code === COMMUNITY)).toBe(true);

    const detail = await staff('info', 'GET', `/api/declarations/${id}`);
    expect(detail.statusCode).toBe(200);
    expect(detail.json().declaration.answers).toMatchObject({ destination: '郑州市', purpose: '返岗复工' });
    const read = await t.ctx.db.selectFrom('audit_log').select(['actor_id', 'area_code']).where('action', '=', 'declaration.read')
      .where('person_id', '=', resident.personId).execute();
    expect(read).toEqual([{ actor_id: ids.info, area_code: COMMUNITY }]);
  });

  it('returns with a reason; the resident sees it and resubmits', async () => {
    const id = (await phone(returner, 'POST', '/api/r/declarations', { personId: returner.personId, ...answers() })).json().declaration.id as string;
    expect((await phone(returner, 'POST', `/api/r/declarations/${id}/resubmit`, answers())).json().error.code).toBe('declaration_not_returned');
    expect((await stepAs('info', id, { action: 'return' })).json().error.code).toBe('declaration_reason_invalid');
    const r = await stepAs('info', id, { action: 'return', reason: '居住地址与住户登记不符，请核对门牌号' });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().declaration).toMatchObject({ state: 'returned', returnReason: '居住地址与住户登记不符，请核对门牌号' });
    expect((await stepAs('doctor', id, { action: 'assess', assessment: fit })).json().error.code).toBe('declaration_awaiting_applicant');
    const seen = (await phone(returner, 'GET', '/api/r/declarations')).json().declarations[0];
    expect(seen).toMatchObject({ id, state: 'returned', returnReason: '居住地址与住户登记不符，请核对门牌号', actions: ['resubmit'] });
    expect(seen.progress[1].state).toBe('failed');
    expect((await phone(resident, 'POST', `/api/r/declarations/${id}/resubmit`, answers())).statusCode).toBe(404); // another phone
    const again = await phone(returner, 'POST', `/api/r/declarations/${id}/resubmit`, answers({ destination: '洛阳市' }));
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json().declaration).toMatchObject({ state: 'submitted', returnReason: null });
    const steps = await t.ctx.db.selectFrom('declaration_steps').select(['action', 'reason', 'actor_kind']).where('declaration_id', '=', id).orderBy('id').execute();
    expect(steps).toEqual([
      { action: 'submit', reason: null, actor_kind: 'resident' },
      { action: 'return', reason: '居住地址与住户登记不符，请核对门牌号', actor_kind: 'staff' },
      { action: 'resubmit', reason: null, actor_kind: 'resident' },
    ]);
    expect((await stepAs('info', id, { action: 'verify_residence' })).json().declaration.state).toBe('residence_verified');
  });

  it('center staff enter a declaration for a person without a phone; scope 404 from another district', async () => {
    expect((await staff('info', 'POST', '/api/declarations', { personId: noPhoneId, ...answers() })).statusCode).toBe(403);
    expect((await staff('outDoctor', 'POST', '/api/declarations', { personId: noPhoneId, ...answers() })).statusCode).toBe(404);
    const e = await staff('doctor', 'POST', '/api/declarations', { personId: noPhoneId, ...answers() });
    expect(e.statusCode, e.body).toBe(201);
    const id = e.json().declaration.id as string;
    expect(e.json().declaration).toMatchObject({ submittedVia: 'staff', state: 'submitted' });
    const row = await t.ctx.db.selectFrom('declarations').select(['entered_by']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.entered_by).toBe(ids.doctor);
    const entered = await t.ctx.db.selectFrom('audit_log').select(['actor_id', 'area_code']).where('action', '=', 'declaration.submit')
      .where('person_id', '=', noPhoneId).execute();
    expect(entered).toEqual([{ actor_id: ids.doctor, area_code: COMMUNITY }]);

    const before = await counts();
    for (const who of ['outInfo', 'outDoctor', 'outChief'] as const) {
      expect((await staff(who, 'GET', `/api/declarations/${id}`)).statusCode).toBe(404);
      expect((await stepAs(who, id, { action: 'verify_residence' })).statusCode).toBe(404);
      expect((await staff(who, 'GET', `/api/declarations?areaCode=${COMMUNITY}`)).statusCode).toBe(404);
      const own = await staff(who, 'GET', '/api/declarations');
      expect(own.statusCode).toBe(200);
      expect(own.body).not.toContain(id);
    }
    expect(await counts()).toEqual(before);
    const list = await staff('chief', 'GET', `/api/declarations?areaCode=${COMMUNITY}&state=submitted`);
    expect(list.json().declarations.map((x: { id: string }) => x.id)).toContain(id);
    expect(await t.ctx.db.selectFrom('audit_log').select('id').where('action', '=', 'declarations.list').where('actor_id', '=', ids.chief).execute())
      .toHaveLength(1);
  });
  it('a double submit at the same moment stores one declaration (409 for the other, never a 500)', async () => {
    const twice = await registerDevice(t, { name: '周双击', communityCode: COMMUNITY });
    await household(twice.personId, addDays(today, -60));
    const res = await Promise.all([1, 2].map(() => phone(twice, 'POST', '/api/r/declarations', { personId: twice.personId, ...answers() })));
    expect(res.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    expect(res.find((r) => r.statusCode === 409)!.json().error.code).toBe('declaration_open');
    const rows = await t.ctx.db.selectFrom('declarations').select('id').where('person_id', '=', twice.personId).execute();
    expect(rows).toHaveLength(1);
  });
});
