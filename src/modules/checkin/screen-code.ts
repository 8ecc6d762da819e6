/**
 * Screen mode on the resident's side (issue 3 §5): a checkpoint whose guard tablet shows a signed
 * code that changes every CHECKPOINT_CODE_ROTATE_S seconds instead of a static poster, so a
 * forwarded photo of the code stops working within ROTATE + GRACE seconds (LESSONS "Forged or remote
 * check-ins"). The code is an ES256 compact JWS of type 'checkpoint' whose `sub` is the checkpoint id
 * (signed by the gatescan module); the resident routes accept it wherever they took a poster token.
 *
 * Hot path: poster tokens never contain a dot, so they never reach this file. A verified code is
 * cached until it expires: the residents queueing at a gate scan the same code, verified once.
 */
import type { AppContext } from '../../context';
import { AppError } from '../../lib/errors';
import { verifyToken } from '../tokens/service';
import { TtlCache } from './gate-state';

/** Seconds of clock tolerance on a code's expiry, as verifyToken applies it. */
const TOLERANCE_S = 5;

export const SCREEN_CODE_EXPIRED = {
  zh: '二维码已更新，请重新扫描值守屏幕上的二维码',
  en: 'This code has changed: scan the code on the guard\'s screen again',
};

const caches = new WeakMap<AppContext, TtlCache<ScreenCode>>();

/** A verified screen code: its checkpoint, and when it was signed and expires (seconds since 1970). */
export interface ScreenCode { checkpointId: string; iat: number; exp: number }

function cacheOf(ctx: AppContext) {
  let c = caches.get(ctx);
  if (!c) {
    c = new TtlCache((ctx.config.CHECKPOINT_CODE_ROTATE_S + ctx.config.CHECKPOINT_CODE_GRACE_S + TOLERANCE_S) * 1000, 10_000);
    caches.set(ctx, c);
  }
  return c;
}

/** True when `token` is a signed code (a compact JWS has two dots; a poster token has none). */
export function isSignedCode(token: string): boolean {
  return token.includes('.');
}

/**
 * The checkpoint a screen code names, after checking its signature, type and age at `now`.
 * @throws AppError 410 'checkpoint_code_expired' when the code is older than its lifetime (ROTATE +
 *   GRACE seconds); 404 'checkpoint_unknown' for anything else that is not a valid checkpoint code
 *   (malformed, unknown key, bad signature, another kind of code).
 */
export async function screenCodeOf(ctx: AppContext, token: string, now = new Date()): Promise<ScreenCode> {
  const cache = cacheOf(ctx);
  const hit = cache.get(token);
  if (hit) {
    if (now.getTime() > (hit.exp + TOLERANCE_S) * 1000) throw new AppError(410, 'checkpoint_code_expired', SCREEN_CODE_EXPIRED);
    return hit;
  }
  try {
    const v = await verifyToken(ctx, token, 'checkpoint', now);
    const code = { checkpointId: v.sub, iat: v.iat, exp: v.exp };
    cache.set(token, code);
    return code;
  } catch (e) {
    if (e instanceof AppError && e.code === 'token_expired') throw new AppError(410, 'checkpoint_code_expired', SCREEN_CODE_EXPIRED);
    if (e instanceof AppError) {
      throw new AppError(404, 'checkpoint_unknown', { zh: '无效的卡点码，请扫描卡点现场的二维码', en: 'Unknown checkpoint code' });
    }
    throw e;
  }
}

/**
 * True when a screen code was signed before its checkpoint last switched mode (an earlier screen
 * period: refused like an expired code). Seconds: a code signed in the second of the switch counts.
 */
export function signedBeforeSwitch(code: ScreenCode, modeSince: Date): boolean {
  return code.iat < Math.floor(modeSince.getTime() / 1000);
}
