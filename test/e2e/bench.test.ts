import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { requireChromium } from '../helpers/browser';
import { postgresBinDir, requireSystem } from '../helpers/system';

// The short (5 s) run of `npm run bench -- --json`: its JSON shape and that nothing acknowledged is
// lost across kill -9. Throughput targets are read from the full run, not asserted here.
describe('check-in benchmark (short)', () => {
  it('prints one JSON line per database with lost = 0', () => {
    const out = execFileSync(process.execPath, ['--import', 'tsx', 'bench/checkin.ts', '--json', '--seconds', '5', '--persons', '500', '--concurrency', '16'], {
      encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 300_000,
    });
    const lines = out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const expectPg = requireSystem('PostgreSQL (package postgresql)', postgresBinDir() !== null);
    expect(lines.map((l) => l.db)).toEqual(expectPg ? ['pglite', 'postgres'] : ['pglite']);
    for (const l of lines) {
      expect(l).toMatchObject({ bench: 'checkin', errors: 0, lost: 0 });
      for (const k of ['checkins_per_s', 'p50_ms', 'p99_ms', 'ceiling_per_s']) expect(typeof l[k]).toBe('number');
      expect(l.checkins_per_s as number).toBeGreaterThan(0);
    }
  });

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
  });
});
