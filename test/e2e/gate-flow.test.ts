/**
 * Issue 2 acceptance, in a real browser: a poster printed by `npx yiqu posters` is decoded by zbar
 * from its rendered PDF page; the decoded URL opens the registration page on a 390×844 phone;
 * the resident registers, enters at 36.5 (通行, masked name, live clock), leaves, enters at 37.8
 * (禁止通行 with the fever reason); meanwhile the guard's console shows the fever alert live (no
 * reload), the guard acknowledges, re-measures 36.6, clears it, and the person passes: in the
 * console's live list, in GET /api/gate/checkins and on the resident's /me page.
 * Screenshots of every page go to /tmp/yiqu-e2e-shots/<stamp>/ when the flow fails.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { loadConfig } from '../../src/config';
import { openContext } from '../../src/server';
import { openTestDatabase, type TestDatabase } from '../helpers/db';
import { freePort, startServerProcess, type ServerProcess } from '../helpers/server-process';
import { DESKTOP, PHONE, launchChromium, requireChromium, screenshot, watchProblems } from '../helpers/browser';
import { pdfPageCount, qrCodesOnPdfPage, requireQrTools } from '../helpers/qr';
import { buildCheckpoint, buildPlace } from '../helpers/factories/places';
import { buildStaff, TEST_PASSWORD } from '../helpers/factories/staff';
import { testPhone, validResidentId } from '../helpers/factories/persons';

/** 东方红街道's first community in 山阳区 (a level-5 node of the template's 焦作市 tree). */
const COMMUNITY = '410811001001';
const NAME = '王晓明';
const MASKED = '王*明';
const WAIT = { timeout: 15_000 };

/** HH:MM:SS of `ms` in China time, as seconds since midnight. */
function chinaSeconds(ms: number): number {
  const d = new Date(ms + 8 * 3600_000);
  return d.getUTCHours() * 3600 + d.getUTCMinutes() * 60 + d.getUTCSeconds();
}
function clockSeconds(text: string): number {
  const m = /^(\d{2}):(\d{2}):(\d{2})$/.exec(text.trim());
  if (!m) throw new Error(`not a HH:MM:SS clock: "${text}"`);
  return Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]);
}
/** Difference b − a of two times of day in seconds, across midnight. */
const dayDiff = (a: number, b: number) => ((b - a) % 86_400 + 86_400 + 43_200) % 86_400 - 43_200;

interface LiveRow { id: string; at: string; maskedName: string; direction: string; temperature: number | null; outcome: string; refusal: string | null; source: string }

const ready = requireChromium() && requireQrTools();
/** YIQU_E2E_SHOTS=1 also saves a screenshot of every step (to look at the pages). */
const STEP_SHOTS = process.env.YIQU_E2E_SHOTS === '1';
const step = async (page: Page, name: string) => { if (STEP_SHOTS) await screenshot(page, name); };

