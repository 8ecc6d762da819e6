/**
 * Tracing from check-in logs (issue 4 §3, SPEC S4 "Tracing"): the query behind a trace. A pure read
 * (nothing stored, nothing audited): ./runs.ts stores, holds and audits; the benchmark calls
 * computeTrace directly.
 *
 * Two statements, both on existing indexes (the check-in hot path is benchmarked, so no index is
 * added for tracing):
 *  1. the subject's check-ins by checkins (person_id, at) over [from − STAY_MAX_HOURS, to): the
 *     entries that passed are where the subject's stays began (a stay's entered_at and
 *     entry_checkin_id are its entry check-in's), the ones inside the window are listed;
 *  2. the subject's stays found from those entries by stays (place_id, entered_at), then everyone's
 *     stays at those places by the same index over [visit start − STAY_MAX_HOURS, visit end + margin)
 *     (a stay lasts at most STAY_MAX_HOURS: longer ones are closed by timeout).
 * A stay still open counts as open until `now`, but never longer than STAY_MAX_HOURS (the timeout
 * job closes it there). The rule itself is ./rank.ts.
 */
import { sql } from 'kysely';
import type { AppContext } from '../../context';
import { maskName } from '../../lib/mask';
import { rankOverlaps, type OtherStay, type VisitStay } from './rank';

export interface TraceVisit {
  stayId: string; placeId: string; placeName: string; communityCode: string;
  enteredAt: string; closedAt: string | null; closedBy: string | null;
  /** How many persons overlapped this visit. */
  overlaps: number;
}
export interface TraceCheckin {
  at: string; placeId: string; placeName: string; checkpointName: string;
  direction: 'in' | 'out'; outcome: 'pass' | 'refused'; refusal: string | null; temperature: number | null;
}
export interface TraceCandidate {
  rank: number; personId: string; maskedName: string; homeCommunityCode: string | null;
  overlapMinutes: number; sharedVisits: number; firstOverlapAt: string; lastOverlapAt: string;
  lastExposureOn: string; places: string[]; alreadyContact: boolean;
}
/** A trace as computed (ISO instants, China dates): stored as is in traces.result. */
export interface TraceResult {
  parameters: { personId: string; from: string; to: string; marginMin: number; limit: number; stayMaxHours: number; computedAt: string };
  visits: TraceVisit[];
  checkins: TraceCheckin[];
  candidates: TraceCandidate[];
  totals: { visits: number; checkins: number; candidates: number; listed: number; truncated: boolean };
  /** Set when the retention purge emptied the lists (checkin/retention.ts): ISO 8601 time. */
  purgedAt?: string;
}

export interface TraceInput {
  personId: string;
  from: Date;
  to: Date;
  /** Minutes after each visit still counted (TRACE_MARGIN_MIN by default at the routes). */
  marginMin: number;
  /** Candidates listed at most (default TRACE_MAX_CANDIDATES). */
  limit?: number;
  /** Mark candidates already contacts of this case (alreadyContact). */
  caseId?: string;
  /** The instant open stays are counted up to (default: now). */
  now?: Date;
}

const iso = (d: unknown) => new Date(d as string | Date).toISOString();
const isoOrNull = (d: unknown) => (d === null || d === undefined ? null : iso(d));

/**
 * Compute the trace of `personId` over [from, to) with the given margin (rules: ./rank.ts and this
 * file's header). A pure read: no row written, no audit.
 * @returns visits (stays overlapping the window), the check-ins inside the window (refused ones
 *   too), the ranked candidates (at most `limit`) and totals.
 */
