/**
 * Issue 5 §2–§4 in a real browser (the console's 重点人员 and 我的任务 pages against a real server on
 * PGlite): a community worker finds a person in home isolation on /key-persons (第 2 / 14 天, no
 * team), assigns the five-for-one team from the candidates of the community (a doctor of another
 * community is not offered), a doctor of the team records a visit at 38.2 ℃ → the report shows
 * as a fever and each member signing in sees exactly one 发热处置 task on /tasks (checked for
 * three members); the police officer completes it, it leaves his active list (also after a
 * reload) and shows under 已办结, while the worker's task stays open; the worker's list shows the
 * last temperature, four open tasks and the team complete.
 * Screenshots go to /tmp/yiqu-e2e-shots/<stamp>/ on failure.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { addDays, chinaDate } from '../../src/lib/time';
import { requireChromium, step } from '../helpers/browser';
import { inConsole, startE2eWorld, stopE2eWorld, type ConsoleSessions, type E2eWorld } from '../helpers/e2e-world';
import { buildStaff } from '../helpers/factories/staff';
import { buildPerson } from '../helpers/factories/persons';
import type { Role } from '../../src/modules/staff/roles';

/** 东方红街道's first community in 山阳区 (410811), its street, and a neighbouring community. */
const COMMUNITY = '410811001001';
const STREET = '410811001';
const OTHER_COMMUNITY = '410811001002';
const WAIT = { timeout: 20_000 };
const ready = requireChromium();

