import { describe, expect, it } from 'vitest';
import { AppError } from '../../lib/errors';
import { isFever, parseTemperature } from './temperature';

const rules = { FEVER_THRESHOLD_C: 37.3, TEMP_MIN_C: 34.0, TEMP_MAX_C: 42.5 };
const code = (raw: unknown) => {
  try {
    parseTemperature(raw, rules);
    return 'ok';
  } catch (e) {
    return (e as AppError).code;
  }
};

describe('parseTemperature', () => {
  it.each([
    ['36.5', 36.5], ['36,5', 36.5], [' 36.5℃', 36.5], ['３６．５', 36.5], [36.5, 36.5], ['37', 37], ['36.55', 36.6], ['37.3°C', 37.3],
  ])('reads %j as %d', (raw, want) => {
    expect(parseTemperature(raw, rules)).toBe(want);
  });
  it.each([['abc'], [''], [null], ['36.5.1'], ['3 6'], ['=36'], [undefined]])('refuses %j as a format error', (raw) => {
    expect(code(raw)).toBe('temperature_format');
  });
  it.each([['50'], ['33.9'], ['42.6'], ['10']])('refuses %j as implausible', (raw) => {
    expect(code(raw)).toBe('temperature_range');
  });
  it('puts the threshold itself on the fever side', () => {
    expect(isFever(37.3, rules)).toBe(true);
    expect(isFever(37.2, rules)).toBe(false);
  });
  it('explains in Chinese', () => {
    try {
      parseTemperature('50', rules);
    } catch (e) {
      expect((e as AppError).messages.zh).toContain('不在合理范围');
    }
  });
});
