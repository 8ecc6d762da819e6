/**
 * The gate's view of persons: masked name and current status, read in batches and cached for
 * STATUS_CACHE_MS, so a scan usually reads no database. Every change made through the status
 * register (status/service.ts setStatus) drops the person's entry at once, and a read that may be
 * older than a change is used only by the scan that made it, never shared or cached
 * (docs/processes/checkin.md).
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
 * Most status changes the gate keeps expecting at once (noticed before their transaction commits,
 * not yet seen in a read); beyond it the oldest expectation is dropped.
 */
export const STATUS_PENDING_MAX = 100_000;

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
  /** Status changes noticed so far: a read begun before one is not cached. */
  changes: number;
  /**
   * Changes noticed before their transaction committed (a case, a key person, a contact, a fever
   * refusal) and not yet seen in a read, by person: the status and reason expected, oldest first.
   */
  pending: Map<string, { status: string; reason: string }>;
  /** Stop listening to the status register (the app is closing). */
  stop: () => void;
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
    pending: new Map(),
    stop: () => undefined,
  };
  r.stop = onStatusChanged((c) => forget(r, c.personId, c.committed ? undefined : { status: c.status, reason: c.reason }));
  return r;
}

/**
 * A person's status changed, or will once the caller's transaction commits (`expect`): drop the
 * cached entry and the read on its way, so that every scan from now on reads anew, and expect the
 * new status and reason until a read shows them. A committed change expects nothing.
 */
export function forget(r: PersonReads, personId: string, expect?: { status: string; reason: string }) {
  r.changes += 1;
  r.cache.delete(personId);
  r.reading.delete(personId);
  r.pending.delete(personId);
  if (!expect) return;
  r.pending.set(personId, expect);
  if (r.pending.size > STATUS_PENDING_MAX) r.pending.delete(r.pending.keys().next().value as string);
}

/**
 * A person's masked name and status: from the cache, from the read already on its way, or from a
 * new read. A read is cached only when it cannot be older than a change: none was noticed while it
 * was on its way, and it shows the status and reason of a change noticed before its transaction
 * committed (until it does, that transaction has not committed, or was rolled back, and such reads
 * are not shared either: each scan reads for itself). Otherwise every gate would trust a
 * superseded status for STATUS_CACHE_MS.
 * @returns undefined for an unknown person.
 */
export function readPerson(r: PersonReads, id: string): Promise<GatePerson | undefined> {
  const hit = r.cache.get(id);
  if (hit) return Promise.resolve(hit);
  const awaited = r.pending.get(id);
  const onItsWay = awaited ? undefined : r.reading.get(id);
  if (onItsWay) return onItsWay;
  const changes = r.changes;
  const read: Promise<GatePerson | undefined> = r.load(id).then((p) => {
    if (p && r.changes === changes && (!awaited || (p.status === awaited.status && p.reason === awaited.reason))) {
      if (awaited) r.pending.delete(id); // the change has committed
      r.cache.set(id, p);
    }
    return p;
  }).finally(() => { if (r.reading.get(id) === read) r.reading.delete(id); });
  if (!awaited) r.reading.set(id, read);
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
