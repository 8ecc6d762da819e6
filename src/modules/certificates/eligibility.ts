/**
 * Who may apply for a health declaration certificate (健康申报证明, SPEC S6, issue 6 §1). Pure
 * functions of their inputs; every date is a China calendar date 'YYYY-MM-DD' (SPEC "Rules worth
 * knowing": day boundaries are China Standard Time, so `today` is `chinaDate(now)` of src/lib/time.ts).
 *
 * Rule (SPEC S6 "a resident under community grid management for 14 days or more"; SPEC "Rules worth
 * knowing": grid residence ≥ 14 days; issue 6 §1: "resident in the community for 14 days or more …
 * and no active measure (observation, isolation, case)"):
 *
 *   1. Residence. The residence start is the later of the household's resident-since date
 *      (households.resident_since / household_members.since) and the latest arrival reported to the
 *      community (arrival_reports.arrival_on): an arrival restarts the count. Day 1 is the day AFTER
 *      the start, as the arrival rule (src/modules/arrivals/rules.ts) and the 14-day observation rule
 *      (src/modules/contacts/observation.ts) count. `minDays` (CERT_RESIDENCE_MIN_DAYS, 14) days of
 *      residence are complete at the end of day `minDays` = start + minDays, so the person may apply
 *      from start + minDays + 1 (满14天). Example: arrival 2020-02-10 → day 1 02-11, day 14 02-24,
 *      may apply from 02-25: on 02-24 (day 14) still refused. This is the same day an arrival's
 *      14-day measure (measure_until = arrival + 14) ends and a 14-day observation becomes
 *      releasable (end + 1), so the residence rule and the measure rule give one date, not two.
 *      No resident-since date and no arrival: residence unknown, refused without a date (the
 *      information officer records the residence first).
 *   2. Active measures. An open measure refuses: a case (no date: discharge does not make a date),
 *      fever awaiting re-measurement (no date: it clears when re-measured), centralized or home
 *      isolation, medical observation: with its end date D, possible from D + 1; open-ended, or
 *      still open after D (overdue for release), no date until it is released. An arrival whose
 *      measure is an isolation counts as an open measure until its measure_until (inclusive), so an
 *      isolation is never missed when its key-person record is. Health monitoring (健康监测) is not
 *      a barring measure (statusForMeasure of the arrivals module); the residence rule covers it.
 *   3. Status. A person status other than 'normal' (src/modules/status/codes.ts) refuses as its
 *      measure does, without a date when no open measure of that kind carries one.
 *   Every failed condition is reported (`reasons`); the date it becomes possible is the latest of
 *   their dates, or null as soon as one of them has none. The date says what the facts known today
 *   allow: the application is checked again when it is made.
 */
import type { PersonStatus } from '../status/codes';
import { addDays, chinaDayStart } from '../../lib/time';
import type { Bilingual } from '../../lib/errors';

/** Kinds of open measure that bar a certificate (issue 6 §1). */
export type MeasureKind = 'observation' | 'home_isolation' | 'centralized_isolation' | 'case' | 'fever_pending';

export interface ActiveMeasure {
  kind: MeasureKind;
  /** Last day of the measure (China date), or null when open-ended. */
  until: string | null;
}

export interface ArrivalFact {
  /** China date of arrival (arrival_reports.arrival_on). */
  arrivalOn: string;
  /** The measure the arrival got (arrival_reports.measure). */
  measure: 'centralized_isolation' | 'home_isolation' | 'health_monitoring' | 'none';
  /** Last day of that measure (arrival_reports.measure_until), null for 'none'. */
  until: string | null;
}

export interface EligibilityFacts {
  /** China date of the check ('YYYY-MM-DD', chinaDate(now)). */
  today: string;
  /** The person's resident-since date in the community (household membership or household), or null. */
  residentSince: string | null;
  /** The person's arrival reports to this community (any order). */
  arrivals: readonly ArrivalFact[];
  /** Open measures: open key persons and contacts under observation not yet released. */
  activeMeasures: readonly ActiveMeasure[];
  /** The person's current status in the register. */
  status: PersonStatus;
}

export interface EligibilityOptions {
  /** Days of grid residence required (CERT_RESIDENCE_MIN_DAYS, SPEC "Rules": 14). */
  residenceMinDays?: number;
}

