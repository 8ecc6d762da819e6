/**
 * The gate's view of persons: masked name and current status, read in batches and cached for
 * STATUS_CACHE_MS, so a scan usually reads no database. Every change made through the status
 * register (status/service.ts setStatus) drops the person's entry at once, and a read that may be
 * older than a change is used for its scans but never cached (docs/processes/checkin.md).
 */
import type { AppContext } from '../../context';
import { badRequest } from '../../lib/errors';
import { batchLoader } from '../../lib/batch-loader';
import { maskName } from '../../lib/mask';
import { onStatusChanged } from '../status/service';
import { TtlCache } from './gate-state';

/** How long a person's status is trusted without a re-read, ms; every change through setStatus drops it at once. */
export const STATUS_CACHE_MS = 60_000;

/**
 * How long after a status change's notice a read of that person is used but not cached, ms. A
 * change written in a caller's transaction (a case, a key person, a contact) is noticed before that
 * transaction commits, and a read in between still sees the old status.
 */
export const STATUS_SETTLE_MS = 10_000;

export interface GatePerson {
  maskedName: string;
  status: string;
  reason: string;
}

export interface PersonReads {
  cache: TtlCache<GatePerson>;
  /** One batched query for many persons (replaceable in tests). */
  load: (id: string) => Promise<GatePerson | undefined>;
  /** Reads on their way, by person id: a prefetch and its scan share one. */
  reading: Map<string, Promise<GatePerson | undefined>>;
  /** Status changes noticed so far: a read that one overtook is not cached. */
  changes: number;
  /** When each person's last change was noticed (ms since epoch), in notice order, kept STATUS_SETTLE_MS. */
  changedAt: Map<string, number>;
}

/** Masked names and statuses of persons, one query for many (batched across concurrent scans). */
async function fetchGatePersons(ctx: AppContext, ids: string[]): Promise<Map<string, GatePerson>> {
  const rows = await ctx.db.selectFrom('persons as p')
    .leftJoin('person_status as s', 's.person_id', 'p.id')
    .select(['p.id', 'p.name', 's.status', 's.reason'])
    .where('p.id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, { maskedName: maskName(r.name), status: r.status ?? 'normal', reason: r.reason ?? '' }]));
}

/** The person reads of one running app, listening to the status register's changes. */
export function createPersonReads(ctx: AppContext): PersonReads {
  const r: PersonReads = {
    cache: new TtlCache(STATUS_CACHE_MS),
    load: batchLoader((ids: string[]) => fetchGatePersons(ctx, ids)),
    reading: new Map(),
    changes: 0,
    changedAt: new Map(),
  };
  onStatusChanged((c) => forget(r, c.personId));
  return r;
}

/**
 * A person's status changed (or is about to commit): drop the cached entry and the read on its way,
 * so that every scan from now on reads anew, and remember when (older notices are forgotten).
 */
export function forget(r: PersonReads, personId: string, now = Date.now()) {
  r.changes += 1;
  r.cache.delete(personId);
  r.reading.delete(personId);
  r.changedAt.delete(personId);
  r.changedAt.set(personId, now);
  for (const [id, at] of r.changedAt) {
    if (at > now - STATUS_SETTLE_MS) break;
    r.changedAt.delete(id);
  }
}

/**
 * A person's masked name and status: from the cache, from the read already on its way, or from a
 * new read. The answer serves the scans that asked for it before any later change, and is not
 * cached when it may be older than a change: one was noticed while the read was on its way (it
 * dropped the entry before the older answer arrived), or less than STATUS_SETTLE_MS before the read
 * began (its transaction may not have committed yet). Otherwise every gate would trust a
 * superseded status for STATUS_CACHE_MS.
 * @returns undefined for an unknown person.
 */
export function readPerson(r: PersonReads, id: string): Promise<GatePerson | undefined> {
  const hit = r.cache.get(id);
  if (hit) return Promise.resolve(hit);
  let read = r.reading.get(id);
  if (!read) {
    const changes = r.changes;
    const settled = (r.changedAt.get(id) ?? 0) <= Date.now() - STATUS_SETTLE_MS;
    read = r.load(id).then((p) => {
      if (p && settled && r.changes === changes) r.cache.set(id, p);
      return p;
    }).finally(() => { if (r.reading.get(id) === read) r.reading.delete(id); });
    r.reading.set(id, read);
  }
  return read;
}

/**
 * Start reading `ids` now, for a scan that will ask for them shortly; a failed read is that scan's
 * to report. A scan waiting behind an earlier scan of the same person still sees that scan's
 * status change: the change forgets this read (see `forget`).
 */
export function prefetch(r: PersonReads, ids: readonly string[]): void {
  for (const id of ids) readPerson(r, id).catch(() => undefined);
}

/** The persons of a scan, in order. @throws AppError 400 person_unknown. */
export async function gatePersons(r: PersonReads, ids: string[]): Promise<GatePerson[]> {
  return Promise.all(ids.map(async (id) => {
    const p = await readPerson(r, id);
    if (!p) throw badRequest('person_unknown', '人员不存在', 'Unknown person');
    return p;
  }));
}
