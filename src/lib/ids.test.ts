import { describe, expect, it } from 'vitest';
import { validate, version } from 'uuid';
import { timeOrderedId } from './ids';

describe('time-ordered ids', () => {
  it('are UUIDv7 carrying the time they were made, and never repeat across refills of the random pool', () => {
    const before = Date.now();
    const ids = Array.from({ length: 10_000 }, () => timeOrderedId()); // 39 refills of 256
    const after = Date.now();
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of [ids[0]!, ids[255]!, ids[256]!, ids[9_999]!]) {
      expect(validate(id) && version(id)).toBe(7);
      const ms = parseInt(id.replace(/-/g, '').slice(0, 12), 16);
      expect(ms).toBeGreaterThanOrEqual(before);
      expect(ms).toBeLessThanOrEqual(after);
    }
    // in the order they were made, also within one millisecond
    expect(ids.every((id, i) => i === 0 || id > ids[i - 1]!)).toBe(true);
    // the random tails of consecutive ids share nothing (each takes its own 16 bytes of the pool)
    const tail = (id: string) => id.slice(-12);
    expect(new Set(ids.slice(250, 262).map(tail)).size).toBe(12);
  });
});
