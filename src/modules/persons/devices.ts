/**
 * A phone's credential (issue 2 §6): an httpOnly cookie `yiqu_device=<deviceId>.<secret>` holding
 * no personal data. The secret is 32 random bytes (base64url); only its SHA-256 is stored in
 * devices.secret_hash. A device carries one 'self' person and dependents who check in together.
 *
 * `deviceFromRequest` runs on every scan, so valid cookies are cached in memory per AppContext
 * (bounded, with a TTL); every bind and unbind goes through this module and invalidates the entry.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely, Transaction } from 'kysely';
import type { AppContext } from '../../context';
import type { DB } from '../../db/schema';
import type { Actor } from '../audit/audit';
import { batchLoader } from '../../lib/batch-loader';

export const DEVICE_COOKIE = 'yiqu_device';
/** Cookie lifetime: 400 days, in seconds (the longest browsers keep a cookie). */
export const DEVICE_COOKIE_MAX_AGE_S = 400 * 86_400;
/** Entries kept in the per-context cache, and how long one is trusted without a re-read (ms). */
export const DEVICE_CACHE_MAX = 100_000;
export const DEVICE_CACHE_TTL_MS = 10 * 60_000;

export type DeviceRelation = 'self' | 'dependent';

export interface DeviceInfo {
  deviceId: string;
  /** 'self' first, then dependents in binding order. */
  persons: { id: string; relation: DeviceRelation }[];
}

interface Cache {
  byCookie: Map<string, { info: DeviceInfo; until: number }>;
  cookieOf: Map<string, string>; // deviceId → cookie value
}
const caches = new WeakMap<AppContext, Cache>();
const createdOn = new WeakMap<FastifyRequest, string>();

