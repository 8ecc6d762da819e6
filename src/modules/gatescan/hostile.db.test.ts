// Cases found by an adversarial run against the gate scans (session 2): each was a 500, a lost
// fever reading or a stale code recorded as a pass before its fix.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app';
import { buildGate, passCode, postScans, scan, type Gate } from '../../../test/helpers/factories/gate';
import { buildPerson } from '../../../test/helpers/factories/persons';
import { drainCheckins } from '../checkin/service';

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

  it('does not take an offline pass on entry without the guard\'s reading; the corrected scan lands later', async () => {
    const p = await buildPerson(t.ctx, { name: '无温丁' });
    const s = scan(await passCode(t, p.id), { temperature: null, offline: true, localDecision: { outcome: 'pass', reasonCode: null } });
    const res = await postScans(t, g.guard.cookie, g.east.id, [s]);
    expect(res.json().results[0]).toMatchObject({ status: 'rejected', reasonCode: 'temperature_required' });
    expect(await checkinsOf(p.id)).toEqual([]);
    const fixed = await postScans(t, g.guard.cookie, g.east.id, [{ ...s, temperature: '36.4' }]);
    expect(fixed.json().results[0]).toMatchObject({ status: 'recorded', outcome: 'pass' });
  });
});
