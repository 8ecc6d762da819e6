import { describe, expect, it } from 'vitest';
import { codeValid, pickPerson, refreshDueMs, secondsLeft, skewMs } from './pass-clock';

const T0 = Date.parse('2025-03-01T02:00:00.000Z');

describe('pass code screen timing', () => {
  it('measures the server clock against the phone\'s', () => {
    expect(skewMs('2025-03-01T02:00:10.000Z', T0)).toBe(10_000);
    expect(skewMs('2025-03-01T01:59:58.500Z', T0)).toBe(-1500);
    expect(skewMs('not a date', T0)).toBe(0);
  });

  it('counts whole seconds down, rounding up, never below zero', () => {
    expect(secondsLeft(T0 + 30_000, T0)).toBe(30);
    expect(secondsLeft(T0 + 29_001, T0)).toBe(30);
    expect(secondsLeft(T0 + 29_000, T0)).toBe(29);
    expect(secondsLeft(T0 - 1, T0)).toBe(0);
  });

  it('refreshes every refreshInS seconds, and always before the code on screen expires', () => {
    const exp = T0 + 60_000;
    expect(refreshDueMs(T0, 30, exp)).toBe(T0 + 30_000);
    expect(refreshDueMs(T0, 30)).toBe(T0 + 30_000);
    expect(refreshDueMs(T0, 1)).toBe(T0 + 5_000); // never hammer the server
    expect(refreshDueMs(T0, 90, exp)).toBe(T0 + 55_000); // a refresh slower than the lifetime is pulled in
    // phone 20 s behind the server: the code expires at phone time exp − 20 s
    expect(refreshDueMs(T0, 50, exp, 20_000)).toBe(T0 + 35_000);
    expect(refreshDueMs(T0, 30, T0 - 60_000)).toBe(T0 + 2_000); // an already expired code: soon, not in a loop
  });

  it('shows a code only before its expiry in server time (a screenshot does not stay valid)', () => {
    const exp = '2025-03-01T02:01:00.000Z';
    expect(codeValid(exp, T0 + 59_999)).toBe(true);
    expect(codeValid(exp, T0 + 60_000)).toBe(false);
    expect(codeValid('garbage', T0)).toBe(false);
  });

  it('keeps the chosen person across refreshes, else the first (the owner)', () => {
    const ps = [{ personId: 'self' }, { personId: 'dep' }];
    expect(pickPerson(ps, 'dep')).toBe(ps[1]);
    expect(pickPerson(ps, 'gone')).toBe(ps[0]);
    expect(pickPerson(ps, null)).toBe(ps[0]);
    expect(pickPerson([], 'dep')).toBeNull();
  });
});
