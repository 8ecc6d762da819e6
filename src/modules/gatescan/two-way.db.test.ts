import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app';
import { buildGate, passCode, postScans, scan, type Gate } from '../../../test/helpers/factories/gate';
import { registerDevice, type RegisteredDevice } from '../../../test/helpers/factories/persons';
import { drainCheckins } from '../checkin/service';
import { purgeExpired } from '../checkin/retention';
import { runJobsOnce } from '../system/jobs';
import { linkRecent } from './two-way';

describe('two-way checks: the resident\'s scan and the guard\'s scan of the same person', () => {
  let t: TestApp;
  let g: Gate;
  beforeAll(async () => {
    t = await createTestApp();
    g = await buildGate(t);
  });
  afterAll(async () => { await t?.close(); });

  const residentCheckin = async (d: RegisteredDevice, token: string, temperature: string | null, direction: 'in' | 'out' = 'in') => {
    const res = await t.app.inject({ method: 'POST', url: '/api/r/checkins', headers: { cookie: d.cookie },
      payload: { token, direction, temperature, personIds: [d.personId] } });
    expect(res.statusCode, res.body).toBe(200);
    return res.json().results[0] as { checkinId: string; duplicate: boolean };
  };
  const linksOf = (personId: string) => t.ctx.db.selectFrom('two_way_checks').selectAll().where('person_id', '=', personId).execute();

  it('resident first, then the guard at another gate of the place: linked at once, a 0.4 °C gap flagged', async () => {
    const d = await registerDevice(t, { name: '林双向' });
    const mine = await residentCheckin(d, g.east.token, '36.5');
    const res = await postScans(t, g.guard.cookie, g.west.id, [scan(await passCode(t, d.personId), { temperature: '36.9' })]);
    const r = res.json().results[0];
    // the resident's own check-in did not swallow the guard's: a separate guard row
    expect(r).toMatchObject({ status: 'recorded', outcome: 'pass' });
    expect(r.checkinId).not.toBe(mine.checkinId);
    expect(r.twoWay).toEqual({ residentCheckinId: mine.checkinId, residentTemperature: 36.5, guardTemperature: 36.9, gapC: 0.4, flagged: true });
    const links = await linksOf(d.personId);
    expect(links).toHaveLength(1);
    expect(links[0]).toMatchObject({ guard_checkin_id: r.checkinId, resident_checkin_id: mine.checkinId, flagged: true, gap_c: 0.4, direction: 'in' });
    const rows = await t.ctx.db.selectFrom('checkins').select(['source', 'outcome']).where('person_id', '=', d.personId).orderBy('source').execute();
    expect(rows).toEqual([{ source: 'guard', outcome: 'pass' }, { source: 'resident', outcome: 'pass' }]);
  });

  it('guard first, then the resident: the scheduled job links them; 0.3 °C is not more than 0.3 °C', async () => {
    const d = await registerDevice(t, { name: '黄后扫' });
    const s = scan(await passCode(t, d.personId), { temperature: '36.5' });
    const first = (await postScans(t, g.guard.cookie, g.east.id, [s])).json().results[0];
    expect(first.twoWay).toBeNull();
    const mine = await residentCheckin(d, g.east.token, '36.8');
    expect(mine.duplicate).toBe(false);
    await drainCheckins(t.ctx);
    await runJobsOnce(t.ctx);
    const links = await linksOf(d.personId);
    expect(links).toHaveLength(1);
    expect(links[0]).toMatchObject({ guard_checkin_id: first.checkinId, resident_checkin_id: mine.checkinId, gap_c: 0.3, flagged: false });
    // the gate sending its record again now sees the link
    const again = (await postScans(t, g.guard.cookie, g.east.id, [s])).json().results[0];
    expect(again).toMatchObject({ status: 'duplicate', checkinId: first.checkinId });
    expect(again.twoWay).toEqual({ residentCheckinId: mine.checkinId, residentTemperature: 36.8, guardTemperature: 36.5, gapC: 0.3, flagged: false });
    // linking again makes nothing new
    expect(await linkRecent(t.ctx)).toBe(0);
  });

  it('links exits without temperatures, and only within TWO_WAY_WINDOW_S', async () => {
    const d = await registerDevice(t, { name: '何出门' });
    await residentCheckin(d, g.east.token, '36.4');
    const out = await residentCheckin(d, g.east.token, null, 'out');
    const r = (await postScans(t, g.guard.cookie, g.east.id, [scan(await passCode(t, d.personId), { direction: 'out' })])).json().results[0];
    expect(r.twoWay).toEqual({ residentCheckinId: out.checkinId, residentTemperature: null, guardTemperature: null, gapC: null, flagged: false });

    const late = await registerDevice(t, { name: '罗迟到' });
    const w = t.ctx.config.TWO_WAY_WINDOW_S;
    // the guard's scan queued offline, made well before the resident's: outside the window, no link
    const at = new Date(Date.now() - (w + 60) * 1000);
    const old = (await postScans(t, g.guard.cookie, g.east.id, [scan(await passCode(t, late.personId, '罗迟到', at),
      { offline: true, scannedAt: at, localDecision: { outcome: 'pass', reasonCode: null } })])).json().results[0];
    expect(old).toMatchObject({ status: 'recorded', outcome: 'pass', twoWay: null });
    await residentCheckin(late, g.east.token, '36.6');
    await drainCheckins(t.ctx);
    await linkRecent(t.ctx, new Date(), 3600);
    expect(await linksOf(late.personId)).toEqual([]);
  });

  it('never links a guard scan refused for its token (it verified nobody)', async () => {
    const d = await registerDevice(t, { name: '马过期' });
    await residentCheckin(d, g.east.token, '36.5');
    const stale = await passCode(t, d.personId, '马过期', new Date(Date.now() - 200_000));
    const r = (await postScans(t, g.guard.cookie, g.west.id, [scan(stale)])).json().results[0];
    expect(r).toMatchObject({ status: 'recorded', outcome: 'refused', reasonCode: 'token_expired', twoWay: null });
    await linkRecent(t.ctx, new Date(), 3600);
    expect(await linksOf(d.personId)).toEqual([]);
  });

  it('the retention purge takes gate-scan records and two-way checks with their check-ins', async () => {
    expect(Number((await t.ctx.db.selectFrom('two_way_checks').select((e) => e.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)).toBeGreaterThan(0);
    await drainCheckins(t.ctx);
    const later = new Date(Date.now() + (t.ctx.config.RETENTION_DAYS + 1) * 86_400_000);
    const n = await purgeExpired(t.ctx, later);
    expect(n.gateScans).toBeGreaterThan(0);
    expect(n.twoWayChecks).toBeGreaterThan(0);
    expect(await t.ctx.db.selectFrom('gate_scans').select('idempotency_key').execute()).toEqual([]);
    expect(await t.ctx.db.selectFrom('two_way_checks').select('id').execute()).toEqual([]);
  });
});
