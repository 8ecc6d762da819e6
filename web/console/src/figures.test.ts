import { describe, expect, it } from 'vitest';
import { csvCell, dashboardTotals, entriesListQuery, LIVE_MAX_ROWS, mergeLive, type DashboardDay, type LiveCheckin } from './figures';

const day = (date: string, entries: number, feverAlerts = 0): DashboardDay => ({ date, entries, exits: 1, refused: feverAlerts, feverReadings: feverAlerts, feverAlerts });

describe('dashboard figures', () => {
  it('totals the days the chart draws', () => {
    expect(dashboardTotals([day('2020-02-01', 13, 1), day('2020-02-02', 0), day('2020-02-03', 2, 2)]))
      .toEqual({ entries: 15, exits: 3, refused: 3, feverReadings: 3, feverAlerts: 3 });
    expect(dashboardTotals([])).toEqual({ entries: 0, exits: 0, refused: 0, feverReadings: 0, feverAlerts: 0 });
  });
  it('links a figure to the list of exactly its entries', () => {
    expect(entriesListQuery({ placeId: 'p1', areaCode: '410811', from: '2020-02-26', to: '2020-02-26' }))
      .toEqual({ kind: 'entries', from: '2020-02-26', to: '2020-02-26', placeId: 'p1' });
    expect(entriesListQuery({ areaCode: '410811', from: '2020-02-25', to: '2020-02-26' }))
      .toEqual({ kind: 'entries', from: '2020-02-25', to: '2020-02-26', areaCode: '410811' });
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
