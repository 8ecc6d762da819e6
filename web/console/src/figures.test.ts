import { describe, expect, it } from 'vitest';
import { csvCell, LIVE_MAX_ROWS, mergeLive, sumByDay, sumByPlace, type CountRow, type LiveCheckin } from './figures';

const row = (placeId: string, day: string, entries: number, fevers = 0): CountRow => ({
  placeId, placeName: `场所${placeId}`, placeKind: 'residential', communityCode: '410811001001', day,
  entries, exits: 1, refused: fevers, fevers, persons: entries,
});

describe('dashboard sums', () => {
  const rows = [row('a', '2020-02-01', 5, 1), row('b', '2020-02-01', 8), row('a', '2020-02-03', 2), row('a', '2020-01-31', 99)];
  const range = { from: '2020-02-01', to: '2020-02-03' };
  it('gives every day of the range, zero-filled, ignoring rows outside it', () => {
    expect(sumByDay(rows, range)).toEqual([
      { day: '2020-02-01', entries: 13, exits: 2, refused: 1, fevers: 1 },
      { day: '2020-02-02', entries: 0, exits: 0, refused: 0, fevers: 0 },
      { day: '2020-02-03', entries: 2, exits: 1, refused: 0, fevers: 0 },
    ]);
  });
  it('ranks places by entries, and chart and table totals agree on the same rows', () => {
    const inRange = rows.filter((r) => r.day >= range.from && r.day <= range.to);
    const places = sumByPlace(inRange);
    expect(places.map((p) => [p.placeId, p.entries])).toEqual([['b', 8], ['a', 7]]);
    expect(sumByPlace([row('y', '2020-02-01', 3), row('x', '2020-02-01', 3)]).map((p) => p.placeId)).toEqual(['x', 'y']);
    const byDay = sumByDay(inRange, range).reduce((n, d) => n + d.entries, 0);
    expect(places.reduce((n, p) => n + p.entries, 0)).toBe(byDay);
  });
});

describe('mergeLive (the gate list fed by fetches and live events)', () => {
  const c = (id: string, at: string): LiveCheckin => ({ id, at, maskedName: '张*', direction: 'in', temperature: 36.5, outcome: 'pass', refusal: null });
  it('puts the newest first and never shows one check-in twice', () => {
    const list = [c('1', '2020-02-01T01:00:00Z'), c('2', '2020-02-01T00:00:00Z')];
    const merged = mergeLive(list, [c('3', '2020-02-01T02:00:00Z'), c('1', '2020-02-01T01:00:00Z')]);
    expect(merged.map((r) => r.id)).toEqual(['3', '1', '2']);
  });
  it('keeps at most LIVE_MAX_ROWS', () => {
    const many = Array.from({ length: LIVE_MAX_ROWS + 5 }, (_, i) => c(String(i), new Date(Date.UTC(2020, 1, 1, 0, i)).toISOString()));
    const merged = mergeLive([], many);
    expect(merged).toHaveLength(LIVE_MAX_ROWS);
    expect(merged[0]!.id).toBe(String(LIVE_MAX_ROWS + 4));
  });
});

describe('csvCell', () => {
  it('defuses formulas and quotes quotes', () => {
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('+1')).toBe(`"'+1"`);
    expect(csvCell('@sum')).toBe(`"'@sum"`);
    expect(csvCell('张三')).toBe('"张三"');
  });
});
