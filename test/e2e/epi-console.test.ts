/**
 * Issue 4 §1–§3 in a real browser (the console's 病例 and 密接 pages against a real server on
 * PGlite): a district command account registers a confirmed case for a person found by name among
 * the people with check-ins (masked), traces it from the default window, sees the two people who
 * shared the supermarket with the case ranked by overlap (not the one who left before the case
 * arrived), turns both into close contacts in one action, and finds them on /contacts on day 1 of
 * 14 (exposure yesterday, China dates), then overrides one end date with a reason. Screenshots go to /tmp/yiqu-e2e-shots/<stamp>/ on failure.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, chinaDate } from '../../src/lib/time';
import { requireChromium, step } from '../helpers/browser';
import { inConsole, startE2eWorld, stopE2eWorld, type E2eWorld } from '../helpers/e2e-world';
import { buildCheckpoint, buildPlace } from '../helpers/factories/places';
import { buildStaff } from '../helpers/factories/staff';
import { buildPerson } from '../helpers/factories/persons';

/** 东方红街道's first community in 山阳区 (410811). */
const COMMUNITY = '410811001001';
const WAIT = { timeout: 20_000 };
const ready = requireChromium();

/** An instant of China date `day` at `hhmm` (UTC+8). */
const chinaAt = (day: string, hhmm: string) => new Date(`${day}T${hhmm}:00+08:00`);

