/**
 * Retention of what the community records during a measure (Standards: "retention limits enforced
 * by code, not by promise"; the check-in rule of SPEC S1 carried over). MEASURE_RETENTION_DAYS
 * (default 28) after a measure ends:
 * - a key person's observation reports (twice-daily temperature and symptoms) are deleted once the
 *   key person has been closed that long (`closed_on` before the cutoff day);
 * - door-sensor events older than the cutoff are deleted, except those of a sensor still bound and
 *   serving an open key person (its own or its household's, as ingest.ts finds it): events stay
 *   while the isolation they watch lasts;
 * - an arrival report whose measure ended that long ago (or, with no measure, whose arrival day is
 *   that old), and whose key person is closed, loses its travel details: origin, route and
 *   transport. Its dates and measure stay: the certificate's residence rule counts from the latest
 *   arrival (certificates/eligibility.ts), and without it a returnee could no longer apply.
 * The key person, its team and tasks stay (the record that the measure happened and who did what).
 * Day boundaries are China dates (src/lib/time.ts). Runs as the job `measures.retention` and in
 * `npx yiqu purge`; the counts are logged.
 */
import { sql } from 'kysely';
import type { AppContext } from '../../context';
import { addDays, chinaDate } from '../../lib/time';

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
 * Delete and redact the records of measures ended more than MEASURE_RETENTION_DAYS before `now`
 * (China days). Idempotent: a second run at the same instant changes nothing.
 * @returns the counts, and the cutoff day.
 */
export async function purgeMeasureRecords(ctx: AppContext, now = new Date()): Promise<MeasurePurgeCounts> {
  const cutoffOn = addDays(chinaDate(now), -ctx.config.MEASURE_RETENTION_DAYS);
  const cutoffAt = new Date(now.getTime() - ctx.config.MEASURE_RETENTION_DAYS * 86_400_000);
  const observationReports = await inBatches(async () => Number((await ctx.db.deleteFrom('observation_reports').where('id', 'in', (eb) =>
    eb.selectFrom('observation_reports as r').innerJoin('key_persons as k', 'k.id', 'r.key_person_id').select('r.id')
      .where('k.closed_on', '<', cutoffOn).limit(PURGE_BATCH)).executeTakeFirst()).numDeletedRows));
  const doorEvents = await inBatches(async () => Number((await ctx.db.deleteFrom('door_events').where('id', 'in', (eb) =>
    eb.selectFrom('door_events as e').innerJoin('door_sensors as s', 's.id', 'e.sensor_id').select('e.id')
      .where('e.at', '<', cutoffAt)
      .where(sql<boolean>`NOT (s.unbound_at IS NULL AND EXISTS (SELECT 1 FROM key_persons k WHERE k.closed_on IS NULL
        AND (k.id = s.key_person_id OR k.household_id = s.household_id)))`)
      .limit(PURGE_BATCH)).executeTakeFirst()).numDeletedRows));
  const arrivals = await inBatches(async () => Number((await ctx.db.updateTable('arrival_reports')
    .set({ origin_code: null, origin_text: PURGED_ORIGIN, route: '', transport: '', details_purged_at: now })
    .where('id', 'in', (eb) => eb.selectFrom('arrival_reports as r').select('r.id')
      .where('r.details_purged_at', 'is', null)
      .where(sql<boolean>`coalesce(r.measure_until, r.arrival_on) < ${cutoffOn}`)
      .where(sql<boolean>`NOT EXISTS (SELECT 1 FROM key_persons k WHERE k.source_kind = 'arrival' AND k.source_id = r.id
        AND (k.closed_on IS NULL OR k.closed_on >= ${cutoffOn}))`)
      .limit(PURGE_BATCH)).executeTakeFirst()).numUpdatedRows));
  const counts = { observationReports, doorEvents, arrivals, cutoffOn };
  ctx.log[observationReports + doorEvents + arrivals ? 'info' : 'debug'](counts, 'measure records past retention purged');
  return counts;
}

/** The scheduled job (registered by ./routes.ts). */
export const MEASURE_RETENTION_JOB = {
  name: 'measures.retention',
  run: (ctx: AppContext, now: Date) => purgeMeasureRecords(ctx, now).then(() => undefined),
};
