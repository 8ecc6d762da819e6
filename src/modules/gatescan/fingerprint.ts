/**
 * What a scan's idempotency key stands for (issue 3 §4, "each queued record lands exactly once"):
 * a key sent again must name the same scan, or it is refused as reused and the first record
 * stands. Compared: direction, device time, token id and, once recorded, the reading.
 */
import { decodeJwt } from 'jose';
import type { AppContext } from '../../context';
import { parseTemperature } from '../checkin/temperature';
import type { ScanInput, ScanResult } from './service';

/**
 * A scan's direction, device time (ms), token id (null when unknown: an unauthentic token) and,
 * for a recorded scan, its reading (°C, null for none; undefined: not compared).
 */
export interface Fingerprint { direction: string; scannedAtMs: number; jti: string | null; temperature?: number | null }

export function fingerprint(direction: string, scannedAt: Date, jti: string | null, temperature?: number | null): Fingerprint {
  return { direction, scannedAtMs: scannedAt.getTime(), jti, temperature };
}

/** The reading of a posted scan as it would be recorded (NaN when it cannot be read). */
function readingOf(ctx: AppContext, s: ScanInput): number | null {
  if (s.direction !== 'in' || s.temperature === undefined || s.temperature === null || s.temperature === '') return null;
  try { return parseTemperature(s.temperature, ctx.config); } catch { return Number.NaN; }
}

/** True when `s` may be the scan recorded as `f` (a token id and a reading are compared only when recorded). */
export function sameScan(ctx: AppContext, f: Fingerprint, s: ScanInput): boolean {
  return f.direction === s.direction && f.scannedAtMs === new Date(s.scannedAt).getTime() && (f.jti === null || f.jti === jtiOf(s.token))
    && (f.temperature === undefined || f.temperature === readingOf(ctx, s));
}

function jtiOf(token: string): string | null {
  try { const j = decodeJwt(token).jti; return typeof j === 'string' ? j : null; } catch { return null; }
}

/** The answer to a key used for another scan or at another checkpoint. */
export const keyReused = (zh: string, en: string): Omit<ScanResult, 'idempotencyKey'> => ({
  status: 'rejected', outcome: 'refused', reasonCode: 'idempotency_key_reused', reason: { zh, en },
  personId: null, maskedName: null, checkinId: null, at: null, twoWay: null,
});
