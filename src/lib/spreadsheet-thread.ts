/**
 * Uploaded spreadsheets are read off the server's thread (spreadsheet-worker.mjs). Measured on the
 * server's thread (docs/STATUS.md, session 13): a 9 MB XLSX of 400,000 rows held the event loop
 * 27 s and grew the process by 2.5 GB before too_many_rows could be said, and every gate waited.
 * Here the thread has a heap limit and a time limit, and one file is read at a time.
 */
import { Worker } from 'node:worker_threads';
import { AppError } from './errors';
import { SpreadsheetError, type Table } from './spreadsheet';

/**
 * Heap of the reading thread, MB. A 20,000-row XLSX (places' row limit, the largest) reads within
 * 256; the 400,000-row file above is refused after ~10 s instead of taking 2.5 GB.
 */
export const READ_HEAP_MB = 512;
/** Seconds a file may take to read; a 20,000-row XLSX takes ~1–2 s on 2 cores. */
export const READ_TIMEOUT_S = 30;
/**
 * Files being read or waiting, at most: one more is refused (503) rather than held for minutes
 * behind files that each may take READ_TIMEOUT_S (a helper's 2 MB CSV of 300,000 column names
 * kept every later import waiting for its whole minute).
 */
export const READ_QUEUE_MAX = 4;

const unreadable = (filename: string, cause: Error) => Object.assign(new SpreadsheetError('unreadable',
  `无法读取“${filename}”，请检查文件，或另存为 .xlsx 或 CSV 后重试`, `Cannot read "${filename}"; check the file or save it as .xlsx or CSV and retry`), { cause });

const tooComplex = (filename: string) => new SpreadsheetError('too_complex',
  `“${filename}”内容过多，无法读取，请拆分成几个较小的文件后再导入`,
  `"${filename}" holds too much to read; split it into smaller files and retry`);

let queue: Promise<unknown> = Promise.resolve();
let queued = 0;

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
    // any other end of the thread is still this file's problem: a 400 that says so, not a 500
    worker.once('error', (err: Error & { code?: string }) => done(() =>
      reject(err.code === 'ERR_WORKER_OUT_OF_MEMORY' ? tooComplex(filename) : unreadable(filename, err))));
    worker.once('exit', (code) => done(() => reject(unreadable(filename, new Error(`the reading thread exited with ${code}`)))));
  });
}

/**
 * readTable (spreadsheet.ts) on a thread of its own: same result and errors, plus
 * SpreadsheetError too_complex when the file needs more than READ_HEAP_MB of memory or
 * READ_TIMEOUT_S seconds (`opts.limits` overrides both), and `unreadable` when the thread fails
 * otherwise. Files are read one at a time, in the order they arrive, READ_QUEUE_MAX at most.
 * @throws SpreadsheetError as above; AppError 503 `import_busy` when READ_QUEUE_MAX files are in.
 */
export function readTableOffThread(buf: Buffer, filename: string, opts: { maxRows?: number; limits?: ReadLimits } = {}): Promise<Table> {
  const limits = opts.limits ?? { heapMb: READ_HEAP_MB, timeoutS: READ_TIMEOUT_S };
  if (queued >= READ_QUEUE_MAX) {
    return Promise.reject(new AppError(503, 'import_busy', {
      zh: '正在读取其他上传的文件，请稍等一分钟后重试', en: 'Other uploaded files are being read; retry in a minute' }));
  }
  queued += 1;
  const run = queue.then(() => readOnThread(buf, filename, opts.maxRows, limits)).finally(() => { queued -= 1; });
  queue = run.catch(() => undefined);
  return run;
}
