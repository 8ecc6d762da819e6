/**
 * The check-in dashboard (数据看板, issue 4 §5): for an area of the account's subtree and a range
 * of China dates, per day the entries, exits, refusals, fever readings and fever alerts raised,
 * and the busiest places by entries. Entries and exits follow the one passage rule of
 * queries.ts (a two-way check counts once), so the dashboard, GET /api/checkins/counts, the
 * search with kind=entries and its export agree for the same filter.
 */
import { sql } from 'kysely';
import type { AppContext } from '../../context';
import { addDays, chinaDayRange } from '../../lib/time';
import { checkinBase, checkinDaySql, passageSql } from './queries';

/** How many places the busiest-places list holds. */
export const DASHBOARD_TOP_PLACES = 20;

export interface DashboardFilter {
  /** Area code (prefix of community codes) inside the caller's scope; the caller checks scope. */
  areaCode: string;
  /** China dates 'YYYY-MM-DD', inclusive; the caller bounds the range (MAX_RANGE_DAYS). */
  from: string;
  to: string;
  /** Only this place (its check-ins, and fever alerts raised at its checkpoints). */
  placeId?: string;
}

export interface DashboardDay {
  /** China date 'YYYY-MM-DD'. */
  date: string;
  entries: number; exits: number; refused: number;
  /** Check-ins refused for fever (a reading at or above the threshold), by the check-in's China day. */
  feverReadings: number;
  /** fever_alerts raised that China day (by raised_at). */
  feverAlerts: number;
}

export interface DashboardPlace {
  placeId: string; name: string; kind: string;
  /** The place's community code and name. */
  community: string; communityName: string;
  entries: number; exits: number; refused: number; feverReadings: number;
}

export interface Dashboard { from: string; to: string; days: DashboardDay[]; places: DashboardPlace[] }

/**
 * The dashboard of `f`: `days` has every date from `f.from` to `f.to` (zero-filled, ascending);
 * `places` the DASHBOARD_TOP_PLACES places with the most entries in the range (ties by name in code
 * point order, then id), places without any check-in left out. Day boundaries 00:00 Asia/Shanghai (SPEC "Rules").
 * @throws RangeError when a date is not a real 'YYYY-MM-DD' date (the route validates first).
 */
export async function checkinDashboard(ctx: AppContext, f: DashboardFilter): Promise<Dashboard> {
  // one scan of the check-ins, two groupings: per China day (placeId null) and per place (date null);
  // places are named after the aggregation (a join inside the per-code scan would repeat per code)
  const g = checkinBase(ctx, { areaCode: f.areaCode, from: f.from, to: f.to, placeId: f.placeId })
    .select([
      sql<string | null>`${checkinDaySql}`.as('date'), sql<string | null>`c.place_id`.as('placeId'),
      sql<number>`count(*) FILTER (WHERE ${passageSql('in')})::int`.as('entries'),
      sql<number>`count(*) FILTER (WHERE ${passageSql('out')})::int`.as('exits'),
      sql<number>`count(*) FILTER (WHERE c.outcome = 'refused')::int`.as('refused'),
      sql<number>`count(*) FILTER (WHERE c.refusal = 'fever')::int`.as('feverReadings'),
    ])
    .groupBy(sql`GROUPING SETS ((${checkinDaySql}), (c.place_id))`);
  const rows = await ctx.db.selectFrom(g.as('g'))
    .leftJoin('places as p', 'p.id', 'g.placeId')
    .leftJoin('areas as a', 'a.code', 'p.community_code')
    .select(['g.date', 'g.placeId', 'p.name', 'p.kind', 'p.community_code as community', 'a.name as communityName',
      'g.entries', 'g.exits', 'g.refused', 'g.feverReadings'])
    .execute();
  const perDay = rows.filter((r) => r.placeId === null);
  const places: DashboardPlace[] = rows.filter((r) => r.placeId !== null)
    .map((r) => ({ placeId: r.placeId!, name: r.name ?? '', kind: r.kind ?? '', community: r.community ?? '', communityName: r.communityName ?? '',
      entries: r.entries, exits: r.exits, refused: r.refused, feverReadings: r.feverReadings }))
    .sort((x, y) => y.entries - x.entries || (x.name < y.name ? -1 : x.name > y.name ? 1 : 0) || (x.placeId < y.placeId ? -1 : 1))
    .slice(0, DASHBOARD_TOP_PLACES);

  const { from } = chinaDayRange(f.from);
  const { to } = chinaDayRange(f.to);
  let alertsQ = ctx.db.selectFrom('fever_alerts as fa')
    .where('fa.community_code', 'like', `${f.areaCode}%`)
    .where('fa.raised_at', '>=', from).where('fa.raised_at', '<', to);
  if (f.placeId) {
    const placeId = f.placeId;
    alertsQ = alertsQ.where('fa.checkpoint_id', 'in', (eb) => eb.selectFrom('checkpoints').select('id').where('place_id', '=', placeId));
  }
  const alertDay = sql<string>`((fa.raised_at AT TIME ZONE 'Asia/Shanghai')::date)::text`;
  const alerts = await alertsQ.select([alertDay.as('date'), sql<number>`count(*)::int`.as('n')]).groupBy(alertDay).execute();

  const byDate = new Map(perDay.map((d) => [d.date!, d]));
  const alertsByDate = new Map(alerts.map((a) => [a.date, a.n]));
  const days: DashboardDay[] = [];
  for (let d = f.from; d <= f.to; d = addDays(d, 1)) {
    const r = byDate.get(d);
    days.push({ date: d, entries: r?.entries ?? 0, exits: r?.exits ?? 0, refused: r?.refused ?? 0,
      feverReadings: r?.feverReadings ?? 0, feverAlerts: alertsByDate.get(d) ?? 0 });
  }
  return { from: f.from, to: f.to, days, places };
}
