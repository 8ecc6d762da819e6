/**
 * Check-in throughput through the real HTTP endpoint: `node --import tsx bench/checkin.ts --json
 * [--db pglite|postgres] [--seconds 30] [--warmup 10] [--persons 10000] [--concurrency 64 | --rate R
 * [--connections 128]]` (`npm run bench -- --json` runs it with the other benchmarks). Without --db,
 * each database reachable here: embedded PGlite, then PostgreSQL when its binaries are installed or
 * BENCH_DATABASE_URL is set. JSON on stdout, progress on stderr; about 2 minutes for both.
 *
 * The server runs as a child process. It first answers `GET /healthz` for 5 s, then `--warmup`
 * seconds of check-ins by residents of their own, then the measured `--seconds` of check-ins by
 * `--persons` other residents, each alternating entering and leaving (every scan a new record).
 * Load: `--concurrency` keep-alive connections with one request in flight on each (closed loop,
 * bench/http-client.ts); with `--rate R` the measured part is an open loop instead: R requests a
 * second on schedule over at most `--connections`, each latency counted from its scheduled time,
 * all R × seconds requests sent even when the server falls behind (the window then runs longer).
 * The warm-up and the /healthz part are always closed loop. At the end the server is killed with
 * SIGKILL and the database reopened. One JSON line per database:
 * - checkins_per_s: check-ins acknowledged in the measured part / its real length in seconds;
 * - p50_ms, p99_ms: latency of its requests answered 200;
 * - errors: requests answered otherwise or cut off, warm-up included;
 * - lost: acknowledged check-ins (warm-up included) missing from the reopened database; acked: how
 *   many were acknowledged in all;
 * - ceiling_per_s: the same server's /healthz answers a second (no database work), a yardstick of
 *   the machine's speed at the time: on this 2-core machine it moves 11,000-26,000 between runs;
 * - seconds, warmup_s, cpus, and concurrency, or rate and connections (how many it opened).
 * Targets (issue 2): PGlite ≥ 3,000/s, PostgreSQL ≥ 5,000/s, p99 ≤ 50 ms, lost 0. */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../src/db/index';
import { migrate } from '../src/db/migrate';
import { importDivisions, loadDivisions } from '../src/modules/areas/divisions';
import { freshDatabase, startPostgres, type PgServer } from '../test/helpers/postgres-server';
import { postgresBinDir } from '../test/helpers/system';
import { Connection } from './http-client';
import { prepareBenchData, type BenchData } from './prepare';

const argText = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const arg = (name: string, def: number) => {
  const v = argText(name);
  return v === undefined ? def : Number(v);
};
const SECONDS = arg('seconds', 30);
const CONCURRENCY = arg('concurrency', 64);
/**
 * `--rate R`: open loop instead: R check-ins a second on schedule, each on an idle connection or a
 * new one, its latency counted from its scheduled time (so a server that falls behind shows in p99
 * rather than slowing the generator down). The way to ask "does it sustain R/s with p99 ≤ 50 ms?".
 */
const RATE = arg('rate', 0);
/**
 * `--connections N` (open loop): most connections it opens, as a reverse proxy in front of the
 * server holds a bounded pool to it; a request finding none idle waits in the generator, and that
 * wait counts in its latency.
 */
const MAX_CONNECTIONS = arg('connections', 128);
const PERSONS = arg('persons', 10_000);
/**
 * Seconds of check-ins before the measured window, by residents of their own (WARMUP_PERSONS):
 * the server's code is compiled by then, as in a server that has been running, while the measured
 * residents are still unknown to its caches (their devices and statuses are read on first use).
 */
const WARMUP = arg('warmup', 10);
const WARMUP_PERSONS = Math.min(2_000, PERSONS);
const JSON_ONLY = process.argv.includes('--json');
/** `--db pglite|postgres`: only that database (default: each one reachable). */
const ONLY = argText('db');
const log = (...a: unknown[]) => { if (!JSON_ONLY) console.error(...a); else process.stderr.write(`${a.join(' ')}\n`); };

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
}

