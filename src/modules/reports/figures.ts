/**
 * One definition of each situation report figure (issue 4 §4, SPEC S5). A figure is a key, zh/en
 * labels, its subject (case or contact) and a predicate on ONE record "as of 24:00 China time on D";
 * the count (dashboard, API, paragraph), the list and the CSV export all apply the same predicate,
 * so they agree by construction (LESSONS "Figures that disagree"). D is a China date 'YYYY-MM-DD'.
 * Area = prefix match of the record's community_code on the area node's code (load.ts).
 *
 * Definitions (also in docs/processes/situation-report.md):
 * - state(case, D): the latest case_events row with effective_on <= D (ties: larger id). A case with
 *   no event <= D does not exist yet on D (no figure counts it).
 * - confirmedOn(case, D): when state(D).status ∈ {confirmed, discharged, deceased}, the effective_on
 *   of the first 'confirmed' event after the last 'excluded' event (both <= D); else null. A case
 *   confirmed then excluded is not a confirmed case from the exclusion day on.
 * - suspectedOn(case, D): effective_on of its first 'suspected' event <= D, else null.
 * - since(case, D): the first day of the run of events with state(D)'s status that ends at state(D)
 *   (the day the case entered its current status; equal to state(D)'s effective_on unless a later
 *   event only changed the hospital).
 * - newConfirmed: confirmedOn = D. cumulativeConfirmed: confirmedOn != null.
 * - newSuspected: suspectedOn = D. currentSuspected: status = suspected. cumulativeSuspected:
 *   suspectedOn != null.
 * - newDischarged: status = discharged and since = D. cumulativeDischarged: status = discharged.
 *   cumulativeDeceased: status = deceased.
 * - currentlyHospitalised: state(D).hospitalised and status ∈ {suspected, confirmed}.
 * - composition of cumulative confirmed: imported (classification), local, secondGeneration
 *   (infector_case_id set); imported by source_area and clusters are breakdowns (compute.ts).
 * - contacts: cumulativeTraced: traced_on <= D; released: released_on <= D; underObservation:
 *   traced_on <= D and (released_on null or > D); each also split by kind close / secondary.
 * Derived (compute.ts): daysWithoutNew*, clearedOn, allClearOn.
 */
import type { CaseStatus } from '../../db/schema';

/** One state of a case (a case_events row), China date `effectiveOn`. */
export interface CaseEventFact { id: number; status: CaseStatus; hospitalised: boolean; effectiveOn: string }

/** What a case figure reads: the case's fixed fields and its events sorted by (effectiveOn, id). */
export interface CaseFacts {
  id: string;
  communityCode: string;
  classification: 'imported' | 'local';
  sourceArea: string | null;
  infectorCaseId: string | null;
  cluster: string | null;
  events: CaseEventFact[];
}

/** What a contact figure reads (a contact row, or a group of identical ones in load.ts). */
export interface ContactFacts { kind: 'close' | 'secondary'; tracedOn: string; releasedOn: string | null }

/** A case as of 24:00 on a day (null from caseOn when it does not exist yet). */
export interface CaseDay {
  status: CaseStatus;
  hospitalised: boolean;
  /** First day of the current status (see `since` above). */
  since: string;
  confirmedOn: string | null;
  suspectedOn: string | null;
}

const CONFIRMED_LIKE: ReadonlySet<CaseStatus> = new Set(['confirmed', 'discharged', 'deceased']);

/**
 * The case as of 24:00 China time on `d` (definitions in the header); null when it has no event on
 * or before `d`. `c.events` must be sorted by (effectiveOn, id) ascending (load.ts does).
 */
export function caseOn(c: CaseFacts, d: string): CaseDay | null {
  let last = -1;
  for (let i = 0; i < c.events.length && c.events[i]!.effectiveOn <= d; i++) last = i;
  if (last < 0) return null;
  const state = c.events[last]!;
  let sinceIdx = last;
  while (sinceIdx > 0 && c.events[sinceIdx - 1]!.status === state.status) sinceIdx--;
  let suspectedOn: string | null = null;
  let confirmedOn: string | null = null;
  for (let i = 0; i <= last; i++) {
    const e = c.events[i]!;
    if (e.status === 'suspected' && suspectedOn === null) suspectedOn = e.effectiveOn;
    if (e.status === 'excluded') confirmedOn = null;
    else if (e.status === 'confirmed' && confirmedOn === null) confirmedOn = e.effectiveOn;
  }
  return {
    status: state.status, hospitalised: state.hospitalised, since: c.events[sinceIdx]!.effectiveOn,
    confirmedOn: CONFIRMED_LIKE.has(state.status) ? confirmedOn : null, suspectedOn,
  };
}

/** A figure over cases: `test(day, case, d)` with `day` = caseOn(case, d), never null here. */
interface CaseFigure { subject: 'case'; zh: string; en: string; test: (day: CaseDay, c: CaseFacts, d: string) => boolean }
/** A figure over contacts. */
interface ContactFigure { subject: 'contact'; zh: string; en: string; test: (k: ContactFacts, d: string) => boolean }

const traced = (k: ContactFacts, d: string) => k.tracedOn <= d;
const released = (k: ContactFacts, d: string) => k.releasedOn !== null && k.releasedOn <= d;
const observed = (k: ContactFacts, d: string) => k.tracedOn <= d && (k.releasedOn === null || k.releasedOn > d);
const confirmed = (x: CaseDay) => x.confirmedOn !== null;

