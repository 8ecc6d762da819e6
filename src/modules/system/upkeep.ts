/**
 * Upkeep of the embedded database. PGlite runs PostgreSQL as a single-user backend, which has no
 * autovacuum: nothing else removes the dead rows that updates leave (stays closed, alerts
 * resolved, statuses changed) or gathers the planner's statistics (without them a look-up of a few
 * devices by id was planned as a read of all of device_persons: docs/STATUS.md). A PostgreSQL
 * server does both itself, so this does nothing there.
 */
import { sql } from 'kysely';
import type { AppContext } from '../../context';
import { chinaDate, chinaDateTime } from '../../lib/time';
import type { Job } from './jobs';

const lastRun = new WeakMap<AppContext, string>();

/**
 * Scheduled job: once a China day, at the first run at or after DB_UPKEEP_HOUR (China time),
 * `VACUUM (ANALYZE)` over the whole embedded database. It holds the one connection while it runs
 * (check-ins wait), hence a quiet hour: 1.2 s at 500,000 check-ins and 500,000 stays, measured in
 * session 7. A restarted server may run it a second time that day.
 */
export const EMBEDDED_UPKEEP_JOB: Job = {
  name: 'embedded-upkeep',
  async run(ctx: AppContext, now: Date) {
    if (ctx.database.kind !== 'pglite') return;
    const day = chinaDate(now);
    const hour = Number(chinaDateTime(now).slice(11, 13));
    if (lastRun.get(ctx) === day || hour < ctx.config.DB_UPKEEP_HOUR) return;
    lastRun.set(ctx, day);
    const t0 = Date.now();
    await sql`VACUUM (ANALYZE)`.execute(ctx.db);
    ctx.log.info({ ms: Date.now() - t0 }, 'embedded database vacuumed and analyzed');
  },
};
