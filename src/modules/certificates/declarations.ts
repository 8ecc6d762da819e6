/**
 * Health declarations (健康申报, SPEC S6, issue 6 §1–§2): submitted by the resident from the phone
 * (device cookie, a person on the device) or entered by staff of the community health service
 * center for someone who cannot apply online; then taken through the steps of ./workflow.ts
 * (nextState decides: wrong role 403, a step skipped 409), each step recorded in
 * declaration_steps (append-only) in the same transaction as the new state.
 *
 * Eligibility (./eligibility.ts on ./facts.ts) is checked at submission and at resubmission: a
 * refusal answers 400 `cert_ineligible_<code>` with the reason's message and, in details, the date
 * it becomes possible (`possibleFrom`, null when none can be given) and every reason's code;
 * nothing is written then.
 *
 * Scope: declarations.community_code under the staff account's area, else 404. Every staff list,
 * read and write is audited (the declaration is a person's record); a resident's own submission is
 * audited as the device. The chief doctor's `sign` also issues the certificate (./issue.ts) in the
 * same transaction; revocation has its own route (./certificate-routes.ts).
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { AppContext } from '../../context';
import type { DB } from '../../db/schema';
import { AppError, notFound } from '../../lib/errors';
import { maskName } from '../../lib/mask';
import { chinaDate, chinaDateTime } from '../../lib/time';
import { audit, type Actor } from '../audit/audit';
import { listArea } from '../cases/queries';
import { deviceActor, type DeviceInfo } from '../persons/devices';
import { personInScope } from '../persons/service';
import { staffActor, type StaffUser } from '../staff/auth';
import { checkAnswers, checkEligible, type DeclarationAnswers } from './declaration-checks';
import { residenceOfPerson } from './facts';
import { centerFor, certificateOfDeclaration, certificatesOfDeclarations, issueInTransaction, prepareIssue, type CertificateView } from './issue';
import {
  availableActions, nextState, progress, STATE_LABELS,
  type ActionType, type ActorRole, type Assessment, type AssessmentLimits, type DeclarationState, type StepProgress, type WorkflowAction,
} from './workflow';

type Db = Kysely<DB> | Transaction<DB>;
export type { DeclarationAnswers } from './declaration-checks';

export interface StepView {
  action: ActionType; fromState: DeclarationState | null; toState: DeclarationState; actorKind: 'staff' | 'resident' | 'system';
  actorRole: string; actorName: string | null; atChina: string; reason: string | null; assessment: Record<string, unknown> | null;
}

export interface DeclarationView {
  id: string; personId: string; maskedName: string; communityCode: string; state: DeclarationState;
  stateLabel: { zh: string; en: string }; submittedVia: 'self' | 'staff'; returnReason: string | null;
  createdAtChina: string; updatedAtChina: string;
}

export interface DeclarationDetail {
  declaration: DeclarationView & { answers: Record<string, unknown>; acknowledgedAtChina: string; eligibility: Record<string, unknown> };
  steps: StepView[];
  /** What the caller may do now (buttons; the step route still decides). */
  actions: ActionType[];
  certificate: CertificateView | null;
}

export interface ResidentDeclaration extends DeclarationView {
  progress: StepProgress[]; actions: ActionType[]; certificate: CertificateView | null;
  /** The answers as stored (without the acknowledgement), so a returned declaration is corrected, not retyped. */
  answers: Record<string, unknown>;
}

const unknownDeclaration = () => notFound('未找到该健康申报', 'Declaration not found');
const deviceUnknown = () => new AppError(401, 'device_unknown', { zh: '此手机尚未登记，请先扫描场所门口的二维码登记', en: 'This phone is not registered: scan the code at an entrance to register first' });

function limitsOf(ctx: AppContext): AssessmentLimits {
  return { feverThresholdC: ctx.config.FEVER_THRESHOLD_C, tempMinC: ctx.config.TEMP_MIN_C, tempMaxC: ctx.config.TEMP_MAX_C };
}

