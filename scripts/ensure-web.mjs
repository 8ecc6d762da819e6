// Builds the web pages (vite) when dist/web is missing or older than web/, vite.config.ts or the
// server files the pages import; `npm start` runs it.
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

function newest(dir) {
  let t = 0;
  if (!fs.existsSync(dir)) return t;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : fs.statSync(p).mtimeMs);
  }
  return t;
}
const stamp = 'dist/web/.built';
const built = fs.existsSync(stamp) ? fs.statSync(stamp).mtimeMs : 0;
if (!fs.existsSync('vite.config.ts')) process.exit(0);
// Server files the pages import (the shared token rule, check-in rules, status colours…), transitively.
function sharedSources() {
  const SRC = path.resolve('src') + path.sep;
  const seen = new Set();
  const visit = (file) => {
    const text = fs.readFileSync(file, 'utf8');
    for (const m of text.matchAll(/from\s+'(\.{1,2}\/[^']+)'/g)) {
      const base = path.resolve(path.dirname(file), m[1]);
      const target = [base, `${base}.ts`, `${base}.tsx`].find((f) => fs.existsSync(f) && fs.statSync(f).isFile());
      if (!target || seen.has(target)) continue;
      seen.add(target);
      visit(target);
    }
  };
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name)) visit(p);
    }
  };
  if (fs.existsSync('web')) walk('web');
  return [...seen].filter((f) => f.startsWith(SRC));
}
const sourcesTime = Math.max(0, ...sharedSources().map((f) => fs.statSync(f).mtimeMs));
if (built < Math.max(newest('web'), fs.statSync('vite.config.ts').mtimeMs, sourcesTime)) {
  console.log('building web pages (vite)…');
  // NODE_ENV=production even when a test (NODE_ENV=test) asks: else React's development build ships
  execSync('npx vite build --logLevel warn', { stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });
  fs.writeFileSync(stamp, new Date().toISOString());
}
