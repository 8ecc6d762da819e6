// @ts-check
/**
 * The embedded database's own thread (started by pglite-thread.ts). PGlite is PostgreSQL compiled
 * to WebAssembly and runs every statement on the thread that owns it; here that is this worker, so
 * the server's thread keeps answering HTTP while a statement runs. Plain JavaScript so that it
 * starts the same under tsx, vitest and plain node.
 *
 * workerData: { dataDir: string, parsers: Record<oid, 'number' | 'text'> }.
 * Messages in: { id, op: 'query', sql, params } | { id, op: 'exec', sql } | { id, op: 'close' }.
 * Messages out: { ready: true } or { ready: false, error } once at start; then per message
 * { id, result } or { id, error }, where error is a plain object (message, code, detail,
 * constraint, …: the fields of PostgreSQL's error report).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';

/** @type {Record<string, (v: string) => unknown>} */
const PARSE = { number: (v) => (v === null ? null : Number(v)), text: (v) => v };

/** An error as a plain object that survives postMessage with every field the callers read. */
function plainError(/** @type {unknown} */ err) {
  if (!(err instanceof Error)) return { message: String(err) };
  /** @type {Record<string, unknown>} */
  const out = { message: err.message, name: err.name };
  for (const [k, v] of Object.entries(err)) if (v === null || ['string', 'number', 'boolean'].includes(typeof v)) out[k] = v;
  return out;
}

const port = /** @type {import('node:worker_threads').MessagePort} */ (parentPort);
/** @type {Record<number, (v: string) => unknown>} */
const parsers = {};
for (const [oid, kind] of Object.entries(workerData.parsers)) parsers[Number(oid)] = PARSE[kind];

try {
  const db = await PGlite.create({ dataDir: workerData.dataDir, parsers });
  /** One message: run it and answer. */
  const handle = async (/** @type {{ id: number, op: string, sql: string, params?: unknown[] }} */ msg) => {
    try {
      if (msg.op === 'query') {
        const res = await db.query(msg.sql, msg.params);
        port.postMessage({ id: msg.id, result: { rows: res.rows, affectedRows: res.affectedRows } });
      } else if (msg.op === 'exec') {
        const all = await db.exec(msg.sql);
        const last = all[all.length - 1];
        port.postMessage({ id: msg.id, result: { rows: last?.rows ?? [], affectedRows: last?.affectedRows } });
      } else if (msg.op === 'close') {
        await db.close();
        port.postMessage({ id: msg.id, result: { rows: [] } });
        port.close();
      }
    } catch (err) {
      port.postMessage({ id: msg.id, error: plainError(err) });
    }
  };
  // Strictly in the order sent: the pool (pglite-pool.ts) may send the next statement before the
  // last one is answered, and the session's state (an open transaction) follows that order.
  let turn = Promise.resolve();
  port.on('message', (msg) => {
    turn = turn.then(() => handle(msg));
  });
  port.postMessage({ ready: true });
} catch (err) {
  port.postMessage({ ready: false, error: plainError(err) });
}
