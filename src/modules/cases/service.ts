/**
 * Cases (issue 4 §1, SPEC S4): registration, status changes through the state machine of
 * ./rules.ts, and corrections of a case's facts. Who: 'cases.manage' (district and city command
 * offices). Scope: a case belongs to the area of its `community_code` (the person's home community
 * at registration); a case or person outside the account's subtree answers 404. Every write is one
 * transaction with its case_events row, its person status change (setStatus) and its audit row.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { AppContext } from '../../context';
import type { CaseStatus, DB } from '../../db/schema';
import { badRequest, conflict, notFound } from '../../lib/errors';
import { chinaDate } from '../../lib/time';
import { audit } from '../audit/audit';
import { staffActor, type StaffUser } from '../staff/auth';
import { setStatus } from '../status/service';
import { STATUS_RANK, statusOfMeasure, type PersonStatus } from '../status/codes';
import { releaseCaseHolds } from '../tracing/holds';
import { checkDocument } from '../persons/input';
import { docHash } from '../persons/identity';
import {
  applyStatusChange, CASE_STATUS_LABELS, caseNumberSeq, formatCaseNumber, isOpenCase, notBeforeBirth, pastDate, personStatusFor,
} from './rules';

type Db = Kysely<DB> | Transaction<DB>;

/** Longest reason, note, hospital, source area and cluster label (characters; the migration's checks). */
export const LIMITS = { reason: 500, note: 500, hospital: 100, sourceArea: 60, cluster: 60 } as const;

/** Advisory lock key (transaction scope) serialising infector corrections (correctCase). */
const INFECTOR_LOCK = 727010;

export const unknownCase = () => notFound('未找到该病例', 'Case not found');
const unknownPerson = () => notFound('未找到该人员', 'Person not found');

/** A case row the caller may see (community in the subtree of `scope`), or 404. */
export async function caseInScope(db: Db, scope: string, caseId: string) {
  const row = await db.selectFrom('cases').selectAll().where('id', '=', caseId)
    .where('community_code', 'like', `${scope}%`).executeTakeFirst();
  if (!row) throw unknownCase();
  return row;
}

/** A trimmed reason of 1..500 characters. @throws AppError 400 reason_required. */
export function requireReason(reason: unknown): string {
  const why = String(reason ?? '').trim();
  if (!why || [...why].length > LIMITS.reason) {
    throw badRequest('reason_required', `请填写原因（不超过${LIMITS.reason}字）`, `Give the reason (at most ${LIMITS.reason} characters)`);
  }
  return why;
}

/** Trimmed optional text within `max` characters; '' → null. @throws AppError 400 `${code}_too_long`. */
function optText(v: string | null | undefined, max: number, code: string, label: { zh: string; en: string }): string | null {
  const s = String(v ?? '').trim();
  if (!s) return null;
  if ([...s].length > max) throw badRequest(`${code}_too_long`, `${label.zh}不能超过${max}字`, `${label.en} is longer than ${max} characters`);
  return s;
}

const DATE_LABELS = {
  onset_on: { zh: '发病日期', en: 'The onset date' },
  isolated_on: { zh: '隔离（入院）日期', en: 'The isolation date' },
};

/** Classification facts, checked together: imported needs a source area, local must not have one. */
function classificationFacts(classification: 'imported' | 'local', sourceArea: string | null | undefined) {
  const area = optText(sourceArea, LIMITS.sourceArea, 'source_area', { zh: '输入来源地', en: 'The source area' });
  if (classification === 'imported' && !area) {
    throw badRequest('source_area_required', '输入病例须填写来源地（如 湖北武汉、信阳、驻马店）', 'An imported case needs its source area (e.g. 湖北武汉)');
  }
  if (classification === 'local' && area) {
    throw badRequest('source_area_local', '本地病例不填写输入来源地', 'A local case has no source area');
  }
  return area;
}

/**
 * Check a proposed infector: another case in scope, and not a descendant of `caseId` (no cycle:
 * a case cannot be its own ancestor).
 * @throws AppError 404 infector not found or out of scope; 400 infector_self; 409 infector_cycle.
 */
