/**
 * The gate page's local decision (web/gate/judge.ts) against tokens signed here with a fresh ES256
 * key: every token refusal with its own code, the status rule (the more recent of the token's
 * `st` and the sync), and the fever rule after the guard's reading.
 */
import { describe, expect, it, beforeAll } from 'vitest';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { judge, readCode, recordable, tokenOf, currentStatus, statusColour } from './judge';
import { Outbox } from './outbox';
import { memoryQueue } from './store';
import type { QueuedScan, SyncData } from './types';

const NOW = 1_760_000_000;
let key: CryptoKey;
let jwk: JWK;
let other: CryptoKey;

beforeAll(async () => {
  const kp = await generateKeyPair('ES256', { extractable: true });
  key = kp.privateKey;
  jwk = { ...(await exportJWK(kp.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
  other = (await generateKeyPair('ES256')).privateKey;
});

function sync(over: Partial<SyncData> = {}): SyncData {
  return {
    serverTime: new Date((NOW - 100) * 1000).toISOString(), issuer: 'yiqu', jwks: { keys: [jwk] },
    revocations: [{ jti: 'revoked-card', type: 'card', revokedAt: new Date().toISOString() }],
    statuses: [{ personId: 'p-iso', status: 'home_isolation' }],
    barring: ['fever_pending', 'medical_observation', 'home_isolation', 'centralized_isolation', 'case'],
    statusLabels: { normal: { zh: '正常', en: 'Normal' }, home_isolation: { zh: '居家隔离', en: 'Home isolation' }, fever_pending: { zh: '发热待复测', en: 'Fever' } },
    checkpoint: { id: 'cp', name: '东门', placeId: 'pl', placeName: '东方红家园', mode: 'poster' },
    config: { feverThresholdC: 37.3, tempMinC: 34, tempMaxC: 42.5, twoWayTempGapC: 0.3, clockSkewMaxS: 120, passCodeTtlS: 60 },
    ...over,
  };
}

async function sign(claims: Record<string, unknown>, o: { typ?: string; iat?: number; exp?: number; kid?: string; with?: CryptoKey; iss?: string } = {}) {
  const iat = o.iat ?? NOW - 5;
  return new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid: o.kid ?? 'k1', typ: o.typ ?? 'yq-pass' })
    .setIssuer(o.iss ?? 'yiqu').setIssuedAt(iat).setExpirationTime(o.exp ?? iat + 60).sign(o.with ?? key);
}

describe('readCode + judge', () => {
  it('a fresh pass code of a normal person passes once the guard types a normal reading', async () => {
    const r = await readCode(await sign({ sub: 'p1', nm: '张*三', st: 'normal' }), sync(), NOW);
    expect(r).toMatchObject({ kind: 'pass', personId: 'p1', maskedName: '张*三', status: 'normal', colour: 'green', refusal: null, authentic: true });
    expect(judge(r, 'in', '', sync())).toMatchObject({ outcome: 'pass', needsTemperature: true, temperature: null });
    expect(judge(r, 'in', '36,6', sync())).toMatchObject({ outcome: 'pass', needsTemperature: false, temperature: 36.6 });
    expect(judge(r, 'out', '', sync())).toMatchObject({ outcome: 'pass', needsTemperature: false });
  });

  it('a reading at the threshold refuses entry as fever; an implausible one is a typing error', async () => {
    const r = await readCode(await sign({ sub: 'p1', nm: '张*三', st: 'normal' }), sync(), NOW);
    const v = judge(r, 'in', '37.3', sync());
    expect(v).toMatchObject({ outcome: 'refused', reasonCode: 'fever', temperature: 37.3 });
    expect(v.reason!.zh).toContain('37.3℃');
    const typo = judge(r, 'in', '73.6', sync());
    expect(typo.temperatureError?.zh).toContain('不在合理范围');
    expect(typo).toMatchObject({ outcome: 'pass', needsTemperature: true, temperature: null });
  });

  it('a status that bars movement at the last sync refuses in both directions with its label', async () => {
    const r = await readCode(await sign({ sub: 'p-iso', nm: '李*', st: 'normal' }, { iat: NOW - 200, exp: NOW + 60 }), sync(), NOW);
    expect(r).toMatchObject({ status: 'home_isolation', colour: 'red' });
    for (const dir of ['in', 'out'] as const) {
      const v = judge(r, dir, '36.5', sync());
      expect(v).toMatchObject({ outcome: 'refused', reasonCode: 'status_barred' });
      expect(v.reason!.zh).toContain('居家隔离');
    }
  });

  it('the more recent status wins: a token issued after the sync carries the newer status', async () => {
    const s = sync();
    const after = { sub: 'p-iso', iat: NOW - 5, st: 'normal' };
    const before = { sub: 'p-iso', iat: NOW - 200, st: 'normal' };
    expect(currentStatus('p-iso', after, s)).toBe('normal');
    expect(currentStatus('p-iso', before, s)).toBe('home_isolation');
    expect(currentStatus('p2', { iat: NOW - 5, st: 'fever_pending' }, s)).toBe('fever_pending');
    expect(currentStatus('p2', { iat: NOW - 5 }, s)).toBe('normal'); // a card has no st
    expect(statusColour('fever_pending')).toBe('yellow');
    expect(statusColour('something_new')).toBe('red');
  });

  it('each refusal of the code has its own reason, and nothing refused is a pass', async () => {
    const s = sync();
    const cases: Array<[string, string]> = [
      [await sign({ sub: 'p1', nm: '张*三' }, { iat: NOW - 120, exp: NOW - 60 }), 'token_expired'],
      [await sign({ sub: 'p1', nm: '张*三', jti: 'revoked-card' }, { typ: 'yq-card', exp: NOW + 86_400 }), 'token_revoked'],
      [await sign({ sub: 'p1' }, { kid: 'nobody' }), 'token_unknown_key'],
      [await sign({ sub: 'p1' }, { with: other }), 'token_bad_signature'],
      [await sign({ sub: 'cp' }, { typ: 'yq-cp' }), 'token_wrong_type'],
      [await sign({ sub: 'p1' }, { iat: NOW + 600, exp: NOW + 660 }), 'token_not_yet_valid'],
      ['not a code', 'token_malformed'],
    ];
    const good = await sign({ sub: 'p1', nm: '张*三' });
    const [h, p, sig] = good.split('.');
    const payload = JSON.parse(Buffer.from(p!, 'base64url').toString());
    cases.push([`${h}.${Buffer.from(JSON.stringify({ ...payload, sub: 'p2' })).toString('base64url')}.${sig}`, 'token_bad_signature']);
    for (const [token, code] of cases) {
      const r = await readCode(token, s, NOW);
      expect(r.refusal, code).toBe(code);
      const v = judge(r, 'in', '36.5', s);
      expect(v.outcome).toBe('refused');
      expect(v.reasonCode).toBe(code);
      expect(v.reason!.zh.length).toBeGreaterThan(3);
    }
    // expired and revoked codes are genuine: the guard still sees whose code it was
    expect((await readCode(cases[0]![0], s, NOW)).maskedName).toBe('张*三');
    expect((await readCode(cases[3]![0], s, NOW)).maskedName).toBeNull();
  });

  it('corrected time decides expiry: the same code is valid a minute earlier', async () => {
    const token = await sign({ sub: 'p1', nm: '张*三' }, { iat: NOW - 120, exp: NOW - 60 });
    expect((await readCode(token, sync(), NOW - 90)).refusal).toBeNull();
  });

  it('takes the token out of a …/v#<token> link', () => {
    expect(tokenOf(' https://x.example/v#a.b.c ')).toBe('a.b.c');
    expect(tokenOf('a.b.c')).toBe('a.b.c');
  });
});

describe('health declaration certificates (issue 6): verified offline, never recorded', () => {
  const ISSUED = NOW - 86_400;
  const EXP = ISSUED + 5 * 86_400;
  const claims = { sub: 'p1', jti: 'cert-1', nm: '欧阳𠀾娜', idm: '410811********1234', dt: '居民身份证', org: '山阳区社区卫生服务中心' };
  const cert = (o: { jti?: string; with?: CryptoKey; kid?: string; iss?: string } = {}) =>
    sign({ ...claims, jti: o.jti ?? 'cert-1' }, { typ: 'yq-cert', iat: ISSUED, exp: EXP, iss: o.iss ?? 'yiqu/centers/org-1', with: o.with, kid: o.kid });
  const certSync = () => sync({ revocations: [...sync().revocations, { jti: 'cert-revoked', type: 'cert', revokedAt: new Date().toISOString() }] });

  it('a valid certificate shows the full name, masked document, center and 有效至 (China time of exp)', async () => {
    const r = await readCode(await cert(), certSync(), NOW);
    expect(r).toMatchObject({ kind: 'cert', refusal: null, authentic: true, maskedName: null, status: null });
    expect(r.certificate).toEqual({ id: 'cert-1', name: '欧阳𠀾娜', docMasked: '410811********1234', docType: '居民身份证',
      orgName: '山阳区社区卫生服务中心', notAfterChina: new Date((EXP + 8 * 3600) * 1000).toISOString().slice(0, 19).replace('T', ' '), valid: true });
    const v = judge(r, 'in', '', certSync());
    expect(v).toMatchObject({ outcome: 'pass', reasonCode: null, needsTemperature: false, record: false });
  });

  it('the QR link of a certificate (…/v#<token>) is stripped to the token', async () => {
    const r = await readCode(`https://yiqu.example/v#${await cert()}`, certSync(), NOW);
    expect(r.certificate?.valid).toBe(true);
  });

  it('no clock tolerance: exp − 1 s is valid, exp and exp + 1 s are expired (and still say whose it was)', async () => {
    const token = await cert();
    expect((await readCode(token, certSync(), EXP - 1)).certificate?.valid).toBe(true);
    for (const at of [EXP, EXP + 1]) {
      const r = await readCode(token, certSync(), at);
      expect(r).toMatchObject({ kind: 'cert', refusal: 'token_expired', authentic: true });
      expect(r.certificate).toMatchObject({ valid: false, name: '欧阳𠀾娜' });
      const v = judge(r, 'in', '', certSync());
      expect(v).toMatchObject({ outcome: 'refused', reasonCode: 'token_expired', record: false });
      expect(v.reason!.zh).toBe('证明已过期');
    }
  });

  it('a certificate id in the revocations (type cert) is token_revoked', async () => {
    const r = await readCode(await cert({ jti: 'cert-revoked' }), certSync(), NOW);
    expect(r).toMatchObject({ refusal: 'token_revoked', authentic: true });
    expect(r.certificate).toMatchObject({ valid: false, id: 'cert-revoked' });
    expect(judge(r, 'in', '', certSync())).toMatchObject({ outcome: 'refused', reasonCode: 'token_revoked', record: false });
  });

  it('a tampered payload is a bad signature and shows none of its claims; unknown key and foreign issuer refused', async () => {
    const [h, p, sig] = (await cert()).split('.');
    const payload = JSON.parse(Buffer.from(p!, 'base64url').toString());
    const tampered = `${h}.${Buffer.from(JSON.stringify({ ...payload, exp: EXP + 30 * 86_400 })).toString('base64url')}.${sig}`;
    const cases: Array<[string, string]> = [
      [tampered, 'token_bad_signature'],
      [await cert({ with: other }), 'token_bad_signature'],
      [await cert({ kid: 'nobody' }), 'token_unknown_key'],
      [await cert({ iss: 'elsewhere/centers/org-1' }), 'token_malformed'],
    ];
    for (const [token, code] of cases) {
      const r = await readCode(token, certSync(), NOW);
      expect(r, code).toMatchObject({ kind: 'cert', refusal: code, authentic: false });
      expect(r.certificate).toMatchObject({ valid: false, name: null, notAfterChina: null });
      expect(judge(r, 'in', '36.5', certSync())).toMatchObject({ outcome: 'refused', reasonCode: code, record: false });
    }
  });

  it('a certificate is never recorded nor queued, valid or not; pass codes still are', async () => {
    const readings = [
      await readCode(await cert(), certSync(), NOW),
      await readCode(await cert(), certSync(), EXP + 1),
      await readCode(await cert({ with: other }), certSync(), NOW),
    ];
    const box = new Outbox(memoryQueue(), async () => { throw new Error('must not send'); });
    const q = memoryQueue();
    const guarded = new Outbox(q, async () => { throw new Error('must not send'); });
    for (const r of readings) {
      expect(recordable(r)).toBe(false);
      expect(judge(r, 'in', '36.5', certSync()).record).toBe(false);
      const item: QueuedScan = { idempotencyKey: '00000000-0000-4000-8000-000000000001', checkpointId: 'cp', token: r.token, direction: 'in',
        temperature: null, scannedAt: new Date(NOW * 1000).toISOString(), offline: true, localDecision: { outcome: 'pass', reasonCode: null },
        maskedName: null, queuedAt: NOW * 1000 };
      await expect(guarded.record(item, false)).rejects.toThrow(RangeError);
      await expect(box.record({ ...item, token: `https://yiqu.example/v#${r.token}` }, true)).rejects.toThrow(RangeError);
    }
    expect(q.items.size).toBe(0);
    const pass = await readCode(await sign({ sub: 'p1', nm: '张*三', st: 'normal' }), sync(), NOW);
    expect(recordable(pass)).toBe(true);
    expect(judge(pass, 'out', '', sync()).record).toBe(true);
    // a card revocation does not revoke a certificate of the same id, nor the other way round
    expect((await readCode(await cert({ jti: 'revoked-card' }), certSync(), NOW)).refusal).toBeNull();
  });
});
