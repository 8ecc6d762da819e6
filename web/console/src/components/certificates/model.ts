/**
 * Health declarations and certificates in the console (SPEC S6, issue 6): the shapes of the staff
 * API (src/modules/certificates/routes.ts and the certificate contract), the short state labels of
 * the list filter, step and role labels, and the pure helpers of the pages (answers read from the
 * stored JSON, what a step's assessment says, the certificate's state tag).
 */
import type { Lang } from '../../i18n';

export type DeclarationState = 'submitted' | 'returned' | 'residence_verified' | 'assessed' | 'refused' | 'signed' | 'issued' | 'revoked';
export type ActionType = 'submit' | 'resubmit' | 'verify_residence' | 'return' | 'assess' | 'sign' | 'issue' | 'refuse' | 'revoke';

export interface DeclarationView {
  id: string; personId: string; maskedName: string; communityCode: string; state: DeclarationState;
  stateLabel: { zh: string; en: string }; submittedVia: 'self' | 'staff'; returnReason: string | null;
  createdAtChina: string; updatedAtChina: string;
}

export interface StepView {
  action: ActionType; fromState: DeclarationState | null; toState: DeclarationState; actorKind: 'staff' | 'resident' | 'system';
  actorRole: string; actorName: string | null; atChina: string; reason: string | null; assessment: Record<string, unknown> | null;
}

export interface CertificateView {
  id: string; declarationId: string; personId: string; maskedName: string; name?: string; docMasked: string; orgName: string;
  doctorName: string | null; chiefDoctorName: string | null; issuedAtChina: string; notAfterChina: string;
  state: 'valid' | 'expired' | 'revoked'; revokedAtChina: string | null; revokeReason: string | null; missingGlyphs: string[]; token?: string; docTypeLabel?: string;
}

export interface DeclarationDetail {
  declaration: DeclarationView & { answers: Record<string, unknown>; acknowledgedAtChina: string; eligibility: Record<string, unknown> };
  steps: StepView[];
  actions: ActionType[];
  /** Present once the backend issues certificates (contract); null or absent before. */
  certificate?: CertificateView | null;
}

/** The declaration form (as POST /api/declarations takes it). */
export interface Answers {
  residence: Array<{ on: string; place: string }>;
  travel: string; contactWithCases: boolean; contactWithAreas: boolean; contactNote: string;
  symptoms: string[]; destination: string; purpose: string;
}

type Bi = [string, string];
const pick = (m: Record<string, Bi>, k: string, lang: Lang) => (m[k] ? m[k]![lang === 'zh' ? 0 : 1] : k);

/** Short state labels, in the order of the list filter (the server's stateLabel is the long form). */
export const STATE_SHORT: Record<DeclarationState, Bi> = {
  submitted: ['待核实', 'To verify'],
  returned: ['已退回', 'Returned'],
  residence_verified: ['待评估', 'To assess'],
  assessed: ['待签字', 'To sign'],
  signed: ['待出具', 'To issue'],
  issued: ['已出具', 'Issued'],
  revoked: ['已作废', 'Revoked'],
  refused: ['不予出具', 'Refused'],
};
export const STATE_KEYS = Object.keys(STATE_SHORT) as DeclarationState[];
export const stateShort = (s: string, lang: Lang) => pick(STATE_SHORT as Record<string, Bi>, s, lang);
const STATE_COLORS: Record<DeclarationState, string> = {
  submitted: 'blue', returned: 'orange', residence_verified: 'blue', assessed: 'geekblue', signed: 'purple', issued: 'green', revoked: 'default', refused: 'red',
};
export const stateColor = (s: string) => STATE_COLORS[s as DeclarationState] ?? 'default';

const ACTIONS: Record<string, Bi> = {
  submit: ['提交申报', 'Submitted'], resubmit: ['重新提交', 'Resubmitted'], verify_residence: ['核实通过', 'Residence verified'],
  return: ['退回', 'Returned'], assess: ['健康评估', 'Assessed'], sign: ['签字', 'Signed'], issue: ['出具证明', 'Issued'], refuse: ['不予出具', 'Refused'], revoke: ['作废', 'Revoked'],
};
export const actionLabel = (a: string, lang: Lang) => pick(ACTIONS, a, lang);

