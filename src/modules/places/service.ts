/**
 * Places and checkpoints (SPEC S1, issue 2 §5): staff with 'places.manage' create, edit, disable
 * places and their checkpoints (gates) within their area subtree; each checkpoint has one active,
 * unguessable poster token that can be reissued (the old one is revoked at once).
 * `checkpointByToken` is what the gate asks on every scan; `onCheckpointChanged` tells its cache
 * when an answer may have changed.
 */
import { sql } from 'kysely';
import type { AppContext } from '../../context';
import { AppError, conflict, forbidden, notFound } from '../../lib/errors';
import { inScope } from '../staff/roles';
import type { StaffUser } from '../staff/auth';
import { kindLabel, type PlaceKind } from './kinds';
import { areaByCode, checkpointInScope, checkpointsOfPlace, placeInScope, tokenLookup, tokensOf } from './repository';
import { issueToken, TOKEN_RE } from './tokens';

// ---------------------------------------------------------------- change notifier

/** What changed; `tokens` lists every token (active or revoked) whose lookup answer may differ now. */
export interface CheckpointChange {
  reason: 'token_reissued' | 'checkpoint_edited' | 'checkpoint_disabled' | 'checkpoint_enabled'
    | 'place_edited' | 'place_disabled' | 'place_enabled';
  checkpointIds: string[];
  tokens: string[];
}
type Listener = (change: CheckpointChange) => void;
const listeners = new Set<Listener>();

/**
 * Subscribe to checkpoint changes (in-process, synchronous, called after the change committed).
 * @returns a function that unsubscribes.
 */
export function onCheckpointChanged(listener: Listener): () => void {
  listeners.add(listener);
  return () => { listeners.delete(listener); };
}

async function notify(ctx: AppContext, reason: CheckpointChange['reason'], checkpointIds: string[]) {
  const change: CheckpointChange = { reason, checkpointIds, tokens: await tokensOf(ctx.db, checkpointIds) };
  for (const l of listeners) {
    try { l(change); } catch (err) { ctx.log.error({ err }, 'checkpoint change listener failed'); }
  }
  ctx.events.emit('checkpoint.changed', change);
}

// ---------------------------------------------------------------- gate lookup

/** The gate's view of a token. `state` is 'disabled' when the checkpoint or its place is disabled. */
export interface CheckpointInfo {
  state: 'active' | 'revoked' | 'disabled';
  /** `modeSince`: when it last switched between poster and screen mode. */
  checkpoint: { id: string; name: string; mode: 'poster' | 'screen'; modeSince: Date };
  place: { id: string; name: string; kind: PlaceKind; kindLabel: string };
  community: { code: string; name: string };
  street: { code: string; name: string };
  district: { code: string; name: string };
}

/**
 * Look up a poster token (the `<token>` of `PUBLIC_URL/c/<token>`). Returns null for an unknown or
 * malformed token (no database query for a malformed one). A revoked token answers 'revoked' even
 * when its checkpoint is also disabled. Not scoped: the token itself is the credential.
 */
export async function checkpointByToken(ctx: AppContext, token: string): Promise<CheckpointInfo | null> {
  if (typeof token !== 'string' || !TOKEN_RE.test(token)) return null;
  const r = await tokenLookup(ctx.db, token);
  if (!r) return null;
  const state = r.revoked_at ? 'revoked' : r.checkpoint_disabled_at || r.place_disabled_at ? 'disabled' : 'active';
  return {
    state,
    checkpoint: { id: r.checkpoint_id, name: r.checkpoint_name, mode: r.mode, modeSince: r.mode_since },
    place: { id: r.place_id, name: r.place_name, kind: r.kind as PlaceKind, kindLabel: kindLabel(r.kind) },
    community: { code: r.community_code, name: r.community_name },
    street: { code: r.street_code ?? '', name: r.street_name ?? '' },
    district: { code: r.district_code ?? '', name: r.district_name ?? '' },
  };
}

// ---------------------------------------------------------------- scope checks

/**
 * Check that `code` is a community (level 5) inside the caller's scope.
 * @throws AppError 400 unknown_community / not_a_community; 403 when outside the scope.
 */
