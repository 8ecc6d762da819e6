/**
 * Issue 6 in the console, in a real browser against a real server on PGlite: the information
 * officer finds a submitted health declaration on /declarations (filter 待核实) and verifies the
 * residence; the community doctor (no 签字出具 offered: not his step; a direct POST of sign answers
 * 403 declaration_wrong_role with a readable message) assesses it fit at 36.5 °C; the chief doctor
 * signs, which issues: the certificate panel shows 有效 and 下载 PDF answers application/pdf; the
 * chief doctor revokes it with a reason in the confirm dialog → 已作废 with the reason.
 * Screenshots go to /tmp/yiqu-e2e-shots/<stamp>/ on failure.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { addDays, chinaDate } from '../../src/lib/time';
import { requireChromium, step } from '../helpers/browser';
import { inConsole, startE2eWorld, stopE2eWorld, type ConsoleSessions, type E2eWorld } from '../helpers/e2e-world';
import { buildStaff } from '../helpers/factories/staff';
import { buildPerson } from '../helpers/factories/persons';
import { buildCheckpoint, buildPlace } from '../helpers/factories/places';
import type { Role } from '../../src/modules/staff/roles';

/** 东方红街道 (410811001) and its first community. */
const COMMUNITY = '410811001001';
const STREET = '410811001';
const WAIT = { timeout: 20_000 };
const ready = requireChromium();

