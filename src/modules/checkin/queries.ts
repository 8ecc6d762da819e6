/**
 * Check-in figures and searches for community staff (issue 2 §10, issue 4 §5), always inside the
 * account's area subtree. One definition of each figure (per place and China-time day) serves the
 * API, the console, the dashboard and the export.
 *
 * What counts as an ENTRY (进入人次), the one rule (issue 4 §5; docs/processes/checkin.md):
 *   one passed 'in' check-in that is not the guard's half of a two-way check, i.e. a row with
 *   direction = 'in', outcome = 'pass' and whose id is no `two_way_checks.guard_checkin_id`.
 * A two-way check (issue 3: the resident scans the gate and the guard scans the resident) leaves
 * two check-in rows for one passage; the resident's row stands for it. An EXIT (离开人次) follows
 * the same rule with direction = 'out'. Refusals and fever readings count every row (each is a
 * decision or a measurement of its own). The counts, the search with `kind=entries` and the
 * export with `kind=entries` all use `passageSql` / `isGuardHalf` below, so for the same filter
 * the dashboard's number, the list's total and the export's line count are equal.
 */
import { sql, type Expression, type SqlBool } from 'kysely';
import type { AppContext } from '../../context';
import { chinaDayRange } from '../../lib/time';
import { maskName } from '../../lib/mask';

/** Which rows a search returns: every check-in, or only the entries of the rule above. */
export type CheckinKind = 'all' | 'entries';

export interface CheckinFilter {
  /** Area code inside the account's scope (defaults to the scope itself). */
  areaCode: string;
  placeId?: string;
  /** Person's name (exact) or a part of it. */
  personName?: string;
  /** China dates 'YYYY-MM-DD', inclusive. */
  from: string;
  to: string;
  /** Default 'all'. */
  kind?: CheckinKind;
}

/** True when check-in `c` is the guard's half of a two-way check (then it is no entry or exit of its own). */
export const isGuardHalf: Expression<SqlBool> = sql<SqlBool>`EXISTS (SELECT 1 FROM two_way_checks tw WHERE tw.guard_checkin_id = c.id)`;

/** True when check-in `c` is one passage in `direction`: passed, same direction, not a guard's half (the entry rule). */
export function passageSql(direction: 'in' | 'out'): Expression<SqlBool> {
  return sql<SqlBool>`(c.direction = ${sql.lit(direction)} AND c.outcome = 'pass' AND NOT ${isGuardHalf})`;
}

/** The China date ('YYYY-MM-DD') of check-in `c` (00:00 Asia/Shanghai boundaries, SPEC "Rules"). */
export const checkinDaySql = sql<string>`((c.at AT TIME ZONE 'Asia/Shanghai')::date)::text`;

/**
 * Check-ins (alias `c`) of the filter: area prefix, China-day range [from 00:00, to+1 00:00), place,
 * name, kind. The area is read as its division codes (areas, by prefix) and each code's check-ins
 * by the (community_code, at) index in a LATERAL subquery (OFFSET 0 keeps the planner from
 * flattening it), not as `community_code LIKE prefix%`: a prefix scan of that index reads the
 * area's entries of every day (10M check-ins: ~1.4M for a district), and the BRIN index on `at`
 * reads the whole city's day; this reads the day's rows of the area only (bench/epi.ts "dashboard").
 */
export function checkinBase(ctx: AppContext, f: CheckinFilter) {
  const { from } = chinaDayRange(f.from);
  const { to } = chinaDayRange(f.to);
  return ctx.db.selectFrom('areas as ar')
    .where('ar.code', 'like', `${f.areaCode.replace(/[%_\\]/g, '')}%`)
    .innerJoinLateral((eb) => {
      let q = eb.selectFrom('checkins as c').selectAll('c')
        .whereRef('c.community_code', '=', 'ar.code')
        .where('c.at', '>=', from).where('c.at', '<', to);
      if (f.placeId) q = q.where('c.place_id', '=', f.placeId);
      if (f.personName) {
        const name = f.personName.trim();
        q = q.where('c.person_id', 'in', (e2) => e2.selectFrom('persons').select('id').where('name', 'like', `%${name.replace(/[%_\\]/g, '\\$&')}%`));
      }
      if (f.kind === 'entries') q = q.where(passageSql('in'));
      return q.offset(0).as('c');
    }, (join) => join.onTrue());
}