function cacheOf(ctx: AppContext): Cache {
  let c = caches.get(ctx);
  if (!c) caches.set(ctx, (c = { byCookie: new Map(), cookieOf: new Map() }));
  return c;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const COOKIE_RE = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.([A-Za-z0-9_-]{43})$/;

/** The audit actor of a resident acting from a device (the device id, never a person's data). */
export function deviceActor(deviceId: string): Actor {
  return { kind: 'resident', id: deviceId, role: 'resident', name: null };
}

/** Persons bound to a device, 'self' first then dependents by binding time. */
export async function devicePersons(db: Kysely<DB> | Transaction<DB>, deviceId: string): Promise<DeviceInfo['persons']> {
  const rows = await db.selectFrom('device_persons').select(['person_id', 'relation', 'bound_at'])
    .where('device_id', '=', deviceId).execute();
  rows.sort((a, b) => (a.relation === b.relation ? a.bound_at.getTime() - b.bound_at.getTime() : a.relation === 'self' ? -1 : 1));
  return rows.map((r) => ({ id: r.person_id, relation: r.relation }));
}

type DeviceRow = { secretHash: string; persons: DeviceInfo['persons'] };
const loaders = new WeakMap<AppContext, (id: string) => Promise<DeviceRow | undefined>>();

/** Devices and their persons by id, many concurrent scans sharing one query (src/lib/batch-loader.ts). */
function deviceLoaderOf(ctx: AppContext) {
  let l = loaders.get(ctx);
  if (!l) {
    l = batchLoader(async (ids: string[]) => {
      const rows = await ctx.db.selectFrom('devices as d')
        .leftJoin('device_persons as dp', 'dp.device_id', 'd.id')
        .select(['d.id', 'd.secret_hash', 'dp.person_id', 'dp.relation', 'dp.bound_at'])
        .where('d.id', 'in', ids).execute();
      const out = new Map<string, DeviceRow & { bound: Date[] }>();
      for (const r of rows) {
        let e = out.get(r.id);
        if (!e) out.set(r.id, (e = { secretHash: r.secret_hash, persons: [], bound: [] }));
        if (r.person_id && r.relation) {
          e.persons.push({ id: r.person_id, relation: r.relation });
          e.bound.push(r.bound_at!);
        }
      }
      for (const e of out.values()) {
        const order = e.persons.map((p, i) => ({ p, t: e.bound[i]!.getTime() }))
          .sort((x, y) => (x.p.relation === y.p.relation ? x.t - y.t : x.p.relation === 'self' ? -1 : 1));
        e.persons = order.map((o) => o.p);
      }
      return out;
    });
    loaders.set(ctx, l);
  }
  return l;
}

/** Whether the request carries a device cookie of the right form (not yet checked against the database). */
export function hasDeviceCookie(req: FastifyRequest): boolean {
  return COOKIE_RE.test(req.cookies?.[DEVICE_COOKIE] ?? '');
}

/**
 * The device of a request and its persons, or null when there is no cookie, it is malformed, or
 * its secret does not match. A device created earlier in the same request (ensureDevice) counts.
 */
export async function deviceFromRequest(ctx: AppContext, req: FastifyRequest): Promise<DeviceInfo | null> {
  const created = createdOn.get(req);
  if (created) return { deviceId: created, persons: await devicePersons(ctx.db, created) };
  const value = req.cookies?.[DEVICE_COOKIE];
  if (!value) return null;
  const cache = cacheOf(ctx);
  const hit = cache.byCookie.get(value);
  if (hit && hit.until > Date.now()) return hit.info;
  const m = COOKIE_RE.exec(value);
  if (!m) return null;
  const [, deviceId, secret] = m as unknown as [string, string, string];
  const row = await deviceLoaderOf(ctx)(deviceId);
  if (!row) return null;
  const a = Buffer.from(sha256(secret), 'hex');
  const b = Buffer.from(row.secretHash, 'hex');
  if (a.length !== b.length || !timingSafeEqual(a, b)) return null;
  const info: DeviceInfo = { deviceId, persons: row.persons };
  if (cache.byCookie.size >= DEVICE_CACHE_MAX) {
    const oldest = cache.byCookie.keys().next().value as string;
    const old = cache.byCookie.get(oldest);
    cache.byCookie.delete(oldest);
    if (old) cache.cookieOf.delete(old.info.deviceId);
  }
  cache.byCookie.delete(value); // re-insert at the end: the Map's order is the eviction order
  cache.byCookie.set(value, { info, until: Date.now() + DEVICE_CACHE_TTL_MS });
  cache.cookieOf.set(deviceId, value);
  return info;
}

/** Forget the cached persons of `deviceId` (call after the binding change is committed). */
export function invalidateDevice(ctx: AppContext, deviceId: string): void {
  const cache = cacheOf(ctx);
  const value = cache.cookieOf.get(deviceId);
  if (value) cache.byCookie.delete(value);
  cache.cookieOf.delete(deviceId);
}

/**
 * Create a device row (in the caller's transaction, so a refused request leaves none).
 * @returns its id and the cookie value `<id>.<secret>` to hand to setDeviceCookie after the commit.
 */
export async function createDevice(db: Kysely<DB> | Transaction<DB>): Promise<{ deviceId: string; cookieValue: string }> {
  const secret = randomBytes(32).toString('base64url');
  const row = await db.insertInto('devices').values({ secret_hash: sha256(secret) }).returning('id').executeTakeFirstOrThrow();
  return { deviceId: row.id, cookieValue: `${row.id}.${secret}` };
}

/**
 * Set the device cookie on a reply: httpOnly, SameSite=Lax, path '/', Max-Age 400 days, Secure when
 * PUBLIC_URL is https. Later deviceFromRequest calls on the same request see the new device.
 */
export function setDeviceCookie(ctx: AppContext, req: FastifyRequest, reply: FastifyReply, cookieValue: string) {
  reply.setCookie(DEVICE_COOKIE, cookieValue, {
    httpOnly: true, sameSite: 'lax', path: '/', maxAge: DEVICE_COOKIE_MAX_AGE_S,
    secure: ctx.config.PUBLIC_URL.startsWith('https://'),
  });
  createdOn.set(req, cookieValue.split('.')[0]!);
}

/** The request's device id; when the cookie is missing or invalid, creates a device and sets the cookie. */
export async function ensureDevice(ctx: AppContext, req: FastifyRequest, reply: FastifyReply): Promise<string> {
  const known = await deviceFromRequest(ctx, req);
  if (known) return known.deviceId;
  const d = await createDevice(ctx.db);
  setDeviceCookie(ctx, req, reply, d.cookieValue);
  return d.deviceId;
}

/**
 * Bind `personId` to `deviceId` with `relation` inside the caller's transaction (idempotent: an
 * existing binding is kept). Call invalidateDevice(ctx, deviceId) after the commit.
 */
export async function bindPerson(trx: Transaction<DB>, deviceId: string, personId: string, relation: DeviceRelation) {
  await trx.insertInto('device_persons').values({ device_id: deviceId, person_id: personId, relation })
    .onConflict((oc) => oc.columns(['device_id', 'person_id']).doNothing()).execute();
}

/** Remove a binding inside the caller's transaction; true when one was removed. */
export async function unbindPerson(trx: Transaction<DB>, deviceId: string, personId: string): Promise<boolean> {
  const r = await trx.deleteFrom('device_persons').where('device_id', '=', deviceId).where('person_id', '=', personId)
    .executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}
