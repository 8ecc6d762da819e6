/**
 * Traces as records (issue 4 §3): run one for a case or a contact (compute, store the result with
 * the case, hold what it used from the retention purge, audit who traced whom and why), list a
 * case's traces, read one, export one.
 *
 * Who: 'tracing.run' (district and city command offices). Which: the trace's case must lie in the
 * account's area subtree (cases.community_code); anything else answers 404 so its existence is not
 * revealed. Every run, read, list and export writes an audit row in the case's area.
 */
import type { AppContext } from '../../context';
import { badRequest, notFound } from '../../lib/errors';
import { writeCsv } from '../../lib/spreadsheet';
import { chinaDate, chinaDateTime } from '../../lib/time';
import { maskName } from '../../lib/mask';
import { audit } from '../audit/audit';
import { staffActor, type StaffUser } from '../staff/auth';
import { inScope } from '../staff/roles';
import { placeTraceHolds } from './holds';
import { computeTrace, type TraceCandidate, type TraceResult } from './service';
import { caseWindow, contactWindow, resolveWindow } from './window';

/** Longest reason for a trace, characters (traces.reason). */
export const REASON_MAX = 500;

export type TraceSubject = { caseId: string } | { contactId: string };
export interface TraceRequest { reason: string; from?: string | null; to?: string | null; marginMin?: number | null }

export interface TraceSummary {
  id: string; caseId: string; caseNumber: string;
  subject: { personId: string; maskedName: string; contactId: string | null };
  from: string; to: string; marginMin: number; reason: string;
  counts: { visits: number; checkins: number; candidates: number; listed: number; truncated: boolean };
  createdAt: string; createdBy: string;
}
export interface TraceView extends TraceSummary { result: TraceResult }

const unknownCase = () => notFound('未找到该病例', 'Case not found');
const unknownContact = () => notFound('未找到该密切接触者', 'Contact not found');
const unknownTrace = () => notFound('未找到该追踪记录', 'Trace not found');

/** The case row, if it lies in the account's scope. */
async function caseInScope(ctx: AppContext, staff: StaffUser, caseId: string) {
  const c = await ctx.db.selectFrom('cases').select(['id', 'number', 'person_id', 'community_code', 'status', 'onset_on', 'isolated_on', 'created_at'])
    .where('id', '=', caseId).executeTakeFirst();
  return c && inScope(staff.areaCode, c.community_code) ? c : undefined;
}

function checkReason(reason: string): string {
  const why = String(reason ?? '').trim();
  if (!why || [...why].length > REASON_MAX) {
    throw badRequest('reason_required', `请填写追踪原因（不超过${REASON_MAX}字）`, `Give the reason for this trace (at most ${REASON_MAX} characters)`);
  }
  return why;
}

function checkMargin(m: number | null | undefined, def: number): number {
  if (m === null || m === undefined) return def;
  if (!Number.isInteger(m) || m < 0 || m > 1440) {
    throw badRequest('invalid_margin', '时间余量必须是 0 到 1440 之间的整数（分钟）', 'marginMin must be a whole number of minutes from 0 to 1440');
  }
  return m;
}

/**
 * Run a trace of a case's person or of a contact (contacts of contacts; the contact's case is the
 * trace's case). Window: ./window.ts defaults, overridable; margin TRACE_MARGIN_MIN by default. In
 * one transaction: the traces row (result as computed), the retention holds (./holds.ts; none when
 * the case is already closed, as they would never be released) and the audit row 'trace.run'
 * (subject person, reason, window, counts).
 * @throws AppError 404 unknown or out of scope; 400 reason_required, invalid_margin, invalid_time,
 *   invalid_window, window_too_long.
 */
