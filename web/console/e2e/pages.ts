/**
 * Browser check of the console's management pages against a running demo server (see smoke.ts):
 *   npx tsx web/console/e2e/pages.ts [baseUrl] [screenshotDir]
 * As the community worker: open a place and its QR code, import places (a file with an error is
 * refused row by row, a good one imported), check and download posters (a PDF), export
 * check-ins (CSV), open a person's record from the search, create a guard account (one-time
 * password shown). As the admin: the audit log lists those reads and exports.
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Page } from 'playwright-core';

const BASE = process.argv[2] ?? 'http://127.0.0.1:3999';
const SHOTS = process.argv[3] ?? '/tmp/console-shots';
const PASSWORD = process.env.DEMO_PASSWORD ?? 'yiqu-demo-2020';
fs.mkdirSync(SHOTS, { recursive: true });

function expect(cond: unknown, what: string): asserts cond {
  if (!cond) throw new Error(`expectation failed: ${what}`);
  console.log(`ok - ${what}`);
}

async function signIn(page: Page, username: string) {
  await page.goto(`${BASE}/console/`);
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
  await page.locator('.ant-menu').waitFor();
}

/** Close the open modal or drawer and wait until it is gone (its animation would eat the next click). */
async function closeDialog(page: Page) {
  await page.keyboard.press('Escape');
  await page.locator('.ant-modal-wrap:visible, .ant-drawer-open').first().waitFor({ state: 'detached', timeout: 5_000 }).catch(() => {});
  await page.waitForTimeout(400);
}

async function main() {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  const problems: string[] = [];
  const tmp = fs.mkdtempSync('/tmp/console-e2e-');
  const page = await browser.newPage({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN', acceptDownloads: true });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('response', (r) => { if (r.status() >= 500) problems.push(`${r.status()} ${r.url()}`); });
  try {
    await signIn(page, 'demo-community');

    // A place, its checkpoints and QR code.
    await page.goto(`${BASE}/console/places`);
    await page.locator('.ant-table-row').first().getByRole('button').click();
    const drawer = page.getByRole('dialog');
    await drawer.getByText('卡点名称').first().waitFor();
    await drawer.getByRole('button', { name: /^查看/ }).first().click();
    await page.locator('.ant-popover canvas, .ant-popover svg').first().waitFor();
    expect(true, 'a checkpoint shows its QR code');
    await page.screenshot({ path: `${SHOTS}/20-place-drawer.png` });
    await page.keyboard.press('Escape'); // the QR popover
    await page.locator('.ant-drawer-close').click();
    await page.locator('.ant-drawer-open').waitFor({ state: 'detached' }).catch(() => {});
    await page.waitForTimeout(400);

    // Import: a bad file is refused row by row, a good one goes in.
    const stamp = Date.now().toString(36);
    const bad = path.join(tmp, 'bad.csv');
    fs.writeFileSync(bad, `\uFEFF社区编码,场所名称,场所类型,地址,卡点名称\r\n410811001001,测试超市${stamp},超市,解放路9号,正门\r\n999999999999,坏行${stamp},火星基地,,\r\n`);
    await page.getByRole('button', { name: '批量导入' }).click();
    await page.getByLabel('选择文件').setInputFiles(bad);
    await page.getByText('错误明细').waitFor();
    expect(await page.getByRole('button', { name: '确认导入' }).isDisabled(), 'a file with errors cannot be imported; rows listed');
    await page.screenshot({ path: `${SHOTS}/21-import-errors.png` });
    const good = path.join(tmp, 'good.csv');
    fs.writeFileSync(good, `\uFEFF社区编码,场所名称,场所类型,地址,卡点名称\r\n410811001001,测试超市${stamp},超市,解放路9号,正门\r\n410811001001,测试超市${stamp},超市,解放路9号,后门\r\n`);
    await page.getByLabel('选择文件').setInputFiles(good);
    await page.getByText('检查通过，可以导入').waitFor();
    await page.getByRole('button', { name: '确认导入' }).click();
    await page.getByText('已导入', { exact: true }).waitFor();
    expect(true, 'a valid file is imported after the dry run');
    await closeDialog(page);

    // Posters of the community: check, then the PDF.
    await page.getByRole('button', { name: '下载海报' }).click();
    await page.getByText(/共 \d+ 个卡点/).waitFor();
    const [pdf] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '下载 PDF' }).click()]);
    const pdfPath = path.join(tmp, pdf.suggestedFilename());
    await pdf.saveAs(pdfPath);
    expect(fs.readFileSync(pdfPath).subarray(0, 4).toString() === '%PDF', `posters download as a PDF (${pdf.suggestedFilename()})`);
    await closeDialog(page);

    // Check-ins: export CSV, open a person from the list.
    await page.goto(`${BASE}/console/checkins`);
    await page.locator('.ant-table-row').first().waitFor();
    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '导出 CSV' }).click()]);
    const csvPath = path.join(tmp, 'export.csv');
    await csv.saveAs(csvPath);
    expect(fs.readFileSync(csvPath, 'utf8').includes('证件号码'), 'check-ins export as CSV');
    await page.locator('.ant-table-row').first().getByRole('link').click();
    await page.getByText('当前状态').waitFor();
    expect(page.url().includes('/console/persons/'), 'a person record opens from the check-ins');
    await page.screenshot({ path: `${SHOTS}/22-person.png`, fullPage: true });

    // A guard account: the one-time password is shown once.
    await page.goto(`${BASE}/console/accounts`);
    await page.getByRole('button', { name: '新建账号' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('用户名').fill(`guard-${stamp}`);
    await dialog.getByLabel('姓名').fill('测试值守');
    await dialog.getByLabel('所属区域').click();
    await page.locator('.ant-select-tree-node-content-wrapper').filter({ hasText: '文化巷社区' }).first().click();
    await dialog.getByRole('button', { name: '创建' }).click();
    await page.getByText('初始密码（仅显示一次）').waitFor();
    expect(true, 'a new account shows its one-time password');
    await page.screenshot({ path: `${SHOTS}/23-account-password.png` });
    await page.getByRole('button', { name: '我已记下' }).click();

    // Admin: the audit log.
    const admin = await browser.newPage({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN' });
    await signIn(admin, 'demo-admin');
    await admin.goto(`${BASE}/console/audit`);
    await admin.getByText('导出通行记录').first().waitFor();
    await admin.getByText('查看人员档案').first().waitFor();
    expect(true, 'the audit log lists the export and the record read');
    await admin.screenshot({ path: `${SHOTS}/24-audit.png` });
    expect(problems.length === 0, `no page errors or 5xx (${problems.join(' | ')})`);
  } catch (e) {
    await page.screenshot({ path: `${SHOTS}/failure-pages.png`, fullPage: true }).catch(() => {});
    throw e;
  } finally {
    await browser.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