export async function requireCommunityInScope(ctx: AppContext, staff: StaffUser, code: string) {
  const area = await areaByCode(ctx.db, code);
  if (!area) throw new AppError(400, 'unknown_community', { zh: `社区编码 ${code} 不存在`, en: `Unknown community code ${code}` });
  if (area.level !== 5) {
    throw new AppError(400, 'not_a_community', { zh: `“${area.name}”不是社区或村，场所须建在社区或村下`, en: `"${area.name}" is not a community or village` });
  }
  if (!inScope(staff.areaCode, code)) throw forbidden('该社区不在您的管辖范围内', 'This community is outside your area');
  return area;
}

/** `areaCode` when it lies in the caller's scope (default: the scope itself). @throws 403 otherwise. */
export function areaInScope(staff: StaffUser, areaCode: string | undefined): string {
  const code = areaCode ?? staff.areaCode;
  if (!inScope(staff.areaCode, code)) throw forbidden('该区域不在您的管辖范围内', 'This area is outside your area');
  return code;
}

const isUnique = (err: unknown) => (err as { code?: string } | null)?.code === '23505';
const duplicateName = () => conflict('duplicate_place', '该社区已有同名的场所', 'A place with this name already exists in this community');

// ---------------------------------------------------------------- places

export interface PlaceInput { communityCode: string; name: string; kind: PlaceKind; address?: string; checkpoints?: string[] }

/**
 * Create a place in a community of the caller's scope, with optional gates (each gets a token).
 * @returns the new place's id. @throws 400/403 (see requireCommunityInScope), 409 duplicate_place.
 */
export async function createPlace(ctx: AppContext, staff: StaffUser, input: PlaceInput): Promise<string> {
  await requireCommunityInScope(ctx, staff, input.communityCode);
  try {
    return await ctx.db.transaction().execute(async (trx) => {
      const p = await trx.insertInto('places').values({
        community_code: input.communityCode, name: input.name, kind: input.kind, address: input.address ?? '', created_by: staff.id,
      }).returning('id').executeTakeFirstOrThrow();
      for (const name of input.checkpoints ?? []) {
        const c = await trx.insertInto('checkpoints').values({ place_id: p.id, name }).returning('id').executeTakeFirstOrThrow();
        await issueToken(trx, c.id);
      }
      return p.id;
    });
  } catch (err) {
    if (isUnique(err)) throw duplicateName();
    throw err;
  }
}

/**
 * Edit a place's name, kind, address or community (the new community must be in scope too).
 * @throws 404 when the place is outside the scope, 400/403 for the community, 409 duplicate_place.
 */
export async function updatePlace(ctx: AppContext, staff: StaffUser, id: string, patch: Partial<Omit<PlaceInput, 'checkpoints'>>) {
  const place = await placeInScope(ctx.db, staff.areaCode, id);
  if (!place) throw notFound();
  if (patch.communityCode && patch.communityCode !== place.community_code) await requireCommunityInScope(ctx, staff, patch.communityCode);
  const set = {
    ...(patch.name !== undefined ? { name: patch.name } : {}),
    ...(patch.kind !== undefined ? { kind: patch.kind } : {}),
    ...(patch.address !== undefined ? { address: patch.address } : {}),
    ...(patch.communityCode !== undefined ? { community_code: patch.communityCode } : {}),
  };
  if (Object.keys(set).length === 0) return;
  try {
    await ctx.db.updateTable('places').set(set).where('id', '=', id).execute();
  } catch (err) {
    if (isUnique(err)) throw duplicateName();
    throw err;
  }
  await notify(ctx, 'place_edited', (await checkpointsOfPlace(ctx.db, id)).map((c) => c.id));
}

/**
 * Disable or re-enable a place: its posters stop (or resume) working at once.
 * @throws 404 outside the scope, 409 duplicate_place when re-enabling next to an active namesake.
 */
