/**
 * Staff accounts administration (issue 2 §4): list, create, edit, disable/enable, reset password,
 * and the signed-in user's own password change. Rules of who may do what: accounts-rules.ts.
 * Every change runs in one transaction with its audit() row (area_code = the account's area, so
 * the change shows in the audit log of that subtree). Passwords never reach a log or the audit log.
 */
import argon2 from 'argon2';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { AppContext } from '../../context';
import type { DB } from '../../db/schema';
import { AppError, badRequest, conflict, forbidden, notFound } from '../../lib/errors';
import { audit } from '../audit/audit';
import { hashPassword, passwordProblem, sha256, staffActor, type StaffUser } from './auth';
import { assertMayCreate, generatePassword, mayManage, normalizeDisplayName, normalizeUsername } from './accounts-rules';
import { ROLE_LABELS, inScope, isRole, type Role } from './roles';

type Db = Kysely<DB> | Transaction<DB>;

/** An account as the console shows it (never the password hash). */
export interface AccountView {
  id: string; username: string; displayName: string; role: Role; roleLabel: string;
  areaCode: string; areaName: string; checkpointId: string | null; checkpointLabel: string | null;
  orgId: string | null; orgName: string | null; mustChangePassword: boolean; disabled: boolean;
  disabledAt: Date | null; createdAt: Date;
  /** True when the caller may disable, reset or edit it. */
  manageable: boolean;
}

export interface AccountFilters { role?: Role; areaCode?: string; q?: string; disabled?: boolean; limit: number; offset: number }

/** `%q%` for LIKE with the wildcards of `q` escaped. */
export function containsPattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

function baseQuery(db: Db) {
  return db.selectFrom('staff as s')
    .innerJoin('areas as a', 'a.code', 's.area_code')
    .leftJoin('checkpoints as cp', 'cp.id', 's.checkpoint_id')
    .leftJoin('places as p', 'p.id', 'cp.place_id')
    .leftJoin('organisations as o', 'o.id', 's.org_id')
    .select(['s.id', 's.username', 's.display_name', 's.role', 's.area_code', 'a.name as area_name', 's.checkpoint_id',
      'cp.name as checkpoint_name', 'p.name as place_name', 's.org_id', 'o.name as org_name', 's.must_change_password',
      's.disabled_at', 's.created_at']);
}
type Row = Awaited<ReturnType<ReturnType<typeof baseQuery>['executeTakeFirstOrThrow']>>;

function view(actor: StaffUser, r: Row): AccountView {
  const role = isRole(r.role) ? r.role : 'guard';
  return {
    id: r.id, username: r.username, displayName: r.display_name, role, roleLabel: ROLE_LABELS[role].zh,
    areaCode: r.area_code, areaName: r.area_name, checkpointId: r.checkpoint_id,
    checkpointLabel: r.checkpoint_name ? `${r.place_name ?? ''} ${r.checkpoint_name}`.trim() : null,
    orgId: r.org_id, orgName: r.org_name, mustChangePassword: r.must_change_password, disabled: r.disabled_at !== null,
    disabledAt: r.disabled_at, createdAt: r.created_at,
    manageable: r.id !== actor.id && mayManage(actor, role, r.area_code),
  };
}

/** Accounts in the caller's subtree, newest first. `areaCode` narrows to a subtree, `q` matches username or name. */
export async function listAccounts(ctx: AppContext, actor: StaffUser, f: AccountFilters): Promise<{ total: number; items: AccountView[] }> {
  let q = baseQuery(ctx.db).where('s.area_code', 'like', `${actor.areaCode}%`);
  if (f.areaCode) q = q.where('s.area_code', 'like', `${f.areaCode}%`);
  if (f.role) q = q.where('s.role', '=', f.role);
  if (f.disabled !== undefined) q = q.where('s.disabled_at', f.disabled ? 'is not' : 'is', null);
  if (f.q) {
    const pat = containsPattern(f.q.trim().toLowerCase());
    q = q.where((eb) => eb.or([eb('s.username', 'like', pat), eb(sql<string>`lower(s.display_name)`, 'like', pat)]));
  }
  const total = await q.clearSelect().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await q.orderBy('s.created_at', 'desc').orderBy('s.id').limit(f.limit).offset(f.offset).execute();
  return { total: Number(total.n), items: rows.map((r) => view(actor, r)) };
}

/** One account in the caller's subtree. @throws 404 when missing or outside the subtree. */
export async function getAccount(ctx: AppContext, actor: StaffUser, id: string, db: Db = ctx.db): Promise<AccountView> {
  const r = await baseQuery(db).where('s.id', '=', id).executeTakeFirst();
  if (!r || !inScope(actor.areaCode, r.area_code)) throw notFound('未找到该账号', 'Account not found');
  return view(actor, r);
}

