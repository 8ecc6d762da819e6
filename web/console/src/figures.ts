/**
 * Pure figure helpers of the console (no React): dashboard sums over GET /api/checkins/counts,
 * merging the gate's live list with live events, and formula-safe CSV cells.
 */
import { dateRange } from './format';

/** One row of GET /api/checkins/counts: one place on one China day. */
export interface CountRow {
  placeId: string; placeName: string; placeKind: string; communityCode: string; day: string;
  entries: number; exits: number; refused: number; fevers: number; persons: number;
}
export interface DaySum { day: string; entries: number; exits: number; refused: number; fevers: number }
export interface PlaceSum { placeId: string; placeName: string; placeKind: string; entries: number; exits: number; refused: number; fevers: number }

/**
 * Totals per China day over every date from `from` to `to` inclusive ('YYYY-MM-DD'); days without
 * rows count 0 and rows outside the range are ignored, so the chart, the table and the totals
 * are sums of the same rows (LESSONS "Figures that disagree").
 */
export function sumByDay(rows: readonly CountRow[], range: { from: string; to: string }): DaySum[] {
  const m = new Map(dateRange(range.from, range.to).map((d) => [d, { day: d, entries: 0, exits: 0, refused: 0, fevers: 0 }]));
  for (const r of rows) {
    const s = m.get(r.day);
    if (!s) continue;
    s.entries += r.entries; s.exits += r.exits; s.refused += r.refused; s.fevers += r.fevers;
  }
  return [...m.values()];
}

/** Totals per place, busiest (most entries) first, ties by name (zh collation). */
export function sumByPlace(rows: readonly CountRow[]): PlaceSum[] {
  const m = new Map<string, PlaceSum>();
  for (const r of rows) {
    const s = m.get(r.placeId) ?? { placeId: r.placeId, placeName: r.placeName, placeKind: r.placeKind, entries: 0, exits: 0, refused: 0, fevers: 0 };
    s.entries += r.entries; s.exits += r.exits; s.refused += r.refused; s.fevers += r.fevers;
    m.set(r.placeId, s);
  }
  return [...m.values()].sort((a, b) => b.entries - a.entries || a.placeName.localeCompare(b.placeName, 'zh'));
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