function viewOfRow(r: { id: string; person_id: string; name: string; community_code: string; state: DeclarationState; submitted_via: 'self' | 'staff';
  return_reason: string | null; created_at: Date; updated_at: Date }): DeclarationView {
  return { id: r.id, personId: r.person_id, maskedName: maskName(r.name), communityCode: r.community_code, state: r.state,
    stateLabel: STATE_LABELS[r.state], submittedVia: r.submitted_via, returnReason: r.state === 'returned' || r.state === 'refused' ? r.return_reason : null,
    createdAtChina: chinaDateTime(r.created_at), updatedAtChina: chinaDateTime(r.updated_at) };
}

const baseQuery = (db: Db) => db.selectFrom('declarations as d').innerJoin('persons as p', 'p.id', 'd.person_id')
  .select(['d.id', 'd.person_id', 'p.name', 'd.community_code', 'd.state', 'd.submitted_via', 'd.return_reason', 'd.created_at', 'd.updated_at',
    'd.answers', 'd.acknowledged_at', 'd.eligibility']);

async function stepsOf(db: Db, id: string): Promise<StepView[]> {
  const rows = await db.selectFrom('declaration_steps').selectAll().where('declaration_id', '=', id).orderBy('id').execute();
  return rows.map((s) => ({ action: s.action, fromState: s.from_state, toState: s.to_state, actorKind: s.actor_kind, actorRole: s.actor_role,
    actorName: s.actor_name, atChina: chinaDateTime(s.at), reason: s.reason, assessment: s.assessment }));
}

interface Submitter { actor: Actor; role: ActorRole; via: 'self' | 'staff'; staffId: string | null; deviceId: string | null }

async function createDeclaration(ctx: AppContext, personId: string, answers: DeclarationAnswers, by: Submitter, scope: string | null,
  now: Date): Promise<DeclarationView> {
  const today = chinaDate(now);
  checkAnswers(answers, today);
  nextState(null, { type: 'submit' }, by.role);
  return ctx.db.transaction().execute(async (trx) => {
    if (scope !== null && !(await personInScope(trx, scope, personId))) throw notFound('未找到该人员', 'Person not found');
    // staff act for residents of their own area only: the residence decides, before any eligibility answer
    if (scope !== null && !((await residenceOfPerson(trx, personId)).communityCode ?? '').startsWith(scope)) {
      throw notFound('该人员所在社区不在您的管辖范围', 'The person\'s community is outside your scope');
    }
    // one submission at a time per person: a double submit waits here, then finds the first (409)
    await sql`SELECT pg_advisory_xact_lock(hashtext(${`declaration:${personId}`}))`.execute(trx);
    const open = await trx.selectFrom('declarations').select(['id', 'state']).where('person_id', '=', personId)
      .where('state', 'in', ['submitted', 'returned', 'residence_verified', 'assessed', 'signed']).executeTakeFirst();
    if (open) {
      throw new AppError(409, 'declaration_open', open.state === 'returned'
        ? { zh: '已有一份被退回的申报，请修改后重新提交', en: 'A returned declaration exists: correct it and resubmit it' }
        : { zh: '已有一份正在办理的申报', en: 'A declaration is already in progress' }, { declarationId: open.id, state: open.state });
    }
    const { community, eligibility } = await checkEligible(ctx, trx, personId, today);
    if (scope !== null && !community.startsWith(scope)) throw notFound('该人员所在社区不在您的管辖范围', 'The person\'s community is outside your scope');
    const { acknowledged: _ack, ...stored } = answers;
    const row = await trx.insertInto('declarations').values({
      person_id: personId, community_code: community, state: 'submitted', submitted_via: by.via, entered_by: by.staffId, device_id: by.deviceId,
      answers: JSON.stringify(stored), acknowledged_at: now, eligibility: JSON.stringify(eligibility), created_at: now, updated_at: now,
    }).returning('id').executeTakeFirstOrThrow();
    await trx.insertInto('declaration_steps').values({
      declaration_id: row.id, action: 'submit', from_state: null, to_state: 'submitted', actor_kind: by.actor.kind, actor_id: by.actor.id,
      actor_role: by.role, actor_name: by.actor.name, at: now,
    }).execute();
    await audit(trx, by.actor, { action: 'declaration.submit', personId, areaCode: community, detail: { declarationId: row.id, via: by.via } });
    const v = await baseQuery(trx).where('d.id', '=', row.id).executeTakeFirstOrThrow();
    return viewOfRow(v);
  });
}

