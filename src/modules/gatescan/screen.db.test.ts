import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app';
import { buildGate, type Gate } from '../../../test/helpers/factories/gate';
import { registerDevice, type RegisteredDevice } from '../../../test/helpers/factories/persons';
import { buildStaff, signInAs } from '../../../test/helpers/factories/staff';
import { signToken } from '../tokens/service';

describe('screen mode: a rotating checkpoint code instead of a static poster', () => {
  let t: TestApp;
  let g: Gate;
  let d: RegisteredDevice;
  beforeAll(async () => {
    t = await createTestApp();
    g = await buildGate(t);
    d = await registerDevice(t, { name: '屏幕扫码人' });
  });
  afterAll(async () => { await t?.close(); });

  const lifetime = () => t.ctx.config.CHECKPOINT_CODE_ROTATE_S + t.ctx.config.CHECKPOINT_CODE_GRACE_S;
  const screenCode = (cookie: string, id: string) => t.app.inject({ url: `/api/gate/checkpoints/${id}/screen-code`, headers: { cookie } });
  const view = (token: string) => t.app.inject({ url: `/api/r/checkpoint/${token}`, headers: { cookie: d.cookie } });
  const checkIn = (token: string, direction: 'in' | 'out' = 'out') => t.app.inject({ method: 'POST', url: '/api/r/checkins', headers: { cookie: d.cookie },
    payload: { token, direction, temperature: '36.5', personIds: [d.personId] } });
  const setMode = (cookie: string, id: string, mode: string) =>
    t.app.inject({ method: 'POST', url: `/api/checkpoints/${id}/mode`, headers: { cookie }, payload: { mode } });

  it('gives the guard a fresh signed code of the checkpoint, as a /v# link, refreshed every ROTATE seconds', async () => {
    const res = await screenCode(g.guard.cookie, g.screen.id);
    expect(res.statusCode, res.body).toBe(200);
    const b = res.json();
    expect(b.url).toBe(`https://yiqu.test/v#${b.token}`);
    expect(b.refreshInS).toBe(t.ctx.config.CHECKPOINT_CODE_ROTATE_S);
    expect(Math.abs(Date.parse(b.expiresAt) - (Date.now() + lifetime() * 1000))).toBeLessThan(3000);
    expect(res.headers['cache-control']).toBe('no-store');
    const header = JSON.parse(Buffer.from(b.token.split('.')[0], 'base64url').toString());
    expect(header.typ).toBe('yq-cp');
    // the code names nobody: only the checkpoint
    const claims = JSON.parse(Buffer.from(b.token.split('.')[1], 'base64url').toString());
    expect(Object.keys(claims).sort()).toEqual(['exp', 'iat', 'iss', 'sub']);
    expect(claims.sub).toBe(g.screen.id);
    expect((await screenCode(g.otherGuard.cookie, g.screen.id)).statusCode).toBe(404);
    const poster = await screenCode(g.guard.cookie, g.east.id);
    expect(poster.statusCode).toBe(409);
    expect(poster.json().error.code).toBe('checkpoint_not_screen_mode');
  });

  it('the resident checks in with the code while it is fresh; the poster of a screen-mode gate is refused', async () => {
    const { token } = (await screenCode(g.guard.cookie, g.screen.id)).json();
    const v = await view(token);
    expect(v.statusCode, v.body).toBe(200);
    expect(v.json().checkpoint).toMatchObject({ id: g.screen.id, name: '屏幕门', mode: 'screen' });
    const ok = await checkIn(token, 'in');
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().results[0]).toMatchObject({ outcome: 'pass' });
    // still within ROTATE + GRACE (the resident took a while filling in): accepted
    const older = (await signToken(t.ctx, 'checkpoint', g.screen.id, lifetime(), {}, { now: new Date(Date.now() - (lifetime() - 10) * 1000) })).token;
    expect((await view(older)).statusCode).toBe(200);
    for (const res of [await view(g.screen.token), await checkIn(g.screen.token)]) {
      expect(res.statusCode).toBe(410);
      expect(res.json().error.code).toBe('checkpoint_screen_mode');
      expect(res.json().error.message).toContain('屏幕');
    }
  });

  it('refuses a code older than ROTATE + GRACE with a clear message, and anything not our checkpoint code as unknown', async () => {
    const old = (await signToken(t.ctx, 'checkpoint', g.screen.id, lifetime(), {}, { now: new Date(Date.now() - (lifetime() + 10) * 1000) })).token;
    for (const res of [await view(old), await checkIn(old)]) {
      expect(res.statusCode).toBe(410);
      expect(res.json().error).toEqual({ code: 'checkpoint_code_expired', message: '二维码已更新，请重新扫描值守屏幕上的二维码' });
    }
    const fresh = (await screenCode(g.guard.cookie, g.screen.id)).json().token as string;
    const [h, p, s] = fresh.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
    const moved = `${h}.${Buffer.from(JSON.stringify({ ...claims, sub: g.east.id })).toString('base64url')}.${s}`;
    const pass = (await signToken(t.ctx, 'pass', d.personId, 60)).token;
    for (const bad of [moved, pass, 'a.b.c', `${h}.${p}`]) {
      const res = await view(bad);
      expect(res.statusCode, bad).toBe(404);
      expect(res.json().error.code).toBe('checkpoint_unknown');
    }
    // a code cached as verified still expires on time
    expect((await view(fresh)).statusCode).toBe(200);
    const exp = claims.exp as number;
    const { screenCodeOf } = await import('../checkin/screen-code');
    await expect(screenCodeOf(t.ctx, fresh, new Date((exp + 6) * 1000))).rejects.toMatchObject({ status: 410, code: 'checkpoint_code_expired' });
  });

  it('switches a checkpoint\'s mode with the permission that edits checkpoints, in scope; posters work again in poster mode', async () => {
    const guardRes = await setMode(g.guard.cookie, g.west.id, 'screen');
    expect(guardRes.statusCode).toBe(403);
    const outsider = await buildStaff(t.ctx, { role: 'community_worker', areaCode: '410811001002' });
    expect((await setMode(await signInAs(t, outsider), g.west.id, 'screen')).statusCode).toBe(404);
    expect((await setMode(g.worker.cookie, g.west.id, 'wall')).statusCode).toBe(400);

    expect((await view(g.west.token)).statusCode).toBe(200); // cached as a poster gate
    const res = await setMode(g.worker.cookie, g.west.id, 'screen');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().place.checkpoints.find((c: { id: string }) => c.id === g.west.id).mode).toBe('screen');
    expect((await view(g.west.token)).json().error.code).toBe('checkpoint_screen_mode'); // at once
    const code = (await screenCode(g.guard.cookie, g.west.id)).json().token as string;
    expect((await view(code)).statusCode).toBe(200);
    expect((await setMode(g.worker.cookie, g.west.id, 'poster')).statusCode).toBe(200);
    expect((await view(g.west.token)).statusCode).toBe(200);
    // a screen code still fresh stops at once when the gate goes back to its poster
    expect((await view(code)).json().error.code).toBe('checkpoint_poster_mode');
    expect((await screenCode(g.guard.cookie, g.west.id)).statusCode).toBe(409);
    // back to screen mode a second later: the first period's codes stay dead, though within their lifetime
    await new Promise((r) => setTimeout(r, 1100));
    expect((await setMode(g.worker.cookie, g.west.id, 'screen')).statusCode).toBe(200);
    const dead = await view(code);
    expect(dead.statusCode).toBe(410);
    expect(dead.json().error.code).toBe('checkpoint_code_expired');
    expect((await view((await screenCode(g.guard.cookie, g.west.id)).json().token)).statusCode).toBe(200);
  });

  it('a reissued poster token stops at once on the resident routes (the gate cache does not keep it alive)', async () => {
    expect((await view(g.east.token)).statusCode).toBe(200);
    const res = await t.app.inject({ method: 'POST', url: `/api/checkpoints/${g.east.id}/reissue-token`, headers: { cookie: g.worker.cookie } });
    expect(res.statusCode).toBe(200);
    for (const r of [await view(g.east.token), await checkIn(g.east.token)]) {
      expect(r.statusCode).toBe(410);
      expect(r.json().error.code).toBe('checkpoint_revoked');
    }
    expect((await view(res.json().token)).statusCode).toBe(200);
  });
});
