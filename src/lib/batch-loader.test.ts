import { describe, expect, it } from 'vitest';
import { batchLoader } from './batch-loader';

describe('batchLoader', () => {
  it('groups look-ups made together, and those made while a query runs into the next one', async () => {
    const calls: number[][] = [];
    const load = batchLoader(async (keys: number[]) => {
      calls.push(keys);
      await new Promise((r) => setTimeout(r, 10));
      return new Map(keys.map((k) => [k, k * 2]));
    });
    const first = [1, 2].map((k) => load(k));
    await new Promise((r) => setTimeout(r, 2)); // the first query is running now
    const rest = [3, 3, 4].map((k) => load(k));
    expect(await Promise.all(first)).toEqual([2, 4]);
    expect(await Promise.all(rest)).toEqual([6, 6, 8]);
    expect(calls).toEqual([[1, 2], [3, 4]]);
  });
  it('gives undefined for a key the fetch did not find and rejects all of a failed batch', async () => {
    let fail = false;
    const load = batchLoader(async (keys: string[]) => {
      if (fail) throw new Error('db down');
      return new Map(keys.filter((k) => k !== 'x').map((k) => [k, k]));
    });
    expect(await load('x')).toBeUndefined();
    fail = true;
    await expect(load('a')).rejects.toThrow('db down');
    fail = false;
    expect(await load('b')).toBe('b');
  });
});
