import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app';
import { buildStaff, TEST_PASSWORD } from '../../../test/helpers/factories/staff';
import { buildCheckpoint, buildPlace } from '../../../test/helpers/factories/places';
import { AppError } from '../../lib/errors';
import { signIn, STAFF_COOKIE } from './auth';

// Sessions come from signIn() directly: the login route's rate limit (10 a minute) is not under test here.
async function session(t: TestApp, username: string, password = TEST_PASSWORD) {
  return `${STAFF_COOKIE}=${(await signIn(t.ctx, username, password)).sid}`;
}
const signInAs = (t: TestApp, s: { username: string }) => session(t, s.username);

describe('staff accounts administration', { timeout: 60_000 }, () => {
  let t: TestApp;
  let admin: string; // admin of 山阳区
  let worker: string; // community worker of 文化巷社区
  let workerId: string;
  beforeAll(async () => {
    t = await createTestApp();
    admin = await signInAs(t, await buildStaff(t.ctx, { role: 'admin', areaCode: '410811' }));
    const w = await buildStaff(t.ctx, { role: 'community_worker', areaCode: '410811001001' });
    workerId = w.id;
    worker = await signInAs(t, w);
  }, 120_000);
  afterAll(async () => { await t?.close(); }, 60_000);

  const create = (cookie: string, body: Record<string, unknown>, lang = 'zh') =>
    t.app.inject({ method: 'POST', url: '/api/staff/accounts', headers: { cookie, 'accept-language': lang }, payload: body });
  /** Status of a sign-in attempt: 200, or the refusal's status. */
  const login = (username: string, password: string) =>
    signIn(t.ctx, username, password).then(() => ({ statusCode: 200 }), (e: AppError) => ({ statusCode: e.status }));
  const staffCount = async () => Number((await t.ctx.db.selectFrom('staff').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  it('creates an account with a one-time password that must be changed, and audits it', async () => {
    const res = await create(admin, { username: 'Street-Ops', displayName: ' 王 芳 ', role: 'street_office', areaCode: '410811001' });
    expect(res.statusCode).toBe(201);
    expect(res.headers['cache-control']).toBe('no-store');
    const { account, password } = res.json();
    expect(account).toMatchObject({ username: 'street-ops', displayName: '王 芳', role: 'street_office', areaName: '东方红街道', mustChangePassword: true, disabled: false });
    expect(password).toMatch(/^[A-Za-z0-9]{4}-[A-Za-z0-9]{4}-[A-Za-z0-9]{4}$/);
    const me = await t.app.inject({ method: 'POST', url: '/api/staff/login', payload: { username: 'street-ops', password } });
    expect(me.statusCode).toBe(200);
    expect(me.json().staff.mustChangePassword).toBe(true);
    const a = await t.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'account.create')
      .where('area_code', '=', '410811001').executeTakeFirstOrThrow();
    expect(a.detail).toMatchObject({ username: 'street-ops', role: 'street_office' });
    expect(JSON.stringify(a.detail)).not.toContain(password);
  });

  it('refuses an area outside the creator\'s subtree with 404 and creates nothing', async () => {
    const before = await staffCount();
    const res = await create(admin, { username: 'far-away', displayName: '外区', role: 'street_office', areaCode: '410802001' });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('area_out_of_scope');
    expect(await staffCount()).toBe(before);
  });

  it('refuses a role at the wrong level of the tree, in the caller\'s language', async () => {
    const zh = await create(admin, { username: 'guard-at-street', displayName: '甲', role: 'guard', areaCode: '410811001' });
    expect(zh.statusCode).toBe(400);
    expect(zh.json().error).toMatchObject({ code: 'area_level', message: '“卡点值守人员”账号只能设在社区/村一级' });
    const en = await create(admin, { username: 'district-at-city', displayName: 'B', role: 'district_command', areaCode: '410811001001' }, 'en');
    expect(en.json().error.message).toBe('District command office accounts belong to a district node');
  });

  it('lets a community worker create guards in its community but refuses escalation', async () => {
    const ok = await create(worker, { username: 'gate-keeper-1', displayName: '李四', role: 'guard', areaCode: '410811001001' });
    expect(ok.statusCode).toBe(201);
    for (const role of ['district_command', 'community_worker', 'community_doctor', 'admin']) {
      const areaCode = role === 'district_command' ? '410811' : '410811001001';
      const res = await create(worker, { username: `esc-${role.replace('_', '-')}`, displayName: '越权', role, areaCode });
      expect(res.statusCode, role).toBe(role === 'district_command' ? 404 : 403);
    }
    const other = await create(worker, { username: 'gate-keeper-x', displayName: '王五', role: 'guard', areaCode: '410811001002' });
    expect(other.statusCode).toBe(404);
    const byGuard = await signInAs(t, await buildStaff(t.ctx, { role: 'guard' }));
    expect((await create(byGuard, { username: 'gate-keeper-y', displayName: '赵六', role: 'guard', areaCode: '410811001001' })).statusCode).toBe(403);
  });

  it('answers malformed input with 400 and a duplicate username with 409, creating nothing', async () => {
    const before = await staffCount();
    const bad = await create(admin, { username: 'x', displayName: '甲', role: 'guard', areaCode: '410811001001' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('username_invalid');
    const badRole = await create(admin, { username: 'abc', displayName: '甲', role: 'wizard', areaCode: '410811001001' });
    expect(badRole.statusCode).toBe(400);
    expect(badRole.json().error.message).toContain('角色');
    const badArea = await create(admin, { username: 'abcd', displayName: '甲', role: 'guard', areaCode: '4108110010' });
    expect(badArea.statusCode).toBe(400);
    const dup = await create(admin, { username: 'GATE-KEEPER-1', displayName: '重名', role: 'guard', areaCode: '410811001001' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.code).toBe('username_taken');
    expect(await staffCount()).toBe(before);
  });

  it('posts a guard at a checkpoint of its own community only', async () => {
    const here = await buildCheckpoint(t.ctx, (await buildPlace(t.ctx, { communityCode: '410811001001', name: '文化巷小区' })).id, { name: '东门' });
    const there = await buildCheckpoint(t.ctx, (await buildPlace(t.ctx, { communityCode: '410811001002', name: '广场小区' })).id, { name: '北门' });
    const ok = await create(worker, { username: 'posted-guard', displayName: '岗哨', role: 'guard', areaCode: '410811001001', checkpointId: here.checkpoint.id });
    expect(ok.statusCode).toBe(201);
    expect(ok.json().account).toMatchObject({ checkpointId: here.checkpoint.id, checkpointLabel: '文化巷小区 东门' });
    const wrong = await create(admin, { username: 'misposted', displayName: '岗哨', role: 'guard', areaCode: '410811001001', checkpointId: there.checkpoint.id });
    expect(wrong.statusCode).toBe(404);
    expect(wrong.json().error.code).toBe('checkpoint_not_found');
    const notGuard = await create(admin, { username: 'info-post', displayName: '信息员', role: 'info_officer', areaCode: '410811001001', checkpointId: here.checkpoint.id });
    expect(notGuard.statusCode).toBe(400);
    // Re-posting through PATCH follows the same rule.
    const id = ok.json().account.id;
    const move = await t.app.inject({ method: 'PATCH', url: `/api/staff/accounts/${id}`, headers: { cookie: admin }, payload: { checkpointId: there.checkpoint.id } });
    expect(move.statusCode).toBe(404);
    const clear = await t.app.inject({ method: 'PATCH', url: `/api/staff/accounts/${id}`, headers: { cookie: admin }, payload: { checkpointId: null, displayName: '岗哨二' } });
    expect(clear.json().account).toMatchObject({ checkpointId: null, displayName: '岗哨二' });
  });

  it('disabling ends every session of the account; enabling lets it sign in again', async () => {
    const g = await buildStaff(t.ctx, { role: 'guard', areaCode: '410811001001' });
    const s1 = await signInAs(t, g);
    const s2 = await signInAs(t, g);
    const res = await t.app.inject({ method: 'POST', url: `/api/staff/accounts/${g.id}/disable`, headers: { cookie: worker } });
    expect(res.statusCode).toBe(200);
    expect(res.json().account.disabled).toBe(true);
    for (const cookie of [s1, s2]) expect((await t.app.inject({ url: '/api/staff/me', headers: { cookie } })).statusCode).toBe(401);
    expect(await t.ctx.db.selectFrom('staff_sessions').select('id_hash').where('staff_id', '=', g.id).execute()).toHaveLength(0);
    expect((await login(g.username, TEST_PASSWORD)).statusCode).toBe(401);
    await t.app.inject({ method: 'POST', url: `/api/staff/accounts/${g.id}/enable`, headers: { cookie: worker } });
    expect((await login(g.username, TEST_PASSWORD)).statusCode).toBe(200);
    const actions = await t.ctx.db.selectFrom('audit_log').select('action').where(sql`detail->>'accountId'`, '=', g.id).execute();
    expect(actions.map((a) => a.action).sort()).toEqual(['account.disable', 'account.enable']);
  });

  it('refuses to manage accounts out of reach: other subtree 404, higher role 403, oneself 403', async () => {
    const farGuard = await buildStaff(t.ctx, { role: 'guard', areaCode: '410811001002' });
    expect((await t.app.inject({ method: 'POST', url: `/api/staff/accounts/${farGuard.id}/disable`, headers: { cookie: worker } })).statusCode).toBe(404);
    const doctor = await buildStaff(t.ctx, { role: 'community_doctor', areaCode: '410811001001' });
    expect((await t.app.inject({ method: 'POST', url: `/api/staff/accounts/${doctor.id}/reset-password`, headers: { cookie: worker } })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'POST', url: `/api/staff/accounts/${workerId}/disable`, headers: { cookie: worker } })).statusCode).toBe(403);
    expect((await t.ctx.db.selectFrom('staff').select('disabled_at').where('id', 'in', [farGuard.id, workerId]).execute()).every((r) => r.disabled_at === null)).toBe(true);
  });

  it('reset gives a new one-time password, ends sessions and voids the old password', async () => {
    const g = await buildStaff(t.ctx, { role: 'info_officer', areaCode: '410811001001' });
    const earlier = await signInAs(t, g);
    const res = await t.app.inject({ method: 'POST', url: `/api/staff/accounts/${g.id}/reset-password`, headers: { cookie: admin } });
    expect(res.statusCode).toBe(200);
    const { password, account } = res.json();
    expect(account.mustChangePassword).toBe(true);
    expect(password).not.toBe(TEST_PASSWORD);
    expect((await t.app.inject({ url: '/api/staff/me', headers: { cookie: earlier } })).statusCode).toBe(401);
    expect((await login(g.username, TEST_PASSWORD)).statusCode).toBe(401);
    expect((await login(g.username, password)).statusCode).toBe(200);
  });

  it('the signed-in user changes its own password; other sessions end', async () => {
    const g = await buildStaff(t.ctx, { role: 'info_officer', areaCode: '410811001001' });
    await t.ctx.db.updateTable('staff').set({ must_change_password: true }).where('id', '=', g.id).execute();
    const password = TEST_PASSWORD;
    const cookie = await session(t, g.username, password);
    const other = await session(t, g.username, password);
    const change = (oldPassword: string, newPassword: string) =>
      t.app.inject({ method: 'POST', url: '/api/staff/password', headers: { cookie }, payload: { oldPassword, newPassword } });
    expect((await change('wrong-one-1', 'Better-pass-9')).json().error.code).toBe('wrong_password');
    expect((await change(password, 'short1')).json().error).toMatchObject({ code: 'weak_password', message: '密码至少8位，且须同时包含字母和数字' });
    expect((await change(password, password)).json().error.code).toBe('same_password');
    expect((await change(password, 'Better-pass-9')).statusCode).toBe(200);
    expect((await t.app.inject({ url: '/api/staff/me', headers: { cookie } })).json().staff.mustChangePassword).toBe(false);
    expect((await t.app.inject({ url: '/api/staff/me', headers: { cookie: other } })).statusCode).toBe(401);
    expect((await login(g.username, 'Better-pass-9')).statusCode).toBe(200);
    expect((await login(g.username, password)).statusCode).toBe(401);
  });

  it('lists only accounts of the caller\'s subtree, with filters', async () => {
    const list = async (cookie: string, query = '') => (await t.app.inject({ url: `/api/staff/accounts?limit=200${query}`, headers: { cookie } })).json();
    const mine = await list(worker);
    expect(mine.items.length).toBeGreaterThan(0);
    expect(mine.items.every((a: { areaCode: string }) => a.areaCode.startsWith('410811001001'))).toBe(true);
    expect(mine.total).toBe(mine.items.length);
    const all = await list(admin);
    expect(all.items.some((a: { areaCode: string }) => a.areaCode === '410811001002')).toBe(true);
    const guards = await list(admin, '&role=guard&areaCode=410811001001');
    expect(guards.items.length).toBeGreaterThan(0);
    expect(guards.items.every((a: { role: string; areaCode: string }) => a.role === 'guard' && a.areaCode === '410811001001')).toBe(true);
    expect((await list(admin, `&q=${encodeURIComponent('岗哨二')}`)).items.map((a: { username: string }) => a.username)).toEqual(['posted-guard']);
    expect((await list(admin, '&q=%25')).total).toBe(0); // wildcards are literal
    const disabled = await list(admin, '&disabled=true');
    expect(disabled.items.every((a: { disabled: boolean }) => a.disabled)).toBe(true);
    const self = mine.items.find((a: { id: string }) => a.id === workerId);
    expect(self.manageable).toBe(false);
    const guardCookie = await signInAs(t, await buildStaff(t.ctx, { role: 'guard' }));
    expect((await t.app.inject({ url: '/api/staff/accounts', headers: { cookie: guardCookie } })).statusCode).toBe(403);
    expect((await t.app.inject({ url: '/api/staff/accounts' })).statusCode).toBe(401);
  });

  it('creates health service centers and attaches doctors to them', async () => {
    const streetAdmin = await signInAs(t, await buildStaff(t.ctx, { role: 'street_office', areaCode: '410811001' }));
    const res = await t.app.inject({ method: 'POST', url: '/api/staff/organisations', headers: { cookie: streetAdmin }, payload: { name: '东方红街道社区卫生服务中心', areaCode: '410811001' } });
    expect(res.statusCode).toBe(201);
    const org = res.json().organisation;
    expect(org).toMatchObject({ kind: 'health_center', areaName: '东方红街道' });
    const dup = await t.app.inject({ method: 'POST', url: '/api/staff/organisations', headers: { cookie: streetAdmin }, payload: { name: '东方红街道社区卫生服务中心', areaCode: '410811001' } });
    expect(dup.statusCode).toBe(409);
    const out = await t.app.inject({ method: 'POST', url: '/api/staff/organisations', headers: { cookie: streetAdmin }, payload: { name: '外区中心', areaCode: '410811002' } });
    expect(out.statusCode).toBe(404);
    // A community worker below sees its street's center; another street's admin does not.
    const seen = (await t.app.inject({ url: '/api/staff/organisations', headers: { cookie: worker } })).json().items;
    expect(seen.map((o: { id: string }) => o.id)).toContain(org.id);
    const otherStreet = await signInAs(t, await buildStaff(t.ctx, { role: 'street_office', areaCode: '410811002' }));
    expect((await t.app.inject({ url: '/api/staff/organisations', headers: { cookie: otherStreet } })).json().items).toEqual([]);
    const doc = await create(streetAdmin, { username: 'doc-wang', displayName: '王医生', role: 'community_doctor', areaCode: '410811001003', orgId: org.id });
    expect(doc.statusCode).toBe(201);
    expect(doc.json().account.orgName).toBe('东方红街道社区卫生服务中心');
    const farOrg = await t.ctx.db.insertInto('organisations').values({ kind: 'health_center', name: '中站区中心', area_code: '410803' }).returning('id').executeTakeFirstOrThrow();
    expect((await create(admin, { username: 'doc-far', displayName: '远', role: 'community_doctor', areaCode: '410811001003', orgId: farOrg.id })).statusCode).toBe(404);
  });
});
