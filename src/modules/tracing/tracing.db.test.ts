/**
 * Issue 4 §3 acceptance, tracing from check-in logs: a confirmed case with 5 visits and 200 other
 * visitors built deterministically from raw check-ins and stays; the ranked list is exactly the
 * expected set and order (figures written from the construction below), the margin is after the
 * case left only (25 min after: listed, 35 min after: not; left before it arrived: not); the stored
 * trace, its CSV export, the contacts action, the retention holds (kept by the purge, let go when
 * the case closes), scope and audit.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app';
import { buildCheckpoint, buildPlace } from '../../../test/helpers/factories/places';
import { buildPerson } from '../../../test/helpers/factories/persons';
import { buildStaff, signInAs } from '../../../test/helpers/factories/staff';
import { purgeExpired } from '../checkin/retention';
import { releaseCaseHolds } from './holds';
import { computeTrace } from './service';

const COMMUNITY = '410811001001'; // 山阳区
const MIN = 60_000;
const at = (s: string) => new Date(`${s}+08:00`);
/** The case's five visits (China time), minutes long: L = 60, 40, 90, 60, 20. */
const VISITS = [
  { s: at('2020-02-10T08:00:00'), len: 60, day: '2020-02-10' },
  { s: at('2020-02-10T12:00:00'), len: 40, day: '2020-02-10' },
  { s: at('2020-02-10T18:00:00'), len: 90, day: '2020-02-10' },
  { s: at('2020-02-11T09:00:00'), len: 60, day: '2020-02-11' },
  { s: at('2020-02-11T15:00:00'), len: 20, day: '2020-02-11' },
];
const plus = (d: Date, min: number) => new Date(d.getTime() + min * MIN);

interface Expected { personId: string; overlapMinutes: number; sharedVisits: number; firstOverlapAt: Date; lastExposureOn: string }

