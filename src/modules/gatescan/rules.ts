/**
 * Pure rules of the guard's scans (issue 3 §3, §4): the time a queued scan is recorded at when the
 * gate device's clock is off, and the temperature gap of a two-way check.
 */
import type { Bilingual } from '../../lib/errors';
import { REFUSAL_MESSAGES, type TokenRefusal } from '../tokens/verify-core';

/** The gate device's clock against the server's, measured when a batch arrives. */
export interface DeviceClock {
  /** Server time − device time at sending, ms (positive: the device is behind). */
  skewMs: number;
  /** The same in whole seconds, as answered. */
  skewS: number;
  /** |skew| > CLOCK_SKEW_MAX_S: every scan's time is corrected by the skew and the record flagged. */
  corrected: boolean;
}

/**
 * Compare the device's `sentAt` with the server's `now` (issue 3 §4: "a clock skew beyond a
 * configured window is corrected from server time and flagged").
 * @param maxSkewS CLOCK_SKEW_MAX_S, seconds.
 */
export function deviceClock(now: Date, sentAt: Date, maxSkewS: number): DeviceClock {
  const skewMs = now.getTime() - sentAt.getTime();
  return { skewMs, skewS: Math.round(skewMs / 1000), corrected: Math.abs(skewMs) > maxSkewS * 1000 };
}

/** When a scan is recorded and verified at (scanTimes). */
export interface ScanTimes {
  at: Date;
  verifyAt: Date;
  /** The time was corrected: the clock beyond tolerance, or a scan dated after its batch was sent. */
  corrected: boolean;
}

/**
 * When a scan happened.
 * - `at`, the time recorded: the device's `scannedAt` (it keeps its device time), or, when the
 *   clock is beyond tolerance, `scannedAt + skew`; never later than the server's now.
 * - `verifyAt`, the time its token is checked at: always `scannedAt + skew` (the scan's moment by
 *   the server's clock, which signed the token), never later than now. A device a minute behind would
 *   otherwise refuse every fresh pass code as "not yet valid", and one a minute ahead as expired.
 * - a scan cannot happen after the batch holding it was sent: a `scannedAt` later than `sentAt`
 *   (the device clock jumped back while offline) is taken as `sentAt` and flagged.
 */
export function scanTimes(clock: DeviceClock, scannedAt: Date, sentAt: Date, now: Date): ScanTimes {
  const cap = (ms: number) => new Date(Math.min(ms, now.getTime()));
  const late = scannedAt.getTime() > sentAt.getTime();
  const deviceMs = late ? sentAt.getTime() : scannedAt.getTime();
  const serverMs = deviceMs + clock.skewMs;
  return { at: cap(clock.corrected || late ? serverMs : deviceMs), verifyAt: cap(serverMs), corrected: clock.corrected || late };
}

/**
 * The gap between the guard's and the resident's readings of a two-way check, °C to one decimal,
 * and whether it is flagged (gap > TWO_WAY_TEMP_GAP_C, issue 3 §3: "a gap of more than 0.3 °C").
 * No gap (null, not flagged) unless both were measured.
 */
export function temperatureGap(guard: number | null, resident: number | null, maxGapC: number): { gapC: number | null; flagged: boolean } {
  if (guard === null || resident === null) return { gapC: null, flagged: false };
  const gapC = Math.round(Math.abs(guard - resident) * 10) / 10;
  return { gapC, flagged: gapC > maxGapC + 1e-9 };
}

/** Token refusals that come only after the signature verified: the token's subject is known to be ours. */
export const AUTHENTIC_REFUSALS: ReadonlySet<string> = new Set<TokenRefusal>(['token_expired', 'token_not_yet_valid', 'token_revoked']);

/**
 * What to tell the guard for a reason code an offline gate sent (`localDecision.reasonCode`), when
 * the server has no better text: token refusals have their own message; others a plain one (a
 * gate's 'fever' never gets here: offline.ts words it from the reading).
 */
export function localReasonText(code: string): Bilingual {
  const known = (REFUSAL_MESSAGES as Record<string, Bilingual>)[code];
  if (known) return known;
  if (code === 'status_barred') return { zh: '人员状态限制通行（离线核验时的状态）', en: 'Barred by the person\'s status (as synced to the gate)' };
  return { zh: `卡点离线核验未通过（${code}）`, en: `Refused by the gate while offline (${code})` };
}
