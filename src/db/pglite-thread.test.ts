import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from './index';

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