export async function setPlaceDisabled(ctx: AppContext, staff: StaffUser, id: string, disabled: boolean) {
  const place = await placeInScope(ctx.db, staff.areaCode, id);
  if (!place) throw notFound();
  if (Boolean(place.disabled_at) === disabled) return;
  try {
    await ctx.db.updateTable('places').set({ disabled_at: disabled ? new Date() : null }).where('id', '=', id).execute();
  } catch (err) {
    if (isUnique(err)) throw duplicateName();
    throw err;
  }
  await notify(ctx, disabled ? 'place_disabled' : 'place_enabled', (await checkpointsOfPlace(ctx.db, id)).map((c) => c.id));
}

// ---------------------------------------------------------------- checkpoints

/**
 * Add a checkpoint (gate) to a place in scope; it gets a fresh token.
 * @returns the checkpoint id. @throws 404 outside the scope, 409 place_disabled.
 */
export async function createCheckpoint(ctx: AppContext, staff: StaffUser, placeId: string,
  input: { name: string; mode?: 'poster' | 'screen' }): Promise<string> {
  const place = await placeInScope(ctx.db, staff.areaCode, placeId);
  if (!place) throw notFound();
  if (place.disabled_at) throw conflict('place_disabled', '场所已停用，请先启用', 'The place is disabled; enable it first');
  return ctx.db.transaction().execute(async (trx) => {
    const c = await trx.insertInto('checkpoints').values({ place_id: placeId, name: input.name, mode: input.mode ?? 'poster' })
      .returning('id').executeTakeFirstOrThrow();
    await issueToken(trx, c.id);
    return c.id;
  });
}

/** Rename a checkpoint or change its mode. @throws 404 outside the scope. @returns its place id. */
export async function updateCheckpoint(ctx: AppContext, staff: StaffUser, id: string,
  patch: { name?: string; mode?: 'poster' | 'screen' }): Promise<string> {
  const c = await checkpointInScope(ctx.db, staff.areaCode, id);
  if (!c) throw notFound();
  const set = {
    ...(patch.name !== undefined ? { name: patch.name } : {}),
    // a switch dates the mode, so no screen code of an earlier screen period comes back (migration 0016)
    ...(patch.mode !== undefined ? { mode: patch.mode, mode_since: sql<Date>`CASE WHEN mode = ${patch.mode} THEN mode_since ELSE now() END` } : {}),
  };
  if (Object.keys(set).length === 0) return c.place_id;
  await ctx.db.updateTable('checkpoints').set(set).where('id', '=', id).execute();
  await notify(ctx, 'checkpoint_edited', [id]);
  return c.place_id;
}

/** Disable or re-enable a checkpoint. @throws 404 outside the scope. @returns its place id. */
export async function setCheckpointDisabled(ctx: AppContext, staff: StaffUser, id: string, disabled: boolean): Promise<string> {
  const c = await checkpointInScope(ctx.db, staff.areaCode, id);
  if (!c) throw notFound();
  if (Boolean(c.disabled_at) === disabled) return c.place_id;
  await ctx.db.transaction().execute(async (trx) => {
    await trx.updateTable('checkpoints').set({ disabled_at: disabled ? new Date() : null }).where('id', '=', id).execute();
    // A checkpoint disabled before it ever had a token (not possible today) gets one when enabled.
    if (!disabled && !c.token) await issueToken(trx, id);
  });
  await notify(ctx, disabled ? 'checkpoint_disabled' : 'checkpoint_enabled', [id]);
  return c.place_id;
}

/**
 * Revoke the checkpoint's token and issue a new one: posters with the old code stop working at once
 * (the gate answers 'revoked'). @throws 404 outside the scope. @returns the new token.
 */
export async function reissueToken(ctx: AppContext, staff: StaffUser, id: string): Promise<{ placeId: string; token: string }> {
  const c = await checkpointInScope(ctx.db, staff.areaCode, id);
  if (!c) throw notFound();
  let token: string;
  try {
    token = await ctx.db.transaction().execute((trx) => issueToken(trx, id));
  } catch (err) {
    if (isUnique(err)) throw conflict('token_busy', '卡点码正在被他人更换，请刷新后重试', 'The code is being reissued by someone else; reload and retry');
    throw err;
  }
  await notify(ctx, 'token_reissued', [id]);
  return { placeId: c.place_id, token };
}
