import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { createTestApp, type TestApp } from '../../../test/helpers/app';
import { publicJwks, revokeToken, rotateKeys, signToken, verifyToken } from './service';
import { verifyTokenWith, TOKEN_TYP } from './verify-core';

const PERSON = '7f0c5a52-4f7e-4d36-9f53-0d1b7c3e2a11';

describe('signed tokens', () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp(); });
  afterAll(async () => { await t?.close(); });

  const refusal = async (p: Promise<unknown>) => {
    try { await p; return 'accepted'; } catch (e) { return (e as { code?: string }).code; }
  };

  it('signs a pass code that verifies, with kid, typ and iss, and no more than the claims given', async () => {
    const { token, expiresAt } = await signToken(t.ctx, 'pass', PERSON, 60, { nm: '张*三', st: 'normal' });
    const v = await verifyToken(t.ctx, token, 'pass');
    expect(v).toMatchObject({ type: 'pass', sub: PERSON, iss: t.ctx.config.TOKEN_ISSUER });
    expect(v.claims.nm).toBe('张*三');
    expect(v.exp * 1000).toBe(expiresAt.getTime());
    const header = JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString());
    expect(header).toMatchObject({ alg: 'ES256', typ: TOKEN_TYP.pass });
    expect((await publicJwks(t.ctx)).keys.map((k) => k.kid)).toContain(header.kid);
  });

  it('is valid one second before expiry and refused one second after, with its own reason', async () => {
    const now = new Date('2026-11-30T02:00:00Z');
    const { token } = await signToken(t.ctx, 'pass', PERSON, 60, {}, { now });
    expect((await verifyToken(t.ctx, token, 'pass', new Date(now.getTime() + 59_000))).sub).toBe(PERSON);
    // the server allows 5 s of clock tolerance
    expect(await refusal(verifyToken(t.ctx, token, 'pass', new Date(now.getTime() + 66_000)))).toBe('token_expired');
  });

  it('refuses each forgery with its own reason', async () => {
    const { token } = await signToken(t.ctx, 'pass', PERSON, 60, { st: 'home_isolation' });
    const [h, p, sig] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
    const tampered = `${h}.${Buffer.from(JSON.stringify({ ...claims, st: 'normal' })).toString('base64url')}.${sig}`;
    expect(await refusal(verifyToken(t.ctx, tampered, 'pass'))).toBe('token_bad_signature');

    const foreign = await generateKeyPair('ES256');
    const forged = await new SignJWT({ st: 'normal' }).setProtectedHeader({ alg: 'ES256', kid: 'pa-not-ours', typ: TOKEN_TYP.pass })
      .setIssuer(t.ctx.config.TOKEN_ISSUER).setSubject(PERSON).setIssuedAt().setExpirationTime('1m').sign(foreign.privateKey);
    expect(await refusal(verifyToken(t.ctx, forged, 'pass'))).toBe('token_unknown_key');

    // a forger who reuses our kid still fails on the signature
    const kid = JSON.parse(Buffer.from(h, 'base64url').toString()).kid;
    const sameKid = await new SignJWT({}).setProtectedHeader({ alg: 'ES256', kid, typ: TOKEN_TYP.pass })
      .setIssuer(t.ctx.config.TOKEN_ISSUER).setSubject(PERSON).setIssuedAt().setExpirationTime('1m').sign(foreign.privateKey);
    expect(await refusal(verifyToken(t.ctx, sameKid, 'pass'))).toBe('token_bad_signature');

    const card = await signToken(t.ctx, 'card', PERSON, 3600, {}, { jti: 'card-1' });
    expect(await refusal(verifyToken(t.ctx, card.token, 'pass'))).toBe('token_wrong_type');
    expect(await refusal(verifyToken(t.ctx, 'not-a-token', 'pass'))).toBe('token_malformed');
    expect(await refusal(verifyToken(t.ctx, `${h}.${p}`, 'pass'))).toBe('token_malformed');
  });

  it('revokes a card at once on the server and lists it for offline scanners', async () => {
    const card = await signToken(t.ctx, 'card', PERSON, 3600, {}, { jti: 'card-revoke-1' });
    expect((await verifyToken(t.ctx, card.token, 'card')).jti).toBe('card-revoke-1');
    await revokeToken(t.ctx, { jti: 'card-revoke-1', type: 'card', expiresAt: card.expiresAt, reason: '卡片遗失', staffId: null });
    expect(await refusal(verifyToken(t.ctx, card.token, 'card'))).toBe('token_revoked');
    const res = await t.app.inject({ url: '/api/tokens/revocations' });
    expect(res.json().revocations.map((r: { jti: string }) => r.jti)).toContain('card-revoke-1');
    // an offline scanner holding the list refuses it the same way
    const jwks = (await t.app.inject({ url: '/.well-known/jwks.json' })).json();
    const offline = new Set<string>(res.json().revocations.map((r: { jti: string }) => r.jti));
    await expect(verifyTokenWith(card.token, { expect: 'card', jwks, revoked: offline })).rejects.toMatchObject({ code: 'token_revoked' });
  });

  it('keeps a replaced key published until its last token expires, then drops it', async () => {
    const before = await signToken(t.ctx, 'pass', PERSON, 60);
    const oldKid = JSON.parse(Buffer.from(before.token.split('.')[0]!, 'base64url').toString()).kid;
    const later = new Date(Date.now() + (t.ctx.config.SIGNING_KEY_ROTATE_DAYS + 1) * 86_400_000);
    expect(await rotateKeys(t.ctx, later)).toContain('pass');
    const after = await signToken(t.ctx, 'pass', PERSON, 60);
    const newKid = JSON.parse(Buffer.from(after.token.split('.')[0]!, 'base64url').toString()).kid;
    expect(newKid).not.toBe(oldKid);
    const kids = (await publicJwks(t.ctx)).keys.map((k) => k.kid);
    expect(kids).toEqual(expect.arrayContaining([oldKid, newKid]));
    expect((await verifyToken(t.ctx, before.token, 'pass')).sub).toBe(PERSON);
    // a queue held offline for days still verifies; once publish_until (token lifetime + OFFLINE_GRACE_DAYS) has passed, the old key goes
    await rotateKeys(t.ctx, new Date(later.getTime() + (t.ctx.config.OFFLINE_GRACE_DAYS - 1) * 86_400_000));
    expect((await publicJwks(t.ctx)).keys.map((k) => k.kid)).toContain(oldKid);
    await rotateKeys(t.ctx, new Date(later.getTime() + (t.ctx.config.OFFLINE_GRACE_DAYS * 86_400 + 120) * 1000));
    expect((await publicJwks(t.ctx)).keys.map((k) => k.kid)).not.toContain(oldKid);
    expect(await refusal(verifyToken(t.ctx, before.token, 'pass'))).toBe('token_unknown_key');
  });

  it('serves the JWKS publicly without private parts', async () => {
    const res = await t.app.inject({ url: '/.well-known/jwks.json' });
    expect(res.statusCode).toBe(200);
    for (const k of res.json().keys) {
      expect(k).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
      expect(k.d).toBeUndefined();
    }
    expect(await exportJWK((await generateKeyPair('ES256')).publicKey)).toHaveProperty('x');
  });
});
