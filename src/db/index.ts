/**
 * Opens the one database the server uses: PostgreSQL when DATABASE_URL is set, otherwise the
 * embedded PGlite under DATA_DIR. Same SQL, same migrations, same Kysely API for both.
 */
import fs from 'node:fs';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import type { DB } from './schema';
import { pglitePool } from './pglite-pool';

export type DbKind = 'pglite' | 'postgres';

export interface Database {
  kind: DbKind;
  db: Kysely<DB>;
  close(): Promise<void>;
}

/** Types parsed the same way on both drivers: int8 and numeric as JS numbers, date as 'YYYY-MM-DD'. */
const INT8 = 20;
const NUMERIC = 1700;
const DATE = 1082;
const asNumber = (v: string) => (v === null ? null : Number(v));
const asText = (v: string) => v;

/**
 * Open the database.
 * @param opts.databaseUrl postgres://… for a server; absent for the embedded database.
 * @param opts.dataDir directory of the embedded database (created if missing).
 * @param opts.poolSize connections to a PostgreSQL server (default 10).
 */
export async function openDatabase(opts: {
  databaseUrl?: string;
  dataDir: string;
  poolSize?: number;
}): Promise<Database> {
  if (opts.databaseUrl) {
    pg.types.setTypeParser(INT8, asNumber);
    pg.types.setTypeParser(NUMERIC, asNumber);
    pg.types.setTypeParser(DATE, asText);
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: opts.poolSize ?? 10 });
    pool.on('error', () => undefined); // a dropped idle connection is replaced on next use
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    return { kind: 'postgres', db, close: () => db.destroy() };
  }
  fs.mkdirSync(opts.dataDir, { recursive: true });
  const lite = await PGlite.create({
    dataDir: opts.dataDir,
    parsers: { [INT8]: asNumber, [NUMERIC]: asNumber, [DATE]: asText },
  });
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool: pglitePool(lite) as never }) });
  return {
    kind: 'pglite',
    db,
    close: async () => {
      await db.destroy();
      await lite.close();
    },
  };
}
