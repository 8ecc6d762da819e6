/**
 * The application workflow of a health declaration certificate (SPEC S6 "Steps", issue 6 §2) and
 * the certificate's validity (SPEC S6 and "Rules worth knowing": valid 5 days from issue; issue 6
 * §3). Pure functions: the service layer loads the application's state, calls `nextState` with the
 * caller's role, and records the step (who, when) in the same transaction as the new state.
 *
 *   (none) ─submit─▶ submitted ─verify_residence─▶ residence_verified ─assess fit─▶ assessed ─sign─▶ signed ─issue─▶ issued ─revoke─▶ revoked
 *                      │  ▲                                           └─assess unfit─▶ refused
 *                 return│  │resubmit
 *                       ▼  │
 *                     returned
 *
 * Steps and who takes them (ACTION_ROLES):
 *   submit / resubmit  the applicant: the resident online ('resident'), or staff of the community
 *                      health service center entering it for someone who cannot apply online
 *                      (community_doctor, chief_doctor: the accounts attached to the center).
 *   verify_residence   info_officer (社区信息员) approves the residence; `return` sends it back to the
 *                      applicant with a reason (1–300 characters), who may resubmit.
 *   assess             community_doctor (社区医生): temperature °C, cough, chest tightness 闷气, other
 *                      symptoms, conclusion fit / unfit. Unfit ends the application as `refused`.
 *                      A 'fit' conclusion with a temperature at or above the fever threshold
 *                      (37.3 °C, SPEC "Rules") is refused as inconsistent.
 *   sign               chief_doctor (主检医生).
 *   refuse             chief_doctor, with a reason: 不予出具 for an assessed or signed application that
 *                      can no longer be issued (the applicant came under a measure since): ends it as
 *                      `refused`, so the person may apply again later.
 *   issue              the center: 'system' (the server issuing under the center's name and key right
 *                      after signing) or chief_doctor (issuing again when the automatic issue failed,
 *                      e.g. a name with characters the PDF font lacks).
 *   revoke             chief_doctor, district_command, city_command, with a reason (a false
 *                      declaration); only an issued certificate.
 *
 * Refusals, checked in this order: the role (403 `declaration_wrong_role`), then the state (409:
 * `declaration_step_skipped` for a later step than the next one, `declaration_step_done` for a step
 * already taken, `declaration_awaiting_applicant` while returned, `declaration_not_returned` for a
 * resubmit that was not returned, `declaration_closed` once refused/issued/revoked,
 * `declaration_not_issued` to revoke what was never issued), then the action's data (400).
 */
import { AppError, type Bilingual } from '../../lib/errors';
import type { Role } from '../staff/roles';

export type DeclarationState =
  | 'submitted' | 'returned' | 'residence_verified' | 'assessed' | 'refused' | 'signed' | 'issued' | 'revoked';

/** Who acts: a staff role, the resident (device cookie), or the server itself for the center. */
export type ActorRole = Role | 'resident' | 'system';

/** The community doctor's assessment (issue 6 §2). */
export interface Assessment {
  /** Body temperature in °C, within the plausible range (SPEC "Rules": 34.0–42.5). */
  temperatureC: number;
  cough: boolean;
  /** 闷气 */
  chestTightness: boolean;
  /** Free text, at most OTHER_SYMPTOMS_MAX (50) characters (it prints in one cell); '' when none. */
  otherSymptoms: string;
  conclusion: 'fit' | 'unfit';
}

export type WorkflowAction =
  | { type: 'submit' }
  | { type: 'resubmit' }
  | { type: 'verify_residence' }
  | { type: 'return'; reason: string }
  | { type: 'assess'; assessment: Assessment }
  | { type: 'sign' }
  | { type: 'issue' }
  | { type: 'refuse'; reason: string }
  | { type: 'revoke'; reason: string };

export type ActionType = WorkflowAction['type'];

/** Thresholds for the assessment (config FEVER_THRESHOLD_C, TEMP_MIN_C, TEMP_MAX_C). */
export interface AssessmentLimits {
  feverThresholdC: number;
  tempMinC: number;
  tempMaxC: number;
}
export const DEFAULT_LIMITS: AssessmentLimits = { feverThresholdC: 37.3, tempMinC: 34.0, tempMaxC: 42.5 };

