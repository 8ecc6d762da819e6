import { describe, expect, it } from 'vitest';
import { originCodeFromText } from './origin';

describe('originCodeFromText', () => {
  it('finds the deepest division named, with or without suffixes', () => {
    expect(originCodeFromText('湖北省武汉市武昌区')).toBe('420106');
    expect(originCodeFromText('湖北武汉')).toBe('4201');
    expect(originCodeFromText(' 湖北 武汉 江岸 ')).toBe('420102');
    expect(originCodeFromText('湖北省')).toBe('42');
    expect(originCodeFromText('河南省郑州市')).toBe('4101');
    expect(originCodeFromText('广东深圳南山区')).toBe('440305');
  });
  it('takes a city named alone when only one city has that name', () => {
    expect(originCodeFromText('武汉')).toBe('4201');
    expect(originCodeFromText('孝感')).toBe('4209');
  });
  it('answers null when no division is named', () => {
    expect(originCodeFromText('海外')).toBeNull();
    expect(originCodeFromText('')).toBeNull();
    expect(originCodeFromText('美国纽约')).toBeNull();
  });
});