/**
 * The resident's own declaration for `personId` (a person on `device`). @throws AppError 401
 * device_unknown; 404 person not on this phone; 400 declaration_not_acknowledged,
 * cert_ineligible_<code>; 409 declaration_open.
 */
export async function submitOnline(ctx: AppContext, device: DeviceInfo | null, personId: string, answers: DeclarationAnswers,
  now = new Date()): Promise<DeclarationView> {
  if (!device || device.persons.length === 0) throw deviceUnknown();
  if (!device.persons.some((p) => p.id === personId)) throw notFound('此人不在本手机登记的人员中', 'This person is not registered on this phone');
  return createDeclaration(ctx, personId, answers, { actor: deviceActor(device.deviceId), role: 'resident', via: 'self', staffId: null, deviceId: device.deviceId }, null, now);
}

/**
 * A declaration entered by center staff for `personId` (in the account's area). The workflow
 * decides who may (community_doctor, chief_doctor: 403 declaration_wrong_role otherwise).
 */
export async function enterDeclaration(ctx: AppContext, staff: StaffUser, personId: string, answers: DeclarationAnswers,
  now = new Date()): Promise<DeclarationView> {
  return createDeclaration(ctx, personId, answers, { actor: staffActor(staff), role: staff.role, via: 'staff', staffId: staff.id, deviceId: null },
    staff.areaCode, now);
}

export interface DeclarationFilter { areaCode?: string; state?: DeclarationState }

/** Declarations of an area (the account's by default), newest first. Audits 'declarations.list'. */
export async function listDeclarations(ctx: AppContext, staff: StaffUser, f: DeclarationFilter): Promise<DeclarationView[]> {
  const area = listArea(staff, f.areaCode);
  let q = baseQuery(ctx.db).where('d.community_code', 'like', `${area}%`);
  if (f.state) q = q.where('d.state', '=', f.state);
  const rows = await q.orderBy('d.updated_at', 'desc').orderBy('d.id').limit(1000).execute();
  await audit(ctx.db, staffActor(staff), { action: 'declarations.list', areaCode: area, detail: { state: f.state ?? null, rows: rows.length } });
  return rows.map(viewOfRow);
}

async function scopedRow(db: Db, scope: string, id: string, lock = false) {
  let q = db.selectFrom('declarations').selectAll().where('id', '=', id).where('community_code', 'like', `${scope}%`);
  if (lock) q = q.forUpdate();
  return q.executeTakeFirst();
}

/** One declaration with its answers and steps. Audits 'declaration.read'. @throws AppError 404 unknown or outside the area. */
export async function declarationDetail(ctx: AppContext, staff: StaffUser, id: string): Promise<DeclarationDetail> {
  const row = await scopedRow(ctx.db, staff.areaCode, id);
  if (!row) throw unknownDeclaration();
  const d = await loadDetail(ctx, staff, id);
  await audit(ctx.db, staffActor(staff), { action: 'declaration.read', personId: d.declaration.personId, areaCode: d.declaration.communityCode,
    detail: { declarationId: id } });
  return d;
}

