/** Door-sensor rules (pure): windows in China time across midnight, battery once, silence, payloads. */
import { describe, expect, it } from 'vitest';
import { chinaMinuteOfDay, insideWindows, isSilent, parsePayload, readingAlerts, windowsProblem } from './rules';

const at = (china: string) => new Date(`${china}+08:00`);

describe('door-sensor rules', () => {
  it('reads the minute of the day in China time, not UTC', () => {
    expect(chinaMinuteOfDay(new Date('2020-02-10T19:00:00Z'))).toBe(180); // 03:00 China
    expect(chinaMinuteOfDay(at('2020-02-11T00:00:00'))).toBe(0);
    expect(chinaMinuteOfDay(at('2020-02-11T23:59:59'))).toBe(1439);
  });

  it('windows: from inclusive, to exclusive, crossing midnight, none', () => {
    const day = [{ from: '08:00', to: '08:30' }];
    expect(insideWindows(day, at('2020-02-11T08:00:00'))).toBe(true);
    expect(insideWindows(day, at('2020-02-11T08:29:59'))).toBe(true);
    expect(insideWindows(day, at('2020-02-11T08:30:00'))).toBe(false);
    expect(insideWindows(day, at('2020-02-11T07:59:59'))).toBe(false);
    const night = [{ from: '22:00', to: '02:00' }];
    expect(insideWindows(night, at('2020-02-11T23:30:00'))).toBe(true);
    expect(insideWindows(night, at('2020-02-11T01:59:00'))).toBe(true);
    expect(insideWindows(night, at('2020-02-11T02:00:00'))).toBe(false);
    expect(insideWindows(night, at('2020-02-11T21:59:00'))).toBe(false);
    expect(insideWindows([], at('2020-02-11T12:00:00'))).toBe(false);
    expect(insideWindows([{ from: '09:00', to: '09:00' }], at('2020-02-11T09:00:00'))).toBe(false);
    expect(windowsProblem([{ from: '09:00', to: '09:00' }])).toBe('empty');
    expect(windowsProblem([{ from: '9:00', to: '10:00' }])).toBe('format');
    expect(windowsProblem(night)).toBeNull();
  });

  it('door open outside every window alerts; closed never does', () => {
    const w = [{ from: '08:00', to: '08:30' }, { from: '18:00', to: '18:30' }];
    expect(readingAlerts({ contact: false }, w, null, at('2020-02-11T03:00:00'), 20)).toEqual(['door_open']);
    expect(readingAlerts({ contact: false }, w, null, at('2020-02-11T18:10:00'), 20)).toEqual([]);
    expect(readingAlerts({ contact: true }, w, null, at('2020-02-11T03:00:00'), 20)).toEqual([]);
    expect(readingAlerts({}, w, null, at('2020-02-11T03:00:00'), 20)).toEqual([]);
  });

  it('battery low once until it rises above the limit', () => {
    const t = at('2020-02-11T12:00:00');
    expect(readingAlerts({ battery: 20 }, [], null, t, 20)).toEqual(['battery_low']);
    expect(readingAlerts({ battery: 19 }, [], 21, t, 20)).toEqual(['battery_low']);
    expect(readingAlerts({ battery: 15 }, [], 20, t, 20)).toEqual([]);
    expect(readingAlerts({ battery: 21 }, [], 15, t, 20)).toEqual([]);
    expect(readingAlerts({ contact: true }, [], 15, t, 20)).toEqual([]);
    expect(readingAlerts({ contact: false, battery: 5 }, [], 90, t, 20)).toEqual(['door_open', 'battery_low']);
  });

  it('silent after more than the heartbeat limit since the last message or the binding', () => {
    const bound = at('2020-02-11T10:00:00');
    expect(isSilent(null, bound, at('2020-02-11T11:00:00'), 60)).toBe(false);
    expect(isSilent(null, bound, at('2020-02-11T11:00:01'), 60)).toBe(true);
    expect(isSilent(at('2020-02-11T10:30:00'), bound, at('2020-02-11T11:00:01'), 60)).toBe(false);
    expect(isSilent(at('2020-02-11T10:30:00'), bound, at('2020-02-11T11:30:01'), 60)).toBe(true);
  });

  it('parses the Zigbee2MQTT contact-sensor shape and refuses anything else', () => {
    expect(parsePayload('{"contact":false,"battery":87,"linkquality":120,"voltage":2995,"tamper":false}'))
      .toEqual({ contact: false, battery: 87, linkquality: 120 });
    expect(parsePayload(Buffer.from('{"contact":true}'))).toEqual({ contact: true });
    expect(parsePayload('{"contact":')).toBeNull();
    expect(parsePayload('[1]')).toBeNull();
    expect(parsePayload('null')).toBeNull();
    expect(parsePayload('"x"')).toBeNull();
    expect(parsePayload('{"contact":"false"}')).toBeNull();
    expect(parsePayload('{"battery":101}')).toBeNull();
    expect(parsePayload('{"battery":-1}')).toBeNull();
    expect(parsePayload(Buffer.from([0xff, 0xfe, 0x00]))).toBeNull();
  });
});