/**
 * Per place and China-time day: entries and exits (the passage rule above), refusals, fever
 * readings (refusal 'fever'), distinct persons. Day boundaries are 00:00 Asia/Shanghai.
 * @returns rows {placeId, placeName, placeKind, communityCode, day 'YYYY-MM-DD', entries, exits, refused, fevers, persons}
 */
export async function countsByPlaceDay(ctx: AppContext, f: CheckinFilter) {
  // aggregate first, then name the places: a join inside the per-code scan would be repeated per code
  const day = checkinDaySql;
  const g = checkinBase(ctx, f)
    .select([
      'c.place_id as placeId', day.as('day'),
      sql<number>`count(*) FILTER (WHERE ${passageSql('in')})::int`.as('entries'),
      sql<number>`count(*) FILTER (WHERE ${passageSql('out')})::int`.as('exits'),
      sql<number>`count(*) FILTER (WHERE c.outcome = 'refused')::int`.as('refused'),
      sql<number>`count(*) FILTER (WHERE c.refusal = 'fever')::int`.as('fevers'),
      sql<number>`count(DISTINCT c.person_id)::int`.as('persons'),
    ])
    .groupBy(['c.place_id', day]);
  return ctx.db.selectFrom(g.as('g')).innerJoin('places as p', 'p.id', 'g.placeId')
    .select(['g.placeId', 'p.name as placeName', 'p.kind as placeKind', 'p.community_code as communityCode', 'g.day',
      'g.entries', 'g.exits', 'g.refused', 'g.fevers', 'g.persons'])
    .orderBy('g.day').orderBy('p.name')
    .execute();
}

/** Maximum rows a search page or an export returns. */
export const SEARCH_PAGE_MAX = 500;
export const EXPORT_MAX_ROWS = 100_000;

/**
 * Check-ins matching the filter (with `kind: 'entries'` only the entries of the rule above), newest
 * first, with masked names; `total` counts every match for paging.
 */
export async function searchCheckins(ctx: AppContext, f: CheckinFilter, limit: number, offset: number) {
  const total = await checkinBase(ctx, f).select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow();
  // the page first, then its names (joins inside the per-code scan would be repeated per code)
  const page = checkinBase(ctx, f).selectAll('c').orderBy('c.at', 'desc').orderBy('c.id').limit(limit).offset(offset);
  const rows = await ctx.db.selectFrom(page.as('c'))
    .innerJoin('persons as pe', 'pe.id', 'c.person_id')
    .innerJoin('places as p', 'p.id', 'c.place_id')
    .innerJoin('checkpoints as k', 'k.id', 'c.checkpoint_id')
    // the two-way check (issue 3 §3) this row is either half of
    .leftJoin('two_way_checks as tg', 'tg.guard_checkin_id', 'c.id')
    .leftJoin('two_way_checks as tr', 'tr.resident_checkin_id', 'c.id')
    .select(['c.id', 'c.at', 'c.person_id', 'pe.name', 'pe.doc_masked', 'p.name as place_name', 'k.name as checkpoint_name',
      'c.direction', 'c.temperature', 'c.outcome', 'c.refusal', 'c.source', 'c.community_code',
      sql<boolean>`(tg.id IS NOT NULL OR tr.id IS NOT NULL)`.as('tw'),
      sql<number | null>`coalesce(tg.gap_c, tr.gap_c)`.as('tw_gap'), sql<boolean | null>`coalesce(tg.flagged, tr.flagged)`.as('tw_flagged')])
    .orderBy('c.at', 'desc').orderBy('c.id').execute();
  return {
    total: total.n,
    rows: rows.map((r) => ({
      id: r.id, at: r.at.toISOString(), personId: r.person_id, maskedName: maskName(r.name), docMasked: r.doc_masked,
      placeName: r.place_name, checkpointName: r.checkpoint_name, direction: r.direction, temperature: r.temperature,
      outcome: r.outcome, refusal: r.refusal, source: r.source, communityCode: r.community_code,
      // the gap and its flag only: the other half may lie outside the caller's area (a moved place)
      twoWay: r.tw ? { gapC: r.tw_gap === null ? null : Number(r.tw_gap), flagged: Boolean(r.tw_flagged) } : null,
    })),
  };
}
