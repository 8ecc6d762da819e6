/**
 * The tracing rule (issue 4 §3, SPEC S4 "Tracing"), as pure functions of rows already read: who
 * shared a place with the traced subject, for how long, and in what order they are listed.
 *
 * - A visit is one of the subject's stays (entered_at .. closed_at, or still open).
 * - Someone else's stay at the same place overlaps a visit when it intersects
 *   [visit entered_at, visit end + margin): the margin (TRACE_MARGIN_MIN) is after the subject left
 *   only, so people who left before the subject arrived are never listed.
 * - Per person: overlap minutes (the union of the intersections, so consecutive visits whose margins
 *   touch never count the same minutes twice), shared visits (how many of the subject's visits they
 *   overlapped), first and last overlapping instant, the China date of the last one.
 * - Rank: overlap minutes desc, shared visits desc, earliest first overlap, person id (stable).
 */
import { chinaDate } from '../../lib/time';

/** A stay of the subject (a visit): `end` is closed_at, or the end counted for a stay still open. */
export interface VisitStay {
  stayId: string;
  placeId: string;
  placeName: string;
  enteredAt: Date;
  end: Date;
}

/** Someone else's stay at a place the subject visited (`end` as for VisitStay). */
export interface OtherStay {
  personId: string;
  placeId: string;
  enteredAt: Date;
  end: Date;
}

/** One person who overlapped the subject, before names are attached. */
export interface RankedCandidate {
  personId: string;
  /** Minutes of overlap, rounded to 0.1 minute (the value ranked on). */
  overlapMinutes: number;
  /** Number of the subject's visits this person overlapped. */
  sharedVisits: number;
  firstOverlapAt: Date;
  lastOverlapAt: Date;
  /** China date ('YYYY-MM-DD') of the last overlapping instant: the contact's last exposure date. */
  lastExposureOn: string;
  /** Names of the places they overlapped at, in order of first overlap. */
  places: string[];
}

export interface RankResult {
  candidates: RankedCandidate[];
  /** Every person who overlapped, before the limit. */
  total: number;
  truncated: boolean;
  /** Per visit (same order as the input): how many persons overlapped it. */
  overlapsPerVisit: number[];
}

const MIN = 60_000;

/** Sum of the lengths of intervals [a, b), overlapping ones merged, in ms. */
function unionLength(intervals: Array<[number, number]>): number {
  const sorted = [...intervals].sort((x, y) => x[0] - y[0]);
  let total = 0;
  let cur: [number, number] | null = null;
  for (const [a, b] of sorted) {
    if (!cur || a > cur[1]) {
      if (cur) total += cur[1] - cur[0];
      cur = [a, b];
    } else if (b > cur[1]) cur[1] = b;
  }
  if (cur) total += cur[1] - cur[0];
  return total;
}

/** The ranking order (rule in the file header): negative when `a` comes first. */
export function compareCandidates(a: RankedCandidate, b: RankedCandidate): number {
  return b.overlapMinutes - a.overlapMinutes
    || b.sharedVisits - a.sharedVisits
    || a.firstOverlapAt.getTime() - b.firstOverlapAt.getTime()
    || (a.personId < b.personId ? -1 : a.personId > b.personId ? 1 : 0);
}

/**
 * Rank everyone whose stay overlapped one of `visits` (rule in the file header).
 * @param visits the subject's stays in the window.
 * @param others stays at those places (any person: the subject's own are skipped).
 * @param o.marginMin minutes after each visit's end still counted (≥ 0).
 * @param o.subjectPersonId never listed.
 * @param o.limit at most this many candidates are returned (the total is still counted).
 */
export function rankOverlaps(visits: VisitStay[], others: OtherStay[], o: { marginMin: number; subjectPersonId: string; limit: number }): RankResult {
  const byPlace = new Map<string, number[]>();
  visits.forEach((v, i) => byPlace.set(v.placeId, [...(byPlace.get(v.placeId) ?? []), i]));
  const acc = new Map<string, { intervals: Array<[number, number]>; visits: Set<number>; first: number; last: number; places: Array<[number, string]> }>();
  const perVisit = visits.map(() => new Set<string>());
  for (const s of others) {
    if (s.personId === o.subjectPersonId) continue;
    for (const i of byPlace.get(s.placeId) ?? []) {
      const v = visits[i]!;
      const from = Math.max(s.enteredAt.getTime(), v.enteredAt.getTime());
      const to = Math.min(s.end.getTime(), v.end.getTime() + o.marginMin * MIN);
      if (to <= from) continue;
      let a = acc.get(s.personId);
      if (!a) acc.set(s.personId, (a = { intervals: [], visits: new Set(), first: from, last: to, places: [] }));
      a.intervals.push([from, to]);
      a.visits.add(i);
      a.first = Math.min(a.first, from);
      a.last = Math.max(a.last, to);
      a.places.push([from, v.placeName]);
      perVisit[i]!.add(s.personId);
    }
  }
  const all: RankedCandidate[] = [...acc.entries()].map(([personId, a]) => ({
    personId,
    overlapMinutes: Math.round(unionLength(a.intervals) / MIN * 10) / 10,
    sharedVisits: a.visits.size,
    firstOverlapAt: new Date(a.first),
    lastOverlapAt: new Date(a.last),
    // the overlap ends just before `last` (half-open): an overlap ending at 00:00 belongs to the day before
    lastExposureOn: chinaDate(new Date(a.last - 1)),
    places: [...new Set(a.places.sort((x, y) => x[0] - y[0]).map((p) => p[1]))],
  }));
  all.sort(compareCandidates);
  return { candidates: all.slice(0, o.limit), total: all.length, truncated: all.length > o.limit, overlapsPerVisit: perVisit.map((s) => s.size) };
}
