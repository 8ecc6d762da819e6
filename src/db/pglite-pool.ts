/**
 * Makes one embedded PGlite instance look like a `pg` pool to Kysely's PostgresDialect.
 * PGlite is a single connection: `connect()` hands it out exclusively until `release()`, so a
 * transaction on it never interleaves with another request's statements.
 */
import type { PGlite } from '@electric-sql/pglite';

type Waiter = () => void;

/** Leading SQL keyword, which Kysely reads as `command` to report affected rows. */
function commandOf(sql: string): string {
  const m = /^\s*(?:with\b[\s\S]*?\)\s*)?(insert|update|delete|merge|select)\b/i.exec(sql);
  return (m?.[1] ?? 'SELECT').toUpperCase();
}

export function pglitePool(db: PGlite) {
  let busy = false;
  const queue: Waiter[] = [];

  const acquire = () =>
    new Promise<void>((resolve) => {
      if (!busy) {
        busy = true;
        resolve();
      } else queue.push(resolve);
    });
  const releaseLock = () => {
    const next = queue.shift();
    if (next) next();
    else busy = false;
  };

  const client = {
    async query(sql: string, params: readonly unknown[] = []) {
      if (params.length === 0 && /;\s*\S/.test(sql)) {
        // several statements (a migration file): only the simple protocol takes them
        const all = await db.exec(sql);
        const last = all[all.length - 1];
        return { command: commandOf(sql), rowCount: last?.affectedRows ?? 0, rows: last?.rows ?? [] };
      }
      const res = await db.query<Record<string, unknown>>(sql, params as unknown[]);
      return { command: commandOf(sql), rowCount: res.affectedRows ?? res.rows.length, rows: res.rows };
    },
    release: releaseLock,
  };

  return {
    async connect() {
      await acquire();
      return client;
    },
    async end() {
      /* the owner closes PGlite */
    },
  };
}