describe.runIf(ready)('issue 2 gate flow in Chromium: poster → phone → fever → guard clears', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'yiqu-gate-flow-'));
  const pdf = path.join(tmp, 'posters.pdf');
  let tdb: TestDatabase;
  let server: ServerProcess | null = null;
  let browser: Browser | null = null;
  let base = '';
  let token = '';
  let checkpointId = '';
  let placeName = '';
  let guardUser = '';
  let cliOut = '';

  beforeAll(async () => {
    // The pages the server serves: build dist/web when missing or older than web/.
    execFileSync(process.execPath, ['scripts/ensure-web.mjs'], { stdio: 'inherit' });

    tdb = await openTestDatabase('pglite');
    const ctx = await openContext(loadConfig({ DATA_DIR: tdb.location.dataDir, LOG_LEVEL: 'warn' }), tdb);
    const place = await buildPlace(ctx, { communityCode: COMMUNITY, kind: 'residential', name: '东方红家园' });
    const cp = await buildCheckpoint(ctx, place.id, { name: '东门' });
    const guard = await buildStaff(ctx, { role: 'guard', areaCode: COMMUNITY, checkpointId: cp.checkpoint.id, username: 'e2e-guard', displayName: '门卫老李' });
    ({ token } = cp);
    checkpointId = cp.checkpoint.id;
    placeName = place.name;
    guardUser = guard.username;
    await tdb.close(); // PGlite is single-process: the CLI, then the server, open the data dir next

    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: tdb.location.dataDir, PUBLIC_URL: base, PORT: String(port), LOG_LEVEL: 'warn', SEED_DEMO: '0' };
    delete env.DATABASE_URL;
    cliOut = execFileSync('npx', ['yiqu', 'posters', '--area', COMMUNITY, '--out', pdf], { env, encoding: 'utf8', timeout: 120_000 });

    server = await startServerProcess({ DATA_DIR: tdb.location.dataDir, PUBLIC_URL: base, YIQU_E2E_PORT: String(port) }, 'test/e2e/gate-flow.server.ts');
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await server?.stop().catch(() => undefined);
    await tdb?.drop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('the printed poster QR decodes (pdftoppm → zbarimg) to PUBLIC_URL/c/<token>', () => {
    expect(cliOut).toMatch(/1 posters of 410811001001/);
    expect(fs.statSync(pdf).size).toBeGreaterThan(10_000);
    expect(pdfPageCount(pdf)).toBe(1);
    expect(qrCodesOnPdfPage(pdf, 1)).toEqual([`${base}/c/${token}`]);
  });

  it('registers on a phone, passes at 36.5, is refused at 37.8, and the guard clears the fever live', async () => {
    const [url] = qrCodesOnPdfPage(pdf, 1);
    expect(url).toBe(`${base}/c/${token}`);
    const problems: string[] = [];
    const contexts: BrowserContext[] = [];
    const pages: Record<string, Page> = {};
    try {
      // The guard signs in on a desktop first and waits on the gate page with the live stream open.
      const deskCtx = await browser!.newContext(DESKTOP);
      contexts.push(deskCtx);
      const desk = (pages.guard = await deskCtx.newPage());
      watchProblems(desk, 'guard', problems);
      await desk.goto(`${base}/console/`);
      await desk.getByLabel('用户名').fill(guardUser);
      await desk.getByLabel('密码').fill(TEST_PASSWORD);
      await desk.getByRole('button', { name: '登录', exact: true }).click();
      await desk.waitForURL(/\/console\/gate$/, WAIT);
      await desk.getByText('实时连接正常').waitFor(WAIT);
      await desk.getByText('本卡点暂无待处置的发热预警').waitFor(WAIT);
      expect(await desk.getByTestId('fever-alert').count()).toBe(0);
      await step(desk, '01-guard-gate');
      await desk.evaluate(() => { (window as unknown as { e2eMarker: string }).e2eMarker = 'no-reload'; });

      // The resident's phone opens the decoded URL: registration on an unknown device.
      const phoneCtx = await browser!.newContext(PHONE);
      contexts.push(phoneCtx);
      const phone = (pages.phone = await phoneCtx.newPage());
      watchProblems(phone, 'phone', problems);
      await phone.goto(url!);
      await phone.getByRole('heading', { name: placeName }).waitFor(WAIT);
      await phone.getByRole('button', { name: '登记', exact: true }).waitFor(WAIT);
      await phone.getByLabel('姓名', { exact: true }).fill(NAME);
      await phone.getByLabel('证件类型', { exact: true }).selectOption({ label: '居民身份证' });
      await phone.getByLabel('证件号码', { exact: true }).fill(validResidentId({ birth: '19850312' }));
      await phone.getByLabel('手机号码', { exact: true }).fill(testPhone());
      expect(await phone.getByLabel('所在社区', { exact: true }).inputValue()).toBe(COMMUNITY);
      await phone.getByLabel('住址', { exact: true }).fill('3号楼2单元501');
      await step(phone, '02-phone-register');
      await phone.getByRole('button', { name: '登记', exact: true }).click();

      // Known device: temperature and 进入 → green 通行 with the masked name and a live clock.
      await phone.getByLabel('体温', { exact: true }).fill('36.5');
      const cookies = await phoneCtx.cookies();
      const device = cookies.find((c) => c.name === 'yiqu_device');
      expect(device?.httpOnly).toBe(true);
      expect(device?.value).not.toContain(NAME);
      await phone.getByRole('button', { name: '进入', exact: true }).click();
      const result = phone.locator('[data-testid="result"][data-outcome="pass"]');
      await result.waitFor(WAIT);
      await expect.poll(() => result.locator('.verdict-text').textContent()).toBe('通行');
      expect(await result.getByTestId('result-person').textContent()).toContain(MASKED);
      expect(await result.textContent()).not.toContain(NAME);
      expect(await result.textContent()).toContain(placeName);
      await step(phone, '03-phone-pass');
      const clock = result.locator('.clock');
      const first = (await clock.textContent()) ?? '';
      expect(Math.abs(dayDiff(clockSeconds(first), chinaSeconds(Date.now())))).toBeLessThanOrEqual(3); // China time
      await phone.waitForTimeout(1200); // the clock must tick on its own: two reads 1.2 s apart differ
      const second = (await clock.textContent()) ?? '';
      expect(second).not.toBe(first);
      expect(dayDiff(clockSeconds(first), clockSeconds(second))).toBeGreaterThanOrEqual(1);
      expect(dayDiff(clockSeconds(first), clockSeconds(second))).toBeLessThanOrEqual(3);

      // 离开, then 进入 at 37.8 → red 禁止通行 with the fever reason.
      await result.getByRole('button', { name: '返回', exact: true }).click();
      await phone.getByRole('button', { name: '离开', exact: true }).click();
      await phone.locator('[data-testid="result"][data-outcome="pass"]').getByText('方向：离开').waitFor(WAIT);
      await phone.getByRole('button', { name: '返回', exact: true }).click();
      await phone.getByLabel('体温', { exact: true }).fill('37.8');
      await phone.getByRole('button', { name: '进入', exact: true }).click();
      const refused = phone.locator('[data-testid="result"][data-outcome="refused"]');
      await refused.waitFor(WAIT);
      expect(await refused.locator('.verdict-text').textContent()).toBe('禁止通行');
      await step(phone, '04-phone-refused');
      const reason = (await refused.locator('.reason').textContent()) ?? '';
      expect(reason).toContain('37.8℃');
      expect(reason).toContain('发热');

      // The guard's console: the alert arrived live, in the same document (no reload).
      const alert = desk.getByTestId('fever-alert').filter({ hasText: MASKED });
      await alert.waitFor(WAIT);
      expect(await alert.getAttribute('role')).toBe('alert');
      expect(await alert.textContent()).toContain('37.8');
      expect(await desk.evaluate(() => (window as unknown as { e2eMarker?: string }).e2eMarker)).toBe('no-reload');

      await step(desk, '05-guard-alert');
      // Acknowledge, re-measure 36.6, clear.
      await alert.getByRole('button', { name: '确认', exact: true }).click();
      await alert.getByText('已确认').waitFor(WAIT);
      await alert.getByLabel('复测体温', { exact: true }).fill('36.6');
      await alert.getByLabel('处置结果', { exact: true }).selectOption({ label: '解除（复测正常）' });
      await alert.getByRole('button', { name: '提交', exact: true }).click();
      await alert.waitFor({ state: 'detached', ...WAIT });
      await desk.getByText('本卡点暂无待处置的发热预警').waitFor(WAIT);

      // The person passes: the console's live list shows a 通行 entry at 36.6 …
      const passRow = desk.locator('.ant-table-row').filter({ hasText: MASKED }).filter({ hasText: '36.6' });
      await passRow.first().waitFor(WAIT);
      expect(await passRow.first().locator('.ant-tag').allTextContents()).toContain('通行');
      await step(desk, '06-guard-cleared');
      // … and the server's newest record for the person is that pass, recorded by the guard.
      const res = await desk.request.get(`${base}/api/gate/checkins?checkpointId=${checkpointId}`);
      expect(res.status()).toBe(200);
      const mine = ((await res.json()) as { checkins: LiveRow[] }).checkins.filter((r) => r.maskedName === MASKED);
      expect(mine.map((r) => [r.direction, r.temperature, r.outcome, r.refusal, r.source])).toEqual([
        ['in', 36.6, 'pass', null, 'guard'],
        ['in', 37.8, 'refused', 'fever', expect.any(String)],
        ['out', null, 'pass', null, expect.any(String)],
        ['in', 36.5, 'pass', null, expect.any(String)],
      ]);

      // The resident's 我的 page shows the cleared entry first and the status back to normal.
      await phone.goto(`${base}/me`);
      const checkins = phone.getByRole('heading', { name: '我的打卡记录' }).locator('xpath=..').getByRole('listitem');
      await checkins.first().waitFor(WAIT);
      const newest = (await checkins.first().textContent()) ?? '';
      await step(phone, '07-phone-me');
      expect(newest).toContain('进入');
      expect(newest).toContain('36.6℃');
      expect(newest).not.toContain('禁止通行');
      expect((await checkins.nth(1).textContent()) ?? '').toContain('禁止通行');
      expect(await phone.locator('.status-label').first().textContent()).toBe('正常');
      // Who read the record: the guard's resolution, labelled in Chinese (never a raw action code).
      const reads = phone.getByRole('heading', { name: '谁查看了我的信息' }).locator('xpath=..').getByRole('listitem');
      const readTexts = await reads.allTextContents();
      expect(readTexts.some((r) => r.includes('卡点值守人员') && r.includes('复测体温并处置了发热预警'))).toBe(true);
      expect(readTexts.filter((r) => /[a-z_]+\.[a-z_]+/.test(r))).toEqual([]);
      expect(problems).toEqual([]);
    } catch (e) {
      for (const [name, page] of Object.entries(pages)) {
        const file = await screenshot(page, `gate-flow-failure-${name}`);
        if (file) console.error(`screenshot of the ${name} page at the failure: ${file}`);
      }
      if (problems.length) console.error(`page problems: ${problems.join(' | ')}`);
      throw e;
    } finally {
      for (const c of contexts) await c.close().catch(() => undefined);
    }
  });
});
