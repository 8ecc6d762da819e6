import { describe, expect, it } from 'vitest';
import { cardNumber } from './pdf';
import { cardExpiry, lastValidDay } from './service';

describe('card validity in China time', () => {
  it('ends at 00:00 China time after the last valid day, never more than CARD_VALID_DAYS after issue', () => {
    // 2025-01-01 23:30 China time (15:30 UTC): the issue day is 1 January
    const late = new Date('2025-01-01T15:30:00Z');
    expect(cardExpiry(late, 365).toISOString()).toBe('2025-12-31T16:00:00.000Z'); // 2026-01-01 00:00 China
    expect(lastValidDay(cardExpiry(late, 365))).toBe('2025-12-31');
    // 2025-01-02 00:30 China time (16:30 UTC on 1 January): the issue day is 2 January
    const early = new Date('2025-01-01T16:30:00Z');
    expect(cardExpiry(early, 365).toISOString()).toBe('2026-01-01T16:00:00.000Z');
    expect(lastValidDay(cardExpiry(early, 365))).toBe('2026-01-01');
    for (const at of [late, early, new Date('2024-02-29T04:00:00Z')]) {
      const days = (cardExpiry(at, 30).getTime() - at.getTime()) / 86_400_000;
      expect(days).toBeLessThanOrEqual(30);
      expect(days).toBeGreaterThan(29);
    }
  });

  it('prints a short card number from the id', () => {
    expect(cardNumber('3f2a9b1c-1111-2222-3333-444455556666')).toBe('3F2A-9B1C');
  });
});
