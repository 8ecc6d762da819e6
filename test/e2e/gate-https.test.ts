/**
 * The gate tablet over https (issue 3 §4): `npx yiqu dev-cert` makes a local CA and a server
 * certificate for a LAN address with the openssl CLI; the server started with HTTPS_CERT /
 * HTTPS_KEY listens on https itself and a client trusting only that CA connects (the certificate
 * names 127.0.0.1). Over it the gate page, its service worker (no-cache), manifest, icons and the
 * decoder's .wasm (application/wasm, immutable) are served as the PWA needs them.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../helpers/db';
import { startServerProcess, type ServerProcess } from '../helpers/server-process';
import { hasCommand, requireSystem } from '../helpers/system';

interface Got { status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }

/** GET `url` trusting only `ca`. */
function get(url: string, ca: Buffer): Promise<Got> {
  return new Promise((resolve, reject) => {
    https.get(url, { ca }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    }).on('error', reject);
  });
}

describe.runIf(requireSystem('openssl (package openssl)', hasCommand('openssl')))('gate over https with npx yiqu dev-cert', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'yiqu-devcert-'));
  const dir = path.join(tmp, 'dev-cert');
  let tdb: TestDatabase;
  let server: ServerProcess | null = null;
  let base = '';
  let cliOut = '';

  beforeAll(async () => {
    execFileSync(process.execPath, ['scripts/ensure-web.mjs'], { stdio: 'inherit' });
    cliOut = execFileSync('npx', ['yiqu', 'dev-cert', '--ip', '192.168.1.23', '--out', dir], { encoding: 'utf8', timeout: 120_000 });
    tdb = await openTestDatabase('pglite');
    await tdb.close();
    server = await startServerProcess({ DATA_DIR: tdb.location.dataDir, HTTPS_CERT: path.join(dir, 'cert.pem'), HTTPS_KEY: path.join(dir, 'key.pem') });
    base = server.url.replace('http://', 'https://');
  });
  afterAll(async () => {
    await server?.stop().catch(() => undefined);
    await tdb?.drop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('writes a CA and a server certificate for the LAN address, 127.0.0.1 and localhost, keys private', () => {
    expect(cliOut).toContain('created a local CA');
    expect(cliOut).toContain('HTTPS_CERT=');
    const text = execFileSync('openssl', ['x509', '-in', path.join(dir, 'cert.pem'), '-noout', '-text'], { encoding: 'utf8' });
    expect(text).toMatch(/IP Address:192\.168\.1\.23, IP Address:127\.0\.0\.1, DNS:localhost/);
    expect(text).toContain('CA:FALSE');
    expect(text).toContain('TLS Web Server Authentication');
    expect(execFileSync('openssl', ['verify', '-CAfile', path.join(dir, 'ca.crt'), path.join(dir, 'cert.pem')], { encoding: 'utf8' })).toContain('OK');
    for (const key of ['ca.key', 'key.pem']) expect(fs.statSync(path.join(dir, key)).mode & 0o077).toBe(0);
    // a second run keeps the CA (phones trust it once) and renews the server certificate
    const ca = fs.readFileSync(path.join(dir, 'ca.crt'), 'utf8');
    const again = execFileSync('npx', ['yiqu', 'dev-cert', '--ip', '10.0.0.7', '--out', dir], { encoding: 'utf8', timeout: 120_000 });
    expect(again).toContain('reused the local CA');
    expect(fs.readFileSync(path.join(dir, 'ca.crt'), 'utf8')).toBe(ca);
    expect(execFileSync('openssl', ['x509', '-in', path.join(dir, 'cert.pem'), '-noout', '-ext', 'subjectAltName'], { encoding: 'utf8' })).toContain('10.0.0.7');
  }, 120_000);

  it('serves the API and the gate PWA over https to a client trusting only the dev CA', async () => {
    const ca = fs.readFileSync(path.join(dir, 'ca.crt'));
    expect((await get(`${base}/healthz`, ca)).status).toBe(200);
    await expect(get(`${base}/healthz`, Buffer.from(''))).rejects.toThrow(); // an untrusting client refuses the self-made certificate

    const page = await get(`${base}/gate`, ca);
    expect(page.status).toBe(200);
    expect(page.headers['cache-control']).toBe('no-cache');
    const html = page.body.toString();
    const manifestUrl = /<link rel="manifest" href="([^"]+)">/.exec(html)?.[1];
    expect(manifestUrl).toMatch(/^\/assets\/gate-[\w-]+\.webmanifest$/);

    const sw = await get(`${base}/gate-sw.js`, ca);
    expect(sw.status).toBe(200);
    expect(sw.headers['cache-control']).toBe('no-cache');
    expect(String(sw.headers['content-type'])).toMatch(/javascript/);
    const precache = JSON.parse(/\["\/assets\/[^\]]*\]/.exec(sw.body.toString())![0]) as string[];
    expect(sw.body.toString()).not.toMatch(/__GATE_(PRECACHE|VERSION)__|^import |^export /m);
    expect(precache).toContain(manifestUrl);
    const wasm = precache.find((f) => /^\/assets\/zxing_reader-[\w-]+\.wasm$/.test(f))!;
    expect(wasm).toBeTruthy();
    const entry = /<script type="module" crossorigin src="([^"]+)">/.exec(html)![1]!;
    expect(precache).toContain(entry);

    const w = await get(base + wasm, ca);
    expect(w.status).toBe(200);
    expect(w.headers['content-type']).toBe('application/wasm');
    expect(String(w.headers['cache-control'])).toContain('immutable');
    expect(w.body.subarray(0, 4)).toEqual(Buffer.from([0, 0x61, 0x73, 0x6d])); // "\0asm"

    const manifest = JSON.parse((await get(base + manifestUrl!, ca)).body.toString()) as { name: string; start_url: string; scope: string; icons: Array<{ src: string; sizes: string }> };
    expect(manifest).toMatchObject({ name: '一区一码 卡点核验', start_url: '/gate', scope: '/gate' });
    expect(manifest.icons.map((i) => i.sizes)).toEqual(['192x192', '512x512']);
    for (const icon of manifest.icons) {
      const png = await get(base + icon.src, ca);
      expect(png.status).toBe(200);
      expect(png.body.subarray(1, 4).toString()).toBe('PNG');
      expect(png.body.readUInt32BE(16)).toBe(Number(icon.sizes.split('x')[0])); // IHDR width
      expect(precache).toContain(icon.src);
    }
  });
});
