/**
 * The arrival rule (issue 5 §1, SPEC S3): which measure an arrival gets from the rule table. Pure
 * functions of their inputs; every date is a China calendar date 'YYYY-MM-DD'.
 *
 *   A rule matches an arrival when its origin_prefix is a prefix of the arrival's originCode (or,
 *   with no prefix, its origin_label equals the arrival's originText), and its circumstance is null
 *   or equal to the arrival's. Among matches: the highest priority wins, then the longest prefix
 *   (a label-only rule counts as length 0), then the newest (created_at), then the id (stable).
 *   No rule: measure 'none', 0 days, no end date.
 *   The measure lasts `days` days: day 1 is the day after arrival (as the 14-day rule of contacts,
 *   src/modules/contacts/observation.ts), so measure_until = arrival_on + days.
 *   Example: arrival 2020-02-10, 14 days → day 1 02-11, until 02-24.
 */
import type { Circumstance, Measure } from '../../db/schema';
import { addDays } from '../../lib/time';
import { statusOfMeasure } from '../status/codes';

export type ArrivalMeasure = Measure | 'none';

/** Chinese names of the measures, as residents and staff read them. */
export const MEASURE_LABELS: Readonly<Record<ArrivalMeasure, string>> = {
  centralized_isolation: '集中隔离', home_isolation: '居家隔离', health_monitoring: '健康监测', none: '无需管控',
};

export interface ArrivalRule {
  id: string;
  priority: number;
  originPrefix: string | null;
  originLabel: string;
  circumstance: Circumstance | null;
  measure: Measure;
  days: number;
  createdAt: Date;
}

export interface ArrivalFacts {
  originCode: string | null;
  originText: string;
  circumstance: Circumstance;
  arrivalOn: string;
}

export interface ArrivalDecision {
  ruleId: string | null;
  measure: ArrivalMeasure;
  days: number;
  /** arrival_on + days; null when the measure is 'none'. */
  until: string | null;
}

/** Whether `rule` applies to `a` (rule in the header). */
export function ruleMatches(rule: ArrivalRule, a: Pick<ArrivalFacts, 'originCode' | 'originText' | 'circumstance'>): boolean {
  const origin = rule.originPrefix !== null
    ? a.originCode !== null && a.originCode.startsWith(rule.originPrefix)
    : rule.originLabel.trim() === a.originText.trim();
  return origin && (rule.circumstance === null || rule.circumstance === a.circumstance);
}

/** Order of precedence: negative when `x` wins over `y`. */
function precedence(x: ArrivalRule, y: ArrivalRule): number {
  if (x.priority !== y.priority) return y.priority - x.priority;
  const lx = x.originPrefix?.length ?? 0;
  const ly = y.originPrefix?.length ?? 0;
  if (lx !== ly) return ly - lx;
  const tx = x.createdAt.getTime();
  const ty = y.createdAt.getTime();
  if (tx !== ty) return ty - tx;
  return x.id < y.id ? 1 : x.id > y.id ? -1 : 0;
}

/** The winning rule among `rules` (the active ones) for `a`, or null. */
export function matchRule(rules: readonly ArrivalRule[], a: Pick<ArrivalFacts, 'originCode' | 'originText' | 'circumstance'>): ArrivalRule | null {
  let best: ArrivalRule | null = null;
  for (const r of rules) if (ruleMatches(r, a) && (best === null || precedence(r, best) < 0)) best = r;
  return best;
}

/** The measure of arrival `a` under `rules` (rule in the header). */
export function decideArrival(rules: readonly ArrivalRule[], a: ArrivalFacts): ArrivalDecision {
  const r = matchRule(rules, a);
  if (!r) return { ruleId: null, measure: 'none', days: 0, until: null };
  return { ruleId: r.id, measure: r.measure, days: r.days, until: addDays(a.arrivalOn, r.days) };
}

/** The person status an arrival measure sets: isolation bars; health monitoring and none do not. */
export function statusForMeasure(m: ArrivalMeasure): 'home_isolation' | 'centralized_isolation' | null {
  return m === 'home_isolation' || m === 'centralized_isolation' ? statusOfMeasure(m) as 'home_isolation' | 'centralized_isolation' : null;
}

/** The key-person category an arrival measure opens, or null for 'none'. */
export function categoryForMeasure(m: ArrivalMeasure): 'home_isolation' | 'centralized_isolation' | 'returnee' | null {
  if (m === 'home_isolation' || m === 'centralized_isolation') return m;
  return m === 'health_monitoring' ? 'returnee' : null;
}

export { STATUS_RANK } from '../status/codes';
