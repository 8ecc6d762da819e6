/**
 * Contacts under medical observation (issue 4 §2): end dates across month ends and 2020-02-29, an
 * exposure corrected after the start, symptoms extending the end, override then revert, release
 * (early without a reason refused, day 14 refused, releasableFrom accepted, twice 409, a community
 * worker 403), the person status register, secondary contacts, scope. "Today" is injected.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app';
import { buildPerson } from '../../../test/helpers/factories/persons';
import { asStaffUser, buildStaff, signInAs } from '../../../test/helpers/factories/staff';
import { buildCheckpoint, buildPlace } from '../../../test/helpers/factories/places';
import { randomUUID } from 'node:crypto';
import { addDays, chinaDate } from '../../lib/time';
import { changeCaseStatus, registerCase } from '../cases/service';
import type { StaffUser } from '../staff/auth';
import type { Role } from '../staff/roles';
import { getStatuses } from '../status/service';
import { correctExposure, overrideEnd, recordSymptoms, releaseContact, revertOverride } from './changes';
import { createContacts } from './service';
import { refusal } from '../../../test/helpers/refusal';

const COMMUNITY = '410811001001';
const OTHER = '410802001001';

describe('contacts and medical observation', () => {
  let t: TestApp;
  let cmd: StaffUser;
  let doctor: StaffUser;
  let caseId: string;
  let casePersonId: string;
  const cookies = {} as Record<'cmd' | 'outsider' | 'worker' | 'doctor', string>;

  beforeAll(async () => {
    t = await createTestApp();
    const c = await buildStaff(t.ctx, { role: 'district_command', areaCode: '410811' });
    cmd = asStaffUser(c);
    cookies.cmd = await signInAs(t, c);
    const d = await buildStaff(t.ctx, { role: 'community_doctor', areaCode: COMMUNITY });
    doctor = asStaffUser(d);
    cookies.doctor = await signInAs(t, d);
    cookies.outsider = await signInAs(t, await buildStaff(t.ctx, { role: 'district_command', areaCode: '410802' }));
    cookies.worker = await signInAs(t, await buildStaff(t.ctx, { role: 'community_worker', areaCode: COMMUNITY }));
    const p = await buildPerson(t.ctx, { name: '钱病例', homeCommunityCode: COMMUNITY });
    casePersonId = p.id;
    caseId = (await registerCase(t.ctx, cmd, { personId: p.id, status: 'confirmed', effectiveOn: '2020-01-20', hospitalised: true,
      classification: 'imported', sourceArea: '湖北武汉', reason: '核酸阳性' }, '2020-01-20')).id;
  });
  afterAll(async () => { await t?.close(); });

  const req = (who: keyof typeof cookies, method: 'GET' | 'POST', url: string, payload?: unknown) =>
    t.app.inject({ method, url, headers: { cookie: cookies[who] }, ...(payload ? { payload } : {}) });
  const statusOf = async (personId: string) => (await getStatuses(t.ctx.db, [personId])).get(personId)!.status;
  const person = (over: Parameters<typeof buildPerson>[1] = {}) => buildPerson(t.ctx, { homeCommunityCode: COMMUNITY, ...over });
  const contactOf = async (lastExposureOn: string, today: string, personId?: string) => {
    const id = personId ?? (await person()).id;
    const r = await createContacts(t.ctx, cmd, [{ personId: id, source: { caseId }, lastExposureOn }], undefined, today);
    return r.created[0]!;
  };

  it('creates contacts with end dates across month ends and the leap day, in medical observation', async () => {
    const today = '2020-03-20';
    const people = await Promise.all([person(), person(), person(), person({ status: 'home_isolation', reason: '自武汉返焦' })]);
    const r = await createContacts(t.ctx, cmd, [
      { personId: people[0]!.id, source: { caseId }, lastExposureOn: '2020-01-25', note: '同乘火车' },
      { personId: people[1]!.id, source: { caseId }, lastExposureOn: '2020-02-15' },
      { personId: people[2]!.id, source: { caseId }, lastExposureOn: '2020-02-29' },
      { personId: people[3]!.id, source: { caseId }, lastExposureOn: '2020-02-20' },
    ], undefined, today);
    expect(r.existing).toEqual([]);
    expect(r.created.map((c) => [c.kind, c.startOn, c.endOn, c.releasableFrom, c.tracedOn])).toEqual([
      ['close', '2020-01-26', '2020-02-08', '2020-02-09', today],
      ['close', '2020-02-16', '2020-02-29', '2020-03-01', today],
      ['close', '2020-03-01', '2020-03-14', '2020-03-15', today],
      ['close', '2020-02-21', '2020-03-05', '2020-03-06', today],
    ]);
    expect(r.created[2]).toMatchObject({ day: 20, of: 14, state: 'observing', communityCode: COMMUNITY, caseId, source: { caseId, contactId: null } });
    expect(await statusOf(people[0]!.id)).toBe('medical_observation');
    expect(await statusOf(people[3]!.id)).toBe('home_isolation'); // a stricter status is kept
    const ev = await t.ctx.db.selectFrom('contact_events').select(['kind', 'actor_role']).where('contact_id', '=', r.created[0]!.id).execute();
    expect(ev).toEqual([{ kind: 'created', actor_role: 'district_command' }]);
    const audits = await t.ctx.db.selectFrom('audit_log').select('person_id').where('action', '=', 'contact.create').execute();
    expect(audits.map((a) => a.person_id).sort()).toEqual(people.map((p) => p.id).sort());
  });

  it('returns an existing contact (a later exposure moves it), makes secondary contacts, refuses with own codes', async () => {
    const today = '2020-02-20';
    const p = await person();
    const first = await contactOf('2020-02-10', today, p.id);
    const again = await createContacts(t.ctx, cmd, [{ personId: p.id, source: { caseId }, lastExposureOn: '2020-02-12' }], undefined, today);
    expect(again.created).toEqual([]);
    expect(again.existing.map((c) => [c.id, c.lastExposureOn, c.endOn])).toEqual([[first.id, '2020-02-12', '2020-02-26']]);
    const earlier = await createContacts(t.ctx, cmd, [{ personId: p.id, source: { caseId }, lastExposureOn: '2020-02-05' }], undefined, today);
    expect(earlier.existing[0]!.lastExposureOn).toBe('2020-02-12');

    const s = await person({ name: '孙次密' });
    const sec = await createContacts(t.ctx, cmd, [{ personId: s.id, source: { contactId: first.id }, lastExposureOn: '2020-02-14' }], undefined, today);
    expect(sec.created[0]).toMatchObject({ kind: 'secondary', caseId, endOn: '2020-02-28', source: { caseId: null, contactId: first.id } });

    const homeless = await person();
    await t.ctx.db.updateTable('persons').set({ home_community_code: null }).where('id', '=', homeless.id).execute();
    // a check-in would put them in scope; without one they are not even visible
    expect(await refusal(createContacts(t.ctx, cmd, [{ personId: homeless.id, source: { caseId }, lastExposureOn: '2020-02-14' }], undefined, today)))
      .toBe('404 not_found');
    expect(await refusal(createContacts(t.ctx, cmd, [{ personId: casePersonId, source: { caseId }, lastExposureOn: '2020-02-14' }], undefined, today)))
      .toBe('400 contact_is_source');
    expect(await refusal(createContacts(t.ctx, cmd, [{ personId: s.id, source: { caseId }, lastExposureOn: '2020-02-21' }], undefined, today)))
      .toBe('400 last_exposure_on_in_future');
    const far = await buildPerson(t.ctx, { homeCommunityCode: OTHER });
    const n = await t.ctx.db.selectFrom('contacts').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    // one refusal in a batch writes nothing
    expect(await refusal(createContacts(t.ctx, cmd, [
      { personId: (await person()).id, source: { caseId }, lastExposureOn: '2020-02-14' },
      { personId: far.id, source: { caseId }, lastExposureOn: '2020-02-14' },
    ], undefined, today))).toBe('404 not_found');
    const n2 = await t.ctx.db.selectFrom('contacts').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    expect(Number(n2.n)).toBe(Number(n.n));
  });

  it('no home community: 400 with a clear message (the person is in scope by a check-in)', async () => {
    const p = await person();
    await t.ctx.db.updateTable('persons').set({ home_community_code: null }).where('id', '=', p.id).execute();
    const place = await buildPlace(t.ctx, { communityCode: COMMUNITY });
    const cp = await buildCheckpoint(t.ctx, place.id);
    await t.ctx.db.insertInto('checkins').values({ id: randomUUID(), person_id: p.id, checkpoint_id: cp.checkpoint.id, place_id: place.id,
      community_code: COMMUNITY, direction: 'in', temperature: null, outcome: 'pass', refusal: null, source: 'guard', actor_id: null,
      at: new Date('2020-02-10T02:00:00Z') }).execute();
    const res = await req('cmd', 'POST', '/api/contacts', { personId: p.id, caseId, lastExposureOn: '2020-02-10' });
    expect([res.statusCode, res.json().error.code]).toEqual([400, 'no_home_community']);
    expect(res.json().error.message).toContain('居住社区');
    expect(await statusOf(p.id)).toBe('normal');
  });

  it('records symptoms reported on the exposure day itself (day 0) without moving the end', async () => {
    const c = await contactOf('2020-02-10', '2020-02-10');
    const sick = await recordSymptoms(t.ctx, cmd, c.id, { on: '2020-02-10', reason: '接触当天即诉咽痛' }, '2020-02-10');
    expect([sick.symptomsLastOn, sick.endOn]).toEqual(['2020-02-10', '2020-02-24']);
  });

  it('recomputes on an exposure corrected after the start and on symptoms; override then revert', async () => {
    const c = await contactOf('2020-02-10', '2020-02-11');
    expect(c.endOn).toBe('2020-02-24');
    const moved = await correctExposure(t.ctx, cmd, c.id, { lastExposureOn: '2020-02-12', reason: '流调核实末次接触为2月12日' }, '2020-02-14');
    expect([moved.startOn, moved.endOn, moved.releasableFrom, moved.day]).toEqual(['2020-02-13', '2020-02-26', '2020-02-27', 2]);
    expect(await refusal(correctExposure(t.ctx, cmd, c.id, { lastExposureOn: '2020-02-12', reason: '同' }, '2020-02-14'))).toBe('409 no_change');
    const sick = await recordSymptoms(t.ctx, cmd, c.id, { on: '2020-02-15', reason: '低热37.5℃' }, '2020-02-15');
    expect([sick.symptomsLastOn, sick.computedEndOn, sick.endOn]).toEqual(['2020-02-15', '2020-02-29', '2020-02-29']);
    expect(await refusal(recordSymptoms(t.ctx, cmd, c.id, { on: '2020-02-11', reason: '早' }, '2020-02-15'))).toBe('400 symptoms_before_start');
    const over = await overrideEnd(t.ctx, cmd, c.id, { endOn: '2020-03-05', reason: '专家组意见延长观察' }, '2020-02-16');
    expect([over.endOn, over.computedEndOn, over.overridden, over.releasableFrom]).toEqual(['2020-03-05', '2020-02-29', true, '2020-03-06']);
    expect(await refusal(overrideEnd(t.ctx, cmd, c.id, { endOn: '2020-02-12', reason: '早于开始' }, '2020-02-16'))).toBe('400 override_before_start');
    const back = await revertOverride(t.ctx, cmd, c.id, { reason: '按规定计算' }, '2020-02-17');
    expect([back.endOn, back.overridden]).toEqual(['2020-02-29', false]);
    expect(await refusal(revertOverride(t.ctx, cmd, c.id, { reason: '再次' }, '2020-02-17'))).toBe('409 no_override');
    const ev = await t.ctx.db.selectFrom('contact_events').select(['kind', 'reason']).where('contact_id', '=', c.id).orderBy('id').execute();
    expect(ev.map((e) => e.kind)).toEqual(['created', 'exposure_corrected', 'symptoms', 'override', 'override_reverted']);
    expect(ev[3]!.reason).toBe('专家组意见延长观察');
  });

  it('release: day 14 needs a reason, releasableFrom does not; twice 409; the register returns to normal', async () => {
    const p = await person();
    const c = await contactOf('2020-02-10', '2020-02-11', p.id);
    expect(await refusal(releaseContact(t.ctx, doctor, c.id, {}, '2020-02-24'))).toBe('400 reason_required_early');
    expect(await refusal(releaseContact(t.ctx, doctor, c.id, { reason: '  ' }, '2020-02-20'))).toBe('400 reason_required_early');
    expect(await statusOf(p.id)).toBe('medical_observation');
    const done = await releaseContact(t.ctx, doctor, c.id, {}, '2020-02-25');
    expect([done.state, done.releasedOn, done.releaseReason]).toEqual(['released', '2020-02-25', null]);
    expect(await statusOf(p.id)).toBe('normal');
    expect(await refusal(releaseContact(t.ctx, doctor, c.id, { reason: '再次' }, '2020-02-26'))).toBe('409 already_released');
    expect(await refusal(correctExposure(t.ctx, cmd, c.id, { lastExposureOn: '2020-02-11', reason: '改' }, '2020-02-26'))).toBe('409 contact_released');

    // two open contacts: releasing one (early, with a reason) keeps the person under observation
    const q = await person();
    const one = await contactOf('2020-02-10', '2020-02-11', q.id);
    const other = await createContacts(t.ctx, cmd, [{ personId: q.id, source: { contactId: c.id }, lastExposureOn: '2020-02-11' }], undefined, '2020-02-12');
    const early = await releaseContact(t.ctx, doctor, one.id, { reason: '核实为误报接触' }, '2020-02-15');
    expect([early.releasedOn, early.releaseReason]).toEqual(['2020-02-15', '核实为误报接触']);
    expect(await statusOf(q.id)).toBe('medical_observation');
    await releaseContact(t.ctx, doctor, other.created[0]!.id, {}, '2020-02-26');
    expect(await statusOf(q.id)).toBe('normal');
  });

  it('routes: permissions (release by doctors only), scope, list and detail, audited', async () => {
    const today = chinaDate();
    const p = await person({ name: '周密接' });
    const created = await req('cmd', 'POST', '/api/contacts', { personId: p.id, caseId, lastExposureOn: addDays(today, -1) });
    expect(created.statusCode, created.body).toBe(201);
    const c = created.json().contact;
    expect(c).toMatchObject({ maskedName: '周*接', day: 1, of: 14, endOn: addDays(today, 13), state: 'observing' });
    const dup = await req('cmd', 'POST', '/api/contacts', { personId: p.id, caseId, lastExposureOn: addDays(today, -2) });
    expect([dup.statusCode, dup.json().existing]).toEqual([200, true]);
    const both = await req('cmd', 'POST', '/api/contacts', { personId: p.id, caseId, contactId: c.id, lastExposureOn: today });
    expect([both.statusCode, both.json().error.code]).toEqual([400, 'source_required']);

    const w = await req('worker', 'POST', `/api/contacts/${c.id}/release`, { reason: '提前解除' });
    expect([w.statusCode, w.json().error.code]).toEqual([403, 'forbidden']);
    expect((await req('worker', 'POST', `/api/contacts/${c.id}/exposure`, { lastExposureOn: today, reason: 'x' })).statusCode).toBe(403);
    expect((await req('outsider', 'GET', `/api/contacts/${c.id}`)).statusCode).toBe(404);
    expect((await req('outsider', 'POST', `/api/contacts/${c.id}/override`, { endOn: today, reason: 'x' })).statusCode).toBe(404);
    expect((await req('outsider', 'GET', '/api/contacts?areaCode=410811')).statusCode).toBe(404);
    expect((await req('outsider', 'GET', '/api/contacts')).json().contacts).toEqual([]);

    const list = await req('worker', 'GET', `/api/contacts?q=${encodeURIComponent('周')}&state=observing`);
    expect(list.statusCode).toBe(200);
    expect(list.json().contacts.map((x: any) => x.id)).toEqual([c.id]);
    const early = await req('doctor', 'POST', `/api/contacts/${c.id}/release`, {});
    expect([early.statusCode, early.json().error.code]).toEqual([400, 'reason_required_early']);
    const rel = await req('doctor', 'POST', `/api/contacts/${c.id}/release`, { reason: '核酸阴性，专家组同意提前解除' });
    expect(rel.statusCode, rel.body).toBe(200);
    expect((await req('worker', 'GET', `/api/contacts?q=${encodeURIComponent('周')}`)).json().contacts).toEqual([]);
    expect((await req('worker', 'GET', `/api/contacts?q=${encodeURIComponent('周')}&state=released`)).json().contacts).toHaveLength(1);
    const detail = await req('doctor', 'GET', `/api/contacts/${c.id}`);
    expect(detail.statusCode).toBe(200);
    expect(detail.json().events.map((e: any) => e.kind)).toEqual(['created', 'released']);
    expect(detail.json().schedule).toMatchObject({ endOn: addDays(today, 13), days: 14 });
    const reads = await t.ctx.db.selectFrom('audit_log').select('action').where('person_id', '=', p.id).execute();
    expect(reads.map((r) => r.action)).toEqual(expect.arrayContaining(['contact.create', 'contact.released', 'contact.read', 'status.set']));
  });

  it('concurrent registrations of one person as a contact of one case: one contact, the others existing (no 500)', async () => {
    const p = await person();
    const res = await Promise.all([0, 1, 2].map(() => req('cmd', 'POST', '/api/contacts', { personId: p.id, caseId, lastExposureOn: '2020-02-10' })));
    expect(res.map((r) => r.statusCode).sort()).toEqual([200, 200, 201]);
    expect(new Set(res.map((r) => r.json().contact.id)).size).toBe(1);
    const rows = await t.ctx.db.selectFrom('contacts').select('id').where('person_id', '=', p.id).execute();
    expect(rows).toHaveLength(1);
  });

  it('refuses a secondary contact down the chain of an excluded case (409, nothing written), like the case itself', async () => {
    const today = '2020-02-20';
    const cp = await person({ name: '郑疑似' });
    const suspect = (await registerCase(t.ctx, cmd, { personId: cp.id, status: 'suspected', effectiveOn: '2020-02-10', hospitalised: false,
      classification: 'local', reason: '发热' }, '2020-02-10')).id;
    const first = (await createContacts(t.ctx, cmd, [{ personId: (await person()).id, source: { caseId: suspect }, lastExposureOn: '2020-02-09' }], undefined, '2020-02-10')).created[0]!;
    await changeCaseStatus(t.ctx, cmd, suspect, { status: 'excluded', effectiveOn: '2020-02-12', reason: '两次核酸阴性' }, '2020-02-12');
    const q = await person();
    expect(await refusal(createContacts(t.ctx, cmd, [{ personId: q.id, source: { caseId: suspect }, lastExposureOn: '2020-02-11' }], undefined, today)))
      .toBe('409 source_case_excluded');
    expect(await refusal(createContacts(t.ctx, cmd, [{ personId: q.id, source: { contactId: first.id }, lastExposureOn: '2020-02-11' }], undefined, today)))
      .toBe('409 source_case_excluded');
    expect(await t.ctx.db.selectFrom('contacts').select('id').where('person_id', '=', q.id).execute()).toEqual([]);
    expect(await statusOf(q.id)).toBe('normal');
  });

  it('an input change drops an override that shortened the observation: a correction, a symptom day, a new exposure', async () => {
    const c = await contactOf('2020-02-10', '2020-02-11');
    await overrideEnd(t.ctx, cmd, c.id, { endOn: '2020-02-15', reason: '专家组意见提前结束' }, '2020-02-12');
    // the exposure moves two days later: the end follows it (02-26), the shortening is gone and says so
    const en = await t.app.inject({ method: 'POST', url: `/api/contacts/${c.id}/exposure`, headers: { cookie: cookies.cmd, 'accept-language': 'en' },
      payload: { lastExposureOn: '2020-02-12', reason: 'moved' } });
    expect(en.statusCode).toBe(200);
    expect([en.json().contact.endOn, en.json().contact.overridden]).toEqual(['2020-02-26', false]);
    const row = await t.ctx.db.selectFrom('contacts').select(['last_exposure_on', 'end_on', 'override_end_on']).where('id', '=', c.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ last_exposure_on: '2020-02-12', end_on: '2020-02-26', override_end_on: null });
    const ev1 = await t.ctx.db.selectFrom('contact_events').select(['kind', 'detail']).where('contact_id', '=', c.id).orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
    expect([ev1.kind, typeof ev1.detail === 'string' ? JSON.parse(ev1.detail) : ev1.detail])
      .toEqual(['exposure_corrected', expect.objectContaining({ to: '2020-02-12', overrideDropped: '2020-02-15' })]);
    // a symptom day after a new shortening drops it as well
    await overrideEnd(t.ctx, cmd, c.id, { endOn: '2020-02-20', reason: '专家组意见提前结束' }, '2020-02-17');
    const ok = await recordSymptoms(t.ctx, cmd, c.id, { on: '2020-02-17', reason: '发热' }, '2020-02-17');
    expect([ok.endOn, ok.overridden]).toEqual(['2020-03-02', false]);

    // the same person exposed again to the same case (a later trace): the 14 days restart, the old override is dropped
    await overrideEnd(t.ctx, cmd, c.id, { endOn: '2020-02-25', reason: '专家组意见提前结束' }, '2020-02-18');
    const again = await createContacts(t.ctx, cmd, [{ personId: ok.personId, source: { caseId }, lastExposureOn: '2020-02-18' }], undefined, '2020-02-19');
    expect(again.existing.map((x) => [x.lastExposureOn, x.endOn, x.overridden])).toEqual([['2020-02-18', '2020-03-03', false]]);
    const ev = await t.ctx.db.selectFrom('contact_events').select(['kind', 'detail']).where('contact_id', '=', c.id).orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
    expect([ev.kind, typeof ev.detail === 'string' ? JSON.parse(ev.detail) : ev.detail])
      .toEqual(['exposure_corrected', expect.objectContaining({ to: '2020-02-18', overrideDropped: '2020-02-25' })]);
    // an override that extends beyond the new computed end stays
    const d = await contactOf('2020-02-10', '2020-02-11');
    await overrideEnd(t.ctx, cmd, d.id, { endOn: '2020-03-20', reason: '延长观察' }, '2020-02-12');
    const later = await createContacts(t.ctx, cmd, [{ personId: d.personId, source: { caseId }, lastExposureOn: '2020-02-14' }], undefined, '2020-02-15');
    expect(later.existing.map((x) => [x.endOn, x.computedEndOn, x.overridden])).toEqual([['2020-03-20', '2020-02-28', true]]);
  });

  it('refuses a lone surrogate or a control character in a reason or note with 400; nothing changes', async () => {
    const c = await contactOf(addDays(chinaDate(), -3), chinaDate());
    for (const [url, body] of [[`/api/contacts/${c.id}/release`, { reason: '提前\ud800' }], [`/api/contacts/${c.id}/override/revert`, { reason: '\u0002' }],
      ['/api/contacts', { personId: (await person()).id, caseId, lastExposureOn: '2020-02-10', note: '备注\udfff' }]] as const) {
      const res = await req(url.endsWith('release') ? 'doctor' : 'cmd', 'POST', url, body);
      expect([res.statusCode, res.json().error.code], url).toEqual([400, 'invalid_input']);
    }
    const row = await t.ctx.db.selectFrom('contacts').select('released_on').where('id', '=', c.id).executeTakeFirstOrThrow();
    expect(row.released_on).toBeNull();
  });
});
