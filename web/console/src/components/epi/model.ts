/**
 * Shapes of the epidemiology API (issue 4 §1–§3) as the console reads them, and the zh/en labels
 * of case statuses, classifications and contact kinds. The server's zod response schemas
 * (src/modules/cases, contacts, tracing routes.ts) are the contract; these mirror them.
 * Dates of a day ('YYYY-MM-DD') are China dates; instants are ISO strings shown in China time.
 */
import type { Lang } from '../../i18n';

import { CASE_STATUSES, CASE_STATUS_LABELS, nextStatuses, type CaseStatus } from '../../../../../src/modules/cases/rules';

export type { CaseStatus };
type Bi = readonly [zh: string, en: string];
const pick = (l: Bi | undefined, lang: Lang, fallback: string) => (l ? (lang === 'zh' ? l[0] : l[1]) : fallback);

/** Case statuses in the order of a case's life, labelled by the server's rules (issue 4 §1). */
export const CASE_STATUS_KEYS: readonly CaseStatus[] = CASE_STATUSES;
export const caseStatusLabel = (s: string, lang: Lang) => {
  const l = CASE_STATUS_LABELS[s as CaseStatus];
  return l ? l[lang] : s;
};
/** Tag / graph colours: orange suspected, red confirmed, green discharged, grey excluded, black deceased. */
export const CASE_STATUS_COLOURS: Record<CaseStatus, string> = {
  suspected: '#fa8c16', confirmed: '#cf1322', discharged: '#389e0d', excluded: '#8c8c8c', deceased: '#262626',
};
export const caseStatusColour = (s: string) => CASE_STATUS_COLOURS[s as CaseStatus] ?? '#8c8c8c';

/**
 * Statuses the status form offers: the server's state machine (src/modules/cases/rules.ts
 * nextStatuses: suspected → confirmed | excluded; confirmed → discharged | deceased | excluded),
 * plus the same status for a change of hospitalisation alone while the case is open.
 */
export function offeredStatuses(s: CaseStatus): CaseStatus[] {
  const next = [...nextStatuses(s)];
  return next.length ? [s, ...next] : [];
}

export const classificationLabel = (c: string, lang: Lang) =>
  pick(({ imported: ['输入病例', 'Imported'], local: ['本地病例', 'Local'] } as Record<string, Bi>)[c], lang, c);
export const contactKindLabel = (k: string, lang: Lang) =>
  pick(({ close: ['密切接触者', 'Close contact'], secondary: ['次密接', 'Secondary contact'] } as Record<string, Bi>)[k], lang, k);
const CONTACT_EVENTS: Record<string, Bi> = {
  created: ['登记', 'Registered'], exposure_corrected: ['更正暴露日期', 'Exposure corrected'], symptoms: ['出现症状', 'Symptoms'],
  override: ['调整解除日期', 'End date overridden'], override_reverted: ['恢复计算日期', 'Override reverted'], released: ['解除医学观察', 'Released'],
};
export const contactEventLabel = (k: string, lang: Lang) => pick(CONTACT_EVENTS[k], lang, k);

export interface CaseSummary {
  id: string; number: string; maskedName: string; status: CaseStatus; hospitalised: boolean;
  classification: string; sourceArea: string | null; infectorCaseId: string | null; infectorNumber: string | null;
  cluster: string | null; onsetOn: string | null; confirmedOn: string | null; communityCode?: string; communityName: string | null;
}
export interface CaseEvent {
  status: CaseStatus; hospitalised: boolean; hospital: string; effectiveOn: string; reason: string; actorRole: string; recordedAt: string;
}
export interface CaseFacts extends CaseSummary {
  personId?: string; hospital: string; isolatedOn: string | null; note: string; createdAt?: string;
}
/** A linked case: a full summary in scope, or only its number (an infector outside the account's area). */
export interface CaseLink { id: string; number: string; status?: CaseStatus; maskedName?: string | null }
export interface CaseDetail {
  case: CaseFacts;
  person: { id: string; maskedName: string; docMasked: string; homeCommunityName: string | null };
  events: CaseEvent[];
  infector: CaseLink | null;
  infected: CaseLink[];
  contactCounts: { total: number; observing: number; released: number };
}
/** A node of GET /api/cases/graph; `outside`: an infector outside the account's scope (number only). */
export interface GraphNode {
  id: string; number: string; status: CaseStatus | null; classification: string | null; sourceArea: string | null;
  cluster: string | null; maskedName: string | null; contacts: number; outside?: boolean;
}
export interface CaseGraph { nodes: GraphNode[]; edges: Array<{ from: string; to: string }> }

/** A contact as GET /api/contacts returns it (src/modules/contacts/service.ts ContactView). */
export interface ContactView {
  id: string; personId: string; maskedName: string; kind: string; caseId: string; caseNumber: string;
  source: { caseId: string | null; contactId: string | null; label: string }; traceId: string | null;
  lastExposureOn: string; symptomsLastOn: string | null; startOn: string; computedEndOn: string; endOn: string;
  releasableFrom: string; overridden: boolean;
  /** Day N of M on China today: 0 before day 1, above M after the end date (not capped). */
  day: number; of: number;
  state: 'observing' | 'released'; tracedOn: string; releasedOn: string | null; releaseReason: string | null;
  communityCode: string; communityName: string | null; note: string;
}
export interface ContactEvent { kind: string; detail: Record<string, unknown>; reason: string; actorRole: string; at: string }

export interface TraceCounts { visits: number; checkins: number; candidates: number; listed: number; truncated: boolean }
/** A stored trace without its result (GET /api/cases/:id/traces). */
export interface TraceSummary {
  id: string; caseId: string; caseNumber: string; subject: { personId: string; maskedName: string; contactId: string | null };
  from: string; to: string; marginMin: number; reason: string; counts: TraceCounts; createdAt: string; createdBy: string;
}
export interface TraceCandidate {
  rank: number; personId: string; maskedName: string; overlapMinutes: number; sharedVisits: number; firstOverlapAt: string;
  lastOverlapAt: string; lastExposureOn: string; places: string[]; alreadyContact: boolean;
}
export interface TraceVisit { stayId: string; placeId: string; placeName: string; enteredAt: string; closedAt: string | null; overlaps: number }
/** A stored trace with its result as computed (GET /api/traces/:id). */
export interface TraceDetail extends TraceSummary {
  result: { visits: TraceVisit[]; candidates: TraceCandidate[]; totals: TraceCounts; purgedAt?: string };
}