describe.runIf(ready)('issue 4 console: register a case, trace it, make contacts, watch them on /contacts', () => {
  let world: E2eWorld | null = null;
  let username = '';
  const today = chinaDate();
  const yesterday = addDays(today, -1);

  beforeAll(async () => {
    world = await startE2eWorld(async (ctx) => {
      const place = await buildPlace(ctx, { communityCode: COMMUNITY, kind: 'supermarket', name: '惠民超市' });
      const { checkpoint } = await buildCheckpoint(ctx, place.id, { name: '正门' });
      username = (await buildStaff(ctx, { role: 'district_command', areaCode: '410811', username: 'e2e-district', displayName: '山阳区指挥部' })).username;
      const person = async (name: string) => (await buildPerson(ctx, { name, homeCommunityCode: COMMUNITY })).id;
      const [casePerson, long, short, gone] = [await person('赵建国'), await person('钱小红'), await person('孙大伟'), await person('李先走')];
      // Yesterday at the supermarket: the case 10:00–11:00; 钱 10:10–10:55 (45 min), 孙 10:40–11:20
      // (20 min inside + until 11:20 within the 30 min margin = 40 min), 李 08:00–09:50 (left before).
      const checkins: Array<Record<string, unknown>> = [];
      const stays: Array<Record<string, unknown>> = [];
      const stay = (personId: string, from: string, to: string) => {
        const common = { person_id: personId, checkpoint_id: checkpoint.id, place_id: place.id, community_code: COMMUNITY, temperature: null,
          outcome: 'pass', refusal: null, source: 'resident', actor_id: null };
        const [inId, outId] = [randomUUID(), randomUUID()];
        checkins.push({ ...common, id: inId, direction: 'in', at: chinaAt(yesterday, from) }, { ...common, id: outId, direction: 'out', at: chinaAt(yesterday, to) });
        stays.push({ id: randomUUID(), person_id: personId, place_id: place.id, entered_at: chinaAt(yesterday, from), entry_checkin_id: inId,
          closed_at: chinaAt(yesterday, to), closed_by: 'exit', exit_checkin_id: outId });
      };
      stay(casePerson, '10:00', '11:00');
      stay(long, '10:10', '10:55');
      stay(short, '10:40', '11:20');
      stay(gone, '08:00', '09:50');
      await ctx.db.insertInto('checkins').values(checkins as never).execute();
      await ctx.db.insertInto('stays').values(stays as never).execute();
    });
  });

  afterAll(() => stopE2eWorld(world));

  it('registers, traces, turns two people into contacts and lists them on day 1 of 14', async () => {
    await inConsole(world!, 'epi-console-failure', async (sessions) => {
      const page = await sessions.signIn(username);
      await page.getByRole('link', { name: '病例与传播链' }).click();
      await page.waitForURL(/\/console\/cases$/, WAIT);
      await page.getByText('本辖区暂无病例').waitFor(WAIT);

      // 登记病例: the person is found by name among those with check-ins, shown masked.
      await page.getByRole('button', { name: '登记病例' }).click();
      const drawer = page.locator('.ant-drawer').filter({ hasText: '登记病例' });
      await drawer.getByLabel('查找人员').fill('赵建国');
      await drawer.getByRole('button', { name: /查\s*找/ }).first().click();
      await drawer.getByRole('button', { name: '选择 赵*国' }).click();
      await drawer.getByTestId('picked-person').getByText('赵*国').waitFor(WAIT);
      expect(await drawer.textContent()).not.toContain('赵建国'.slice(1)); // only the masked name is shown
      await drawer.getByLabel('发病日期').fill(addDays(today, -2));
      await drawer.getByLabel('隔离日期').fill(today);
      await drawer.getByLabel('收治医院').fill('焦作市第五人民医院');
      await drawer.getByLabel('登记原因/依据').fill('核酸检测阳性（市疾控中心）');
      await step(page, 'epi-01-register');
      await drawer.getByRole('button', { name: /登\s*记/ }).last().click();

      // The case page: confirmed, history with the reason, then 追踪 with the default window.
      await page.waitForURL(/\/console\/cases\/[0-9a-f-]{36}$/, WAIT);
      await expect.poll(() => page.getByTestId('case-status').textContent(), WAIT).toBe('确诊病例');
      await page.getByText('核酸检测阳性（市疾控中心）').waitFor(WAIT);
      await page.getByLabel('追踪原因').fill('确诊病例流调');
      await page.getByRole('button', { name: /开始追踪/ }).click();
      const result = page.getByTestId('trace-result');
      const rows = result.locator('.ant-table-row').filter({ hasText: '分钟' });
      await rows.first().waitFor(WAIT);
      expect(await rows.count()).toBe(2);
      // Ranked by overlap: 钱 45 min, then 孙 40 min; 李 left before the case arrived.
      expect(await rows.nth(0).textContent()).toContain('钱*红');
      expect(await rows.nth(0).textContent()).toContain('45 分钟');
      expect(await rows.nth(1).textContent()).toContain('孙*伟');
      expect(await rows.nth(1).textContent()).toContain('40 分钟');
      expect(await result.textContent()).not.toContain('李*走');
      expect(await result.textContent()).toContain('惠民超市');

      await step(page, 'epi-02-trace');
      // Select both and turn them into close contacts in one action.
      await rows.filter({ hasText: '钱*红' }).getByRole('checkbox').check();
      await rows.filter({ hasText: '孙*伟' }).getByRole('checkbox').check();
      await result.getByRole('button', { name: /转为密切接触者（2）/ }).click();
      await page.getByText('已转为密切接触者：新增 2 人，已是密接 0 人').waitFor(WAIT);
      await expect.poll(() => result.getByText('已是密接').count(), WAIT).toBe(2);

      // /contacts: both under observation, exposure yesterday → day 1 of 14 today.
      await page.getByRole('link', { name: '密接医学观察' }).click();
      await page.waitForURL(/\/console\/contacts$/, WAIT);
      await page.getByRole('heading', { name: '密接医学观察' }).waitFor(WAIT);
      await page.getByTestId('trace-result').waitFor({ state: 'detached', ...WAIT }); // the case page is gone
      const contactRows = page.locator('.ant-table-row').filter({ has: page.getByTestId('observation-day') });
      await contactRows.filter({ hasText: '钱*红' }).waitFor(WAIT);
      for (const name of ['钱*红', '孙*伟']) {
        const row = contactRows.filter({ hasText: name });
        expect(await row.getByTestId('observation-day').textContent()).toContain('第 1 / 14 天');
        expect(await row.textContent()).toContain(yesterday);
        expect(await row.textContent()).toContain(addDays(yesterday, 14));
      }
      expect(await contactRows.count()).toBe(2);
      await step(page, 'epi-03-contacts');

      // 详情 → 调整解除日期 with a reason: the list shows the new end date marked 已调整.
      await page.getByRole('button', { name: '详情 钱*红' }).click();
      const contactDrawer = page.locator('.ant-drawer').filter({ hasText: '钱*红 · 密切接触者' });
      await contactDrawer.getByText('登记', { exact: true }).waitFor(WAIT); // the history's first event
      await contactDrawer.getByRole('button', { name: '调整解除日期' }).click();
      const override = contactDrawer.getByRole('form', { name: '调整解除日期' });
      await override.getByLabel('新的观察截止日期').fill(addDays(yesterday, 21));
      await override.getByLabel('原因').fill('专家会商延长观察');
      await override.getByRole('button', { name: '调整解除日期' }).click();
      await contactDrawer.getByText('专家会商延长观察').waitFor(WAIT);
      await page.locator('.ant-drawer-close').click();
      const changed = contactRows.filter({ hasText: '钱*红' });
      await changed.getByText('已调整').waitFor(WAIT);
      expect(await changed.textContent()).toContain(addDays(yesterday, 21));
      expect(await contactRows.filter({ hasText: '孙*伟' }).getByText('已调整').count()).toBe(0);

      // 传播链: the one case is a node of the graph (its accessible summary), with its 2 contacts.
      await page.getByRole('link', { name: '病例与传播链' }).click();
      await page.getByRole('tab', { name: '传播链' }).click();
      expect(await page.getByTestId('chain-graph').getAttribute('aria-label', WAIT)).toBe('传播链图：1 个病例，0 条传播关系');
      await step(page, 'epi-04-graph');
    });
  });
});