/** Why an application is refused; each has its own code and message. */
export type RefusalCode =
  | 'case' | 'centralized_isolation' | 'home_isolation' | 'medical_observation' | 'fever_pending'
  | 'residence_unknown' | 'residence_too_short';

export interface Refusal {
  /** Stable code, API error codes use `cert_ineligible_<code>`. */
  code: RefusalCode;
  /** zh-CN first (SPEC "Language"), English second; dates are China dates. */
  message: Bilingual;
  /** First China date this condition no longer stands in the way, or null when none can be given. */
  possibleFrom: string | null;
}

/** Residence as counted by the rule: start (day 0), day N on `today`, first day it is long enough. */
export interface Residence {
  /** The later of residentSince and the latest arrival, or null when neither is known. */
  startOn: string | null;
  /** Day N of residence on `today` (day 1 = the day after the start, 0 on the start day or before it); null when unknown. */
  days: number | null;
  /** startOn + minDays + 1, or null when unknown. */
  eligibleFrom: string | null;
}

export type Eligibility =
  | { eligible: true; residence: Residence }
  | {
    eligible: false;
    residence: Residence;
    /** The refusal shown first: one without a date if any, else the one with the latest date. */
    reason: Refusal;
    /** Every condition that fails, most serious first. */
    reasons: Refusal[];
    /** When the application becomes possible on today's facts: the latest possibleFrom, or null if any is null. */
    possibleFrom: string | null;
  };

/** Default days of residence (SPEC "Rules worth knowing": grid residence ≥ 14 days). */
export const RESIDENCE_MIN_DAYS_DEFAULT = 14;

/** Order in which refusals are listed: the most serious first (as STATUS_RANK of the arrivals module, reversed). */
const SEVERITY: readonly RefusalCode[] = [
  'case', 'centralized_isolation', 'home_isolation', 'medical_observation', 'fever_pending', 'residence_unknown', 'residence_too_short',
];

const MEASURE_CODE: Record<MeasureKind, RefusalCode> = {
  case: 'case', centralized_isolation: 'centralized_isolation', home_isolation: 'home_isolation',
  observation: 'medical_observation', fever_pending: 'fever_pending',
};

const STATUS_CODE: Partial<Record<PersonStatus, RefusalCode>> = {
  case: 'case', centralized_isolation: 'centralized_isolation', home_isolation: 'home_isolation',
  medical_observation: 'medical_observation', fever_pending: 'fever_pending',
};

const MEASURE_LABEL: Record<RefusalCode, Bilingual> = {
  case: { zh: '病例（确诊或疑似）', en: 'a case (confirmed or suspected)' },
  centralized_isolation: { zh: '集中隔离', en: 'centralized isolation' },
  home_isolation: { zh: '居家隔离', en: 'home isolation' },
  medical_observation: { zh: '医学观察', en: 'medical observation' },
  fever_pending: { zh: '发热待复测', en: 'a fever awaiting re-measurement' },
  residence_unknown: { zh: '', en: '' },
  residence_too_short: { zh: '', en: '' },
};

/** Whole days from `from` to `to` (China dates; negative when `to` is earlier). */
function daysBetween(from: string, to: string): number {
  return Math.round((chinaDayStart(to).getTime() - chinaDayStart(from).getTime()) / 86_400_000);
}

const later = (a: string | null, b: string | null): string | null => (a === null ? b : b === null ? a : a > b ? a : b);

/** The residence of `facts` under `minDays` (rule 1 in the header). @throws RangeError on a bad date. */
export function residenceOf(facts: Pick<EligibilityFacts, 'today' | 'residentSince' | 'arrivals'>, minDays = RESIDENCE_MIN_DAYS_DEFAULT): Residence {
  chinaDayStart(facts.today);
  let start = facts.residentSince;
  for (const a of facts.arrivals) start = later(start, a.arrivalOn);
  if (start === null) return { startOn: null, days: null, eligibleFrom: null };
  return { startOn: start, days: Math.max(0, daysBetween(start, facts.today)), eligibleFrom: addDays(start, minDays + 1) };
}