/**
 * Check that a guard may be posted at `checkpointId`: an active checkpoint whose place lies in the
 * guard's community (issue 2 §4). Only guards and place managers hold a checkpoint.
 * @throws 400 checkpoint_role, 404 checkpoint_not_found (missing, disabled or in another area).
 */
export async function assertCheckpointFor(db: Db, role: Role, areaCode: string, checkpointId: string): Promise<void> {
  if (role !== 'guard' && role !== 'place_manager') {
    throw badRequest('checkpoint_role', '只有卡点值守人员或场所负责人可以指定卡点', 'Only guards and place managers are posted at a checkpoint');
  }
  const cp = await db.selectFrom('checkpoints as cp').innerJoin('places as p', 'p.id', 'cp.place_id')
    .select(['p.community_code']).where('cp.id', '=', checkpointId).where('cp.disabled_at', 'is', null)
    .where('p.disabled_at', 'is', null).executeTakeFirst();
  if (!cp || !inScope(areaCode, cp.community_code)) {
    throw new AppError(404, 'checkpoint_not_found', { zh: '该卡点不存在、已停用或不在账号所在社区', en: 'Checkpoint not found, disabled or outside the account\'s community' });
  }
}

/**
 * Check that organisation `orgId` may hold an account at `areaCode`: it is attached to that node,
 * an ancestor of it (a street's health center for a community doctor) or a node below it.
 * @throws 404 org_not_found.
 */
export async function assertOrgFor(db: Db, actor: StaffUser, areaCode: string, orgId: string): Promise<void> {
  const org = await db.selectFrom('organisations').select('area_code').where('id', '=', orgId).executeTakeFirst();
  const related = (a: string, b: string) => a.startsWith(b) || b.startsWith(a);
  if (!org || !related(org.area_code, areaCode) || !related(org.area_code, actor.areaCode)) {
    throw new AppError(404, 'org_not_found', { zh: '该机构不存在或与账号所在区域无关', en: 'Organisation not found or unrelated to the account\'s area' });
  }
}

async function assertArea(db: Db, code: string): Promise<void> {
  const a = await db.selectFrom('areas').select('code').where('code', '=', code).executeTakeFirst();
  if (!a) throw new AppError(404, 'area_out_of_scope', { zh: '该区域不存在或不在您的管辖范围内', en: 'That area does not exist or is outside your area' });
}

/** Turn a unique violation on staff.username into a 409. */
export function usernameTaken(err: unknown): never {
  if ((err as { code?: string }).code === '23505' && /username/.test(String((err as { constraint?: string }).constraint))) {
    throw conflict('username_taken', '该用户名已被使用', 'That username is already taken');
  }
  throw err;
}

export interface NewAccount {
  username: string; displayName: string; role: Role; areaCode: string; checkpointId?: string | null; orgId?: string | null;
}

/**
 * Create an account with a generated one-time password (shown once; must_change_password = true).
 * @returns the account and its password.
 * @throws 400 username_invalid / display_name_invalid / area_level / checkpoint_role, 403 role_not_allowed,
 *   404 area_out_of_scope / checkpoint_not_found / org_not_found, 409 username_taken.
 */
export async function createAccount(ctx: AppContext, actor: StaffUser, input: NewAccount): Promise<{ account: AccountView; password: string }> {
  const username = normalizeUsername(input.username);
  const displayName = normalizeDisplayName(input.displayName);
  assertMayCreate(actor, input.role, input.areaCode);
  const password = generatePassword();
  const hash = await hashPassword(password);
  const account = await ctx.db.transaction().execute(async (trx) => {
    await assertArea(trx, input.areaCode);
    if (input.checkpointId) await assertCheckpointFor(trx, input.role, input.areaCode, input.checkpointId);
    if (input.orgId) await assertOrgFor(trx, actor, input.areaCode, input.orgId);
    const taken = await trx.selectFrom('staff').select('id').where('username', '=', username).executeTakeFirst();
    if (taken) throw conflict('username_taken', '该用户名已被使用', 'That username is already taken');
    const row = await trx.insertInto('staff').values({
      username, display_name: displayName, role: input.role, area_code: input.areaCode, org_id: input.orgId ?? null,
      checkpoint_id: input.checkpointId ?? null, password_hash: hash, must_change_password: true, created_by: actor.id,
    }).returning('id').executeTakeFirstOrThrow().catch(usernameTaken);
    await audit(trx, staffActor(actor), {
      action: 'account.create', areaCode: input.areaCode,
      detail: { accountId: row.id, username, role: input.role, checkpointId: input.checkpointId ?? null, orgId: input.orgId ?? null },
    });
    return getAccount(ctx, actor, row.id, trx);
  });
  return { account, password };
}

/** Load an account the caller may manage, locked for the change. @throws 404 outside scope, 403 not manageable. */
async function manageable(trx: Transaction<DB>, actor: StaffUser, id: string) {
  const row = await trx.selectFrom('staff').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  if (!row || !inScope(actor.areaCode, row.area_code)) throw notFound('未找到该账号', 'Account not found');
  if (row.id === actor.id) throw forbidden('不能对自己的账号执行此操作', 'You cannot do this to your own account');
  if (!isRole(row.role) || !mayManage(actor, row.role, row.area_code)) throw forbidden();
  return { ...row, role: row.role };
}

