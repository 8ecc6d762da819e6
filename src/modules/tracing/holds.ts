/**
 * Retention holds made by traces (issue 4 §3): the check-ins and stays a trace used are kept from
 * the retention purge (src/modules/checkin/retention.ts) while the case is open. A hold names a
 * place and a time range (any person there then), or a person and a time range.
 */
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema';

type Db = Kysely<DB> | Transaction<DB>;

/**
 * Release every active hold of case `caseId` (the case was discharged, excluded or died: SPEC S4).
 * @returns how many holds were released.
 */
export async function releaseCaseHolds(db: Db, caseId: string, at: Date = new Date()): Promise<number> {
  const r = await db.updateTable('retention_holds').set({ released_at: at })
    .where('case_id', '=', caseId).where('released_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** What a trace used, for its holds: the subject, the window, the visits (ISO instants). */
export interface TraceHoldInput {
  caseId: string;
  traceId: string;
  subjectPersonId: string;
  window: { from: Date; to: Date };
  visits: Array<{ placeId: string; enteredAt: string; closedAt: string | null }>;
  marginMin: number;
  stayMaxHours: number;
  /** Stored as the holds' reason, e.g. '病例 410811-0001 追踪'. */
  reason: string;
  now?: Date;
}

/**
 * Place the retention holds of a trace (issue 4 §3: "the check-ins a trace used are held from
 * retention purge while the case is open"), in the caller's transaction:
 * - one place hold per visit over [entered_at − STAY_MAX_HOURS, end + margin], the range in which
 *   every stay that overlapped the visit began and every check-in at the place in that time falls
 *   (an open visit ends at `now`, but at most STAY_MAX_HOURS after entry);
 * - one person hold for the subject over the window (its own check-ins and stays).
 * The purge's `held` predicate (src/modules/checkin/retention.ts) matches check-ins by time and
 * stays by overlap with the hold's range. Released by releaseCaseHolds when the case closes.
 * @returns how many holds were placed.
 */
export async function placeTraceHolds(db: Db, t: TraceHoldInput): Promise<number> {
  const maxMs = t.stayMaxHours * 3600_000;
  const now = (t.now ?? new Date()).getTime();
  const rows: Array<{ place_id: string | null; person_id: string | null; from_at: Date; to_at: Date }> = t.visits.map((v) => {
    const entered = Date.parse(v.enteredAt);
    const end = v.closedAt ? Date.parse(v.closedAt) : Math.min(now, entered + maxMs);
    return { place_id: v.placeId, person_id: null, from_at: new Date(entered - maxMs), to_at: new Date(end + t.marginMin * 60_000) };
  });
  rows.push({ place_id: null, person_id: t.subjectPersonId, from_at: t.window.from, to_at: t.window.to });
  await db.insertInto('retention_holds').values(rows.map((r) => ({
    ...r, reason: t.reason.slice(0, 200), case_id: t.caseId, trace_id: t.traceId,
  }))).execute();
  return rows.length;
}
