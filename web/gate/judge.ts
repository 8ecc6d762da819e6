/**
 * The gate's local decision on a scanned code, the same rules as the server (issue 3 §3, §4):
 * the token is verified by src/modules/tokens/verify-core.ts against the keys and revocations of
 * the last sync, at corrected time; the person's status is the more recent of the token's `st`
 * (at its iat) and the synced status register; passage is decided by `decide()` of
 * src/modules/checkin/rules.ts (barring statuses, fever ≥ threshold), the server's own rule.
 *
 * A health declaration certificate (typ yq-cert, issue 6) is verified the same way, with no clock
 * tolerance and against the certificate revocations of the sync, but it is NOT a pass code: it
 * decides no passage, records no check-in and never enters the outbox (`recordable()` is false).
 */
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { REFUSAL_MESSAGES, TOKEN_TYP, TokenError, verifyTokenWith, type TokenRefusal } from '../../src/modules/tokens/verify-core';
import { chinaDateTime } from '../../src/lib/time';
import { decide } from '../../src/modules/checkin/rules';
import { parseTemperature } from '../../src/modules/checkin/temperature';
import { AppError } from '../../src/lib/errors';
import type { Bilingual, Direction, Outcome, SyncData } from './types';
import { statusColour as registerColour, type StatusColour } from '../../src/modules/status/codes';

/** Colour band of a status: the register's one mapping (src/modules/status/codes.ts); grey when no person could be read. */
export type Colour = StatusColour | 'grey';

/** Colour of a status code (null: no person read). */
export function statusColour(status: string | null): Colour {
  return status ? registerColour(status) : 'grey';
}

/** What a health declaration certificate shows the guard (claims of issue 6; null when unreadable). */
export interface CertificateReading {
  /** Certificate id (jti). */
  id: string | null;
  /** The FULL name (`nm`): a certificate names its holder in full. */
  name: string | null;
  /** Masked document number (`idm`) and its type label (`dt`). */
  docMasked: string | null;
  docType: string | null;
  /** The issuing center (`org`). */
  orgName: string | null;
  /** China time 'YYYY-MM-DD HH:mm:ss' of exp: the first instant it is no longer valid. */
  notAfterChina: string | null;
  /** Verified and in force at the scan's corrected time. */
  valid: boolean;
}

/** What a scanned code says, before the guard's temperature. */
export interface Reading {
  /** The text as scanned (trimmed). */
  token: string;
  /** Verified pass or card code, or a certificate (its header says yq-cert, whatever its verification). */
  kind: 'pass' | 'card' | 'cert' | null;
  /** Set for a certificate (verification only); claims filled only when its signature held. */
  certificate: CertificateReading | null;
  personId: string | null;
  maskedName: string | null;
  /** Status applied: the more recent of the token's `st` and the synced register; null when unknown. */
  status: string | null;
  statusLabel: Bilingual | null;
  colour: Colour;
  /** Why the code itself is refused; null when it verified. */
  refusal: TokenRefusal | null;
  /** Expired, revoked or not yet valid codes are authentic (signature checked) but refused. */
  authentic: boolean;
}

/** The decision shown and queued once the guard's reading is known. */
export interface Verdict {
  outcome: Outcome;
  reasonCode: string | null;
  reason: Bilingual | null;
  /** An 'in' pass waits for the guard's reading. */
  needsTemperature: boolean;
  /** The parsed reading, °C (null when none or invalid). */
  temperature: number | null;
  /** Why the typed reading is not accepted. */
  temperatureError: Bilingual | null;
  /** Whether 确认 records this scan (check-in, outbox): false for a certificate, a verification only. */
  record: boolean;
}

/** Refusals that come after the signature check: the claims are genuine, the code is just not valid now. */
const AUTHENTIC_REFUSALS = new Set<TokenRefusal>(['token_expired', 'token_revoked', 'token_not_yet_valid']);

/** The token inside a scanned text: a raw JWS, or the fragment of a `…/v#<token>` link. */
export function tokenOf(text: string): string {
  const t = text.trim();
  const hash = t.indexOf('#');
  return hash >= 0 && /^https?:\/\//i.test(t) ? t.slice(hash + 1) : t;
}

/** Whether `token`'s header calls it a certificate (no verification: only to route the scan). */
export function isCertificateToken(token: string): boolean {
  try { return decodeProtectedHeader(tokenOf(token)).typ === TOKEN_TYP.cert; } catch { return false; }
}

/** Whether a scan of this reading may be recorded (check-in, outbox): never for a certificate. */
export function recordable(r: Reading): boolean {
  return r.kind !== 'cert' && r.certificate === null && !isCertificateToken(r.token);
}

/**
 * Read a scanned code against the last sync at `nowS` (corrected time, seconds).
 * Never throws: an unreadable code is a Reading with `refusal` set.
 */
export async function readCode(text: string, sync: SyncData, nowS: number): Promise<Reading> {
  const token = tokenOf(text);
  if (isCertificateToken(token)) return readCertificate(token, sync, nowS);
  const revoked = new Set(sync.revocations.map((r) => r.jti));
  const base: Reading = { token, kind: null, certificate: null, personId: null, maskedName: null, status: null, statusLabel: null, colour: 'grey', refusal: null, authentic: false };
  let claims: Record<string, unknown>;
  let kind: 'pass' | 'card';
  try {
    const v = await verifyTokenWith(token, { expect: ['pass', 'card'], jwks: sync.jwks, revoked, nowS, issuer: sync.issuer });
    claims = v.claims;
    kind = v.type as 'pass' | 'card';
  } catch (e) {
    const refusal: TokenRefusal = e instanceof TokenError ? e.code : 'token_malformed';
    if (!AUTHENTIC_REFUSALS.has(refusal)) return { ...base, refusal };
    try { claims = decodeJwt(token) as Record<string, unknown>; } catch { return { ...base, refusal }; }
    return { ...base, ...person(claims, sync), kind: null, refusal, authentic: true };
  }
  return { ...base, ...person(claims, sync), kind, authentic: true };
}

