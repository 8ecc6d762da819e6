/**
 * Reads one uploaded spreadsheet on a thread of its own (spreadsheet-thread.ts starts it, one per
 * file): the CSV/XLSX parsers are synchronous and an XLSX is read whole, so on the server's thread a
 * large file stopped every gate for seconds. The TypeScript reader (spreadsheet.ts) is loaded
 * through tsx, as on the server's thread.
 * In: workerData { bytes: ArrayBuffer, filename, maxRows }. Out: one message, { table } or
 * { error: { code, zh, en } } for a SpreadsheetError; any other error ends the thread with it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { readTable, SpreadsheetError } = await import('./spreadsheet.ts');
const { bytes, filename, maxRows } = workerData;
try {
  const table = await readTable(Buffer.from(bytes), filename, { maxRows });
  parentPort.postMessage({ table });
} catch (e) {
  if (!(e instanceof SpreadsheetError)) throw e;
  parentPort.postMessage({ error: { code: e.code, zh: e.zh, en: e.en } });
}
