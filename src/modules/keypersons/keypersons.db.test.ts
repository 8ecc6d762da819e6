/**
 * Key persons, five-for-one teams, tasks and observation reports (issue 5 §2–§4): a fever report
 * by a person in home isolation makes exactly one task per team member, in each member's own list
 * and nowhere outside; team validation; the missed-report job raises once; the list's contact
 * counts equal the situation report's figures; scope; bad input.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app';
import { buildPerson, registerDevice, type RegisteredDevice } from '../../../test/helpers/factories/persons';
import { asStaffUser, buildStaff, signInAs } from '../../../test/helpers/factories/staff';
import { addDays, chinaDate, chinaDayStart } from '../../lib/time';
import { registerCase } from '../cases/service';
import type { Role } from '../staff/roles';
import { releaseContact } from '../contacts/changes';
import { createContacts } from '../contacts/service';
import { computeFigures } from '../reports/compute';
import { loadArea } from '../reports/load';
import { raiseMissedReports } from './observations';
import { closeKeyPerson, listKeyPersons } from './service';
import { getStatuses } from '../status/service';

const COMMUNITY = '410811001001';
const COMMUNITY2 = '410811001002';
const STREET = '410811001';
const OTHER = '410802001001';

type Who = 'manager' | 'cadre' | 'worker' | 'doctor' | 'police' | 'counsellor' | 'outsider' | 'outPolice' | 'doctor2' | 'cmd';

describe('key persons and five-for-one teams', () => {
  let t: TestApp;
  const ids = {} as Record<Who | 'farDoctor' | 'disabledDoctor', string>;
  const cookies = {} as Record<Who, string>;
  let isolated: RegisteredDevice;
  let kpId: string;
  const today = chinaDate();

  beforeAll(async () => {
    t = await createTestApp();
    const make = async (who: Who, role: Role, areaCode: string) => {
      const s = await buildStaff(t.ctx, { role, areaCode, displayName: `组员${who}` });
      ids[who] = s.id;
      cookies[who] = await signInAs(t, s);
    };
    await make('manager', 'community_worker', COMMUNITY);
    await make('cadre', 'street_office', STREET);
    await make('worker', 'info_officer', COMMUNITY);
    await make('doctor', 'community_doctor', COMMUNITY);
    await make('police', 'police', STREET);
    await make('counsellor', 'counsellor', STREET);
    await make('outsider', 'community_worker', OTHER);
    await make('outPolice', 'police', '410802001');
    await make('doctor2', 'community_doctor', COMMUNITY2);
    await make('cmd', 'district_command', '410811');
    ids.farDoctor = (await buildStaff(t.ctx, { role: 'community_doctor', areaCode: COMMUNITY2 })).id;
    const disabled = await buildStaff(t.ctx, { role: 'community_doctor', areaCode: COMMUNITY });
    await t.ctx.db.updateTable('staff').set({ disabled_at: new Date() }).where('id', '=', disabled.id).execute();
    ids.disabledDoctor = disabled.id;
    isolated = await registerDevice(t, { name: '孙隔离', communityCode: COMMUNITY });
  });
  afterAll(async () => { await t?.close(); });

  const req = (who: Who, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) =>
    t.app.inject({ method, url, headers: { cookie: cookies[who] }, ...(payload ? { payload } : {}) });
  const team = (over: Partial<Record<string, string>> = {}) => ({
    street_cadre: ids.cadre, community_worker: ids.worker, doctor: ids.doctor, police: ids.police, counsellor: ids.counsellor, ...over,
  });
  const members: Who[] = ['cadre', 'worker', 'doctor', 'police', 'counsellor'];

  it('enters a key person by hand and refuses a team that does not fit', async () => {
    const body = { personId: isolated.personId, category: 'home_isolation', measure: 'home_isolation', startOn: addDays(today, -2), endOn: addDays(today, 11) };
    const res = await req('manager', 'POST', '/api/key-persons', body);
    expect(res.statusCode).toBe(201);
    const kp = res.json().keyPerson;
    kpId = kp.id;
    expect(kp).toMatchObject({ category: 'home_isolation', day: 3, of: 14, state: 'open', team: [], openTasks: 0 });
    expect((await req('manager', 'POST', '/api/key-persons', body)).json()).toMatchObject({ existing: true, keyPerson: { id: kpId } });
    expect((await req('outsider', 'POST', '/api/key-persons', body)).statusCode).toBe(404);
    expect((await req('manager', 'POST', '/api/key-persons', { ...body, endOn: addDays(today, -5) })).json().error.code).toBe('end_before_start');
    const later = await req('manager', 'POST', '/api/key-persons', { ...body, category: 'returnee', measure: 'health_monitoring', startOn: addDays(today, 1), endOn: null });
    expect([later.statusCode, later.json().error.code]).toEqual([400, 'start_on_in_future']);
    expect((await req('manager', 'POST', '/api/key-persons', { ...body, category: 'close_contact' })).statusCode).toBe(400);

    const put = (over: Partial<Record<string, string>>, who: Who = 'manager') => req(who, 'PUT', `/api/key-persons/${kpId}/team`, team(over));
    const code = async (over: Partial<Record<string, string>>) => (await put(over)).json().error?.code;
    expect(await code({ doctor: ids.police })).toBe('team_member_role');
    expect(await code({ counsellor: ids.doctor })).toBe('team_member_role');
    expect(await code({ doctor: ids.farDoctor })).toBe('team_member_area');
    expect(await code({ police: ids.outPolice })).toBe('team_member_area');
    expect(await code({ doctor: ids.disabledDoctor })).toBe('team_member_disabled');
    expect(await code({ doctor: '00000000-0000-4000-8000-000000000000' })).toBe('team_member_unknown');
    expect((await put({}, 'outsider')).statusCode).toBe(404);
    expect((await put({}, 'doctor')).statusCode).toBe(403); // no keypersons.manage
    expect(await t.ctx.db.selectFrom('care_team_members').select('staff_id').where('key_person_id', '=', kpId).execute()).toEqual([]);

    const ok = await put({});
    expect(ok.statusCode).toBe(200);
    expect(ok.json().keyPerson.team.map((m: { role: string; name: string }) => `${m.role}:${m.name}`)).toEqual([
      'street_cadre:组员cadre', 'community_worker:组员worker', 'doctor:组员doctor', 'police:组员police', 'counsellor:组员counsellor',
    ]);
    const audits = await t.ctx.db.selectFrom('audit_log').select('action').where('person_id', '=', isolated.personId)
      .where('action', 'in', ['keyperson.create', 'keyperson.team']).execute();
    expect(audits.map((a) => a.action).sort()).toEqual(['keyperson.create', 'keyperson.create', 'keyperson.team']);
  });

  it('a fever report from the phone makes exactly one task per team member, seen only by that member', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/r/observations', headers: { cookie: isolated.cookie },
      payload: { personId: isolated.personId, slot: 'am', temperature: 38.2, symptoms: ['cough'] } });
    expect(res.statusCode).toBe(201);
    expect(res.json().reports).toEqual([expect.objectContaining({ keyPersonId: kpId, fever: true, tasks: 5, reportOn: today })]);
    // the same slot again: refused, nothing new raised
    const again = await t.app.inject({ method: 'POST', url: '/api/r/observations', headers: { cookie: isolated.cookie },
      payload: { personId: isolated.personId, slot: 'am', temperature: 38.5, symptoms: [] } });
    expect(again.json().error.code).toBe('already_reported');
    const tasks = await t.ctx.db.selectFrom('care_tasks').select(['assignee_id', 'kind']).where('key_person_id', '=', kpId).execute();
    expect(tasks.map((x) => x.assignee_id).sort()).toEqual(members.map((m) => ids[m]).sort());
    for (const m of members) {
      const mine = (await req(m, 'GET', '/api/tasks/mine')).json().tasks;
      expect(mine.filter((x: { keyPersonId: string }) => x.keyPersonId === kpId)).toEqual([
        expect.objectContaining({ kind: 'fever', state: 'open' }),
      ]);
    }
    expect((await req('outPolice', 'GET', '/api/tasks/mine')).json().tasks).toEqual([]);
    expect((await req('manager', 'GET', '/api/tasks/mine')).json().tasks).toEqual([]); // not on the team
    const outside = await req('outsider', 'GET', `/api/key-persons?areaCode=${COMMUNITY}`);
    expect(outside.statusCode).toBe(404);
    expect((await req('outsider', 'GET', '/api/key-persons')).body).not.toContain(isolated.personId);
    const list = (await req('manager', 'GET', '/api/key-persons?category=home_isolation')).json().keyPersons;
    expect(list).toEqual([expect.objectContaining({ id: kpId, lastTemperature: 38.2, lastReportOn: today, openTasks: 5, lastFever: true, day: 3, of: 14 })]);
  });

  it('tasks: a member creates one for the team; only the assignee moves it; a living service needs its outcome', async () => {
    const create = await req('worker', 'POST', '/api/tasks', { keyPersonId: kpId, kind: 'living_service', title: '代购蔬菜和降压药', assigneeId: ids.cadre });
    expect(create.statusCode).toBe(201);
    const task = create.json().task;
    expect((await req('police', 'POST', '/api/tasks', { keyPersonId: kpId, kind: 'visit', title: '上门', assigneeId: ids.manager })).json().error.code)
      .toBe('assignee_not_member');
    expect((await req('outPolice', 'POST', '/api/tasks', { keyPersonId: kpId, kind: 'visit', title: '上门' })).statusCode).toBe(404);
    expect((await req('manager', 'POST', '/api/tasks', { keyPersonId: kpId, kind: 'visit', title: '上门' })).statusCode).toBe(403);
    expect((await req('worker', 'POST', `/api/tasks/${task.id}/state`, { state: 'done', outcome: '已送达' })).statusCode).toBe(404);
    expect((await req('cadre', 'POST', `/api/tasks/${task.id}/state`, { state: 'in_progress' })).json().task.state).toBe('in_progress');
    expect((await req('cadre', 'POST', `/api/tasks/${task.id}/state`, { state: 'done' })).json().error.code).toBe('outcome_required');
    const done = (await req('cadre', 'POST', `/api/tasks/${task.id}/state`, { state: 'done', outcome: '蔬菜两袋、药一盒已送达' })).json().task;
    expect(done).toMatchObject({ state: 'done', outcome: '蔬菜两袋、药一盒已送达' });
    expect((await req('cadre', 'POST', `/api/tasks/${task.id}/state`, { state: 'cancelled', outcome: 'x' })).json().error.code).toBe('task_finished');
    expect((await req('cadre', 'GET', '/api/tasks/mine?state=done')).json().tasks.map((x: { id: string }) => x.id)).toEqual([task.id]);
  });

  it('the key person\'s page, its team candidates and the phone\'s list of reports due', async () => {
    const page = await req('police', 'GET', `/api/key-persons/${kpId}`);
    expect(page.statusCode).toBe(200);
    const d = page.json();
    expect(d.keyPerson).toMatchObject({ id: kpId, day: 3, of: 14, openTasks: 5 });
    expect(d.tasks.filter((x: { kind: string }) => x.kind === 'fever').map((x: { assigneeName: string }) => x.assigneeName).sort())
      .toEqual(members.map((m) => `组员${m}`).sort());
    expect(d.tasks.find((x: { kind: string }) => x.kind === 'living_service')).toMatchObject({ assigneeId: ids.cadre, state: 'done' });
    expect(d.observations).toEqual([expect.objectContaining({ reportOn: today, slot: 'am', temperature: 38.2, fever: true, source: 'self', symptoms: ['cough'] })]);
    expect(d.sensors).toEqual([]);
    expect((await req('outsider', 'GET', `/api/key-persons/${kpId}`)).statusCode).toBe(404);
    expect(await t.ctx.db.selectFrom('audit_log').select('action').where('action', '=', 'keyperson.read').where('actor_id', '=', ids.police).execute()).toHaveLength(1);

    const cands = (await req('manager', 'GET', `/api/key-persons/${kpId}/team-candidates`)).json().candidates;
    const idsOf = (xs: Array<{ staffId: string }>) => xs.map((x) => x.staffId);
    expect(idsOf(cands.doctor)).toContain(ids.doctor);
    expect(idsOf(cands.doctor)).not.toContain(ids.farDoctor);
    expect(idsOf(cands.doctor)).not.toContain(ids.disabledDoctor);
    expect(idsOf(cands.police)).toContain(ids.police);
    expect(idsOf(cands.police)).not.toContain(ids.outPolice);
    expect(idsOf(cands.community_worker)).toEqual(expect.arrayContaining([ids.worker, ids.manager]));
    expect(idsOf(cands.street_cadre)).toEqual([ids.cadre]);
    expect((await req('doctor', 'GET', `/api/key-persons/${kpId}/team-candidates`)).statusCode).toBe(403);

    const due = await t.app.inject({ method: 'GET', url: '/api/r/observations', headers: { cookie: isolated.cookie } });
    expect(due.json().persons).toEqual([expect.objectContaining({
      personId: isolated.personId, keyPersonId: kpId, day: 3, of: 14, todayOn: today, slots: { am: true, pm: false },
    })]);
    const plain = await registerDevice(t, { name: '周常人', communityCode: COMMUNITY });
    expect((await t.app.inject({ method: 'GET', url: '/api/r/observations', headers: { cookie: plain.cookie } })).json()).toEqual({ persons: [] });
    expect((await t.app.inject({ method: 'GET', url: '/api/r/observations' })).json()).toEqual({ persons: [] });
  });

  it('the missed-report job raises one task per member and slot, once', async () => {
    // the key person existed since the start of its measure
    await t.ctx.db.updateTable('key_persons').set({ created_at: chinaDayStart(addDays(today, -2)) }).where('id', '=', kpId).execute();
    const at22 = new Date(chinaDayStart(today).getTime() + 22 * 3600_000);
    await raiseMissedReports(t.ctx, at22);
    const missed = async () => (await t.ctx.db.selectFrom('care_tasks').select(['cause_key']).where('key_person_id', '=', kpId)
      .where('kind', '=', 'missed_report').execute()).map((x) => x.cause_key!);
    const first = await missed();
    // yesterday's pm and today's pm were missed; today's am was reported
    expect(first.length).toBe(10);
    expect([...new Set(first)].sort()).toEqual([`miss:${kpId}:${addDays(today, -1)}:pm`, `miss:${kpId}:${today}:pm`]);
    expect(await raiseMissedReports(t.ctx, at22)).toBe(0);
    expect((await missed()).length).toBe(10);
    // at 11:00 only yesterday's pm is due: nothing new
    expect(await raiseMissedReports(t.ctx, new Date(chinaDayStart(today).getTime() + 11 * 3600_000))).toBe(0);
  });

  it('bad input and refusals', async () => {
    const self = (payload: Record<string, unknown>, cookie = isolated.cookie) => t.app.inject({ method: 'POST', url: '/api/r/observations', headers: cookie ? { cookie } : {}, payload });
    expect((await self({ personId: isolated.personId, slot: 'pm', temperature: 45, symptoms: [] })).json().error.code).toBe('temperature_implausible');
    expect((await self({ personId: isolated.personId, slot: 'noon', temperature: 36.5 })).statusCode).toBe(400);
    expect((await self({ personId: isolated.personId, slot: 'pm', temperature: 36.5, symptoms: ['sneezing'] })).statusCode).toBe(400);
    expect((await self({ personId: isolated.personId, slot: 'pm', temperature: null, symptoms: [] })).json().error.code).toBe('observation_empty');
    expect((await self({ personId: isolated.personId, slot: 'pm', temperature: 36.5 }, '')).statusCode).toBe(401);
    const other = await registerDevice(t, { name: '周其他', communityCode: COMMUNITY });
    expect((await self({ personId: isolated.personId, slot: 'pm', temperature: 36.5 }, other.cookie)).json().error.code).toBe('not_key_person');
    expect((await self({ personId: other.personId, slot: 'pm', temperature: 36.5 }, other.cookie)).json().error.code).toBe('not_key_person');
    const visit = (who: Who, body: unknown) => req(who, 'POST', `/api/key-persons/${kpId}/observations`, body);
    expect((await visit('doctor', { slot: 'pm', temperature: 36.6, reportOn: addDays(today, 1) })).json().error.code).toBe('report_on_invalid');
    expect((await visit('doctor2', { slot: 'pm', temperature: 36.6 })).statusCode).toBe(404);
    expect((await visit('police', { slot: 'pm', temperature: 36.6 })).statusCode).toBe(403);
    const ok = await visit('doctor', { slot: 'pm', temperature: 36.6 });
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toMatchObject({ fever: false, tasks: 0, contactEndOn: null });
    expect((await req('manager', 'GET', '/api/key-persons?state=shut')).statusCode).toBe(400);
    expect((await req('manager', 'POST', `/api/key-persons/${kpId}/close`, { reason: '  ' })).json().error.code).toBe('reason_required');
    const closed = await req('manager', 'POST', `/api/key-persons/${kpId}/close`, { reason: '隔离期满，体温正常' });
    expect(closed.json().keyPerson).toMatchObject({ state: 'closed', closedOn: today });
    expect((await req('manager', 'POST', `/api/key-persons/${kpId}/close`, { reason: '再次' })).json().error.code).toBe('key_person_closed');
    expect((await req('manager', 'PUT', `/api/key-persons/${kpId}/team`, team())).json().error.code).toBe('key_person_closed');
    const closedList = (await req('manager', 'GET', '/api/key-persons?state=closed&category=home_isolation')).json().keyPersons;
    expect(closedList.map((k: { id: string }) => k.id)).toEqual([kpId]);
  });

  it('contacts are key persons read live: the list counts equal the situation report figures', async () => {
    const cmd = asStaffUser(await t.ctx.db.selectFrom('staff').selectAll().where('id', '=', ids.cmd).executeTakeFirstOrThrow());
    const casePerson = await buildPerson(t.ctx, { name: '钱病例', homeCommunityCode: COMMUNITY2 });
    const caseId = (await registerCase(t.ctx, cmd, { personId: casePerson.id, status: 'confirmed', effectiveOn: addDays(today, -3), hospitalised: true,
      classification: 'local', reason: '核酸阳性' }, addDays(today, -3))).id;
    const people = [];
    for (const name of ['赵密接', '吴密接', '郑密接']) people.push(await buildPerson(t.ctx, { name, homeCommunityCode: COMMUNITY2 }));
    const { created } = await createContacts(t.ctx, cmd, people.map((p) => ({ personId: p.id, source: { caseId }, lastExposureOn: addDays(today, -3) })));
    const secondary = await buildPerson(t.ctx, { name: '王次密', homeCommunityCode: COMMUNITY2 });
    await createContacts(t.ctx, cmd, [{ personId: secondary.id, source: { contactId: created[0]!.id }, lastExposureOn: addDays(today, -1) }]);
    await releaseContact(t.ctx, cmd, created[2]!.id, { reason: '核酸两次阴性，专家组同意提前解除' });

    // a doctor's visit with symptoms on a contact: a key_persons row appears, the contact's end moves
    const visit = await req('doctor2', 'POST', `/api/key-persons/${created[1]!.id}/observations`, { slot: 'am', temperature: 36.9, symptoms: ['sore_throat'] });
    expect(visit.statusCode).toBe(201);
    expect(visit.json().contactEndOn).toBe(addDays(today, 14));
    const c1 = await t.ctx.db.selectFrom('contacts').select(['end_on', 'symptoms_last_on']).where('id', '=', created[1]!.id).executeTakeFirstOrThrow();
    expect(c1).toEqual({ end_on: addDays(today, 14), symptoms_last_on: today });

    const staff = asStaffUser(await t.ctx.db.selectFrom('staff').selectAll().where('id', '=', ids.cmd).executeTakeFirstOrThrow());
    const open = await listKeyPersons(t.ctx, staff, { areaCode: COMMUNITY2, state: 'open' }, today);
    const closed = await listKeyPersons(t.ctx, staff, { areaCode: COMMUNITY2, state: 'closed' }, today);
    const figures = computeFigures(await loadArea(t.ctx.db, COMMUNITY2), today, 28);
    // hand-counted: 4 traced (3 close + 1 secondary), 1 released, 3 under observation
    expect([open.length, closed.length, open.length + closed.length]).toEqual([3, 1, 4]);
    expect([figures.underObservation, figures.released, figures.cumulativeTraced]).toEqual([3, 1, 4]);
    expect(open.filter((k) => k.category === 'secondary_contact').length).toBe(figures.underObservationSecondary);
    const zhao = open.find((k) => k.contactId === created[0]!.id)!;
    expect(zhao).toMatchObject({ category: 'close_contact', measure: 'medical_observation', day: 3, of: 14, keyPersonId: null, id: created[0]!.id });
    const wu = open.find((k) => k.contactId === created[1]!.id)!;
    expect(wu).toMatchObject({ day: 3, of: 17, lastTemperature: 36.9, keyPersonId: expect.any(String) });
    expect(wu.id).toBe(wu.keyPersonId);
    // the same through the route, and yesterday's report day (secondary not yet traced then? traced today: excluded)
    const viaRoute = (await req('cmd', 'GET', `/api/key-persons?areaCode=${COMMUNITY2}`)).json().keyPersons;
    expect(viaRoute.length).toBe(figures.underObservation);
    const y = addDays(today, -1);
    const yFig = computeFigures(await loadArea(t.ctx.db, COMMUNITY2), y, 28);
    expect((await listKeyPersons(t.ctx, staff, { areaCode: COMMUNITY2, state: 'open' }, y)).length).toBe(yFig.underObservation);
    expect(yFig.underObservation).toBe(0);
    // a contact closes by its release, not here
    expect((await req('cmd', 'POST', `/api/key-persons/${created[0]!.id}/close`, { reason: 'x' })).statusCode).toBe(403);
    await expect(closeKeyPerson(t.ctx, staff, created[0]!.id, '解除')).rejects.toMatchObject({ status: 409, code: 'close_via_release' });
  });

  it('a fever with no team yet reaches the community\'s own staff; a manual isolation sets the status and its close lifts it', async () => {
    const alone = await registerDevice(t, { name: '未组队', communityCode: COMMUNITY });
    const made = await req('manager', 'POST', '/api/key-persons', { personId: alone.personId, category: 'home_isolation', measure: 'home_isolation',
      startOn: today, endOn: addDays(today, 13) });
    expect(made.statusCode).toBe(201);
    const soloId = made.json().keyPerson.id as string;
    expect((await getStatuses(t.ctx.db, [alone.personId])).get(alone.personId)!.status).toBe('home_isolation');
    const res = await t.app.inject({ method: 'POST', url: '/api/r/observations', headers: { cookie: alone.cookie },
      payload: { personId: alone.personId, slot: 'pm', temperature: 38.4, symptoms: [] } });
    expect(res.json().reports).toEqual([expect.objectContaining({ keyPersonId: soloId, fever: true, tasks: 3 })]);
    const got = await t.ctx.db.selectFrom('care_tasks').select('assignee_id').where('key_person_id', '=', soloId).execute();
    // the community-level worker, information officer and doctor; not the disabled doctor, not another community's
    expect(got.map((g) => g.assignee_id).sort()).toEqual([ids.manager, ids.worker, ids.doctor].sort());
    expect((await req('manager', 'POST', `/api/key-persons/${soloId}/close`, { reason: '误登记' })).statusCode).toBe(200);
    expect((await getStatuses(t.ctx.db, [alone.personId])).get(alone.personId)!.status).toBe('normal');
  });
});