function startServer(env: Record<string, string>): Promise<{ child: ChildProcess; url: string }> {
  return new Promise(async (resolve, reject) => {
    const port = await freePort();
    // BENCH_SERVER_NODE_ARGS: extra node flags for the server, e.g. "--prof --logfile=/tmp/s.log --no-logfile-per-isolate" to profile it
    const extra = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
    const child = spawn(process.execPath, [...extra, '--import', 'tsx', 'src/bench-server.ts'], {
      env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', SEED_DEMO: '0', MQTT_PORT: '0' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    child.stdout!.on('data', (d: Buffer) => {
      if (d.toString().includes('READY')) resolve({ child, url: `http://127.0.0.1:${port}` });
    });
    child.on('exit', (code) => reject(new Error(`server exited ${code}`)));
  });
}

interface Sample { ok: boolean; ms: number; ids?: string[] }

/** CONCURRENCY connections, each sending its next request when the last one is answered. */
async function drive(url: string, seconds: number, next: NextRequest, collect: boolean) {
  const u = new URL(url);
  const samples: Sample[] = [];
  const until = Date.now() + seconds * 1000;
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    const conn = new Connection(u.hostname, Number(u.port));
    while (Date.now() < until) {
      const t0 = performance.now();
      try {
        samples.push(await send(conn, next(), t0, collect));
      } catch {
        samples.push({ ok: false, ms: performance.now() - t0 });
        break; // the connection is gone
      }
    }
    conn.close();
  }));
  return samples;
}

type NextRequest = () => { method: string; path: string; body: string | null; cookie?: string };

/** One request on `conn`: its sample, latency from `since` (performance.now() ms). */
async function send(conn: Connection, r: ReturnType<NextRequest>, since: number, collect: boolean): Promise<Sample> {
  const res = await conn.request(r.method, r.path, r.cookie ? `cookie: ${r.cookie}\r\n` : '', r.body);
  const ms = performance.now() - since;
  if (res.status !== 200) return { ok: false, ms };
  const ids = collect ? (JSON.parse(res.body).results as { checkinId: string; duplicate: boolean }[]).filter((x) => !x.duplicate).map((x) => x.checkinId) : undefined;
  return { ok: true, ms, ids };
}

