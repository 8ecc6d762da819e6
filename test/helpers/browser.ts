/**
 * Browser tests: Debian's Chromium (/usr/bin/chromium, package `chromium`) driven by playwright-core.
 * Missing Chromium skips the suite with the install hint locally and fails it under CI=true
 * (`requireSystem`). Each launch gets a fresh, temporary user-data-dir (playwright-core's launch()
 * creates one with mkdtemp and deletes it on close), so no cookie or storage leaks between runs.
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type APIRequestContext, type Browser, type Page } from 'playwright-core';
import { hasCommand, requireSystem } from './system';

/** The system Chromium binary (Debian package `chromium`). */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Flags for a quiet, reproducible headless Chromium in containers and CI. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** A phone-sized screen (issue 2 acceptance: 390×844). */
export const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' } as const;

/** A desktop screen for the staff console. */
export const DESKTOP = { viewport: { width: 1366, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' } as const;

/**
 * Whether a suite needing Chromium can run: true when /usr/bin/chromium exists; false (skip, with
 * the install hint) when it does not; throws under CI=true.
 */
export function requireChromium(): boolean {
  return requireSystem('Chromium (package chromium)', hasCommand(CHROMIUM_PATH));
}

/** Launch the system Chromium headless with {@link CHROMIUM_ARGS} and a fresh temporary profile. */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS, timeout: 60_000 });
}

/** Where failure screenshots go: /tmp/yiqu-e2e-shots/<run stamp>/. */
export const SHOT_DIR = path.join('/tmp', 'yiqu-e2e-shots', new Date().toISOString().replace(/[:.]/g, '-'));

/**
 * Save a full-page screenshot of `page` as `<SHOT_DIR>/<name>.png` and return its path (null when
 * the page is already closed or the shot fails: a failing test must still report its own error).
 */
export async function screenshot(page: Page, name: string): Promise<string | null> {
  try {
    fs.mkdirSync(SHOT_DIR, { recursive: true });
    const file = path.join(SHOT_DIR, `${name.replace(/[^\w.-]+/g, '_')}.png`);
    await page.screenshot({ path: file, fullPage: true, timeout: 10_000 });
    return file;
  } catch {
    return null;
  }
}

/**
 * Collects what went wrong in a page while a test drives it: uncaught page errors, console
 * errors and HTTP 5xx answers, each as one line. Expected 4xx answers are not collected.
 */
export function watchProblems(page: Page, label: string, problems: string[]): void {
  page.on('pageerror', (e) => problems.push(`${label}: page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) problems.push(`${label}: console error: ${m.text()}`);
  });
  page.on('response', (r) => { if (r.status() >= 500) problems.push(`${label}: HTTP ${r.status()} ${r.request().method()} ${new URL(r.url()).pathname}`); });
}

/** YIQU_E2E_SHOTS=1 also saves a screenshot of every step of a browser test (to look at the pages). */
export async function step(page: Page, name: string): Promise<void> {
  if (process.env.YIQU_E2E_SHOTS === '1') await screenshot(page, name);
}

/**
 * On a failing browser test: a screenshot of `page` (when there is one) named `shot`, and the page
 * problems collected by {@link watchProblems}, both on stderr. The caller rethrows its error.
 */
export async function reportFailure(page: Page | null, shot: string, problems: string[] = []): Promise<void> {
  if (page) {
    const file = await screenshot(page, shot);
    if (file) console.error(`screenshot of the console at the failure: ${file}`);
  }
  if (problems.length) console.error(`page problems: ${problems.join(' | ')}`);
}

/** Sign in through the console's own form: open `<base>/console/`, fill 用户名 and 密码, press 登录. */
export async function signInByForm(page: Page, base: string, username: string, password: string): Promise<void> {
  await page.goto(`${base}/console/`);
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: /^登\s*录$/ }).click();
}

/**
 * Sign a browser context in through the API call the console's form makes (POST /api/staff/login);
 * `request` is the context's, so the page shares the cookie. Throws unless the answer is 200.
 */
export async function signInByApi(request: APIRequestContext, base: string, username: string, password: string): Promise<void> {
  const res = await request.post(`${base}/api/staff/login`, { data: { username, password } });
  if (res.status() !== 200) throw new Error(`staff login ${username}: HTTP ${res.status()} ${await res.text()}`);
}