const ACTORS: Record<string, Bi> = {
  resident: ['申请人', 'Applicant'], system: ['卫生服务中心', 'Health service center'],
};
/** The role label of a step's actor: a staff role (roles.ts) or the applicant / the center. */
export function actorLabel(role: string, lang: Lang, roleLabel: (r: string, l: Lang) => string): string {
  return ACTORS[role] ? pick(ACTORS, role, lang) : roleLabel(role, lang);
}

const CERT_STATES: Record<string, Bi> = { valid: ['有效', 'Valid'], expired: ['已过期', 'Expired'], revoked: ['已作废', 'Revoked'] };
export const certStateLabel = (s: string, lang: Lang) => pick(CERT_STATES, s, lang);
export const certStateColor = (s: string) => (s === 'valid' ? 'green' : s === 'revoked' ? 'red' : 'default');

const str = (v: unknown) => (typeof v === 'string' ? v : '');
/** The stored answers, tolerant of missing fields (older rows, partial JSON). */
export function readAnswers(a: Record<string, unknown>): Answers {
  const residence = Array.isArray(a.residence)
    ? a.residence.filter((r): r is { on: string; place: string } => !!r && typeof r === 'object').map((r) => ({ on: str(r.on), place: str(r.place) }))
    : [];
  return {
    residence, travel: str(a.travel), contactWithCases: a.contactWithCases === true, contactWithAreas: a.contactWithAreas === true,
    contactNote: str(a.contactNote), symptoms: Array.isArray(a.symptoms) ? a.symptoms.map(String) : [],
    destination: str(a.destination), purpose: str(a.purpose),
  };
}

/** One line for a doctor's assessment: '36.5 °C · 无咳嗽 · 无闷气 · 结论：符合'. */
export function assessmentText(x: Record<string, unknown> | null, lang: Lang): string {
  if (!x) return '';
  const zh = lang === 'zh';
  const parts: string[] = [];
  if (typeof x.temperatureC === 'number') parts.push(`${x.temperatureC} °C`);
  parts.push(x.cough ? (zh ? '咳嗽' : 'cough') : (zh ? '无咳嗽' : 'no cough'));
  parts.push(x.chestTightness ? (zh ? '闷气' : 'chest tightness') : (zh ? '无闷气' : 'no chest tightness'));
  if (str(x.otherSymptoms).trim()) parts.push(`${zh ? '其他：' : 'other: '}${str(x.otherSymptoms).trim()}`);
  if (x.conclusion === 'fit' || x.conclusion === 'unfit') {
    const c = x.conclusion === 'fit' ? (zh ? '符合' : 'fit') : (zh ? '不符合' : 'unfit');
    parts.push(`${zh ? '结论：' : 'conclusion: '}${c}`);
  }
  return parts.join(' · ');
}

/** The 14 China dates ending `today` (oldest first), for the entry form's residence table. */
export function last14Days(today: string, addDays: (d: string, n: number) => string): string[] {
  return Array.from({ length: 14 }, (_, i) => addDays(today, i - 13));
}

/** Field paths of the server's `fields` (e.g. 'residence.3.place', 'destination') → antd name paths. */
export function fieldPath(field: string): (string | number)[] {
  return field.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

/** Symptoms of the declaration form (the resident form's checkboxes); stored as these keys. */
export const SYMPTOM_KEYS = ['fever', 'cough', 'fatigue', 'chest_tightness', 'diarrhoea', 'other'] as const;
const SYMPTOMS: Record<string, Bi> = {
  fever: ['发热', 'Fever'], cough: ['咳嗽', 'Cough'], fatigue: ['乏力', 'Fatigue'], chest_tightness: ['闷气', 'Chest tightness'],
  diarrhoea: ['腹泻', 'Diarrhoea'], diarrhea: ['腹泻', 'Diarrhoea'], other: ['其他', 'Other'],
};
/** A stored symptom in words (unknown strings, e.g. typed by the resident, as they are). */
export const symptomLabel = (k: string, lang: Lang) => pick(SYMPTOMS, k, lang);
