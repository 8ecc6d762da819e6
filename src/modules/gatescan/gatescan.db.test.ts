import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app';
import { buildGate, cardCode, passCode, postScans, scan, type Gate } from '../../../test/helpers/factories/gate';
import { buildPerson } from '../../../test/helpers/factories/persons';
import { buildStaff, signInAs } from '../../../test/helpers/factories/staff';
import { BARRING_STATUSES, setStatus } from '../status/service';
import { revokeToken, signToken } from '../tokens/service';
import { drainCheckins } from '../checkin/service';

const SYSTEM = { kind: 'system' as const, id: null, role: 'system' };

describe('gate scans: sync, online decisions, offline queue with a wrong clock', () => {
  let t: TestApp;
  let g: Gate;
  beforeAll(async () => {
    t = await createTestApp();
    g = await buildGate(t);
  });
  afterAll(async () => { await t?.close(); });

  const person = async (name = '王五') => buildPerson(t.ctx, { name });
  const checkinsOf = async (personId: string) =>
    t.ctx.db.selectFrom('checkins').selectAll().where('person_id', '=', personId).orderBy('at').execute();

  it('syncs keys, revocations, the status register, labels, the checkpoint and thresholds, audited', async () => {
    const isolated = await person('赵隔离');
    await setStatus(t.ctx.db, isolated.id, 'home_isolation', '自武汉返焦，居家隔离14天', SYSTEM);
    const normal = await person('钱正常');
    const card = await cardCode(t, normal.id);
    await revokeToken(t.ctx, { jti: card.jti, type: 'card', expiresAt: card.expiresAt, reason: '卡片遗失', staffId: null });
    const kid = JSON.parse(Buffer.from(card.token.split('.')[0]!, 'base64url').toString()).kid;

    const res = await t.app.inject({ url: `/api/gate/sync?checkpointId=${g.east.id}`, headers: { cookie: g.guard.cookie } });
    expect(res.statusCode, res.body).toBe(200);
    const b = res.json();
    expect(Math.abs(Date.parse(b.serverTime) - Date.now())).toBeLessThan(5000);
    expect(b.issuer).toBe(t.ctx.config.TOKEN_ISSUER);
    expect(b.jwks.keys.map((k: { kid: string }) => k.kid)).toContain(kid);
    expect(b.jwks.keys.every((k: Record<string, unknown>) => k.d === undefined)).toBe(true);
    expect(b.revocations).toContainEqual(expect.objectContaining({ jti: card.jti, type: 'card' }));
    expect(b.statuses).toContainEqual({ personId: isolated.id, status: 'home_isolation' });
    expect(b.statuses.map((s: { personId: string }) => s.personId)).not.toContain(normal.id);
    expect(JSON.stringify(b.statuses)).not.toContain('赵');
    expect(b.barring).toEqual([...BARRING_STATUSES]);
    expect(b.statusLabels.home_isolation).toEqual({ zh: '居家隔离', en: 'Home isolation' });
    expect(b.checkpoint).toEqual({ id: g.east.id, name: '东门', placeId: g.placeId, placeName: expect.stringContaining('建业小区'), mode: 'poster' });
    expect(b.config).toEqual({ feverThresholdC: 37.3, tempMinC: 34, tempMaxC: 42.5, twoWayTempGapC: 0.3, clockSkewMaxS: 120, passCodeTtlS: 60 });
    const audit = await t.ctx.db.selectFrom('audit_log').selectAll().where('actor_id', '=', g.guard.id).where('action', '=', 'gate.sync').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.area_code).toBe('410811001001');
  });

  it('refuses a guard of another street (404) and a role without the gate permission (403), writing nothing', async () => {
    const other = await t.app.inject({ url: `/api/gate/sync?checkpointId=${g.east.id}`, headers: { cookie: g.otherGuard.cookie } });
    expect(other.statusCode).toBe(404);
    const p = await person();
    const before = (await t.ctx.db.selectFrom('gate_scans').select('idempotency_key').execute()).length;
    const res = await postScans(t, g.otherGuard.cookie, g.east.id, [scan(await passCode(t, p.id))]);
    expect(res.statusCode).toBe(404);
    const counsellor = await buildStaff(t.ctx, { role: 'counsellor', areaCode: '410811001001' });
    const c = await signInAs(t, counsellor);
    expect((await t.app.inject({ url: `/api/gate/sync?checkpointId=${g.east.id}`, headers: { cookie: c } })).statusCode).toBe(403);
    expect((await postScans(t, c, g.east.id, [scan(await passCode(t, p.id))])).statusCode).toBe(403);
    await drainCheckins(t.ctx);
    expect(await checkinsOf(p.id)).toEqual([]);
    expect((await t.ctx.db.selectFrom('gate_scans').select('idempotency_key').execute()).length).toBe(before);
  });

  it('online: passes a verified pass code at 36.5 as a guard check-in, with its scan record and an audit row', async () => {
    const p = await person('孙通行');
    const s = scan(await passCode(t, p.id, '孙通行'));
    const res = await postScans(t, g.guard.cookie, g.east.id, [s]);
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json().results[0];
    expect(r).toMatchObject({ idempotencyKey: s.idempotencyKey, status: 'recorded', outcome: 'pass', reasonCode: null, maskedName: '孙*行', twoWay: null });
    expect(res.json()).toMatchObject({ skewCorrected: false });
    const rows = await checkinsOf(p.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: r.checkinId, source: 'guard', actor_id: g.guard.id, outcome: 'pass', temperature: 36.5, checkpoint_id: g.east.id });
    const rec = await t.ctx.db.selectFrom('gate_scans').selectAll().where('idempotency_key', '=', s.idempotencyKey).executeTakeFirstOrThrow();
    expect(rec).toMatchObject({ status: 'recorded', person_id: p.id, token_type: 'pass', checkin_id: r.checkinId, offline: false, skew_corrected: false });
    const audit = await t.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'gate.scan').where('person_id', '=', p.id).execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_id: g.guard.id, area_code: '410811001001' });
  });

  it('online: refuses a fever (alert raised, fever pending) and a person whose status bars movement, with reasons', async () => {
    const hot = await person('周发热');
    const res = await postScans(t, g.guard.cookie, g.east.id, [scan(await passCode(t, hot.id), { temperature: '37,8' })]);
    expect(res.json().results[0]).toMatchObject({ status: 'recorded', outcome: 'refused', reasonCode: 'fever' });
    expect(res.json().results[0].reason).toContain('37.8');
    await drainCheckins(t.ctx);
    expect(await t.ctx.db.selectFrom('fever_alerts').select('id').where('person_id', '=', hot.id).execute()).toHaveLength(1);
    expect((await t.ctx.db.selectFrom('person_status').select('status').where('person_id', '=', hot.id).executeTakeFirstOrThrow()).status)
      .toBe('fever_pending');

    const iso = await person('吴隔离');
    await setStatus(t.ctx.db, iso.id, 'centralized_isolation', '密接，集中隔离', SYSTEM);
    for (const lang of [undefined, 'en'] as const) {
      const r = (await postScans(t, g.guard.cookie, g.west.id, [scan((await cardCode(t, iso.id)).token)], new Date(), lang)).json().results[0];
      expect(r).toMatchObject({ status: 'recorded', outcome: 'refused', reasonCode: 'status_barred' });
      expect(r.reason).toContain(lang === 'en' ? 'Centralized isolation' : '集中隔离');
    }
    expect((await checkinsOf(iso.id)).every((c) => c.outcome === 'refused')).toBe(true);
    // a pass needs the guard's reading
    const cold = await person();
    const noTemp = (await postScans(t, g.guard.cookie, g.east.id, [scan(await passCode(t, cold.id), { temperature: null })])).json().results[0];
    expect(noTemp).toMatchObject({ status: 'rejected', reasonCode: 'temperature_required', checkinId: null });
    expect(await checkinsOf(cold.id)).toEqual([]);
  });

  it('offline: a device an hour behind has its queue corrected from server time and flagged; local decisions are kept', async () => {
    const now = Date.now();
    const behind = 3600_000;
    const a = await person('郑离线');
    const b = await person('冯离线');
    // both codes were shown 5 minutes ago (real time) and were fresh then; the device thought it was an hour earlier
    const codeA = await passCode(t, a.id, '郑离线', new Date(now - 300_000));
    const codeB = await passCode(t, b.id, '冯离线', new Date(now - 290_000));
    const scans = [
      scan(codeA, { offline: true, scannedAt: new Date(now - behind - 300_000), localDecision: { outcome: 'pass', reasonCode: null } }),
      scan(codeB, { offline: true, scannedAt: new Date(now - behind - 290_000), temperature: '36.6', localDecision: { outcome: 'refused', reasonCode: 'status_barred' } }),
    ];
    const res = await postScans(t, g.guard.cookie, g.east.id, scans, new Date(now - behind));
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.skewCorrected).toBe(true);
    expect(Math.abs(body.skewS - 3600)).toBeLessThanOrEqual(2);
    const [ra, rb] = body.results;
    expect(ra).toMatchObject({ status: 'recorded', outcome: 'pass' });
    expect(Math.abs(Date.parse(ra.at) - (now - 300_000))).toBeLessThan(3000);
    expect(rb).toMatchObject({ status: 'recorded', outcome: 'refused', reasonCode: 'status_barred' });
    const rec = await t.ctx.db.selectFrom('gate_scans').selectAll().where('idempotency_key', '=', scans[0]!.idempotencyKey).executeTakeFirstOrThrow();
    expect(rec).toMatchObject({ skew_corrected: true, offline: true, local_outcome: 'pass' });
    expect(rec.scanned_at.getTime()).toBe(now - behind - 300_000);
    const rowA = (await checkinsOf(a.id))[0]!;
    expect(Math.abs(rowA.at.getTime() - (now - 300_000))).toBeLessThan(3000);

    // within the tolerance the device time is kept as it is
    const c = await person();
    const sent = new Date(now - 60_000);
    const kept = await postScans(t, g.guard.cookie, g.east.id,
      [scan(await passCode(t, c.id), { offline: true, scannedAt: new Date(now - 90_000), localDecision: { outcome: 'pass', reasonCode: null } })], sent);
    expect(kept.json()).toMatchObject({ skewCorrected: false });
    expect(Date.parse(kept.json().results[0].at)).toBe(now - 90_000);
  });

  it('the guard scanning a person twice in the re-scan window makes one check-in; the resident\'s own scan does not swallow it', async () => {
    const d = await buildPerson(t.ctx, { name: '陈重扫' });
    const first = (await postScans(t, g.guard.cookie, g.east.id, [scan(await passCode(t, d.id))])).json().results[0];
    const second = (await postScans(t, g.guard.cookie, g.west.id, [scan(await passCode(t, d.id))])).json().results[0];
    expect(second).toMatchObject({ status: 'recorded', outcome: 'pass', checkinId: first.checkinId });
    expect((await checkinsOf(d.id)).filter((c) => c.source === 'guard')).toHaveLength(1);
    expect(await t.ctx.db.selectFrom('gate_scans').select('idempotency_key').where('person_id', '=', d.id).execute()).toHaveLength(2);
  });
});

