/**
 * Issue 3 §2 and the /v landing page, in Chromium on a 390×844 phone against a real server:
 * - 我的通行码 (/pass, reached from 我的): the QR drawn in the browser decodes (zbarimg, from a
 *   screenshot of the canvas) to a pass token that verifies with the published keys, the band shows
 *   the status colour, the clock ticks, the code is replaced every refreshInS seconds, and the
 *   dependent's code is one tap away;
 * - /v#<screen code>: a checkpoint's rotating code opens the normal check-in (the token leaves the
 *   address bar), and the resident checks in with it; a personal code and garbage get their notices;
 * - the console's person page (issue 3 §6): 打印通行卡 downloads a card whose QR verifies, 作废 with a
 *   reason revokes it (listed for offline scanners).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { decodeJwt } from 'jose';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';
import { openContext } from '../../src/server';
import { verifyTokenWith } from '../../src/modules/tokens/verify-core';
import { openTestDatabase, type TestDatabase } from '../helpers/db';
import { startServerProcess, type ServerProcess } from '../helpers/server-process';
import { DESKTOP, launchChromium, PHONE, requireChromium, screenshot, watchProblems } from '../helpers/browser';
import { decodeImage, qrCodesOnPdfPage, requireQrTools } from '../helpers/qr';
import { buildCheckpoint, buildPlace } from '../helpers/factories/places';
import { buildStaff, TEST_PASSWORD } from '../helpers/factories/staff';
import { testPhone, validResidentId } from '../helpers/factories/persons';

const COMMUNITY = '410811001001';
const WAIT = { timeout: 15_000 };
const REFRESH_S = 5;
const ready = requireChromium() && requireQrTools();
/** YIQU_E2E_SHOTS=1 also saves a screenshot of each page (to look at them). */
const shot = async (page: Page, name: string) => { if (process.env.YIQU_E2E_SHOTS === '1') await screenshot(page, name); };

