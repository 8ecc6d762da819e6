/**
 * Retention of measure records (./retention.ts): observation reports of key persons closed more
 * than MEASURE_RETENTION_DAYS ago go, door events older than that go unless their sensor still
 * watches an open key person, and old arrivals lose origin, route and transport but keep the dates
 * the certificate's residence rule reads. Everything recent or still in force stays; a second run
 * changes nothing; the console's read of a purged arrival says so.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app';
import { buildPerson } from '../../../test/helpers/factories/persons';
import { buildStaff, signInAs } from '../../../test/helpers/factories/staff';
import { addDays, chinaDate, chinaDayStart } from '../../lib/time';
import { PURGED_ORIGIN, purgeMeasureRecords } from './retention';

const COMMUNITY = '410811001001';
const DAY = 86_400_000;

describe('retention of measure records', () => {
  let t: TestApp;
  let days = 0;
  const now = new Date();
  const today = chinaDate(now);
  beforeAll(async () => {
    t = await createTestApp();
    days = t.ctx.config.MEASURE_RETENTION_DAYS;
  });
  afterAll(async () => { await t?.close(); });

  const household = async (room: string) => (await t.ctx.db.insertInto('households')
    .values({ community_code: COMMUNITY, room }).returning('id').executeTakeFirstOrThrow()).id;

  /**
   * A key person of a new person, begun `startDaysAgo` days ago and closed `closedDaysAgo` days ago
   * (null: still open), with one observation report on its first day.
   */
  const keyPerson = async (label: string, closedDaysAgo: number | null,
    extra: { householdId?: string; arrivalId?: string; personId?: string; startDaysAgo?: number; contactId?: string } = {}) => {
    const personId = extra.personId ?? (await buildPerson(t.ctx, { name: label, homeCommunityCode: COMMUNITY })).id;
    const closedOn = closedDaysAgo === null ? null : addDays(today, -closedDaysAgo);
    const startOn = addDays(today, -(extra.startDaysAgo ?? (closedDaysAgo ?? 0) + 14));
    const kp = await t.ctx.db.insertInto('key_persons').values({
      person_id: personId, community_code: COMMUNITY, category: extra.contactId ? 'close_contact' : 'home_isolation',
      measure: extra.contactId ? 'medical_observation' : 'home_isolation', start_on: startOn, end_on: closedOn, closed_on: closedOn,
      close_reason: closedOn && 'released', source_kind: extra.arrivalId ? 'arrival' : extra.contactId ? 'contact' : 'manual',
      source_id: extra.arrivalId ?? extra.contactId ?? null, household_id: extra.householdId ?? null,
    }).returning('id').executeTakeFirstOrThrow();
    const report = await t.ctx.db.insertInto('observation_reports').values({
      key_person_id: kp.id, report_on: startOn, slot: 'am', temperature: 36.6, source: 'self',
    }).returning('id').executeTakeFirstOrThrow();
    return { personId, keyPersonId: kp.id, reportId: report.id };
  };
  const reportExists = async (id: string) => Boolean(await t.ctx.db.selectFrom('observation_reports').select('id').where('id', '=', id).executeTakeFirst());

  /** A close contact of a new case, released `releasedDaysAgo` days ago (null: under observation), with its key person and report. */
  const contactKeyPerson = async (label: string, releasedDaysAgo: number | null) => {
    const staff = await buildStaff(t.ctx, { role: 'district_command', areaCode: '410811' });
    const casePerson = await buildPerson(t.ctx, { name: `${label}病例`, homeCommunityCode: COMMUNITY });
    const c = await t.ctx.db.insertInto('cases').values({
      number: `R-${label}`, person_id: casePerson.id, community_code: COMMUNITY, status: 'confirmed', hospitalised: true,
      classification: 'local', created_by: staff.id,
    }).returning('id').executeTakeFirstOrThrow();
    const p = await buildPerson(t.ctx, { name: label, homeCommunityCode: COMMUNITY });
    const exposed = addDays(today, -((releasedDaysAgo ?? 0) + 14));
    const releasedOn = releasedDaysAgo === null ? null : addDays(today, -releasedDaysAgo);
    const contact = await t.ctx.db.insertInto('contacts').values({
      person_id: p.id, community_code: COMMUNITY, kind: 'close', source_case_id: c.id, case_id: c.id, last_exposure_on: exposed,
      computed_end_on: addDays(exposed, 14), end_on: addDays(exposed, 14), traced_on: exposed, released_on: releasedOn,
      released_by: releasedOn && staff.id, release_reason: releasedOn && '期满', created_by: staff.id,
    }).returning('id').executeTakeFirstOrThrow();
    return keyPerson(label, null, { personId: p.id, contactId: contact.id, startDaysAgo: (releasedDaysAgo ?? 0) + 14 });
  };

  /** A sensor on `householdId` (bound to `keyPersonId`), unbound when asked, with one event at `at`. */
  const sensorEvent = async (device: string, householdId: string, at: Date, opts: { keyPersonId?: string; unbound?: boolean } = {}) => {
    const s = await t.ctx.db.insertInto('door_sensors').values({
      device, household_id: householdId, key_person_id: opts.keyPersonId ?? null, unbound_at: opts.unbound ? now : null,
    }).returning('id').executeTakeFirstOrThrow();
    const e = await t.ctx.db.insertInto('door_events').values({ sensor_id: s.id, at, contact: true }).returning('id').executeTakeFirstOrThrow();
    return Number(e.id);
  };
  const daysAgo = (n: number) => new Date(now.getTime() - n * DAY);
  const eventExists = async (id: number) => Boolean(await t.ctx.db.selectFrom('door_events').select('id').where('id', '=', id).executeTakeFirst());

  /** An arrival `arrivedDaysAgo` days ago with a `measureDays`-day measure (0: none). */
  const arrival = async (label: string, arrivedDaysAgo: number, measureDays: number) => {
    const p = await buildPerson(t.ctx, { name: label, homeCommunityCode: COMMUNITY });
    const arrivalOn = addDays(today, -arrivedDaysAgo);
    const r = await t.ctx.db.insertInto('arrival_reports').values({
      person_id: p.id, community_code: COMMUNITY, origin_code: '4201', origin_text: '湖北武汉', route: '武汉—焦作', transport: 'G1234',
      circumstance: 'home', arrival_on: arrivalOn, reported_via: 'self', measure: measureDays ? 'home_isolation' : 'none',
      measure_days: measureDays, measure_until: measureDays ? addDays(arrivalOn, measureDays) : null,
    }).returning('id').executeTakeFirstOrThrow();
    return { personId: p.id, arrivalId: r.id, arrivalOn };
  };
  const arrivalRow = (id: string) => t.ctx.db.selectFrom('arrival_reports').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  it('deletes and redacts only what ended more than MEASURE_RETENTION_DAYS ago', async () => {
    const cutoffOn = addDays(today, -days);
    const oldKp = await keyPerson('旧隔离', days + 1);
    const edgeKp = await keyPerson('刚满期', days);
    const openKp = await keyPerson('仍隔离', null);
    // a contact's key person is never closed: its measure ends with the contact's release
    const releasedLongAgo = await contactKeyPerson('早解除', days + 1);
    const releasedRecently = await contactKeyPerson('近解除', days - 1);
    const underObservation = await contactKeyPerson('观察中', null);

    // door events: kept while a key person their sensor watched is in force, and as long after
    const hhOpen = await household('101');
    const watching = await keyPerson('门磁在用', null, { householdId: hhOpen, startDaysAgo: days + 10 });
    const ev = {
      watched: await sensorEvent('open-kp', hhOpen, daysAgo(days + 5), { keyPersonId: watching.keyPersonId }),
      replacedSensor: await sensorEvent('open-kp-old-sensor', hhOpen, daysAgo(days + 5), { keyPersonId: watching.keyPersonId, unbound: true }),
      beforeTheMeasure: await sensorEvent('open-kp-early', hhOpen, daysAgo(days + 20), { keyPersonId: watching.keyPersonId }),
    };
    const hhJustClosed = await household('102');
    const justClosed = await keyPerson('昨日解除', 1, { householdId: hhJustClosed, startDaysAgo: days + 10 });
    const evJustClosed = await sensorEvent('closed-yesterday', hhJustClosed, daysAgo(days + 5), { keyPersonId: justClosed.keyPersonId, unbound: true });
    const hhLongClosed = await household('103');
    const longClosed = await keyPerson('早已解除', days + 1, { householdId: hhLongClosed, startDaysAgo: days + 20 });
    const evLongClosed = await sensorEvent('closed-long-ago', hhLongClosed, daysAgo(days + 5), { keyPersonId: longClosed.keyPersonId });
    // no key person at all: China days decide (the cutoff day is kept whole)
    const hhNone = await household('104');
    const evFirstKeptDay = await sensorEvent('none-kept', hhNone, new Date(chinaDayStart(cutoffOn).getTime() + 30 * 60_000), { unbound: true });
    const evLastGoneDay = await sensorEvent('none-gone', hhNone, new Date(chinaDayStart(cutoffOn).getTime() - 30 * 60_000), { unbound: true });

    const oldArrival = await arrival('旧返乡', days + 20, 14);
    const oldNoMeasure = await arrival('旧无措施', days + 1, 0);
    const recentEnd = await arrival('近期结束', days + 10, 14);
    const stillFollowed = await arrival('仍在管控', days + 20, 14);
    await keyPerson('仍在管控', null, { arrivalId: stillFollowed.arrivalId, personId: stillFollowed.personId });

    const r = await purgeMeasureRecords(t.ctx, now);
    expect(r).toEqual({ observationReports: 3, doorEvents: 3, arrivals: 2, cutoffOn });

    for (const gone of [oldKp, releasedLongAgo, longClosed]) expect(await reportExists(gone.reportId)).toBe(false);
    for (const kept of [edgeKp, openKp, releasedRecently, underObservation, watching, justClosed]) expect(await reportExists(kept.reportId)).toBe(true);
    for (const kept of [ev.watched, ev.replacedSensor, evJustClosed, evFirstKeptDay]) expect(await eventExists(kept)).toBe(true);
    for (const gone of [ev.beforeTheMeasure, evLongClosed, evLastGoneDay]) expect(await eventExists(gone)).toBe(false);
    // the key persons themselves stay: the record that the measure happened
    expect(await t.ctx.db.selectFrom('key_persons').select('id').where('id', '=', oldKp.keyPersonId).executeTakeFirst()).toBeTruthy();

    for (const a of [oldArrival, oldNoMeasure]) {
      const row = await arrivalRow(a.arrivalId);
      expect(row).toMatchObject({ origin_code: null, origin_text: PURGED_ORIGIN, route: '', transport: '', arrival_on: a.arrivalOn });
      expect(row.details_purged_at).toBeInstanceOf(Date);
    }
    expect(await arrivalRow(oldArrival.arrivalId)).toMatchObject({ measure: 'home_isolation', measure_days: 14 });
    for (const a of [recentEnd, stillFollowed]) {
      expect(await arrivalRow(a.arrivalId)).toMatchObject({ origin_code: '4201', origin_text: '湖北武汉', route: '武汉—焦作', transport: 'G1234', details_purged_at: null });
    }

    // a second run at the same instant finds nothing more
    expect(await purgeMeasureRecords(t.ctx, now)).toEqual({ observationReports: 0, doorEvents: 0, arrivals: 0, cutoffOn });

    // the console reads a purged arrival with the date its details went
    const city = await buildStaff(t.ctx, { role: 'city_command', areaCode: '4108' });
    const res = await t.app.inject({ method: 'GET', url: `/api/arrivals/${oldArrival.arrivalId}`, headers: { cookie: await signInAs(t, city) } });
    expect(res.statusCode).toBe(200);
    expect(res.json().arrival).toMatchObject({ originText: PURGED_ORIGIN, route: '', detailsPurgedAt: now.toISOString(), arrivalOn: oldArrival.arrivalOn });
    // the same trip reported again is still refused as a double, though its origin is gone
    const worker = await buildStaff(t.ctx, { role: 'community_worker', areaCode: COMMUNITY });
    const again = await t.app.inject({ method: 'POST', url: '/api/arrivals', headers: { cookie: await signInAs(t, worker) }, payload: {
      personId: oldArrival.personId, communityCode: COMMUNITY, originCode: '4201', originText: '湖北武汉', circumstance: 'home', arrivalOn: oldArrival.arrivalOn,
    } });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('arrival_exists');
  });

  it('runs as a scheduled job, at most once an hour', async () => {
    const { JOBS } = await import('../system/jobs');
    const job = JOBS.find((j) => j.name === 'measures.retention')!;
    expect(job).toBeDefined();
    const later = new Date(now.getTime() + 200 * DAY);
    const hh = await household('201');
    const gone = await sensorEvent('job-1', hh, daysAgo(days + 1), { unbound: true });
    await job.run(t.ctx, later);
    expect(await eventExists(gone)).toBe(false);
    const next = await sensorEvent('job-2', hh, daysAgo(days + 1), { unbound: true });
    await job.run(t.ctx, new Date(later.getTime() + 59 * 60_000)); // within the hour: skipped
    expect(await eventExists(next)).toBe(true);
    await job.run(t.ctx, new Date(later.getTime() + 61 * 60_000));
    expect(await eventExists(next)).toBe(false);
  });
});
