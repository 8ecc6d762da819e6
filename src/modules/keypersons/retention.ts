/**
 * Retention of what the community records during a measure (Standards: "retention limits enforced
 * by code, not by promise"; the check-in rule of SPEC S1 carried over). A key person's measure
 * ends on its `closed_on`, or, for a contact under observation (source `contact`, never closed
 * here), on its contact's `released_on`; until then it is open. MEASURE_RETENTION_DAYS (default 28)
 * China days after a measure ends:
 * - its observation reports (twice-daily temperature and symptoms) are deleted;
 * - door-sensor events are deleted once they are older than that and no key person their sensor
 *   watched (its own, or one of its household, as ingest.ts finds them; begun by the event's day)
 *   is open or ended less than that ago: events stay while the isolation they watch lasts and as
 *   long after it as its reports, even when the sensor was replaced or unbound;
 * - an arrival report whose measure ended that long ago (or, with no measure, whose arrival day is
 *   that old), and whose key persons ended that long ago, loses its travel details: origin, route
 *   and transport. Its dates and measure stay: the certificate's residence rule counts from the
 *   latest arrival (certificates/eligibility.ts), and without it a returnee could no longer apply.
 * The key person, its team and tasks stay (the record that the measure happened and who did what).
 * Runs as the job `measures.retention` and in `npx yiqu purge`; the counts are logged.
 */
import { sql } from 'kysely';
import type { AppContext } from '../../context';
import { addDays, chinaDate, chinaDayStart } from '../../lib/time';

/** Rows deleted per statement: a backlog goes in batches, each its own short transaction. */
export const PURGE_BATCH = 5000;

/** The text an arrival's origin reads once its details are purged (origin_text may not be empty). */
export const PURGED_ORIGIN = '—';

export interface MeasurePurgeCounts {
  observationReports: number;
  doorEvents: number;
  arrivals: number;
  /** First China day still kept whole ('YYYY-MM-DD'): records of measures ended before it went. */
  cutoffOn: string;
}

/** Run `step` (one batch; returns rows affected) until a batch comes back short. */
async function inBatches(step: () => Promise<number>): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await step();
    total += n;
    if (n < PURGE_BATCH) return total;
  }
}

/**
 * Delete and redact the records of measures ended more than MEASURE_RETENTION_DAYS China days
 * before `now` (header). Idempotent: a second run at the same instant changes nothing.
 * @returns the counts, and the cutoff day.
 */
export async function purgeMeasureRecords(ctx: AppContext, now = new Date()): Promise<MeasurePurgeCounts> {
  const cutoffOn = addDays(chinaDate(now), -ctx.config.MEASURE_RETENTION_DAYS);
  const cutoffAt = chinaDayStart(cutoffOn);
  /**
   * Key person `k` still counts: open, or ended on or after the cutoff day. Its end is the rule of
   * keyPersonDetail (./service.ts): `closed_on`, or for a contact's key person (never closed) the
   * contact's `released_on`; in SQL here because the purge picks rows by it.
   */
  const inForce = (k: string) => sql<boolean>`coalesce(${sql.ref(`${k}.closed_on`)}, (SELECT c.released_on FROM contacts c
    WHERE ${sql.ref(`${k}.source_kind`)} = 'contact' AND c.id = ${sql.ref(`${k}.source_id`)}), 'infinity'::date) >= ${cutoffOn}`;
  const observationReports = await inBatches(async () => Number((await ctx.db.deleteFrom('observation_reports').where('id', 'in', (eb) =>
    eb.selectFrom('observation_reports as r').innerJoin('key_persons as k', 'k.id', 'r.key_person_id').select('r.id')
      .where(({ not }) => not(inForce('k'))).limit(PURGE_BATCH)).executeTakeFirst()).numDeletedRows));
  const doorEvents = await inBatches(async () => Number((await ctx.db.deleteFrom('door_events').where('id', 'in', (eb) =>
    eb.selectFrom('door_events as e').innerJoin('door_sensors as s', 's.id', 'e.sensor_id').select('e.id')
      .where('e.at', '<', cutoffAt)
      .where(sql<boolean>`NOT EXISTS (SELECT 1 FROM key_persons k WHERE (k.id = s.key_person_id OR k.household_id = s.household_id)
        AND k.start_on <= (e.at AT TIME ZONE 'Asia/Shanghai')::date AND ${inForce('k')})`)
      .limit(PURGE_BATCH)).executeTakeFirst()).numDeletedRows));
  const arrivals = await inBatches(async () => Number((await ctx.db.updateTable('arrival_reports')
    .set({ origin_code: null, origin_text: PURGED_ORIGIN, route: '', transport: '', details_purged_at: now })
    .where('id', 'in', (eb) => eb.selectFrom('arrival_reports as r').select('r.id')
      .where('r.details_purged_at', 'is', null)
      .where(sql<boolean>`coalesce(r.measure_until, r.arrival_on) < ${cutoffOn}`)
      .where(sql<boolean>`NOT EXISTS (SELECT 1 FROM key_persons k WHERE k.source_kind = 'arrival' AND k.source_id = r.id AND ${inForce('k')})`)
      .limit(PURGE_BATCH)).executeTakeFirst()).numUpdatedRows));
  const counts = { observationReports, doorEvents, arrivals, cutoffOn };
  ctx.log[observationReports + doorEvents + arrivals ? 'info' : 'debug'](counts, 'measure records past retention purged');
  return counts;
}

/**
 * Seconds between two runs of the scheduled purge. Its cut moves by China days, and each run reads
 * every ended key person (which are never deleted): running it with the other jobs every minute
 * would hold the embedded database's one connection for nothing.
 */
export const MEASURE_PURGE_EVERY_S = 3600;
let lastRunAt = -Infinity;

/** The scheduled job (registered by ./routes.ts): at most once in MEASURE_PURGE_EVERY_S. */
export const MEASURE_RETENTION_JOB = {
  name: 'measures.retention',
  run: async (ctx: AppContext, now: Date) => {
    if (Math.abs(now.getTime() - lastRunAt) < MEASURE_PURGE_EVERY_S * 1000) return;
    lastRunAt = now.getTime();
    await purgeMeasureRecords(ctx, now);
  },
};
