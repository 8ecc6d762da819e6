/**
 * The situation report's figures from loaded records (no database here): counts through the
 * predicates of figures.ts, and the derived figures (SPEC S5, issue 4 §4):
 * - daysWithoutNewConfirmed: D − (the latest confirmedOn <= D among the area's cases); null when
 *   there is none ("the days after the last day that had one, up to and including the report
 *   date": last 02-20, report 02-26 → 6; a new case on D → 0). daysWithoutNewSuspected likewise.
 * - active(d) = currentlyHospitalised(d) + currentSuspected(d). clearedOn: the last day C <= D with
 *   active(C) = 0 and active(C − 1) > 0, provided active stays 0 from C through D; a case active
 *   only within one day (suspected, confirmed and discharged on C) also makes C such a day; null
 *   when active(D) > 0 or there never was an active case. allClearOn = clearedOn + ALL_CLEAR_DAYS (28,
 *   SPEC "Rules worth knowing"); allClear = D >= allClearOn.
 * - breakdowns of cumulative confirmed: imported by source_area, clusters (label → count).
 */
import { addDays, chinaDayStart } from '../../lib/time';
import {
  CASE_FIGURE_KEYS, CONTACT_FIGURE_KEYS, caseOn, FIGURES, type CaseDay, type CaseFacts, type ContactFacts, type FigureKey,
} from './figures';

/** Contact facts with a weight: `n` identical contacts (load.ts groups them for speed). */
export interface ContactGroup extends ContactFacts { n: number }

/** The loaded records of one area: cases (with events) and contact groups. */
export interface AreaRecords { cases: CaseFacts[]; contacts: ContactGroup[] }

/** Every figure of one area and day. Counts are numbers of cases or contacts; dates China dates. */
export type SituationFigures = Record<FigureKey, number> & {
  daysWithoutNewConfirmed: number | null;
  daysWithoutNewSuspected: number | null;
  lastConfirmedOn: string | null;
  lastSuspectedOn: string | null;
  importedBySource: Array<{ sourceArea: string; count: number }>;
  clusters: Array<{ cluster: string; count: number }>;
  clearedOn: string | null;
  allClearOn: string | null;
  allClear: boolean;
};

/** Whole days from China date `a` to `b` (b − a). */
export function daysBetween(a: string, b: string): number {
  return Math.round((chinaDayStart(b).getTime() - chinaDayStart(a).getTime()) / 86_400_000);
}

/** A breakdown's entries, largest count first, then by label (code point order). */
const ranked = (m: Map<string, number>): Array<[string, number]> =>
  [...m].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));

/** active(d): cases hospitalised (suspected or confirmed) plus cases suspected on `d`. */
export function activeOn(cases: CaseFacts[], d: string): number {
  let n = 0;
  for (const c of cases) {
    const x = caseOn(c, d);
    if (x && (FIGURES.currentlyHospitalised.test(x) || FIGURES.currentSuspected.test(x))) n++;
  }
  return n;
}

/**
 * clearedOn as of `d` (header). Active only changes on event days, so only those are visited,
 * newest first, until one with active > 0: the next event day is C.
 */
export function clearedOn(cases: CaseFacts[], d: string): string | null {
  const days = [...new Set(cases.flatMap((c) => c.events.map((e) => e.effectiveOn)).filter((e) => e <= d))].sort();
  if (days.length === 0 || activeOn(cases, d) > 0) return null;
  for (let i = days.length - 1; i >= 0; i--) {
    if (activeOn(cases, days[i]!) > 0) return days[i + 1] ?? null; // days[i+1] exists: active(d) = 0
    if (activeWithin(cases, days[i]!)) return days[i]!;
  }
  return null;
}

/** True when some case was active during day `d` by one of its events of that day (ended by another). */
function activeWithin(cases: CaseFacts[], d: string): boolean {
  return cases.some((c) => c.events.some((e) => e.effectiveOn === d
    && (e.status === 'suspected' || (e.hospitalised && e.status === 'confirmed'))));
}

