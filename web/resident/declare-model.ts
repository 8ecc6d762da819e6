/**
 * The pure parts of 健康申报 (/declare, issue 6 §1–§2, SPEC S6): the shapes of the resident API
 * (src/modules/certificates/routes.ts, the certificate contract), the form's draft and the body it
 * sends, the last 14 China dates, the exclusive "none" of the symptoms, and where a server field
 * error belongs on the form. No DOM: unit-tested in declare-model.test.ts.
 */
import type { DeclarationAnswers } from '../../src/modules/certificates/declarations';
import type { CertificateView as ServerCertificateView } from '../../src/modules/certificates/issue';

export type DeclarationState = 'submitted' | 'returned' | 'residence_verified' | 'assessed' | 'refused' | 'signed' | 'issued' | 'revoked';
export interface Bilingual { zh: string; en: string }

/** A certificate as the resident sees it (GET /api/r/declarations; the server's type). */
export type CertificateView = ServerCertificateView;

export interface StepProgress { step: Bilingual; state: 'done' | 'current' | 'pending' | 'failed' }

/** One declaration of a person on this phone (GET /api/r/declarations). */
export interface ResidentDeclaration {
  id: string;
  personId: string;
  maskedName: string;
  communityCode: string;
  state: DeclarationState;
  stateLabel: Bilingual;
  submittedVia: 'self' | 'staff';
  returnReason: string | null;
  createdAtChina: string;
  updatedAtChina: string;
  progress: StepProgress[];
  actions: string[];
  certificate?: CertificateView | null;
  /** The stored answers without the acknowledgement (residentOut of routes.ts): they prefill a resubmission. */
  answers?: Partial<Answers> | null;
}

/** The declaration form's answers as the server takes them (one definition: the server's, type only). */
export type Answers = DeclarationAnswers;

/** Symptom keys as stored (the console's SYMPTOM_KEYS) with their labels; 'none' is the form's "无" only. */
export const SYMPTOMS: ReadonlyArray<[string, string, string]> = [
  ['fever', '发热', 'Fever'], ['cough', '咳嗽', 'Cough'], ['fatigue', '乏力', 'Fatigue'],
  ['chest_tightness', '闷气', 'Chest tightness'], ['diarrhoea', '腹泻', 'Diarrhoea'], ['other', '其他', 'Other'],
];
export const NONE = 'none';

/** States in which a person's declaration is still being handled (one at a time: 409 declaration_open). */
export const OPEN_STATES: readonly DeclarationState[] = ['submitted', 'returned', 'residence_verified', 'assessed', 'signed'];

/** The form as typed; booleans null until chosen (是/否 must be answered, never defaulted). */
export interface Draft {
  personId: string;
  /** Place for each day, keyed by China date. */
  places: Record<string, string>;
  travel: string;
  contactWithCases: boolean | null;
  contactWithAreas: boolean | null;
  contactNote: string;
  /** Ticked symptom keys, or exactly [NONE]. */
  symptoms: string[];
  destination: string;
  purpose: string;
  acknowledged: boolean;
}

/** `on` ('YYYY-MM-DD') plus `n` days (calendar arithmetic, no time zone involved). */
export function addDays(on: string, n: number): string {
  const [y, m, d] = on.split('-').map(Number);
  return new Date(Date.UTC(y!, m! - 1, d! + n)).toISOString().slice(0, 10);
}

/** The 14 China dates today − 13 … today, oldest first (`today` is the China date, time.ts dateText). */
export function last14Days(today: string): string[] {
  return Array.from({ length: 14 }, (_, i) => addDays(today, i - 13));
}

/** A fresh draft for `personId`: every one of the 14 days at `home` (本社区). */
export function newDraft(personId: string, today: string, home: string): Draft {
  const places: Record<string, string> = {};
  for (const on of last14Days(today)) places[on] = home;
  return { personId, places, travel: '', contactWithCases: null, contactWithAreas: null, contactNote: '', symptoms: [], destination: '', purpose: '', acknowledged: false };
}

/**
 * A draft prefilled from earlier answers (a returned declaration): the days still within the last
 * 14 keep their place, newer days get `home`; the acknowledgement is asked again.
 */
