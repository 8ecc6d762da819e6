// @ts-check
/**
 * The embedded database's own thread (started by pglite-thread.ts). PGlite is PostgreSQL compiled
 * to WebAssembly and runs every statement on the thread that owns it; here that is this worker, so
 * the server's thread keeps answering HTTP while a statement runs. Plain JavaScript so that it
 * starts the same under tsx, vitest and plain node.
 *
 * workerData: { dataDir: string, parsers: Record<oid, 'number' | 'text'>, reparseAfterRuns?: number (tests) }.
 * Messages in: { id, op: 'query', sql, params } | { id, op: 'prepared', name, sql, params }
 *   | { id, op: 'exec', sql } | { id, op: 'close' }.
 * Messages out: { ready: true } or { ready: false, error } once at start; then per message
 * { id, result } or { id, error }, where error is a plain object (message, code, detail,
 * constraint, …: the fields of PostgreSQL's error report).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite, protocol } from '@electric-sql/pglite';

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

/**
 * A named statement is parsed again after this many runs. PostgreSQL plans it for each call's
 * parameters for five runs and then, when that costs no more, once for all (a generic plan): the
 * check-in group statement costs 20–30% less so (docs/STATUS.md, session 12). But a plan made
 * while `stays` was small closes stays by a sequential scan, and would keep it as the table grows
 * (the embedded database has no autovacuum whose ANALYZE would renew it): parsed again, it is
 * planned for the table as it is then. 100 runs bound how far a table outgrows its plan (a few
 * thousand rows at most) for one parse in a hundred (~1 ms).
 */
const REPARSE_AFTER_RUNS = workerData.reparseAfterRuns ?? 100;

/** A parameter as PostgreSQL's text format: arrays as array literals, every element quoted. */
function textValue(/** @type {unknown} */ v) {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) return `{${v.map((e) => (e === null || e === undefined ? 'NULL' : `"${String(textValue(e)).replace(/["\\]/g, '\\$&')}"`)).join(',')}}`;
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

const port = /** @type {import('node:worker_threads').MessagePort} */ (parentPort);
/** @type {Record<number, (v: string) => unknown>} */
const parsers = {};
for (const [oid, kind] of Object.entries(workerData.parsers)) parsers[Number(oid)] = PARSE[kind];

try {
  const db = await PGlite.create({ dataDir: workerData.dataDir, parsers });
  /** @type {Map<string, { sql: string, runs: number }>} the statements parsed on this connection */
  const prepared = new Map();
  /**
   * Run the named statement `name` (text `sql`): Bind, Execute and Sync in one call, after a
   * Close and Parse when it is new, its text changed, it has run REPARSE_AFTER_RUNS times, or the
   * session forgot it (DEALLOCATE ALL: SQLSTATE 26000, then sent once more with its Parse). Its
   * rows are not read.
   * @returns the rows it touched.
   */
  const runPrepared = async (/** @type {string} */ name, /** @type {string} */ sql, /** @type {unknown[]} */ params) => {
    try {
      return await runNamed(name, sql, params);
    } catch (err) {
      if (/** @type {{ code?: string }} */ (err).code !== '26000') throw err;
      return runNamed(name, sql, params); // forgotten: the failed run dropped it from `prepared`
    }
  };
  const runNamed = async (/** @type {string} */ name, /** @type {string} */ sql, /** @type {unknown[]} */ params) => {
    const known = prepared.get(name);
    const fresh = known?.sql === sql && known.runs < REPARSE_AFTER_RUNS;
    const parts = fresh ? [] : [protocol.serialize.close({ type: 'S', name }), protocol.serialize.parse({ name, text: sql, types: [] })];
    parts.push(protocol.serialize.bind({ statement: name, values: params.map(textValue) }), protocol.serialize.execute({}), protocol.serialize.sync());
    const bytes = new Uint8Array(parts.reduce((n, b) => n + b.length, 0));
    let at = 0;
    for (const b of parts) { bytes.set(b, at); at += b.length; }
    prepared.delete(name); // until it has run: a failed Parse must be sent again
    const { messages } = await db.execProtocol(bytes);
    prepared.set(name, { sql, runs: fresh ? known.runs + 1 : 1 });
    const done = messages.find((m) => m.name === 'commandComplete');
    return { rows: [], affectedRows: done && 'text' in done ? Number(String(done.text).split(' ').pop()) || 0 : 0 };
  };
  /** One message: run it and answer. */
  const handle = async (/** @type {{ id: number, op: string, name?: string, sql: string, params?: unknown[] }} */ msg) => {
    try {
      if (msg.op === 'query') {
        const res = await db.query(msg.sql, msg.params);
        port.postMessage({ id: msg.id, result: { rows: res.rows, affectedRows: res.affectedRows } });
      } else if (msg.op === 'prepared') {
        port.postMessage({ id: msg.id, result: await runPrepared(/** @type {string} */ (msg.name), msg.sql, msg.params ?? []) });
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
