/**
 * Browser smoke check of the staff console against a running server with the demo seed
 * (`npx vite build && DATA_DIR=/tmp/x PORT=3999 npx tsx src/main.ts`):
 *   npx tsx web/console/e2e/smoke.ts [baseUrl] [screenshotDir]
 * Signs in as the community worker and opens every page (no page error, no 5xx); then, as the
 * guard on a phone-sized screen, registers a person without a phone, enters with 37.8 (refused,
 * the fever alert appears live without a reload), acknowledges, re-measures 36.6, clears, and
 * sees the pass in the live list. Exits 1 on the first failed expectation. Screenshots go to
 * `screenshotDir` (default /tmp/console-shots).
 */
import fs from 'node:fs';
import { chromium, type Page } from 'playwright-core';

const BASE = process.argv[2] ?? 'http://127.0.0.1:3999';
const SHOTS = process.argv[3] ?? '/tmp/console-shots';
const PASSWORD = process.env.DEMO_PASSWORD ?? 'yiqu-demo-2020';
fs.mkdirSync(SHOTS, { recursive: true });

/** A valid GB 11643 resident ID for 山阳区 with a random sequence (unique per run). */
function residentId(): string {
  const body = `410811198${Math.floor(Math.random() * 10)}0${1 + Math.floor(Math.random() * 9)}1${Math.floor(Math.random() * 9)}${String(Math.floor(Math.random() * 1000)).padStart(3, '0')}`;
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body].reduce((s, d, i) => s + Number(d) * w[i]!, 0);
  return body + '10X98765432'[sum % 11];
}

function expect(cond: unknown, what: string): asserts cond {
  if (!cond) throw new Error(`expectation failed: ${what}`);
  console.log(`ok - ${what}`);
}

function watch(page: Page, problems: string[]) {
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) problems.push(`console error: ${m.text()}`); });
  page.on('response', (r) => { if (r.status() >= 500) problems.push(`${r.status()} ${r.url()}`); });
}

async function signIn(page: Page, username: string) {
  await page.goto(`${BASE}/console/`);
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
}

async function main() {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  const problems: string[] = [];
  const pages: Page[] = [];
  try {
    // Community worker: every page of the menu.
    const desk = await browser.newPage({ viewport: { width: 1366, height: 860 }, locale: 'zh-CN' });
    watch(desk, problems);
    pages.push(desk);
    await desk.goto(`${BASE}/console/`);
    await desk.getByRole('button', { name: '登录' }).waitFor();
    await desk.screenshot({ path: `${SHOTS}/01-login.png` });
    await signIn(desk, 'demo-community');
    await desk.getByRole('heading', { name: '数据看板' }).waitFor();
    expect(desk.url().endsWith('/console/dashboard'), 'community worker lands on the dashboard');
    const menu = await desk.getByRole('navigation').or(desk.locator('.ant-menu')).first().innerText();
    expect(!menu.includes('审计日志'), 'menu hides pages the role may not open (审计日志)');
    await desk.waitForTimeout(1200);
    await desk.screenshot({ path: `${SHOTS}/02-dashboard.png`, fullPage: true });
    for (const [path, heading, shot] of [['/checkins', '通行记录', '03-checkins'], ['/places', '场所与卡点', '04-places'], ['/accounts', '账号管理', '05-accounts'],
      ['/alerts', '发热预警', '06-alerts'], ['/persons', '人员查询', '07-persons']] as const) {
      await desk.locator('.ant-menu').getByText(heading, { exact: true }).click();
      await desk.getByRole('heading', { name: heading }).waitFor();
      expect(desk.url().endsWith(`/console${path}`), `menu opens ${path}`);
      await desk.waitForTimeout(800);
      await desk.screenshot({ path: `${SHOTS}/${shot}.png`, fullPage: true });
    }
    await desk.goto(`${BASE}/console/audit`);
    await desk.getByText('无权访问').waitFor();
    expect(true, 'a page outside the role answers 无权访问');

    // Guard on a phone: register a person without a phone, fever, alert live, clear.
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'zh-CN', hasTouch: true, isMobile: true });
    watch(phone, problems);
    pages.push(phone);
    await signIn(phone, 'demo-guard');
    await phone.getByText('无手机人员登记/查询').waitFor();
    expect(phone.url().endsWith('/console/gate'), 'guard lands on the gate page');
    await phone.getByText('实时连接正常').waitFor({ timeout: 10_000 });
    await phone.screenshot({ path: `${SHOTS}/10-gate-phone.png`, fullPage: true });
    await phone.screenshot({ path: `${SHOTS}/10-gate-phone-top.png` });
    await phone.getByLabel('证件号码').fill(residentId());
    await phone.getByRole('button', { name: '查询', exact: true }).click();
    await phone.getByText('未找到').first().waitFor();
    expect(true, 'unknown document: not found, registration offered');
    await phone.getByLabel('姓名').fill('阿依古丽·买买提');
    await phone.getByLabel('住址').fill('3号楼2单元401');
    await phone.getByRole('button', { name: '登记', exact: true }).click();
    await phone.getByTestId('gate-person').waitFor();
    expect(true, 'registered from the ID card');
    await phone.getByLabel('体温').fill('37.8');
    await phone.getByRole('button', { name: '进入', exact: true }).click();
    await phone.getByText('禁止通行', { exact: true }).first().waitFor();
    const alert = phone.getByTestId('fever-alert');
    await alert.waitFor({ timeout: 10_000 });
    expect(await alert.getAttribute('role') === 'alert', 'the fever alert appears live with role=alert');
    await phone.screenshot({ path: `${SHOTS}/11-gate-fever.png`, fullPage: true });
    await alert.getByRole('button', { name: '确认', exact: true }).click();
    await alert.getByText('已确认').waitFor();
    await alert.getByLabel('复测体温').fill('36.6');
    await alert.getByLabel('处置结果').selectOption({ label: '解除（复测正常）' });
    await alert.getByRole('button', { name: '提交', exact: true }).click();
    await alert.waitFor({ state: 'detached', timeout: 10_000 });
    expect(true, 'acknowledged, re-measured 36.6 and cleared');
    await phone.getByRole('list', { name: '实时通行记录' }).getByRole('listitem').filter({ hasText: '36.6' }).filter({ hasText: /通行$/ }).first()
      .waitFor({ timeout: 10_000 });
    expect(true, 'the cleared entry shows as 通行 in the live list');
    await phone.screenshot({ path: `${SHOTS}/12-gate-cleared.png`, fullPage: true });

    // The community worker's console received it too (no reload): alerts history shows the outcome.
    await desk.goto(`${BASE}/console/alerts`);
    await desk.getByText('全部记录').click();
    await desk.getByText('解除（复测正常）').first().waitFor();
    expect(true, 'the outcome is in the community alert history');

    // English.
    await desk.getByText('EN', { exact: true }).click();
    await desk.getByRole('heading', { name: 'Fever alerts' }).waitFor();
    expect(true, 'language switches to English');
    await desk.screenshot({ path: `${SHOTS}/13-alerts-en.png`, fullPage: true });

    expect(problems.length === 0, `no page errors or 5xx (${problems.join(' | ')})`);
  } catch (e) {
    for (const [i, p] of pages.entries()) await p.screenshot({ path: `${SHOTS}/failure-${i}.png`, fullPage: true }).catch(() => {});
    console.error(`screenshots of the failure: ${SHOTS}/failure-*.png`);
    throw e;
  } finally {
    await browser.close();
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
