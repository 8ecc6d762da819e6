/** Who may apply for a certificate (SPEC S6, issue 6 §1): residence days 13/14/15, measures, dates, China midnight. */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config';
import { chinaDate } from '../../lib/time';
import { decideEligibility, residenceOf, type EligibilityFacts } from './eligibility';

const base: EligibilityFacts = { today: '2020-03-20', residentSince: '2019-06-01', arrivals: [], activeMeasures: [], status: 'normal' };
const facts = (f: Partial<EligibilityFacts>): EligibilityFacts => ({ ...base, ...f });
const arrived = (arrivalOn: string, today: string, extra: Partial<EligibilityFacts> = {}) =>
  decideEligibility(facts({ today, residentSince: null, arrivals: [{ arrivalOn, measure: 'none', until: null }], ...extra }));

describe('residence: day 1 is the day after arrival, 14 full days needed', () => {
  it('arrival 2020-02-10: day 13 (02-23) and day 14 (02-24) refused, day 15 (02-25) eligible', () => {
    const d13 = arrived('2020-02-10', '2020-02-23');
    expect(d13).toMatchObject({ eligible: false, possibleFrom: '2020-02-25', reason: { code: 'residence_too_short', possibleFrom: '2020-02-25' } });
    expect(d13.residence).toEqual({ startOn: '2020-02-10', days: 13, eligibleFrom: '2020-02-25' });
    const d14 = arrived('2020-02-10', '2020-02-24');
    expect(d14).toMatchObject({ eligible: false, possibleFrom: '2020-02-25', reason: { code: 'residence_too_short' } });
    expect(d14.residence.days).toBe(14);
    const d15 = arrived('2020-02-10', '2020-02-25');
    expect(d15).toEqual({ eligible: true, residence: { startOn: '2020-02-10', days: 15, eligibleFrom: '2020-02-25' } });
  });

  it('arrived 5 days ago: refused, possible on arrival + 15, with a bilingual message naming both dates', () => {
    const r = arrived('2020-02-10', '2020-02-15');
    expect(r.eligible).toBe(false);
    if (r.eligible) return;
    expect(r.possibleFrom).toBe('2020-02-25');
    expect(r.reason.message.zh).toBe('在本社区居住未满14天（自2020-02-10起），2020-02-25起可申请');
    expect(r.reason.message.en).toContain('from 2020-02-25');
  });

  it('the arrival day itself and a future arrival date are refused with the same date', () => {
    expect(arrived('2020-02-10', '2020-02-10')).toMatchObject({ eligible: false, possibleFrom: '2020-02-25', residence: { days: 0 } });
    expect(arrived('2020-02-10', '2020-02-05')).toMatchObject({ eligible: false, possibleFrom: '2020-02-25', residence: { days: 0 } });
  });

  it.each([
    ['2020-02-15', '2020-03-01'], // across the leap day
    ['2021-02-15', '2021-03-02'], // no leap day
    ['2019-12-25', '2020-01-09'], // across the year end
  ])('arrival %s → possible from %s', (arrivalOn, from) => {
    expect(arrived(arrivalOn, arrivalOn)).toMatchObject({ possibleFrom: from });
    expect(arrived(arrivalOn, from).eligible).toBe(true);
  });

  it('resident-since counts like an arrival day; the later of the two starts the count', () => {
    expect(decideEligibility(facts({ today: '2020-02-24', residentSince: '2020-02-10' }))).toMatchObject({ eligible: false, possibleFrom: '2020-02-25' });
    expect(decideEligibility(facts({ today: '2020-02-25', residentSince: '2020-02-10' })).eligible).toBe(true);
    // a long-time resident who came back on 03-10 starts again
    const back = decideEligibility(facts({ arrivals: [{ arrivalOn: '2020-03-10', measure: 'none', until: null }] }));
    expect(back).toMatchObject({ eligible: false, possibleFrom: '2020-03-25', residence: { startOn: '2020-03-10' } });
    // an arrival before moving in does not count
    expect(residenceOf({ today: '2020-03-20', residentSince: '2020-02-01', arrivals: [{ arrivalOn: '2020-01-20', measure: 'none', until: null }] }).startOn).toBe('2020-02-01');
    // the latest of several arrivals counts, in any order
    expect(residenceOf({ today: '2020-03-20', residentSince: null, arrivals: [
      { arrivalOn: '2020-03-01', measure: 'none', until: null }, { arrivalOn: '2020-02-01', measure: 'none', until: null },
    ] }).startOn).toBe('2020-03-01');
  });

  it('no resident-since date and no arrival: residence unknown, no date', () => {
    const r = decideEligibility(facts({ residentSince: null }));
    expect(r).toMatchObject({ eligible: false, possibleFrom: null, reason: { code: 'residence_unknown', possibleFrom: null } });
  });

  it('follows CERT_RESIDENCE_MIN_DAYS', () => {
    const f = facts({ today: '2020-02-17', residentSince: '2020-02-10' });
    expect(decideEligibility(f, { residenceMinDays: 7 })).toMatchObject({ eligible: false, possibleFrom: '2020-02-18' });
    expect(decideEligibility({ ...f, today: '2020-02-18' }, { residenceMinDays: 7 }).eligible).toBe(true);
    expect(() => decideEligibility(f, { residenceMinDays: 1.5 })).toThrow(RangeError);
  });

  it('"today" is the China date: 23:59:59 on day 14 refused, 00:00:00 on day 15 eligible', () => {
    const at = (iso: string) => arrived('2020-02-10', chinaDate(new Date(iso)));
    expect(at('2020-02-24T23:59:59+08:00').eligible).toBe(false);
    expect(at('2020-02-24T15:59:59Z').eligible).toBe(false);
    expect(at('2020-02-25T00:00:00+08:00').eligible).toBe(true);
    expect(at('2020-02-24T16:00:00Z').eligible).toBe(true); // still 02-24 in UTC
  });

  it('a bad date is a RangeError', () => {
    expect(() => decideEligibility(facts({ today: '2020-02-30' }))).toThrow(RangeError);
    expect(() => decideEligibility(facts({ activeMeasures: [{ kind: 'observation', until: '2020-13-01' }] }))).toThrow(RangeError);
  });
});

