import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app';
import { TEST_DB_KIND } from '../../../test/helpers/db';
import { buildStaff, signInAs, TEST_PASSWORD } from '../../../test/helpers/factories/staff';

describe('staff sign-in', () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp(); });
  afterAll(async () => { await t?.close(); });

  it('reports the database kind on /healthz', async () => {
    const res = await t.app.inject('/healthz');
    expect(res.json()).toEqual({ status: 'ok', db: TEST_DB_KIND });
  });

  it('signs in with the right password and not with a wrong one', async () => {
    const s = await buildStaff(t.ctx, { role: 'guard' });
    const bad = await t.app.inject({ method: 'POST', url: '/api/staff/login', payload: { username: s.username, password: 'nope' } });
    expect(bad.statusCode).toBe(401);
    expect(bad.json().error.message).toContain('用户名或密码错误');
    const cookie = await signInAs(t, s);
    const me = await t.app.inject({ url: '/api/staff/me', headers: { cookie } });
    expect(me.json().staff.role).toBe('guard');
    expect(TEST_PASSWORD).toBeTruthy();
  });

  it('refuses a disabled account and ends its sessions', async () => {
    const s = await buildStaff(t.ctx);
    const cookie = await signInAs(t, s);
    await t.ctx.db.updateTable('staff').set({ disabled_at: new Date() }).where('id', '=', s.id).execute();
    expect((await t.app.inject({ url: '/api/staff/me', headers: { cookie } })).statusCode).toBe(401);
  });

  it('answers malformed JSON with a clear Chinese message, English on request', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/staff/login', headers: { 'content-type': 'application/json' }, payload: '{"username":' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toBe('请求内容不是有效的 JSON');
    const en = await t.app.inject({ method: 'POST', url: '/api/staff/login', headers: { 'accept-language': 'en-US' }, payload: { username: 'x' } });
    expect(en.statusCode).toBe(400);
    expect(en.json().error.message).toMatch(/password is invalid/);
  });
});