describe('gate scans: forged codes and exactly-once', () => {
  let t: TestApp;
  let g: Gate;
  beforeAll(async () => {
    t = await createTestApp();
    g = await buildGate(t);
  });
  afterAll(async () => { await t?.close(); });

  it('refuses every forged or stale code with its own reason and records nothing as a pass, online or offline', async () => {
    const { generateKeyPair, SignJWT } = await import('jose');
    const victim = await buildPerson(t.ctx, { name: '受害人' });
    const holder = await buildPerson(t.ctx, { name: '持码人' });
    const foreign = await generateKeyPair('ES256');
    const unknownKid = await new SignJWT({ nm: '受*人' }).setProtectedHeader({ alg: 'ES256', kid: 'pa-not-ours', typ: 'yq-pass' })
      .setIssuer(t.ctx.config.TOKEN_ISSUER).setSubject(victim.id).setIssuedAt().setExpirationTime('1m').sign(foreign.privateKey);
    const good = await passCode(t, holder.id);
    const [h, p, sig] = good.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
    const tampered = `${h}.${Buffer.from(JSON.stringify({ ...claims, sub: victim.id })).toString('base64url')}.${sig}`;
    const wrongTyp = (await signToken(t.ctx, 'checkpoint', victim.id, 90)).token;
    const expired = await passCode(t, holder.id, '持码人', new Date(Date.now() - 200_000));
    const card = await cardCode(t, holder.id);
    await revokeToken(t.ctx, { jti: card.jti, type: 'card', expiresAt: card.expiresAt, reason: '卡片遗失', staffId: null });
    const cases: [string, string, 'rejected' | 'recorded'][] = [
      [unknownKid, 'token_unknown_key', 'rejected'], [tampered, 'token_bad_signature', 'rejected'], [wrongTyp, 'token_wrong_type', 'rejected'],
      ['not a code', 'token_malformed', 'rejected'], [expired, 'token_expired', 'recorded'], [card.token, 'token_revoked', 'recorded'],
    ];
    for (const offline of [false, true]) {
      const scans = cases.map(([token]) => scan(token, offline ? { offline, localDecision: { outcome: 'pass', reasonCode: null } } : {}));
      const res = await postScans(t, g.guard.cookie, g.east.id, scans);
      expect(res.statusCode, res.body).toBe(200);
      res.json().results.forEach((r: Record<string, unknown>, i: number) => {
        const [, code, status] = cases[i]!;
        expect(r, code).toMatchObject({ status, outcome: 'refused', reasonCode: code });
        expect(String(r.reason)).toMatch(/[\u4e00-\u9fff]/);
        if (status === 'rejected') expect(r).toMatchObject({ maskedName: null, checkinId: null });
        else expect(r).toMatchObject({ maskedName: '持*人' });
      });
    }
    await drainCheckins(t.ctx);
    expect(await t.ctx.db.selectFrom('checkins').select('id').where('person_id', '=', victim.id).execute()).toEqual([]);
    const holderRows = await t.ctx.db.selectFrom('checkins').select(['outcome', 'refusal']).where('person_id', '=', holder.id).execute();
    expect(holderRows).toHaveLength(4); // expired and revoked, online and offline: each a refusal of its own
    expect(holderRows.every((r) => r.outcome === 'refused' && ['token_expired', 'token_revoked'].includes(r.refusal!))).toBe(true);
    const kept = await t.ctx.db.selectFrom('gate_scans').select(['status', 'outcome']).execute();
    expect(kept).toHaveLength(12);
    expect(kept.filter((k) => k.outcome === 'pass')).toEqual([]);
    // a stale code refused before does not make the fresh one a "duplicate" refusal
    const fresh = (await postScans(t, g.guard.cookie, g.east.id, [scan(await passCode(t, holder.id))])).json().results[0];
    expect(fresh).toMatchObject({ status: 'recorded', outcome: 'pass' });
  });

  it('the same queue posted twice at once lands once; a third post changes nothing', async () => {
    const persons = await Promise.all(Array.from({ length: 12 }, (_, i) => buildPerson(t.ctx, { name: `排队${i}` })));
    const scans = await Promise.all(persons.map(async (p, i) => {
      const at = new Date(Date.now() - (20 - i) * 1000); // shown and scanned while offline, in this order
      return scan(await passCode(t, p.id, p.name, at), { offline: true, scannedAt: at, localDecision: { outcome: 'pass', reasonCode: null } });
    }));
    scans.push(scan('forged.code.x', { offline: true, localDecision: { outcome: 'pass', reasonCode: null } }));
    const count = async () => ({
      checkins: Number((await t.ctx.db.selectFrom('checkins').select((e) => e.fn.countAll().as('n')).executeTakeFirstOrThrow()).n),
      scans: Number((await t.ctx.db.selectFrom('gate_scans').select((e) => e.fn.countAll().as('n')).executeTakeFirstOrThrow()).n),
      stays: Number((await t.ctx.db.selectFrom('stays').select((e) => e.fn.countAll().as('n')).executeTakeFirstOrThrow()).n),
    });
    const before = await count();
    const [one, two] = await Promise.all([postScans(t, g.guard.cookie, g.east.id, scans), postScans(t, g.guard.cookie, g.east.id, scans)]);
    expect(one.statusCode, one.body).toBe(200);
    expect(two.statusCode, two.body).toBe(200);
    await drainCheckins(t.ctx);
    const after = await count();
    expect(after).toEqual({ checkins: before.checkins + 12, scans: before.scans + 13, stays: before.stays + 12 });
    scans.forEach((s, i) => {
      const a = one.json().results[i];
      const b = two.json().results[i];
      expect(a.idempotencyKey).toBe(s.idempotencyKey);
      expect(a.checkinId).toBe(b.checkinId);
      expect([a.status, b.status].sort()).toEqual(i < 12 ? ['duplicate', 'recorded'] : ['duplicate', 'rejected']);
      expect([a.outcome, b.outcome]).toEqual(i < 12 ? ['pass', 'pass'] : ['refused', 'refused']);
    });
    const third = await postScans(t, g.guard.cookie, g.east.id, scans);
    expect(third.json().results.map((r: { status: string }) => r.status)).toEqual(scans.map(() => 'duplicate'));
    expect(third.json().results.map((r: { outcome: string }) => r.outcome)).toEqual(one.json().results.map((r: { outcome: string }) => r.outcome));
    await drainCheckins(t.ctx);
    expect(await count()).toEqual(after);
    // a key is answered only at its own checkpoint
    const elsewhere = await postScans(t, g.guard.cookie, g.west.id, [scans[0]]);
    expect(elsewhere.json().results[0]).toMatchObject({ status: 'rejected', reasonCode: 'idempotency_key_reused', maskedName: null });
  });
});