/** Every countable figure, in display order. The predicates are THE definitions (header). */
export const FIGURES = {
  newConfirmed: { subject: 'case', zh: '新增确诊病例', en: 'New confirmed', test: (x, _c, d) => x.confirmedOn === d },
  cumulativeConfirmed: { subject: 'case', zh: '累计确诊病例', en: 'Cumulative confirmed', test: (x) => confirmed(x) },
  newSuspected: { subject: 'case', zh: '新增疑似病例', en: 'New suspected', test: (x, _c, d) => x.suspectedOn === d },
  currentSuspected: { subject: 'case', zh: '现有疑似病例', en: 'Current suspected', test: (x) => x.status === 'suspected' },
  cumulativeSuspected: { subject: 'case', zh: '累计疑似病例', en: 'Cumulative suspected', test: (x) => x.suspectedOn !== null },
  newDischarged: { subject: 'case', zh: '新增治愈出院', en: 'Newly discharged', test: (x, _c, d) => x.status === 'discharged' && x.since === d },
  cumulativeDischarged: { subject: 'case', zh: '累计治愈出院', en: 'Cumulative discharged', test: (x) => x.status === 'discharged' },
  cumulativeDeceased: { subject: 'case', zh: '累计死亡', en: 'Cumulative deceased', test: (x) => x.status === 'deceased' },
  currentlyHospitalised: {
    subject: 'case', zh: '现有住院病例', en: 'Currently hospitalised',
    test: (x) => x.hospitalised && (x.status === 'suspected' || x.status === 'confirmed'),
  },
  imported: { subject: 'case', zh: '输入病例（确诊）', en: 'Imported (confirmed)', test: (x, c) => confirmed(x) && c.classification === 'imported' },
  local: { subject: 'case', zh: '本地病例（确诊）', en: 'Local (confirmed)', test: (x, c) => confirmed(x) && c.classification === 'local' },
  secondGeneration: { subject: 'case', zh: '二代病例（确诊）', en: 'Second-generation (confirmed)', test: (x, c) => confirmed(x) && c.infectorCaseId !== null },
  cumulativeTraced: { subject: 'contact', zh: '累计追踪密切接触者', en: 'Contacts traced', test: traced },
  cumulativeTracedClose: { subject: 'contact', zh: '累计追踪密切接触者（密接）', en: 'Close contacts traced', test: (k, d) => k.kind === 'close' && traced(k, d) },
  cumulativeTracedSecondary: { subject: 'contact', zh: '累计追踪次密切接触者', en: 'Secondary contacts traced', test: (k, d) => k.kind === 'secondary' && traced(k, d) },
  released: { subject: 'contact', zh: '已解除医学观察', en: 'Released from observation', test: released },
  releasedClose: { subject: 'contact', zh: '已解除医学观察（密接）', en: 'Close contacts released', test: (k, d) => k.kind === 'close' && released(k, d) },
  releasedSecondary: { subject: 'contact', zh: '已解除医学观察（次密接）', en: 'Secondary contacts released', test: (k, d) => k.kind === 'secondary' && released(k, d) },
  underObservation: { subject: 'contact', zh: '尚在医学观察', en: 'Under observation', test: observed },
  underObservationClose: { subject: 'contact', zh: '尚在医学观察（密接）', en: 'Close contacts under observation', test: (k, d) => k.kind === 'close' && observed(k, d) },
  underObservationSecondary: {
    subject: 'contact', zh: '尚在医学观察（次密接）', en: 'Secondary contacts under observation',
    test: (k, d) => k.kind === 'secondary' && observed(k, d),
  },
} satisfies Record<string, CaseFigure | ContactFigure>;

export type FigureKey = keyof typeof FIGURES;
export const FIGURE_KEYS = Object.keys(FIGURES) as FigureKey[];
export type CaseFigureKey = { [K in FigureKey]: (typeof FIGURES)[K]['subject'] extends 'case' ? K : never }[FigureKey];
export type ContactFigureKey = Exclude<FigureKey, CaseFigureKey>;
export const CASE_FIGURE_KEYS = FIGURE_KEYS.filter((k) => FIGURES[k].subject === 'case') as CaseFigureKey[];
export const CONTACT_FIGURE_KEYS = FIGURE_KEYS.filter((k) => FIGURES[k].subject === 'contact') as ContactFigureKey[];

/** Whether `key` names a figure (for request validation). */
export const isFigureKey = (key: string): key is FigureKey => Object.prototype.hasOwnProperty.call(FIGURES, key);

/** Whether case `c` counts in case figure `key` on day `d` (false when the case does not exist yet). */
export function caseCounts(key: CaseFigureKey, c: CaseFacts, d: string, day = caseOn(c, d)): boolean {
  return day !== null && (FIGURES[key] as CaseFigure).test(day, c, d);
}

/** Whether contact `k` counts in contact figure `key` on day `d`. */
export function contactCounts(key: ContactFigureKey, k: ContactFacts, d: string): boolean {
  return (FIGURES[key] as ContactFigure).test(k, d);
}

/** zh/en labels of case statuses, for lists and exports. */
export const STATUS_LABELS: Record<CaseStatus, { zh: string; en: string }> = {
  suspected: { zh: '疑似', en: 'Suspected' }, confirmed: { zh: '确诊', en: 'Confirmed' },
  discharged: { zh: '治愈出院', en: 'Discharged' }, excluded: { zh: '排除', en: 'Excluded' }, deceased: { zh: '死亡', en: 'Deceased' },
};
