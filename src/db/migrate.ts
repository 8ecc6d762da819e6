/**
 * Applies the numbered SQL files in src/db/migrations in order, each in its own transaction,
 * recording them in `schema_migrations`. The same files serve PGlite and PostgreSQL.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql, type Kysely } from 'kysely';

const DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

/** Migration files as [version, name, sql], sorted by version. */
export function listMigrations(dir = DIR): { version: number; name: string; body: string }[] {
  return fs
    .readdirSync(dir)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((f) => ({
      version: Number(f.slice(0, 4)),
      name: f.slice(5, -4),
      body: fs.readFileSync(path.join(dir, f), 'utf8'),
    }));
}

/**
 * Bring the schema up to date. Concurrent callers on PostgreSQL serialise on an advisory lock.
 * @returns the versions applied now (empty when already current).
 */
export async function migrate(db: Kysely<any>): Promise<number[]> {
  await sql`CREATE TABLE IF NOT EXISTS schema_migrations (
    version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`.execute(db);
  const applied: number[] = [];
  await db.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(727001)`.execute(trx);
    const done = new Set(
      (await sql<{ version: number }>`SELECT version FROM schema_migrations`.execute(trx)).rows.map((r) => r.version),
    );
    for (const m of listMigrations()) {
      if (done.has(m.version)) continue;
      await sql.raw(m.body).execute(trx);
      await sql`INSERT INTO schema_migrations (version, name) VALUES (${m.version}, ${m.name})`.execute(trx);
      applied.push(m.version);
    }
  });
  return applied;
}
