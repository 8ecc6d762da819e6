/**
 * `npm run bench -- [--json] [options]`: every benchmark in turn, each in its own process so one
 * does not warm or load the next: check-in throughput (bench/checkin.ts), decode-and-verify
 * of pass codes (bench/verify.ts), then the issue 4 queries (trace, situation report, dashboard) on a
 * generated city (bench/epi.ts), and an arrival-rule change over reported arrivals (bench/rules.ts,
 * issue 5). Options go to every script; each prints its own JSON lines.
 */
import { spawnSync } from 'node:child_process';

let failed = false;
for (const script of ['bench/checkin.ts', 'bench/verify.ts', 'bench/epi.ts', 'bench/rules.ts']) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', script, ...process.argv.slice(2)], { stdio: 'inherit' });
  if (r.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
