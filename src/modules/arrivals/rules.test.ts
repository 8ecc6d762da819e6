/** The arrival rule (./rules.ts): matching, precedence, no rule, the end date. */
import { describe, expect, it } from 'vitest';
import { categoryForMeasure, decideArrival, matchRule, statusForMeasure, type ArrivalRule } from './rules';

const rule = (over: Partial<ArrivalRule> & { id: string }): ArrivalRule => ({
  priority: 0, originPrefix: null, originLabel: '某地', circumstance: null, measure: 'health_monitoring', days: 14,
  createdAt: new Date('2020-01-20T00:00:00Z'), ...over,
});
const hubei = rule({ id: 'hubei', originPrefix: '42', originLabel: '湖北', measure: 'home_isolation', days: 14 });
const wuhan = rule({ id: 'wuhan', originPrefix: '4201', originLabel: '湖北武汉', measure: 'centralized_isolation', days: 14 });
const zhengzhouText = rule({ id: 'zz', originLabel: '郑州', measure: 'health_monitoring', days: 7 });
const arrival = (over: Partial<{ originCode: string | null; originText: string; circumstance: 'work' | 'study' | 'home' | 'other'; arrivalOn: string }> = {}) => ({
  originCode: '420102', originText: '湖北武汉', circumstance: 'home' as const, arrivalOn: '2020-02-10', ...over,
});

describe('arrival rules', () => {
  it('the longest matching prefix wins at equal priority; until = arrival + days (day 1 the day after)', () => {
    expect(decideArrival([hubei, wuhan], arrival())).toEqual({ ruleId: 'wuhan', measure: 'centralized_isolation', days: 14, until: '2020-02-24' });
    expect(decideArrival([hubei, wuhan], arrival({ originCode: '420500' })).ruleId).toBe('hubei');
  });
  it('a higher priority beats a longer prefix', () => {
    const broad = { ...hubei, id: 'broad', priority: 5 };
    expect(matchRule([broad, wuhan], arrival())?.id).toBe('broad');
  });
  it('at equal priority and prefix the newest wins', () => {
    const newer = { ...wuhan, id: 'newer', measure: 'home_isolation' as const, createdAt: new Date('2020-02-01T00:00:00Z') };
    expect(matchRule([wuhan, newer], arrival())?.id).toBe('newer');
    expect(matchRule([newer, wuhan], arrival())?.id).toBe('newer');
  });
  it('a rule without a prefix matches the origin text exactly; a prefix rule needs a code', () => {
    expect(decideArrival([zhengzhouText, wuhan], arrival({ originCode: null, originText: '郑州' }))).toEqual(
      { ruleId: 'zz', measure: 'health_monitoring', days: 7, until: '2020-02-17' });
    expect(matchRule([wuhan], arrival({ originCode: null }))).toBeNull();
    expect(matchRule([zhengzhouText], arrival({ originCode: null, originText: '郑州市' }))).toBeNull();
  });
  it('a circumstance rule matches only that circumstance; null matches all', () => {
    const work = { ...wuhan, id: 'work', circumstance: 'work' as const, priority: 1 };
    expect(matchRule([wuhan, work], arrival({ circumstance: 'work' }))?.id).toBe('work');
    expect(matchRule([wuhan, work], arrival({ circumstance: 'study' }))?.id).toBe('wuhan');
  });
  it('no rule: none, 0 days, no end', () => {
    expect(decideArrival([wuhan], arrival({ originCode: '410100', originText: '河南郑州' }))).toEqual({ ruleId: null, measure: 'none', days: 0, until: null });
  });
  it('ends across a month end and a leap day', () => {
    expect(decideArrival([wuhan], arrival({ arrivalOn: '2020-02-20' })).until).toBe('2020-03-05');
    expect(decideArrival([{ ...wuhan, days: 1 }], arrival({ arrivalOn: '2020-02-28' })).until).toBe('2020-02-29');
  });
  it('statuses and key-person categories of measures', () => {
    expect([statusForMeasure('home_isolation'), statusForMeasure('centralized_isolation'), statusForMeasure('health_monitoring'), statusForMeasure('none')])
      .toEqual(['home_isolation', 'centralized_isolation', null, null]);
    expect([categoryForMeasure('home_isolation'), categoryForMeasure('health_monitoring'), categoryForMeasure('none')])
      .toEqual(['home_isolation', 'returnee', null]);
  });
});
