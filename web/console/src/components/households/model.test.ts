/** Unit tests of the household/screening display helpers (components/households/model.ts). */
import { describe, expect, it } from 'vitest';
import { doorStateLabel, householdAddress, shownPercent, windowsText } from './model';

describe('households model', () => {
  it('rounds completion for the bar without showing 0% for a visit or 100% short of every household', () => {
    expect(shownPercent({ households: 3, visited: 2, percent: 66.7 })).toBe(67);
    expect(shownPercent({ households: 3, visited: 3, percent: 100 })).toBe(100);
    expect(shownPercent({ households: 1000, visited: 999, percent: 99.9 })).toBe(99);
    expect(shownPercent({ households: 1000, visited: 1, percent: 0.1 })).toBe(1);
    expect(shownPercent({ households: 0, visited: 0, percent: 0 })).toBe(0);
  });
  it('names doors, addresses and windows in both languages', () => {
    expect(doorStateLabel(false, 'zh')).toBe('开门');
    expect(doorStateLabel(true, 'zh')).toBe('关门');
    expect(doorStateLabel(null, 'en')).toBe('');
    expect(householdAddress({ buildingName: '1号楼', unit: '2', room: '301' }, 'zh')).toBe('1号楼 2单元 301');
    expect(householdAddress({ buildingName: null, unit: '', room: '7' }, 'en')).toBe('Room 7');
    expect(windowsText([{ from: '07:30', to: '08:00', note: '送菜' }, { from: '18:00', to: '18:30' }], 'zh')).toBe('07:30–08:00 送菜；18:00–18:30');
  });
});
