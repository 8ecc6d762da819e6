import { describe, expect, it } from 'vitest';
import {
  addDays, chinaDate, chinaDateTime, chinaTime, dateRange, directionLabel, formatTemp, outcomeLabel, OUTCOME_KEYS,
  parseTemperature, refusalLabel, statusColor, statusLabel,
} from './format';
import { PERSON_STATUSES, STATUS_COLOURS } from '../../../src/modules/status/service';

describe('China time (SPEC: every displayed day and time is UTC+8)', () => {
  it('puts 16:30 UTC on the next China day', () => {
    expect(chinaDate('2020-02-01T16:30:00Z')).toBe('2020-02-02');
    expect(chinaDate('2020-02-01T15:59:59Z')).toBe('2020-02-01');
  });
  it('formats date-times and times in China time, and nothing for missing or invalid input', () => {
    expect(chinaDateTime('2020-02-01T16:30:05Z')).toBe('2020-02-02 00:30:05');
    expect(chinaTime('2020-02-01T01:02:03Z')).toBe('09:02:03');
    expect(chinaDateTime(null)).toBe('');
    expect(chinaDateTime('not a date')).toBe('');
  });
  it('adds calendar days across month and leap-year ends', () => {
    expect(addDays('2020-02-28', 1)).toBe('2020-02-29');
    expect(addDays('2020-03-01', -1)).toBe('2020-02-29');
    expect(addDays('2021-01-01', -1)).toBe('2020-12-31');
  });
  it('lists every day of a range inclusive, none when reversed', () => {
    expect(dateRange('2020-02-27', '2020-03-01')).toEqual(['2020-02-27', '2020-02-28', '2020-02-29', '2020-03-01']);
    expect(dateRange('2020-03-02', '2020-03-01')).toEqual([]);
    expect(dateRange('2020-01-01', '2030-01-01')).toHaveLength(400);
  });
});

describe('parseTemperature (a cold gate: commas, full-width points)', () => {
  it('reads the usual ways of typing 36.5', () => {
    for (const raw of ['36.5', '36,5', '36，5', ' 36.5 ', '36．5']) expect(parseTemperature(raw)).toBe(36.5);
    expect(parseTemperature('37')).toBe(37);
  });
  it('leaves anything else as text for the server to refuse with its message', () => {
    expect(parseTemperature('abc')).toBe('abc');
    expect(parseTemperature('36.5.1')).toBe('36.5.1');
    expect(parseTemperature('')).toBe('');
  });
});

describe('labels', () => {
  it('formats temperatures with one decimal and a dash for none', () => {
    expect(formatTemp(36.66)).toBe('36.7 ℃');
    expect(formatTemp('37.8')).toBe('37.8 ℃');
    expect(formatTemp(null)).toBe('—');
  });
  it('offers the three outcomes the guard dialog needs, in zh and en', () => {
    expect(OUTCOME_KEYS.map((k) => outcomeLabel(k, 'zh'))).toEqual(['解除（复测正常）', '送发热门诊', '护送回家']);
    expect(outcomeLabel('referred', 'en')).toBe('Referred to fever clinic');
  });
  it('names statuses like the server and colours barring ones red', () => {
    expect(statusLabel('fever_pending', 'zh')).toBe('发热待复测');
    expect(statusColor('normal')).toBe('green');
    expect(statusColor('home_isolation')).toBe('red');
    expect(statusLabel('unknown_code', 'zh')).toBe('unknown_code');
  });
  it('colours every status as the register does (STATUS_COLOURS: the pass code band)', () => {
    const tag = { green: 'green', yellow: 'gold', red: 'red' } as const;
    for (const s of PERSON_STATUSES) expect(statusColor(s), s).toBe(tag[STATUS_COLOURS[s]]);
  });
  it('labels directions and refusal codes', () => {
    expect(directionLabel('in', 'zh')).toBe('进入');
    expect(directionLabel('out', 'en')).toBe('Out');
    expect(refusalLabel('fever', 'zh')).toBe('体温异常');
  });
});