export function draftFrom(personId: string, a: Partial<Answers>, today: string, home: string): Draft {
  const d = newDraft(personId, today, home);
  for (const r of a.residence ?? []) if (r && typeof r.on === 'string' && r.on in d.places && typeof r.place === 'string' && r.place.trim()) d.places[r.on] = r.place;
  d.travel = a.travel ?? '';
  d.contactWithCases = typeof a.contactWithCases === 'boolean' ? a.contactWithCases : null;
  d.contactWithAreas = typeof a.contactWithAreas === 'boolean' ? a.contactWithAreas : null;
  d.contactNote = a.contactNote ?? '';
  d.symptoms = Array.isArray(a.symptoms) ? (a.symptoms.length ? a.symptoms.filter((s) => typeof s === 'string') : [NONE]) : [];
  d.destination = a.destination ?? '';
  d.purpose = a.purpose ?? '';
  return d;
}

/** Ticks or unticks symptom `key`: "无" (NONE) clears the others, any symptom clears "无". */
export function toggleSymptom(current: string[], key: string, on: boolean): string[] {
  if (!on) return current.filter((k) => k !== key);
  if (key === NONE) return [NONE];
  return [...current.filter((k) => k !== NONE && k !== key), key];
}

/** A problem found before sending: the control's key (see {@link controlOf}) and the message pair. */
export interface Missing { key: string; message: Bilingual }

const REQUIRED: Bilingual = { zh: '请填写此项', en: 'Please fill this in' };
const CHOOSE: Bilingual = { zh: '请选择“是”或“否”', en: 'Choose yes or no' };

/** What is still missing in `d` (in form order); empty when it may be sent. */
export function missing(d: Draft): Missing[] {
  const out: Missing[] = [];
  Object.keys(d.places).sort().forEach((on, i) => { if (!d.places[on]!.trim()) out.push({ key: `residence.${i}.place`, message: REQUIRED }); });
  if (d.contactWithCases === null) out.push({ key: 'contactWithCases', message: CHOOSE });
  if (d.contactWithAreas === null) out.push({ key: 'contactWithAreas', message: CHOOSE });
  else if (d.contactWithAreas && !d.contactNote.trim()) out.push({ key: 'contactNote', message: { zh: '请说明接触的人员来自哪里、何时接触', en: 'Say where the people came from and when' } });
  if (d.symptoms.length === 0) out.push({ key: 'symptoms', message: { zh: '请勾选症状，没有症状请勾选“无”', en: 'Tick your symptoms, or “None”' } });
  if (!d.destination.trim()) out.push({ key: 'destination', message: REQUIRED });
  if (!d.purpose.trim()) out.push({ key: 'purpose', message: REQUIRED });
  if (!d.acknowledged) out.push({ key: 'acknowledged', message: { zh: '请阅读并勾选承诺', en: 'Read and tick the declaration' } });
  return out;
}

/** The request body's answers (without personId) from a complete draft. */
export function answersOf(d: Draft): Answers {
  return {
    residence: Object.keys(d.places).sort().map((on) => ({ on, place: d.places[on]!.trim() })),
    travel: d.travel.trim(),
    contactWithCases: d.contactWithCases === true,
    contactWithAreas: d.contactWithAreas === true,
    contactNote: d.contactWithAreas ? d.contactNote.trim() : '',
    symptoms: d.symptoms.filter((s) => s !== NONE),
    destination: d.destination.trim(),
    purpose: d.purpose.trim(),
    acknowledged: d.acknowledged,
  };
}

/**
 * The form control a server field path or error code belongs to ('residence.3.place' → the 4th
 * day's place, 'declaration_not_acknowledged' → the acknowledgement); null when none (top message).
 */
export function controlOf(field: string): string | null {
  const m = /^residence\.(\d+)(?:\.(?:place|on))?$/.exec(field);
  if (m) return `residence.${m[1]}.place`;
  if (field === 'residence' || field === 'residence_day_invalid') return 'residence.0.place';
  if (field === 'declaration_not_acknowledged') return 'acknowledged';
  const known = ['travel', 'contactWithCases', 'contactWithAreas', 'contactNote', 'symptoms', 'destination', 'purpose', 'acknowledged', 'personId'];
  const head = field.split('.')[0]!;
  return known.includes(head) ? head : null;
}

/** The date line of an ineligibility: '可于 2020-02-25 起申请'; '' without a date. */
export function possibleFromText(possibleFrom: unknown, zh: boolean): string {
  if (typeof possibleFrom !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(possibleFrom)) return '';
  return zh ? `可于 ${possibleFrom} 起申请` : `You can apply from ${possibleFrom}`;
}

/** Whether `personId` has a declaration still being handled (a new one would be refused 409). */
export function hasOpen(list: ResidentDeclaration[], personId: string): boolean {
  return list.some((d) => d.personId === personId && OPEN_STATES.includes(d.state));
}
