/**
 * Issue 6 on the resident's phone, in Chromium (390×844) against a real server (SPEC S6):
 * - 健康申报 /declare: a resident living in the community for 40 days fills the form (masked personal
 *   data shown, 14 days of residence defaulting to 本社区 and editable, 是/否 questions, 无 symptoms,
 *   destination, purpose); without the acknowledgement nothing is sent and the error sits next to
 *   it; once ticked the declaration is submitted and the page shows where it stands
 *   (待社区信息员核实居住情况). The page loads its own small chunk.
 * - A resident registered 3 days ago sees the reason (未满14天) with the date <start + 15>, once.
 * - A declaration returned by the information officer shows the reason and 修改后重新提交: the form
 *   comes back prefilled from the answers the server keeps (nothing of them is stored on the phone),
 *   the corrected answers are resubmitted and stored.
 * - After the information officer, the community doctor and the chief doctor take their steps
 *   through the staff API (sign also issues, issue 6 contract), /declare shows 健康申报证明: the full
 *   name, the masked ID, the center, 有效, the QR of /v#<token> and a PDF link; /v#<token> shows
 *   证明有效 without any login; the same token with one claim changed shows the tampered message.
 */
import zlib from 'node:zlib';
import type { APIRequestContext, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, chinaDate } from '../../src/lib/time';
import { PHONE, reportFailure, requireChromium, signInByApi, step, watchProblems } from '../helpers/browser';
import { startE2eWorld, stopE2eWorld, type E2eWorld } from '../helpers/e2e-world';
import { buildStaff, TEST_PASSWORD } from '../helpers/factories/staff';
import { testPhone, validResidentId } from '../helpers/factories/persons';
import { maskName } from '../../src/lib/mask';

const COMMUNITY = '410811001001';
const CENTER = '东方红街道社区卫生服务中心';
const WAIT = { timeout: 15_000 };
/** Gzipped JS /declare may load in all (entry + its chunk; the certificate chunk with qrcode comes only with a certificate). */
const DECLARE_JS_BUDGET = 40 * 1024;
const ready = requireChromium();

