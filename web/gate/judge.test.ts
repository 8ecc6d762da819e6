/**
 * The gate page's local decision (web/gate/judge.ts) against tokens signed here with a fresh ES256
 * key: every token refusal with its own code, the status rule (the more recent of the token's
 * `st` and the sync), and the fever rule after the guard's reading.
 */
import { describe, expect, it, beforeAll } from 'vitest';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { judge, readCode, tokenOf, currentStatus, statusColour } from './judge';
import type { SyncData } from './types';

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

async function sign(claims: Record<string, unknown>, o: { typ?: string; iat?: number; exp?: number; kid?: string; with?: CryptoKey } = {}) {
  const iat = o.iat ?? NOW - 5;
  return new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid: o.kid ?? 'k1', typ: o.typ ?? 'yq-pass' })
    .setIssuer('yiqu').setIssuedAt(iat).setExpirationTime(o.exp ?? iat + 60).sign(o.with ?? key);
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
