/**
 * Verification of Yiqu's signed tokens, the one rule shared by the server and the offline guard
 * page (web/gate imports this file; it uses only `jose` and WebCrypto, nothing of Node).
 *
 * A token is an ES256 compact JWS carrying JWT claims (issue 3 §1). Its protected header holds
 * `alg: ES256`, `kid` (which published key signed it) and `typ` (which kind of token it is,
 * TOKEN_TYP below). Refusals each have their own code and message (zh-CN first, SPEC "Language").
 */
import { createLocalJWKSet, decodeProtectedHeader, errors, jwtVerify, type JSONWebKeySet, type JWTPayload } from 'jose';

/** Kinds of signed token. */
export type TokenType = 'pass' | 'card' | 'checkpoint' | 'cert';

/** The `typ` header of each kind: short, because it travels inside every QR code. */
export const TOKEN_TYP: Record<TokenType, string> = { pass: 'yq-pass', card: 'yq-card', checkpoint: 'yq-cp', cert: 'yq-cert' };

/**
 * The `iss` of a health declaration certificate: the issuing health service center under the
 * platform's issuer (issue 6 §3 "issuer = the center"); the platform's one `cert` key signs for it.
 */
export function certIssuer(issuer: string, orgId: string): string {
  return `${issuer}/centers/${orgId}`;
}

export type TokenRefusal =
  | 'token_malformed' | 'token_unknown_key' | 'token_bad_signature' | 'token_wrong_type'
  | 'token_expired' | 'token_not_yet_valid' | 'token_revoked';

/** What each refusal tells the guard or resident (zh-CN default, en second). */
export const REFUSAL_MESSAGES: Record<TokenRefusal, { zh: string; en: string }> = {
  token_malformed: { zh: '无法识别的二维码', en: 'This code is not a Yiqu code' },
  token_unknown_key: { zh: '签发密钥未知：二维码不是本系统签发的，或本机密钥需要同步', en: 'Signed by an unknown key: not issued here, or this device must sync its keys' },
  token_bad_signature: { zh: '签名无效：二维码内容被篡改', en: 'Invalid signature: the code was altered' },
  token_wrong_type: { zh: '二维码类型不符', en: 'Wrong kind of code for this scan' },
  token_expired: { zh: '二维码已过期（截图或照片无效），请刷新后再出示', en: 'Code expired (photos and screenshots do not work); refresh it and show it again' },
  token_not_yet_valid: { zh: '二维码时间晚于本机时间：请校准设备时间', en: 'Code is dated in the future: check this device\'s clock' },
  token_revoked: { zh: '此码已作废', en: 'This code has been revoked' },
};

/** A refused token: `code` says why. */
export class TokenError extends Error {
  constructor(readonly code: TokenRefusal, readonly detail?: string) {
    super(REFUSAL_MESSAGES[code].en);
    this.name = 'TokenError';
  }
}

export interface VerifiedToken {
  type: TokenType;
  kid: string;
  /** Subject: a person id (pass, card) or a checkpoint id. */
  sub: string;
  /** Issued at and expiry, in seconds since the epoch. */
  iat: number;
  exp: number;
  jti?: string;
  iss: string;
  claims: JWTPayload & Record<string, unknown>;
}

export interface VerifyOptions {
  /** The kinds this scan accepts; any other is `token_wrong_type`. */
  expect: TokenType | TokenType[];
  /** Published keys (GET /.well-known/jwks.json). */
  jwks: JSONWebKeySet;
  /** jti of revoked tokens. */
  revoked?: { has(jti: string): boolean };
  /** The time of the scan, seconds since the epoch (default now). Offline scanners pass corrected time. */
  nowS?: number;
  /**
   * Seconds of clock error tolerated on exp/iat (default 5). Certificates take none: valid until
   * exp exactly (issue 6 acceptance: issue + 5 d − 1 s valid, + 5 d + 1 s expired).
   */
  toleranceS?: number;
  /** Required `iss`, when set; a certificate's is certIssuer(issuer, its center). */
  issuer?: string;
}

const typeOfTyp = new Map(Object.entries(TOKEN_TYP).map(([k, v]) => [v, k as TokenType]));

/**
 * Verify `token` against published keys: header kind, then signature, then time, then revocation.
 * @returns the verified claims.
 * @throws TokenError with the first reason it fails.
 */
export async function verifyTokenWith(token: string, opts: VerifyOptions): Promise<VerifiedToken> {
  const expected = Array.isArray(opts.expect) ? opts.expect : [opts.expect];
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    if (typeof token !== 'string' || token.length > 4096 || token.split('.').length !== 3) throw new Error('shape');
    header = decodeProtectedHeader(token);
  } catch {
    throw new TokenError('token_malformed');
  }
  const type = typeof header.typ === 'string' ? typeOfTyp.get(header.typ) : undefined;
  if (!type) throw new TokenError('token_malformed', `typ ${String(header.typ)}`);
  if (!expected.includes(type)) throw new TokenError('token_wrong_type', type);
  if (header.alg !== 'ES256' || typeof header.kid !== 'string') throw new TokenError('token_malformed', 'alg/kid');
  if (!opts.jwks.keys.some((k) => k.kid === header.kid)) throw new TokenError('token_unknown_key', header.kid);
  const nowS = opts.nowS ?? Math.floor(Date.now() / 1000);
  const tolerance = type === 'cert' ? 0 : (opts.toleranceS ?? 5);
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, createLocalJWKSet(opts.jwks), {
      algorithms: ['ES256'], typ: header.typ, currentDate: new Date(nowS * 1000),
      clockTolerance: tolerance, issuer: type === 'cert' ? undefined : opts.issuer, requiredClaims: ['sub', 'iat', 'exp'],
    }));
  } catch (e) {
    if (e instanceof errors.JWTExpired) throw new TokenError('token_expired');
    if (e instanceof errors.JWTClaimValidationFailed && e.claim === 'iat') throw new TokenError('token_not_yet_valid');
    if (e instanceof errors.JWTClaimValidationFailed && e.claim === 'nbf') throw new TokenError('token_not_yet_valid');
    if (e instanceof errors.JWSSignatureVerificationFailed) throw new TokenError('token_bad_signature');
    if (e instanceof errors.JWKSNoMatchingKey) throw new TokenError('token_unknown_key', header.kid);
    throw new TokenError('token_malformed', (e as Error).message);
  }
  if (type === 'cert' && opts.issuer !== undefined && !(payload.iss ?? '').startsWith(certIssuer(opts.issuer, ''))) {
    throw new TokenError('token_malformed', `iss ${String(payload.iss)}`);
  }
  // jose accepts an iat in the future; a code dated ahead of the scanner's clock is refused
  if ((payload.iat ?? 0) > nowS + tolerance) throw new TokenError('token_not_yet_valid');
  if (payload.jti && opts.revoked?.has(payload.jti)) throw new TokenError('token_revoked');
  return {
    type, kid: header.kid, sub: payload.sub!, iat: payload.iat!, exp: payload.exp!, jti: payload.jti, iss: payload.iss ?? '',
    claims: payload as VerifiedToken['claims'],
  };
}