/** Most characters of a return or revocation reason, and of other symptoms. */
export const REASON_MAX = 300;
export const OTHER_SYMPTOMS_MAX = 50;

/** Who may take each action (header). */
export const ACTION_ROLES: Readonly<Record<ActionType, readonly ActorRole[]>> = {
  submit: ['resident', 'community_doctor', 'chief_doctor'],
  resubmit: ['resident', 'community_doctor', 'chief_doctor'],
  verify_residence: ['info_officer'],
  return: ['info_officer'],
  assess: ['community_doctor'],
  sign: ['chief_doctor'],
  issue: ['system', 'chief_doctor'],
  refuse: ['chief_doctor'],
  revoke: ['chief_doctor', 'district_command', 'city_command'],
};

/** Display labels of the states (zh-CN first), for the resident's "where it stands" and the console. */
export const STATE_LABELS: Readonly<Record<DeclarationState, Bilingual>> = {
  submitted: { zh: '已提交，待核实居住情况', en: 'Submitted, residence to be verified' },
  returned: { zh: '已退回，请修改后重新提交', en: 'Returned: correct it and submit again' },
  residence_verified: { zh: '居住情况已核实，待医生评估', en: 'Residence verified, awaiting the doctor' },
  assessed: { zh: '医生已评估，待主检医生签字', en: 'Assessed, awaiting the chief doctor\'s signature' },
  refused: { zh: '不予出具', en: 'Not issued' },
  signed: { zh: '主检医生已签字，待出具', en: 'Signed, to be issued' },
  issued: { zh: '已出具', en: 'Issued' },
  revoked: { zh: '已作废', en: 'Revoked' },
};

/** The step each action belongs to (0 submit … 4 issue); position of each state on that line. */
const STEP: Record<Exclude<ActionType, 'resubmit' | 'revoke' | 'refuse'>, number> = {
  submit: 0, verify_residence: 1, return: 1, assess: 2, sign: 3, issue: 4,
};
const POSITION: Record<'submitted' | 'residence_verified' | 'assessed' | 'signed', number> = {
  submitted: 0, residence_verified: 1, assessed: 2, signed: 3,
};
const STEP_LABELS: readonly Bilingual[] = [
  { zh: '提交申报', en: 'submission' },
  { zh: '社区信息员核实居住情况', en: 'residence verification by the information officer' },
  { zh: '社区医生健康评估', en: 'assessment by the community doctor' },
  { zh: '主检医生签字', en: 'signature of the chief doctor' },
  { zh: '卫生服务中心出具', en: 'issue by the health service center' },
];
const ACTOR_LABELS: Partial<Record<ActorRole, Bilingual>> = {
  resident: { zh: '申请人', en: 'the applicant' },
  system: { zh: '卫生服务中心', en: 'the health service center' },
  info_officer: { zh: '社区信息员', en: 'the community information officer' },
  community_doctor: { zh: '社区医生', en: 'the community doctor' },
  chief_doctor: { zh: '主检医生', en: 'the chief doctor' },
  district_command: { zh: '县区指挥部办公室', en: 'the district command office' },
  city_command: { zh: '市指挥部办公室', en: 'the city command office' },
};

export type WorkflowErrorCode =
  | 'declaration_wrong_role' | 'declaration_step_skipped' | 'declaration_step_done' | 'declaration_awaiting_applicant'
  | 'declaration_not_returned' | 'declaration_closed' | 'declaration_not_issued' | 'declaration_not_refusable'
  | 'declaration_reason_invalid' | 'declaration_action_unknown' | 'assessment_invalid' | 'assessment_fever_fit';

/** A refused workflow step: an AppError (403 role, 409 state, 400 data) with its own code. */
export class WorkflowError extends AppError {
  constructor(status: 400 | 403 | 409, readonly code: WorkflowErrorCode, messages: Bilingual, details?: Record<string, unknown>) {
    super(status, code, messages, details);
    this.name = 'WorkflowError';
  }
}

const join = (xs: Bilingual[]): Bilingual => ({ zh: xs.map((x) => x.zh).join('、'), en: xs.map((x) => x.en).join(' or ') });

function wrongRole(action: ActionType, role: ActorRole): WorkflowError {
  const who = join(ACTION_ROLES[action].map((r) => ACTOR_LABELS[r] ?? { zh: r, en: r }));
  return new WorkflowError(403, 'declaration_wrong_role', { zh: `此步骤须由${who.zh}办理`, en: `This step is for ${who.en}` }, { action, role });
}

