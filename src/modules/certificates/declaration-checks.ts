/**
 * The declaration form (issue 6 §1) and the checks made whenever it is submitted or resubmitted:
 * the form's own rules and eligibility (./eligibility.ts on ./facts.ts).
 */
import type { Kysely, Transaction } from 'kysely';
import type { AppContext } from '../../context';
import type { DB } from '../../db/schema';
import { AppError } from '../../lib/errors';
import { addDays } from '../../lib/time';
import { isPlausibleDay } from '../cases/rules';
import { decideEligibility } from './eligibility';
import { gatherEligibilityFacts, residenceOfPerson } from './facts';

type Db = Kysely<DB> | Transaction<DB>;

/** The declaration form (issue 6 §1). */
export interface DeclarationAnswers {
  /** Where the person stayed on each of the last 14 days (China dates, today − 13 … today), 1–14 entries. */
  residence: Array<{ on: string; place: string }>;
  /** Travel outside the community in the last 14 days ('' none). */
  travel: string;
  /** Contact with cases (confirmed or suspected) in the last 14 days. */
  contactWithCases: boolean;
  /** Contact with people from named areas (e.g. 湖北武汉) in the last 14 days. */
  contactWithAreas: boolean;
  contactNote: string;
  /** Symptoms now (fever, cough …); empty when none. */
  symptoms: string[];
  destination: string;
  purpose: string;
  /** The explicit acknowledgement that a false declaration carries legal responsibility: must be true. */
  acknowledged: boolean;
}

/**
 * The form's own rules: the acknowledgement ticked; residence days real China dates within the
 * last 14 days (today − 13 … today), each day once.
 * @throws AppError 400 declaration_not_acknowledged, residence_day_invalid, residence_day_out_of_range, residence_day_repeated.
 */
export function checkAnswers(a: DeclarationAnswers, today: string): void {
  if (a.acknowledged !== true) {
    throw new AppError(400, 'declaration_not_acknowledged', { zh: '请确认：如有虚假申报，本人承担相应法律责任', en: 'Confirm that a false declaration carries legal responsibility' });
  }
  const first = addDays(today, -13);
  const seen = new Set<string>();
  for (const r of a.residence) {
    if (!isPlausibleDay(r.on)) throw new AppError(400, 'residence_day_invalid', { zh: `居住日期不是有效日期：${r.on}`, en: `A residence date is not a valid date: "${r.on}"` });
    if (r.on < first || r.on > today) {
      throw new AppError(400, 'residence_day_out_of_range', { zh: `居住日期须在近14天内（${first}至${today}）：${r.on}`, en: `Residence dates must be within the last 14 days (${first} to ${today}): ${r.on}` }, { field: 'residence' });
    }
    if (seen.has(r.on)) throw new AppError(400, 'residence_day_repeated', { zh: `同一天填写了两次：${r.on}`, en: `The same day is given twice: ${r.on}` }, { field: 'residence' });
    seen.add(r.on);
  }
}

/**
 * Whether `personId` may apply on `today`; refused → AppError 400 cert_ineligible_<code> with the
 * reason's message (worded for the chief doctor when `forStaff`), details.possibleFrom and reasons.
 * @returns the community and what is stored of the check.
 */
export async function checkEligible(ctx: AppContext, db: Db, personId: string, today: string, forStaff = false) {
  const res = await residenceOfPerson(db, personId);
  const facts = await gatherEligibilityFacts(db, personId, res.communityCode, res.residentSince, today);
  const e = decideEligibility(facts, { residenceMinDays: ctx.config.CERT_RESIDENCE_MIN_DAYS });
  if (!e.eligible || res.communityCode === null) {
    if (e.eligible) throw new AppError(400, 'cert_ineligible_residence_unknown', { zh: '未查到您所在的社区，请联系社区信息员登记', en: 'No community is recorded for you; ask the community information officer' }, { possibleFrom: null, reasons: ['residence_unknown'] });
    const m = e.reason.message;
    throw new AppError(400, `cert_ineligible_${e.reason.code}`, forStaff
      ? { zh: `申请人目前不符合出具条件，不能出具证明（可“不予出具”）。原因：${m.zh}`, en: `The applicant no longer qualifies, so no certificate can be issued (refuse it instead). Reason: ${m.en}` }
      : m, {
      possibleFrom: e.possibleFrom, reasons: e.reasons.map((r) => ({ code: r.code, possibleFrom: r.possibleFrom })),
    });
  }
  return { community: res.communityCode, eligibility: { checkedOn: today, residenceStartOn: e.residence.startOn, residenceDays: e.residence.days } };
}