describe.runIf(ready)('我的通行码 and /v in Chromium', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'yiqu-pass-page-'));
  let tdb: TestDatabase;
  let server: ServerProcess | null = null;
  let browser: Browser | null = null;
  let base = '';
  let checkpointId = '';
  let placeName = '';
  let workerUser = '';
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    execFileSync(process.execPath, ['scripts/ensure-web.mjs'], { stdio: 'inherit' });
    tdb = await openTestDatabase('pglite');
    const ctx = await openContext(loadConfig({ DATA_DIR: tdb.location.dataDir, LOG_LEVEL: 'warn' }), tdb);
    const place = await buildPlace(ctx, { communityCode: COMMUNITY, kind: 'residential', name: '通行码家园' });
    placeName = place.name;
    checkpointId = (await buildCheckpoint(ctx, place.id, { name: '南门', mode: 'screen' })).checkpoint.id;
    workerUser = (await buildStaff(ctx, { role: 'community_worker', areaCode: COMMUNITY, username: 'e2e-pass-worker' })).username;
    await tdb.close();
    server = await startServerProcess({ DATA_DIR: tdb.location.dataDir, PASS_CODE_REFRESH_S: String(REFRESH_S) });
    base = server.url;
    browser = await launchChromium();
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await server?.stop().catch(() => undefined);
    await tdb?.drop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  /** A phone with a registered owner (and `dependent` when given), cookie in the browser context. */
  async function phone(name: string, dependent?: string): Promise<{ page: Page; ids: string[] }> {
    const ctx = await browser!.newContext(PHONE);
    contexts.push(ctx);
    const form = (n: string, phoneNo: string) => ({ name: n, docType: 'resident_id', docNumber: validResidentId(), phone: phoneNo, communityCode: COMMUNITY, address: '1号楼' });
    const reg = await ctx.request.post(`${base}/api/r/register`, { data: form(name, testPhone()) });
    expect(reg.status()).toBe(201);
    const ids = [(await reg.json()).person.id as string];
    if (dependent) {
      const dep = await ctx.request.post(`${base}/api/r/dependents`, { data: form(dependent, '') });
      expect(dep.status()).toBe(201);
      ids.push((await dep.json()).person.id);
    }
    return { page: await ctx.newPage(), ids };
  }

  /** The text the pass page's QR canvas decodes to (zbarimg on a screenshot of the canvas). */
  async function shownCode(page: Page): Promise<string> {
    const file = path.join(tmp, `qr-${Date.now()}.png`);
    await page.getByTestId('pass-qr').screenshot({ path: file });
    const codes = decodeImage(file);
    expect(codes).toHaveLength(1);
    return codes[0]!;
  }

  it('shows a scannable, verifiable, self-refreshing pass code with the status colour, for each person', async () => {
    const problems: string[] = [];
    const { page, ids } = await phone('赵通行', '赵老人');
    watchProblems(page, 'phone', problems);
    try {
      await page.goto(`${base}/me`);
      await page.getByRole('link', { name: '我的通行码' }).click();
      await page.waitForURL(/\/pass$/, WAIT);
      const card = page.getByTestId('pass');
      await card.waitFor(WAIT);
      expect(await card.getAttribute('data-colour')).toBe('green');
      await expect.poll(() => card.textContent()).toContain('正常');
      expect(await card.textContent()).toContain('赵*行');
      const clock = page.locator('.pass-card .clock');
      const t1 = await clock.textContent();
      expect(t1).toMatch(/^\d{2}:\d{2}:\d{2}$/);
      await expect.poll(() => clock.textContent(), { timeout: 3000 }).not.toBe(t1);
      expect(await page.locator('.countdown').textContent()).toMatch(/秒后自动刷新/);
      await shot(page, 'pass-self');

      const jwks = await (await fetch(`${base}/.well-known/jwks.json`)).json();
      const first = await shownCode(page);
      const v = await verifyTokenWith(first, { expect: 'pass', jwks });
      expect(v.sub).toBe(ids[0]);
      expect(v.claims).toMatchObject({ nm: '赵*行', st: 'normal' });

      // refreshInS later the screen shows a new code for the same person
      await expect.poll(async () => shownCode(page), { timeout: (REFRESH_S + 8) * 1000, interval: 1000 }).not.toBe(first);
      const second = await shownCode(page);
      expect(decodeJwt(second).sub).toBe(ids[0]);
      expect(decodeJwt(second).iat!).toBeGreaterThan(decodeJwt(first).iat!);

      await page.getByRole('tab', { name: /赵\*人/ }).click();
      await expect.poll(() => card.textContent()).toContain('赵*人');
      expect((await verifyTokenWith(await shownCode(page), { expect: 'pass', jwks })).sub).toBe(ids[1]);
      await shot(page, 'pass-dependent');
      expect(problems).toEqual([]);
    } catch (e) {
      await screenshot(page, 'pass-page');
      throw e;
    }
  });

  it('/v#<screen code> opens the check-in with that code, out of the address bar; other codes get a notice', async () => {
    const problems: string[] = [];
    const { page } = await phone('钱扫码');
    watchProblems(page, 'phone', problems);
    try {
      const tablet = await browser!.newContext(); // the community worker's tablet
      contexts.push(tablet);
      const staff = tablet.request;
      const login = await staff.post(`${base}/api/staff/login`, { data: { username: workerUser, password: TEST_PASSWORD } });
      expect(login.status()).toBe(200);
      const code = await staff.get(`${base}/api/gate/checkpoints/${checkpointId}/screen-code`);
      expect(code.status(), await code.text()).toBe(200);
      const { token } = await code.json();
      await page.goto(`${base}/v#${token}`);
      await page.getByRole('heading', { name: placeName }).waitFor(WAIT);
      expect(page.url()).toBe(`${base}/v`);
      await page.getByLabel('体温').fill('36.5');
      await page.getByRole('button', { name: '进入', exact: true }).click();
      const result = page.getByTestId('result');
      await result.waitFor(WAIT);
      expect(await result.getAttribute('data-outcome')).toBe('pass');

      const pass = (await (await page.context().request.get(`${base}/api/r/pass`)).json()).persons[0].token;
      await page.goto(`${base}/v#${pass}`);
      await page.getByRole('heading', { name: '这是个人通行码' }).waitFor(WAIT);
      await shot(page, 'visit-personal');
      await page.goto(`${base}/v#not-a-code`);
      await page.getByRole('heading', { name: '无法识别的二维码' }).waitFor(WAIT);
      expect(problems).toEqual([]);
    } catch (e) {
      await screenshot(page, 'visit-page');
      throw e;
    }
  });
  it('the console\'s person page prints a card (PDF with a verifying QR) and revokes it with a reason', async () => {
    const problems: string[] = [];
    const { ids } = await phone('孙制卡');
    const desk = await browser!.newContext(DESKTOP);
    contexts.push(desk);
    const page = await desk.newPage();
    watchProblems(page, 'console', problems);
    try {
      await page.goto(`${base}/console/`);
      await page.getByLabel('用户名').fill(workerUser);
      await page.getByLabel('密码').fill(TEST_PASSWORD);
      await page.getByRole('button', { name: '登录', exact: true }).click();
      await page.waitForURL(/\/console\/dashboard$/, WAIT);
      await page.goto(`${base}/console/persons/${ids[0]}`);
      await page.getByText('尚未制卡').waitFor(WAIT);
      await page.getByTestId('print-card').click();
      const [dl] = await Promise.all([page.waitForEvent('download', WAIT), page.getByRole('button', { name: '生成并下载' }).click()]);
      const file = path.join(tmp, 'card.pdf');
      await dl.saveAs(file);
      const codes = qrCodesOnPdfPage(file, 1, 150);
      expect(codes).toHaveLength(1);
      const jwks = await (await fetch(`${base}/.well-known/jwks.json`)).json();
      const v = await verifyTokenWith(codes[0]!, { expect: 'card', jwks });
      expect(v).toMatchObject({ sub: ids[0] });
      await page.getByRole('cell', { name: '有效' }).waitFor(WAIT);
      await shot(page, 'console-card');
      await page.getByRole('button', { name: '作废', exact: true }).first().click();
      await page.getByLabel('作废原因').fill('卡片遗失');
      await page.getByRole('dialog').getByRole('button', { name: '作废' }).click();
      await page.getByRole('cell', { name: '已作废' }).waitFor(WAIT);
      const revoked = (await (await fetch(`${base}/api/tokens/revocations`)).json()).revocations.map((r: { jti: string }) => r.jti);
      expect(revoked).toContain(v.jti);
      expect(problems).toEqual([]);
    } catch (e) {
      await screenshot(page, 'console-card');
      throw e;
    }
  });
});