async function checkInfector(db: Db, scope: string, infectorId: string, caseId: string | null) {
  if (caseId && infectorId === caseId) throw badRequest('infector_self', '病例不能是自己的传染源', 'A case cannot be its own infector');
  const row = await db.selectFrom('cases').select('id').where('id', '=', infectorId)
    .where('community_code', 'like', `${scope}%`).executeTakeFirst();
  if (!row) throw notFound('未找到作为传染源的病例', 'Infector case not found');
  if (!caseId) return;
  const seen = new Set<string>();
  let cur: string | null = infectorId;
  while (cur && !seen.has(cur)) {
    if (cur === caseId) throw conflict('infector_cycle', '传染链不能成环：该病例是所选传染源的上游', 'The chain would loop: this case is an ancestor of the chosen infector');
    seen.add(cur);
    const up: { infector_case_id: string | null } | undefined = await db.selectFrom('cases').select('infector_case_id').where('id', '=', cur).executeTakeFirst();
    cur = up?.infector_case_id ?? null;
  }
}

/** True when the person has a contact record not yet released. */
/**
 * The strictest status the person's open measures other than a case set on China day `today`
 * (YYYY-MM-DD): an open contact 'medical_observation', a key person's isolation or observation in
 * force (started, not ended, not closed) its own; 'normal' when none. STATUS_RANK orders them.
 */
export async function openMeasureStatus(db: Db, personId: string, today: string): Promise<PersonStatus> {
  const found: PersonStatus[] = ['normal'];
  if (await hasOpenContact(db, personId)) found.push('medical_observation');
  const kps = await db.selectFrom('key_persons').select('measure').where('person_id', '=', personId).where('closed_on', 'is', null)
    .where('start_on', '<=', today).where((eb) => eb.or([eb('end_on', 'is', null), eb('end_on', '>=', today)])).execute();
  for (const k of kps) {
    const s = statusOfMeasure(k.measure);
    if (s) found.push(s);
  }
  return found.reduce((a, b) => (STATUS_RANK[b] > STATUS_RANK[a] ? b : a));
}

export async function hasOpenContact(db: Db, personId: string, exceptContactId?: string): Promise<boolean> {
  let q = db.selectFrom('contacts').select('id').where('person_id', '=', personId).where('released_on', 'is', null);
  if (exceptContactId) q = q.where('id', '<>', exceptContactId);
  return Boolean(await q.limit(1).executeTakeFirst());
}

export interface RegisterCaseInput {
  /** The person: by id (picked in the console) or by identity document (from the hospital's report). */
  personId?: string | null; document?: { docType: string; docNumber: string } | null; status: 'suspected' | 'confirmed'; effectiveOn: string; onsetOn?: string | null; isolatedOn?: string | null;
  hospital?: string | null; hospitalised: boolean; classification: 'imported' | 'local'; sourceArea?: string | null;
  infectorCaseId?: string | null; cluster?: string | null; note?: string | null; reason: string;
}

const isUnique = (e: unknown, name: string) =>
  (e as { code?: string }).code === '23505' && new RegExp(name).test(String((e as { constraint?: string }).constraint ?? (e as Error).message));

const caseOpen = () => conflict('case_open', '此人已有未结案的病例（疑似或确诊）', 'This person already has an open case (suspected or confirmed)');

/**
 * Register a case: number `<district>-<seq>` (next in the district, retried on a race), first
 * case_events row, person status 'case' (setStatus), audit 'case.register'; one transaction.
 * @param today China date of the request (tests pass one).
 * @returns the new case id and number.
 * @throws AppError 404 person not found / home community outside scope / infector not found;
 *   409 case_open; 400 reason_required, *_invalid, *_in_future, source_area_*, *_too_long.
 */
