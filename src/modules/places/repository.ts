/**
 * Queries of places and checkpoints. Every staff query takes the account's scope (an area code)
 * and only sees places whose community code starts with it (SPEC "Area tree": prefix codes).
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import type { PlaceKind } from './kinds';

type Db = Kysely<DB> | Transaction<DB>;

/** `text` with LIKE wildcards escaped (the default escape character is backslash). */
export const likeEscape = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** A place with its community and street names (null when outside the scope or unknown). */
export async function placeInScope(db: Db, scope: string, id: string) {
  return db.selectFrom('places as p')
    .innerJoin('areas as com', 'com.code', 'p.community_code')
    .leftJoin('areas as st', 'st.code', 'com.parent_code')
    .select(['p.id', 'p.name', 'p.kind', 'p.address', 'p.community_code', 'p.disabled_at', 'p.created_at',
      'com.name as community_name', 'st.code as street_code', 'st.name as street_name'])
    .where('p.id', '=', id).where('p.community_code', 'like', `${likeEscape(scope)}%`)
    .executeTakeFirst();
}
export type PlaceRow = NonNullable<Awaited<ReturnType<typeof placeInScope>>>;

/** Checkpoints of a place with their active token (null when none), oldest first. */
export async function checkpointsOfPlace(db: Db, placeId: string) {
  return db.selectFrom('checkpoints as c')
    .leftJoin('checkpoint_tokens as t', (j) => j.onRef('t.checkpoint_id', '=', 'c.id').on('t.revoked_at', 'is', null))
    .select(['c.id', 'c.place_id', 'c.name', 'c.mode', 'c.disabled_at', 'c.created_at', 't.token', 't.issued_at'])
    .where('c.place_id', '=', placeId)
    .orderBy('c.created_at').orderBy('c.name')
    .execute();
}
export type CheckpointRow = Awaited<ReturnType<typeof checkpointsOfPlace>>[number];

/** One checkpoint (with active token) whose place is in scope, or undefined. */
export async function checkpointInScope(db: Db, scope: string, id: string) {
  return db.selectFrom('checkpoints as c')
    .innerJoin('places as p', 'p.id', 'c.place_id')
    .leftJoin('checkpoint_tokens as t', (j) => j.onRef('t.checkpoint_id', '=', 'c.id').on('t.revoked_at', 'is', null))
    .select(['c.id', 'c.place_id', 'c.name', 'c.mode', 'c.disabled_at', 'c.created_at', 't.token', 't.issued_at',
      'p.community_code', 'p.disabled_at as place_disabled_at'])
    .where('c.id', '=', id).where('p.community_code', 'like', `${likeEscape(scope)}%`)
    .executeTakeFirst();
}

/** An area row, or undefined. */
export async function areaByCode(db: Db, code: string) {
  return db.selectFrom('areas').select(['code', 'name', 'level', 'parent_code']).where('code', '=', code).executeTakeFirst();
}

export interface PlaceFilter {
  areaCode: string; // already checked to be within the caller's scope
  kind?: PlaceKind;
  q?: string; // matches place name or address (case-insensitive substring)
  disabled: 'false' | 'true' | 'all';
  page: number; // 1-based
  pageSize: number;
}

/** A page of places under `f.areaCode`, ordered by community then name, with checkpoint counts. */
export async function listPlaces(db: Db, f: PlaceFilter) {
  let q = db.selectFrom('places as p').innerJoin('areas as com', 'com.code', 'p.community_code')
    .leftJoin('areas as st', 'st.code', 'com.parent_code')
    .where('p.community_code', 'like', `${likeEscape(f.areaCode)}%`);
  if (f.kind) q = q.where('p.kind', '=', f.kind);
  if (f.disabled === 'false') q = q.where('p.disabled_at', 'is', null);
  if (f.disabled === 'true') q = q.where('p.disabled_at', 'is not', null);
  if (f.q) {
    const pat = `%${likeEscape(f.q)}%`;
    q = q.where((eb) => eb.or([eb('p.name', 'ilike', pat), eb('p.address', 'ilike', pat)]));
  }
  const total = await q.select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirstOrThrow();
  const items = await q
    .select(['p.id', 'p.name', 'p.kind', 'p.address', 'p.community_code', 'p.disabled_at', 'p.created_at',
      'com.name as community_name', 'st.code as street_code', 'st.name as street_name'])
    .select((eb) => [
      eb.selectFrom('checkpoints as c').whereRef('c.place_id', '=', 'p.id').where('c.disabled_at', 'is', null)
        .select((e2) => e2.fn.countAll<string | number>().as('n')).as('active_checkpoints'),
      eb.selectFrom('checkpoints as c').whereRef('c.place_id', '=', 'p.id')
        .select((e2) => e2.fn.countAll<string | number>().as('n')).as('all_checkpoints'),
    ])
    .orderBy('p.community_code').orderBy('p.name').orderBy('p.id')
    .limit(f.pageSize).offset((f.page - 1) * f.pageSize)
    .execute();
  return { total: Number(total.n), items };
}