export async function computeTrace(ctx: AppContext, input: TraceInput): Promise<TraceResult> {
  const now = input.now ?? new Date();
  const limit = input.limit ?? ctx.config.TRACE_MAX_CANDIDATES;
  const stayMaxS = ctx.config.STAY_MAX_HOURS * 3600;
  const stayMax = sql`make_interval(secs => ${stayMaxS})`;
  const margin = sql`make_interval(mins => ${input.marginMin})`;
  const { from, to, personId } = input;

  const mine = await sql<{
    id: string; place_id: string; place_name: string; community_code: string; checkpoint_name: string;
    direction: 'in' | 'out'; outcome: 'pass' | 'refused'; refusal: string | null; temperature: string | number | null; at: Date;
  }>`SELECT c.id, c.place_id, p.name AS place_name, p.community_code, k.name AS checkpoint_name, c.direction, c.outcome,
      c.refusal, c.temperature, c.at
    FROM checkins c JOIN places p ON p.id = c.place_id JOIN checkpoints k ON k.id = c.checkpoint_id
    WHERE c.person_id = ${personId} AND c.at >= ${from}::timestamptz - ${stayMax} AND c.at < ${to}
    ORDER BY c.at, c.id`.execute(ctx.db);

  const entries = mine.rows.filter((r) => r.direction === 'in' && r.outcome === 'pass');
  const places = new Map(mine.rows.map((r) => [r.place_id, { name: r.place_name, community: r.community_code }]));
  const checkins: TraceCheckin[] = mine.rows.filter((r) => new Date(r.at) >= from).map((r) => ({
    at: iso(r.at), placeId: r.place_id, placeName: r.place_name, checkpointName: r.checkpoint_name, direction: r.direction,
    outcome: r.outcome, refusal: r.refusal, temperature: r.temperature === null ? null : Number(r.temperature),
  }));

  type Row = { kind: 'v' | 'o'; id: string; place_id: string; person_id: string | null; entered_at: Date; closed_at: Date | null;
    closed_by: string | null; end_at: Date; name: string | null; home: string | null; contact: boolean };
  let rows: Row[] = [];
  if (entries.length) {
    const endOf = (a: string) => sql`COALESCE(${sql.ref(`${a}.closed_at`)}, LEAST(${now}::timestamptz, ${sql.ref(`${a}.entered_at`)} + ${stayMax}))`;
    const contact = input.caseId
      ? sql`EXISTS (SELECT 1 FROM contacts ct WHERE ct.case_id = ${input.caseId} AND ct.person_id = s.person_id)`
      : sql`false`;
    const r = await sql<Row>`WITH e AS (
        SELECT * FROM unnest(${entries.map((x) => x.id)}::uuid[], ${entries.map((x) => x.place_id)}::uuid[],
          ${entries.map((x) => iso(x.at))}::timestamptz[]) AS e(checkin_id, place_id, at)),
      v AS (SELECT s.id, s.place_id, s.entered_at, s.closed_at, s.closed_by, ${endOf('s')} AS end_at
        FROM e JOIN stays s ON s.place_id = e.place_id AND s.entered_at = e.at AND s.entry_checkin_id = e.checkin_id
        WHERE s.person_id = ${personId}),
      vw AS (SELECT * FROM v WHERE v.entered_at < ${to} AND v.end_at > ${from})
      SELECT 'v' AS kind, vw.id, vw.place_id, NULL AS person_id, vw.entered_at, vw.closed_at, vw.closed_by, vw.end_at,
        NULL AS name, NULL AS home, false AS contact FROM vw
      UNION ALL
      SELECT DISTINCT ON (s.id) 'o', s.id, s.place_id, s.person_id, s.entered_at, s.closed_at, s.closed_by, ${endOf('s')},
        per.name, per.home_community_code, ${contact}
      FROM vw JOIN stays s ON s.place_id = vw.place_id AND s.entered_at >= vw.entered_at - ${stayMax}
        AND s.entered_at < vw.end_at + ${margin}
      JOIN persons per ON per.id = s.person_id
      WHERE s.person_id <> ${personId} AND ${endOf('s')} > vw.entered_at`.execute(ctx.db);
    rows = r.rows;
  }

  const visitRows = rows.filter((r) => r.kind === 'v').sort((a, b) => new Date(a.entered_at).getTime() - new Date(b.entered_at).getTime());
  const visits: VisitStay[] = visitRows.map((r) => ({
    stayId: r.id, placeId: r.place_id, placeName: places.get(r.place_id)?.name ?? '', enteredAt: new Date(r.entered_at), end: new Date(r.end_at),
  }));
  const others = rows.filter((r) => r.kind === 'o');
  const who = new Map(others.map((r) => [r.person_id!, r]));
  const stays: OtherStay[] = others.map((r) => ({ personId: r.person_id!, placeId: r.place_id, enteredAt: new Date(r.entered_at), end: new Date(r.end_at) }));
  const ranked = rankOverlaps(visits, stays, { marginMin: input.marginMin, subjectPersonId: personId, limit });

  return {
    parameters: { personId, from: iso(from), to: iso(to), marginMin: input.marginMin, limit, stayMaxHours: ctx.config.STAY_MAX_HOURS, computedAt: iso(now) },
    visits: visitRows.map((r, i) => ({
      stayId: r.id, placeId: r.place_id, placeName: places.get(r.place_id)?.name ?? '', communityCode: places.get(r.place_id)?.community ?? '',
      enteredAt: iso(r.entered_at), closedAt: isoOrNull(r.closed_at), closedBy: r.closed_by, overlaps: ranked.overlapsPerVisit[i] ?? 0,
    })),
    checkins,
    candidates: ranked.candidates.map((c, i) => {
      const p = who.get(c.personId)!;
      return {
        rank: i + 1, personId: c.personId, maskedName: maskName(p.name ?? ''), homeCommunityCode: p.home,
        overlapMinutes: c.overlapMinutes, sharedVisits: c.sharedVisits, firstOverlapAt: iso(c.firstOverlapAt), lastOverlapAt: iso(c.lastOverlapAt),
        lastExposureOn: c.lastExposureOn, places: c.places, alreadyContact: Boolean(p.contact),
      };
    }),
    totals: { visits: visitRows.length, checkins: checkins.length, candidates: ranked.total, listed: ranked.candidates.length, truncated: ranked.truncated },
  };
}
