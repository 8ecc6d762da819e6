import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from './index';
import { preparedStatement } from './prepared';
import { startPgliteThread } from './pglite-thread';

// The embedded database on its own thread (pglite-thread.ts, pglite-worker.mjs) and the pool's
// pipelined statements (pglite-pool.ts). One fresh data directory for the file (initdb, ~5 s).
describe('embedded database thread', () => {
  let dir: string;
  let d: Database;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yiqu-thread-'));
    d = await openDatabase({ dataDir: dir });
    await sql`CREATE TABLE t (id int PRIMARY KEY, n int8, x numeric, day date, at timestamptz, doc jsonb)`.execute(d.db);
  });
  afterAll(async () => {
    await d?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('returns rows read the same way as on a server, and errors with their PostgreSQL fields', async () => {
    const at = new Date('2026-11-30T16:00:00.123Z');
    await d.db.insertInto('t' as never).values({ id: 1, n: 2 ** 40, x: '36.5', day: '2026-12-01', at, doc: JSON.stringify({ 名: '𠈌' }) } as never).execute();
    const rows = await sql<Record<string, unknown>>`SELECT * FROM t`.execute(d.db);
    expect(rows.rows).toEqual([{ id: 1, n: 2 ** 40, x: 36.5, day: '2026-12-01', at, doc: { 名: '𠈌' } }]);
    const err = await sql`INSERT INTO t (id) VALUES (1)`.execute(d.db).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err).toMatchObject({ code: '23505', constraint: 't_pkey', table: 't' });
    // a parameter that cannot be sent to the thread is refused, and the next statement still runs
    await expect(sql`SELECT ${Symbol('not cloneable') as never}`.execute(d.db)).rejects.toThrow();
    expect((await sql<{ one: number }>`SELECT 1 AS one`.execute(d.db)).rows).toEqual([{ one: 1 }]);
  });

  it('sends a pipelined statement only in its turn: never inside another caller\'s open transaction', async () => {
    let sent!: Promise<void>;
    const rolledBack = d.db.transaction().execute(async (trx) => {
      await sql`INSERT INTO t (id) VALUES (10)`.execute(trx);
      sent = d.pipeline!(() => ({ sql: 'INSERT INTO t (id) VALUES ($1)', params: [11] }));
      await new Promise((r) => setTimeout(r, 50)); // the pipelined insert waits for the turn meanwhile
      throw new Error('roll back');
    }).catch((e: Error) => e.message);
    expect(await rolledBack).toBe('roll back');
    await sent;
    const ids = await sql<{ id: number }>`SELECT id FROM t WHERE id >= 10 ORDER BY id`.execute(d.db);
    expect(ids.rows.map((r) => r.id)).toEqual([11]);
  });

  it('resolves a pipelined statement once it has run, rejects it with its error, and sends nothing for null', async () => {
    await d.pipeline!(() => ({ sql: 'INSERT INTO t (id) VALUES ($1)', params: [20] }));
    expect((await sql<{ c: number }>`SELECT count(*)::int AS c FROM t WHERE id = 20`.execute(d.db)).rows[0]!.c).toBe(1);
    await expect(d.pipeline!(() => ({ sql: 'INSERT INTO t (id) VALUES ($1)', params: [20] }))).rejects.toMatchObject({ code: '23505' });
    await expect(d.pipeline!(() => null)).resolves.toBeUndefined();
  });

  it('runs a named statement, recovering from its errors and from a session that forgot it', async () => {
    await sql`CREATE TABLE g (k int, note text)`.execute(d.db);
    await sql`INSERT INTO g VALUES (1, '')`.execute(d.db);
    const text = preparedStatement('upd', 'UPDATE g SET note = note || $2 WHERE k = $1');
    const run = (params: unknown[]) => d.pipeline!(() => ({ sql: text, params }));
    await run([1, 'a']);
    await expect(run(['x', 'b'])).rejects.toMatchObject({ code: '22P02' }); // the caller's error
    await run([1, 'c']);
    await sql`DEALLOCATE ALL`.execute(d.db);
    await run([1, 'd']);
    expect((await sql<{ note: string }>`SELECT note FROM g WHERE k = 1`.execute(d.db)).rows).toEqual([{ note: 'acd' }]);
    // parameters go as text: arrays as literals whose elements keep commas, quotes, backslashes and nulls
    const odd = ['a,b', 'say "hi"', 'back\\slash', null, '{x}', '𠈌', 'NULL'];
    await d.pipeline!(() => ({ sql: preparedStatement('arr', 'INSERT INTO g (k, note) SELECT 0, u FROM unnest($1::text[]) u'), params: [odd] }));
    const stored = (await sql<{ note: string | null }>`SELECT note FROM g WHERE k = 0`.execute(d.db)).rows.map((r) => r.note);
    expect(stored.sort()).toEqual([...odd].sort());
  });

  it('parses a named statement again after its runs, so a plan made for a small table does not outlive its growth', async () => {
    const lite = await startPgliteThread(path.join(dir, 'reparse'), {}, 10);
    try {
      await lite.exec(`CREATE TABLE h (k int, note text); CREATE INDEX h_k ON h (k);
        INSERT INTO h SELECT i, '' FROM generate_series(1, 10) i; ANALYZE h;`);
      const text = 'UPDATE h SET note = $2 WHERE k = $1';
      const runs = async (n: number) => { for (let i = 0; i < n; i++) await lite.queryPrepared('upd', text, [1, String(i)]); };
      const plan = async () => (await lite.query("EXPLAIN EXECUTE upd(1, '')", [])).rows.map((r) => r['QUERY PLAN']).join('\n');
      const generic = async () => Number((await lite.query("SELECT generic_plans AS n FROM pg_prepared_statements WHERE name = 'upd'", [])).rows[0]!.n);
      await runs(7); // five plans for their parameters, then one for all (PostgreSQL's choice)
      expect(await generic()).toBeGreaterThan(0);
      expect(await plan()).toMatch(/Seq Scan on h/); // made for ten rows
      await lite.exec(`INSERT INTO h SELECT i, '' FROM generate_series(11, 100000) i`);
      expect(await plan()).toMatch(/Seq Scan on h/); // kept as the table grew
      await runs(3 + 7); // the tenth run ends it; parsed again, planned as the table is now
      expect(await generic()).toBeGreaterThan(0);
      expect(await plan()).toMatch(/Index Scan using h_k on h|Bitmap Index Scan on h_k/);
      expect(await lite.queryPrepared('upd', text, [1, 'x'])).toMatchObject({ rows: [], affectedRows: 1 });
    } finally {
      await lite.close();
    }
  });

  it('lets a process end while the database is idle, but not while a statement is running', async () => {
    const child = path.resolve('test/helpers/open-and-exit.ts');
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', child, path.join(dir, 'child-db')], { timeout: 60_000 });
    expect(stdout.trim()).toBe('done');
  });

  it('ends the process when the database\'s thread dies while open', async () => {
    const child = path.resolve('test/helpers/open-and-exit.ts');
    const run = promisify(execFile)(process.execPath, ['--import', 'tsx', child, path.join(dir, 'child-db-2'), 'kill-thread'], { timeout: 60_000 });
    const err = await run.then(() => null, (e: { code: number; stdout: string; stderr: string }) => e);
    expect(err).not.toBeNull();
    expect(err!.code).toBe(1);
    expect(err!.stdout.trim()).toBe('done');
    expect(err!.stderr).toContain("the embedded database's thread stopped");
  });

  it('closes once however often close is called: a later owner keeps its lock', async () => {
    const other = await openDatabase({ dataDir: path.join(dir, 'closing') });
    await sql`SELECT 1`.execute(other.db);
    await Promise.all([other.close(), other.close()]);
    await other.close();
    expect(fs.existsSync(path.join(dir, 'closing', 'yiqu.lock'))).toBe(false);
    const again = await openDatabase({ dataDir: path.join(dir, 'closing') }); // a later owner's lock
    await other.close();
    expect(fs.existsSync(path.join(dir, 'closing', 'yiqu.lock'))).toBe(true);
    await again.close();
  });
});
