/**
 * The embedded database on a thread of its own (pglite-worker.mjs). PGlite runs each statement on
 * the thread that owns it; on the server's thread, every group commit stopped HTTP for its whole
 * length and one core did both jobs. Here the server's thread only sends the statement and its
 * parameters and receives the rows (structured clone: Dates, arrays and objects arrive as they
 * left), so HTTP and the database use two cores. docs/STATUS.md has the measurements.
 */
import { Worker } from 'node:worker_threads';

/** What a statement returns: its rows and, for INSERT/UPDATE/DELETE, how many rows it touched. */
export interface LiteResult {
  rows: Record<string, unknown>[];
  affectedRows?: number;
}

/** The embedded database as the pool (pglite-pool.ts) uses it. */
export interface LiteDatabase {
  /** One statement with `$n` parameters (extended protocol). */
  query(sql: string, params: readonly unknown[]): Promise<LiteResult>;
  /**
   * A statement registered by preparedStatement (prepared.ts), run as the named statement `name`;
   * its rows are not returned (`rows` is empty). Parameters go as PostgreSQL text: one-dimensional
   * arrays become array literals.
   */
  queryPrepared(name: string, sql: string, params: readonly unknown[]): Promise<LiteResult>;
  /** Several statements without parameters (a migration file); the result is the last one's. */
  exec(sql: string): Promise<LiteResult>;
  close(): Promise<void>;
}

/** How a column type is read: 'number' (int8, numeric) or 'text' (date kept as 'YYYY-MM-DD'). */
export type LiteParser = 'number' | 'text';

interface Pending {
  resolve(r: LiteResult): void;
  reject(e: Error): void;
}

/** A PostgreSQL error report from the worker as an Error with the same fields (code, constraint, …). */
function toError(plain: Record<string, unknown>): Error {
  return Object.assign(new Error(String(plain.message)), plain);
}

/**
 * Start the embedded database in `dataDir` on its own thread.
 * @param parsers column type oid → how its text is read.
 * @param reparseAfterRuns runs after which a named statement is parsed again (tests; pglite-worker.mjs
 *   REPARSE_AFTER_RUNS by default).
 * @throws the worker's error when the database cannot be opened (e.g. a damaged data directory).
 * If the thread dies while open (a fault inside PGlite), every waiting statement is rejected and
 * the error is thrown on the process, which ends as it did when PGlite shared the server's thread:
 * a server left running without its database would answer /healthz and fail everything else.
 */
export async function startPgliteThread(dataDir: string, parsers: Record<number, LiteParser>, reparseAfterRuns?: number): Promise<LiteDatabase> {
  const worker = new Worker(new URL('./pglite-worker.mjs', import.meta.url), { workerData: { dataDir, parsers, reparseAfterRuns } });
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let failure: Error | undefined;
  let closing: Promise<void> | undefined;

  const failAll = (err: Error) => {
    failure ??= err;
    for (const p of pending.values()) p.reject(failure);
    pending.clear();
  };
  /** The thread ended or failed: expected after close(), a fault otherwise. */
  const ended = (err: Error) => {
    if (closing) return failAll(new Error('the embedded database is closed'));
    failAll(err);
    process.nextTick(() => { throw err; });
  };

  let onMessage!: (m: { ready: boolean; error?: Record<string, unknown> }) => void;
  let onError!: (err: Error) => void;
  let onExit!: (code: number) => void;
  try {
    await new Promise<void>((resolve, reject) => {
      onMessage = (m) => (m.ready ? resolve() : reject(toError(m.error ?? { message: 'the embedded database did not start' })));
      onError = reject;
      onExit = (code) => reject(new Error(`the embedded database's thread stopped while starting (exit code ${code})`));
      worker.once('message', onMessage).once('error', onError).once('exit', onExit);
    });
  } catch (err) {
    await worker.terminate();
    throw err;
  } finally {
    worker.off('message', onMessage).off('error', onError).off('exit', onExit);
  }
  worker.on('message', (m: { id: number; result?: LiteResult; error?: Record<string, unknown> }) => {
    const p = pending.get(m.id);
    if (!p) return;
    pending.delete(m.id);
    if (pending.size === 0) worker.unref();
    if (m.error) p.reject(toError(m.error));
    else p.resolve(m.result!);
  });
  worker.on('messageerror', (err) => ended(err));
  worker.on('error', (err) => ended(err));
  worker.on('exit', (code) => ended(new Error(`the embedded database's thread stopped (exit code ${code})`)));
  // Idle, the thread does not keep the process alive (as PGlite on the main thread did not);
  // while a statement is out, it does, so its answer is awaited.
  worker.unref();

  const send = (msg: { op: 'query' | 'prepared' | 'exec' | 'close'; name?: string; sql?: string; params?: readonly unknown[] }) =>
    new Promise<LiteResult>((resolve, reject) => {
      if (failure) return reject(failure);
      const id = nextId++;
      pending.set(id, { resolve, reject });
      if (pending.size === 1) worker.ref();
      try {
        worker.postMessage({ id, ...msg });
      } catch (err) { // a parameter that cannot be cloned
        pending.delete(id);
        if (pending.size === 0) worker.unref();
        reject(err as Error);
      }
    });

  return {
    query: (sql, params) => (closing ? Promise.reject(new Error('the embedded database is closed')) : send({ op: 'query', sql, params })),
    queryPrepared: (name, sql, params) => (closing ? Promise.reject(new Error('the embedded database is closed')) : send({ op: 'prepared', name, sql, params })),
    exec: (sql) => (closing ? Promise.reject(new Error('the embedded database is closed')) : send({ op: 'exec', sql })),
    /** Runs what was sent before it, closes PGlite, ends the thread. Called again: the same promise. */
    close() {
      closing ??= (async () => {
        if (failure) return;
        await send({ op: 'close' });
        await worker.terminate();
      })();
      return closing;
    },
  };
}
