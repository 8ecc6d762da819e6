/**
 * Test places and checkpoints: `buildPlace(ctx, {communityCode, kind, name})` and
 * `buildCheckpoint(ctx, placeId)` → `{checkpoint, token}` (the active poster token).
 * Defaults: community 410811001001 (a level-5 area of 山阳区), kind 'residential', a unique name.
 */
import type { AppContext } from '../../../src/context';
import { issueToken } from '../../../src/modules/places/tokens';

let n = 0;

export type PlaceKindKey = 'residential' | 'village' | 'government' | 'enterprise' | 'mall' | 'supermarket' | 'medical' | 'other';

export async function buildPlace(
  ctx: AppContext,
  over: { communityCode?: string; kind?: PlaceKindKey; name?: string; address?: string; disabled?: boolean } = {},
) {
  n += 1;
  return ctx.db
    .insertInto('places')
    .values({
      community_code: over.communityCode ?? '410811001001',
      kind: over.kind ?? 'residential',
      name: over.name ?? `测试小区${process.pid}-${n}`,
      address: over.address ?? '',
      disabled_at: over.disabled ? new Date() : null,
      created_by: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function buildCheckpoint(
  ctx: AppContext,
  placeId: string,
  over: { name?: string; mode?: 'poster' | 'screen'; disabled?: boolean } = {},
) {
  n += 1;
  const checkpoint = await ctx.db
    .insertInto('checkpoints')
    .values({ place_id: placeId, name: over.name ?? `东门${n}`, mode: over.mode ?? 'poster', disabled_at: over.disabled ? new Date() : null })
    .returningAll()
    .executeTakeFirstOrThrow();
  const token = await issueToken(ctx.db, checkpoint.id);
  return { checkpoint, token };
}
