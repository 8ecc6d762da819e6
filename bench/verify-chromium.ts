/**
 * Decode-and-verify of pass codes in the guard's gate page inside Debian's Chromium (issue 3
 * bench): the page's own detector (barcode-detector over zxing-wasm, the .wasm from our server)
 * and its own reading of a code (web/gate/judge.ts readCode), through the page's diagnostics hook.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launchChromium } from '../test/helpers/browser';
import { passCodeImages } from './verify-node';

function startServer(dataDir: string): Promise<{ url: string; stop: () => void }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/bench-server.ts'], {
      env: { ...process.env, DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', SEED_DEMO: '0', DATABASE_URL: '', MQTT_PORT: '0' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    child.stdout!.on('data', (d: Buffer) => {
      const m = /READY (\S+)/.exec(d.toString());
      if (m) resolve({ url: m[1]!, stop: () => child.kill('SIGTERM') });
    });
    child.on('exit', (code) => reject(new Error(`server exited ${code}`)));
  });
}

/**
 * Decode and verify 50 distinct pass codes round-robin in the gate page for `seconds`.
 * @returns {"bench":"verify","where":"chromium","codes_per_s"} plus the count and failures.
 */
export async function benchVerifyChromium(seconds: number) {
  // the page must be built from the current sources (npm start does the same)
  if (spawnSync(process.execPath, ['scripts/ensure-web.mjs'], { stdio: 'inherit' }).status !== 0) throw new Error('building the web pages failed');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'yiqu-bench-verify-'));
  const server = await startServer(dataDir);
  const browser = await launchChromium();
  try {
    const { images, jwks } = await passCodeImages(50);
    const page = await browser.newPage();
    await page.goto(`${server.url}/gate`);
    await page.waitForFunction(() => 'yiquGate' in window, undefined, { timeout: 30_000 });
    const pngs = images.map((b) => Buffer.from(b).toString('base64'));
    return await page.evaluate(async ({ pngs, jwks, seconds }) => {
      const sync = {
        serverTime: new Date().toISOString(), issuer: 'yiqu', jwks, revocations: [], statuses: [], barring: [], statusLabels: {},
        checkpoint: { id: '', name: '', placeId: '', placeName: '', mode: 'poster' },
        config: { feverThresholdC: 37.3, tempMinC: 34, tempMaxC: 42.5, twoWayTempGapC: 0.3, clockSkewMaxS: 120, passCodeTtlS: 600 },
      };
      const bitmaps = await Promise.all(pngs.map(async (b64) => createImageBitmap(await (await fetch(`data:image/png;base64,${b64}`)).blob())));
      const gate = (window as unknown as { yiquGate: { decodeAndRead(i: ImageBitmap, s: unknown): Promise<{ refusal: string | null } | null> } }).yiquGate;
      await gate.decodeAndRead(bitmaps[0]!, sync); // load the wasm before timing
      let done = 0;
      let failed = 0;
      const t0 = performance.now();
      while (performance.now() - t0 < seconds * 1000) {
        const r = await gate.decodeAndRead(bitmaps[done % bitmaps.length]!, sync);
        if (!r || r.refusal) failed += 1;
        done += 1;
      }
      const elapsed = (performance.now() - t0) / 1000;
      return { bench: 'verify', where: 'chromium', codes_per_s: Math.round((done - failed) / elapsed), codes: done, failed };
    }, { pngs, jwks, seconds });
  } finally {
    await browser.close();
    server.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