describe.runIf(ready)('issue 5 console: five-for-one team, a fever visit, one task per member', () => {
  let world: E2eWorld | null = null;
  let keyPersonId = '';
  const users = { worker: '', cadre: '', doctor: '', police: '', counsellor: '' };
  const today = chinaDate();

  beforeAll(async () => {
    world = await startE2eWorld(async (ctx) => {
      const staff = async (role: Role, areaCode: string, username: string, displayName: string) => (await buildStaff(ctx, { role, areaCode, username, displayName })).username;
      users.worker = await staff('community_worker', COMMUNITY, 'e2e-kp-worker', '网格员王芳');
      users.cadre = await staff('street_office', STREET, 'e2e-kp-cadre', '街道干部刘强');
      users.doctor = await staff('community_doctor', COMMUNITY, 'e2e-kp-doctor', '社区医生陈静');
      users.police = await staff('police', COMMUNITY, 'e2e-kp-police', '民警赵勇');
      users.counsellor = await staff('counsellor', STREET, 'e2e-kp-counsellor', '心理咨询师孙悦');
      await staff('community_doctor', OTHER_COMMUNITY, 'e2e-kp-doctor2', '邻社区医生周敏');
      const person = await buildPerson(ctx, { name: '吴居家', homeCommunityCode: COMMUNITY });
      keyPersonId = (await ctx.db.insertInto('key_persons').values({
        person_id: person.id, community_code: COMMUNITY, category: 'home_isolation', measure: 'home_isolation',
        start_on: addDays(today, -1), end_on: addDays(today, 12), source_kind: 'manual', source_id: null,
      }).returning('id').executeTakeFirstOrThrow()).id;
    });
  });

  afterAll(() => stopE2eWorld(world));

  /**
   * A fresh browser context signed in as `username` (the first through the sign-in form, the
   * others through the same API call the form makes, to keep the test short), on the console.
   */
  async function signIn(sessions: ConsoleSessions, username: string, form = false): Promise<Page> {
    const page = await sessions.signIn(username, form ? 'form' : 'api');
    await page.getByRole('link', { name: '我的任务' }).waitFor(WAIT);
    return page;
  }

  /** The 发热处置 rows of the signed-in member's /tasks (active list). */
  async function feverRows(page: Page) {
    await page.getByRole('link', { name: '我的任务' }).click();
    await page.waitForURL(/\/console\/tasks$/, WAIT);
    const table = page.getByTestId('task-table');
    await table.locator('.ant-table-row').first().waitFor(WAIT);
    return table.locator('.ant-table-row').filter({ hasText: '发热处置' });
  }

  it('assigns the team, records a fever visit and gives each member one task', { timeout: 150_000 }, async () => {
    await inConsole(world!, 'keypersons-console-failure', async (sessions) => {
      // 1. The worker: the list shows the person on day 2 of 14 without a team; assign the five.
      let page = await signIn(sessions, users.worker, true);
      await page.getByRole('link', { name: '重点人员', exact: true }).click();
      await page.waitForURL(/\/console\/key-persons$/, WAIT);
      const row = page.locator('.ant-table-row').filter({ hasText: '吴*家' });
      await row.waitFor(WAIT);
      expect(await row.getByTestId('kp-day').textContent()).toBe('第 2 / 14 天');
      expect(await row.textContent()).toContain('未分配');
      expect(await row.textContent()).toContain(addDays(today, 12));
      await step(page, 'kp-01-list');
      await row.getByRole('link', { name: '吴*家' }).click();
      await page.waitForURL(new RegExp(`/console/key-persons/${keyPersonId}$`), WAIT);
      await page.getByRole('button', { name: '分配小组' }).click();
      const form = page.getByRole('form', { name: '分配五包一小组' });
      const doctorSelect = form.getByLabel('社区医生', { exact: true });
      await doctorSelect.locator('option', { hasText: '社区医生陈静' }).waitFor({ state: 'attached', ...WAIT });
      expect(await doctorSelect.textContent()).not.toContain('周敏'); // another community's doctor is not a candidate
      await form.getByLabel('街道干部', { exact: true }).selectOption({ label: '街道干部刘强' });
      await form.getByLabel('社区工作者', { exact: true }).selectOption({ label: '网格员王芳' });
      await doctorSelect.selectOption({ label: '社区医生陈静' });
      await form.getByLabel('社区民警', { exact: true }).selectOption({ label: '民警赵勇' });
      await form.getByLabel('心理咨询师', { exact: true }).selectOption({ label: '心理咨询师孙悦' });
      await step(page, 'kp-02-assign');
      await form.getByRole('button', { name: '保存小组' }).click();
      const team = page.getByTestId('kp-team');
      await team.getByText('民警赵勇').waitFor(WAIT);
      for (const name of ['街道干部刘强', '网格员王芳', '社区医生陈静', '心理咨询师孙悦']) expect(await team.textContent()).toContain(name);

      // 2. The doctor records a visit at 38.2 ℃: a fever report.
      page = await signIn(sessions, users.doctor);
      await page.goto(`${world!.base}/console/key-persons/${keyPersonId}`);
      await page.getByRole('button', { name: '记录随访' }).click();
      const visit = page.getByRole('form', { name: '记录随访' });
      await visit.getByLabel('体温（℃）').fill('38.2');
      await visit.getByLabel('咳嗽').check();
      await visit.getByRole('button', { name: '记录随访' }).click();
      const obs = page.getByTestId('kp-observations').locator('.ant-table-row');
      await obs.first().waitFor(WAIT);
      expect(await obs.first().textContent()).toContain('38.2 ℃');
      expect(await obs.first().textContent()).toContain('发热');
      expect(await obs.first().textContent()).toContain('咳嗽');
      expect(await obs.first().textContent()).toContain('医生随访');
      expect(await obs.count()).toBe(1);
      await step(page, 'kp-03-visit');

      // 3. Each member sees exactly one fever task on /tasks (doctor, worker, police).
      expect(await (await feverRows(page)).count()).toBe(1);
      const workerPage = await signIn(sessions, users.worker);
      expect(await (await feverRows(workerPage)).count()).toBe(1);
      page = await signIn(sessions, users.police);
      const policeFever = await feverRows(page);
      expect(await policeFever.count()).toBe(1);
      expect(await policeFever.textContent()).toContain('吴*家');
      expect(await policeFever.textContent()).toContain('38.2');

      await step(page, 'kp-04-tasks');
      // 4. The police officer completes it: it leaves his active list, also after a reload.
      await policeFever.getByRole('button', { name: /完\s*成/ }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByLabel('处置结果（可选）').fill('已陪同至发热门诊');
      await step(page, 'kp-05-done');
      await dialog.getByRole('button', { name: /确\s*定/ }).click();
      await page.getByText('当前没有待办任务').waitFor(WAIT);
      await page.reload();
      await page.getByText('当前没有待办任务').waitFor(WAIT);
      await page.getByLabel('任务状态').selectOption('done');
      const done = page.getByTestId('task-table').locator('.ant-table-row').filter({ hasText: '发热处置' });
      await done.waitFor(WAIT);
      expect(await done.textContent()).toContain('已完成');
      expect(await done.textContent()).toContain('已陪同至发热门诊');
      // The worker's own task is untouched.
      await workerPage.reload();
      expect(await (await feverRows(workerPage)).count()).toBe(1);
      // The list: last temperature 38.2 ℃, four open tasks (five raised, one done), team complete.
      await workerPage.getByRole('link', { name: '重点人员', exact: true }).click();
      const listed = workerPage.locator('.ant-table-row').filter({ hasText: '吴*家' });
      await listed.getByText('已落实').waitFor(WAIT);
      expect(await listed.getByTestId('kp-temp').textContent()).toBe('38.2 ℃');
      expect(await listed.getByTestId('kp-open-tasks').textContent()).toBe('4');
    });
  });
});
