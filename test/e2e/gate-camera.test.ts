/**
 * Issue 3 acceptance, the guard's camera: a resident's pass code (registered through the API,
 * GET /api/r/pass) is drawn as a PNG, made into a .y4m by ffmpeg and played as Chromium's fake
 * camera; the /gate page decodes it with barcode-detector over zxing-wasm (the .wasm from our own
 * server), shows the masked name, status and 通行, takes the guard's reading and records the
 * check-in (seen in the live list). A code older than its lifetime (PASS_CODE_TTL_S=20 on this
 * server) is refused with the expired reason and recorded as a refusal. The screen-mode tab shows
 * the checkpoint's rotating code, which zbar reads back from a screenshot. No request leaves the
 * test server.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { requireChromium, screenshot, watchProblems } from '../helpers/browser';
import { decodeImage, requireQrTools } from '../helpers/qr';
import { call, launchWithCamera, openGatePage, passCode, qrCameraFile, registerResident, requireFfmpeg, staffCookie,
  startGateWorld, WAIT, type GateWorld } from './gate-page.world';

const TTL_S = 20;
/** verify-core's clock tolerance: a code is refused once older than TTL + this. */
const TOLERANCE_S = 5;

interface LiveRow { maskedName: string; direction: string; temperature: number | null; outcome: string; refusal: string | null; source: string }

const ready = requireChromium() && requireFfmpeg() && requireQrTools();
/** Opening a fake camera and the decoder's .wasm took over 20 s once on a loaded 2-core CI machine. */
const CAMERA_WAIT = { timeout: 45_000 };
/** Page loads tried before the camera must be on (see cameraOn). */
const CAMERA_TRIES = 3;

/**
 * Make sure the gate page's camera runs: the page starts it by itself once the browser remembers
 * the permission (the fake camera grants it), which may happen before or after the test's click.
 * On 2026-12-01 (Chromium 156) the start sometimes never finished, with no error on the page, in
 * about 2 runs of 5 on the old code and the new alike; a guard would reload the page, and so does
 * this, up to CAMERA_TRIES loads (docs/STATUS.md).
 */
async function cameraOn(page: Page) {
  const open = page.getByRole('button', { name: '打开摄像头' });
  const close = page.getByRole('button', { name: '关闭摄像头' });
  for (let load = 1; ; load++) {
    await open.or(close).first().waitFor(WAIT);
    if (await open.isVisible()) await open.click({ timeout: 5000 }).catch(() => undefined); // it may have started meanwhile
    try {
      await close.waitFor(load < CAMERA_TRIES ? { timeout: 25_000 } : CAMERA_WAIT);
      return;
    } catch (e) {
      if (load >= CAMERA_TRIES) throw e;
      const said = await page.getByRole('status').first().textContent().catch(() => '');
      console.warn(`the gate page's camera did not start within 25 s (${said}): reloading (load ${load + 1} of ${CAMERA_TRIES})`);
      await page.reload();
    }
  }
}

