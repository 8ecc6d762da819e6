/**
 * Makes one embedded PGlite instance look like a `pg` pool to Kysely's PostgresDialect.
 * PGlite is a single connection: `connect()` hands it out exclusively until `release()`, so a
 * transaction on it never interleaves with another request's statements. `pipeline()` sends one
 * statement in its turn without waiting for its answer (pglite-thread.ts runs them in order).
 */
import type { LiteDatabase } from './pglite-thread';
import { preparedNameOf } from './prepared';

type Waiter = () => void;

/** A statement with its `$n` parameters. */
export interface PipelinedStatement {
  sql: string;
  params: readonly unknown[];
}

/** Leading SQL keyword, which Kysely reads as `command` to report affected rows. */
function commandOf(sql: string): string {
  const m = /^\s*(?:with\b[\s\S]*?\)\s*)?(insert|update|delete|merge|select)\b/i.exec(sql);
  return (m?.[1] ?? 'SELECT').toUpperCase();
}

export function pglitePool(db: LiteDatabase) {
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
        const last = await db.exec(sql);
        return { command: commandOf(sql), rowCount: last.affectedRows ?? 0, rows: last.rows };
      }
      const res = await db.query(sql, params);
      return { command: commandOf(sql), rowCount: res.affectedRows ?? res.rows.length, rows: res.rows };
    },
    release: releaseLock,
  };

  return {
    /**
     * Send one statement in the connection's turn and give the turn up at once: the next user's
     * statements queue behind it on the database's thread, which is never idle between the two.
     * Only for a statement that is a transaction by itself (autocommit); `take` runs once the turn
     * is ours and returns the statement, or null to send nothing. A statement registered by
     * preparedStatement (prepared.ts) runs as a named statement, without returning its rows.
     * @returns once the statement has run (at once when nothing was sent); rejects with its error.
     */
    async pipeline(take: () => PipelinedStatement | null): Promise<void> {
      await acquire();
      let sent: Promise<unknown> | null = null;
      try {
        const stmt = take();
        const name = stmt && preparedNameOf(stmt.sql);
        if (stmt) sent = name ? db.queryPrepared(name, stmt.sql, stmt.params) : db.query(stmt.sql, stmt.params);
      } finally {
        releaseLock();
      }
      await sent;
    },
    async connect() {
      await acquire();
      return client;
    },
    async end() {
      /* the owner closes PGlite */
    },
  };
}
