/**
 * The medical observation rule (issue 4 §2, SPEC "Rules worth knowing": medical observation 14
 * days). Pure functions of their inputs, recomputed whenever one changes; every date is a China
 * calendar date 'YYYY-MM-DD'.
 *
 *   day 1 is the day after the last exposure; the computed end is the later of the last exposure
 *   and the last day with symptoms during observation, plus `days` (symptoms extend it); a manual
 *   override replaces the computed end while in force; release is possible from the day after the end.
 *   Example (issue 4): last exposure 2020-02-10 → day 1 02-11, day 14 02-24, releasable from 02-25.
 */
import { addDays, chinaDayStart } from '../../lib/time';

export interface ObservationInput {
  lastExposureOn: string;
  /** Latest day with symptoms reported during observation, or null. */
  symptomsLastOn: string | null;
  /** A manual end date in force, or null. */
  overrideEndOn: string | null;
  /** Observation length in days (config OBSERVATION_DAYS, 14). */
  days: number;
}

export interface ObservationSchedule {
  /** Day 1: the day after the last exposure. */
  startOn: string;
  /** max(lastExposureOn, symptomsLastOn) + days. */
  computedEndOn: string;
  /** The end in force: overrideEndOn ?? computedEndOn. */
  endOn: string;
  /** The first day a release needs no reason: endOn + 1. */
  releasableFrom: string;
  overridden: boolean;
}

/**
 * The observation schedule of a contact (rule in the header).
 * @throws RangeError when a date is not a real 'YYYY-MM-DD' day (callers validate first).
 */
export function observationSchedule(input: ObservationInput): ObservationSchedule {
  const { lastExposureOn, symptomsLastOn, overrideEndOn, days } = input;
  const from = symptomsLastOn && symptomsLastOn > lastExposureOn ? symptomsLastOn : lastExposureOn;
  const computedEndOn = addDays(from, days);
  const endOn = overrideEndOn ?? computedEndOn;
  return { startOn: addDays(lastExposureOn, 1), computedEndOn, endOn, releasableFrom: addDays(endOn, 1), overridden: overrideEndOn !== null };
}

/** Whole days from `from` to `to` (China dates; negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((chinaDayStart(to).getTime() - chinaDayStart(from).getTime()) / 86_400_000);
}

export interface ObservationDay {
  /** Day N of the observation on `today`: 0 before day 1; NOT capped, so a contact still under
   * observation after its end shows N > of (overdue for release). */
  day: number;
  /** M: the days from startOn to endOn inclusive (14 unless extended or overridden; at least 0). */
  of: number;
}

/** Which day of its observation a contact is on, on China date `today` (see ObservationDay). */
export function observationDay(schedule: Pick<ObservationSchedule, 'startOn' | 'endOn'>, today: string): ObservationDay {
  const day = Math.max(0, daysBetween(schedule.startOn, today) + 1);
  return { day, of: Math.max(0, daysBetween(schedule.startOn, schedule.endOn) + 1) };
}
