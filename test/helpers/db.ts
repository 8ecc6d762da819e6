/**
 * A fresh database for one test file, on the engine of the running vitest project
 * (YIQU_TEST_DB=pglite|postgres): a copy of the prepared template, so tests start in ~1 s.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import { openDatabase, type Database, type DbKind } from '../../src/db/index';

export const TEST_DB_KIND: DbKind = process.env.YIQU_TEST_DB === 'postgres' ? 'postgres' : 'pglite';

export interface TestDatabase extends Database {
  /** Where it lives, to reopen it after a simulated crash. */
  location: { dataDir: string; databaseUrl?: string };
  drop(): Promise<void>;
}

/** Open a fresh copy of the template database. */
export async function openTestDatabase(kind: DbKind = TEST_DB_KIND): Promise<TestDatabase> {
  if (kind === 'postgres') {
    const base = inject('postgresUrl');
    if (!base) throw new Error('PostgreSQL is not available for this run');
    const name = `t_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name} TEMPLATE yiqu_template`);
    await admin.end();
    const u = new URL(base);
    u.pathname = `/${name}`;
    const location = { dataDir: '', databaseUrl: u.toString() };
    const d = await openDatabase(location);
    return {
      ...d,
      location,
      async drop() {
        await d.close().catch(() => undefined);
        const a = new pg.Client({ connectionString: base });
        await a.connect();
        await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await a.end();
      },
    };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yiqu-pglite-'));
  fs.cpSync(inject('pgliteTemplate'), dir, { recursive: true });
  const location = { dataDir: dir };
  const d = await openDatabase(location);
  return {
    ...d,
    location,
    async drop() {
      await d.close().catch(() => undefined);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** True when the running project's database can be used (PostgreSQL may be missing outside CI). */
export function dbAvailable(): boolean {
  return TEST_DB_KIND === 'pglite' || Boolean(inject('postgresUrl'));
}
