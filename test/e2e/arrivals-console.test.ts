/**
 * Issue 5 §1 (社区报到) in a real browser: the console's /arrival-rules and /arrivals pages against
 * a real server on PGlite. A city command account adds a rule for one origin (武汉江汉 420102 →
 * centralized isolation): the preview lists exactly the two people who arrived from there (not the
 * ones from 武昌 or 长沙); applied with a reason, /arrivals shows their new measure. A community
 * worker then enters a report for a person registered on the spot by document (a bad document
 * number is refused next to its field first); the report appears in the list with the new rule's
 * measure, and the community's 社区报到 link is /arrive?c=<community>. The two tests run in order
 * (the second's report gets the first's new rule). Screenshots go to /tmp/yiqu-e2e-shots/ on failure.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { addDays, chinaDate } from '../../src/lib/time';
import { requireChromium, step } from '../helpers/browser';
import { inConsole, startE2eWorld, stopE2eWorld, type E2eWorld } from '../helpers/e2e-world';
import { buildStaff } from '../helpers/factories/staff';
import { buildPerson, validResidentId } from '../helpers/factories/persons';
import { buildArrivalsWorld } from '../helpers/factories/arrivals-world';

const DISTRICT = '410811';
const COMMUNITY = '410811001001';
const WAIT = { timeout: 20_000 };
const ready = requireChromium();

describe.runIf(ready)('issue 5 console: arrival rule change with preview, arrivals list, a report by staff', () => {
  let world: E2eWorld | null = null;
  const users = { city: '', worker: '' };
  const today = chinaDate();

  beforeAll(async () => {
    world = await startE2eWorld(async (ctx) => {
      const city = await buildStaff(ctx, { role: 'city_command', areaCode: '4108', username: 'e2e-city', displayName: '市指挥部' });
      users.city = city.username;
      users.worker = (await buildStaff(ctx, { role: 'community_worker', areaCode: COMMUNITY, username: 'e2e-worker', displayName: '网格员' })).username;
      // 甲*到 from 武汉江汉 (420102), home isolation by the district's 湖北武汉 rule; three more reports below.
      const rules = await buildArrivalsWorld(ctx, { district: DISTRICT, community: COMMUNITY, label: '甲', staffId: city.id });
      const report = async (name: string, originCode: string, originText: string, ruleId: string, measure: 'home_isolation' | 'health_monitoring', days: number, ago: number) => {
        const p = await buildPerson(ctx, { name, homeCommunityCode: COMMUNITY, docNumber: validResidentId({ region: DISTRICT }) });
        const arrivalOn = addDays(today, -ago);
        await ctx.db.insertInto('arrival_reports').values({
          person_id: p.id, community_code: COMMUNITY, origin_code: originCode, origin_text: originText, circumstance: 'work', arrival_on: arrivalOn,
          reported_via: 'self', reported_by: null, rule_id: ruleId, measure, measure_days: days, measure_until: addDays(arrivalOn, days),
        }).execute();
      };
      await report('王江汉', '420102', '湖北武汉', rules.ruleId, 'home_isolation', 14, 3);
      await report('刘武昌', '420106', '湖北武汉', rules.ruleId, 'home_isolation', 14, 1);
      await report('陈长沙', '430102', '湖南长沙', rules.spareRuleId, 'health_monitoring', 7, 1);
    });
  });

  afterAll(() => stopE2eWorld(world));

  const arrivalRow = (page: Page, masked: string) => page.getByTestId('arrival-table').locator('.ant-table-row').filter({ hasText: masked });

  /** Run `fn` in a fresh browser context signed in as `username`; a screenshot and the page problems on failure. */
  const asUser = (username: string, shot: string, fn: (page: Page) => Promise<void>) =>
    inConsole(world!, shot, async (s) => fn(await s.signIn(username)));

  it('previews exactly whose measure a new rule for one origin changes, applies it with a reason, and lists the new measures', async () => {
    await asUser(users.city, 'arrivals-rules-failure', async (page) => {
      await page.getByRole('link', { name: '报到管控规则' }).click();
      await page.waitForURL(/\/console\/arrival-rules$/, WAIT);
      const rules = page.getByTestId('rule-table');
      await rules.getByText('湖北武汉（4201）').waitFor(WAIT);
      expect(await rules.locator('.ant-table-row').count()).toBe(2);

      // 变更规则: add 武汉江汉 420102 → centralized isolation 14 days; preview.
      await page.getByRole('button', { name: '变更规则' }).click();
      const drawer = page.locator('.ant-drawer').filter({ hasText: '变更报到规则' });
      await drawer.getByLabel('来源地名称').fill('武汉市江汉区');
      await drawer.getByLabel('来源地区划代码前缀').fill('420102');
      await drawer.getByLabel('管控措施').selectOption('centralized_isolation');
      await drawer.getByLabel('管控天数').fill('14');
      await drawer.getByRole('button', { name: '预览影响' }).click();
      const preview = drawer.getByTestId('rule-preview');
      await preview.getByText('管控措施将改变的人员：2 人').waitFor(WAIT);
      const changed = preview.locator('.ant-table-row');
      expect(await changed.count()).toBe(2);
      const text = await preview.textContent();
      expect(text).toContain('甲*到');
      expect(text).toContain('王*汉');
      expect(text).not.toContain('刘*昌');
      expect(text).not.toContain('陈*沙');
      await step(page, 'arrivals-01-preview');
      const wang = changed.filter({ hasText: '王*汉' });
      expect(await wang.textContent()).toContain(`居家隔离 14 天（至 ${addDays(addDays(today, -3), 14)}）`);
      expect(await wang.textContent()).toContain(`集中隔离 14 天（至 ${addDays(addDays(today, -3), 14)}）`);

      // Apply with a reason: the count, the new rule in the table.
      await drawer.getByLabel('变更原因').fill('市指挥部第12号通告');
      await drawer.getByRole('button', { name: '应用变更' }).click();
      await page.getByText('规则变更已应用，2 人的管控措施已调整').waitFor(WAIT);
      await rules.getByText('武汉市江汉区（420102）').waitFor(WAIT);

      // /arrivals: the two have the new measure (re-read from the server), the others keep theirs.
      await page.getByRole('link', { name: '社区报到' }).click();
      await page.waitForURL(/\/console\/arrivals$/, WAIT);
      await arrivalRow(page, '王*汉').waitFor(WAIT);
      for (const name of ['甲*到', '王*汉']) expect(await arrivalRow(page, name).getByTestId('arrival-measure').textContent()).toBe('集中隔离14 天');
      expect(await arrivalRow(page, '刘*昌').getByTestId('arrival-measure').textContent()).toBe('居家隔离14 天');
      expect(await arrivalRow(page, '陈*沙').getByTestId('arrival-measure').textContent()).toBe('健康监测7 天');
      await arrivalRow(page, '王*汉').getByRole('button', { name: '详情 王*汉' }).click();
      await page.getByTestId('arrival-detail').getByText(`集中隔离 14 天（至 ${addDays(addDays(today, -3), 14)}）`).waitFor(WAIT);
      await step(page, 'arrivals-02-list');
    });
  });

  it('a community worker reports a person registered on the spot (field errors first) and shows the community\'s QR link', async () => {
    await asUser(users.worker, 'arrivals-report-failure', async (page) => {
      await page.getByRole('link', { name: '社区报到' }).click();
      await page.waitForURL(/\/console\/arrivals$/, WAIT);
      await arrivalRow(page, '刘*昌').waitFor(WAIT);
      expect(await arrivalRow(page, '赵*来').count()).toBe(0);
      await page.getByRole('button', { name: '代为报到' }).click();
      const form = page.locator('.ant-drawer').filter({ hasText: '代为报到' });
      await form.getByLabel('现场证件登记').check();
      await form.getByLabel('姓名').fill('赵新来');
      const doc = validResidentId({ region: DISTRICT });
      const badDoc = doc.slice(0, 17) + (doc[17] === '0' ? '1' : '0');
      await form.getByLabel('证件号码').fill(badDoc);
      await form.getByLabel('住址').fill('3号楼2单元101');
      await form.getByLabel('来源地', { exact: true }).fill('湖北武汉');
      await form.getByLabel('来源地区划代码').fill('420102');
      await form.getByLabel('交通方式').fill('G1234 次列车');
      await form.getByRole('button', { name: '提交报到' }).click();
      // The server's refusal is shown under the document number.
      const docItem = form.locator('.ant-form-item').filter({ has: page.getByLabel('证件号码') });
      await docItem.locator('.ant-form-item-explain-error').getByText('证件号码校验位错误', { exact: false }).waitFor(WAIT);
      await step(page, 'arrivals-03-field-error');
      await form.getByLabel('证件号码').fill(doc);
      await form.getByRole('button', { name: '提交报到' }).click();
      await page.getByText('已登记人员并报到：赵*来 · 集中隔离 14 天').waitFor(WAIT);
      const zhao = arrivalRow(page, '赵*来');
      await zhao.waitFor(WAIT);
      expect(await zhao.getByTestId('arrival-measure').textContent()).toBe('集中隔离14 天');
      expect(await zhao.textContent()).toContain('代报');
      expect(await zhao.textContent()).toContain(addDays(today, 14));
      await page.reload();
      await arrivalRow(page, '赵*来').waitFor(WAIT); // persisted

      // The community's 社区报到 link and QR code for residents.
      await page.getByRole('button', { name: '报到二维码' }).click();
      const qr = page.getByTestId('arrival-qr');
      expect(await qr.getByTestId('arrival-url').textContent()).toBe(`${world!.base}/arrive?c=${COMMUNITY}`);
      await qr.locator('img[src^="data:image/png"]').waitFor(WAIT);
      await step(page, 'arrivals-04-qr');
      expect(await qr.getByRole('link', { name: '下载二维码图片' }).getAttribute('download')).toMatch(/\.png$/);
    });
  });
});
