/**
 * China Standard Time. Every day boundary, "today" and displayed time is Asia/Shanghai (UTC+8,
 * no daylight saving): SPEC "Rules worth knowing". Timestamps are stored as timestamptz (UTC).
 */
export const CHINA_TZ = 'Asia/Shanghai';
const OFFSET_MS = 8 * 3600_000;

/** 'YYYY-MM-DD' of the China date that contains `at`. */
export function chinaDate(at: Date = new Date()): string {
  return new Date(at.getTime() + OFFSET_MS).toISOString().slice(0, 10);
}

/** 'YYYY-MM-DD HH:mm:ss' in China time, for display and exports. */
export function chinaDateTime(at: Date): string {
  return new Date(at.getTime() + OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');
}

/** The instant 00:00 China time starts `date` ('YYYY-MM-DD'). @throws RangeError on a bad date. */
export function chinaDayStart(date: string): Date {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new RangeError(`not a date: ${date}`);
  const t = Date.parse(`${date}T00:00:00+08:00`);
  if (Number.isNaN(t) || chinaDate(new Date(t)) !== date) throw new RangeError(`not a date: ${date}`);
  return new Date(t);
}

/** The half-open instant range [00:00, next 00:00) China time of `date`. */
export function chinaDayRange(date: string): { from: Date; to: Date } {
  const from = chinaDayStart(date);
  return { from, to: new Date(from.getTime() + 86_400_000) };
}

/** `date` plus `days` calendar days ('YYYY-MM-DD'). */
export function addDays(date: string, days: number): string {
  return chinaDate(new Date(chinaDayStart(date).getTime() + days * 86_400_000));
}