/** The case-figure counts of `d` plus the latest confirmedOn/suspectedOn <= d and the breakdowns. */
function caseFigures(cases: CaseFacts[], d: string) {
  const counts = Object.fromEntries(CASE_FIGURE_KEYS.map((k) => [k, 0])) as Record<FigureKey, number>;
  let lastConfirmedOn: string | null = null;
  let lastSuspectedOn: string | null = null;
  const sources = new Map<string, number>();
  const clusters = new Map<string, number>();
  for (const c of cases) {
    const x: CaseDay | null = caseOn(c, d);
    if (!x) continue;
    for (const k of CASE_FIGURE_KEYS) if ((FIGURES[k].test as (x: CaseDay, c: CaseFacts, d: string) => boolean)(x, c, d)) counts[k]++;
    if (x.confirmedOn && (!lastConfirmedOn || x.confirmedOn > lastConfirmedOn)) lastConfirmedOn = x.confirmedOn;
    if (x.suspectedOn && (!lastSuspectedOn || x.suspectedOn > lastSuspectedOn)) lastSuspectedOn = x.suspectedOn;
    if (x.confirmedOn) {
      if (c.classification === 'imported') sources.set(c.sourceArea ?? '未知', (sources.get(c.sourceArea ?? '未知') ?? 0) + 1);
      if (c.cluster) clusters.set(c.cluster, (clusters.get(c.cluster) ?? 0) + 1);
    }
  }
  return { counts, lastConfirmedOn, lastSuspectedOn, sources, clusters };
}

/** The contact-figure counts of `d` (weighted by each group's n). */
function contactFigures(contacts: ContactGroup[], d: string): Record<FigureKey, number> {
  const counts = Object.fromEntries(CONTACT_FIGURE_KEYS.map((k) => [k, 0])) as Record<FigureKey, number>;
  for (const g of contacts) for (const k of CONTACT_FIGURE_KEYS) if (FIGURES[k].test(g, d)) counts[k] += g.n;
  return counts;
}

/**
 * Every figure of the area whose records are `r`, as of 24:00 China time on `d`.
 * @param allClearDays ALL_CLEAR_DAYS (28): days from clearedOn to the all-clear date.
 */
export function computeFigures(r: AreaRecords, d: string, allClearDays: number): SituationFigures {
  const cf = caseFigures(r.cases, d);
  const cleared = clearedOn(r.cases, d);
  const allClearOn = cleared ? addDays(cleared, allClearDays) : null;
  return {
    ...cf.counts, ...contactFigures(r.contacts, d),
    daysWithoutNewConfirmed: cf.lastConfirmedOn ? daysBetween(cf.lastConfirmedOn, d) : null,
    daysWithoutNewSuspected: cf.lastSuspectedOn ? daysBetween(cf.lastSuspectedOn, d) : null,
    lastConfirmedOn: cf.lastConfirmedOn, lastSuspectedOn: cf.lastSuspectedOn,
    importedBySource: ranked(cf.sources).map(([sourceArea, count]) => ({ sourceArea, count })),
    clusters: ranked(cf.clusters).map(([cluster, count]) => ({ cluster, count })),
    clearedOn: cleared, allClearOn, allClear: allClearOn !== null && d >= allClearOn,
  };
}

/** The figures of one day of a series (the chart's and the series export's columns). */
export const SERIES_KEYS = [
  'newConfirmed', 'cumulativeConfirmed', 'newSuspected', 'currentSuspected', 'newDischarged', 'cumulativeDischarged', 'cumulativeDeceased',
  'currentlyHospitalised', 'underObservation', 'cumulativeTraced', 'released',
] as const satisfies readonly FigureKey[];
export type SeriesDay = { date: string } & Record<(typeof SERIES_KEYS)[number], number>;

/**
 * One SeriesDay per China date from `from` to `to` inclusive (from <= to), from the same records
 * and predicates as computeFigures (only the series' figures are evaluated).
 */
export function computeSeries(r: AreaRecords, from: string, to: string): SeriesDay[] {
  const caseKeys = SERIES_KEYS.filter((k) => FIGURES[k].subject === 'case');
  const contactKeys = SERIES_KEYS.filter((k) => FIGURES[k].subject === 'contact');
  const out: SeriesDay[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) {
    const day = { date: d } as SeriesDay;
    for (const k of SERIES_KEYS) day[k] = 0;
    for (const c of r.cases) {
      const x = caseOn(c, d);
      if (x) for (const k of caseKeys) if ((FIGURES[k].test as (x: CaseDay, c: CaseFacts, d: string) => boolean)(x, c, d)) day[k]++;
    }
    for (const g of r.contacts) for (const k of contactKeys) if ((FIGURES[k].test as (k: ContactFacts, d: string) => boolean)(g, d)) day[k] += g.n;
    out.push(day);
  }
  return out;
}
