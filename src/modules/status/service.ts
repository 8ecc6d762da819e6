/**
 * The person status register (issue 2 §7, SPEC S1/S3, LESSONS "status colours changed without a
 * reason or a trace"): one current status per person and an append-only history where every
 * change records the role, the reason and the time. `setStatus` / `setStatuses` (writeStatuses) is the ONE place statuses change;
 * the gate reads `getStatuses` and refuses every status in BARRING_STATUSES.
 */
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import { badRequest, notFound, type Bilingual } from '../../lib/errors';
import { audit } from '../audit/audit';
import { ROLE_LABELS, isRole } from '../staff/roles';
import { PERSON_STATUSES, type PersonStatus } from './codes';

export { PERSON_STATUSES, STATUS_COLOURS, statusColour, type PersonStatus, type StatusColour } from './codes';

/** Display labels (zh-CN first, English second). */
export const STATUS_LABELS: Readonly<Record<PersonStatus, Bilingual>> = {
  normal: { zh: '正常', en: 'Normal' },
  fever_pending: { zh: '发热待复测', en: 'Fever, awaiting re-measurement' },
  medical_observation: { zh: '医学观察', en: 'Under medical observation' },
  home_isolation: { zh: '居家隔离', en: 'Home isolation' },
  centralized_isolation: { zh: '集中隔离', en: 'Centralized isolation' },
  case: { zh: '病例', en: 'Case' },
};


/**
 * Statuses refused at every gate, with the status label as the reason (issue 2 §7): all but
 * 'normal'. 'fever_pending' bars until a guard's re-measurement clears it (issue 2 §9).
 */
export const BARRING_STATUSES: readonly PersonStatus[] = PERSON_STATUSES.filter((s) => s !== 'normal');
const BARRING = new Set<string>(BARRING_STATUSES);

/** True when `status` is refused at every gate. */
export function isBarring(status: string): boolean {
  return BARRING.has(status);
}

export function isPersonStatus(v: unknown): v is PersonStatus {
  return typeof v === 'string' && (PERSON_STATUSES as readonly string[]).includes(v);
}

/** Longest reason accepted, characters. */
export const STATUS_REASON_MAX = 500;

export interface CurrentStatus {
  status: PersonStatus;
  reason: string;
  /** When the current status was set; `new Date(0)` for a person never given a status (normal). */
  since: Date;
}

export interface StatusActor {
  kind: 'staff' | 'system';
  id: string | null;
  /** A staff role (src/modules/staff/roles.ts) or 'system'. */
  role: string;
}

export interface StatusChange {
  personId: string;
  status: PersonStatus;
  previous: PersonStatus;
  reason: string;
  actor: StatusActor;
  at: Date;
  /** False when the change was written in the caller's transaction and is noticed before that commits. */
  committed: boolean;
}

type Db = Kysely<DB> | Transaction<DB>;

/** A change as written, before it is known whether its transaction has committed. */
type Written = Omit<StatusChange, 'committed'>;

/**
 * Current status of each person in `personIds`. Every requested id is in the map; a person with
 * no register row is `{status: 'normal', reason: '', since: new Date(0)}`.
 */
export async function getStatuses(db: Db, personIds: readonly string[]): Promise<Map<string, CurrentStatus>> {
  const out = new Map<string, CurrentStatus>();
  const ids = [...new Set(personIds)];
  for (const id of ids) out.set(id, { status: 'normal', reason: '', since: new Date(0) });
  if (ids.length === 0) return out;
  const rows = await db.selectFrom('person_status').select(['person_id', 'status', 'reason', 'since'])
    .where('person_id', 'in', ids).execute();
  for (const r of rows) {
    out.set(r.person_id, { status: isPersonStatus(r.status) ? r.status : 'normal', reason: r.reason, since: r.since });
  }
  return out;
}

const listeners = new Set<(change: StatusChange) => void>();

/**
 * Subscribe to status changes made by setStatus in this process (the gate's caches listen).
 * Listeners run after the change is committed when setStatus opened the transaction itself, and
 * right after the writes when the caller passed its own transaction (so a cache should store the
 * `status` it receives rather than re-read). A listener that throws is ignored.
 * @returns a function that unsubscribes.
 */
