/**
 * Staff sign-in and sessions: argon2id password hashes, a random session id in an httpOnly,
 * SameSite=Strict cookie, only its SHA-256 stored. `staffGuard(ctx, permission)` is the one
 * preHandler every staff route uses; it loads the account and checks the permission.
 */
import { createHash, randomBytes } from 'node:crypto';
import argon2 from 'argon2';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context';
import { AppError, forbidden, unauthorized } from '../../lib/errors';
import type { Actor } from '../audit/audit';
import { can, isRole, type Permission, type Role } from './roles';

export const STAFF_COOKIE = 'yiqu_staff';

export interface StaffUser {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  areaCode: string;
  checkpointId: string | null;
  orgId: string | null;
  mustChangePassword: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    staff?: StaffUser;
  }
}

export const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export function hashPassword(pw: string): Promise<string> {
  return argon2.hash(pw, { type: argon2.argon2id });
}

/** Minimum password rule: 8+ characters with letters and digits. */
export function passwordProblem(pw: string): { zh: string; en: string } | null {
  if (pw.length < 8 || !/[A-Za-z]/.test(pw) || !/\d/.test(pw))
    return { zh: '密码至少8位，且须同时包含字母和数字', en: 'Password needs 8+ characters with letters and digits' };
  return null;
}

/**
 * Check a username and password; on success create a session and return its id (for the cookie).
 * @throws AppError 401 with one message for every failure (unknown user, wrong password, disabled).
 */
export async function signIn(ctx: AppContext, username: string, password: string) {
  const row = await ctx.db.selectFrom('staff').selectAll().where('username', '=', username.trim().toLowerCase())
    .executeTakeFirst();
  const ok = row && !row.disabled_at && (await argon2.verify(row.password_hash, password).catch(() => false));
  if (!row || !ok)
    throw new AppError(401, 'bad_credentials', { zh: '用户名或密码错误，或账号已停用', en: 'Wrong username or password, or account disabled' });
  const sid = randomBytes(32).toString('base64url');
  await ctx.db.insertInto('staff_sessions').values({ id_hash: sha256(sid), staff_id: row.id }).execute();
  return { sid, staff: toStaffUser(row) };
}

export async function signOut(ctx: AppContext, sid: string) {
  await ctx.db.deleteFrom('staff_sessions').where('id_hash', '=', sha256(sid)).execute();
}

function toStaffUser(row: {
  id: string; username: string; display_name: string; role: string; area_code: string;
  checkpoint_id: string | null; org_id: string | null; must_change_password: boolean;
}): StaffUser {
  if (!isRole(row.role)) throw new Error(`unknown role ${row.role}`);
  return {
    id: row.id, username: row.username, displayName: row.display_name, role: row.role,
    areaCode: row.area_code, checkpointId: row.checkpoint_id, orgId: row.org_id,
    mustChangePassword: row.must_change_password,
  };
}

/** The signed-in account of a request, or null. Sessions idle longer than SESSION_IDLE_HOURS end. */
export async function currentStaff(ctx: AppContext, req: FastifyRequest): Promise<StaffUser | null> {
  const sid = req.cookies?.[STAFF_COOKIE];
  if (!sid) return null;
  const idle = new Date(Date.now() - ctx.config.SESSION_IDLE_HOURS * 3600_000);
  const row = await ctx.db
    .selectFrom('staff_sessions as s')
    .innerJoin('staff as u', 'u.id', 's.staff_id')
    .select(['u.id', 'u.username', 'u.display_name', 'u.role', 'u.area_code', 'u.checkpoint_id', 'u.org_id',
      'u.must_change_password', 'u.disabled_at', 's.last_seen_at'])
    .where('s.id_hash', '=', sha256(sid))
    .executeTakeFirst();
  if (!row || row.disabled_at || row.last_seen_at < idle) return null;
  if (Date.now() - row.last_seen_at.getTime() > 60_000)
    await ctx.db.updateTable('staff_sessions').set({ last_seen_at: new Date() }).where('id_hash', '=', sha256(sid)).execute();
  return toStaffUser(row);
}

/**
 * preHandler: require a signed-in account holding `permission` (any of them, given a list; just
 * signed in when omitted).
 * An account that must still change its initial password reaches only the routes without a permission
 * (who am I, change password, sign out, live events).
 */
export function staffGuard(ctx: AppContext, permission?: Permission | readonly Permission[]) {
  const anyOf = permission === undefined ? null : typeof permission === 'string' ? [permission] : permission;
  return async (req: FastifyRequest, _reply: FastifyReply) => {
    const staff = await currentStaff(ctx, req);
    if (!staff) throw unauthorized();
    if (anyOf && staff.mustChangePassword)
      throw new AppError(403, 'password_change_required', { zh: '请先修改初始密码', en: 'Please change your initial password first' });
    if (anyOf && !anyOf.some((p) => can(staff.role, p))) throw forbidden();
    req.staff = staff;
  };
}

/** The audit actor of a staff request. */
export function staffActor(staff: StaffUser): Actor {
  return { kind: 'staff', id: staff.id, role: staff.role, name: staff.displayName };
}