function measureRefusal(code: RefusalCode, until: string | null, today: string): Refusal {
  const label = MEASURE_LABEL[code];
  if (code === 'case') {
    return { code, possibleFrom: null, message: { zh: '您目前登记为病例（确诊或疑似），不能申请健康申报证明', en: 'You are registered as a case (confirmed or suspected) and cannot apply for a health declaration certificate' } };
  }
  if (code === 'fever_pending') {
    return { code, possibleFrom: null, message: { zh: '您有发热记录待复测，复测正常后方可申请', en: 'A fever reading of yours awaits re-measurement; you can apply once it has been cleared' } };
  }
  if (until !== null && until >= today) {
    const from = addDays(until, 1);
    return { code, possibleFrom: from, message: { zh: `您正在${label.zh}中（至${until}），${from}起可申请`, en: `You are under ${label.en} until ${until}; you can apply from ${from}` } };
  }
  if (until !== null) {
    return { code, possibleFrom: null, message: { zh: `您的${label.zh}期已于${until}届满，待社区解除后方可申请`, en: `Your ${label.en} ended on ${until}; you can apply once the community has released you` } };
  }
  return { code, possibleFrom: null, message: { zh: `您正在${label.zh}中，解除后方可申请`, en: `You are under ${label.en}; you can apply once it has been lifted` } };
}

/**
 * Decide whether the person of `facts` may apply for a certificate on `facts.today` (rule in the
 * header, SPEC S6).
 * @returns eligible with the residence, or refused with every reason, the first one to show, and
 *   the China date from which applying becomes possible (null when no date can be given).
 * @throws RangeError when a date is not a real 'YYYY-MM-DD' day (callers validate first).
 */
export function decideEligibility(facts: EligibilityFacts, opts: EligibilityOptions = {}): Eligibility {
  const minDays = opts.residenceMinDays ?? RESIDENCE_MIN_DAYS_DEFAULT;
  if (!Number.isInteger(minDays) || minDays < 0) throw new RangeError(`residenceMinDays must be a whole number ≥ 0: ${minDays}`);
  const { today } = facts;
  const residence = residenceOf(facts, minDays);

  // one entry per refusal code: the latest end of that kind, null (no date) winning
  const byCode = new Map<RefusalCode, { until: string | null }>();
  const note = (code: RefusalCode, until: string | null) => {
    const cur = byCode.get(code);
    if (!cur) byCode.set(code, { until });
    else if (cur.until !== null) cur.until = until === null ? null : later(cur.until, until);
  };
  for (const m of facts.activeMeasures) {
    if (m.until !== null) chinaDayStart(m.until);
    note(MEASURE_CODE[m.kind], m.until);
  }
  for (const a of facts.arrivals) {
    if ((a.measure === 'home_isolation' || a.measure === 'centralized_isolation') && a.until !== null && a.until >= today) note(a.measure, a.until);
  }
  const fromStatus = STATUS_CODE[facts.status];
  if (fromStatus && !byCode.has(fromStatus)) note(fromStatus, null);

  const reasons: Refusal[] = [...byCode].map(([code, { until }]) => measureRefusal(code, until, today));
  if (residence.startOn === null) {
    reasons.push({ code: 'residence_unknown', possibleFrom: null, message: {
      zh: '未查到您在本社区的居住登记（入住日期或社区报到记录），请联系社区信息员登记',
      en: 'No record of your residence in this community (moving-in date or arrival report); ask the community information officer to record it',
    } });
  } else if (residence.eligibleFrom! > today) {
    const from = residence.eligibleFrom!;
    reasons.push({ code: 'residence_too_short', possibleFrom: from, message: {
      zh: `在本社区居住未满${minDays}天（自${residence.startOn}起），${from}起可申请`,
      en: `Resident in this community for less than ${minDays} days (since ${residence.startOn}); you can apply from ${from}`,
    } });
  }
  if (reasons.length === 0) return { eligible: true, residence };

  reasons.sort((x, y) => SEVERITY.indexOf(x.code) - SEVERITY.indexOf(y.code));
  const undated = reasons.find((r) => r.possibleFrom === null);
  let possibleFrom: string | null = null;
  let reason = undated ?? reasons[0]!;
  if (!undated) {
    for (const r of reasons) {
      if (possibleFrom === null || r.possibleFrom! > possibleFrom) { possibleFrom = r.possibleFrom; reason = r; }
    }
  }
  return { eligible: false, residence, reason, reasons, possibleFrom };
}