function stepSkipped(next: number, action: ActionType): WorkflowError {
  const l = STEP_LABELS[next]!;
  return new WorkflowError(409, 'declaration_step_skipped', { zh: `不能跳过步骤：请先完成“${l.zh}”`, en: `A step cannot be skipped: ${l.en} comes first` }, { action });
}

function stepDone(action: ActionType, state: DeclarationState): WorkflowError {
  return new WorkflowError(409, 'declaration_step_done', { zh: '此步骤已完成，申请已进入下一环节', en: 'This step has already been taken; the application has moved on' }, { action, state });
}

function checkReason(reason: unknown): void {
  const r = typeof reason === 'string' ? reason.trim() : '';
  if (r.length === 0 || [...r].length > REASON_MAX) {
    throw new WorkflowError(400, 'declaration_reason_invalid', { zh: `请填写原因（1至${REASON_MAX}字）`, en: `Give a reason (1 to ${REASON_MAX} characters)` });
  }
}

/**
 * Check a doctor's assessment: temperature within [tempMinC, tempMaxC], booleans, other symptoms at
 * most OTHER_SYMPTOMS_MAX characters, a conclusion; 'fit' with a temperature at or above the fever threshold is refused.
 * @throws WorkflowError 400 assessment_invalid / assessment_fever_fit.
 */
export function checkAssessment(a: Assessment, limits: AssessmentLimits = DEFAULT_LIMITS): void {
  const bad = (zh: string, en: string) => new WorkflowError(400, 'assessment_invalid', { zh, en });
  if (typeof a !== 'object' || a === null) throw bad('请填写健康评估', 'The assessment is missing');
  if (typeof a.temperatureC !== 'number' || !Number.isFinite(a.temperatureC) || a.temperatureC < limits.tempMinC || a.temperatureC > limits.tempMaxC) {
    throw bad(`体温须在${limits.tempMinC}至${limits.tempMaxC}°C之间`, `The temperature must be between ${limits.tempMinC} and ${limits.tempMaxC} °C`);
  }
  if (Math.abs(a.temperatureC * 10 - Math.round(a.temperatureC * 10)) > 1e-6) {
    throw bad('体温请保留一位小数（如36.5）', 'Give the temperature to one decimal place (e.g. 36.5)');
  }
  if (typeof a.cough !== 'boolean' || typeof a.chestTightness !== 'boolean') throw bad('请填写是否咳嗽、是否闷气', 'Say whether there is a cough and chest tightness');
  if (typeof a.otherSymptoms !== 'string' || [...a.otherSymptoms].length > OTHER_SYMPTOMS_MAX) {
    throw bad(`其他症状不能超过${OTHER_SYMPTOMS_MAX}字`, `Other symptoms must be at most ${OTHER_SYMPTOMS_MAX} characters`);
  }
  if (a.conclusion !== 'fit' && a.conclusion !== 'unfit') throw bad('请选择评估结论', 'Choose a conclusion');
  if (a.conclusion === 'fit' && a.temperatureC >= limits.feverThresholdC) {
    throw new WorkflowError(400, 'assessment_fever_fit', {
      zh: `体温${a.temperatureC}°C达到发热标准（${limits.feverThresholdC}°C），结论不能为“符合”`,
      en: `A temperature of ${a.temperatureC} °C is a fever (threshold ${limits.feverThresholdC} °C): the conclusion cannot be fit`,
    });
  }
}

/**
 * The state after `action` taken by `role` on an application in `state` (null: none yet). Role
 * first, then order, then the action's data (rules in the header, SPEC S6 "Steps").
 * @returns the new state.
 * @throws WorkflowError 403 declaration_wrong_role; 409 declaration_step_skipped / _step_done /
 *   _awaiting_applicant / _not_returned / _closed / _not_issued; 400 declaration_action_unknown,
 *   declaration_reason_invalid, assessment_invalid, assessment_fever_fit.
 */
