import { describe, expect, it } from 'vitest';
import { docTypeText } from './doc-types';

describe('gate document type labels', () => {
  it('translates a known claim dt on English pages only', () => {
    expect(docTypeText('居民身份证', 'en')).toBe('Resident Identity Card');
    expect(docTypeText('护照', 'en')).toBe('Passport');
    expect(docTypeText('居民身份证', 'zh')).toBe('居民身份证');
    expect(docTypeText('某种证件', 'en')).toBe('某种证件');
  });
});
