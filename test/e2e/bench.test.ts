import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { requireChromium } from '../helpers/browser';
import { postgresBinDir, requireSystem } from '../helpers/system';

// The short (5 s) run of `npm run bench -- --json`: its JSON shape and that nothing acknowledged is
// lost across kill -9; the issue 4 query timings' shape at the CI size (20,000 check-ins). Throughput
// and time targets are read from the full run, not asserted here.
describe('benchmarks (short)', () => {
  it('prints one JSON line per database with lost = 0', () => {
    const out = execFileSync(process.execPath, ['--import', 'tsx', 'bench/checkin.ts', '--json', '--seconds', '5', '--persons', '500', '--concurrency', '16', '--warmup', '1'], {
      encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 300_000,
    });
    const lines = out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const expectPg = requireSystem('PostgreSQL (package postgresql)', postgresBinDir() !== null);
    expect(lines.map((l) => l.db)).toEqual(expectPg ? ['pglite', 'postgres'] : ['pglite']);
    for (const l of lines) {
      expect(l).toMatchObject({ bench: 'checkin', errors: 0, lost: 0, warmup_s: 1 });
      for (const k of ['checkins_per_s', 'p50_ms', 'p99_ms', 'ceiling_per_s']) expect(typeof l[k]).toBe('number');
      expect(l.checkins_per_s as number).toBeGreaterThan(0);
    }
  }, 300_000); // two servers, 5 s of load each, a kill -9 and a restart: over a minute on a loaded machine

  it('times an arrival-rule change (preview + apply) over reported arrivals in the embedded database (issue 5)', () => {
    const out = execFileSync(process.execPath, ['--import', 'tsx', 'bench/rules.ts', '--json', '--persons', '200'], {
      encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 300_000,
    });
    const lines = out.trim().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => [l.bench, l.db, l.persons])).toEqual([['rules', 'pglite', 200]]);
    expect(lines[0]!.ms as number).toBeGreaterThan(0);
    expect(lines[0]!.changed as number).toBeGreaterThan(0);
  }, 300_000);

  it('times trace, situation report and dashboard on a generated city, per database (issue 4)', () => {
    const out = execFileSync(process.execPath, ['--import', 'tsx', 'bench/epi.ts', '--json', '--persons', '2000', '--checkins', '20000', '--runs', '1'], {
      encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 300_000,
    });
    const lines = out.trim().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
    const dbs = requireSystem('PostgreSQL (package postgresql)', postgresBinDir() !== null) ? ['pglite', 'postgres'] : ['pglite'];
    expect(lines.map((l) => `${l.bench} ${l.db}`)).toEqual(dbs.flatMap((db) => ['trace', 'report', 'dashboard'].map((b) => `${b} ${db}`)));
    for (const l of lines) {
      // 10,000 visits: 2 rows each, 1 for the ~1 in 1,000 refused at the gate; + the subject's 5 visits
      expect(l.checkins as number).toBeGreaterThan(19_950);
      expect(l.checkins as number).toBeLessThanOrEqual(20_010);
      expect(typeof l.ms).toBe('number');
      expect(l.ms as number).toBeGreaterThan(0);
    }
    const trace = lines.filter((l) => l.bench === 'trace');
    for (const l of trace) expect(l.visits as number).toBeGreaterThanOrEqual(5); // the subject's 5 visits are found
  }, 300_000);

  it('decodes and verifies pass codes in Node and in the gate page in Chromium', () => {
    const out = execFileSync(process.execPath, ['--import', 'tsx', 'bench/verify.ts', '--seconds', '1'], {
      encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 300_000,
    });
    const lines = out.trim().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
    const expectChromium = requireChromium();
    expect(lines.map((l) => l.where)).toEqual(expectChromium ? ['node', 'chromium'] : ['node']);
    for (const l of lines) {
      expect(l).toMatchObject({ bench: 'verify', failed: 0 });
      expect(l.codes_per_s as number).toBeGreaterThan(0);
    }
  }, 300_000);
});