describe.runIf(ready)('健康申报 and 健康申报证明 on a phone', () => {
  let world: E2eWorld | null = null;
  let base = '';
  const users = { worker: '', officer: '', doctor: '', chief: '' };
  const contexts: BrowserContext[] = [];
  /** The declaration submitted in the first test and its holder's registration. */
  let declarationId = '';
  const holder = { name: '𠈌郑·阿依古丽', docNumber: validResidentId({ region: '410811' }) };
  /** The holder's phone page, left on /declare by the first test. */
  let holderPage: Page | null = null;

  beforeAll(async () => {
    world = await startE2eWorld(async (ctx) => {
      const org = await ctx.db.insertInto('organisations').values({ kind: 'health_center', name: CENTER, area_code: COMMUNITY.slice(0, 9) })
        .returning('id').executeTakeFirstOrThrow();
      users.worker = (await buildStaff(ctx, { role: 'community_worker', areaCode: COMMUNITY, username: 'e2e-cert-worker' })).username;
      users.officer = (await buildStaff(ctx, { role: 'info_officer', areaCode: COMMUNITY, username: 'e2e-cert-officer' })).username;
      users.doctor = (await buildStaff(ctx, { role: 'community_doctor', areaCode: COMMUNITY, username: 'e2e-cert-doctor', orgId: org.id, displayName: '李医生' })).username;
      users.chief = (await buildStaff(ctx, { role: 'chief_doctor', areaCode: COMMUNITY, username: 'e2e-cert-chief', orgId: org.id, displayName: '王主检' })).username;
    });
    base = world.base;
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await stopE2eWorld(world);
  });

  /** A staff member's signed-in API session. */
  async function staff(username: string): Promise<APIRequestContext> {
    const c = await world!.browser.newContext();
    contexts.push(c);
    await signInByApi(c.request, base, username, TEST_PASSWORD);
    return c.request;
  }

  /** A phone with one registered person living in the community since `since` (a household recorded by the community worker). */
  async function residentPhone(name: string, docNumber: string, since: string): Promise<{ phone: BrowserContext; personId: string }> {
    const phone = await world!.browser.newContext(PHONE);
    contexts.push(phone);
    const reg = await phone.request.post(`${base}/api/r/register`, {
      data: { name, docType: 'resident_id', docNumber, phone: testPhone(), communityCode: COMMUNITY, address: '7号楼1单元302' },
    });
    expect(reg.status(), await reg.text()).toBe(201);
    const me = await (await phone.request.get(`${base}/api/r/me`)).json();
    const personId: string = me.persons[0].id;
    const worker = await staff(users.worker);
    const hh = await worker.post(`${base}/api/households`, { data: { communityCode: COMMUNITY, room: `${name}室`, residentSince: since } });
    expect(hh.status(), await hh.text()).toBe(201);
    const { household } = await hh.json();
    const m = await worker.post(`${base}/api/households/${household.id}/members`, { data: { personId, since } });
    expect([200, 201], await m.text()).toContain(m.status());
    return { phone, personId };
  }

  it('an eligible resident declares and sees 待社区信息员核实居住情况', async () => {
    const problems: string[] = [];
    const today = chinaDate();
    const { phone } = await residentPhone(holder.name, holder.docNumber, addDays(today, -40));
    const page: Page = await phone.newPage();
    holderPage = page;
    watchProblems(page, 'phone', problems);
    const js = new Map<string, number>();
    page.on('response', (r) => {
      const u = new URL(r.url());
      if (u.pathname.startsWith('/assets/') && u.pathname.endsWith('.js')) {
        void r.body().then((b) => js.set(u.pathname, zlib.gzipSync(b).length), () => undefined);
      }
    });
    try {
      // 我的 links to /declare
      await page.goto(`${base}/me`);
      await page.getByRole('link', { name: '健康申报 / 我的证明' }).click();
      await page.waitForURL(/\/declare$/, WAIT);
      await page.getByRole('heading', { name: '健康申报', exact: true }).waitFor(WAIT);

      // the person and their registered data, masked
      expect(await page.getByLabel('申报人').textContent()).toContain(maskName(holder.name));
      const facts = (await page.locator('.pfacts').textContent()) ?? '';
      expect(facts).toContain('居民身份证');
      expect(facts).toContain(`${holder.docNumber.slice(0, 6)}`);
      expect(facts).not.toContain(holder.docNumber);

      // 14 days of residence, China dates today − 13 … today, each 本社区 by default
      const first = page.getByLabel(addDays(today, -13).slice(5));
      const last = page.getByLabel(today.slice(5));
      expect(await first.inputValue()).toBe('本社区');
      expect(await last.inputValue()).toBe('本社区');
      expect(await page.locator('.res-day input').count()).toBe(14);
      await page.getByLabel(addDays(today, -5).slice(5)).fill('郑州市金水区（探亲）');
      await page.getByLabel('近14天旅行史').fill('焦作—郑州 自驾往返');
      await page.getByRole('group', { name: '近14天是否接触过确诊或疑似病例' }).getByLabel('否').check();
      await page.getByRole('group', { name: '近14天是否接触过来自重点地区的人员' }).getByLabel('否').check();
      // 无 clears a ticked symptom
      await page.getByLabel('咳嗽').check();
      await page.getByLabel('无', { exact: true }).check();
      expect(await page.getByLabel('咳嗽').isChecked()).toBe(false);
      await page.getByLabel('目的地').fill('郑州市金水区');
      await page.getByLabel('事由').fill('返岗复工');

      // without the acknowledgement nothing is sent: the error sits next to it
      await page.getByRole('button', { name: '提交申报' }).click();
      await expect.poll(() => page.locator('#d-acknowledged-err').textContent(), WAIT).toContain('请阅读并勾选承诺');
      expect(await (await phone.request.get(`${base}/api/r/declarations`)).json()).toEqual({ declarations: [] });
      await page.getByLabel('本人承诺以上信息真实，如有虚假申报，愿承担相应法律责任').check();
      await step(page, 'declare-form');
      await page.getByRole('button', { name: '提交申报' }).click();

      // where it stands
      const card = page.getByTestId('declaration');
      await card.waitFor(WAIT);
      expect(await card.getAttribute('data-state')).toBe('submitted');
      expect(await card.locator('.step-current').textContent()).toContain('待社区信息员核实居住情况');
      expect(await page.getByRole('status').first().textContent()).toContain('申报已提交');
      await step(page, 'declare-status');
      const list = await (await phone.request.get(`${base}/api/r/declarations`)).json();
      expect(list.declarations).toHaveLength(1);
      declarationId = list.declarations[0].id;

      // the page's JS: the entry plus its own chunk; the entry does not carry the form
      await expect.poll(() => js.size, WAIT).toBeGreaterThanOrEqual(2);
      const total = [...js.values()].reduce((s, n) => s + n, 0);
      console.log(`/declare JS: ${[...js].map(([f, n]) => `${f} ${n} B gz`).join(', ')}; total ${(total / 1024).toFixed(1)} KB gz`);
      expect(total).toBeLessThanOrEqual(DECLARE_JS_BUDGET);
      const entry = await (await phone.request.get(`${base}/me`)).text();
      const entrySrc = /<script[^>]+src="([^"]+)"/.exec(entry)![1]!;
      expect(await (await phone.request.get(`${base}${entrySrc}`)).text()).not.toContain('愿承担相应法律责任');

      // in English after the language switch, the list in the same place
      await page.getByRole('button', { name: 'English' }).click();
      await page.getByRole('heading', { name: 'Health declaration', exact: true }).waitFor(WAIT);
      expect(await card.locator('.step-current').textContent()).toContain('Waiting for residence verification');
      expect(problems).toEqual([]);
    } catch (e) {
      await reportFailure(page, 'resident-certificate', problems);
      throw e;
    }
  });

  it('a resident of 3 days sees the reason and the date from which to apply', async () => {
    const problems: string[] = [];
    const today = chinaDate();
    const since = addDays(today, -3);
    const { phone } = await residentPhone('冯新住', validResidentId({ region: '410811' }), since);
    const page = await phone.newPage();
    watchProblems(page, 'phone', problems);
    try {
      await page.goto(`${base}/declare`);
      await page.getByRole('heading', { name: '健康申报', exact: true }).waitFor(WAIT);
      await page.getByRole('group', { name: '近14天是否接触过确诊或疑似病例' }).getByLabel('否').check();
      await page.getByRole('group', { name: '近14天是否接触过来自重点地区的人员' }).getByLabel('否').check();
      await page.getByLabel('无', { exact: true }).check();
      await page.getByLabel('目的地').fill('新乡市');
      await page.getByLabel('事由').fill('探亲');
      await page.getByLabel('本人承诺以上信息真实，如有虚假申报，愿承担相应法律责任').check();
      await page.getByRole('button', { name: '提交申报' }).click();
      const why = page.getByTestId('ineligible');
      await why.waitFor(WAIT);
      const text = (await why.textContent()) ?? '';
      expect(text).toContain('未满14天');
      // the date once: the server's message names it, so no second 可于 … 起申请 line
      expect(text.split(addDays(since, 15)).length).toBe(2);
      await step(page, 'declare-ineligible');
      expect(await page.getByTestId('declaration').count()).toBe(0);
      expect(problems).toEqual([]);
    } catch (e) {
      await reportFailure(page, 'resident-certificate-ineligible', problems);
      throw e;
    }
  });

  it('a returned declaration is corrected and resubmitted from the prefilled form', async () => {
    const problems: string[] = [];
    const { phone } = await residentPhone('卫退回', validResidentId({ region: '410811' }), addDays(chinaDate(), -30));
    const page = await phone.newPage();
    watchProblems(page, 'phone', problems);
    try {
      await page.goto(`${base}/declare`);
      await page.getByRole('heading', { name: '健康申报', exact: true }).waitFor(WAIT);
      await page.getByRole('group', { name: '近14天是否接触过确诊或疑似病例' }).getByLabel('否').check();
      await page.getByRole('group', { name: '近14天是否接触过来自重点地区的人员' }).getByLabel('是').check();
      await page.getByLabel('接触情况说明').fill('与自武汉返回的亲属同住');
      await page.getByLabel('乏力').check();
      await page.getByLabel('目的地').fill('焦作市解放区');
      await page.getByLabel('事由').fill('返岗复工');
      await page.getByLabel('本人承诺以上信息真实，如有虚假申报，愿承担相应法律责任').check();
      await page.getByRole('button', { name: '提交申报' }).click();
      await page.getByTestId('declaration').waitFor(WAIT);
      const id: string = (await (await phone.request.get(`${base}/api/r/declarations`)).json()).declarations[0].id;
      // personal data does not stay on the phone: the prefill below comes from the server's answers
      const storage = () => page.evaluate(() => JSON.stringify(Object.entries(localStorage)));
      expect(await storage()).not.toContain('焦作市解放区');

      const officer = await staff(users.officer);
      const r = await officer.post(`${base}/api/declarations/${id}/steps`, { data: { action: 'return', reason: '请写明亲属返回日期' } });
      expect(r.status(), await r.text()).toBe(200);
      await page.reload();
      const card = page.getByTestId('declaration');
      await card.waitFor(WAIT);
      expect(await card.getAttribute('data-state')).toBe('returned');
      expect(await card.textContent()).toContain('请写明亲属返回日期');
      await card.getByRole('button', { name: '修改后重新提交' }).click();

      // prefilled with what was sent; the acknowledgement is asked again
      await page.getByRole('heading', { name: '修改后重新提交' }).waitFor(WAIT);
      expect(await page.getByLabel('接触情况说明').inputValue()).toBe('与自武汉返回的亲属同住');
      expect(await page.getByLabel('目的地').inputValue()).toBe('焦作市解放区');
      expect(await page.getByLabel('乏力').isChecked()).toBe(true);
      expect(await page.getByLabel('本人承诺以上信息真实，如有虚假申报，愿承担相应法律责任').isChecked()).toBe(false);
      await page.getByLabel('接触情况说明').fill('与自武汉返回的亲属同住，亲属2月1日返回');
      await page.getByLabel('本人承诺以上信息真实，如有虚假申报，愿承担相应法律责任').check();
      await page.getByRole('button', { name: '重新提交' }).click();
      await expect.poll(() => card.getAttribute('data-state'), WAIT).toBe('submitted');
      expect(await card.locator('.step-current').textContent()).toContain('待社区信息员核实居住情况');
      expect(await storage()).not.toContain('焦作市解放区');

      const detail = await (await officer.get(`${base}/api/declarations/${id}`)).json();
      expect(detail.declaration.answers).toMatchObject({ contactWithAreas: true, contactNote: '与自武汉返回的亲属同住，亲属2月1日返回', symptoms: ['fatigue'] });
      expect(detail.declaration.answers.residence).toHaveLength(14);
      expect(problems).toEqual([]);
    } catch (e) {
      await reportFailure(page, 'resident-certificate-returned', problems);
      throw e;
    }
  });

  // Waits on the lead's issuing (sign issues; GET /api/r/declarations carries `certificate`;
  // POST /api/certificates/verify): written against the issue 6 contract.
  it('after the steps, /declare shows the certificate and /v verifies it; a tampered token is refused', async () => {
    expect(declarationId).not.toBe('');
    const steps: Array<[string, Record<string, unknown>]> = [
      [users.officer, { action: 'verify_residence' }],
      [users.doctor, { action: 'assess', assessment: { temperatureC: 36.4, cough: false, chestTightness: false, otherSymptoms: '', conclusion: 'fit' } }],
      [users.chief, { action: 'sign' }],
    ];
    for (const [who, body] of steps) {
      const s = await staff(who);
      const r = await s.post(`${base}/api/declarations/${declarationId}/steps`, { data: body });
      expect(r.status(), `${String(body.action)}: ${await r.text()}`).toBe(200);
    }

    const problems: string[] = [];
    const page = holderPage!;
    const phone = page.context();
    watchProblems(page, 'phone', problems);
    try {
      await page.getByRole('button', { name: '中文' }).click();
      await page.reload();
      const cert = page.getByTestId('certificate');
      await cert.waitFor(WAIT);
      expect(await cert.getAttribute('data-state')).toBe('valid');
      const text = (await cert.textContent()) ?? '';
      expect(text).toContain('健康申报证明');
      expect(text).toContain('有效');
      expect(text).toContain(holder.name); // the full name on the holder's own phone
      expect(text).toContain(holder.docNumber.slice(0, 6));
      expect(text).toContain(holder.docNumber.slice(-4));
      expect(text).not.toContain(holder.docNumber);
      expect(text).toContain(CENTER);
      expect(text).toContain('北京时间');
      await expect.poll(() => page.getByTestId('cert-qr').evaluate((c: HTMLCanvasElement) => c.width), WAIT).toBeGreaterThan(100);
      const pdfHref = await cert.getByRole('link', { name: '下载 PDF' }).getAttribute('href');
      const pdf = await phone.request.get(`${base}${pdfHref}`);
      expect(pdf.status()).toBe(200);
      expect(pdf.headers()['content-type']).toContain('application/pdf');
      await step(page, 'declare-certificate');

      const list = await (await phone.request.get(`${base}/api/r/declarations`)).json();
      const token: string = list.declarations[0].certificate.token;
      expect(token.split('.')).toHaveLength(3);

      // /v#<token> on a phone that never logged in: 证明有效 with the full name
      const guard = await world!.browser.newContext(PHONE);
      contexts.push(guard);
      const g = await guard.newPage();
      watchProblems(g, 'verifier', problems);
      await g.goto(`${base}/v#${token}`);
      const check = g.getByTestId('cert-check');
      await check.waitFor(WAIT);
      expect(await check.getAttribute('data-outcome')).toBe('valid');
      expect(await check.textContent()).toContain('证明有效');
      expect(await g.getByTestId('cert-name').textContent()).toBe(holder.name);
      expect(await check.textContent()).toContain(CENTER);
      expect(new URL(g.url()).hash).toBe(''); // the token leaves the address bar
      await step(g, 'verify-valid');
      // the language switch of the other resident pages: English, the document type too; then back
      await g.getByRole('button', { name: 'English' }).click();
      await check.filter({ hasText: 'Certificate valid' }).waitFor(WAIT);
      expect(await check.textContent()).toContain('Resident Identity Card: ');
      await step(g, 'verify-valid-en');
      await g.getByRole('button', { name: '中文' }).click();
      await check.filter({ hasText: '证明有效' }).waitFor(WAIT);

      // one claim changed (the name): the signature no longer holds
      const [head, payload, sig] = token.split('.') as [string, string, string];
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
      const forged = `${head}.${Buffer.from(JSON.stringify({ ...claims, nm: '冒名顶替' })).toString('base64url')}.${sig}`;
      const t = await guard.newPage();
      await t.goto(`${base}/v#${forged}`);
      const bad = t.getByTestId('cert-check');
      await bad.waitFor(WAIT);
      expect(await bad.getAttribute('data-outcome')).toBe('refused');
      expect(await bad.getAttribute('data-code')).toBe('token_bad_signature');
      expect(await bad.textContent()).toContain('证明无效');
      expect(await t.getByTestId('cert-refusal').textContent()).toContain('签名无效');
      expect(await bad.textContent()).not.toContain('冒名顶替');
      await step(t, 'verify-tampered');
      expect(problems).toEqual([]);
    } catch (e) {
      await reportFailure(page, 'resident-certificate-issued', problems);
      throw e;
    }
  });
});
