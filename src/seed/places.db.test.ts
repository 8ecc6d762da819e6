import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/helpers/app';
import { checkpointByToken } from '../modules/places/service';
import { DEMO_CHECKPOINTS, firstCheckpointOf, planDemoPlaces, seedDemoPlaces } from './places';

describe('demo places of 山阳区', { timeout: 60_000 }, () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp(); }, 120_000);
  afterAll(async () => { await t?.close(); });

  it('gives 956 checkpoints spread over all 54 communities, quickly', async () => {
    const started = Date.now();
    const s = await seedDemoPlaces(t.ctx);
    const ms = Date.now() - started;
    expect(ms).toBeLessThan(5_000);
    expect(s).toMatchObject({ seeded: true, communities: 54, checkpoints: DEMO_CHECKPOINTS });
    const rows = await t.ctx.db.selectFrom('checkpoints as c').innerJoin('places as p', 'p.id', 'c.place_id')
      .innerJoin('areas as a', 'a.code', 'p.community_code')
      .innerJoin('checkpoint_tokens as tk', (j) => j.onRef('tk.checkpoint_id', '=', 'c.id').on('tk.revoked_at', 'is', null))
      .select(['p.community_code', 'a.level', 'p.kind', 'p.id', 'tk.token'])
      .where('p.community_code', 'like', '410811%').execute();
    expect(rows).toHaveLength(956);
    expect(new Set(rows.map((r) => r.community_code)).size).toBe(54);
    expect(rows.every((r) => r.level === 5)).toBe(true);
    expect(new Set(rows.map((r) => r.token)).size).toBe(956);
    const allCommunities = await t.ctx.db.selectFrom('areas').select('code').where('code', 'like', '410811%').where('level', '=', 5).execute();
    expect(allCommunities).toHaveLength(54);
    // Mixed kinds, mostly residential compounds with 2–4 gates.
    expect(Object.keys(s.byKind).sort()).toEqual(['enterprise', 'government', 'mall', 'medical', 'other', 'residential', 'supermarket', 'village']);
    expect(s.byKind.residential!.checkpoints).toBeGreaterThan(956 / 2);
    expect(s.byKind.village!.places).toBe(19); // every village community has its village
    const gates = new Map<string, number>();
    for (const r of rows.filter((x) => x.kind === 'residential')) gates.set(r.id, (gates.get(r.id) ?? 0) + 1);
    const counts = [...gates.values()];
    expect(counts.every((n) => n >= 2 && n <= 4)).toBe(true);
    const first = await firstCheckpointOf(t.ctx, '410811001001', 'residential');
    expect(first).toMatchObject({ communityCode: '410811001001', kind: 'residential' });
    expect((await checkpointByToken(t.ctx, first!.token))?.state).toBe('active');
    expect(await firstCheckpointOf(t.ctx, '410802001001')).toBeNull();
  });

  it('is idempotent: a second run adds nothing', async () => {
    const s = await seedDemoPlaces(t.ctx);
    expect(s).toMatchObject({ seeded: false, checkpoints: 956, communities: 54 });
  });

  it('plans the same places every time (seeded PRNG), with names unique per community', async () => {
    const communities = await t.ctx.db.selectFrom('areas').select(['code', 'name']).where('code', 'like', '410811%').where('level', '=', 5).orderBy('code').execute();
    const a = planDemoPlaces(communities);
    expect(planDemoPlaces(communities)).toEqual(a);
    const names = a.map((p) => `${p.community}/${p.name}`);
    expect(new Set(names).size).toBe(names.length);
    expect(a.find((p) => p.kind === 'village')?.name).toBe('李河村');
    const stored = await t.ctx.db.selectFrom('places').select(['community_code', 'name']).where('community_code', 'like', '410811%').execute();
    expect(stored.map((p) => `${p.community_code}/${p.name}`).sort()).toEqual([...names].sort());
  });
});
