/**
 * A fingerprint of the whole database for "changed nothing" checks: per table its row count and
 * (full) an MD5 of its rows (ordered), in one query. Columns that a read legitimately touches (the
 * last-seen times of sessions and devices) are left out.
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../src/db/schema';

/** Columns hashed instead of the whole row, for tables with a last-seen time. */
const STABLE_COLUMNS: Record<string, string> = { staff_sessions: 'id_hash', devices: 'id' };

export type DbState = Record<string, string>;

const queries = new WeakMap<object, { counts: string; full: string }>();

async function queryFor(db: Kysely<DB>, full: boolean): Promise<string> {
  let q = queries.get(db);
  if (q) return full ? q.full : q.counts;
  const tables = await sql<{ table_name: string }>`select table_name from information_schema.tables
    where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name`.execute(db);
  const names = tables.rows.map(({ table_name: t }) => {
    if (!/^[a-z_0-9]+$/.test(t)) throw new Error(`odd table name ${t}`);
    return t;
  });
  q = {
    counts: names.map((t) => `select '${t}' as t, count(*)::text as v from ${t} x`).join(' union all '),
    full: names.map((t) => {
      const row = STABLE_COLUMNS[t] ? `x.${STABLE_COLUMNS[t]}::text` : 'x::text';
      return `select '${t}' as t, count(*)::text || ':' || md5(coalesce(string_agg(${row}, '|' order by ${row}), '')) as v from ${t} x`;
    }).join(' union all '),
  };
  queries.set(db, q);
  return full ? q.full : q.counts;
}

/** Row count of every table, and with `full` a hash of its content too (≈ 50 ms on PGlite). */
export async function dbState(db: Kysely<DB>, full = true): Promise<DbState> {
  const rows = await sql<{ t: string; v: string }>`${sql.raw(await queryFor(db, full))}`.execute(db);
  return Object.fromEntries(rows.rows.map((r) => [r.t, r.v]));
}

/** Names of the tables whose state differs (ignoring `except`). */
export function changedTables(before: DbState, after: DbState, except: string[] = []): string[] {
  return Object.keys({ ...before, ...after }).filter((t) => !except.includes(t) && before[t] !== after[t]);
}
