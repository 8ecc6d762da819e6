import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app';
import { EMBEDDED_UPKEEP_JOB } from './upkeep';

// PGlite has no autovacuum: the upkeep job vacuums and analyzes it once a China day from
// DB_UPKEEP_HOUR (3). A PostgreSQL server does its own, and the job leaves it alone.
describe('embedded database upkeep', () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp(); });
  afterAll(async () => { await t?.close(); });

  it('runs once a China day from 03:00 China time, on the embedded database only', async () => {
    await sql`CREATE TABLE upkeep_probe AS SELECT g AS id FROM generate_series(1, 100) g`.execute(t.ctx.db);
    // the planner's row count of the table: -1 until it is analyzed
    const rows = async () => Number((await sql<{ n: number }>`SELECT reltuples::float8 AS n FROM pg_class WHERE relname = 'upkeep_probe'`.execute(t.ctx.db)).rows[0]!.n);
    const runs: string[] = [];
    const log = t.ctx.log;
    const info = log.info.bind(log);
    log.info = ((...a: unknown[]) => { if (a.includes('embedded database vacuumed and analyzed')) runs.push('ran'); return (info as (...x: unknown[]) => void)(...a); }) as typeof log.info;
    try {
      expect(await rows()).toBe(-1);
      await EMBEDDED_UPKEEP_JOB.run(t.ctx, new Date('2026-12-01T18:59:00Z')); // 02:59 on 12-02, China time
      expect(runs).toHaveLength(0);
      await EMBEDDED_UPKEEP_JOB.run(t.ctx, new Date('2026-12-01T19:00:00Z')); // 03:00
      await EMBEDDED_UPKEEP_JOB.run(t.ctx, new Date('2026-12-01T22:00:00Z')); // 06:00 the same day: not again
      const embedded = t.ctx.database.kind === 'pglite';
      expect(runs).toHaveLength(embedded ? 1 : 0);
      if (embedded) expect(await rows()).toBe(100);
      await EMBEDDED_UPKEEP_JOB.run(t.ctx, new Date('2026-12-02T19:30:00Z')); // 03:30 the next day
      expect(runs).toHaveLength(embedded ? 2 : 0);
    } finally {
      log.info = info;
      await sql`DROP TABLE upkeep_probe`.execute(t.ctx.db);
    }
  });
});
