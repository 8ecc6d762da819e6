import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app';
import { buildCheckpoint, buildPlace } from '../../../test/helpers/factories/places';
import { registerDevice } from '../../../test/helpers/factories/persons';
import { buildStaff, signInAs } from '../../../test/helpers/factories/staff';
import { setStatus } from '../status/service';
import { drainCheckins } from './service';
import { checkinReply, resultOut } from './resident-routes';
import { runJobsOnce } from '../system/jobs';

describe('check-in at a checkpoint', () => {
  let t: TestApp;
  let tokenA: string; let tokenA2: string; let tokenB: string; let placeA: string; let cpA: string;
  beforeAll(async () => {
    t = await createTestApp();
    const a = await buildPlace(t.ctx, { name: '建业小区', communityCode: '410811001001' });
    const b = await buildPlace(t.ctx, { name: '丹尼斯超市', kind: 'supermarket', communityCode: '410811001002' });
    placeA = a.id;
    const ga = await buildCheckpoint(t.ctx, a.id, { name: '东门' });
    cpA = ga.checkpoint.id;
    tokenA = ga.token;
    tokenA2 = (await buildCheckpoint(t.ctx, a.id, { name: '西门' })).token;
    tokenB = (await buildCheckpoint(t.ctx, b.id, { name: '正门' })).token;
  });
  afterAll(async () => { await t?.close(); });

  /** A check-in reply parses by its schema and carries no field beyond it (top level and each result). */
  const expectExactly = (body: Record<string, unknown>) => {
    checkinReply.parse(body);
    expect(Object.keys(body).sort()).toEqual(Object.keys(checkinReply.shape).sort());
    for (const r of body.results as Record<string, unknown>[]) expect(Object.keys(r).sort()).toEqual(Object.keys(resultOut.shape).sort());
  };
  const post = (cookie: string, body: Record<string, unknown>) =>
    t.app.inject({ method: 'POST', url: '/api/r/checkins', headers: { cookie }, payload: body });

  it('describes the scanned checkpoint and the persons on this phone', async () => {
    const d = await registerDevice(t);
    const res = await t.app.inject({ url: `/api/r/checkpoint/${tokenA}`, headers: { cookie: d.cookie } });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.place.name).toBe('建业小区');
    expect(body.checkpoint.name).toBe('东门');
    expect(body.district.name).toBe('山阳区');
    expect(body.persons).toHaveLength(1);
    expect(body.persons[0].maskedName).toContain('*');
  });

  it('passes at 36.5, accepts 36,5, and returns the same check-in on a re-scan', async () => {
    const d = await registerDevice(t);
    const r1 = await post(d.cookie, { token: tokenA, direction: 'in', temperature: '36,5', personIds: [d.personId] });
    expect(r1.statusCode).toBe(200);
    const res1 = r1.json().results[0];
    expect(res1).toMatchObject({ outcome: 'pass', temperature: 36.5, duplicate: false });
    const r2 = await post(d.cookie, { token: tokenA2, direction: 'in', temperature: '36.6', personIds: [d.personId] });
    expect(r2.json().results[0]).toMatchObject({ checkinId: res1.checkinId, duplicate: true });
    const n = await t.ctx.db.selectFrom('checkins').select(({ fn }) => fn.countAll<number>().as('n')).where('person_id', '=', d.personId).executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(1);
    // the reply is written by hand (plainJson): exactly the schema's fields, for a new and a repeated check-in
    for (const r of [r1, r2]) expectExactly(r.json());
  });

  it('refuses 37.8 with 禁止通行 data, sets fever pending, raises one alert, pushes it live', async () => {
    const d = await registerDevice(t);
    const seen: unknown[] = [];
    t.ctx.events.on('fever_alert', (e) => seen.push(e));
    const r = await post(d.cookie, { token: tokenA, direction: 'in', temperature: '37.8', personIds: [d.personId] });
    const res = r.json().results[0];
    expect(res.outcome).toBe('refused');
    expect(res.reasonCode).toBe('fever');
    expect(res.reason).toContain('37.8');
    const st = await t.ctx.db.selectFrom('person_status').selectAll().where('person_id', '=', d.personId).executeTakeFirstOrThrow();
    expect(st.status).toBe('fever_pending');
    const alerts = await t.ctx.db.selectFrom('fever_alerts').selectAll().where('person_id', '=', d.personId).execute();
    expect(alerts).toHaveLength(1);
    expect(seen).toHaveLength(1);
    // a guard of that community re-measures 36.6 and clears: the person passes
    const guard = await buildStaff(t.ctx, { role: 'guard', areaCode: '410811001001' });
    const cookie = await signInAs(t, guard);
    const list = await t.app.inject({ url: '/api/alerts', headers: { cookie } });
    expect(list.json().alerts.map((a: { id: string }) => a.id)).toContain(alerts[0]!.id);
    const bad = await t.app.inject({ method: 'POST', url: `/api/alerts/${alerts[0]!.id}/resolve`, headers: { cookie }, payload: { remeasuredTemperature: '37.5', outcome: 'cleared' } });
    expect(bad.statusCode).toBe(400);
    const ok = await t.app.inject({ method: 'POST', url: `/api/alerts/${alerts[0]!.id}/resolve`, headers: { cookie }, payload: { remeasuredTemperature: '36.6', outcome: 'cleared' } });
    expect(ok.statusCode).toBe(200);
    const after = await t.ctx.db.selectFrom('checkins').select(['outcome', 'source', 'temperature']).where('person_id', '=', d.personId).orderBy('at', 'desc').execute();
    expect(after[0]).toMatchObject({ outcome: 'pass', source: 'guard', temperature: 36.6 });
    const st2 = await t.ctx.db.selectFrom('person_status').select('status').where('person_id', '=', d.personId).executeTakeFirstOrThrow();
    expect(st2.status).toBe('normal');
  });

  it('alerts on a barred person\'s fever and leaves a stricter status in place when the alert is cleared', async () => {
    const guard = await buildStaff(t.ctx, { role: 'guard', areaCode: '410811001001' });
    const cookie = await signInAs(t, guard);
    const system = { kind: 'system', id: null, role: 'system' } as const;
    const statusOf = async (id: string) => (await t.ctx.db.selectFrom('person_status').select('status').where('person_id', '=', id).executeTakeFirstOrThrow()).status;
    const clear = (alertId: string) => t.app.inject({ method: 'POST', url: `/api/alerts/${alertId}/resolve`, headers: { cookie }, payload: { remeasuredTemperature: '36.5', outcome: 'cleared' } });
    // in home isolation, 38.2 at the gate: refused for the status, and the community is alerted (SPEC S1)
    const isolated = await registerDevice(t);
    await setStatus(t.ctx.db, isolated.personId, 'home_isolation', '自武汉返焦，居家隔离14天', system);
    const r = await post(isolated.cookie, { token: tokenA, direction: 'in', temperature: '38.2', personIds: [isolated.personId] });
    expect(r.json().results[0]).toMatchObject({ outcome: 'refused', reasonCode: 'status_barred' });
    const [alert] = await t.ctx.db.selectFrom('fever_alerts').select('id').where('person_id', '=', isolated.personId).execute();
    expect(alert).toBeDefined();
    expect(await statusOf(isolated.personId)).toBe('home_isolation');
    expect((await clear(alert!.id)).statusCode).toBe(200);
    expect(await statusOf(isolated.personId)).toBe('home_isolation');
    const last = await t.ctx.db.selectFrom('checkins').select(['outcome', 'refusal', 'source']).where('person_id', '=', isolated.personId).orderBy('at', 'desc').executeTakeFirstOrThrow();
    expect(last).toEqual({ outcome: 'refused', refusal: 'status_barred', source: 'guard' });
    // fever pending, then made a suspected case before the re-measure: clearing the alert keeps the case
    const suspect = await registerDevice(t);
    await post(suspect.cookie, { token: tokenA, direction: 'in', temperature: '38.0', personIds: [suspect.personId] });
    expect(await statusOf(suspect.personId)).toBe('fever_pending');
    await setStatus(t.ctx.db, suspect.personId, 'case', '疑似病例', system);
    const [a2] = await t.ctx.db.selectFrom('fever_alerts').select('id').where('person_id', '=', suspect.personId).execute();
    expect((await clear(a2!.id)).statusCode).toBe(200);
    expect(await statusOf(suspect.personId)).toBe('case');
  });

  it('a guard in another street does not see the alert', async () => {
    const other = await buildStaff(t.ctx, { role: 'guard', areaCode: '410811002001' });
    const cookie = await signInAs(t, other);
    const list = await t.app.inject({ url: '/api/alerts?state=all', headers: { cookie } });
    expect(list.json().alerts).toEqual([]);
  });

  it('refuses a person in home isolation at a supermarket, with the reason', async () => {
    const d = await registerDevice(t);
    await setStatus(t.ctx.db, d.personId, 'home_isolation', '自武汉返焦，居家隔离14天', { kind: 'system', id: null, role: 'system' });
    const r = await post(d.cookie, { token: tokenB, direction: 'in', temperature: '36.4', personIds: [d.personId] });
    const res = r.json().results[0];
    expect(res.outcome).toBe('refused');
    expect(res.reason).toContain('居家隔离');
    expect(res.reason).toContain('自武汉返焦');
    expectExactly(r.json());
  });

  it('keeps one stay per place and closes it on entry elsewhere and on exit', async () => {
    const d = await registerDevice(t);
    await post(d.cookie, { token: tokenA, direction: 'in', temperature: '36.5', personIds: [d.personId] });
    await post(d.cookie, { token: tokenB, direction: 'in', temperature: '36.5', personIds: [d.personId] });
    await post(d.cookie, { token: tokenB, direction: 'out', personIds: [d.personId] });
    const stays = await t.ctx.db.selectFrom('stays').selectAll().where('person_id', '=', d.personId).orderBy('entered_at').execute();
    expect(stays).toHaveLength(2);
    expect(stays[0]).toMatchObject({ place_id: placeA, closed_by: 'other_place' });
    expect(stays[1]).toMatchObject({ closed_by: 'exit' });
    expect(stays[1]!.exit_checkin_id).not.toBeNull();
    // time-ordered ids (src/lib/ids.ts): UUIDv7, increasing in the order made
    const checkins = await t.ctx.db.selectFrom('checkins').select('id').where('person_id', '=', d.personId).orderBy('at').execute();
    for (const ids of [checkins.map((c) => c.id), stays.map((s) => s.id)]) {
      expect(ids.every((id) => id[14] === '7')).toBe(true);
      expect([...ids].sort()).toEqual(ids);
    }
  });

  it.each([
    [{ temperature: 'abc' }, 'temperature_format'],
    [{ temperature: '50' }, 'temperature_range'],
    [{ temperature: undefined }, 'temperature_required'],
  ])('refuses %j with %s and records nothing', async (over, code) => {
    const d = await registerDevice(t);
    const r = await post(d.cookie, { token: tokenA, direction: 'in', personIds: [d.personId], ...over });
    expect(r.statusCode).toBe(400);
    expect(r.json().error.code).toBe(code);
    const rows = await t.ctx.db.selectFrom('checkins').select('id').where('person_id', '=', d.personId).execute();
    expect(rows).toHaveLength(0);
  });

  it('answers an unknown token 404 and a revoked one 410 with a Chinese reason', async () => {
    const d = await registerDevice(t);
    const unknown = await post(d.cookie, { token: 'x'.repeat(32), direction: 'out', personIds: [d.personId] });
    expect(unknown.statusCode).toBe(404);
    const g = await buildCheckpoint(t.ctx, placeA, { name: '北门' });
    await t.ctx.db.updateTable('checkpoint_tokens').set({ revoked_at: new Date() }).where('token', '=', g.token).execute();
    const revoked = await t.app.inject({ url: `/api/r/checkpoint/${g.token}` });
    expect(revoked.statusCode).toBe(410);
    expect(revoked.json().error.message).toContain('作废');
  });

  it('refuses to check in a person not on this phone', async () => {
    const a = await registerDevice(t);
    const b = await registerDevice(t);
    const r = await post(a.cookie, { token: tokenA, direction: 'in', temperature: '36.5', personIds: [b.personId] });
    expect(r.statusCode).toBe(403);
  });

  it('two taps at once make one check-in', async () => {
    const d = await registerDevice(t);
    const body = { token: tokenA, direction: 'in', temperature: '36.5', personIds: [d.personId] };
    const [x, y] = await Promise.all([post(d.cookie, body), post(d.cookie, body)]);
    expect(x.json().results[0].checkinId).toBe(y.json().results[0].checkinId);
  });

  it('counts per place and China day, and the guard live list sees entries', async () => {
    await drainCheckins(t.ctx);
    const worker = await buildStaff(t.ctx, { role: 'community_worker', areaCode: '410811001001' });
    const cookie = await signInAs(t, worker);
    const counts = await t.app.inject({ url: '/api/checkins/counts', headers: { cookie } });
    expect(counts.statusCode).toBe(200);
    const rowA = counts.json().rows.find((r: { placeId: string }) => r.placeId === placeA);
    expect(rowA.entries).toBeGreaterThan(0);
    const search = await t.app.inject({ url: `/api/checkins?placeId=${placeA}`, headers: { cookie } });
    expect(search.json().total).toBe(await t.ctx.db.selectFrom('checkins').select('id').where('place_id', '=', placeA).execute().then((r) => r.length));
    const csv = await t.app.inject({ url: `/api/checkins/export?format=csv&placeId=${placeA}`, headers: { cookie } });
    expect(csv.body.trim().split('\r\n').length - 1).toBe(search.json().total);
    // refusals in words (the fever and the barred isolation above were at place A), never codes
    expect(csv.body).toContain('体温异常');
    expect(csv.body).toContain('人员状态禁止通行');
    expect(csv.body).not.toMatch(/,(fever|status_barred),/);
    const audits = await t.ctx.db.selectFrom('audit_log').select('action').where('actor_id', '=', worker.id).execute();
    expect(audits.map((a) => a.action)).toEqual(expect.arrayContaining(['checkins.search', 'checkins.export']));
    const guard = await buildStaff(t.ctx, { role: 'guard', areaCode: '410811001001', checkpointId: cpA });
    const gc = await signInAs(t, guard);
    const live = await t.app.inject({ url: `/api/gate/checkins?checkpointId=${cpA}`, headers: { cookie: gc } });
    expect(live.json().checkins.length).toBeGreaterThan(0);
  });

  it('purges check-ins older than the retention period unless held', async () => {
    const d = await registerDevice(t);
    const old = new Date(Date.now() - 30 * 86_400_000);
    const cp = await t.ctx.db.selectFrom('checkpoints').select(['id', 'place_id']).where('id', '=', cpA).executeTakeFirstOrThrow();
    const mk = (id: string) => ({ id, person_id: d.personId, checkpoint_id: cp.id, place_id: cp.place_id, community_code: '410811001001',
      direction: 'in' as const, temperature: 36.5, outcome: 'pass' as const, refusal: null, source: 'resident' as const, actor_id: null, at: old });
    await t.ctx.db.insertInto('checkins').values([mk('00000000-0000-4000-8000-000000000001')]).execute();
    const other = await registerDevice(t);
    await t.ctx.db.insertInto('checkins').values([{ ...mk('00000000-0000-4000-8000-000000000002'), person_id: other.personId }]).execute();
    await t.ctx.db.insertInto('retention_holds').values({ person_id: other.personId, place_id: null, from_at: new Date(old.getTime() - 1000), to_at: new Date(), reason: '病例追踪' }).execute();
    await runJobsOnce(t.ctx);
    const left = await t.ctx.db.selectFrom('checkins').select('id').where('at', '<', new Date(Date.now() - 29 * 86_400_000)).execute();
    expect(left.map((r) => r.id)).toEqual(['00000000-0000-4000-8000-000000000002']);
  });

  it('keeps the check-in log whole without row checks: places, checkpoints and logged persons cannot be deleted', async () => {
    const d = await registerDevice(t);
    expect((await post(d.cookie, { token: tokenA, direction: 'in', temperature: '36.5', personIds: [d.personId] })).statusCode).toBe(200);
    await drainCheckins(t.ctx);
    await expect(t.ctx.db.deleteFrom('places').where('id', '=', placeA).execute()).rejects.toThrow(/never deleted/);
    await expect(t.ctx.db.deleteFrom('checkpoints').where('id', '=', cpA).execute()).rejects.toThrow(/never deleted/);
    await expect(t.ctx.db.deleteFrom('persons').where('id', '=', d.personId).execute()).rejects.toThrow(/still has check-ins/);
    expect(await t.ctx.db.selectFrom('places').select('id').where('id', '=', placeA).executeTakeFirst()).toBeDefined();
  });
});
