/**
 * `npm run bench -- --json [--seconds 30] [--concurrency 64]`: check-in throughput through the
 * real HTTP endpoint, on each database reachable here (embedded PGlite; PostgreSQL when its
 * binaries are installed or BENCH_DATABASE_URL is set). Prints one JSON line per database:
 * {"bench":"checkin","db","checkins_per_s","p50_ms","p99_ms","errors","lost","ceiling_per_s"}.
 * The rate and latencies are those of the measured `--seconds`, after `--warmup` seconds (default
 * 10) of check-ins by other residents. `lost` counts acknowledged check-ins (warm-up ones too)
 * missing after the server is killed with SIGKILL at the end of the load and the database reopened. The server runs as a child process; the load comes
 * from `--concurrency` keep-alive connections (bench/http-client.ts), one request in flight on each.
 */
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

const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const SECONDS = arg('seconds', 30);
const CONCURRENCY = arg('concurrency', 64);
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
const ONLY = process.argv.includes('--db') ? process.argv[process.argv.indexOf('--db') + 1] : undefined;
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
async function drive(url: string, seconds: number, next: () => { method: string; path: string; body: string | null; cookie?: string }, collect: boolean) {
  const u = new URL(url);
  const samples: Sample[] = [];
  const until = Date.now() + seconds * 1000;
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    const conn = new Connection(u.hostname, Number(u.port));
    while (Date.now() < until) {
      const r = next();
      const t0 = performance.now();
      try {
        const res = await conn.request(r.method, r.path, r.cookie ? `cookie: ${r.cookie}\r\n` : '', r.body);
        const ms = performance.now() - t0;
        if (res.status !== 200) { samples.push({ ok: false, ms }); continue; }
        const ids = collect ? (JSON.parse(res.body).results as { checkinId: string; duplicate: boolean }[]).filter((x) => !x.duplicate).map((x) => x.checkinId) : undefined;
        samples.push({ ok: true, ms, ids });
      } catch {
        samples.push({ ok: false, ms: performance.now() - t0 });
        break; // the connection is gone
      }
    }
    conn.close();
  }));
  return samples;
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
  log(`[${db}] check-ins for ${SECONDS} s at concurrency ${CONCURRENCY}…`);
  const t0 = Date.now();
  const samples = await drive(url, SECONDS, checkins(data.residents), true);
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
    acked: acked.length, seconds: SECONDS, warmup_s: WARMUP, concurrency: CONCURRENCY, cpus: os.cpus().length,
  };
}

if (ONLY !== 'postgres') {
  const lite = fs.mkdtempSync(path.join(os.tmpdir(), 'yiqu-bench-'));
  console.log(JSON.stringify(await benchOne('pglite', { DATA_DIR: lite }, { dataDir: lite })));
  fs.rmSync(lite, { recursive: true, force: true });
}

let server: PgServer | null = null;
let base = process.env.BENCH_DATABASE_URL;
const bin = postgresBinDir();
if (ONLY !== 'pglite' && !base && bin) {
  server = await startPostgres(bin);
  // the app and its database on one machine talk over the Unix-domain socket, as a local install would
  base = server.socketUrl('postgres');
}
if (ONLY === 'pglite') {
  // asked for the embedded database only
} else if (base) {
  const url = await freshDatabase(base, 'yiqu_bench');
  const r = await benchOne('postgres', { DATABASE_URL: url }, { dataDir: '', databaseUrl: url });
  console.log(JSON.stringify(r));
  server?.stop();
} else {
  log('PostgreSQL not available: install it (npm run setup:system) or set BENCH_DATABASE_URL');
}