export async function runTrace(ctx: AppContext, staff: StaffUser, subject: TraceSubject, req: TraceRequest, now = new Date()): Promise<TraceView> {
  let personId: string;
  let contactId: string | null = null;
  let c: Awaited<ReturnType<typeof caseInScope>>;
  let defaults: { from: Date; to: Date };
  if ('caseId' in subject) {
    c = await caseInScope(ctx, staff, subject.caseId);
    if (!c) throw unknownCase();
    personId = c.person_id;
    defaults = caseWindow({ onsetOn: c.onset_on, isolatedOn: c.isolated_on, createdAt: c.created_at }, ctx.config.TRACE_LOOKBACK_DAYS, now);
  } else {
    const k = await ctx.db.selectFrom('contacts').select(['id', 'person_id', 'case_id', 'last_exposure_on']).where('id', '=', subject.contactId).executeTakeFirst();
    c = k ? await caseInScope(ctx, staff, k.case_id) : undefined;
    if (!k || !c) throw unknownContact();
    personId = k.person_id;
    contactId = k.id;
    defaults = contactWindow({ lastExposureOn: k.last_exposure_on }, now);
  }
  const theCase = c;
  const reason = checkReason(req.reason);
  const marginMin = checkMargin(req.marginMin, ctx.config.TRACE_MARGIN_MIN);
  const window = resolveWindow(defaults, { from: req.from, to: req.to });
  const result = await computeTrace(ctx, { personId, from: window.from, to: window.to, marginMin, caseId: theCase.id, now });
  const id = await ctx.db.transaction().execute(async (trx) => {
    const row = await trx.insertInto('traces').values({
      case_id: theCase.id, subject_person_id: personId, subject_contact_id: contactId, window_from: window.from, window_to: window.to,
      margin_min: marginMin, reason, result: JSON.stringify(result), created_by: staff.id,
    }).returning('id').executeTakeFirstOrThrow();
    // holds last while the case is open (releaseCaseHolds at its closure): a closed case's trace holds nothing
    const open = theCase.status === 'suspected' || theCase.status === 'confirmed';
    const holds = !open ? 0 : await placeTraceHolds(trx, {
      caseId: theCase.id, traceId: row.id, subjectPersonId: personId, window, visits: result.visits, marginMin,
      stayMaxHours: ctx.config.STAY_MAX_HOURS, reason: `病例 ${theCase.number} 追踪`, now,
    });
    await audit(trx, staffActor(staff), { action: 'trace.run', personId, areaCode: theCase.community_code, detail: {
      traceId: row.id, caseId: theCase.id, contactId, reason, from: window.from.toISOString(), to: window.to.toISOString(), marginMin,
      visits: result.totals.visits, candidates: result.totals.candidates, holds,
    } });
    return row.id;
  });
  const { areaCode: _a, ...view } = (await traceRows(ctx, { traceId: id }))[0]!;
  return view;
}

type StoredTrace = TraceView & { areaCode: string };

async function traceRows(ctx: AppContext, where: { traceId?: string; caseId?: string }): Promise<StoredTrace[]> {
  let q = ctx.db.selectFrom('traces as t').innerJoin('cases as c', 'c.id', 't.case_id').innerJoin('persons as p', 'p.id', 't.subject_person_id')
    .innerJoin('staff as s', 's.id', 't.created_by')
    .select(['t.id', 't.case_id', 'c.number', 'c.community_code', 't.subject_person_id', 't.subject_contact_id', 'p.name', 't.window_from',
      't.window_to', 't.margin_min', 't.reason', 't.result', 't.created_at', 's.display_name']);
  if (where.traceId) q = q.where('t.id', '=', where.traceId);
  if (where.caseId) q = q.where('t.case_id', '=', where.caseId);
  const rows = await q.orderBy('t.created_at', 'desc').orderBy('t.id').execute();
  return rows.map((r): StoredTrace => {
    const result = normalise(r.result);
    return {
      id: r.id, caseId: r.case_id, caseNumber: r.number,
      subject: { personId: r.subject_person_id, maskedName: maskName(r.name), contactId: r.subject_contact_id },
      from: r.window_from.toISOString(), to: r.window_to.toISOString(), marginMin: r.margin_min, reason: r.reason,
      counts: result.totals, createdAt: r.created_at.toISOString(), createdBy: r.display_name, result,
      areaCode: r.community_code,
    };
  });
}

