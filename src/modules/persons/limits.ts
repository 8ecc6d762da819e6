/**
 * Route rate limits of the persons module (@fastify/rate-limit, registered with global:false in
 * app.ts). Staff limits count per account: the limiter runs as a preHandler after staffGuard, so
 * the signed-in account is known; resident limits count per client IP.
 */
import type { FastifyRequest } from 'fastify';
import { AppError } from '../../lib/errors';

/** Document look-ups (and staff registrations, which answer the same) per account per minute. */
export const LOOKUPS_PER_MIN = 30;
/** Re-binding code redemptions per staff account per minute (6-digit codes must not be guessable). */
export const REBINDS_PER_MIN = 10;
/** Re-binding codes a client may request per minute. */
export const REBIND_CODES_PER_MIN = 10;

const tooMany = (_req: FastifyRequest, ctx: { ttl: number }) => {
  const s = Math.max(1, Math.ceil(ctx.ttl / 1000));
  return new AppError(429, 'rate_limited', {
    zh: `操作过于频繁，请${s}秒后再试`,
    en: `Too many requests; please retry in ${s} s`,
  });
};

/** Route `config.rateLimit` allowing `max` requests a minute per staff account. */
export function perStaffAccount(max: number) {
  return {
    max, timeWindow: '1 minute', hook: 'preHandler' as const,
    keyGenerator: (req: FastifyRequest) => `staff:${req.staff?.id ?? req.ip}`,
    errorResponseBuilder: tooMany,
  };
}

/**
 * Counts per key in a window of `windowMs` from the key's first count, in memory (one server
 * process per database, docs/ARCHITECTURE.md). Keys whose window ended are dropped once more than
 * `maxKeys` are kept. `ttl`: ms until the key's window ends (0 without a count).
 */
export function windowCounts(windowMs: number, maxKeys = 10_000) {
  const windows = new Map<string, { start: number; count: number }>();
  const live = (key: string, now: number) => {
    const w = windows.get(key);
    return w && now - w.start < windowMs ? w : undefined;
  };
  return {
    get(key: string, now = Date.now()) {
      const w = live(key, now);
      return { count: w?.count ?? 0, ttl: w ? w.start + windowMs - now : 0 };
    },
    add(key: string, now = Date.now()) {
      let w = live(key, now);
      if (!w) {
        if (windows.size >= maxKeys) for (const [k, v] of windows) if (now - v.start >= windowMs) windows.delete(k);
        windows.set(key, (w = { start: now, count: 0 }));
      }
      w.count += 1;
      return { count: w.count, ttl: w.start + windowMs - now };
    },
  };
}

/**
 * A preHandler (after staffGuard) sharing one budget of `max` requests a minute per staff account
 * among every route it is put on. @fastify/rate-limit keeps a store per route, so two routes that
 * both answer "who has this document" would each allow `max` (SECURITY T5: 30 a minute in all).
 * @throws AppError 429 'rate_limited' with the seconds to wait.
 */
export function sharedPerStaffAccount(max: number) {
  const counts = windowCounts(60_000);
  return async (req: FastifyRequest) => {
    const w = counts.add(req.staff?.id ?? req.ip);
    if (w.count > max) throw tooMany(req, { ttl: w.ttl });
  };
}

/** Route `config.rateLimit` allowing `max` requests a minute per client IP. */
export function perClient(max: number) {
  return { max, timeWindow: '1 minute', errorResponseBuilder: tooMany };
}