describe('active measures and status', () => {
  it('observation until D: refused through D, possible from D + 1', () => {
    const obs = (today: string) => decideEligibility(facts({ today, activeMeasures: [{ kind: 'observation', until: '2020-03-24' }], status: 'medical_observation' }));
    expect(obs('2020-03-20')).toMatchObject({ eligible: false, possibleFrom: '2020-03-25', reason: { code: 'medical_observation' } });
    const onD = obs('2020-03-24');
    expect(onD).toMatchObject({ eligible: false, possibleFrom: '2020-03-25' });
    if (!onD.eligible) expect(onD.reason.message.zh).toBe('您正在医学观察中（至2020-03-24），2020-03-25起可申请');
    // one reason, not a second undated one from the status of the same kind
    if (!onD.eligible) expect(onD.reasons).toHaveLength(1);
  });

  it('a measure still open after its end (not released): refused without a date', () => {
    const r = decideEligibility(facts({ today: '2020-03-26', activeMeasures: [{ kind: 'observation', until: '2020-03-24' }] }));
    expect(r).toMatchObject({ eligible: false, possibleFrom: null, reason: { code: 'medical_observation', possibleFrom: null } });
    if (!r.eligible) expect(r.reason.message.zh).toContain('待社区解除');
  });

  it('an open-ended measure: no date', () => {
    expect(decideEligibility(facts({ activeMeasures: [{ kind: 'home_isolation', until: null }] })))
      .toMatchObject({ eligible: false, possibleFrom: null, reason: { code: 'home_isolation' } });
  });

  it('a case: refused, no date, even when another measure has one', () => {
    const r = decideEligibility(facts({ status: 'case', activeMeasures: [{ kind: 'case', until: '2020-03-25' }, { kind: 'observation', until: '2020-03-24' }] }));
    expect(r).toMatchObject({ eligible: false, possibleFrom: null, reason: { code: 'case', possibleFrom: null } });
    if (!r.eligible) expect(r.reasons.map((x) => x.code)).toEqual(['case', 'medical_observation']);
  });

  it('fever awaiting re-measurement: no date', () => {
    expect(decideEligibility(facts({ status: 'fever_pending' }))).toMatchObject({ eligible: false, possibleFrom: null, reason: { code: 'fever_pending' } });
  });

  it('a barring status without a measure record refuses without a date; with a dated one of its kind, the date', () => {
    expect(decideEligibility(facts({ status: 'centralized_isolation' }))).toMatchObject({ eligible: false, possibleFrom: null, reason: { code: 'centralized_isolation' } });
    expect(decideEligibility(facts({ status: 'centralized_isolation', activeMeasures: [{ kind: 'centralized_isolation', until: '2020-03-30' }] })))
      .toMatchObject({ eligible: false, possibleFrom: '2020-03-31' });
  });

  it('several measures of a kind: the latest end counts, an open-ended one wins', () => {
    const two = [{ kind: 'observation' as const, until: '2020-03-22' }, { kind: 'observation' as const, until: '2020-03-28' }];
    expect(decideEligibility(facts({ activeMeasures: two }))).toMatchObject({ possibleFrom: '2020-03-29' });
    expect(decideEligibility(facts({ activeMeasures: [...two, { kind: 'observation', until: null }] }))).toMatchObject({ possibleFrom: null });
  });

  it('the latest date of all reasons: short residence after a measure that ends sooner', () => {
    const r = decideEligibility(facts({ today: '2020-03-12', residentSince: null,
      arrivals: [{ arrivalOn: '2020-03-10', measure: 'health_monitoring', until: '2020-03-24' }],
      activeMeasures: [{ kind: 'observation', until: '2020-03-15' }] }));
    expect(r).toMatchObject({ eligible: false, possibleFrom: '2020-03-25', reason: { code: 'residence_too_short' } });
    if (!r.eligible) expect(r.reasons.map((x) => [x.code, x.possibleFrom])).toEqual([['medical_observation', '2020-03-16'], ['residence_too_short', '2020-03-25']]);
  });

  it('an isolation arrival counts as a measure through its last day, even without a key-person record; the date agrees with residence', () => {
    const iso = (today: string) => decideEligibility(facts({ today, residentSince: null,
      arrivals: [{ arrivalOn: '2020-02-10', measure: 'home_isolation', until: '2020-02-24' }] }));
    const r = iso('2020-02-24');
    expect(r).toMatchObject({ eligible: false, possibleFrom: '2020-02-25', reason: { code: 'home_isolation' } });
    if (!r.eligible) expect(r.reasons.map((x) => [x.code, x.possibleFrom])).toEqual([['home_isolation', '2020-02-25'], ['residence_too_short', '2020-02-25']]);
    expect(iso('2020-02-25').eligible).toBe(true);
  });

  it('health monitoring is not a barring measure', () => {
    expect(decideEligibility(facts({ arrivals: [{ arrivalOn: '2019-05-01', measure: 'health_monitoring', until: '2020-12-31' }] })).eligible).toBe(true);
  });
});

describe('configuration: CERT_VALID_DAYS, CERT_RESIDENCE_MIN_DAYS', () => {
  it('default to 5 and 14 (SPEC "Rules")', () => {
    expect(loadConfig({})).toMatchObject({ CERT_VALID_DAYS: 5, CERT_RESIDENCE_MIN_DAYS: 14 });
    expect(loadConfig({ CERT_VALID_DAYS: '7', CERT_RESIDENCE_MIN_DAYS: '21' })).toMatchObject({ CERT_VALID_DAYS: 7, CERT_RESIDENCE_MIN_DAYS: 21 });
  });
  it('a bad value stops the start naming the variable', () => {
    expect(() => loadConfig({ CERT_VALID_DAYS: '0' })).toThrow(/CERT_VALID_DAYS/);
    expect(() => loadConfig({ CERT_VALID_DAYS: '2.5' })).toThrow(/CERT_VALID_DAYS/);
    expect(() => loadConfig({ CERT_RESIDENCE_MIN_DAYS: 'x' })).toThrow(/CERT_RESIDENCE_MIN_DAYS/);
  });
});
