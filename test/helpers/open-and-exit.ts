/**
 * Child process for pglite-thread.test.ts: `node --import tsx open-and-exit.ts DATA_DIR` opens the
 * embedded database, runs one statement that takes 0.3 s, prints its answer and never closes the
 * database. The process must still end on its own, and only after the answer.
 */
import { sql } from 'kysely';
import { openDatabase } from '../../src/db/index';

const d = await openDatabase({ dataDir: process.argv[2]! });
const r = await sql<{ word: string }>`SELECT pg_sleep(0.3), 'done' AS word`.execute(d.db);
console.log(r.rows[0]!.word);
