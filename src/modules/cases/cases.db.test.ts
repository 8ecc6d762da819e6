/**
 * Cases (issue 4 §1): registration with its number, each transition and each refusal by its own
 * code, the person status register effects, scope (another district gets 404), history, the
 * infector chain (no cycles) and the graph. Dates are injected ("today") where they matter.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app';
import { buildPerson } from '../../../test/helpers/factories/persons';
import { asStaffUser, buildStaff, signInAs } from '../../../test/helpers/factories/staff';
import { addDays, chinaDate } from '../../lib/time';
import type { StaffUser } from '../staff/auth';
import type { Role } from '../staff/roles';
import { getStatuses } from '../status/service';
import { createContacts } from '../contacts/service';
import { createKeyPerson } from '../keypersons/service';
import { changeCaseStatus, correctCase, registerCase, type RegisterCaseInput } from './service';
import { refusal } from '../../../test/helpers/refusal';

const COMMUNITY = '410811001001'; // 山阳区 东方红街道 文化巷社区
const OTHER = '410802001001'; // 解放区

describe('cases', () => {
  let t: TestApp;
  let cmd: StaffUser;
  const cookies = {} as Record<'cmd' | 'outsider' | 'worker' | 'doctor', string>;


  beforeAll(async () => {
    t = await createTestApp();
    const c = await buildStaff(t.ctx, { role: 'district_command', areaCode: '410811' });
    cmd = asStaffUser(c);
    cookies.cmd = await signInAs(t, c);
    cookies.outsider = await signInAs(t, await buildStaff(t.ctx, { role: 'district_command', areaCode: '410802' }));
    cookies.worker = await signInAs(t, await buildStaff(t.ctx, { role: 'community_worker', areaCode: COMMUNITY }));
    cookies.doctor = await signInAs(t, await buildStaff(t.ctx, { role: 'chief_doctor', areaCode: '410811' }));
  });
  afterAll(async () => { await t?.close(); });

  const req = (who: keyof typeof cookies, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown) =>
    t.app.inject({ method, url, headers: { cookie: cookies[who] }, ...(payload ? { payload } : {}) });
  const statusOf = async (personId: string) => (await getStatuses(t.ctx.db, [personId])).get(personId)!.status;
  const base = (personId: string, over: Partial<RegisterCaseInput> = {}): RegisterCaseInput => ({
    personId, status: 'suspected', effectiveOn: '2020-02-10', hospitalised: true, hospital: '焦作市第五人民医院',
    classification: 'local', reason: '发热伴咳嗽，核酸待检', ...over,
  });

  it('registers a case by route: a district number, the first event, person status case, audited', async () => {
    const p = await buildPerson(t.ctx, { name: '李建国', homeCommunityCode: COMMUNITY });
    const today = chinaDate();
    const res = await req('cmd', 'POST', '/api/cases', {
      personId: p.id, status: 'confirmed', effectiveOn: today, onsetOn: addDays(today, -3), hospitalised: true,
      hospital: '焦作市第五人民医院', classification: 'imported', sourceArea: '湖北武汉', reason: '核酸阳性',
    });
    expect(res.statusCode, res.body).toBe(201);
    const c = res.json().case;
    expect(c.number).toBe('410811-0001');
    expect(c).toMatchObject({ status: 'confirmed', maskedName: '李*国', sourceArea: '湖北武汉', confirmedOn: today, communityCode: COMMUNITY });
    expect(await statusOf(p.id)).toBe('case');
    const events = await t.ctx.db.selectFrom('case_events').selectAll().where('case_id', '=', c.id).execute();
    expect(events.map((e) => [e.status, e.effective_on, e.actor_role])).toEqual([['confirmed', today, 'district_command']]);
    const audits = await t.ctx.db.selectFrom('audit_log').select(['action', 'person_id']).where('action', '=', 'case.register').execute();
    expect(audits).toEqual([{ action: 'case.register', person_id: p.id }]);

    const again = await req('cmd', 'POST', '/api/cases', { personId: p.id, status: 'suspected', effectiveOn: today, hospitalised: false, classification: 'local', reason: '重复' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('case_open');

    const q = await buildPerson(t.ctx, { name: '王芳', homeCommunityCode: COMMUNITY });
    const second = await req('cmd', 'POST', '/api/cases', { personId: q.id, status: 'suspected', effectiveOn: today, hospitalised: false, classification: 'local', reason: '疑似' });
    expect(second.json().case.number).toBe('410811-0002');
  });

  it('registers a case by identity document (the hospital report names the ID), refusing unknown and outside ones', async () => {
    const today = chinaDate();
    const p = await buildPerson(t.ctx, { name: '赵文明', homeCommunityCode: COMMUNITY });
    const body = (docNumber: string) => ({ document: { docType: 'resident_id', docNumber }, status: 'suspected', effectiveOn: today,
      hospitalised: false, classification: 'local', reason: '医院报告' });
    const res = await req('cmd', 'POST', '/api/cases', body(p.docNumber.toLowerCase()));
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().case.personId).toBe(p.id);
    const outside = await buildPerson(t.ctx, { homeCommunityCode: OTHER });
    expect((await req('cmd', 'POST', '/api/cases', body(outside.docNumber))).statusCode).toBe(404);
    const bad = await req('cmd', 'POST', '/api/cases', body('123'));
    expect(bad.statusCode).toBe(400);
    const none = await req('cmd', 'POST', '/api/cases', { ...body(p.docNumber), document: undefined });
    expect([none.statusCode, none.json().error.code]).toEqual([400, 'person_required']);
    expect(await t.ctx.db.selectFrom('cases').select('id').where('person_id', '=', outside.id).execute()).toEqual([]);
  });

  it('gives concurrent registrations distinct numbers of the district (retried on a race)', async () => {
    const today = chinaDate();
    const people = await Promise.all([1, 2, 3, 4].map(() => buildPerson(t.ctx, { homeCommunityCode: '410811001002' })));
    const made = await Promise.all(people.map((p) => registerCase(t.ctx, cmd, base(p.id, { effectiveOn: today }), today)));
    const numbers = made.map((m) => m.number).sort();
    expect(new Set(numbers).size).toBe(4);
    for (const n of numbers) expect(n).toMatch(/^410811-\d{4}$/);
  });

  it('refuses bad registrations with their own codes, and out-of-scope persons with 404', async () => {
    const p = await buildPerson(t.ctx, { homeCommunityCode: COMMUNITY });
    const today = chinaDate();
    const body = { personId: p.id, status: 'suspected', effectiveOn: today, hospitalised: false, classification: 'local', reason: '疑似' };
    const code = async (who: keyof typeof cookies, b: unknown) => {
      const r = await req(who, 'POST', '/api/cases', b);
      return `${r.statusCode} ${r.json().error?.code}`;
    };
    expect(await code('cmd', { ...body, classification: 'imported' })).toBe('400 source_area_required');
    expect(await code('cmd', { ...body, sourceArea: '信阳' })).toBe('400 source_area_local');
    expect(await code('cmd', { ...body, effectiveOn: addDays(today, 1) })).toBe('400 effective_on_in_future');
    expect(await code('cmd', { ...body, effectiveOn: '2020-02-30' })).toBe('400 effective_on_invalid');
    expect(await code('cmd', { ...body, reason: '  ' })).toBe('400 reason_required');
    expect(await code('outsider', body)).toBe('404 not_found');
    expect(await code('worker', body)).toBe('403 forbidden');
    expect(await code('doctor', body)).toBe('403 forbidden'); // cases.read only
    const far = await buildPerson(t.ctx, { homeCommunityCode: OTHER });
    expect(await code('cmd', { ...body, personId: far.id })).toBe('404 not_found');
    await t.ctx.db.updateTable('persons').set({ home_community_code: null }).where('id', '=', p.id).execute();
    expect(await code('cmd', body)).toBe('404 not_found');
    expect(await statusOf(p.id)).toBe('normal');
  });

  it('walks suspected → confirmed → (hospital change) → discharged; the register follows; closed refuses', async () => {
    const today = '2020-02-20';
    const p = await buildPerson(t.ctx, { homeCommunityCode: COMMUNITY });
    const { id } = await registerCase(t.ctx, cmd, base(p.id), today);
    await t.ctx.db.insertInto('retention_holds').values({ person_id: p.id, from_at: new Date('2020-02-01T00:00:00Z'),
      to_at: new Date('2020-02-10T00:00:00Z'), reason: '追踪', case_id: id }).execute();
    expect(await statusOf(p.id)).toBe('case');
    await changeCaseStatus(t.ctx, cmd, id, { status: 'confirmed', effectiveOn: '2020-02-12', reason: '核酸阳性' }, today);
    await changeCaseStatus(t.ctx, cmd, id, { status: 'confirmed', effectiveOn: '2020-02-13', hospital: '焦作市人民医院', reason: '转院' }, today);
    expect(await refusal(changeCaseStatus(t.ctx, cmd, id, { status: 'discharged', effectiveOn: '2020-02-12', reason: '出院' }, today)))
      .toBe('400 effective_before_last');
    expect(await refusal(changeCaseStatus(t.ctx, cmd, id, { status: 'confirmed', effectiveOn: '2020-02-14', reason: '无变化' }, today)))
      .toBe('409 no_change');
    expect(await refusal(changeCaseStatus(t.ctx, cmd, id, { status: 'suspected', effectiveOn: '2020-02-14', reason: '退回' }, today)))
      .toBe('409 transition_not_allowed');
    expect(await refusal(changeCaseStatus(t.ctx, cmd, id, { status: 'discharged', effectiveOn: '2020-02-21', reason: '出院' }, today)))
      .toBe('400 effective_on_in_future');
    const holdsBefore = await t.ctx.db.selectFrom('retention_holds').select('released_at').where('case_id', '=', id).execute();
    expect(holdsBefore.map((h) => h.released_at)).toEqual([null]);
    await changeCaseStatus(t.ctx, cmd, id, { status: 'discharged', effectiveOn: '2020-02-20', reason: '治愈出院' }, today);
    expect(await statusOf(p.id)).toBe('normal');
    const holds = await t.ctx.db.selectFrom('retention_holds').select('released_at').where('case_id', '=', id).execute();
    expect(holds[0]!.released_at).not.toBeNull();
    expect(await refusal(changeCaseStatus(t.ctx, cmd, id, { status: 'confirmed', effectiveOn: '2020-02-20', reason: '复阳' }, today)))
      .toBe('409 case_closed');

    const row = await t.ctx.db.selectFrom('cases').select(['status', 'hospitalised', 'hospital']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'discharged', hospitalised: false, hospital: '焦作市人民医院' });
    const detail = await req('cmd', 'GET', `/api/cases/${id}`);
    expect(detail.statusCode).toBe(200);
    expect(detail.json().events.map((e: any) => [e.status, e.hospitalised, e.hospital, e.effectiveOn, e.reason, e.actorRole])).toEqual([
      ['suspected', true, '焦作市第五人民医院', '2020-02-10', '发热伴咳嗽，核酸待检', 'district_command'],
      ['confirmed', true, '焦作市第五人民医院', '2020-02-12', '核酸阳性', 'district_command'],
      ['confirmed', true, '焦作市人民医院', '2020-02-13', '转院', 'district_command'],
      ['discharged', false, '焦作市人民医院', '2020-02-20', '治愈出院', 'district_command'],
    ]);
    expect(detail.json().case.confirmedOn).toBe('2020-02-12');
    expect(detail.json().person.docMasked).toMatch(/^\d{6}\*{8}[\dX]{4}$/);
    expect((await req('outsider', 'GET', `/api/cases/${id}`)).statusCode).toBe(404);
    expect((await req('worker', 'GET', `/api/cases/${id}`)).statusCode).toBe(403);
    expect((await req('doctor', 'GET', `/api/cases/${id}`)).statusCode).toBe(200);
    // the register change was recorded with the role and the reason
    const hist = await t.ctx.db.selectFrom('person_status_history').select(['status', 'actor_role']).where('person_id', '=', p.id).orderBy('at').execute();
    expect(hist.map((h) => h.status)).toEqual(['case', 'case', 'normal']);
  });

  it('excluded returns an open contact to medical observation; deceased leaves the register alone', async () => {
    const today = chinaDate();
    const index = await buildPerson(t.ctx, { homeCommunityCode: COMMUNITY });
    const idx = await registerCase(t.ctx, cmd, base(index.id, { status: 'confirmed', effectiveOn: today }), today);
    const p = await buildPerson(t.ctx, { homeCommunityCode: COMMUNITY });
    await createContacts(t.ctx, cmd, [{ personId: p.id, source: { caseId: idx.id }, lastExposureOn: addDays(today, -1) }], undefined, today);
    expect(await statusOf(p.id)).toBe('medical_observation');
    const sus = await registerCase(t.ctx, cmd, base(p.id, { effectiveOn: today }), today);
    expect(await statusOf(p.id)).toBe('case');
    expect(await refusal(changeCaseStatus(t.ctx, cmd, sus.id, { status: 'discharged', effectiveOn: today, reason: '出院' }, today)))
      .toBe('409 transition_not_allowed');
    await changeCaseStatus(t.ctx, cmd, sus.id, { status: 'excluded', effectiveOn: today, reason: '两次核酸阴性，排除' }, today);
    expect(await statusOf(p.id)).toBe('medical_observation');

    const q = await buildPerson(t.ctx, { homeCommunityCode: COMMUNITY });
    const dead = await registerCase(t.ctx, cmd, base(q.id, { status: 'confirmed', effectiveOn: today }), today);
    await changeCaseStatus(t.ctx, cmd, dead.id, { status: 'deceased', effectiveOn: today, reason: '抢救无效' }, today);
    expect(await statusOf(q.id)).toBe('case');
    const res = await req('cmd', 'POST', `/api/cases/${dead.id}/status`, { status: 'discharged', effectiveOn: today, reason: 'x' });
    expect([res.statusCode, res.json().error.code]).toEqual([409, 'case_closed']);
    const out = await req('outsider', 'POST', `/api/cases/${idx.id}/status`, { status: 'discharged', effectiveOn: today, reason: 'x' });
    expect(out.statusCode).toBe(404);
  });

  it('closing a case never lifts an isolation still in force (a key person\'s measure)', async () => {
    const today = chinaDate();
    const worker = asStaffUser(await buildStaff(t.ctx, { role: 'community_worker', areaCode: COMMUNITY }));
    const p = await buildPerson(t.ctx, { homeCommunityCode: COMMUNITY });
    await createKeyPerson(t.ctx, worker, { personId: p.id, category: 'home_isolation', measure: 'home_isolation', startOn: addDays(today, -2), endOn: addDays(today, 12) }, today);
    expect(await statusOf(p.id)).toBe('home_isolation');
    const sus = await registerCase(t.ctx, cmd, base(p.id, { effectiveOn: today }), today);
    expect(await statusOf(p.id)).toBe('case');
    await changeCaseStatus(t.ctx, cmd, sus.id, { status: 'excluded', effectiveOn: today, reason: '核酸阴性' }, today);
    expect(await statusOf(p.id)).toBe('home_isolation');
    // an isolation already over (ended yesterday) sets nothing
    const q = await buildPerson(t.ctx, { homeCommunityCode: COMMUNITY });
    await createKeyPerson(t.ctx, worker, { personId: q.id, category: 'home_isolation', measure: 'home_isolation', startOn: addDays(today, -15), endOn: addDays(today, -1) }, today);
    const sus2 = await registerCase(t.ctx, cmd, base(q.id, { effectiveOn: today }), today);
    await changeCaseStatus(t.ctx, cmd, sus2.id, { status: 'excluded', effectiveOn: today, reason: '核酸阴性' }, today);
    expect(await statusOf(q.id)).toBe('normal');
  });

  it('links infectors without cycles, lists and draws the chains', async () => {
    const today = chinaDate();
    const mk = async (name: string) => {
      const p = await buildPerson(t.ctx, { name, homeCommunityCode: COMMUNITY });
      return (await registerCase(t.ctx, cmd, base(p.id, { status: 'confirmed', effectiveOn: today, cluster: '赵家聚集' }), today)).id;
    };
    const a = await mk('赵一');
    const b = await mk('赵二');
    const c = await mk('赵三');
    await correctCase(t.ctx, cmd, b, { infectorCaseId: a, reason: '同住家属' }, today);
    await correctCase(t.ctx, cmd, c, { infectorCaseId: b, reason: '同住家属' }, today);
    expect(await refusal(correctCase(t.ctx, cmd, a, { infectorCaseId: c, reason: '成环' }, today))).toBe('409 infector_cycle');
    expect(await refusal(correctCase(t.ctx, cmd, a, { infectorCaseId: a, reason: '自身' }, today))).toBe('400 infector_self');
    expect(await refusal(correctCase(t.ctx, cmd, a, { reason: '空' }, today))).toBe('400 nothing_to_change');
    expect(await refusal(correctCase(t.ctx, cmd, a, { classification: 'imported', reason: '改输入' }, today))).toBe('400 source_area_required');
    const patched = await req('cmd', 'PATCH', `/api/cases/${a}`, { classification: 'imported', sourceArea: '驻马店', reason: '流调更正' });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json().case).toMatchObject({ classification: 'imported', sourceArea: '驻马店' });
    const audit = await t.ctx.db.selectFrom('audit_log').select('detail').where('action', '=', 'case.correct').orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
    expect(audit.detail).toMatchObject({ before: { classification: 'local', source_area: null }, after: { classification: 'imported', source_area: '驻马店' } });

    const list = await req('cmd', 'GET', '/api/cases?q=%E8%B5%B5&status=confirmed'); // q=赵
    expect(list.statusCode).toBe(200);
    expect(list.json().cases.map((x: any) => [x.maskedName, x.infectorNumber !== null])).toEqual([['赵*', false], ['赵*', true], ['赵*', true]]);
    const graph = await req('cmd', 'GET', '/api/cases/graph?areaCode=410811');
    expect(graph.statusCode).toBe(200);
    expect(graph.json().edges).toEqual(expect.arrayContaining([{ from: a, to: b }, { from: b, to: c }]));
    expect(graph.json().edges).toHaveLength(2);
    const outsideGraph = await req('outsider', 'GET', '/api/cases/graph');
    expect(outsideGraph.json()).toEqual({ nodes: [], edges: [] });
    expect((await req('outsider', 'GET', '/api/cases?areaCode=410811')).statusCode).toBe(404);
  });

  it('refuses a lone surrogate or a control character in free text with 400 (not a 500 from the jsonb audit); nothing written', async () => {
    const p = await buildPerson(t.ctx, { name: '周字符', homeCommunityCode: COMMUNITY });
    const before = await t.ctx.db.selectFrom('cases').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    for (const over of [{ reason: '发热\ud800' }, { cluster: '\udc00聚集' }, { hospital: '医院\u0001' }, { note: 'a\u007fb' }]) {
      const res = await req('cmd', 'POST', '/api/cases', { personId: p.id, status: 'suspected', effectiveOn: '2020-02-10', hospitalised: false,
        classification: 'local', reason: '发热', ...over });
      expect([res.statusCode, res.json().error.code], JSON.stringify(over)).toEqual([400, 'invalid_input']);
    }
    const en = await t.app.inject({ method: 'POST', url: '/api/cases', headers: { cookie: cookies.cmd, 'accept-language': 'en' },
      payload: { personId: p.id, status: 'suspected', effectiveOn: '2020-02-10', hospitalised: false, classification: 'local', reason: 'x\ud800' } });
    expect(en.json().error.message).toBe('Please check: reason is invalid');
    const after = await t.ctx.db.selectFrom('cases').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
    expect(await statusOf(p.id)).toBe('normal');
    // a tab and line breaks are ordinary text
    const ok = await req('cmd', 'POST', '/api/cases', { personId: p.id, status: 'suspected', effectiveOn: '2020-02-10', hospitalised: false,
      classification: 'local', reason: '发热\r\n咳嗽\t3天' });
    expect(ok.statusCode, ok.body).toBe(201);
  });

  it('two concurrent infector corrections (A ← B and B ← A at once) cannot make a loop', async () => {
    const today = chinaDate();
    const mk = async (name: string) => {
      const p = await buildPerson(t.ctx, { name, homeCommunityCode: COMMUNITY });
      return (await registerCase(t.ctx, cmd, base(p.id, { status: 'confirmed', effectiveOn: today }), today)).id;
    };
    for (let round = 0; round < 3; round += 1) {
      const a = await mk(`吴${round}甲`);
      const b = await mk(`吴${round}乙`);
      const results = await Promise.all([
        refusal(correctCase(t.ctx, cmd, a, { infectorCaseId: b, reason: '同住' }, today)),
        refusal(correctCase(t.ctx, cmd, b, { infectorCaseId: a, reason: '同住' }, today)),
      ]);
      expect(results.sort()).toEqual(['409 infector_cycle', 'no error']);
      const rows = await t.ctx.db.selectFrom('cases').select(['id', 'infector_case_id']).where('id', 'in', [a, b]).execute();
      expect(rows.filter((r) => r.infector_case_id !== null)).toHaveLength(1);
    }
  });
});
