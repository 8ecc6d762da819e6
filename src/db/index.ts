/**
 * Opens the one database the server uses: PostgreSQL when DATABASE_URL is set, otherwise the
 * embedded PGlite under DATA_DIR. Same SQL, same migrations, same Kysely API for both.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { DB } from './schema';
import { pglitePool, type PipelinedStatement } from './pglite-pool';
import { startPgliteThread } from './pglite-thread';
import { preparedNameOf } from './prepared';

export type DbKind = 'pglite' | 'postgres';

export interface Database {
  kind: DbKind;
  db: Kysely<DB>;
  /**
   * Embedded database only: send one autocommit statement in the connection's turn without
   * holding the connection until it has run (pglite-pool.ts), so the database's thread has the
   * next statement waiting when it finishes one.
   */
  pipeline?: (take: () => PipelinedStatement | null) => Promise<void>;
  close(): Promise<void>;
}

/** Types parsed the same way on both drivers: int8 and numeric as JS numbers, date as 'YYYY-MM-DD'. */
const INT8 = 20;
const NUMERIC = 1700;
const DATE = 1082;
const asNumber = (v: string) => (v === null ? null : Number(v));
const asText = (v: string) => v;

/** File in DATA_DIR naming the process that has the embedded database open. */
export const LOCK_FILE = 'yiqu.lock';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The embedded database is one process's at a time (two would corrupt it): take DATA_DIR/yiqu.lock,
 * or fail naming the process that holds it. A lock left by a killed process is taken over.
 * @throws Error when another live process has the directory open.
 * @returns a function that releases the lock.
 */
export function lockDataDir(dir: string): () => void {
  const file = path.join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: 'wx' });
      return () => fs.rmSync(file, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const pid = Number(fs.readFileSync(file, 'utf8'));
      if (pid === process.pid || (Number.isInteger(pid) && pid > 0 && alive(pid)))
        throw new Error(`the database in ${dir} is in use by process ${pid}: stop the server (or that command) first`);
      fs.rmSync(file, { force: true }); // left by a process that died
    }
  }
  throw new Error(`could not lock ${file}`);
}

export { preparedStatement } from './prepared';

/** SQLSTATE of "prepared statement does not exist". */
const INVALID_SQL_STATEMENT_NAME = '26000';

/**
 * A pg client that sends registered texts (preparedStatement) as named statements. If the server
 * has forgotten one while the connection stays open (DEALLOCATE/DISCARD ALL, a pooler such as
 * PgBouncer in transaction mode handing the query to another server connection), the client's
 * note that it is parsed is dropped and the query sent once more with its text: pg would otherwise
 * never parse it again on this connection and every later use would fail.
 */
class PreparingClient extends pg.Client {
  override query(...args: unknown[]): never {
    const [text, values] = args;
    const name = typeof text === 'string' && args.length === 2 && Array.isArray(values) ? preparedNameOf(text) : undefined;
    const call = super.query as (...a: unknown[]) => Promise<unknown>;
    if (!name) return call.apply(this, args) as never;
    const parsed = (this as unknown as { connection: { parsedStatements: Record<string, string> } }).connection.parsedStatements;
    return call.call(this, { name, text, values }).catch((err: { code?: string }) => {
      if (err?.code !== INVALID_SQL_STATEMENT_NAME) throw err;
      delete parsed[name];
      return call.call(this, { name, text, values });
    }) as never;
  }
}

/**
 * Open the database.
 * @param opts.databaseUrl postgres://… for a server; absent for the embedded database.
 * @param opts.dataDir directory of the embedded database (created if missing).
 * @param opts.poolSize connections to a PostgreSQL server (default 10).
 * @param opts.log where a refused connection setting is reported (once).
 */
export async function openDatabase(opts: {
  databaseUrl?: string;
  dataDir: string;
  poolSize?: number;
  log?: { warn(obj: object, msg: string): void };
}): Promise<Database> {
  if (opts.databaseUrl) {
    pg.types.setTypeParser(INT8, asNumber);
    pg.types.setTypeParser(NUMERIC, asNumber);
    pg.types.setTypeParser(DATE, asText);
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: opts.poolSize ?? 10, Client: PreparingClient });
    pool.on('error', () => undefined); // a dropped idle connection is replaced on next use
    // Named statements (preparedStatement) are planned for each call's parameters, never from a plan
    // cached once: a plan made while a table was small stays in use as it grows (the check-in group's
    // close of stays kept a sequential scan, milliseconds a group, until statistics were renewed).
    // Unnamed statements, everything else, are planned per call anyway.
    let warned = false;
    pool.on('connect', (client) => {
      client.query('SET plan_cache_mode = force_custom_plan').catch((err: unknown) => {
        if (!warned) opts.log?.warn({ err }, 'SET plan_cache_mode refused: the check-in statement may keep a stale plan (docs/CONFIGURATION.md)');
        warned = true;
      });
    });
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    return { kind: 'postgres', db, close: () => db.destroy() };
  }
  fs.mkdirSync(opts.dataDir, { recursive: true });
  const unlock = lockDataDir(opts.dataDir);
  let lite;
  try {
    lite = await startPgliteThread(opts.dataDir, { [INT8]: 'number', [NUMERIC]: 'number', [DATE]: 'text' });
  } catch (err) {
    unlock();
    throw err;
  }
  const pool = pglitePool(lite);
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool: pool as never }) });
  let closing: Promise<void> | undefined;
  return {
    kind: 'pglite',
    db,
    pipeline: pool.pipeline,
    // once: a second call must not remove a lock another process may have taken since
    close: () => (closing ??= (async () => {
      await db.destroy();
      await lite.close();
      unlock();
    })()),
  };
}
