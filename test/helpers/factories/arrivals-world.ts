/**
 * The world's community reporting records (issue 5 §1), written directly (no route, no audit, no
 * status register or key-person change), so route-table entries have a rule and a report of each side:
 * - `ruleId`: the district's rule 湖北武汉 (4201) → home isolation 14 days, created by `staffId`;
 * - `spareRuleId`: a second rule (湖南, 43 → health monitoring 7 days), the one the tests retire;
 * - `reportId`: an arrival of `person` from 湖北武汉 two days ago into `community`, home isolation
 *   by `ruleId` (a rule change adding 武汉 420102 → centralized isolation re-decides it).
 * Rules cover the district (arrival_rules.city_code = `district`), so neither side's rules reach the other.
 */
import type { AppContext } from '../../../src/context';
import { addDays, chinaDate } from '../../../src/lib/time';
import { buildPerson, validResidentId } from './persons';

export interface WorldArrivals {
  ruleId: string; spareRuleId: string; reportId: string;
  persons: Array<{ id: string; name: string; docNumber: string; phone: string | null }>;
}

/** Insert the records above for the side whose district is `district` and community `community`. */
export async function buildArrivalsWorld(ctx: AppContext, o: { district: string; community: string; label: string; staffId: string }): Promise<WorldArrivals> {
  const today = chinaDate();
  const p = await buildPerson(ctx, { name: `${o.label}报到`, homeCommunityCode: o.community, docNumber: validResidentId({ region: o.district }) });
  const rule = await ctx.db.insertInto('arrival_rules').values({
    city_code: o.district, origin_prefix: '4201', origin_label: '湖北武汉', measure: 'home_isolation', days: 14, note: '测试通告', created_by: o.staffId,
  }).returning('id').executeTakeFirstOrThrow();
  const spare = await ctx.db.insertInto('arrival_rules').values({
    city_code: o.district, origin_prefix: '43', origin_label: '湖南', measure: 'health_monitoring', days: 7, created_by: o.staffId,
  }).returning('id').executeTakeFirstOrThrow();
  const arrivalOn = addDays(today, -2);
  const report = await ctx.db.insertInto('arrival_reports').values({
    person_id: p.id, community_code: o.community, origin_code: '420102', origin_text: '湖北武汉', circumstance: 'home', arrival_on: arrivalOn,
    reported_via: 'staff', reported_by: o.staffId, rule_id: rule.id, measure: 'home_isolation', measure_days: 14, measure_until: addDays(arrivalOn, 14),
  }).returning('id').executeTakeFirstOrThrow();
  return { ruleId: rule.id, spareRuleId: spare.id, reportId: report.id, persons: [{ id: p.id, name: p.name, docNumber: p.docNumber, phone: p.phone }] };
}