/** The detail of declaration `id` as `staff` sees it (no audit: callers audit). */
async function loadDetail(ctx: AppContext, staff: StaffUser, id: string): Promise<DeclarationDetail> {
  const d = await baseQuery(ctx.db).where('d.id', '=', id).executeTakeFirstOrThrow();
  return {
    declaration: { ...viewOfRow(d), answers: d.answers, acknowledgedAtChina: chinaDateTime(d.acknowledged_at), eligibility: d.eligibility },
    steps: await stepsOf(ctx.db, id), actions: availableActions(d.state, staff.role),
    certificate: await certificateOfDeclaration(ctx.db, id),
  };
}

/** A staff step: `reason` for return and refuse, `assessment` for assess, `answers` (optional) for a staff resubmit. */
export interface StepInput {
  action: 'resubmit' | 'verify_residence' | 'return' | 'assess' | 'sign' | 'issue' | 'refuse';
  reason?: string | null; assessment?: Assessment | null; answers?: DeclarationAnswers | null;
}

function toAction(s: StepInput): WorkflowAction {
  switch (s.action) {
    case 'return': return { type: 'return', reason: s.reason ?? '' };
    case 'refuse': return { type: 'refuse', reason: s.reason ?? '' };
    case 'assess': return { type: 'assess', assessment: s.assessment as Assessment };
    default: return { type: s.action };
  }
}

/** Take a step on declaration `row` as `by` (nextState decides); record it and the new state. */
async function takeStep(ctx: AppContext, trx: Transaction<DB>, row: { id: string; person_id: string; community_code: string; state: DeclarationState },
  step: StepInput, by: { actor: Actor; role: ActorRole }, now: Date): Promise<DeclarationState> {
  const action = toAction(step);
  const to = nextState(row.state, action, by.role, limitsOf(ctx));
  const reason = action.type === 'return' || action.type === 'refuse' ? action.reason.trim() : null;
  const assessment = action.type === 'assess' ? {
    temperatureC: action.assessment.temperatureC, cough: action.assessment.cough, chestTightness: action.assessment.chestTightness,
    otherSymptoms: action.assessment.otherSymptoms, conclusion: action.assessment.conclusion,
  } : null;
  await trx.updateTable('declarations').set({ state: to, updated_at: now, ...(reason !== null ? { return_reason: reason } : {}) })
    .where('id', '=', row.id).execute();
  await trx.insertInto('declaration_steps').values({
    declaration_id: row.id, action: action.type, from_state: row.state, to_state: to, actor_kind: by.actor.kind, actor_id: by.actor.id,
    actor_role: by.role, actor_name: by.actor.name, at: now, reason, assessment: assessment ? JSON.stringify(assessment) : null,
  }).execute();
  await audit(trx, by.actor, { action: 'declaration.step', personId: row.person_id, areaCode: row.community_code,
    detail: { declarationId: row.id, step: action.type, from: row.state, to, reason } });
  return to;
}

/**
 * A staff step on declaration `id` (verify_residence / return, assess, sign, refuse; resubmit by
 * center staff of a declaration staff entered, optionally with corrected answers: a resident's own
 * online declaration is corrected by the resident; issue by the chief doctor for a declaration left
 * signed). `sign` issues the certificate in the same transaction, as the center (./issue.ts).
 * @throws AppError 404; WorkflowError 403 / 409 / 400 (./workflow.ts); 400 cert_ineligible_<code>
 *   on a resubmit or an issue no longer eligible (nothing written); 409 certificate_no_center,
 *   declaration_resubmit_by_applicant.
 */