/** A stored result read back, tolerant of older or partial shapes (missing lists are empty). */
function normalise(raw: unknown): TraceResult {
  const r = (typeof raw === 'string' ? JSON.parse(raw) : raw ?? {}) as Partial<TraceResult>;
  const visits = r.visits ?? [];
  const checkins = r.checkins ?? [];
  const candidates = r.candidates ?? [];
  return {
    parameters: r.parameters ?? { personId: '', from: '', to: '', marginMin: 0, limit: 0, stayMaxHours: 0, computedAt: '' },
    visits, checkins, candidates,
    totals: r.totals ?? { visits: visits.length, checkins: checkins.length, candidates: candidates.length, listed: candidates.length, truncated: false },
    ...(r.purgedAt ? { purgedAt: r.purgedAt } : {}),
  };
}

/**
 * The traces of a case, newest first, without their results. Audits 'trace.list' (it names the
 * subjects). @throws AppError 404 unknown or out of scope.
 */
export async function listTraces(ctx: AppContext, staff: StaffUser, caseId: string): Promise<TraceSummary[]> {
  const c = await caseInScope(ctx, staff, caseId);
  if (!c) throw unknownCase();
  const rows = await traceRows(ctx, { caseId });
  await audit(ctx.db, staffActor(staff), { action: 'trace.list', personId: c.person_id, areaCode: c.community_code, detail: { caseId, traces: rows.length } });
  return rows.map(({ result: _r, areaCode: _a, ...s }) => s);
}

/**
 * A trace the caller may see (its case in scope), or 404. The stored result is as computed, except
 * `alreadyContact`, read now: people turned into contacts since the trace ran show as such.
 */
export async function traceFor(ctx: AppContext, staff: StaffUser, traceId: string): Promise<StoredTrace> {
  const t = (await traceRows(ctx, { traceId }))[0];
  if (!t || !inScope(staff.areaCode, t.areaCode)) throw unknownTrace();
  const ids = t.result.candidates.map((c) => c.personId);
  const contacts = ids.length === 0 ? [] : await ctx.db.selectFrom('contacts').select('person_id')
    .where('case_id', '=', t.caseId).where('person_id', 'in', ids).execute();
  const known = new Set(contacts.map((c) => c.person_id));
  t.result.candidates = t.result.candidates.map((c) => ({ ...c, alreadyContact: known.has(c.personId) }));
  return t;
}

/**
 * One stored trace with its result (masked names). Audits 'trace.read' (it lists persons).
 * @throws AppError 404 unknown or out of scope.
 */
export async function getTrace(ctx: AppContext, staff: StaffUser, traceId: string): Promise<TraceView> {
  const { areaCode, ...t } = await traceFor(ctx, staff, traceId);
  await audit(ctx.db, staffActor(staff), { action: 'trace.read', personId: t.subject.personId, areaCode,
    detail: { traceId, caseId: t.caseId, candidates: t.result.candidates.length } });
  return t;
}

export const EXPORT_HEADERS = ['排名', '姓名', '居住社区编码', '重叠时长(分钟)', '共同到访次数', '首次重叠时间', '最后重叠时间', '最后接触日期', '场所', '是否已登记密接'];

/** One CSV row of a candidate (EXPORT_HEADERS order; China time). */
function csvRow(c: TraceCandidate): unknown[] {
  return [c.rank, c.maskedName, c.homeCommunityCode ?? '', c.overlapMinutes, c.sharedVisits, chinaDateTime(new Date(c.firstOverlapAt)),
    chinaDateTime(new Date(c.lastOverlapAt)), c.lastExposureOn, c.places.join('、'), c.alreadyContact ? '是' : '否'];
}

/**
 * The candidates of a trace as CSV (UTF-8 with BOM, formula-safe through writeCsv), one line per
 * candidate in rank order after the header. Audits 'trace.export'.
 * @throws AppError 404 unknown or out of scope.
 */
export async function exportTrace(ctx: AppContext, staff: StaffUser, traceId: string): Promise<{ csv: Buffer; filename: string }> {
  const { areaCode, ...t } = await traceFor(ctx, staff, traceId);
  const csv = writeCsv(EXPORT_HEADERS, t.result.candidates.map(csvRow));
  await audit(ctx.db, staffActor(staff), { action: 'trace.export', personId: t.subject.personId, areaCode,
    detail: { traceId, caseId: t.caseId, format: 'csv', rows: t.result.candidates.length } });
  return { csv, filename: `trace-${t.caseNumber}-${chinaDate(new Date(t.createdAt))}-${t.id.slice(0, 8)}.csv` };
}