/** Open loop at `rate` a second (see RATE). Resolves with the samples and the connections it used. */
async function driveAtRate(url: string, seconds: number, rate: number, next: NextRequest, collect: boolean) {
  const u = new URL(url);
  const samples: Sample[] = [];
  const idle: Connection[] = [];
  const all: Connection[] = [];
  const inflight = new Set<Promise<void>>();
  const total = Math.round(seconds * rate);
  const t0 = performance.now();
  let sent = 0;
  while (sent < total) {
    const due = Math.min(total, Math.floor(((performance.now() - t0) * rate) / 1000));
    for (; sent < due; sent++) {
      let conn = idle.pop();
      if (!conn) {
        if (all.length >= MAX_CONNECTIONS) break; // all busy: it waits, and the wait shows in its latency
        conn = new Connection(u.hostname, Number(u.port));
        all.push(conn);
      }
      const c = conn;
      const p: Promise<void> = send(c, next(), t0 + (sent * 1000) / rate, collect)
        .then((smp) => { samples.push(smp); idle.push(c); }, () => { samples.push({ ok: false, ms: 0 }); })
        .finally(() => inflight.delete(p));
      inflight.add(p);
    }
    await new Promise((r) => setTimeout(r, 1));
  }
  await Promise.all(inflight);
  for (const c of all) c.close();
  return { samples, connections: all.length };
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

async function benchOne(db: 'pglite' | 'postgres', env: Record<string, string>, location: { dataDir: string; databaseUrl?: string }) {
  log(`[${db}] preparing ${PERSONS} residents…`);
  const d = await openDatabase(location);
  await migrate(d.db);
  await importDivisions(d.db, loadDivisions('4108'));
  const data = await prepareBenchData(d.db, 50, PERSONS + WARMUP_PERSONS);
  const warmupResidents = data.residents.splice(PERSONS);
  await d.close();
  const { child, url } = await startServer(env);
  log(`[${db}] server up at ${url}; ceiling (healthz) for 5 s…`);
  const ceiling = await drive(url, 5, () => ({ method: 'GET', path: '/healthz', body: null }), false);
  // each resident alternates in/out at one place, so every scan is a new check-in (no re-scan hits)
  const dir = new Map<string, 'in' | 'out'>();
  let i = 0;
  const checkins = (residents: BenchData['residents']) => () => {
    const r = residents[i++ % residents.length]!;
    const d2 = dir.get(r.personId) === 'in' ? 'out' : 'in';
    dir.set(r.personId, d2);
    const token = data.tokens[(i * 7) % data.tokens.length]!;
    const body = JSON.stringify({ token, direction: d2, temperature: d2 === 'in' ? '36.5' : undefined, personIds: [r.personId] });
    return { method: 'POST', path: '/api/r/checkins', body, cookie: r.cookie };
  };
  log(`[${db}] warm-up: ${WARMUP} s of check-ins by ${warmupResidents.length} other residents…`);
  const warmup = WARMUP > 0 ? await drive(url, WARMUP, checkins(warmupResidents), true) : [];
  log(`[${db}] check-ins for ${SECONDS} s ${RATE ? `offered at ${RATE}/s (open loop)` : `at concurrency ${CONCURRENCY}`}…`);
  const t0 = Date.now();
  const open = RATE > 0 ? await driveAtRate(url, SECONDS, RATE, checkins(data.residents), true) : null;
  const samples = open ? open.samples : await drive(url, SECONDS, checkins(data.residents), true);
  const elapsed = (Date.now() - t0) / 1000;
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
  const measured = samples.flatMap((s) => s.ids ?? []);
  const acked = [...warmup.flatMap((s) => s.ids ?? []), ...measured];
  const d3 = await openDatabase(location);
  let found = 0;
  for (let k = 0; k < acked.length; k += 5000) {
    const chunk = acked.slice(k, k + 5000);
    const rows = await d3.db.selectFrom('checkins').select('id').where('id', 'in', chunk).execute();
    found += rows.length;
  }
  await d3.close();
  const okMs = samples.filter((s) => s.ok).map((s) => s.ms).sort((a, b) => a - b);
  return {
    bench: 'checkin', db,
    checkins_per_s: Math.round(measured.length / elapsed),
    p50_ms: Math.round(pct(okMs, 50) * 10) / 10,
    p99_ms: Math.round(pct(okMs, 99) * 10) / 10,
    errors: samples.filter((s) => !s.ok).length + warmup.filter((s) => !s.ok).length,
    lost: acked.length - found,
    ceiling_per_s: Math.round(ceiling.filter((s) => s.ok).length / 5),
    acked: acked.length, seconds: SECONDS, warmup_s: WARMUP,
    ...(open ? { rate: RATE, connections: open.connections } : { concurrency: CONCURRENCY }), cpus: os.cpus().length,
  };
}

if (ONLY !== 'postgres') {
  const lite = fs.mkdtempSync(path.join(os.tmpdir(), 'yiqu-bench-'));
  console.log(JSON.stringify(await benchOne('pglite', { DATA_DIR: lite }, { dataDir: lite })));
  fs.rmSync(lite, { recursive: true, force: true });
}

if (ONLY !== 'pglite') {
  let server: PgServer | null = null;
  let base = process.env.BENCH_DATABASE_URL;
  const bin = postgresBinDir();
  if (!base && bin) {
    server = await startPostgres(bin);
    // the app and its database on one machine talk over the Unix-domain socket, as a local install would
    base = server.socketUrl('postgres');
  }
  if (base) {
    const url = await freshDatabase(base, 'yiqu_bench');
    const r = await benchOne('postgres', { DATABASE_URL: url }, { dataDir: '', databaseUrl: url });
    console.log(JSON.stringify(r));
    server?.stop();
  } else {
    log('PostgreSQL not available: install it (npm run setup:system) or set BENCH_DATABASE_URL');
  }
}
