import { describe, expect, it } from 'vitest';
import { deviceClock, localReasonText, scanTimes, temperatureGap } from './rules';

const now = new Date('2020-02-26T12:00:00.000Z');
const sec = (s: number) => new Date(now.getTime() + s * 1000);

describe('deviceClock and scanTimes (issue 3 §4: skew beyond the window is corrected and flagged)', () => {
  it('keeps the device time within CLOCK_SKEW_MAX_S, but verifies at the server-clock moment', () => {
    const clock = deviceClock(now, sec(-60), 120); // the device is a minute behind
    expect(clock).toEqual({ skewMs: 60_000, skewS: 60, corrected: false });
    const t = scanTimes(clock, sec(-90), sec(-60), now);
    expect(t).toEqual({ at: sec(-90), verifyAt: sec(-30), corrected: false });
  });
  it('corrects every scan by the skew beyond the window, either sign', () => {
    const behind = deviceClock(now, sec(-3600), 120);
    expect(behind.corrected).toBe(true);
    expect(scanTimes(behind, sec(-3600 - 300), sec(-3600), now).at).toEqual(sec(-300));
    const ahead = deviceClock(now, sec(121), 120);
    expect(ahead).toMatchObject({ skewS: -121, corrected: true });
    expect(scanTimes(ahead, sec(100), sec(121), now)).toEqual({ at: sec(-21), verifyAt: sec(-21), corrected: true });
  });
  it('is exactly at the limit not corrected, one second over corrected', () => {
    expect(deviceClock(now, sec(-120), 120).corrected).toBe(false);
    expect(deviceClock(now, sec(-121), 120).corrected).toBe(true);
  });
  it('takes a scan dated after its batch was sent as sent then, and flags it (a clock jump while offline)', () => {
    const clock = deviceClock(now, sec(-10), 120); // sent 10 s ago by the device clock: within the window
    const t = scanTimes(clock, sec(365 * 86_400), sec(-10), now); // "scanned" a year later
    expect(t).toEqual({ at: now, verifyAt: now, corrected: true });
    expect(scanTimes(clock, sec(-10), sec(-10), now).corrected).toBe(false); // at the moment of sending: fine
  });
});

describe('temperatureGap (issue 3 §3: a gap of more than 0.3 °C is flagged)', () => {
  it('flags more than the limit, not the limit itself (no float drift)', () => {
    expect(temperatureGap(36.5, 36.8, 0.3)).toEqual({ gapC: 0.3, flagged: false });
    expect(temperatureGap(36.9, 36.5, 0.3)).toEqual({ gapC: 0.4, flagged: true });
    expect(temperatureGap(36.1, 36.4, 0.3)).toEqual({ gapC: 0.3, flagged: false });
  });
  it('has no gap unless both sides measured', () => {
    expect(temperatureGap(null, 36.5, 0.3)).toEqual({ gapC: null, flagged: false });
    expect(temperatureGap(36.5, null, 0.3)).toEqual({ gapC: null, flagged: false });
  });
});

describe('localReasonText', () => {
  it('uses the token refusal messages, and names an unknown code', () => {
    expect(localReasonText('token_revoked').zh).toBe('此码已作废');
    expect(localReasonText('status_barred').zh).toContain('状态');
    expect(localReasonText('odd_code').en).toContain('odd_code');
  });
});
