// Builds the web pages (vite) when dist/web is missing or older than web/; `npm start` runs it.
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
if (built < Math.max(newest('web'), fs.statSync('vite.config.ts').mtimeMs)) {
  console.log('building web pages (vite)…');
  // NODE_ENV=production even when a test (NODE_ENV=test) asks: else React's development build ships
  execSync('npx vite build --logLevel warn', { stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });
  fs.writeFileSync(stamp, new Date().toISOString());
}