export async function registerCase(ctx: AppContext, staff: StaffUser, input: RegisterCaseInput, today = chinaDate()) {
  const reason = requireReason(input.reason);
  const effectiveOn = pastDate(input.effectiveOn, today, 'effective_on', { zh: '生效日期', en: 'The effective date' });
  const onsetOn = input.onsetOn ? pastDate(input.onsetOn, today, 'onset_on', DATE_LABELS.onset_on) : null;
  const isolatedOn = input.isolatedOn ? pastDate(input.isolatedOn, today, 'isolated_on', DATE_LABELS.isolated_on) : null;
  const sourceArea = classificationFacts(input.classification, input.sourceArea);
  const hospital = optText(input.hospital, LIMITS.hospital, 'hospital', { zh: '医院名称', en: 'The hospital name' }) ?? '';
  const cluster = optText(input.cluster, LIMITS.cluster, 'cluster', { zh: '聚集性疫情标签', en: 'The cluster label' });
  const note = optText(input.note, LIMITS.note, 'note', { zh: '备注', en: 'The note' }) ?? '';
  let q = ctx.db.selectFrom('persons').select(['id', 'home_community_code', 'birth_date']).where('home_community_code', 'like', `${staff.areaCode}%`);
  if (input.document) {
    const d = checkDocument(input.document.docType, input.document.docNumber);
    q = q.where('doc_hash', '=', docHash(d.docType, d.docNumber, ctx.secrets.docPepper));
  } else if (input.personId) q = q.where('id', '=', input.personId);
  else throw badRequest('person_required', '请指定人员（证件号码或人员）', 'Give the person (identity document or person id)');
  const person = await q.executeTakeFirst();
  if (!person?.home_community_code) throw unknownPerson();
  notBeforeBirth(effectiveOn, person.birth_date, 'effective_on', { zh: '生效日期', en: 'The effective date' });
  notBeforeBirth(onsetOn, person.birth_date, 'onset_on', DATE_LABELS.onset_on);
  notBeforeBirth(isolatedOn, person.birth_date, 'isolated_on', DATE_LABELS.isolated_on);
  if (input.infectorCaseId) await checkInfector(ctx.db, staff.areaCode, input.infectorCaseId, null);
  const community = person.home_community_code;
  const district = community.slice(0, 6);
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await ctx.db.transaction().execute(async (trx) => {
        const open = await trx.selectFrom('cases').select('id').where('person_id', '=', person.id)
          .where('status', 'in', ['suspected', 'confirmed']).executeTakeFirst();
        if (open) throw caseOpen();
        const numbers = await trx.selectFrom('cases').select('number').where('number', 'like', `${district}-%`).execute();
        const seq = Math.max(0, ...numbers.map((n) => caseNumberSeq(district, n.number) ?? 0)) + 1;
        const number = formatCaseNumber(district, seq);
        const row = await trx.insertInto('cases').values({
          number, person_id: person.id, community_code: community, status: input.status, hospitalised: input.hospitalised,
          hospital, onset_on: onsetOn, isolated_on: isolatedOn, classification: input.classification, source_area: sourceArea,
          infector_case_id: input.infectorCaseId ?? null, cluster, note, created_by: staff.id,
        }).returning('id').executeTakeFirstOrThrow();
        await trx.insertInto('case_events').values({
          case_id: row.id, status: input.status, hospitalised: input.hospitalised, hospital, effective_on: effectiveOn,
          reason, actor_id: staff.id, actor_role: staff.role,
        }).execute();
        await setStatus(trx, person.id, 'case', statusReason(number, input.status, reason), { kind: 'staff', id: staff.id, role: staff.role });
        await audit(trx, staffActor(staff), { action: 'case.register', personId: person.id, areaCode: staff.areaCode,
          detail: { caseId: row.id, number, status: input.status, effectiveOn, reason } });
        return { id: row.id, number };
      });
    } catch (e) {
      if (isUnique(e, 'cases_one_open')) throw caseOpen();
      if (isUnique(e, 'number') && attempt < 5) continue;
      throw e;
    }
  }
}

/** The reason written to the person status register for a case event (at most 500 characters). */
function statusReason(number: string, status: CaseStatus, reason: string): string {
  return [...`${CASE_STATUS_LABELS[status].zh} ${number}：${reason}`].slice(0, 500).join('');
}

export interface StatusChangeBody {
  status: CaseStatus; effectiveOn: string; reason: string; hospitalised?: boolean; hospital?: string | null;
}

/**
 * Change a case's status (or its hospitalisation alone) through applyStatusChange: appends a full
 * snapshot to case_events, updates the cases row, updates the person status register
 * (personStatusFor) when the status changes, releases the case's retention holds when it closes,
 * audits 'case.status'; one transaction (the case row locked).
 * @throws AppError 404 unknown or out of scope; 400 reason_required, hospital_too_long and those
 *   of applyStatusChange; 409 case_closed, transition_not_allowed, no_change.
 */
