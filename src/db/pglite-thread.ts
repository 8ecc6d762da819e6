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
 * @throws the worker's error when the database cannot be opened (e.g. a damaged data directory).
 */
export async function startPgliteThread(dataDir: string, parsers: Record<number, LiteParser>): Promise<LiteDatabase> {
  const worker = new Worker(new URL('./pglite-worker.mjs', import.meta.url), { workerData: { dataDir, parsers } });
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let failure: Error | undefined;

  const failAll = (err: Error) => {
    failure ??= err;
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  };

  await new Promise<void>((resolve, reject) => {
    worker.once('message', (m: { ready: boolean; error?: Record<string, unknown> }) =>
      m.ready ? resolve() : reject(toError(m.error ?? { message: 'the embedded database did not start' })));
    worker.once('error', reject);
  });
  worker.on('message', (m: { id: number; result?: LiteResult; error?: Record<string, unknown> }) => {
    const p = pending.get(m.id);
    if (!p) return;
    pending.delete(m.id);
    if (pending.size === 0) worker.unref();
    if (m.error) p.reject(toError(m.error));
    else p.resolve(m.result!);
  });
  worker.on('error', (err) => failAll(err));
  worker.on('exit', (code) => failAll(new Error(`the embedded database's thread stopped (exit code ${code})`)));
  // Idle, the thread does not keep the process alive (as PGlite on the main thread did not);
  // while a statement is out, it does, so its answer is awaited.
  worker.unref();

  const send = (msg: { op: 'query' | 'exec' | 'close'; sql?: string; params?: readonly unknown[] }) =>
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
    query: (sql, params) => send({ op: 'query', sql, params }),
    exec: (sql) => send({ op: 'exec', sql }),
    async close() {
      if (failure) return;
      await send({ op: 'close' });
      await worker.terminate();
    },
  };
}
