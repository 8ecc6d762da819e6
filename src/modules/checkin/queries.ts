/**
 * Check-in figures and searches for community staff (issue 2 §10), always inside the account's
 * area subtree. One definition of each figure (per place and China-time day) serves the API,
 * the console and the export.
 */
import { sql } from 'kysely';
import type { AppContext } from '../../context';
import { chinaDayRange } from '../../lib/time';
import { maskName } from '../../lib/mask';

export interface CheckinFilter {
  /** Area code inside the account's scope (defaults to the scope itself). */
  areaCode: string;
  placeId?: string;
  /** Person's name (exact) or a part of it. */
  personName?: string;
  /** China dates 'YYYY-MM-DD', inclusive. */
  from: string;
  to: string;
}

function base(ctx: AppContext, f: CheckinFilter) {
  const { from } = chinaDayRange(f.from);
  const { to } = chinaDayRange(f.to);
  let q = ctx.db.selectFrom('checkins as c')
    .where('c.community_code', 'like', `${f.areaCode}%`)
    .where('c.at', '>=', from).where('c.at', '<', to);
  if (f.placeId) q = q.where('c.place_id', '=', f.placeId);
  if (f.personName) {
    const name = f.personName.trim();
    q = q.where('c.person_id', 'in', (eb) => eb.selectFrom('persons').select('id').where('name', 'like', `%${name.replace(/[%_\\]/g, '\\$&')}%`));
  }
  return q;
}

/**
 * Per place and China-time day: entries passed, exits, refusals, fever readings, distinct persons.
 * Day boundaries are 00:00 Asia/Shanghai (SPEC "Rules").
 */
export async function countsByPlaceDay(ctx: AppContext, f: CheckinFilter) {
  const day = sql<string>`((c.at AT TIME ZONE 'Asia/Shanghai')::date)::text`;
  const rows = await base(ctx, f)
    .innerJoin('places as p', 'p.id', 'c.place_id')
    .select([
      'c.place_id as placeId', 'p.name as placeName', 'p.kind as placeKind', 'p.community_code as communityCode', day.as('day'),
      sql<number>`count(*) FILTER (WHERE c.direction = 'in' AND c.outcome = 'pass')::int`.as('entries'),
      sql<number>`count(*) FILTER (WHERE c.direction = 'out')::int`.as('exits'),
      sql<number>`count(*) FILTER (WHERE c.outcome = 'refused')::int`.as('refused'),
      sql<number>`count(*) FILTER (WHERE c.refusal = 'fever')::int`.as('fevers'),
      sql<number>`count(DISTINCT c.person_id)::int`.as('persons'),
    ])
    .groupBy(['c.place_id', 'p.name', 'p.kind', 'p.community_code', day])
    .orderBy(day).orderBy('p.name')
    .execute();
  return rows;
}

/** Maximum rows a search page or an export returns. */
export const SEARCH_PAGE_MAX = 500;
export const EXPORT_MAX_ROWS = 100_000;

/** Check-ins matching the filter, newest first, with masked names; total for paging. */
export async function searchCheckins(ctx: AppContext, f: CheckinFilter, limit: number, offset: number) {
  const total = await base(ctx, f).select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow();
  const rows = await base(ctx, f)
    .innerJoin('persons as pe', 'pe.id', 'c.person_id')
    .innerJoin('places as p', 'p.id', 'c.place_id')
    .innerJoin('checkpoints as k', 'k.id', 'c.checkpoint_id')
    .select(['c.id', 'c.at', 'c.person_id', 'pe.name', 'pe.doc_masked', 'p.name as place_name', 'k.name as checkpoint_name',
      'c.direction', 'c.temperature', 'c.outcome', 'c.refusal', 'c.source', 'c.community_code'])
    .orderBy('c.at', 'desc').orderBy('c.id').limit(limit).offset(offset).execute();
  return {
    total: total.n,
    rows: rows.map((r) => ({
      id: r.id, at: r.at.toISOString(), personId: r.person_id, maskedName: maskName(r.name), docMasked: r.doc_masked,
      placeName: r.place_name, checkpointName: r.checkpoint_name, direction: r.direction, temperature: r.temperature,
      outcome: r.outcome, refusal: r.refusal, source: r.source, communityCode: r.community_code,
    })),
  };
}
