/**
 * Displayed times are China Standard Time (Asia/Shanghai), whatever the phone's own zone:
 * SPEC "Rules worth knowing" (LESSONS "Time zones": itineraries 8 hours early).
 */
const TZ = 'Asia/Shanghai';
const opts = (o: Intl.DateTimeFormatOptions): Intl.DateTimeFormatOptions => ({ timeZone: TZ, hourCycle: 'h23', ...o });
const fmtTime = new Intl.DateTimeFormat('en-GB', opts({ hour: '2-digit', minute: '2-digit', second: '2-digit' }));
const fmtDate = new Intl.DateTimeFormat('en-GB', opts({ year: 'numeric', month: '2-digit', day: '2-digit', weekday: 'short' }));

function parts(f: Intl.DateTimeFormat, at: Date): Record<string, string> {
  const r: Record<string, string> = {};
  for (const p of f.formatToParts(at)) r[p.type] = p.value;
  return r;
}

/** 'HH:mm:ss' China time (24 h). */
export function clockText(at: Date): string {
  const p = parts(fmtTime, at);
  return `${p.hour === '24' ? '00' : p.hour}:${p.minute}:${p.second}`;
}

const WEEK_ZH: Record<string, string> = { Mon: '一', Tue: '二', Wed: '三', Thu: '四', Fri: '五', Sat: '六', Sun: '日' };

/** 'YYYY-MM-DD' China date, with the weekday when `weekday` is 'zh' (星期三) or 'en' (Wed). */
export function dateText(at: Date, weekday?: 'zh' | 'en'): string {
  const p = parts(fmtDate, at);
  const d = `${p.year}-${p.month}-${p.day}`;
  if (!weekday) return d;
  return weekday === 'zh' ? `${d} 星期${WEEK_ZH[p.weekday] ?? ''}` : `${d} ${p.weekday}`;
}

/** 'YYYY-MM-DD HH:mm' China time of an ISO timestamp; the input unchanged if it is not a date. */
export function dateTimeText(iso: string | null | undefined): string {
  if (!iso) return '';
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return String(iso);
  return `${dateText(at)} ${clockText(at).slice(0, 5)}`;
}
