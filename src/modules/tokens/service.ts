/**
 * Signed tokens (issue 3 §1): one ES256 signing key per token type, rotated every
 * SIGNING_KEY_ROTATE_DAYS; public keys at /.well-known/jwks.json, a replaced key published until
 * the last token it signed has expired; a revocation list for offline scanners.
 *
 * The server runs as one process per database (docs/ARCHITECTURE.md), so keys and the revocation
 * set are cached in memory and every change made here refreshes the cache.
 */
import { randomBytes } from 'node:crypto';
import { exportJWK, generateKeyPair, importJWK, SignJWT, type JSONWebKeySet, type JWK } from 'jose';
import type { AppContext } from '../../context';
import type { Config } from '../../config';
import { AppError } from '../../lib/errors';
import { REFUSAL_MESSAGES, TOKEN_TYP, TokenError, verifyTokenWith, type TokenType, type VerifiedToken } from './verify-core';

export { certIssuer, TOKEN_TYP, TokenError, type TokenType, type VerifiedToken } from './verify-core';

/** Longest a token of `type` can live, in seconds: how long its key stays published after retiring. */
export function maxLifetimeS(config: Config, type: TokenType): number {
  switch (type) {
    case 'pass': return config.PASS_CODE_TTL_S;
    case 'card': return config.CARD_VALID_DAYS * 86_400;
    case 'checkpoint': return config.CHECKPOINT_CODE_ROTATE_S + config.CHECKPOINT_CODE_GRACE_S;
    case 'cert': return config.CERT_VALID_DAYS * 86_400;
  }
}

interface SigningKey { kid: string; key: CryptoKey; createdAt: Date }
interface KeyState {
  active: Map<TokenType, SigningKey>;
  jwks: JSONWebKeySet;
  revoked: Set<string>;
}
const states = new WeakMap<AppContext, Promise<KeyState>>();

async function load(ctx: AppContext): Promise<KeyState> {
  const now = new Date();
  const rows = await ctx.db.selectFrom('signing_keys').selectAll()
    .where((eb) => eb.or([eb('retired_at', 'is', null), eb('publish_until', '>', now)])).execute();
  const active = new Map<TokenType, SigningKey>();
  for (const r of rows) {
    if (r.retired_at) continue;
    const key = await importJWK(r.private_jwk as JWK, 'ES256');
    active.set(r.token_type as TokenType, { kid: r.kid, key: key as CryptoKey, createdAt: r.created_at });
  }
  const revoked = await ctx.db.selectFrom('revoked_tokens').select('jti').where('expires_at', '>', now).execute();
  return {
    active,
    jwks: { keys: rows.map((r) => ({ ...(r.public_jwk as JWK), kid: r.kid, alg: 'ES256', use: 'sig' })) },
    revoked: new Set(revoked.map((r) => r.jti)),
  };
}

function stateOf(ctx: AppContext): Promise<KeyState> {
  let s = states.get(ctx);
  if (!s) {
    s = load(ctx);
    s.catch(() => states.delete(ctx));
    states.set(ctx, s);
  }
  return s;
}
const reload = (ctx: AppContext) => { states.delete(ctx); return stateOf(ctx); };

/**
 * A new key for `type`; the previous one retires and stays published for the tokens it signed: their
 * lifetime plus OFFLINE_GRACE_DAYS, so scans queued by a gate offline across a rotation still verify.
 */
async function newKey(ctx: AppContext, type: TokenType, now: Date): Promise<void> {
  const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
  const kid = `${type.slice(0, 2)}${randomBytes(6).toString('base64url')}`;
  await ctx.db.transaction().execute(async (trx) => {
    await trx.updateTable('signing_keys')
      .set({ retired_at: now, publish_until: new Date(now.getTime() + (maxLifetimeS(ctx.config, type) + ctx.config.OFFLINE_GRACE_DAYS * 86_400) * 1000) })
      .where('token_type', '=', type).where('retired_at', 'is', null).execute();
    await trx.insertInto('signing_keys').values({
      kid, token_type: type, public_jwk: JSON.stringify(await exportJWK(publicKey)),
      private_jwk: JSON.stringify(await exportJWK(privateKey)), created_at: now,
    }).execute();
  });
}

/**
 * Rotate keys older than SIGNING_KEY_ROTATE_DAYS and delete retired keys past publish_until and
 * revocations past their token's expiry (scheduled job `tokens.rotate`).
 * @returns kinds that got a new key.
 */
export function rotateKeys(ctx: AppContext, now = new Date()): Promise<TokenType[]> {
  // one rotation at a time per app: two would both retire the key and race for the active slot
  const prev = rotations.get(ctx) ?? Promise.resolve([]);
  const next = prev.catch(() => []).then(() => rotateNow(ctx, now));
  rotations.set(ctx, next);
  return next;
}
const rotations = new WeakMap<AppContext, Promise<TokenType[]>>();

