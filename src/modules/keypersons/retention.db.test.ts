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
import { addDays, chinaDate } from '../../lib/time';
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

  /** A key person of a new person, closed `closedDaysAgo` days ago (null: still open), with one observation report. */
  const keyPerson = async (label: string, closedDaysAgo: number | null, extra: { householdId?: string; arrivalId?: string; personId?: string } = {}) => {
    const personId = extra.personId ?? (await buildPerson(t.ctx, { name: label, homeCommunityCode: COMMUNITY })).id;
    const closedOn = closedDaysAgo === null ? null : addDays(today, -closedDaysAgo);
    const kp = await t.ctx.db.insertInto('key_persons').values({
      person_id: personId, community_code: COMMUNITY, category: 'home_isolation', measure: 'home_isolation',
      start_on: addDays(today, -(closedDaysAgo ?? 0) - 14), end_on: closedOn, closed_on: closedOn, close_reason: closedOn && 'released',
      source_kind: extra.arrivalId ? 'arrival' : 'manual', source_id: extra.arrivalId ?? null, household_id: extra.householdId ?? null,
    }).returning('id').executeTakeFirstOrThrow();
    const report = await t.ctx.db.insertInto('observation_reports').values({
      key_person_id: kp.id, report_on: addDays(today, -(closedDaysAgo ?? 0) - 1), slot: 'am', temperature: 36.6, source: 'self',
    }).returning('id').executeTakeFirstOrThrow();
    return { personId, keyPersonId: kp.id, reportId: report.id };
  };
  const reportExists = async (id: string) => Boolean(await t.ctx.db.selectFrom('observation_reports').select('id').where('id', '=', id).executeTakeFirst());

  /** A sensor on `householdId` (bound to `keyPersonId`), unbound when asked, with one event `ageDays` old. */
  const sensorEvent = async (device: string, householdId: string, ageDays: number, opts: { keyPersonId?: string; unbound?: boolean } = {}) => {
    const s = await t.ctx.db.insertInto('door_sensors').values({
      device, household_id: householdId, key_person_id: opts.keyPersonId ?? null, unbound_at: opts.unbound ? now : null,
    }).returning('id').executeTakeFirstOrThrow();
    const e = await t.ctx.db.insertInto('door_events').values({ sensor_id: s.id, at: new Date(now.getTime() - ageDays * DAY), contact: true })
      .returning('id').executeTakeFirstOrThrow();
    return Number(e.id);
  };
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
    const oldKp = await keyPerson('旧隔离', days + 1);
    const edgeKp = await keyPerson('刚满期', days);
    const openKp = await keyPerson('仍隔离', null);

    const hhOpen = await household('101');
    const watching = await keyPerson('门磁在用', null, { householdId: hhOpen });
    const eventWatching = await sensorEvent('kept-open-kp', hhOpen, days + 5, { keyPersonId: watching.keyPersonId });
    const hhClosed = await household('102');
    const released = await keyPerson('门磁已解除', 3, { householdId: hhClosed });
    const eventForgotten = await sensorEvent('bound-closed-kp', hhClosed, days + 1, { keyPersonId: released.keyPersonId });
    const eventRecent = await sensorEvent('recent', hhClosed, days - 1, { unbound: true });
    const eventUnbound = await sensorEvent('unbound-old', await household('103'), days + 1, { unbound: true });

    const oldArrival = await arrival('旧返乡', days + 20, 14);
    const oldNoMeasure = await arrival('旧无措施', days + 1, 0);
    const recentEnd = await arrival('近期结束', days + 10, 14);
    const stillFollowed = await arrival('仍在管控', days + 20, 14);
    await keyPerson('仍在管控', null, { arrivalId: stillFollowed.arrivalId, personId: stillFollowed.personId });

    const r = await purgeMeasureRecords(t.ctx, now);
    expect(r).toEqual({ observationReports: 1, doorEvents: 2, arrivals: 2, cutoffOn: addDays(today, -days) });

    expect(await reportExists(oldKp.reportId)).toBe(false);
    for (const kept of [edgeKp, openKp, watching, released]) expect(await reportExists(kept.reportId)).toBe(true);
    expect(await eventExists(eventWatching)).toBe(true);
    expect(await eventExists(eventRecent)).toBe(true);
    expect(await eventExists(eventForgotten)).toBe(false);
    expect(await eventExists(eventUnbound)).toBe(false);
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
    expect(await purgeMeasureRecords(t.ctx, now)).toEqual({ observationReports: 0, doorEvents: 0, arrivals: 0, cutoffOn: r.cutoffOn });

    // the console reads a purged arrival with the date its details went
    const city = await buildStaff(t.ctx, { role: 'city_command', areaCode: '4108' });
    const res = await t.app.inject({ method: 'GET', url: `/api/arrivals/${oldArrival.arrivalId}`, headers: { cookie: await signInAs(t, city) } });
    expect(res.statusCode).toBe(200);
    expect(res.json().arrival).toMatchObject({ originText: PURGED_ORIGIN, route: '', detailsPurgedAt: now.toISOString(), arrivalOn: oldArrival.arrivalOn });
  });

  it('runs as a scheduled job', async () => {
    const { JOBS } = await import('../system/jobs');
    expect(JOBS.map((j) => j.name)).toContain('measures.retention');
  });
});
