/**
 * Uploaded spreadsheets are read off the server's thread (spreadsheet-worker.mjs). Measured on the
 * server's thread (docs/STATUS.md, session 13): a 9 MB XLSX of 400,000 rows held the event loop
 * 27 s and grew the process by 2.5 GB before too_many_rows could be said, and every gate waited.
 * Here the thread has a heap limit and a time limit, and one file is read at a time.
 */
import { Worker } from 'node:worker_threads';
import { SpreadsheetError, type Table } from './spreadsheet';

/**
 * Heap of the reading thread, MB. A 20,000-row XLSX (places' row limit, the largest) reads within
 * 256; the 400,000-row file above is refused after ~10 s instead of taking 2.5 GB.
 */
export const READ_HEAP_MB = 512;
/** Seconds a file may take to read; a 20,000-row XLSX takes ~1 s on 2 cores. */
export const READ_TIMEOUT_S = 60;

const tooComplex = (filename: string) => new SpreadsheetError('too_complex',
  `“${filename}”内容过多，无法读取，请拆分成几个较小的文件后再导入`,
  `"${filename}" holds too much to read; split it into smaller files and retry`);

let queue: Promise<unknown> = Promise.resolve();

/** Limits of one read (tests lower them). */
export interface ReadLimits { heapMb: number; timeoutS: number }

function readOnThread(buf: Buffer, filename: string, maxRows: number | undefined, limits: ReadLimits): Promise<Table> {
  return new Promise((resolve, reject) => {
    const bytes = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
    const worker = new Worker(new URL('./spreadsheet-worker.mjs', import.meta.url), {
      workerData: { bytes, filename, maxRows }, transferList: [bytes as ArrayBuffer], execArgv: [],
      resourceLimits: { maxOldGenerationSizeMb: limits.heapMb },
    });
    let settled = false;
    const done = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      fn();
    };
    const timer = setTimeout(() => done(() => reject(tooComplex(filename))), limits.timeoutS * 1000);
    worker.once('message', (m: { table?: Table; error?: { code: SpreadsheetError['code']; zh: string; en: string } }) => done(() => {
      if (m.table) resolve(m.table);
      else reject(new SpreadsheetError(m.error!.code, m.error!.zh, m.error!.en));
    }));
    worker.once('error', (err: Error & { code?: string }) => done(() =>
      reject(err.code === 'ERR_WORKER_OUT_OF_MEMORY' ? tooComplex(filename) : err)));
    worker.once('exit', (code) => done(() => reject(new Error(`spreadsheet reader exited with ${code}`))));
  });
}

/**
 * readTable (spreadsheet.ts) on a thread of its own: same result and errors, plus
 * SpreadsheetError too_complex when the file needs more than READ_HEAP_MB of memory or
 * READ_TIMEOUT_S seconds (`opts.limits` overrides both). Files are read one at a time, in the order
 * they arrive.
 * @throws SpreadsheetError as readTable does; Error if the reader fails otherwise.
 */
export function readTableOffThread(buf: Buffer, filename: string, opts: { maxRows?: number; limits?: ReadLimits } = {}): Promise<Table> {
  const limits = opts.limits ?? { heapMb: READ_HEAP_MB, timeoutS: READ_TIMEOUT_S };
  const run = queue.then(() => readOnThread(buf, filename, opts.maxRows, limits));
  queue = run.catch(() => undefined);
  return run;
}