/**
 * A certificate: verified offline with the synced keys and the revocations of type 'cert', at
 * corrected time with no tolerance (valid until exp exclusive). Its claims are shown only when its
 * signature held (expired and revoked ones too, so the guard sees whose it was).
 */
async function readCertificate(token: string, sync: SyncData, nowS: number): Promise<Reading> {
  const revoked = new Set(sync.revocations.filter((r) => r.type === 'cert').map((r) => r.jti));
  const empty: CertificateReading = { id: null, name: null, docMasked: null, docType: null, orgName: null, notAfterChina: null, valid: false };
  const base: Reading = { token, kind: 'cert', certificate: empty, personId: null, maskedName: null, status: null, statusLabel: null, colour: 'grey', refusal: null, authentic: false };
  let claims: Record<string, unknown>;
  let refusal: TokenRefusal | null = null;
  try {
    claims = (await verifyTokenWith(token, { expect: 'cert', jwks: sync.jwks, revoked, nowS, issuer: sync.issuer, toleranceS: 0 })).claims;
  } catch (e) {
    refusal = e instanceof TokenError ? e.code : 'token_malformed';
    if (!AUTHENTIC_REFUSALS.has(refusal)) return { ...base, refusal };
    try { claims = decodeJwt(token) as Record<string, unknown>; } catch { return { ...base, refusal }; }
  }
  const str = (k: string) => (typeof claims[k] === 'string' ? claims[k] : null);
  const exp = typeof claims.exp === 'number' ? claims.exp : null;
  const certificate: CertificateReading = {
    id: str('jti'), name: str('nm'), docMasked: str('idm'), docType: str('dt'), orgName: str('org'),
    notAfterChina: exp === null ? null : chinaDateTime(new Date(exp * 1000)), valid: refusal === null,
  };
  return { ...base, certificate, personId: str('sub'), refusal, authentic: true };
}

/** Refusals of a certificate worded for a certificate (a pass code's "refresh it" does not apply). */
export const CERT_REFUSAL_MESSAGES: Partial<Record<TokenRefusal, Bilingual>> = {
  token_expired: { zh: '证明已过期', en: 'The certificate has expired' },
  token_revoked: { zh: '证明已作废', en: 'The certificate has been revoked' },
  token_not_yet_valid: { zh: '证明签发时间晚于本机时间：请校准设备时间', en: 'The certificate is dated in the future: check this device\'s clock' },
};

function person(claims: Record<string, unknown>, sync: SyncData) {
  const personId = typeof claims.sub === 'string' ? claims.sub : null;
  const maskedName = typeof claims.nm === 'string' ? claims.nm : null;
  const status = currentStatus(personId, claims, sync);
  return { personId, maskedName, status, statusLabel: sync.statusLabels[status] ?? { zh: status, en: status }, colour: statusColour(status) };
}

/**
 * The status to apply: the token's `st` when it was issued after the sync, else the synced
 * register (persons missing from `statuses` were 'normal' at the sync).
 */
export function currentStatus(personId: string | null, claims: Record<string, unknown>, sync: SyncData): string {
  const synced = sync.statuses.find((s) => s.personId === personId)?.status ?? 'normal';
  const iat = typeof claims.iat === 'number' ? claims.iat : 0;
  const st = typeof claims.st === 'string' ? claims.st : null;
  return st && iat * 1000 > Date.parse(sync.serverTime) ? st : synced;
}

/**
 * Decide passage for a reading, a direction and the guard's typed temperature (may be empty).
 * Token refusals come first (their REFUSAL_MESSAGES), then decide(): barring status, then fever.
 */
export function judge(r: Reading, direction: Direction, temperatureText: string, sync: SyncData): Verdict {
  const rules = { FEVER_THRESHOLD_C: sync.config.feverThresholdC, TEMP_MIN_C: sync.config.tempMinC, TEMP_MAX_C: sync.config.tempMaxC };
  let temperature: number | null = null;
  let temperatureError: Bilingual | null = null;
  if (temperatureText.trim() !== '') {
    try { temperature = parseTemperature(temperatureText, rules); } catch (e) {
      temperatureError = e instanceof AppError ? e.messages : { zh: '体温格式不正确', en: 'Invalid temperature' };
    }
  }
  const none = { needsTemperature: false, temperature, temperatureError, record: true };
  if (r.kind === 'cert' || r.certificate) {
    // a verification only: valid or not, nothing is decided about passage and nothing is recorded
    const noRecord = { needsTemperature: false, temperature: null, temperatureError: null, record: false };
    if (r.refusal) return { outcome: 'refused', reasonCode: r.refusal, reason: CERT_REFUSAL_MESSAGES[r.refusal] ?? REFUSAL_MESSAGES[r.refusal], ...noRecord };
    return { outcome: 'pass', reasonCode: null, reason: null, ...noRecord };
  }
  if (r.refusal) return { outcome: 'refused', reasonCode: r.refusal, reason: REFUSAL_MESSAGES[r.refusal], ...none };
  const d = decide({ status: r.status ?? 'normal', statusLabel: r.statusLabel ?? { zh: '', en: '' }, statusReason: '' },
    direction, direction === 'in' ? temperature : null, sync.barring, rules);
  if (d.outcome === 'refused') return { outcome: 'refused', reasonCode: d.refusal, reason: d.reason, ...none };
  const needsTemperature = direction === 'in' && temperature === null;
  return { outcome: 'pass', reasonCode: null, reason: null, needsTemperature, temperature, temperatureError, record: true };
}
