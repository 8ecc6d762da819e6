/**
 * Corrected time on the gate (web/gate/sync.ts): a tablet whose clock is an hour wrong still
 * checks codes at server time, measured at the midpoint of the sync's round trip.
 */
import { describe, expect, it } from 'vitest';
import { clockOffset, correctedNowS } from './sync';

describe('clock offset', () => {
  it('is server time minus device time at the middle of the round trip', () => {
    const server = Date.parse('2026-03-01T08:00:00.000Z');
    // the device is 1 h behind; the request took 400 ms there and back
    const sent = server - 3600_000 - 200;
    const offset = clockOffset(new Date(server).toISOString(), sent, sent + 400);
    expect(offset).toBe(3600_000);
    expect(correctedNowS({ offsetMs: offset }, sent + 10_200)).toBe(Math.floor((server + 10_000) / 1000));
  });

  it('without a sync, corrected time is device time', () => {
    expect(correctedNowS(null, 1_760_000_000_999)).toBe(1_760_000_000);
  });
});
