/** The 14-day observation rule (issue 4 §2): hand-written end dates across month and year ends and 2020-02-29. */
import { describe, expect, it } from 'vitest';
import { observationDay, observationSchedule } from './observation';

const plain = (lastExposureOn: string) => observationSchedule({ lastExposureOn, symptomsLastOn: null, overrideEndOn: null, days: 14 });

describe('observationSchedule', () => {
  it('the issue example: exposure 2020-02-10 → day 1 02-11, day 14 02-24, releasable from 02-25', () => {
    expect(plain('2020-02-10')).toEqual({
      startOn: '2020-02-11', computedEndOn: '2020-02-24', endOn: '2020-02-24', releasableFrom: '2020-02-25', overridden: false,
    });
  });

  it.each([
    ['2020-01-25', '2020-02-08'],
    ['2020-02-20', '2020-03-05'],
    ['2020-02-15', '2020-02-29'], // ends on the leap day
    ['2020-02-29', '2020-03-14'], // starts after the leap day
    ['2021-02-20', '2021-03-06'], // no leap day in 2021
    ['2019-12-25', '2020-01-08'], // across the year end
    ['2020-01-31', '2020-02-14'],
  ])('exposure %s → end %s', (exposure, end) => {
    expect(plain(exposure).endOn).toBe(end);
  });

  it('releasable from the day after the end, across a leap day', () => {
    expect(plain('2020-02-15').releasableFrom).toBe('2020-03-01');
    expect(plain('2020-02-14').releasableFrom).toBe('2020-02-29');
  });

  it('symptoms during observation extend the end: 14 days after the last symptomatic day', () => {
    const s = observationSchedule({ lastExposureOn: '2020-02-10', symptomsLastOn: '2020-02-18', overrideEndOn: null, days: 14 });
    expect(s).toEqual({ startOn: '2020-02-11', computedEndOn: '2020-03-03', endOn: '2020-03-03', releasableFrom: '2020-03-04', overridden: false });
    // a symptom day before the exposure changes nothing
    expect(observationSchedule({ lastExposureOn: '2020-02-10', symptomsLastOn: '2020-02-09', overrideEndOn: null, days: 14 }).endOn).toBe('2020-02-24');
  });

  it('an override replaces the end in force, the computed end stays', () => {
    const s = observationSchedule({ lastExposureOn: '2020-02-10', symptomsLastOn: null, overrideEndOn: '2020-02-20', days: 14 });
    expect(s).toEqual({ startOn: '2020-02-11', computedEndOn: '2020-02-24', endOn: '2020-02-20', releasableFrom: '2020-02-21', overridden: true });
  });

  it('follows the configured length', () => {
    expect(observationSchedule({ lastExposureOn: '2020-02-10', symptomsLastOn: null, overrideEndOn: null, days: 7 }).endOn).toBe('2020-02-17');
  });
});

describe('observationDay', () => {
  const s = plain('2020-02-10');
  it('counts day N of 14, 0 before day 1 and uncapped after the end', () => {
    expect(observationDay(s, '2020-02-10')).toEqual({ day: 0, of: 14 });
    expect(observationDay(s, '2020-02-11')).toEqual({ day: 1, of: 14 });
    expect(observationDay(s, '2020-02-24')).toEqual({ day: 14, of: 14 });
    expect(observationDay(s, '2020-02-26')).toEqual({ day: 16, of: 14 });
  });
  it('counts across the leap day', () => {
    expect(observationDay(plain('2020-02-27'), '2020-03-01')).toEqual({ day: 3, of: 14 });
    expect(observationDay(plain('2021-02-27'), '2021-03-01')).toEqual({ day: 2, of: 14 });
  });
});