async function rotateNow(ctx: AppContext, now: Date): Promise<TokenType[]> {
  const rotated: TokenType[] = [];
  const limit = new Date(now.getTime() - ctx.config.SIGNING_KEY_ROTATE_DAYS * 86_400_000);
  for (const type of Object.keys(TOKEN_TYP) as TokenType[]) {
    const cur = await ctx.db.selectFrom('signing_keys').select('created_at')
      .where('token_type', '=', type).where('retired_at', 'is', null).executeTakeFirst();
    if (!cur || cur.created_at < limit) {
      await newKey(ctx, type, now);
      rotated.push(type);
    }
  }
  await ctx.db.deleteFrom('signing_keys').where('publish_until', '<', now).execute();
  await ctx.db.deleteFrom('revoked_tokens').where('expires_at', '<', now).execute();
  await reload(ctx);
  return rotated;
}

/**
 * Make sure a signing key for `type` is active and loaded, creating one when none is. After this,
 * signToken does not touch the database (call it before a transaction that signs inside).
 */
export async function ensureSigningKey(ctx: AppContext, type: TokenType): Promise<void> {
  if (!(await stateOf(ctx)).active.has(type)) await rotateKeys(ctx);
}

/**
 * Sign a token of `type` for `sub` (a person or checkpoint id), valid `lifetimeS` seconds from
 * `now`. Extra claims must hold no ID number, phone or address (SPEC "Personal data").
 * @returns the compact JWS and its expiry.
 */
export async function signToken(ctx: AppContext, type: TokenType, sub: string, lifetimeS: number,
  extra: Record<string, unknown> = {}, opts: { jti?: string; now?: Date; issuer?: string } = {}): Promise<{ token: string; expiresAt: Date; jti?: string }> {
  await ensureSigningKey(ctx, type);
  const key = (await stateOf(ctx)).active.get(type)!;
  const iat = Math.floor((opts.now ?? new Date()).getTime() / 1000);
  const exp = iat + Math.round(lifetimeS);
  const jwt = new SignJWT(extra).setProtectedHeader({ alg: 'ES256', kid: key.kid, typ: TOKEN_TYP[type] })
    .setIssuer(opts.issuer ?? ctx.config.TOKEN_ISSUER).setSubject(sub).setIssuedAt(iat).setExpirationTime(exp);
  if (opts.jti) jwt.setJti(opts.jti);
  return { token: await jwt.sign(key.key), expiresAt: new Date(exp * 1000), jti: opts.jti };
}

/**
 * Verify a token on the server (signature, kind, time, revocation).
 * @param at the time of the scan (default now); queued offline scans pass their corrected time.
 * @throws AppError 400 whose code is the TokenRefusal (token_expired, token_revoked, …).
 */
export async function verifyToken(ctx: AppContext, token: string, expect: TokenType | TokenType[], at?: Date): Promise<VerifiedToken> {
  const st = await stateOf(ctx);
  try {
    return await verifyTokenWith(token, {
      expect, jwks: st.jwks, revoked: st.revoked, issuer: ctx.config.TOKEN_ISSUER,
      nowS: at ? Math.floor(at.getTime() / 1000) : undefined,
    });
  } catch (e) {
    if (e instanceof TokenError) throw tokenAppError(e);
    throw e;
  }
}

/** The AppError (HTTP 400, bilingual) for a refused token. */
export function tokenAppError(e: TokenError): AppError {
  return new AppError(400, e.code, REFUSAL_MESSAGES[e.code]);
}

/** Published public keys, current and retired-but-still-needed (GET /.well-known/jwks.json). */
export async function publicJwks(ctx: AppContext): Promise<JSONWebKeySet> {
  const st = await stateOf(ctx);
  if (st.active.size < Object.keys(TOKEN_TYP).length) {
    await rotateKeys(ctx);
    return (await stateOf(ctx)).jwks;
  }
  return st.jwks;
}

/**
 * Revoke the token `jti` of `type` (a card, later a certificate). Takes effect at once on this
 * server and at the next revocation sync on offline scanners. Revoking twice keeps the first.
 */
export async function revokeToken(ctx: AppContext, r: { jti: string; type: TokenType; expiresAt: Date; reason: string; staffId: string | null }) {
  await ctx.db.insertInto('revoked_tokens')
    .values({ jti: r.jti, token_type: r.type, expires_at: r.expiresAt, reason: r.reason, revoked_by: r.staffId })
    .onConflict((oc) => oc.column('jti').doNothing()).execute();
  (await stateOf(ctx)).revoked.add(r.jti);
}

/** Revocations still relevant (token not yet expired), for offline scanners. */
export async function revocationList(ctx: AppContext): Promise<{ jti: string; type: string; revokedAt: string }[]> {
  const rows = await ctx.db.selectFrom('revoked_tokens').select(['jti', 'token_type', 'revoked_at'])
    .where('expires_at', '>', new Date()).orderBy('revoked_at').execute();
  return rows.map((r) => ({ jti: r.jti, type: r.token_type, revokedAt: r.revoked_at.toISOString() }));
}
