import { describe, expect, it } from 'vitest';
import { addDays, chinaDate, chinaDateTime, chinaDayRange, chinaDayStart } from './time';

describe('China time', () => {
  it('07:30 on 26 Feb CST is 25 Feb 23:30 UTC and counts on 26 Feb', () => {
    expect(chinaDate(new Date('2020-02-25T23:30:00Z'))).toBe('2020-02-26');
    expect(chinaDate(new Date('2020-02-25T15:59:59Z'))).toBe('2020-02-25');
    expect(chinaDate(new Date('2020-02-25T16:00:00Z'))).toBe('2020-02-26');
  });
  it('day range starts at 16:00 UTC of the day before', () => {
    const r = chinaDayRange('2020-02-26');
    expect(r.from.toISOString()).toBe('2020-02-25T16:00:00.000Z');
    expect(r.to.toISOString()).toBe('2020-02-26T16:00:00.000Z');
  });
  it('formats for display in China time', () => {
    expect(chinaDateTime(new Date('2020-02-25T23:30:05Z'))).toBe('2020-02-26 07:30:05');
  });
  it('adds days across the leap day and month ends', () => {
    expect(addDays('2020-02-28', 1)).toBe('2020-02-29');
    expect(addDays('2020-02-29', 1)).toBe('2020-03-01');
    expect(addDays('2021-02-28', 1)).toBe('2021-03-01');
    expect(addDays('2020-12-31', 14)).toBe('2021-01-14');
  });
  it('rejects impossible dates', () => {
    expect(() => chinaDayStart('1999-02-30')).toThrow(RangeError);
    expect(() => chinaDayStart('2020-13-01')).toThrow(RangeError);
  });
});