export function nextState(state: DeclarationState | null, action: WorkflowAction, role: ActorRole,
  limits: AssessmentLimits = DEFAULT_LIMITS): DeclarationState {
  const type = action?.type;
  if (!Object.hasOwn(ACTION_ROLES, type)) {
    throw new WorkflowError(400, 'declaration_action_unknown', { zh: '未知的办理操作', en: 'Unknown workflow action' }, { action: String(type) });
  }
  if (!ACTION_ROLES[type].includes(role)) throw wrongRole(type, role);

  if (type === 'revoke') {
    if (state !== 'issued') {
      if (state === 'revoked') throw new WorkflowError(409, 'declaration_closed', { zh: '该证明已作废', en: 'The certificate is already revoked' }, { action: type, state });
      throw new WorkflowError(409, 'declaration_not_issued', { zh: '尚未出具证明，无可作废', en: 'No certificate has been issued to revoke' }, { action: type, state });
    }
    checkReason(action.reason);
    return 'revoked';
  }
  if (state === 'refused' || state === 'issued' || state === 'revoked') {
    throw new WorkflowError(409, 'declaration_closed', { zh: `申请已结束（${STATE_LABELS[state].zh}）`, en: `The application is closed (${STATE_LABELS[state].en})` }, { action: type, state });
  }
  if (type === 'refuse') {
    if (state !== 'assessed' && state !== 'signed') {
      throw new WorkflowError(409, 'declaration_not_refusable', { zh: '只能对已评估、待签字或待出具的申请作出不予出具的决定', en: 'Only an assessed or signed application can be refused here' }, { action: type, state });
    }
    checkReason(action.reason);
    return 'refused';
  }
  if (type === 'resubmit') {
    if (state !== 'returned') {
      throw new WorkflowError(409, 'declaration_not_returned', { zh: '申请未被退回，无需重新提交', en: 'The application was not returned; there is nothing to resubmit' }, { action: type, state });
    }
    return 'submitted';
  }
  if (state === 'returned') {
    if (type === 'submit') throw stepDone(type, state);
    throw new WorkflowError(409, 'declaration_awaiting_applicant', { zh: '申请已退回，等待申请人修改后重新提交', en: 'The application was returned and awaits the applicant\'s resubmission' }, { action: type, state });
  }
  const position = state === null ? -1 : POSITION[state];
  const step = STEP[type];
  if (step > position + 1) throw stepSkipped(position + 1, type);
  if (step <= position) throw stepDone(type, state!);

  switch (action.type) {
    case 'submit': return 'submitted';
    case 'verify_residence': return 'residence_verified';
    case 'return': checkReason(action.reason); return 'returned';
    case 'assess': checkAssessment(action.assessment, limits); return action.assessment.conclusion === 'fit' ? 'assessed' : 'refused';
    case 'sign': return 'signed';
    case 'issue': return 'issued';
  }
}

/** The actions `role` may take now on an application in `state` (for buttons; nextState still decides). */
export function availableActions(state: DeclarationState | null, role: ActorRole): ActionType[] {
  const probe: Record<ActionType, WorkflowAction> = {
    submit: { type: 'submit' }, resubmit: { type: 'resubmit' }, verify_residence: { type: 'verify_residence' },
    return: { type: 'return', reason: 'x' }, assess: { type: 'assess', assessment: { temperatureC: 36.5, cough: false, chestTightness: false, otherSymptoms: '', conclusion: 'fit' } },
    sign: { type: 'sign' }, issue: { type: 'issue' }, refuse: { type: 'refuse', reason: 'x' }, revoke: { type: 'revoke', reason: 'x' },
  };
  return (Object.keys(probe) as ActionType[]).filter((t) => {
    try { nextState(state, probe[t], role); return true; } catch { return false; }
  });
}

export interface StepProgress { step: Bilingual; state: 'done' | 'current' | 'pending' | 'failed' }

/**
 * Where an application stands, step by step, for the resident (issue 6 §2 "the resident sees where
 * the application stands"): the five steps submit … issue, each done, current (waiting for it),
 * pending, or failed (returned: the verification step; refused: the assessment).
 */
export function progress(state: DeclarationState): StepProgress[] {
  const reached = state === 'returned' ? 1 : state === 'refused' ? 2 : state === 'issued' || state === 'revoked' ? 5 : POSITION[state] + 1;
  const failed = state === 'returned' ? 1 : state === 'refused' ? 2 : -1;
  return STEP_LABELS.map((step, i) => ({
    step,
    state: i === failed ? 'failed' : i < reached ? 'done' : i === reached && failed === -1 ? 'current' : 'pending',
  }));
}

export { isValidAt, validity, type Validity } from './validity';
