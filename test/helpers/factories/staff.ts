/** Test staff accounts: `buildStaff(ctx, {role, areaCode})` and `signInAs(t, staff)` → cookie. */
import type { AppContext } from '../../../src/context';
import { hashPassword, type StaffUser } from '../../../src/modules/staff/auth';
import type { Role } from '../../../src/modules/staff/roles';
import { cookieFrom, type TestApp } from '../app';

let n = 0;
let cachedHash: Promise<string> | null = null;
export const TEST_PASSWORD = 'Passw0rd-test';

export async function buildStaff(
  ctx: AppContext,
  over: { role?: Role; areaCode?: string; username?: string; displayName?: string; checkpointId?: string | null; orgId?: string | null } = {},
) {
  cachedHash ??= hashPassword(TEST_PASSWORD);
  n += 1;
  const username = over.username ?? `u${process.pid}_${n}`;
  return ctx.db
    .insertInto('staff')
    .values({
      username,
      display_name: over.displayName ?? `测试${n}`,
      role: over.role ?? 'community_worker',
      area_code: over.areaCode ?? '410811001001',
      checkpoint_id: over.checkpointId ?? null,
      org_id: over.orgId ?? null,
      password_hash: await cachedHash,
      must_change_password: false,
      created_by: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function signInAs(t: TestApp, staff: { username: string }): Promise<string> {
  const res = await t.app.inject({ method: 'POST', url: '/api/staff/login', payload: { username: staff.username, password: TEST_PASSWORD } });
  if (res.statusCode !== 200) throw new Error(`login failed: ${res.body}`);
  return cookieFrom(res);
}

/** The StaffUser a service function receives, from a row buildStaff returned (for calling services directly). */
export function asStaffUser(r: Awaited<ReturnType<typeof buildStaff>>): StaffUser {
  return {
    id: r.id, username: r.username, displayName: r.display_name, role: r.role as Role, areaCode: r.area_code,
    checkpointId: r.checkpoint_id, orgId: r.org_id, mustChangePassword: false,
  };
}