export function onStatusChanged(listener: (change: StatusChange) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function notify(change: StatusChange) {
  for (const l of listeners) {
    try {
      l(change);
    } catch {
      /* a listener's failure must not undo a recorded change */
    }
  }
}

/** Check a status and its reason. @throws AppError 400 invalid_status, reason_required. */
function checkChange(status: string, reason: string): string {
  if (!isPersonStatus(status)) throw badRequest('invalid_status', '未知的人员状态', 'Unknown person status');
  const why = String(reason ?? '').trim();
  // a reason of only invisible characters (zero-width space, direction marks) is no reason
  if (why.replace(/[\p{Cf}\p{Z}\s]/gu, '') === '' || why.length > STATUS_REASON_MAX) {
    throw badRequest('reason_required', `请填写变更原因（不超过${STATUS_REASON_MAX}字）`,
      `Please give a reason for the change (at most ${STATUS_REASON_MAX} characters)`);
  }
  return why;
}

/**
 * Write status changes of distinct persons in `trx`: lock the persons (serialises concurrent
 * changes, so `previous` is the real one), upsert person_status, append person_status_history and
 * 'status.set' audit rows, a statement each for the whole set. @throws 404 when a person is missing.
 */
async function writeStatuses(trx: Transaction<DB>, changes: ReadonlyArray<{ personId: string; status: PersonStatus; reason: string }>,
  actor: StatusActor): Promise<Written[]> {
  const ids = changes.map((c) => c.personId);
  const persons = await trx.selectFrom('persons').select(['id', 'home_community_code']).where('id', 'in', ids).orderBy('id').forUpdate().execute();
  if (persons.length !== new Set(ids).size) throw notFound('未找到该人员', 'Person not found');
  const home = new Map(persons.map((p) => [p.id, p.home_community_code]));
  const cur = await trx.selectFrom('person_status').select(['person_id', 'status']).where('person_id', 'in', ids).execute();
  const before = new Map(cur.map((c) => [c.person_id, isPersonStatus(c.status) ? c.status : 'normal' as PersonStatus]));
  const at = new Date();
  const out: Written[] = changes.map((c) => ({ personId: c.personId, status: c.status, previous: before.get(c.personId) ?? 'normal', reason: c.reason, actor, at }));
  await trx.insertInto('person_status').values(out.map((c) => ({ person_id: c.personId, status: c.status, reason: c.reason, since: at })))
    .onConflict((oc) => oc.column('person_id').doUpdateSet((eb) => ({ status: eb.ref('excluded.status'), reason: eb.ref('excluded.reason'), since: eb.ref('excluded.since') })))
    .execute();
  await trx.insertInto('person_status_history').values(out.map((c) => ({
    person_id: c.personId, status: c.status, previous: c.previous, reason: c.reason, actor_kind: actor.kind, actor_id: actor.id, actor_role: actor.role, at,
  }))).execute();
  const entries = out.map((c) => ({ action: 'status.set', personId: c.personId, areaCode: home.get(c.personId) ?? null,
    detail: { status: c.status, previous: c.previous, reason: c.reason } }));
  for (let i = 0; i < entries.length; i += 1000) {
    await audit(trx, { kind: actor.kind, id: actor.id, role: actor.role, name: null }, ...entries.slice(i, i + 1000));
  }
  return out;
}

/**
 * Set a person's status: upserts person_status, appends person_status_history (previous status,
 * role, reason, time) and an audit row 'status.set', in one transaction (the caller's when `db`
 * is a Transaction). Setting the same status again is recorded too (a new reason is a new fact).
 * @throws AppError 400 'invalid_status' for an unknown status, 400 'reason_required' for an empty
 *   or over-long reason (> STATUS_REASON_MAX), 404 when the person does not exist.
 */
export async function setStatus(db: Db, personId: string, status: PersonStatus | string, reason: string,
  actor: StatusActor): Promise<void> {
  await setStatuses(db, [{ personId, status, reason }], actor);
}

/**
 * setStatus for many persons at once (a rule change over thousands of arrivals), in a few
 * statements; each person at most once. Same checks, rows and events as setStatus.
 * @throws AppError as setStatus; 400 duplicate_person when a person appears twice.
 */
export async function setStatuses(db: Db, changes: ReadonlyArray<{ personId: string; status: PersonStatus | string; reason: string }>,
  actor: StatusActor): Promise<void> {
  if (changes.length === 0) return;
  const checked = changes.map((c) => ({ personId: c.personId, status: c.status as PersonStatus, reason: checkChange(c.status, c.reason) }));
  if (new Set(checked.map((c) => c.personId)).size !== checked.length) throw badRequest('duplicate_person', '同一人员出现多次', 'A person appears twice');
  const run = async (trx: Transaction<DB>) => {
    const out: Written[] = [];
    // a statement carries at most 65,535 parameters: 5,000 persons a round
    for (let i = 0; i < checked.length; i += 5000) out.push(...await writeStatuses(trx, checked.slice(i, i + 5000), actor));
    return out;
  };
  const own = !db.isTransaction;
  const written = own ? await (db as Kysely<DB>).transaction().execute(run) : await run(db as Transaction<DB>);
  for (const c of written) notify({ ...c, committed: own });
}

/** Label of a role (or 'system') for residents' pages, in `lang`. */
export function roleLabel(role: string | null, lang: 'zh' | 'en' = 'zh'): string {
  if (role && isRole(role)) return ROLE_LABELS[role][lang];
  if (role === 'resident') return lang === 'zh' ? '本人' : 'Yourself';
  return lang === 'zh' ? '系统' : 'System';
}

export interface StatusHistoryEntry {
  status: PersonStatus;
  label: string;
  previous: PersonStatus | null;
  reason: string;
  role: string;
  roleLabel: string;
  at: Date;
}

/** A person's status history, newest first (at most `limit` entries), labelled in `lang`. */
export async function statusHistory(db: Db, personId: string, lang: 'zh' | 'en' = 'zh', limit = 100): Promise<StatusHistoryEntry[]> {
  const rows = await db.selectFrom('person_status_history').select(['status', 'previous', 'reason', 'actor_role', 'at'])
    .where('person_id', '=', personId).orderBy('at', 'desc').orderBy('id', 'desc').limit(limit).execute();
  return rows.map((r) => {
    const status = isPersonStatus(r.status) ? r.status : 'normal';
    return {
      status, label: STATUS_LABELS[status][lang], previous: isPersonStatus(r.previous) ? r.previous : null,
      reason: r.reason, role: r.actor_role, roleLabel: roleLabel(r.actor_role, lang), at: r.at,
    };
  });
}

/** `{code, label, reason, since}` of a current status, labelled in `lang` (since null when never set). */
export function statusView(s: CurrentStatus, lang: 'zh' | 'en' = 'zh') {
  return { code: s.status, label: STATUS_LABELS[s.status][lang], reason: s.reason, since: s.since.getTime() === 0 ? null : s.since };
}
