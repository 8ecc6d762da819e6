/**
 * clearedOn (issue 4 §4, SPEC S5 all-clear rule) on hand-made cases: the day the last active case
 * stopped being active, including a case active only within one day.
 */
import { describe, expect, it } from 'vitest';
import { clearedOn } from './compute';
import type { CaseFacts, CaseEventFact } from './figures';

let id = 0;
const ev = (effectiveOn: string, status: CaseEventFact['status'], hospitalised: boolean): CaseEventFact => ({ id: ++id, status, hospitalised, effectiveOn });
const kase = (...events: CaseEventFact[]): CaseFacts => ({
  id: `c${id}`, communityCode: '410811001001', classification: 'local', sourceArea: null, infectorCaseId: null, cluster: null, events,
});

describe('clearedOn', () => {
  it('is the day the last hospitalised case left, while nothing is active after it', () => {
    const cases = [kase(ev('2020-02-01', 'confirmed', true), ev('2020-02-10', 'discharged', false)),
      kase(ev('2020-02-03', 'suspected', true), ev('2020-02-05', 'excluded', false))];
    expect(clearedOn(cases, '2020-02-09')).toBeNull();
    expect(clearedOn(cases, '2020-02-10')).toBe('2020-02-10');
    expect(clearedOn(cases, '2020-03-01')).toBe('2020-02-10');
  });

  it('counts a case suspected, confirmed and discharged on one day: cleared that day', () => {
    const cases = [kase(ev('2020-02-12', 'suspected', true), ev('2020-02-12', 'confirmed', true), ev('2020-02-12', 'discharged', false))];
    expect(clearedOn(cases, '2020-02-12')).toBe('2020-02-12');
    expect(clearedOn(cases, '2020-02-20')).toBe('2020-02-12');
  });

  it('is null with no case, or with one still in hospital', () => {
    expect(clearedOn([], '2020-02-12')).toBeNull();
    expect(clearedOn([kase(ev('2020-02-01', 'confirmed', true))], '2020-02-12')).toBeNull();
  });
});