/**
 * Edit an account's display name, checkpoint post or organisation (null clears it).
 * @throws as createAccount, plus 404 / 403 when the account is outside the caller's reach.
 */
export async function updateAccount(ctx: AppContext, actor: StaffUser, id: string,
  patch: { displayName?: string; checkpointId?: string | null; orgId?: string | null }): Promise<AccountView> {
  return ctx.db.transaction().execute(async (trx) => {
    const row = await manageable(trx, actor, id);
    const set: { display_name?: string; checkpoint_id?: string | null; org_id?: string | null } = {};
    if (patch.displayName !== undefined) set.display_name = normalizeDisplayName(patch.displayName);
    if (patch.checkpointId !== undefined) {
      if (patch.checkpointId) await assertCheckpointFor(trx, row.role, row.area_code, patch.checkpointId);
      set.checkpoint_id = patch.checkpointId;
    }
    if (patch.orgId !== undefined) {
      if (patch.orgId) await assertOrgFor(trx, actor, row.area_code, patch.orgId);
      set.org_id = patch.orgId;
    }
    if (Object.keys(set).length > 0) {
      await trx.updateTable('staff').set(set).where('id', '=', id).execute();
      await audit(trx, staffActor(actor), { action: 'account.update', areaCode: row.area_code, detail: { accountId: id, username: row.username, changes: Object.keys(set) } });
    }
    return getAccount(ctx, actor, id, trx);
  });
}

/** Disable (ending every session of the account) or re-enable an account. Idempotent. */
export async function setDisabled(ctx: AppContext, actor: StaffUser, id: string, disabled: boolean): Promise<AccountView> {
  return ctx.db.transaction().execute(async (trx) => {
    const row = await manageable(trx, actor, id);
    if (disabled) {
      await trx.deleteFrom('staff_sessions').where('staff_id', '=', id).execute();
      if (!row.disabled_at) await trx.updateTable('staff').set({ disabled_at: new Date() }).where('id', '=', id).execute();
    } else if (row.disabled_at) {
      await trx.updateTable('staff').set({ disabled_at: null }).where('id', '=', id).execute();
    }
    await audit(trx, staffActor(actor), { action: disabled ? 'account.disable' : 'account.enable', areaCode: row.area_code, detail: { accountId: id, username: row.username } });
    return getAccount(ctx, actor, id, trx);
  });
}

/** Give an account a new one-time password (must change at next sign-in) and end its sessions. */
export async function resetPassword(ctx: AppContext, actor: StaffUser, id: string): Promise<{ account: AccountView; password: string }> {
  const password = generatePassword();
  const hash = await hashPassword(password);
  const account = await ctx.db.transaction().execute(async (trx) => {
    const row = await manageable(trx, actor, id);
    await trx.updateTable('staff').set({ password_hash: hash, must_change_password: true }).where('id', '=', id).execute();
    await trx.deleteFrom('staff_sessions').where('staff_id', '=', id).execute();
    await audit(trx, staffActor(actor), { action: 'account.reset_password', areaCode: row.area_code, detail: { accountId: id, username: row.username } });
    return getAccount(ctx, actor, id, trx);
  });
  return { account, password };
}

/**
 * The signed-in user changes their own password: the new one must pass passwordProblem and differ
 * from the old (checked first: no hash work for a weak one), and the old one must match. Ends the user's other sessions; clears must_change_password.
 * @throws 400 wrong_password / weak_password / same_password.
 */
export async function changeOwnPassword(ctx: AppContext, actor: StaffUser, currentSid: string, oldPassword: string, newPassword: string): Promise<void> {
  const weak = passwordProblem(newPassword);
  if (weak) throw badRequest('weak_password', weak.zh, weak.en);
  if (newPassword === oldPassword) throw badRequest('same_password', '新密码不能与原密码相同', 'The new password must differ from the current one');
  const row = await ctx.db.selectFrom('staff').select(['password_hash', 'area_code']).where('id', '=', actor.id).executeTakeFirstOrThrow();
  if (!(await argon2.verify(row.password_hash, oldPassword).catch(() => false))) {
    throw badRequest('wrong_password', '原密码不正确', 'The current password is wrong');
  }
  const hash = await hashPassword(newPassword);
  await ctx.db.transaction().execute(async (trx) => {
    await trx.updateTable('staff').set({ password_hash: hash, must_change_password: false }).where('id', '=', actor.id).execute();
    await trx.deleteFrom('staff_sessions').where('staff_id', '=', actor.id).where('id_hash', '!=', sha256(currentSid)).execute();
    await audit(trx, staffActor(actor), { action: 'account.password_change', areaCode: row.area_code, detail: { accountId: actor.id } });
  });
}