export async function staffStep(ctx: AppContext, staff: StaffUser, id: string, step: StepInput, now = new Date()): Promise<DeclarationDetail> {
  const issues = step.action === 'sign' || step.action === 'issue';
  if (issues) await prepareIssue(ctx);
  await ctx.db.transaction().execute(async (trx) => {
    const row = await scopedRow(trx, staff.areaCode, id, true);
    if (!row) throw unknownDeclaration();
    if (step.action === 'resubmit') {
      nextState(row.state, { type: 'resubmit' }, staff.role);
      if (row.submitted_via === 'self') {
        throw new AppError(409, 'declaration_resubmit_by_applicant', { zh: '该申报由居民本人在线提交，须由本人修改后重新提交', en: 'The resident submitted this declaration online: the resident corrects and resubmits it' });
      }
      // the answers resubmitted (corrected, or as stored) must hold today, as a new declaration's
      checkAnswers(step.answers ?? { ...(row.answers as unknown as DeclarationAnswers), acknowledged: true }, chinaDate(now));
      const { eligibility } = await checkEligible(ctx, trx, row.person_id, chinaDate(now));
      const { acknowledged: _ack, ...stored } = step.answers ?? { acknowledged: true };
      await trx.updateTable('declarations').set({ eligibility: JSON.stringify(eligibility),
        ...(step.answers ? { answers: JSON.stringify(stored), acknowledged_at: now } : {}) }).where('id', '=', id).execute();
    }
    if (step.action === 'refuse' && staff.role === 'chief_doctor') await centerFor(trx, staff, row.community_code);
    const state = step.action === 'issue' ? row.state : await takeStep(ctx, trx, row, step, { actor: staffActor(staff), role: staff.role }, now);
    if (issues) {
      const by = step.action === 'sign'
        ? { actor: { kind: 'system' as const, id: null, role: 'system', name: null }, role: 'system' as const }
        : { actor: staffActor(staff), role: staff.role as 'chief_doctor' };
      await issueInTransaction(ctx, trx, { ...row, state }, staff, by, () => checkEligible(ctx, trx, row.person_id, chinaDate(now), true), now);
    }
  });
  return loadDetail(ctx, staff, id); // the step's own audit row covers this answer
}

/**
 * The resident resubmits a returned declaration of a person on `device`, with corrected answers.
 * @throws AppError 401, 404, 400 (acknowledgement, eligibility), WorkflowError 409 declaration_not_returned / _closed.
 */
export async function resubmitOnline(ctx: AppContext, device: DeviceInfo | null, id: string, answers: DeclarationAnswers,
  now = new Date()): Promise<ResidentDeclaration> {
  if (!device || device.persons.length === 0) throw deviceUnknown();
  checkAnswers(answers, chinaDate(now));
  await ctx.db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('declarations').selectAll().where('id', '=', id)
      .where('person_id', 'in', device.persons.map((p) => p.id)).forUpdate().executeTakeFirst();
    if (!row) throw unknownDeclaration();
    nextState(row.state, { type: 'resubmit' }, 'resident');
    const { eligibility } = await checkEligible(ctx, trx, row.person_id, chinaDate(now));
    const { acknowledged: _ack, ...stored } = answers;
    await trx.updateTable('declarations').set({ answers: JSON.stringify(stored), acknowledged_at: now, eligibility: JSON.stringify(eligibility) })
      .where('id', '=', id).execute();
    await takeStep(ctx, trx, row, { action: 'resubmit' }, { actor: deviceActor(device.deviceId), role: 'resident' }, now);
  });
  return (await residentDeclarations(ctx, device)).find((d) => d.id === id)!;
}

/** Every declaration of the persons on `device`, newest first, with where each stands (progress). Empty for an unknown device. */
export async function residentDeclarations(ctx: AppContext, device: DeviceInfo | null): Promise<ResidentDeclaration[]> {
  const ids = device?.persons.map((p) => p.id) ?? [];
  if (ids.length === 0) return [];
  const rows = await baseQuery(ctx.db).where('d.person_id', 'in', ids).orderBy('d.created_at', 'desc').limit(100).execute();
  const certs = await certificatesOfDeclarations(ctx.db, rows.map((r) => r.id));
  return rows.map((r) => ({ ...viewOfRow(r), progress: progress(r.state), actions: availableActions(r.state, 'resident'),
    certificate: certs.get(r.id) ?? null, answers: r.answers }));
}
