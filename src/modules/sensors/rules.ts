/**
 * Door-sensor rules (issue 5 §5, SPEC S3 电子门磁), pure: no database, no clock. The ingest and the
 * heartbeat job hand in "now" and the sensor's stored state.
 * - A door open (`contact: false`) outside every agreed window of the sensor → 'door_open'. Windows
 *   are daily, China time, `from` inclusive and `to` exclusive; `from > to` crosses midnight.
 * - A battery at or below the limit → 'battery_low', once per sensor until it rises above the limit.
 * - No message for more than the heartbeat limit (since the last message, or the binding) → silent.
 */

export interface DoorWindow { from: string; to: string; note?: string }
export type SensorAlert = 'door_open' | 'battery_low';

export const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;
const CHINA_OFFSET_MIN = 8 * 60;

/** Minutes after China midnight of `at` (0..1439). */
export function chinaMinuteOfDay(at: Date): number {
  const m = Math.floor(at.getTime() / 60_000) + CHINA_OFFSET_MIN;
  return ((m % 1440) + 1440) % 1440;
}

function minutes(hhmm: string): number {
  if (!HHMM.test(hhmm)) throw new RangeError(`not HH:MM: ${hhmm}`);
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
}

/** Whether `at` falls inside one of the daily windows (an empty list: never). */
export function insideWindows(windows: readonly DoorWindow[], at: Date): boolean {
  const m = chinaMinuteOfDay(at);
  return windows.some((w) => {
    const from = minutes(w.from);
    const to = minutes(w.to);
    if (from === to) return false;
    return from < to ? m >= from && m < to : m >= from || m < to;
  });
}

/** The first problem of a window list (for the routes), or null. */
export function windowsProblem(windows: readonly DoorWindow[]): string | null {
  for (const w of windows) {
    if (!HHMM.test(w.from) || !HHMM.test(w.to)) return 'format';
    if (w.from === w.to) return 'empty';
  }
  return null;
}

export interface SensorReading { contact?: boolean; battery?: number }

/**
 * The alerts a reading raises.
 * @param previousBattery the battery stored before this reading (null: never reported).
 */
export function readingAlerts(r: SensorReading, windows: readonly DoorWindow[], previousBattery: number | null,
  at: Date, batteryLowPct: number): SensorAlert[] {
  const out: SensorAlert[] = [];
  if (r.contact === false && !insideWindows(windows, at)) out.push('door_open');
  if (r.battery !== undefined && r.battery <= batteryLowPct && (previousBattery === null || previousBattery > batteryLowPct)) out.push('battery_low');
  return out;
}

/** Whether a sensor is silent at `now`: nothing for more than `heartbeatMin` since `lastSeenAt ?? boundAt`. */
export function isSilent(lastSeenAt: Date | null, boundAt: Date, now: Date, heartbeatMin: number): boolean {
  const since = (lastSeenAt ?? boundAt).getTime();
  return now.getTime() - since > heartbeatMin * 60_000;
}

/**
 * A Zigbee2MQTT contact-sensor payload → the reading, or null when it is not one (not JSON, not an
 * object, wrong types). Unknown fields are ignored; battery 0..100, linkquality 0..255, integers.
 */
export function parsePayload(payload: Buffer | string): (SensorReading & { linkquality?: number }) | null {
  let v: unknown;
  try {
    v = JSON.parse(typeof payload === 'string' ? payload : payload.toString('utf8'));
  } catch {
    return null;
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return null;
  const o = v as Record<string, unknown>;
  const out: SensorReading & { linkquality?: number } = {};
  if (o.contact !== undefined) {
    if (typeof o.contact !== 'boolean') return null;
    out.contact = o.contact;
  }
  for (const [k, max] of [['battery', 100], ['linkquality', 255]] as const) {
    const x = o[k];
    if (x === undefined || x === null) continue;
    if (typeof x !== 'number' || !Number.isFinite(x) || x < 0 || x > max) return null;
    out[k] = Math.round(x);
  }
  return out;
}