/**
 * Counts under `areaCode`: places and checkpoints by state, and active ones by kind and by child area.
 * A checkpoint counts as active only when it and its place are both enabled, so sub-counts add up.
 */
export async function countPlaces(db: Db, areaCode: string) {
  const like = `${likeEscape(areaCode)}%`;
  const rows = await db.selectFrom('places as p')
    .leftJoin('checkpoints as c', 'c.place_id', 'p.id')
    .where('p.community_code', 'like', like)
    .select(['p.kind', 'p.community_code',
      sql<boolean>`p.disabled_at IS NOT NULL`.as('place_disabled'),
      sql<number>`count(DISTINCT p.id)`.as('places'),
      sql<number>`count(c.id) FILTER (WHERE c.disabled_at IS NULL AND p.disabled_at IS NULL)`.as('active_cps'),
      sql<number>`count(c.id) FILTER (WHERE c.disabled_at IS NOT NULL OR p.disabled_at IS NOT NULL)`.as('inactive_cps')])
    .groupBy(['p.kind', 'p.community_code', sql`p.disabled_at IS NOT NULL`])
    .execute();
  return rows.map((r) => ({
    kind: r.kind, communityCode: r.community_code, placeDisabled: Boolean(r.place_disabled),
    places: Number(r.places), activeCheckpoints: Number(r.active_cps), inactiveCheckpoints: Number(r.inactive_cps),
  }));
}

/** Every token (active or revoked) of the given checkpoints, for cache invalidation. */
export async function tokensOf(db: Db, checkpointIds: string[]): Promise<string[]> {
  if (checkpointIds.length === 0) return [];
  const rows = await db.selectFrom('checkpoint_tokens').select('token').where('checkpoint_id', 'in', checkpointIds).execute();
  return rows.map((r) => r.token);
}

/** A token with everything the gate needs to show and decide, or undefined. */
export async function tokenLookup(db: Db, token: string) {
  return db.selectFrom('checkpoint_tokens as t')
    .innerJoin('checkpoints as c', 'c.id', 't.checkpoint_id')
    .innerJoin('places as p', 'p.id', 'c.place_id')
    .innerJoin('areas as com', 'com.code', 'p.community_code')
    .leftJoin('areas as st', 'st.code', 'com.parent_code')
    .leftJoin('areas as d', 'd.code', 'st.parent_code')
    .select(['t.revoked_at', 'c.id as checkpoint_id', 'c.name as checkpoint_name', 'c.mode', 'c.mode_since', 'c.disabled_at as checkpoint_disabled_at',
      'p.id as place_id', 'p.name as place_name', 'p.kind', 'p.disabled_at as place_disabled_at',
      'com.code as community_code', 'com.name as community_name', 'st.code as street_code', 'st.name as street_name',
      'd.code as district_code', 'd.name as district_name'])
    .where('t.token', '=', token)
    .executeTakeFirst();
}

/** Active checkpoints (enabled, place enabled, active token) under `areaCode`, in print order. */
export async function activeCheckpointsUnder(db: Db, areaCode: string) {
  return db.selectFrom('checkpoints as c')
    .innerJoin('places as p', 'p.id', 'c.place_id')
    .innerJoin('checkpoint_tokens as t', (j) => j.onRef('t.checkpoint_id', '=', 'c.id').on('t.revoked_at', 'is', null))
    .innerJoin('areas as com', 'com.code', 'p.community_code')
    .leftJoin('areas as st', 'st.code', 'com.parent_code')
    .leftJoin('areas as d', 'd.code', 'st.parent_code')
    .select(['c.id as checkpoint_id', 'c.name as checkpoint_name', 'c.mode', 't.token', 'p.name as place_name', 'p.kind',
      'com.name as community_name', 'st.name as street_name', 'd.name as district_name'])
    .where('p.community_code', 'like', `${likeEscape(areaCode)}%`)
    .where('c.disabled_at', 'is', null).where('p.disabled_at', 'is', null)
    .orderBy('p.community_code').orderBy('p.name').orderBy('c.created_at').orderBy('c.name')
    .execute();
}
