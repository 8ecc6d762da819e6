/**
 * `npm run bench -- --json [--persons N] [--checkins N] [--days 28] [--runs 5] [--db pglite|postgres]`: the issue 4 queries
 * on a generated city (bench/epi-data.ts), on each database reachable here (embedded PGlite;
 * PostgreSQL when its binaries are installed or BENCH_DATABASE_URL is set). Prints one JSON line a
 * query and database: {"bench":"trace"|"report"|"dashboard","db":"pglite"|"postgres","checkins":N,"ms":M}
 * with M the median of `--runs` calls after one warm-up call (milliseconds, in process, no HTTP):
 *  - trace: computeTrace (src/modules/tracing/service.ts) of a case's person with 5 visits, over the
 *    TRACE_LOOKBACK_DAYS (2) China days ending the data's last day, margin TRACE_MARGIN_MIN;
 *  - report: situationReport(ctx, '4108', last day) (src/modules/reports/service.ts);
 *  - dashboard: checkinDashboard (src/modules/checkin/dashboard.ts) of the district with most places, last day.
 * Sizes default to 1,000,000 persons and 10,000,000 check-ins on PostgreSQL, 100,000 and 1,000,000
 * on PGlite (an option given applies to both). Targets (reported, not enforced): PostgreSQL 10M:
 * trace ≤ 200 ms, report ≤ 200 ms, dashboard ≤ 500 ms; PGlite 1M: each ≤ 1 s.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config';
import { openDatabase, type Database } from '../src/db/index';
import { migrate } from '../src/db/migrate';
import { importDivisions, loadDivisions } from '../src/modules/areas/divisions';
import { checkinDashboard } from '../src/modules/checkin/dashboard';
import { addDays, chinaDate, chinaDayRange, chinaDayStart } from '../src/lib/time';
import pino from 'pino';
import { newEvents, type AppContext } from '../src/context';
import { ensureSecret } from '../src/modules/system/secrets';
import { freshDatabase, startPostgres, type PgServer } from '../test/helpers/postgres-server';
import { postgresBinDir } from '../test/helpers/system';
import { generateEpiData } from './epi-data';

const argv = process.argv.slice(2);
const opt = (name: string): number | undefined => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? Number(argv[i + 1]) : undefined;
};
const JSON_ONLY = argv.includes('--json');
const RUNS = opt('runs') ?? 5;
/** Only this database (default: both). */
const ONLY = argv.includes('--db') ? argv[argv.indexOf('--db') + 1] : undefined;
const DAYS = opt('days') ?? 28;
const log = (...a: unknown[]) => process.stderr.write(`${a.join(' ')}\n`);
const SIZES = {
  pglite: { persons: opt('persons') ?? 100_000, checkins: opt('checkins') ?? 1_000_000 },
  postgres: { persons: opt('persons') ?? 1_000_000, checkins: opt('checkins') ?? 10_000_000 },
};

/** Median of `RUNS` timed calls of `fn` after one warm-up call, ms (one decimal). */
async function median(fn: () => Promise<unknown>): Promise<number> {
  await fn();
  const ms: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await fn();
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  return Math.round(ms[Math.floor(ms.length / 2)]! * 10) / 10;
}

async function benchOne(db: 'pglite' | 'postgres', open: () => Promise<Database>, env: Record<string, string>) {
  const size = SIZES[db];
  const endDate = addDays(chinaDate(), -1);
  const database = await open();
  await migrate(database.db);
  await importDivisions(database.db, loadDivisions('4108'));
  const t0 = Date.now();
  log(`[${db}] generating ${size.persons} persons, ${size.checkins} check-ins over ${DAYS} days to ${endDate}…`);
  const data = await generateEpiData(database.db, { ...size, days: DAYS, endDate }, (m) => log(`[${db}] ${m}`));
  log(`[${db}] generated in ${Math.round((Date.now() - t0) / 1000)} s: ${JSON.stringify(data)}`);
  // the context the services get, without the HTTP app (src/server.ts would load every module's routes)
  const ctx: AppContext = { config: loadConfig({ LOG_LEVEL: 'silent', SEED_DEMO: '0', ...env }), database, db: database.db,
    log: pino({ level: 'silent' }), events: newEvents(), secrets: { docPepper: await ensureSecret(database.db, 'doc_pepper') } };
  const out: Record<string, unknown>[] = [];
  const line = (bench: string, ms: number, extra: Record<string, unknown>) => {
    const l = { bench, db, checkins: data.checkins, ms, runs: RUNS, persons: size.persons, ...extra };
    out.push(l);
    console.log(JSON.stringify(l));
  };

  try {
    const { computeTrace } = await import('../src/modules/tracing/service');
    const from = chinaDayStart(addDays(endDate, -(ctx.config.TRACE_LOOKBACK_DAYS - 1)));
    const to = chinaDayRange(endDate).to;
    let r: Awaited<ReturnType<typeof computeTrace>> | undefined;
    const ms = await median(async () => { r = await computeTrace(ctx, { personId: data.subjectPersonId, from, to, marginMin: ctx.config.TRACE_MARGIN_MIN, now: to }); });
    line('trace', ms, { visits: r?.totals.visits, candidates: r?.totals.candidates });
  } catch (e) { log(`[${db}] trace: not measured: ${(e as Error).message}`); }

  try {
    const { situationReport } = await import('../src/modules/reports/service');
    const ms = await median(() => situationReport(ctx, '4108', endDate));
    line('report', ms, { cases: data.cases, contacts: data.contacts });
  } catch (e) { log(`[${db}] report: not measured: ${(e as Error).message}`); }

  let entries = 0;
  const ms = await median(async () => {
    const d = await checkinDashboard(ctx, { areaCode: data.district, from: endDate, to: endDate });
    entries = d.days[0]!.entries;
  });
  line('dashboard', ms, { areaCode: data.district, entries });
  await database.close();
  return out;
}

if (ONLY !== 'postgres') {
  const lite = fs.mkdtempSync(path.join(os.tmpdir(), 'yiqu-bench-epi-'));
  await benchOne('pglite', () => openDatabase({ dataDir: lite }), { DATA_DIR: lite });
  fs.rmSync(lite, { recursive: true, force: true });
}

let server: PgServer | null = null;
let base = ONLY === 'pglite' ? undefined : process.env.BENCH_DATABASE_URL;
const bin = ONLY === 'pglite' ? null : postgresBinDir();
if (!base && bin) {
  server = await startPostgres(bin);
  base = server.socketUrl('postgres'); // as a local install would: the Unix-domain socket
}
if (base) {
  const url = await freshDatabase(base, 'yiqu_bench_epi');
  try {
    await benchOne('postgres', () => openDatabase({ dataDir: '', databaseUrl: url }), { DATABASE_URL: url });
  } finally {
    server?.stop();
  }
} else if (!JSON_ONLY) {
  log('PostgreSQL not available: install it (npm run setup:system) or set BENCH_DATABASE_URL');
}
