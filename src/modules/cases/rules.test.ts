/** The case state machine (issue 4 §1): transitions, refusals, dates, register effects, numbers. */
import { describe, expect, it } from 'vitest';
import { AppError } from '../../lib/errors';
import {
  applyStatusChange, caseNumberSeq, formatCaseNumber, nextStatuses, notBeforeBirth, personStatusFor, type CaseSnapshot,
} from './rules';

const TODAY = '2020-02-20';
const suspected: CaseSnapshot = { status: 'suspected', hospitalised: true, hospital: '焦作市第五人民医院', effectiveOn: '2020-02-10' };
const confirmed: CaseSnapshot = { ...suspected, status: 'confirmed', effectiveOn: '2020-02-12' };

const codeOf = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return e instanceof AppError ? `${e.status} ${e.code}` : String(e);
  }
  return 'no error';
};

describe('case state machine', () => {
  it('lists the allowed next statuses', () => {
    expect(nextStatuses('suspected')).toEqual(['confirmed', 'excluded']);
    expect(nextStatuses('confirmed')).toEqual(['discharged', 'deceased', 'excluded']);
    expect(nextStatuses('discharged')).toEqual([]);
    expect(nextStatuses('excluded')).toEqual([]);
    expect(nextStatuses('deceased')).toEqual([]);
  });

  it('confirms a suspected case, keeping hospitalisation', () => {
    expect(applyStatusChange(suspected, { status: 'confirmed', effectiveOn: '2020-02-12' }, TODAY))
      .toEqual({ status: 'confirmed', hospitalised: true, hospital: '焦作市第五人民医院', effectiveOn: '2020-02-12' });
  });

  it('a discharge leaves hospital (hospitalised false), keeps the hospital name', () => {
    expect(applyStatusChange(confirmed, { status: 'discharged', effectiveOn: '2020-02-20' }, TODAY))
      .toEqual({ status: 'discharged', hospitalised: false, hospital: '焦作市第五人民医院', effectiveOn: '2020-02-20' });
  });

  it('records a change of hospital alone as an event of the same status', () => {
    expect(applyStatusChange(confirmed, { status: 'confirmed', effectiveOn: '2020-02-13', hospital: '焦作市人民医院' }, TODAY))
      .toEqual({ status: 'confirmed', hospitalised: true, hospital: '焦作市人民医院', effectiveOn: '2020-02-13' });
  });

  it('refuses what the machine does not allow, each with its own code', () => {
    expect(codeOf(() => applyStatusChange(suspected, { status: 'discharged', effectiveOn: '2020-02-12' }, TODAY))).toBe('409 transition_not_allowed');
    expect(codeOf(() => applyStatusChange(suspected, { status: 'deceased', effectiveOn: '2020-02-12' }, TODAY))).toBe('409 transition_not_allowed');
    expect(codeOf(() => applyStatusChange(confirmed, { status: 'suspected', effectiveOn: '2020-02-12' }, TODAY))).toBe('409 transition_not_allowed');
    const closed = { ...confirmed, status: 'excluded' as const, hospitalised: false };
    expect(codeOf(() => applyStatusChange(closed, { status: 'confirmed', effectiveOn: '2020-02-15' }, TODAY))).toBe('409 case_closed');
    expect(codeOf(() => applyStatusChange(confirmed, { status: 'confirmed', effectiveOn: '2020-02-15' }, TODAY))).toBe('409 no_change');
    expect(codeOf(() => applyStatusChange(confirmed, { status: 'deceased', effectiveOn: '2020-02-15', hospitalised: true }, TODAY))).toBe('400 closed_hospitalised');
  });

  it('refuses an effective date before the state in force, in the future, or not a day', () => {
    expect(codeOf(() => applyStatusChange(confirmed, { status: 'discharged', effectiveOn: '2020-02-11' }, TODAY))).toBe('400 effective_before_last');
    expect(codeOf(() => applyStatusChange(confirmed, { status: 'discharged', effectiveOn: '2020-02-21' }, TODAY))).toBe('400 effective_on_in_future');
    expect(codeOf(() => applyStatusChange(confirmed, { status: 'discharged', effectiveOn: '2020-02-30' }, TODAY))).toBe('400 effective_on_invalid');
    expect(codeOf(() => applyStatusChange(confirmed, { status: 'discharged', effectiveOn: '0000-01-01' }, TODAY))).toBe('400 effective_on_invalid');
    // the same day as the state in force is accepted
    expect(applyStatusChange(confirmed, { status: 'excluded', effectiveOn: '2020-02-12' }, TODAY).status).toBe('excluded');
  });

  it('maps case statuses onto the person status register', () => {
    expect(personStatusFor('suspected', 'normal')).toBe('case');
    expect(personStatusFor('confirmed', 'medical_observation')).toBe('case');
    expect(personStatusFor('discharged', 'normal')).toBe('normal');
    expect(personStatusFor('excluded', 'medical_observation')).toBe('medical_observation');
    expect(personStatusFor('excluded', 'home_isolation')).toBe('home_isolation');
    expect(personStatusFor('deceased', 'medical_observation')).toBeNull();
  });

  it('prints and parses case numbers per district', () => {
    expect(formatCaseNumber('410811', 7)).toBe('410811-0007');
    expect(formatCaseNumber('410811', 12345)).toBe('410811-12345');
    expect(caseNumberSeq('410811', '410811-0042')).toBe(42);
    expect(caseNumberSeq('410811', '410802-0042')).toBeNull();
    expect(caseNumberSeq('410811', '410811-W12-1')).toBeNull();
  });
  it('refuses a dated fact before the date of birth (any dated input about a person)', () => {
    expect(() => notBeforeBirth('2020-01-01', '2020-01-02', 'onset_on', { zh: '发病日期', en: 'The onset date' }))
      .toThrow(expect.objectContaining({ status: 400, code: 'onset_on_before_birth' }));
    expect(() => notBeforeBirth('2020-01-02', '2020-01-02', 'onset_on', { zh: '发病日期', en: 'The onset date' })).not.toThrow();
    expect(() => notBeforeBirth('1990-01-01', null, 'onset_on', { zh: '发病日期', en: 'The onset date' })).not.toThrow(); // a passport gives no birth date here
  });
});