describe.runIf(ready)('issue 6 console: verify, assess, sign and issue, download, revoke', () => {
  let world: E2eWorld | null = null;
  let declarationId = '';
  const users = { info: '', doctor: '', chief: '' };
  const today = chinaDate();

  beforeAll(async () => {
    world = await startE2eWorld(async (ctx) => {
      const center = await ctx.db.insertInto('organisations').values({ kind: 'health_center', name: '东方红街道社区卫生服务中心', area_code: STREET })
        .returning('id').executeTakeFirstOrThrow();
      const staff = async (role: Role, areaCode: string, username: string, displayName: string, orgId: string | null = null) =>
        (await buildStaff(ctx, { role, areaCode, username, displayName, orgId })).username;
      users.info = await staff('info_officer', COMMUNITY, 'e2e-cert-info', '信息员李明');
      users.doctor = await staff('community_doctor', COMMUNITY, 'e2e-cert-doctor', '社区医生陈静', center.id);
      users.chief = await staff('chief_doctor', STREET, 'e2e-cert-chief', '主检医生张华', center.id);
      const person = await buildPerson(ctx, { name: '王申报', homeCommunityCode: COMMUNITY });
      const since = addDays(today, -40);
      const h = await ctx.db.insertInto('households').values({ community_code: COMMUNITY, room: '3号楼201', resident_since: since }).returning('id').executeTakeFirstOrThrow();
      await ctx.db.insertInto('household_members').values({ household_id: h.id, person_id: person.id, since }).execute();
      const answers = {
        residence: Array.from({ length: 14 }, (_, i) => ({ on: addDays(today, i - 13), place: '东方红街道3号楼' })),
        travel: '', contactWithCases: false, contactWithAreas: false, contactNote: '', symptoms: [], destination: '郑州市', purpose: '返岗复工',
      };
      declarationId = (await ctx.db.insertInto('declarations').values({
        person_id: person.id, community_code: COMMUNITY, state: 'submitted', submitted_via: 'self', answers: JSON.stringify(answers),
        acknowledged_at: new Date(), eligibility: JSON.stringify({ checkedOn: today, residenceStartOn: since, residenceDays: 41 }),
      }).returning('id').executeTakeFirstOrThrow()).id;
      await ctx.db.insertInto('declaration_steps').values({ declaration_id: declarationId, action: 'submit', to_state: 'submitted', actor_kind: 'resident', actor_role: 'resident' }).execute();
      // A resident without a smartphone, seen at the community's gate an hour ago (the doctor finds him by name).
      const walkIn = await buildPerson(ctx, { name: '刘代报', homeCommunityCode: COMMUNITY, phone: null });
      const h2 = await ctx.db.insertInto('households').values({ community_code: COMMUNITY, room: '5号楼102', resident_since: since }).returning('id').executeTakeFirstOrThrow();
      await ctx.db.insertInto('household_members').values({ household_id: h2.id, person_id: walkIn.id, since }).execute();
      const place = await buildPlace(ctx, { communityCode: COMMUNITY, name: '东方红小区' });
      const { checkpoint } = await buildCheckpoint(ctx, place.id, { name: '北门' });
      await ctx.db.insertInto('checkins').values({
        id: randomUUID(), person_id: walkIn.id, checkpoint_id: checkpoint.id, place_id: place.id, community_code: COMMUNITY, temperature: null,
        outcome: 'pass', refusal: null, source: 'resident', actor_id: null, direction: 'in', at: new Date(Date.now() - 3_600_000),
      } as never).execute();
    });
  });

  afterAll(() => stopE2eWorld(world));

  async function signIn(sessions: ConsoleSessions, username: string, form = false): Promise<Page> {
    const page = await sessions.signIn(username, form ? 'form' : 'api');
    await page.getByRole('link', { name: '健康申报', exact: true }).waitFor(WAIT);
    return page;
  }
  async function openDeclaration(page: Page) {
    await page.goto(`${world!.base}/console/declarations/${declarationId}`);
    await page.getByTestId('declaration-state').waitFor(WAIT);
  }
  const stateIs = (page: Page, text: string) => page.getByTestId('declaration-state').filter({ hasText: text }).waitFor(WAIT);

  it('takes a declaration through every step to an issued, then revoked certificate', { timeout: 150_000 }, async () => {
    await inConsole(world!, 'certificates-console-failure', async (sessions) => {
      // 1. The information officer: the list (filter 待核实) → the declaration → 核实通过.
      let page = await signIn(sessions, users.info, true);
      await page.getByRole('link', { name: '健康申报', exact: true }).click();
      await page.waitForURL(/\/console\/declarations$/, WAIT);
      await page.getByLabel('办理状态').selectOption({ label: '待核实' });
      const row = page.getByTestId('declaration-table').locator('.ant-table-row').filter({ hasText: '王*报' });
      await row.waitFor(WAIT);
      expect(await row.textContent()).toContain('待核实');
      expect(await row.textContent()).toContain('本人网上申报');
      expect(await page.getByRole('button', { name: '代为申报' }).count()).toBe(0); // the center's doctors enter, not the officer
      await step(page, 'cert-01-list');
      await row.getByRole('link', { name: '王*报' }).click();
      await page.waitForURL(new RegExp(`/console/declarations/${declarationId}$`), WAIT);
      await stateIs(page, '待核实');
      const answers = page.getByTestId('declaration-answers');
      expect(await answers.textContent()).toContain('郑州市');
      expect(await answers.locator('.ant-table-row').count()).toBe(14);
      expect(await page.getByTestId('declaration-eligibility').textContent()).toContain('41');
      expect(await page.getByRole('button', { name: '健康评估' }).count()).toBe(0);
      await page.getByRole('button', { name: '核实通过' }).click();
      await stateIs(page, '待评估');
      expect(await page.getByTestId('declaration-steps').textContent()).toContain('信息员李明（社区信息员）');

      // 2. The community doctor: no 签字出具; a direct sign is refused in words; assess fit at 36.5.
      page = await signIn(sessions, users.doctor);
      expect(await page.getByRole('link', { name: '健康申报', exact: true }).count()).toBe(1);
      await openDeclaration(page);
      await stateIs(page, '待评估');
      expect(await page.getByRole('button', { name: '签字出具' }).count()).toBe(0);
      const refused = await page.request.post(`${world!.base}/api/declarations/${declarationId}/steps`, {
        data: { action: 'sign' }, headers: { 'accept-language': 'zh-CN' },
      });
      expect(refused.status()).toBe(403);
      const body = await refused.json() as { error: { code: string; message: string } };
      expect(body.error.code).toBe('declaration_wrong_role');
      expect(body.error.message).toBe('此步骤须由主检医生办理');
      await page.getByRole('button', { name: '健康评估' }).click();
      const assess = page.getByRole('form', { name: '健康评估' });
      await assess.getByLabel('体温（℃）').fill('36.5');
      await assess.getByLabel('符合出具条件').check();
      await step(page, 'cert-02-assess');
      await page.getByRole('dialog').getByRole('button', { name: '提交评估' }).click();
      await stateIs(page, '待签字');
      const assessed = page.getByTestId('step-assessment');
      expect(await assessed.textContent()).toContain('36.5 °C');
      expect(await assessed.textContent()).toContain('结论：符合');
      expect(await page.getByRole('button', { name: '签字出具' }).count()).toBe(0);

      // 3. The chief doctor signs: the server issues; the certificate is valid and prints.
      page = await signIn(sessions, users.chief);
      await openDeclaration(page);
      await stateIs(page, '待签字');
      await page.getByRole('button', { name: '签字出具' }).click();
      await page.getByRole('button', { name: '确认签字' }).click(); // the Popconfirm: a legal document
      await stateIs(page, '已出具');
      const panel = page.getByTestId('certificate-panel');
      expect(await panel.getByTestId('certificate-state').textContent()).toBe('有效');
      expect(await panel.textContent()).toContain('东方红街道社区卫生服务中心');
      expect(await panel.textContent()).toContain('社区医生陈静');
      expect(await panel.textContent()).toContain('主检医生张华');
      expect(await panel.getByTestId('certificate-until').textContent()).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
      await step(page, 'cert-03-issued');
      const [pdf, saved] = await Promise.all([
        page.waitForResponse((r) => r.url().endsWith('/pdf'), WAIT),
        page.waitForEvent('download', WAIT),
        panel.getByRole('button', { name: '下载 PDF' }).click(),
      ]);
      expect(pdf.status()).toBe(200);
      expect(pdf.headers()['content-type']).toContain('application/pdf');
      const file = await saved.path();
      expect(readFileSync(file).subarray(0, 5).toString('latin1')).toBe('%PDF-');

      // 4. The chief doctor revokes it with a reason, in the confirm dialog.
      await page.getByRole('button', { name: '作废', exact: true }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByText('作废后证明立即失效').waitFor(WAIT);
      await dialog.getByLabel('作废原因').fill('虚假申报：14 天内曾离开本市');
      await dialog.getByRole('button', { name: '确认作废' }).click();
      await stateIs(page, '已作废');
      await panel.getByTestId('certificate-state').filter({ hasText: '已作废' }).waitFor(WAIT);
      expect(await panel.textContent()).toContain('虚假申报：14 天内曾离开本市');
      expect(await page.getByRole('button', { name: '作废', exact: true }).count()).toBe(0);
      await step(page, 'cert-04-revoked');
    });
  });

  it('lets the community doctor enter a declaration for a resident who cannot apply online', { timeout: 90_000 }, async () => {
    await inConsole(world!, 'certificates-entry-failure', async (sessions) => {
      const page = await signIn(sessions, users.doctor);
      await page.getByRole('link', { name: '健康申报', exact: true }).click();
      await page.getByRole('button', { name: '代为申报' }).click();
      const form = page.getByRole('form', { name: '代为申报' });
      await form.getByLabel('查找人员').fill('刘代报');
      await form.getByRole('button', { name: '查找' }).click();
      await form.getByRole('button', { name: '选择 刘*报' }).click();
      await form.getByTestId('picked-person').waitFor(WAIT);
      expect(await form.getByRole('textbox', { name: `居住地点 ${today}` }).inputValue()).toBe('本社区');
      await form.getByLabel('目的地').fill('北京市');
      await form.getByLabel('出行事由').fill('探亲');
      await page.getByRole('button', { name: '提交申报' }).click();
      await form.getByText('请确认承诺').waitFor(WAIT); // the acknowledgement must be ticked
      await form.getByLabel('本人承诺以上信息真实，如有虚假申报，愿承担相应法律责任').check();
      await step(page, 'cert-05-entry');
      await page.getByRole('button', { name: '提交申报' }).click();
      await page.waitForURL(/\/console\/declarations\/[0-9a-f-]{36}$/, WAIT);
      await stateIs(page, '待核实');
      expect(await page.getByTestId('declaration-answers').textContent()).toContain('工作人员代报');
      expect(await page.getByTestId('declaration-answers').textContent()).toContain('北京市');
      expect(await page.getByTestId('declaration-steps').textContent()).toContain('社区医生陈静（社区医生）');
    });
  });
});