describe.runIf(ready)('gate page in Chromium: fake camera → decode → verify → record', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'yiqu-gate-cam-'));
  let w: GateWorld;
  let guardCookie = '';
  const browsers: Browser[] = [];

  beforeAll(async () => {
    w = await startGateWorld({ PASS_CODE_TTL_S: String(TTL_S) }, 'screen');
    guardCookie = await staffCookie(w.base, w.guard);
  });
  afterAll(async () => {
    for (const b of browsers) await b.close().catch(() => undefined);
    await w?.server.stop().catch(() => undefined);
    await w?.tdb.drop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  const live = async () => (await call<{ checkins: LiveRow[] }>(w.base, 'GET', `/api/gate/checkins?checkpointId=${w.checkpointId}`, guardCookie)).checkins;

  async function onFailure(page: Page | null, name: string, problems: string[], e: unknown): Promise<never> {
    const file = page ? await screenshot(page, name) : null;
    if (file) console.error(`screenshot at the failure: ${file}`);
    if (problems.length) console.error(`page problems: ${problems.join(' | ')}`);
    throw e;
  }

  it('decodes a fresh pass code from the camera and records the guard\'s check-in; an expired one is refused', async () => {
    const old = await registerResident(w.base, '赵老旧');
    const oldCode = await passCode(w.base, old); // ages while the fresh code is scanned
    const oldFile = await qrCameraFile(oldCode.token, tmp, 'old');
    const fresh = await registerResident(w.base, '钱新鲜');
    const freshCode = await passCode(w.base, fresh);
    expect(freshCode.maskedName).toBe('钱*鲜');
    // the resident's own side first: the gate's on-screen code, entered at 36.1 (the guard will read 36.6)
    const screen = await call<{ token: string }>(w.base, 'GET', `/api/gate/checkpoints/${w.checkpointId}/screen-code`, guardCookie);
    await call(w.base, 'POST', '/api/r/checkins', fresh.cookie, { token: screen.token, direction: 'in', temperature: '36.1', personIds: [fresh.personId] });

    const problems: string[] = [];
    const foreign: string[] = [];
    const seen: string[] = [];
    let page: Page | null = null;
    try {
      const b1 = await launchWithCamera(await qrCameraFile(freshCode.token, tmp, 'fresh'));
      browsers.push(b1);
      const a = await openGatePage(b1, w, guardCookie, foreign, seen);
      page = a.page;
      watchProblems(page, 'gate', problems);
      await cameraOn(page);
      const result = page.getByTestId('result');
      await result.getByTestId('result-name').filter({ hasText: '钱*鲜' }).waitFor(WAIT);
      expect(await result.getAttribute('data-state')).toBe('judging');
      expect(await result.getByTestId('result-status').textContent()).toContain('正常');
      expect(await result.getByTestId('verdict').textContent()).toContain('通行');
      await page.getByLabel('体温', { exact: true }).fill('36.6');
      await page.getByRole('button', { name: '确认', exact: true }).click();
      await page.locator('[data-testid="result"][data-state="done"][data-outcome="pass"]').waitFor(WAIT);
      expect(await result.textContent()).toContain('已记录');
      // two-way: linked with the resident's 36.1, the 0.5 °C gap flagged on the gate
      expect(await result.textContent()).toContain('双向测温相差 0.5℃');
      const rows = (await live()).filter((r) => r.maskedName === '钱*鲜' && r.source === 'guard');
      expect(rows.map((r) => [r.direction, r.temperature, r.outcome, r.refusal, r.source])).toEqual([['in', 36.6, 'pass', null, 'guard']]);
      // the decoder's .wasm came from this server (a fingerprinted asset), like everything else
      expect(seen.some((u) => u.startsWith(`${w.base}/assets/zxing_reader-`) && u.endsWith('.wasm'))).toBe(true);
      await a.context.close();

      // the community's 通行记录 shows both halves as one two-way check, the gap in red
      const doctor = await b1.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
      const [dn, dv] = (await staffCookie(w.base, w.doctor)).split(';')[0]!.split('=');
      await doctor.addCookies([{ name: dn!, value: dv!, url: w.base }]);
      const list = await doctor.newPage();
      watchProblems(list, 'checkins', problems);
      await list.goto(`${w.base}/console/checkins`);
      const flagged = list.getByTestId('two-way-flagged');
      await flagged.first().waitFor(WAIT);
      expect(await flagged.count()).toBe(2); // the resident's row and the guard's
      expect(await flagged.first().textContent()).toBe('温差 0.5℃，需复测');
      await doctor.close();

      // the first code is older than its lifetime by now (+ the verifier's tolerance)
      const age = Date.now() - (Date.parse(oldCode.expiresAt) - TTL_S * 1000);
      if (age < (TTL_S + TOLERANCE_S + 1) * 1000) await new Promise((r) => setTimeout(r, (TTL_S + TOLERANCE_S + 1) * 1000 - age));
      await b1.close(); // one fake camera at a time
      const b2 = await launchWithCamera(oldFile);
      browsers.push(b2);
      const b = await openGatePage(b2, w, guardCookie, foreign);
      page = b.page;
      watchProblems(page, 'gate-expired', problems);
      await cameraOn(page);
      const refused = page.locator('[data-testid="result"][data-outcome="refused"][data-reason-code="token_expired"]');
      await refused.waitFor(WAIT);
      expect(await refused.getByTestId('result-name').textContent()).toBe('赵*旧'); // genuine, only too old
      expect(await refused.getByTestId('verdict').textContent()).toBe('禁止通行');
      expect(await refused.getByTestId('reason').textContent()).toContain('已过期');
      await page.getByRole('button', { name: '确认（记录禁止通行）' }).click();
      await page.locator('[data-testid="result"][data-state="done"][data-outcome="refused"]').waitFor(WAIT);
      const oldRows = (await live()).filter((r) => r.maskedName === '赵*旧');
      expect(oldRows.map((r) => [r.outcome, r.refusal, r.source])).toEqual([['refused', 'token_expired', 'guard']]);
      expect((await live()).filter((r) => r.outcome === 'pass' && r.source === 'guard')).toHaveLength(1);
      expect(foreign).toEqual([]);
      expect(problems).toEqual([]);
    } catch (e) {
      await onFailure(page, 'gate-camera-failure', problems, e);
    }
  }, 240_000);

  it('screen mode shows the checkpoint\'s rotating code, large, with place and gate names', async () => {
    const problems: string[] = [];
    const foreign: string[] = [];
    let page: Page | null = null;
    try {
      const browser = await launchWithCamera();
      browsers.push(browser);
      // signed out: the page sends the guard to the console's sign-in, which leads back here
      const anon = await browser.newContext();
      const out = await anon.newPage();
      await out.goto(`${w.base}/gate`);
      await out.getByRole('heading', { name: '请先登录工作台' }).waitFor(WAIT);
      expect(await out.getByRole('link', { name: '去登录' }).getAttribute('href')).toBe('/console/gate');
      await anon.close();

      const s = await openGatePage(browser, w, guardCookie, foreign);
      page = s.page;
      watchProblems(page, 'screen', problems);
      // the console's 卡点值守 page links to this page
      const consolePage = await s.context.newPage();
      await consolePage.goto(`${w.base}/console/gate`);
      await consolePage.getByRole('link', { name: '扫码核验（可离线）' }).waitFor(WAIT);
      expect(await consolePage.getByRole('link', { name: '扫码核验（可离线）' }).getAttribute('href')).toBe('/gate');
      await consolePage.close();

      await page.getByRole('button', { name: '屏幕码' }).click();
      const qr = page.getByTestId('screen-qr');
      await page.locator('[data-testid="screen-qr"][data-url]').waitFor(WAIT);
      const url = (await qr.getAttribute('data-url'))!;
      expect(url).toMatch(/\/v#[\w-]+\.[\w-]+\.[\w-]+$/);
      expect(await page.locator('.screen-place').textContent()).toBe(w.placeName);
      expect(await page.locator('.screen-gate').textContent()).toBe(w.checkpointName);
      const box = (await qr.boundingBox())!;
      expect(box.width).toBeGreaterThanOrEqual(300);
      const png = path.join(tmp, 'screen.png');
      await qr.screenshot({ path: png });
      expect(decodeImage(png)).toEqual([url]);
      // the code a resident's phone opens is accepted by the resident API (checkpoint by screen code)
      const token = url.split('#')[1]!;
      const res = await fetch(`${w.base}/api/r/checkpoint/${token}`);
      expect(res.status).toBe(200);
      // switched back to its poster: the tab says so, without an empty frame or a countdown
      await call(w.base, 'POST', `/api/checkpoints/${w.checkpointId}/mode`, await staffCookie(w.base, w.worker), { mode: 'poster' });
      await page.getByRole('button', { name: '扫码核验' }).click();
      await page.getByRole('button', { name: '屏幕码' }).click();
      await page.locator('.screen-msg', { hasText: '此卡点为海报模式' }).waitFor(WAIT);
      expect([await qr.isHidden(), await page.locator('.screen-next').isHidden()]).toEqual([true, true]);
      expect(foreign).toEqual([]);
      expect(problems).toEqual([]);
    } catch (e) {
      await onFailure(page, 'gate-screen-failure', problems, e);
    }
  }, 90_000);
});