export async function changeCaseStatus(ctx: AppContext, staff: StaffUser, caseId: string, body: StatusChangeBody, today = chinaDate(), now = new Date()) {
  const reason = requireReason(body.reason);
  const hospital = body.hospital === undefined || body.hospital === null ? undefined
    : optText(body.hospital, LIMITS.hospital, 'hospital', { zh: '医院名称', en: 'The hospital name' }) ?? '';
  await caseInScope(ctx.db, staff.areaCode, caseId);
  return ctx.db.transaction().execute(async (trx) => {
    const c = await trx.selectFrom('cases').selectAll().where('id', '=', caseId).forUpdate().executeTakeFirstOrThrow();
    const last = await trx.selectFrom('case_events').select(['effective_on']).where('case_id', '=', caseId)
      .orderBy('effective_on', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
    const next = applyStatusChange(
      { status: c.status, hospitalised: c.hospitalised, hospital: c.hospital, effectiveOn: last?.effective_on ?? '0000-01-01' },
      { status: body.status, effectiveOn: body.effectiveOn, hospitalised: body.hospitalised, hospital }, today);
    await trx.insertInto('case_events').values({
      case_id: caseId, status: next.status, hospitalised: next.hospitalised, hospital: next.hospital, effective_on: next.effectiveOn,
      reason, actor_id: staff.id, actor_role: staff.role,
    }).execute();
    await trx.updateTable('cases').set({ status: next.status, hospitalised: next.hospitalised, hospital: next.hospital })
      .where('id', '=', caseId).execute();
    if (next.status !== c.status) {
      const target = personStatusFor(next.status, await openMeasureStatus(trx, c.person_id, today));
      if (target) await setStatus(trx, c.person_id, target, statusReason(c.number, next.status, reason), { kind: 'staff', id: staff.id, role: staff.role });
    }
    const held = isOpenCase(next.status) ? 0 : await releaseCaseHolds(trx, caseId, now);
    await audit(trx, staffActor(staff), { action: 'case.status', personId: c.person_id, areaCode: staff.areaCode,
      detail: { caseId, number: c.number, from: c.status, to: next.status, hospitalised: next.hospitalised, effectiveOn: next.effectiveOn, reason, holdsReleased: held } });
    return { id: caseId };
  });
}

export interface CaseCorrection {
  onsetOn?: string | null; isolatedOn?: string | null; classification?: 'imported' | 'local'; sourceArea?: string | null;
  infectorCaseId?: string | null; cluster?: string | null; note?: string | null; reason: string;
}

/**
 * Correct a case's facts (onset, isolation, classification, source area, infector, cluster, note);
 * a field left out is unchanged, null clears it. Audits 'case.correct' with before and after.
 * @throws AppError 404 unknown or out of scope (also the infector); 400 reason_required,
 *   nothing_to_change, dates and source area as registerCase, infector_self; 409 infector_cycle.
 */
export async function correctCase(ctx: AppContext, staff: StaffUser, caseId: string, body: CaseCorrection, today = chinaDate()) {
  const reason = requireReason(body.reason);
  const c = await caseInScope(ctx.db, staff.areaCode, caseId);
  const set: Partial<Record<'onset_on' | 'isolated_on' | 'classification' | 'source_area' | 'infector_case_id' | 'cluster' | 'note', string | null>> = {};
  if (body.onsetOn !== undefined) set.onset_on = body.onsetOn ? pastDate(body.onsetOn, today, 'onset_on', DATE_LABELS.onset_on) : null;
  if (body.isolatedOn !== undefined) set.isolated_on = body.isolatedOn ? pastDate(body.isolatedOn, today, 'isolated_on', DATE_LABELS.isolated_on) : null;
  if (body.classification !== undefined || body.sourceArea !== undefined) {
    const cls = body.classification ?? c.classification;
    set.classification = cls;
    set.source_area = classificationFacts(cls, body.sourceArea !== undefined ? body.sourceArea : cls === 'local' ? null : c.source_area);
  }
  if (body.infectorCaseId !== undefined) set.infector_case_id = body.infectorCaseId ?? null;
  if (body.cluster !== undefined) set.cluster = optText(body.cluster, LIMITS.cluster, 'cluster', { zh: '聚集性疫情标签', en: 'The cluster label' });
  if (body.note !== undefined) set.note = optText(body.note, LIMITS.note, 'note', { zh: '备注', en: 'The note' }) ?? '';
  const keys = Object.keys(set) as (keyof typeof set)[];
  if (keys.length === 0) throw badRequest('nothing_to_change', '没有要更正的内容', 'Nothing to correct: give at least one field');
  const before = Object.fromEntries(keys.map((k) => [k, c[k]]));
  await ctx.db.transaction().execute(async (trx) => {
    if (body.infectorCaseId) {
      // infector changes one at a time, the cycle check reading committed links: two concurrent
      // corrections (A's infector := B, B's infector := A) each passed the check and made a loop
      await sql`SELECT pg_advisory_xact_lock(${sql.lit(INFECTOR_LOCK)})`.execute(trx);
      await checkInfector(trx, staff.areaCode, body.infectorCaseId, caseId);
    }
    await trx.updateTable('cases').set(set as never).where('id', '=', caseId).execute();
    await audit(trx, staffActor(staff), { action: 'case.correct', personId: c.person_id, areaCode: staff.areaCode,
      detail: { caseId, number: c.number, before, after: set, reason } });
  });
  return { id: caseId };
}