describe('tracing from check-in logs', () => {
  let t: TestApp;
  let cookie: string;
  let outsider: string;
  let caseId: string;
  let casePersonId: string;
  let commandId: string;
  const places: Array<{ id: string; checkpoint: string; name: string }> = [];
  let other: { id: string; checkpoint: string };
  const expected: Expected[] = [];
  const byCategory: Record<string, string[]> = {};
  let oddName = '';
  const held: { unheldStay: string; earlyStay: string } = { unheldStay: '', earlyStay: '' };

  /** Insert a closed stay with its entry and exit check-ins (raw rows, as the writer would). */
  const stays: Array<Record<string, unknown>> = [];
  const checkins: Array<Record<string, unknown>> = [];
  function addStay(personId: string, place: { id: string; checkpoint: string }, from: Date, to: Date) {
    const inId = randomUUID();
    const outId = randomUUID();
    const common = { person_id: personId, checkpoint_id: place.checkpoint, place_id: place.id, community_code: COMMUNITY, temperature: null,
      outcome: 'pass' as const, refusal: null, source: 'resident' as const, actor_id: null };
    checkins.push({ ...common, id: inId, direction: 'in', at: from }, { ...common, id: outId, direction: 'out', at: to });
    const id = randomUUID();
    stays.push({ id, person_id: personId, place_id: place.id, entered_at: from, entry_checkin_id: inId, closed_at: to, closed_by: 'exit', exit_checkin_id: outId });
    return id;
  }

  beforeAll(async () => {
    t = await createTestApp();
    const command = await buildStaff(t.ctx, { role: 'district_command', areaCode: '410811' });
    commandId = command.id;
    cookie = await signInAs(t, command);
    outsider = await signInAs(t, await buildStaff(t.ctx, { role: 'district_command', areaCode: '410802' }));
    for (let k = 0; k < 6; k += 1) {
      const p = await buildPlace(t.ctx, { communityCode: COMMUNITY, name: `场所${k + 1}`, kind: 'supermarket' });
      const { checkpoint } = await buildCheckpoint(t.ctx, p.id);
      places.push({ id: p.id, checkpoint: checkpoint.id, name: p.name });
    }
    other = places.pop()!; // a place the case never visited
    const casePerson = await buildPerson(t.ctx, { name: '王病例', homeCommunityCode: COMMUNITY });
    casePersonId = casePerson.id;
    const c = await t.ctx.db.insertInto('cases').values({
      number: '410811-T001', person_id: casePersonId, community_code: COMMUNITY, status: 'confirmed', hospitalised: true,
      onset_on: '2020-02-10', isolated_on: '2020-02-11', classification: 'local', created_by: commandId,
    }).returning('id').executeTakeFirstOrThrow();
    caseId = c.id;

    // the case: 5 visits in the window, one stay before it (not a visit), one refused entry (listed)
    VISITS.forEach((v, k) => addStay(casePersonId, places[k]!, v.s, plus(v.s, v.len)));
    addStay(casePersonId, places[0]!, at('2020-02-05T10:00:00'), at('2020-02-05T11:00:00'));
    held.earlyStay = addStay(casePersonId, places[1]!, at('2020-02-07T23:00:00'), at('2020-02-08T01:00:00')); // overlaps the window start
    checkins.push({ id: randomUUID(), person_id: casePersonId, checkpoint_id: places[2]!.checkpoint, place_id: places[2]!.id, community_code: COMMUNITY,
      temperature: 37.6, outcome: 'refused', refusal: 'fever', source: 'resident', actor_id: null, direction: 'in', at: at('2020-02-10T17:50:00') });

    // 200 visitors: k = i % 5 (which visit), j = ⌊i / 5⌋, category c = j % 8, n = ⌊j / 8⌋ (0..4)
    const names = Array.from({ length: 200 }, (_, i) => (i === 45 ? '=cmd' : `访客${i}`));
    const persons = await t.ctx.db.insertInto('persons').values(names.map((name, i) => ({
      name, doc_type: 'resident_id', doc_hash: `trace-${process.pid}-${i}-${randomUUID()}`, doc_number: `41081119900101${String(i).padStart(4, '0')}`,
      doc_masked: '410811********0000', home_community_code: COMMUNITY, registered_via: 'self' as const,
    }))).returning(['id', 'name']).execute();
    for (let i = 0; i < 200; i += 1) {
      const p = persons[i]!.id;
      const k = i % 5;
      const j = Math.floor(i / 5);
      const c8 = j % 8;
      const n = Math.floor(j / 8);
      const v = VISITS[k]!;
      const S = v.s;
      const E = plus(S, v.len);
      const place = places[k]!;
      const cat = ['leftBefore', 'inside', 'marginArrival', 'afterMargin', 'straddlesStart', 'covers', 'touchOrElsewhere', 'regular'][c8]!;
      (byCategory[cat] ??= []).push(p);
      if (names[i] === '=cmd') oddName = p;
      const expect = (overlapMinutes: number, firstOverlapAt: Date, sharedVisits = 1, day = v.day) =>
        expected.push({ personId: p, overlapMinutes, sharedVisits, firstOverlapAt, lastExposureOn: day });
      switch (cat) {
        case 'leftBefore': addStay(p, place, plus(S, -120), plus(S, -5 - n)); break; // gone before the case arrived
        case 'inside': addStay(p, place, plus(S, n), plus(S, 2 * n + 10)); expect(10 + n, plus(S, n)); break;
        case 'marginArrival': addStay(p, place, plus(E, 21 + n), plus(E, 90)); expect(9 - n, plus(E, 21 + n)); break; // 21..25 min after
        case 'afterMargin': addStay(p, place, plus(E, 31 + n), plus(E, 90)); break; // 31..35 min after: not listed
        case 'straddlesStart': addStay(p, place, plus(S, -30), plus(S, 3 + n)); expect(3 + n, S); break;
        case 'covers': addStay(p, place, plus(S, -10), plus(E, 40)); expect(v.len + 30, S); break;
        case 'touchOrElsewhere':
          if (n % 2 === 0) addStay(p, place, plus(S, -60), S); // left exactly as the case arrived
          else addStay(p, other, S, E); // same time, another place
          break;
        case 'regular': { // at visit 1 and visit 4: two shared visits
          addStay(p, places[0]!, plus(VISITS[0]!.s, 5), plus(VISITS[0]!.s, 15));
          addStay(p, places[3]!, plus(VISITS[3]!.s, 20), plus(VISITS[3]!.s, 21 + k + n));
          expect(10 + k + n + 1, plus(VISITS[0]!.s, 5), 2, '2020-02-11');
          break;
        }
      }
    }
    // not used by any trace: a stay at a visited place days before, and the case's own early stay is held by overlap
    held.unheldStay = addStay(persons[0]!.id, places[0]!, at('2020-02-01T08:00:00'), at('2020-02-01T09:00:00'));
    for (let i = 0; i < checkins.length; i += 500) await t.ctx.db.insertInto('checkins').values(checkins.slice(i, i + 500) as never).execute();
    await t.ctx.db.insertInto('stays').values(stays as never).execute();
  });
  afterAll(async () => { await t?.close(); });

  const req = (method: 'GET' | 'POST', url: string, payload?: unknown, who = cookie) =>
    t.app.inject({ method, url, headers: { cookie: who }, ...(payload ? { payload } : {}) });

  /** The expected order: overlap minutes desc, shared visits desc, earliest first overlap, person id. */
  const ranked = () => [...expected].sort((a, b) => b.overlapMinutes - a.overlapMinutes || b.sharedVisits - a.sharedVisits
    || a.firstOverlapAt.getTime() - b.firstOverlapAt.getTime() || (a.personId < b.personId ? -1 : 1));

  let traceId: string;
  let trace: any;

  it('ranks exactly the expected people in the expected order (default window: 2 days before onset to isolation day)', async () => {
    const res = await req('POST', `/api/cases/${caseId}/traces`, { reason: '确诊病例流调，排查同场所人员' });
    expect(res.statusCode, res.body).toBe(201);
    trace = res.json().trace;
    traceId = trace.id;
    expect([trace.from, trace.to, trace.marginMin]).toEqual(['2020-02-07T16:00:00.000Z', '2020-02-11T16:00:00.000Z', 30]);
    expect(expected.length).toBe(125);
    const want = ranked().map((e) => [e.personId, e.overlapMinutes, e.sharedVisits, e.firstOverlapAt.toISOString(), e.lastExposureOn]);
    const got = trace.result.candidates.map((c: any) => [c.personId, c.overlapMinutes, c.sharedVisits, c.firstOverlapAt, c.lastExposureOn]);
    expect(got).toEqual(want);
    expect(trace.result.candidates.map((c: any) => c.rank)).toEqual(want.map((_, i) => i + 1));
    expect(trace.result.totals).toEqual({ visits: 6, checkins: 12, candidates: 125, listed: 125, truncated: false });
    // the top of the list, by hand: the 'covers' visitors of visit 3 (90 + 30 min), then those of visit 1 and 4 (60 + 30)
    expect(trace.result.candidates[0]).toMatchObject({ overlapMinutes: 120, sharedVisits: 1, places: ['场所3'], alreadyContact: false });
    expect(trace.result.candidates[5].overlapMinutes).toBe(90);
  });

  it('leaves out who left before the case arrived, arrived more than 30 min after it left, or was elsewhere', () => {
    const listed = new Set(trace.result.candidates.map((c: any) => c.personId));
    for (const cat of ['leftBefore', 'afterMargin', 'touchOrElsewhere']) expect(byCategory[cat]!.filter((p) => listed.has(p)), cat).toEqual([]);
    expect(listed.has(casePersonId)).toBe(false);
    // 25 min after the case left: listed with 5 min; 35 min after: not
    const arrival25 = byCategory.marginArrival!.slice(-5); // n = 4: arrived 25 min after
    expect(arrival25.map((p) => trace.result.candidates.find((c: any) => c.personId === p)?.overlapMinutes)).toEqual([5, 5, 5, 5, 5]);
  });

  it('lists the visits (the early stay overlapping the window start too) and the check-ins in the window, refused included', () => {
    const v = trace.result.visits;
    expect(v.map((x: any) => [x.placeName, x.enteredAt])).toEqual([
      ['场所2', '2020-02-07T15:00:00.000Z'], ['场所1', '2020-02-10T00:00:00.000Z'], ['场所2', '2020-02-10T04:00:00.000Z'],
      ['场所3', '2020-02-10T10:00:00.000Z'], ['场所4', '2020-02-11T01:00:00.000Z'], ['场所5', '2020-02-11T07:00:00.000Z'],
    ]);
    expect(v.map((x: any) => x.overlaps)).toEqual([0, 45, 20, 20, 45, 20]); // 20 a visit, + 25 regulars at visits 1 and 4
    const refused = trace.result.checkins.filter((c: any) => c.outcome === 'refused');
    expect(refused).toEqual([expect.objectContaining({ placeName: '场所3', refusal: 'fever', temperature: 37.6, at: '2020-02-10T09:50:00.000Z' })]);
  });

  it('computeTrace is a pure read and honours limit and margin', async () => {
    const before = await t.ctx.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    const r = await computeTrace(t.ctx, { personId: casePersonId, from: at('2020-02-08T00:00:00'), to: at('2020-02-12T00:00:00'), marginMin: 0, limit: 10 });
    // margin 0: the margin arrivals drop out (25 rows), 100 remain
    expect([r.totals.candidates, r.candidates.length, r.totals.truncated]).toEqual([100, 10, true]);
    const after = await t.ctx.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });

  it('refuses bad input with 400 and a clear code, outsiders with 404', async () => {
    const bad = async (body: unknown) => (await req('POST', `/api/cases/${caseId}/traces`, body)).json().error.code;
    expect(await bad({ reason: '  ' })).toBe('reason_required');
    expect(await bad({ reason: '流调', from: '2020-02-12T00:00:00+08:00', to: '2020-02-10T00:00:00+08:00' })).toBe('invalid_window');
    expect(await bad({ reason: '流调', from: '2019-01-01T00:00:00+08:00', to: '2020-02-10T00:00:00+08:00' })).toBe('window_too_long');
    expect(await bad({ reason: '流调', from: 'last week' })).toBe('invalid_time');
    for (const [m, url] of [['POST', `/api/cases/${caseId}/traces`], ['GET', `/api/cases/${caseId}/traces`], ['GET', `/api/traces/${traceId}`],
      ['GET', `/api/traces/${traceId}/export`], ['POST', `/api/traces/${traceId}/contacts`]] as const) {
      const res = await req(m, url, m === 'POST' ? { reason: '越界', personIds: [oddName] } : undefined, outsider);
      expect(res.statusCode, `${m} ${url}`).toBe(404);
    }
  });

  it('exports one CSV line per candidate in rank order, formula-safe, and audits it', async () => {
    const res = await req('GET', `/api/traces/${traceId}/export`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/csv/);
    expect(res.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const lines = res.body.replace(/^\uFEFF/, '').split('\r\n').filter(Boolean);
    expect(lines.length).toBe(trace.result.candidates.length + 1);
    expect(lines[0]).toMatch(/^排名,姓名/);
    expect(lines[1]).toMatch(/^1,/);
    const odd = lines.find((l: string) => l.includes('=**d'))!;
    expect(odd).toContain(",'=**d,"); // never a formula
    const audits = await t.ctx.db.selectFrom('audit_log').selectAll().where('action', 'in', ['trace.run', 'trace.export']).orderBy('id').execute();
    expect(audits.map((a) => [a.action, a.actor_id, a.person_id, a.area_code])).toEqual([
      ['trace.run', commandId, casePersonId, COMMUNITY], ['trace.export', commandId, casePersonId, COMMUNITY],
    ]);
    expect(audits[0]!.detail).toMatchObject({ reason: '确诊病例流调，排查同场所人员', caseId, candidates: 125 });
  });

  it('lists the case traces and reads one back as stored (audited)', async () => {
    const list = await req('GET', `/api/cases/${caseId}/traces`);
    expect(list.json().traces.map((x: any) => [x.id, x.subject.maskedName, x.counts.candidates])).toEqual([[traceId, '王*例', 125]]);
    const one = await req('GET', `/api/traces/${traceId}`);
    expect(one.json().trace.result).toEqual(trace.result);
    const reads = await t.ctx.db.selectFrom('audit_log').select('action').where('action', 'in', ['trace.list', 'trace.read']).execute();
    expect(reads.map((r) => r.action).sort()).toEqual(['trace.list', 'trace.read']);
  });

  let contactId: string;
  it('turns candidates into close contacts with the exposure date of the trace; refuses non-candidates', async () => {
    const top = trace.result.candidates[0]; // a 'covers' visitor of visit 3 (2020-02-10)
    const regular = trace.result.candidates.find((c: any) => c.sharedVisits === 2); // last overlap at visit 4 (2020-02-11)
    const notListed = byCategory.afterMargin![2]!;
    const refused = await req('POST', `/api/traces/${traceId}/contacts`, { personIds: [top.personId, notListed] });
    expect([refused.statusCode, refused.json().error.code]).toEqual([400, 'not_in_trace']);
    expect((await t.ctx.db.selectFrom('contacts').select('id').execute()).length).toBe(0);

    const res = await req('POST', `/api/traces/${traceId}/contacts`, { personIds: [top.personId, regular.personId], note: '同场所停留' });
    expect(res.statusCode, res.body).toBe(200);
    const rows = await t.ctx.db.selectFrom('contacts').selectAll().orderBy('last_exposure_on').execute();
    expect(rows.map((r) => [r.person_id, r.kind, r.source_case_id, r.case_id, r.trace_id, r.last_exposure_on, r.end_on])).toEqual([
      [top.personId, 'close', caseId, caseId, traceId, '2020-02-10', '2020-02-24'],
      [regular.personId, 'close', caseId, caseId, traceId, '2020-02-11', '2020-02-25'],
    ]);
    contactId = rows[0]!.id;
    const again = await req('POST', `/api/traces/${traceId}/contacts`, { personIds: [top.personId] });
    expect([again.json().created.length, again.json().existing.map((c: any) => c.personId)]).toEqual([0, [top.personId]]);
    const audits = await t.ctx.db.selectFrom('audit_log').select(['action', 'person_id']).where('action', '=', 'trace.contacts').execute();
    expect(audits.length).toBe(2);
  });

  it('traces a contact (contacts of contacts): secondary contacts, and marks people already contacts of the case', async () => {
    const res = await req('POST', `/api/contacts/${contactId}/traces`,
      { reason: '密接者追踪', from: '2020-02-10T00:00:00+08:00', to: '2020-02-12T00:00:00+08:00', marginMin: 30 });
    expect(res.statusCode, res.body).toBe(201);
    const t2 = res.json().trace;
    expect([t2.caseId, t2.subject.contactId, t2.result.totals.visits]).toEqual([caseId, contactId, 1]);
    // the contact stayed at 场所3 from 17:50 to 20:10: the one who arrived 31 min after the case left is within its margin
    const late = byCategory.afterMargin![2]!;
    expect(t2.result.candidates.map((c: any) => c.personId)).toContain(late);
    const made = await req('POST', `/api/traces/${t2.id}/contacts`, { personIds: [late] });
    expect(made.statusCode, made.body).toBe(200);
    expect(made.json().created).toEqual([expect.objectContaining({ personId: late, kind: 'secondary', lastExposureOn: '2020-02-10' })]);
    const row = await t.ctx.db.selectFrom('contacts').selectAll().where('person_id', '=', late).executeTakeFirstOrThrow();
    expect([row.source_contact_id, row.source_case_id, row.case_id]).toEqual([contactId, null, caseId]);

    const third = (await req('POST', `/api/cases/${caseId}/traces`, { reason: '复核' })).json().trace;
    const marked = third.result.candidates.filter((c: any) => c.alreadyContact).map((c: any) => c.personId).sort();
    expect(marked).toEqual((await t.ctx.db.selectFrom('contacts').select('person_id').where('kind', '=', 'close').execute()).map((r) => r.person_id).sort());
    expect(marked.length).toBe(2);
  });

  it('holds what the trace used: the purge keeps held check-ins and stays, deletes the rest, until the case closes', async () => {
    const far = new Date('2021-06-01T00:00:00+08:00');
    const count = async (table: 'checkins' | 'stays') =>
      Number((await t.ctx.db.selectFrom(table).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
    const candidates: string[] = trace.result.candidates.map((c: any) => c.personId);
    const keptStays = async (ids: string[]) => (await t.ctx.db.selectFrom('stays').select('person_id').where('person_id', 'in', ids).execute()).length;
    const holds = await t.ctx.db.selectFrom('retention_holds').selectAll().where('trace_id', '=', traceId).execute();
    expect(holds.length).toBe(7); // 6 visits + the subject over the window
    const r = await purgeExpired(t.ctx, far);
    expect(r.stays).toBeGreaterThan(0);
    expect(r.traces).toBe(0); // held: the trace's copy of the check-ins stays with them
    // every candidate's stays (125 persons, 150 stays) and the case's window stays are kept
    expect(await keptStays(candidates)).toBe(150);
    const stayIds = (await t.ctx.db.selectFrom('stays').select('id').execute()).map((s) => s.id);
    expect(stayIds).toContain(held.earlyStay);
    expect(stayIds).not.toContain(held.unheldStay);
    // those after the case's margin are gone, but for the five the contact's trace used (at 场所3: k = 2)
    const keptLate = (await t.ctx.db.selectFrom('stays').select('person_id').where('person_id', 'in', byCategory.afterMargin!).execute()).map((r) => r.person_id);
    expect(keptLate.sort()).toEqual(byCategory.afterMargin!.filter((_, idx) => idx % 5 === 2).sort());
    const caseCheckins = await t.ctx.db.selectFrom('checkins').select('at').where('person_id', '=', casePersonId).execute();
    expect(caseCheckins.length).toBe(13); // the window's 12 (incl. the refused one) + the 02-07 23:00 entry (place hold); 02-05 gone
    expect(await count('checkins')).toBeGreaterThan(0);

    // a stay that began before a hold's range but overlapped it is kept too
    const x = byCategory.touchOrElsewhere![5]!; // n = 1: was at the other place
    const early = addStay(x, other, at('2020-03-01T08:00:00'), at('2020-03-01T10:00:00'));
    await t.ctx.db.insertInto('checkins').values(checkins.slice(-2) as never).execute();
    await t.ctx.db.insertInto('stays').values(stays.slice(-1) as never).execute();
    const manual = await t.ctx.db.insertInto('retention_holds').values({ person_id: x, from_at: at('2020-03-01T09:00:00'), to_at: at('2020-03-01T12:00:00'),
      reason: '测试' }).returning('id').executeTakeFirstOrThrow();
    await purgeExpired(t.ctx, far);
    expect((await t.ctx.db.selectFrom('stays').select('id').where('id', '=', early).execute()).length).toBe(1);
    await t.ctx.db.updateTable('retention_holds').set({ released_at: far }).where('id', '=', manual.id).execute();

    expect(await releaseCaseHolds(t.ctx.db, caseId)).toBe(16); // 7 + the contact's trace (1 visit + 1) + the second case trace 7
    const last = await purgeExpired(t.ctx, far);
    expect([await count('checkins'), await count('stays')]).toEqual([0, 0]);
    // the traces' copies of those check-ins go with them; who traced what, when and the counts stay
    const traceCount = Number((await t.ctx.db.selectFrom('traces').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
    expect(last.traces).toBe(traceCount);
    const after = (await req('GET', `/api/traces/${traceId}`)).json().trace;
    expect(after.result).toMatchObject({ visits: [], checkins: [], candidates: [], purgedAt: far.toISOString() });
    expect(after.result.totals.candidates).toBe(trace.result.totals.candidates);
    expect((await purgeExpired(t.ctx, far)).traces).toBe(0);
  });

  it('refuses window instants on days that do not exist or lie outside 2000–2099 (year 0000 was a 500), and a lone surrogate in the reason; nothing stored', async () => {
    const count = async () => Number((await t.ctx.db.selectFrom('traces').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
    const before = await count();
    const bad = async (body: Record<string, unknown>) => {
      const res = await req('POST', `/api/cases/${caseId}/traces`, { reason: '流调', ...body });
      return [res.statusCode, res.json().error?.code];
    };
    expect(await bad({ from: '0000-01-01T00:00:00Z', to: '0000-01-02T00:00:00Z' })).toEqual([400, 'invalid_time']);
    expect(await bad({ from: '9999-12-01T00:00:00Z', to: '9999-12-31T00:00:00Z' })).toEqual([400, 'invalid_time']);
    expect(await bad({ from: '2020-02-30T00:00:00+08:00', to: '2020-03-02T00:00:00+08:00' })).toEqual([400, 'invalid_time']);
    expect(await bad({ reason: '流调\ud800' })).toEqual([400, 'invalid_input']);
    expect(await bad({ reason: '\u0007' })).toEqual([400, 'invalid_input']);
    expect(await count()).toBe(before);
  });
});
