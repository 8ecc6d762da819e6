/**
 * Pure figure helpers of the console (no React): dashboard figures over GET /api/checkins/dashboard,
 * merging the gate's live list with live events, and formula-safe CSV cells.
 */

/** One China day of GET /api/checkins/dashboard (entries/exits: a two-way check counts once). */
export interface DashboardDay {
  date: string; entries: number; exits: number; refused: number; feverReadings: number; feverAlerts: number;
}
/** One of the busiest places of GET /api/checkins/dashboard (most entries first). */
export interface DashboardPlace {
  placeId: string; name: string; kind: string; community: string; communityName: string;
  entries: number; exits: number; refused: number; feverReadings: number;
}
export interface DashboardData { from: string; to: string; days: DashboardDay[]; places: DashboardPlace[] }
export type DashboardTotals = Omit<DashboardDay, 'date'>;

/**
 * Totals of the range: sums of the same `days` the chart draws, so the cards and the chart never
 * disagree (LESSONS "Figures that disagree"). Empty `days` gives zeros.
 */
export function dashboardTotals(days: readonly DashboardDay[]): DashboardTotals {
  const t: DashboardTotals = { entries: 0, exits: 0, refused: 0, feverReadings: 0, feverAlerts: 0 };
  for (const d of days) {
    t.entries += d.entries; t.exits += d.exits; t.refused += d.refused; t.feverReadings += d.feverReadings; t.feverAlerts += d.feverAlerts;
  }
  return t;
}

/**
 * The query of the check-in list (通行记录) showing exactly the entries a dashboard figure counts:
 * same place (or area) and China dates, kind=entries (the server's one entry rule), so the list's
 * total equals the figure.
 */
export function entriesListQuery(f: { placeId?: string; areaCode?: string; from: string; to: string }): Record<string, string> {
  const q: Record<string, string> = { kind: 'entries', from: f.from, to: f.to };
  if (f.placeId) q.placeId = f.placeId;
  else if (f.areaCode) q.areaCode = f.areaCode;
  return q;
}

/** An entry or exit in the gate's live list (times ISO, temperature °C). */
export interface LiveCheckin {
  id: string; at: string; maskedName: string; direction: string; temperature: number | null;
  outcome: string; refusal: string | null; source?: string;
}

/** Most rows the gate's live list keeps. */
export const LIVE_MAX_ROWS = 200;

/** `rows` added to `list`: no duplicate id (the first seen wins), newest first, at most LIVE_MAX_ROWS. */
export function mergeLive(list: readonly LiveCheckin[], rows: readonly LiveCheckin[]): LiveCheckin[] {
  const seen = new Set<string>();
  return [...rows, ...list]
    .filter((r) => (seen.has(r.id) ? false : (seen.add(r.id), true)))
    .sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0))
    .slice(0, LIVE_MAX_ROWS);
}

/**
 * One CSV cell, always quoted; a leading = + - @ tab or CR gets a ' in front so a spreadsheet never
 * runs it as a formula (LESSONS "Spreadsheets"; SPEC "exports safe to open in Excel").
 */
export function csvCell(v: string): string {
  const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return `"${safe.replace(/"/g, '""')}"`;
}
