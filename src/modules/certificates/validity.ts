/**
 * The validity of a health declaration certificate (SPEC S6 and "Rules worth knowing": valid 5
 * days from issue; issue 6 §3): the instants, and their China-time display.
 */
import type { Bilingual } from '../../lib/errors';
import { chinaDateTime } from '../../lib/time';

export interface Validity {
  /** The issue instant, truncated to whole seconds (the token's iat). */
  notBefore: Date;
  /** notBefore + days × 24 h: the token's exp; at and after this instant the certificate is expired. */
  notAfter: Date;
  /** 'YYYY-MM-DD HH:mm:ss' China time of each, for the certificate and the verification page. */
  notBeforeChina: string;
  notAfterChina: string;
  /** One line for display: '有效期：2020-02-10 09:30:00 至 2020-02-15 09:30:00（北京时间）'. */
  display: Bilingual;
}

/**
 * Validity of a certificate issued at `issuedAt` for `days` days (CERT_VALID_DAYS, SPEC S6: 5).
 * Valid over [notBefore, notAfter): at issue + days − 1 s valid, at issue + days expired, at
 * issue + days + 1 s expired (issue 6 acceptance). Times are instants; China time only for display.
 * Sub-second parts of `issuedAt` are dropped so notBefore/notAfter equal the token's iat/exp.
 * @throws RangeError on an invalid date or a days value that is not a whole number ≥ 1.
 */
export function validity(issuedAt: Date, days: number): Validity {
  if (!(issuedAt instanceof Date) || Number.isNaN(issuedAt.getTime())) throw new RangeError('issuedAt is not a valid date');
  if (!Number.isInteger(days) || days < 1) throw new RangeError(`days must be a whole number ≥ 1: ${days}`);
  const from = Math.floor(issuedAt.getTime() / 1000) * 1000;
  const notBefore = new Date(from);
  const notAfter = new Date(from + days * 86_400_000);
  const a = chinaDateTime(notBefore);
  const b = chinaDateTime(notAfter);
  return {
    notBefore, notAfter, notBeforeChina: a, notAfterChina: b,
    display: { zh: `有效期：${a} 至 ${b}（北京时间）`, en: `Valid from ${a} to ${b} (China Standard Time)` },
  };
}

/** Whether `v` covers the instant `at`: notBefore ≤ at < notAfter (no clock tolerance). */
export function isValidAt(v: Pick<Validity, 'notBefore' | 'notAfter'>, at: Date): boolean {
  const t = at.getTime();
  return t >= v.notBefore.getTime() && t < v.notAfter.getTime();
}
