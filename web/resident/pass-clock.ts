/**
 * Timing of the 我的通行码 screen (issue 3 §2), pure: the server's clock through the skew measured
 * at each answer, the countdown to the next refresh, and whether the code on screen is still valid.
 * A pass code lives PASS_CODE_TTL_S seconds (60) and is replaced every refreshInS (30), so a code
 * on screen is always fresh; one the phone could not refresh is hidden once it expired rather than
 * shown to a guard whose scanner would refuse it.
 */

/** Milliseconds to add to this phone's clock to get the server's (measured when an answer arrives). */
export function skewMs(serverTimeIso: string, receivedAtMs: number): number {
  const server = Date.parse(serverTimeIso);
  return Number.isNaN(server) ? 0 : server - receivedAtMs;
}

/** Whole seconds from `nowMs` to `untilMs`, rounded up, never negative. */
export function secondsLeft(untilMs: number, nowMs: number): number {
  return Math.max(0, Math.ceil((untilMs - nowMs) / 1000));
}

/** When the next refresh is due: `refreshInS` after the answer arrived (at least 5 s, at most the code's life). */
export function refreshDueMs(receivedAtMs: number, refreshInS: number, expiresAtMs?: number, serverSkewMs = 0): number {
  const s = Number.isFinite(refreshInS) ? Math.max(5, refreshInS) : 30;
  const due = receivedAtMs + s * 1000;
  if (expiresAtMs === undefined || Number.isNaN(expiresAtMs)) return due;
  // never later than 5 s before the code expires (phone time), never sooner than 2 s from now
  return Math.max(receivedAtMs + 2000, Math.min(due, expiresAtMs - serverSkewMs - 5000));
}

/** True while the code (expiring at `expiresAtIso`, server time) is valid at server time `serverNowMs`. */
export function codeValid(expiresAtIso: string, serverNowMs: number): boolean {
  const exp = Date.parse(expiresAtIso);
  return !Number.isNaN(exp) && serverNowMs < exp;
}

/** The person to show: the one chosen before if still on the phone, else the first (self). */
export function pickPerson<T extends { personId: string }>(persons: T[], chosen: string | null): T | null {
  return persons.find((p) => p.personId === chosen) ?? persons[0] ?? null;
}
