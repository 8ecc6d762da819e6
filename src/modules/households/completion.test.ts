import { describe, expect, it } from 'vitest';
import { campaignCompletion, percentOf } from './completion';

describe('screening completion', () => {
  it('rounds to one decimal, half up, and is 0 without households', () => {
    expect(percentOf(7, 10)).toBe(70);
    expect(percentOf(1, 3)).toBe(33.3);
    expect(percentOf(2, 3)).toBe(66.7);
    expect(percentOf(1, 8)).toBe(12.5);
    expect(percentOf(0, 0)).toBe(0);
    expect(percentOf(4, 4)).toBe(100);
  });
  it('gives per-building and community figures; a known building without households is 0 of 0', () => {
    const h = (b: string | null, visited: boolean) => ({ buildingId: b, buildingName: b ? `${b}号楼` : null, visited });
    const r = campaignCompletion([h('1', true), h('1', true), h('1', false), h('2', true), h(null, false), h('2', false)],
      [{ id: '1', name: '1号楼' }, { id: '2', name: '2号楼' }, { id: '3', name: '3号楼' }]);
    expect(r.community).toEqual({ households: 6, visited: 3, percent: 50 });
    expect(r.buildings).toEqual([
      { buildingId: '1', buildingName: '1号楼', households: 3, visited: 2, percent: 66.7 },
      { buildingId: '2', buildingName: '2号楼', households: 2, visited: 1, percent: 50 },
      { buildingId: '3', buildingName: '3号楼', households: 0, visited: 0, percent: 0 },
      { buildingId: null, buildingName: null, households: 1, visited: 0, percent: 0 },
    ]);
  });
});
