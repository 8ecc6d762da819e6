/**
 * Child process for pglite-thread.test.ts: `node --import tsx open-and-exit.ts DATA_DIR [kill-thread]`
 * opens the embedded database, runs one statement that takes 0.3 s, prints its answer and never
 * closes the database: the process must still end on its own, and only after the answer. With
 * `kill-thread` the database's thread is then ended from outside, as a fault inside PGlite would
 * end it: the process must fail rather than run on without its database.
 */
import { Worker } from 'node:worker_threads';
import { sql } from 'kysely';
import { openDatabase } from '../../src/db/index';

let thread: Worker | undefined;
const post = Worker.prototype.postMessage;
Worker.prototype.postMessage = function (this: Worker, ...args: Parameters<Worker['postMessage']>) {
  thread = this;
  return post.apply(this, args);
};
const d = await openDatabase({ dataDir: process.argv[2]! });
const r = await sql<{ word: string }>`SELECT pg_sleep(0.3), 'done' AS word`.execute(d.db);
console.log(r.rows[0]!.word);
if (process.argv[3] === 'kill-thread') {
  await thread!.terminate();
  setTimeout(() => console.log('still running'), 2000);
}
