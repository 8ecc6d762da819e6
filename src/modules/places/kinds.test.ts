import { describe, expect, it } from 'vitest';
import { kindLabel, parseKind, PLACE_KINDS } from './kinds';
import { newToken, TOKEN_RE } from './tokens';

describe('place kinds', () => {
  it('reads keys, Chinese labels, English labels and common aliases, ignoring width and case', () => {
    for (const k of PLACE_KINDS) expect(parseKind(k)).toBe(k);
    expect(parseKind('住宅小区')).toBe('residential');
    expect(parseKind(' 小区 ')).toBe('residential');
    expect(parseKind('村')).toBe('village');
    expect(parseKind('企事业单位')).toBe('enterprise');
    expect(parseKind('诊所')).toBe('medical');
    expect(parseKind('便利店')).toBe('supermarket');
    expect(parseKind('ＭＡＬＬ')).toBe('mall'); // full-width
    expect(parseKind('Government Office')).toBe('government');
    expect(parseKind('城堡')).toBeNull();
    expect(parseKind('')).toBeNull();
  });
  it('labels every kind in Chinese', () => {
    expect(PLACE_KINDS.map(kindLabel)).toEqual(['住宅小区', '村', '机关单位', '企事业单位', '商场', '超市', '医疗机构', '其他']);
  });
});

describe('checkpoint tokens', () => {
  it('are 24 random bytes in base64url: 32 URL-safe characters, never repeating', () => {
    const seen = new Set(Array.from({ length: 1000 }, newToken));
    expect(seen.size).toBe(1000);
    for (const t of seen) expect(t).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(TOKEN_RE.test("x' OR 1=1 --")).toBe(false);
  });
});
