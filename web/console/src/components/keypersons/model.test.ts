/** The key-person model's pure helpers and its mirror of the server's symptom list. */
import { describe, expect, it } from 'vitest';
import { SYMPTOMS } from '../../../../../src/modules/keypersons/observations';
import { chinaLocalToIso, dayOfText, SYMPTOM_KEYS, symptomLabel, teamComplete } from './model';

describe('key-person model', () => {
  it('mirrors the server symptom list, each with a Chinese label', () => {
    expect([...SYMPTOM_KEYS]).toEqual([...SYMPTOMS]);
    for (const s of SYMPTOM_KEYS) expect(symptomLabel(s, 'zh')).not.toBe(s);
  });
  it('writes day N of M', () => {
    expect(dayOfText({ day: 3, of: 14 }, 'zh')).toBe('第 3 / 14 天');
    expect(dayOfText({ day: 3, of: 14 }, 'en')).toBe('Day 3 of 14');
    expect(dayOfText({ day: 5, of: null }, 'zh')).toBe('第 5 天');
    expect(dayOfText({ day: 0, of: 14 }, 'zh')).toBe('明日起第 1 天');
    expect(dayOfText({ day: 15, of: 14 }, 'zh')).toBe('已满 14 天');
  });
  it('knows a complete team', () => {
    const m = (role: string) => ({ role, staffId: role, name: role }) as never;
    expect(teamComplete(['street_cadre', 'community_worker', 'doctor', 'police'].map(m))).toBe(false);
    expect(teamComplete(['street_cadre', 'community_worker', 'doctor', 'police', 'counsellor'].map(m))).toBe(true);
  });
  it('reads a datetime-local value as China time', () => {
    expect(chinaLocalToIso('2026-11-30T18:00')).toBe('2026-11-30T18:00:00+08:00');
    expect(new Date(chinaLocalToIso('2026-11-30T18:00')!).toISOString()).toBe('2026-11-30T10:00:00.000Z');
    expect(chinaLocalToIso('')).toBeNull();
  });
});
