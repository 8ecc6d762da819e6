// Cases found by adversarial runs against the gate scans (sessions 2 and 6): each was a 500, a lost
// fever reading, a stale code recorded as a pass, a wrong record or a widened view before its fix
// (gatescan/offline.ts, service.ts).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app';
import { buildGate, passCode, postScans, scan, type Gate } from '../../../test/helpers/factories/gate';
import { buildPerson } from '../../../test/helpers/factories/persons';
import { buildStaff, signInAs } from '../../../test/helpers/factories/staff';
import { getStatuses, setStatus } from '../status/service';
import { drainCheckins } from '../checkin/service';
import { personInScope } from '../persons/service';

const SYSTEM = { kind: 'system' as const, id: null, role: 'system' };
const PASS = { outcome: 'pass' as const, reasonCode: null };

describe('gate scans against hostile or clumsy input', () => {
  let t: TestApp;
  let g: Gate;
  beforeAll(async () => { t = await createTestApp(); g = await buildGate(t); });
  afterAll(async () => { await t?.close(); });

  const checkinsOf = async (personId: string) => {
    await drainCheckins(t.ctx);
    return t.ctx.db.selectFrom('checkins').selectAll().where('person_id', '=', personId).orderBy('at').execute();
  };

  it('a fever reading re-scanned within the re-scan window is a new refusal with its alert, online and offline', async () => {
    for (const offline of [false, true]) {
      const p = await buildPerson(t.ctx, { name: offline ? '离线甲' : '在线甲' });
      const first = await postScans(t, g.guard.cookie, g.east.id, [scan(await passCode(t, p.id), { temperature: '36.5' })]);
      expect(first.json().results[0]).toMatchObject({ status: 'recorded', outcome: 'pass' });
      const again = await postScans(t, g.guard.cookie, g.east.id, [scan(await passCode(t, p.id), {
        temperature: '39.0', offline, ...(offline ? { localDecision: { outcome: 'refused' as const, reasonCode: 'fever' } } : {}),
      })]);
      expect(again.json().results[0]).toMatchObject({ status: 'recorded', outcome: 'refused', reasonCode: 'fever' });
      expect(again.json().results[0].checkinId).not.toBe(first.json().results[0].checkinId);
      expect((await checkinsOf(p.id)).map((c) => c.outcome)).toEqual(['pass', 'refused']);
      const alerts = await t.ctx.db.selectFrom('fever_alerts').select('temperature').where('person_id', '=', p.id).execute();
      expect(alerts.map((a) => a.temperature)).toEqual([39]);
    }
  });

  it('refuses an online scan dated well before it was sent (a backdated stale code) and a queued scan older than the offline grace', async () => {
    const p = await buildPerson(t.ctx, { name: '回溯乙' });
    const issued = new Date(Date.now() - 5 * 60_000);
    const stale = await passCode(t, p.id, '回溯乙', issued);
    const res = await postScans(t, g.guard.cookie, g.east.id, [scan(stale, { scannedAt: new Date(issued.getTime() + 20_000) })]);
    expect(res.json().results[0]).toMatchObject({ status: 'rejected', outcome: 'refused', reasonCode: 'scan_time_invalid' });
    const old = new Date(Date.now() - (t.ctx.config.OFFLINE_GRACE_DAYS + 1) * 86_400_000);
    const queued = await postScans(t, g.guard.cookie, g.east.id, [scan(await passCode(t, p.id, '回溯乙', old), {
      scannedAt: old, offline: true, localDecision: { outcome: 'pass', reasonCode: null },
    })]);
    expect(queued.json().results[0]).toMatchObject({ status: 'rejected', reasonCode: 'scan_time_invalid' });
    expect(await checkinsOf(p.id)).toEqual([]);
  });

  it('answers 400 for device times out of range instead of failing the batch with a 500', async () => {
    const p = await buildPerson(t.ctx, { name: '时间丙' });
    const good = scan(await passCode(t, p.id));
    for (const [scannedAt, sentAt] of [['0000-06-01T00:00:00Z', new Date().toISOString()], [good.scannedAt, '2100-01-01T00:00:00Z'], [good.scannedAt, '9999-12-31T00:00:00Z']]) {
      const res = await t.app.inject({ method: 'POST', url: '/api/gate/scans', headers: { cookie: g.guard.cookie },
        payload: { checkpointId: g.east.id, sentAt, scans: [good, { ...good, idempotencyKey: crypto.randomUUID(), scannedAt }] } });
      expect(res.statusCode, res.body).toBe(400);
    }
    expect(await checkinsOf(p.id)).toEqual([]);
    // a device whose clock reset to 1970 still lands its scans, corrected and flagged
    const reset = await postScans(t, g.guard.cookie, g.east.id, [{ ...good, scannedAt: '1970-01-01T00:05:59Z', offline: true,
      localDecision: { outcome: 'pass', reasonCode: null } }], new Date('1970-01-01T00:06:00Z'));
    expect(reset.json(), reset.body).toMatchObject({ skewCorrected: true, results: [{ status: "recorded", outcome: "pass" }] });
  });

  it('says the limit of a batch that is too long (200 scans), in the caller\'s language', async () => {
    const p = await buildPerson(t.ctx, { name: '批量丑' });
    const s = scan(await passCode(t, p.id));
    const many = Array.from({ length: 201 }, () => ({ ...s, idempotencyKey: randomUUID() }));
    const en = await postScans(t, g.guard.cookie, g.east.id, many, new Date(), 'en');
    expect(en.statusCode).toBe(400);
    expect(en.json().error.message).toContain('must have at most 200 items');
    expect((await postScans(t, g.guard.cookie, g.east.id, many)).json().error.message).toContain('最多 200 项');
    expect(await checkinsOf(p.id)).toEqual([]);
  });

  it('does not take an offline pass on entry without the guard\'s reading; the corrected scan lands later', async () => {
    const p = await buildPerson(t.ctx, { name: '无温丁' });
    const s = scan(await passCode(t, p.id), { temperature: null, offline: true, localDecision: { outcome: 'pass', reasonCode: null } });
    const res = await postScans(t, g.guard.cookie, g.east.id, [s]);
    expect(res.json().results[0]).toMatchObject({ status: 'rejected', reasonCode: 'temperature_required' });
    expect(await checkinsOf(p.id)).toEqual([]);
    const fixed = await postScans(t, g.guard.cookie, g.east.id, [{ ...s, temperature: '36.4' }]);
    expect(fixed.json().results[0]).toMatchObject({ status: 'recorded', outcome: 'pass' });
  });

  // session 6 (a second adversarial run): what the server records when an offline gate decided
  const alertsOf = (personId: string) => t.ctx.db.selectFrom('fever_alerts').select('temperature').where('person_id', '=', personId).execute();
  const sync = async (checkpointId = g.east.id) =>
    t.app.inject({ url: `/api/gate/sync?checkpointId=${checkpointId}`, headers: { cookie: g.guard.cookie } });

  it('a pass claimed offline for a person barred at the gate\'s last sync is recorded as the refusal (no overruling an online refusal)', async () => {
    const p = await buildPerson(t.ctx, { name: '隔离甲' });
    await setStatus(t.ctx.db, p.id, 'home_isolation', '居家隔离14天', SYSTEM);
    expect((await sync()).statusCode).toBe(200);
    const online = await postScans(t, g.guard.cookie, g.east.id, [scan(await passCode(t, p.id))]);
    expect(online.json().results[0]).toMatchObject({ outcome: 'refused', reasonCode: 'status_barred' });
    const claimed = await postScans(t, g.guard.cookie, g.east.id, [scan(await passCode(t, p.id), { offline: true, localDecision: PASS })]);
    expect(claimed.json().results[0]).toMatchObject({ status: 'recorded', outcome: 'refused', reasonCode: 'status_barred' });
    expect(claimed.json().results[0].reason).toContain('居家隔离');
    // decided the same way within the re-scan window: the same refused check-in, no pass anywhere
    expect(claimed.json().results[0].checkinId).toBe(online.json().results[0].checkinId);
    expect((await checkinsOf(p.id)).map((c) => c.outcome)).toEqual(['refused']);
    expect(await t.ctx.db.selectFrom('stays').select('id').where('person_id', '=', p.id).execute()).toEqual([]);
    // the gate's own claim stays on the scan record
    const rec = await t.ctx.db.selectFrom('gate_scans').select(['local_outcome', 'outcome']).where('person_id', '=', p.id).where('offline', '=', true).executeTakeFirstOrThrow();
    expect(rec).toEqual({ local_outcome: 'pass', outcome: 'refused' });
  });

  it('a status set after the gate\'s last sync is not held against an offline pass (the gate could not know)', async () => {
    const p = await buildPerson(t.ctx, { name: '后改乙' });
    expect((await sync()).statusCode).toBe(200);
    const scannedAt = new Date(Date.now() - 1000);
    await setStatus(t.ctx.db, p.id, 'home_isolation', '同步之后才通知', SYSTEM);
    const res = await postScans(t, g.guard.cookie, g.east.id, [scan(await passCode(t, p.id, '后改乙', new Date(scannedAt.getTime() - 1000)), {
      offline: true, localDecision: PASS, scannedAt })]);
    expect(res.json().results[0]).toMatchObject({ status: 'recorded', outcome: 'pass' });
  });

  it('the reading is a fact: an offline pass at 39.5 is a fever refusal with its alert; a gate\'s fever at 36.5 raises nothing', async () => {
    const hot = await buildPerson(t.ctx, { name: '发热丙' });
    const res = await postScans(t, g.guard.cookie, g.east.id, [scan(await passCode(t, hot.id), { temperature: '39.5', offline: true, localDecision: PASS })]);
    expect(res.json().results[0]).toMatchObject({ status: 'recorded', outcome: 'refused', reasonCode: 'fever' });
    expect((await alertsOf(hot.id)).map((a) => a.temperature)).toEqual([39.5]);
    expect((await getStatuses(t.ctx.db, [hot.id])).get(hot.id)!.status).toBe('fever_pending');

    const cool = await buildPerson(t.ctx, { name: '体温丁' });
    const r2 = await postScans(t, g.guard.cookie, g.east.id, [scan(await passCode(t, cool.id), { temperature: '36.5', offline: true,
      localDecision: { outcome: 'refused', reasonCode: 'fever' } })]);
    expect(r2.json().results[0]).toMatchObject({ status: 'recorded', outcome: 'refused', reasonCode: 'gate_refused' });
    expect(r2.json().results[0].reason).toContain('36.5');
    expect(await alertsOf(cool.id)).toEqual([]);
    expect((await getStatuses(t.ctx.db, [cool.id])).get(cool.id)!.status).toBe('normal');
  });

  it('a gate\'s "revoked" for a code the server finds valid is recorded as the gate\'s refusal, not as a revocation', async () => {
    const p = await buildPerson(t.ctx, { name: '误判戊' });
    const res = await postScans(t, g.guard.cookie, g.east.id, [scan(await passCode(t, p.id), { offline: true,
      localDecision: { outcome: 'refused', reasonCode: 'token_revoked' } })]);
    expect(res.json().results[0]).toMatchObject({ outcome: 'refused', reasonCode: 'gate_refused' });
    expect(res.json().results[0].reason).toContain('服务器核验有效');
  });

  it('a closed checkpoint: no sync; a scan queued before closing lands, one made after is rejected, and its re-send too', async () => {
    const p = await buildPerson(t.ctx, { name: '关门己' });
    const before = scan(await passCode(t, p.id), { offline: true, localDecision: PASS, scannedAt: new Date(Date.now() - 2000) });
    const closing = await t.app.inject({ method: 'POST', url: `/api/checkpoints/${g.west.id}/disable`, headers: { cookie: g.worker.cookie } });
    expect(closing.statusCode, closing.body).toBe(200);
    const s = await sync(g.west.id);
    expect(s.statusCode).toBe(409);
    expect(s.json().error.code).toBe('checkpoint_disabled');
    const after = scan(await passCode(t, p.id), { direction: 'out', offline: true, localDecision: PASS });
    const res = await postScans(t, g.guard.cookie, g.west.id, [before, after]);
    expect(res.json().results.map((r: { status: string; reasonCode: string | null }) => [r.status, r.reasonCode]))
      .toEqual([['recorded', null], ['rejected', 'checkpoint_disabled']]);
    const again = await postScans(t, g.guard.cookie, g.west.id, [after]);
    expect(again.json().results[0]).toMatchObject({ status: 'duplicate', reasonCode: 'checkpoint_disabled' });
    expect((await checkinsOf(p.id)).map((c) => c.direction)).toEqual(['in']);
    // reopened: a scan made while it was closed still does not count; one after reopening does
    const during = scan(await passCode(t, p.id), { direction: 'out', offline: true, localDecision: PASS, scannedAt: new Date() });
    await new Promise((r) => setTimeout(r, 50));
    expect((await t.app.inject({ method: 'POST', url: `/api/checkpoints/${g.west.id}/enable`, headers: { cookie: g.worker.cookie } })).statusCode).toBe(200);
    const reopened = scan(await passCode(t, p.id), { direction: 'out', offline: true, localDecision: PASS });
    const r2 = await postScans(t, g.guard.cookie, g.west.id, [during, reopened]);
    expect(r2.json().results.map((r: { status: string; reasonCode: string | null }) => [r.status, r.reasonCode]))
      .toEqual([['rejected', 'checkpoint_disabled'], ['recorded', null]]);
  });

  it('a guard who never synced the checkpoint is held to the status at the scan: "offline" does not overrule', async () => {
    const p = await buildPerson(t.ctx, { name: '未同步' });
    await setStatus(t.ctx.db, p.id, 'centralized_isolation', '集中隔离', SYSTEM);
    const fresh = await buildStaff(t.ctx, { role: 'guard', areaCode: '410811001001' });
    const cookie = await signInAs(t, fresh);
    const online = await postScans(t, cookie, g.east.id, [scan(await passCode(t, p.id))]);
    expect(online.json().results[0]).toMatchObject({ outcome: 'refused', reasonCode: 'status_barred' });
    const claimed = await postScans(t, cookie, g.east.id, [scan(await passCode(t, p.id), { direction: 'out', offline: true, localDecision: PASS })]);
    expect(claimed.json().results[0]).toMatchObject({ status: 'recorded', outcome: 'refused', reasonCode: 'status_barred' });
    expect(claimed.json().results[0].reason).toContain('扫码时的状态');
    expect((await checkinsOf(p.id)).every((c) => c.outcome === 'refused')).toBe(true);
  });

  it('a gate\'s fever on an exit (no reading) is not called a low reading; a key re-sent with another reading is reused', async () => {
    const p = await buildPerson(t.ctx, { name: '出门寅' });
    const out = await postScans(t, g.guard.cookie, g.east.id, [scan(await passCode(t, p.id), { direction: 'out', temperature: null, offline: true,
      localDecision: { outcome: 'refused', reasonCode: 'fever' } })]);
    expect(out.json().results[0]).toMatchObject({ outcome: 'refused', reasonCode: 'gate_refused' });
    expect(out.json().results[0].reason).toBe('卡点离线时判为发热，但未记录体温');
    const s = scan(await passCode(t, p.id), { temperature: '36.5' });
    expect((await postScans(t, g.guard.cookie, g.east.id, [s])).json().results[0]).toMatchObject({ status: 'recorded', outcome: 'pass' });
    const hot = await postScans(t, g.guard.cookie, g.east.id, [{ ...s, temperature: '39.5' }]);
    expect(hot.json().results[0]).toMatchObject({ status: 'rejected', reasonCode: 'idempotency_key_reused' });
    expect((await postScans(t, g.guard.cookie, g.east.id, [{ ...s, temperature: '36,5' }])).json().results[0].status).toBe('duplicate');
  });

  it('a scan dated after its batch was sent is recorded at the sending time, flagged', async () => {
    const p = await buildPerson(t.ctx, { name: '跳时庚' });
    const sentAt = new Date();
    const s = scan(await passCode(t, p.id), { offline: true, localDecision: PASS, scannedAt: new Date(sentAt.getTime() + 365 * 86_400_000) });
    const res = await postScans(t, g.guard.cookie, g.east.id, [s], sentAt);
    expect(res.json().results[0]).toMatchObject({ status: 'recorded', outcome: 'pass' });
    const rec = await t.ctx.db.selectFrom('gate_scans').select(['at', 'skew_corrected']).where('idempotency_key', '=', s.idempotencyKey).executeTakeFirstOrThrow();
    expect(rec.skew_corrected).toBe(true);
    expect(rec.at.getTime()).toBeLessThanOrEqual(Date.now());
  });

  it('an idempotency key in upper case lands once and is answered again, in either case, without a 500', async () => {
    const p = await buildPerson(t.ctx, { name: '大写辛' });
    const s = scan(await passCode(t, p.id));
    const upper = { ...s, idempotencyKey: s.idempotencyKey.toUpperCase() };
    const first = await postScans(t, g.guard.cookie, g.east.id, [upper, s]);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json().results.map((r: { idempotencyKey: string; status: string }) => [r.idempotencyKey, r.status]))
      .toEqual([[upper.idempotencyKey, 'recorded'], [s.idempotencyKey, 'duplicate']]);
    for (const k of [upper, s]) {
      const again = await postScans(t, g.guard.cookie, g.east.id, [k]);
      expect(again.statusCode, again.body).toBe(200);
      expect(again.json().results[0].status).toBe('duplicate');
    }
    expect(await checkinsOf(p.id)).toHaveLength(1);
  });

  it('a key used again for another scan is refused as reused, and the first record stands', async () => {
    const a = await buildPerson(t.ctx, { name: '李光' });
    const b = await buildPerson(t.ctx, { name: '张丰' });
    const key = randomUUID();
    const first = await postScans(t, g.guard.cookie, g.east.id, [scan(await passCode(t, a.id), { idempotencyKey: key, direction: 'out' })]);
    expect(first.json().results[0]).toMatchObject({ status: 'recorded' });
    const other = await postScans(t, g.guard.cookie, g.east.id, [scan(await passCode(t, b.id), { idempotencyKey: key, temperature: '39.0' })]);
    expect(other.json().results[0]).toMatchObject({ status: 'rejected', reasonCode: 'idempotency_key_reused', maskedName: null });
    expect(await checkinsOf(b.id)).toEqual([]);
    expect(await checkinsOf(a.id)).toHaveLength(1);
  });

  it('two posts of one key at once, the first unreadable (not kept): the valid one is processed, not given the first\'s refusal', async () => {
    const p = await buildPerson(t.ctx, { name: '并发壬' });
    const good = scan(await passCode(t, p.id));
    const bad = { ...good, temperature: 'abc' };
    const [r1, r2] = await Promise.all([postScans(t, g.guard.cookie, g.east.id, [bad]), postScans(t, g.guard.cookie, g.east.id, [good])]);
    // whichever runs first: the unreadable one is refused, or answered as the valid one's duplicate
    expect(['rejected', 'duplicate']).toContain(r1.json().results[0].status);
    expect(r2.json().results[0]).toMatchObject({ status: 'recorded', outcome: 'pass' });
    expect(await checkinsOf(p.id)).toHaveLength(1);
  });

  it('an expired code of a visitor from elsewhere is a refusal, but it does not put the visitor in the gate community\'s view', async () => {
    const p = await buildPerson(t.ctx, { name: '远客癸', homeCommunityCode: '410811002002' });
    const old = new Date(Date.now() - 10 * 60_000);
    const res = await postScans(t, g.guard.cookie, g.east.id, [scan(await passCode(t, p.id, '远客癸', old), { offline: true, localDecision: PASS,
      scannedAt: new Date() })]);
    expect(res.json().results[0]).toMatchObject({ status: 'recorded', outcome: 'refused', reasonCode: 'token_expired' });
    expect(await personInScope(t.ctx.db, '410811001001', p.id)).toBe(false);
    const record = await t.app.inject({ url: `/api/persons/${p.id}`, headers: { cookie: g.worker.cookie } });
    expect(record.statusCode).toBe(404);
    const card = await t.app.inject({ method: 'POST', url: `/api/persons/${p.id}/cards`, headers: { cookie: g.guard.cookie }, payload: {} });
    expect(card.statusCode).toBe(404);
  });

  it('the closing of a whole place counts for its gates, and is remembered once it reopens (last: it closes east)', async () => {
    const p = await buildPerson(t.ctx, { name: '闭园卯' });
    const place = (url: string) => t.app.inject({ method: 'POST', url, headers: { cookie: g.worker.cookie } });
    expect((await place(`/api/places/${g.placeId}/disable`)).statusCode).toBe(200);
    const during = scan(await passCode(t, p.id), { direction: 'out', offline: true, localDecision: PASS, scannedAt: new Date() });
    await new Promise((r) => setTimeout(r, 50));
    expect((await place(`/api/places/${g.placeId}/enable`)).statusCode).toBe(200);
    const res = await postScans(t, g.guard.cookie, g.east.id, [during]);
    expect(res.json().results[0]).toMatchObject({ status: 'rejected', reasonCode: 'checkpoint_disabled' });
    const rows = await t.ctx.db.selectFrom('closures').select(['checkpoint_id', 'reopened_at']).where('place_id', '=', g.placeId)
      .where('checkpoint_id', 'is', null).execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.reopened_at).toBeInstanceOf(Date);
  });
});

describe('a guard\'s re-measure within the re-scan window', () => {
  let t: TestApp;
  let g: Gate;
  beforeAll(async () => { t = await createTestApp(); g = await buildGate(t); });
  afterAll(async () => { await t?.close(); });

  it('is its own record with its own reading; the same reading again is the earlier record', async () => {
    const p = await buildPerson(t.ctx, { name: '复测子' });
    const first = await postScans(t, g.guard.cookie, g.east.id, [scan(await passCode(t, p.id), { temperature: '36.8' })]);
    const second = await postScans(t, g.guard.cookie, g.east.id, [scan(await passCode(t, p.id), { temperature: '36.5' })]);
    const same = await postScans(t, g.guard.cookie, g.east.id, [scan(await passCode(t, p.id), { temperature: '36.5' })]);
    expect(second.json().results[0].checkinId).not.toBe(first.json().results[0].checkinId);
    expect(same.json().results[0].checkinId).toBe(second.json().results[0].checkinId);
    await drainCheckins(t.ctx);
    const rows = await t.ctx.db.selectFrom('checkins').select('temperature').where('person_id', '=', p.id).orderBy('at').execute();
    expect(rows.map((r) => r.temperature)).toEqual([36.8, 36.5]);
  });
});
