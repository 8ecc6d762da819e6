/**
 * System packages some suites need (PostgreSQL, Chromium, poppler, zbar, mosquitto). Missing one
 * skips the suite with the install hint, except under CI=true, where it fails.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

export const IN_CI = process.env.CI === 'true';

export function hasCommand(cmd: string): boolean {
  if (cmd.startsWith('/')) return fs.existsSync(cmd);
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Directory of PostgreSQL's server binaries (initdb, pg_ctl, postgres), or null. */
export function postgresBinDir(): string | null {
  const base = '/usr/lib/postgresql';
  if (!fs.existsSync(base)) return null;
  const versions = fs.readdirSync(base).filter((v) => fs.existsSync(`${base}/${v}/bin/initdb`)).sort((a, b) => Number(b) - Number(a));
  return versions.length ? `${base}/${versions[0]}/bin` : null;
}

/**
 * Whether a suite that needs `what` can run. Returns true when present; when missing returns
 * false (skip) outside CI and throws under CI=true.
 */
export function requireSystem(what: string, present: boolean): boolean {
  if (present) return true;
  const msg = `${what} is not installed: run \`sudo npm run setup:system\` (Debian packages)`;
  if (IN_CI) throw new Error(`CI=true and ${msg}`);
  console.warn(`[skipped] ${msg}`);
  return false;
}
