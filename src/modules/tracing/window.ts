/**
 * The look-back window of a trace (issue 4 §3): which instants of the subject's check-ins are
 * traced. Pure functions; China dates ('YYYY-MM-DD') become instants at 00:00 China time.
 *
 * - A case: from 00:00 China time TRACE_LOOKBACK_DAYS days before its onset date to 24:00 of its
 *   isolation date (no isolation date yet: now). Without an onset date, the day the case was
 *   registered stands in for it (asymptomatic cases).
 * - A contact (contacts of contacts): from 00:00 China time of its last exposure date (it cannot
 *   have infected anyone through this chain before it was exposed) to now (a contact under
 *   observation should not be checking in anywhere; whatever it did is what we want to see).
 * - Either can be overridden per trace (from and/or to); the window must satisfy from < to and
 *   last at most MAX_WINDOW_DAYS days. A default longer than that keeps its last MAX_WINDOW_DAYS
 *   days (check-ins older than the retention period are gone anyway).
 */
import { badRequest } from '../../lib/errors';
import { addDays, chinaDate, chinaDayStart } from '../../lib/time';
import { isPlausibleDay } from '../cases/rules';

/** Longest trace window, days. */
export const MAX_WINDOW_DAYS = 60;
const DAY = 86_400_000;

export interface TraceWindow { from: Date; to: Date }

/**
 * Default window of a case (rule in the file header).
 * @param c.onsetOn / c.isolatedOn China dates or null; c.createdAt when the case was registered.
 */
export function caseWindow(c: { onsetOn: string | null; isolatedOn: string | null; createdAt: Date }, lookbackDays: number, now: Date): TraceWindow {
  const start = c.onsetOn ?? chinaDate(c.createdAt);
  const from = chinaDayStart(addDays(start, -lookbackDays));
  const to = c.isolatedOn ? chinaDayStart(addDays(c.isolatedOn, 1)) : now;
  return clampLength({ from, to });
}

/** Default window of a contact: 00:00 China time of its last exposure date → `now`. */
export function contactWindow(c: { lastExposureOn: string }, now: Date): TraceWindow {
  return clampLength({ from: chinaDayStart(c.lastExposureOn), to: now });
}

function clampLength(w: TraceWindow): TraceWindow {
  const min = w.to.getTime() - MAX_WINDOW_DAYS * DAY;
  return w.from.getTime() < min ? { from: new Date(min), to: w.to } : w;
}

/**
 * An ISO 8601 instant with an offset whose calendar date exists (Date.parse turns 02-30 into
 * 03-01) and lies within DAY_RANGE (2000–2099: year 0000 cannot even be stored by PostgreSQL).
 */
function instant(v: string, field: 'from' | 'to'): Date {
  const t = Date.parse(v);
  const day = v.slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/.test(v) || Number.isNaN(t) || !isPlausibleDay(day)) {
    throw badRequest('invalid_time', `${field} 不是有效的时间（例如 2020-02-10T08:00:00+08:00）`,
      `${field} is not a valid instant (e.g. 2020-02-10T08:00:00+08:00)`);
  }
  return new Date(t);
}

/**
 * The window of one trace: the default with `from` / `to` replaced when given (ISO 8601 instants
 * with an offset).
 * @throws AppError 400 invalid_time (unparseable), invalid_window (from not before to),
 *   window_too_long (more than MAX_WINDOW_DAYS days).
 */
export function resolveWindow(defaults: TraceWindow, over: { from?: string | null; to?: string | null }): TraceWindow {
  const from = over.from ? instant(over.from, 'from') : defaults.from;
  const to = over.to ? instant(over.to, 'to') : defaults.to;
  if (from.getTime() >= to.getTime()) {
    throw badRequest('invalid_window', '追踪时间范围的开始必须早于结束（可在请求中指定 from 和 to）',
      'The trace window must start before it ends (give from and to)');
  }
  if (to.getTime() - from.getTime() > MAX_WINDOW_DAYS * DAY) {
    throw badRequest('window_too_long', `追踪时间范围不能超过 ${MAX_WINDOW_DAYS} 天`, `The trace window cannot exceed ${MAX_WINDOW_DAYS} days`);
  }
  return { from, to };
}
