/** Staff sign-in, sign-out and "who am I". Account management lives in accounts-routes.ts. */
import type { ZApp } from '../../app';
import { z } from 'zod';
import type { AppContext } from '../../context';
import { ROLE_LABELS, PERMISSIONS } from './roles';
import { STAFF_COOKIE, signIn, signOut, staffGuard } from './auth';

const staffOut = z.object({
  id: z.string(), username: z.string(), displayName: z.string(), role: z.string(), roleLabel: z.string(),
  areaCode: z.string(), checkpointId: z.string().nullable(), mustChangePassword: z.boolean(),
  permissions: z.array(z.string()),
});

/** Sign-in attempts a minute for one username from one address. */
export const LOGIN_TRIES_PER_MIN = 10;

export function registerStaffRoutes(app: ZApp, ctx: AppContext) {
  const secure = ctx.config.PUBLIC_URL.startsWith('https://');
  app.post('/api/staff/login', {
    // 10 tries a minute per username and address: guessing is slow, one gate's shared address is not locked out
    config: { rateLimit: { max: LOGIN_TRIES_PER_MIN, timeWindow: '1 minute', hook: 'preHandler',
      keyGenerator: (req) => `${req.ip}|${String((req.body as { username?: unknown } | undefined)?.username ?? '').toLowerCase()}` } },
    schema: {
      tags: ['staff'], summary: 'Sign in',
      body: z.object({ username: z.string().min(1).max(40), password: z.string().min(1).max(200) }),
      response: { 200: z.object({ staff: staffOut }) },
    },
  }, async (req, reply) => {
    const { username, password } = req.body;
    const { sid, staff } = await signIn(ctx, username, password);
    reply.setCookie(STAFF_COOKIE, sid, { httpOnly: true, sameSite: 'strict', secure, path: '/' });
    return { staff: { ...staff, roleLabel: ROLE_LABELS[staff.role].zh, permissions: [...PERMISSIONS[staff.role]] } };
  });

  app.post('/api/staff/logout', { schema: { tags: ['staff'], summary: 'Sign out' } }, async (req, reply) => {
    const sid = req.cookies[STAFF_COOKIE];
    if (sid) await signOut(ctx, sid);
    reply.clearCookie(STAFF_COOKIE, { path: '/' });
    return { ok: true };
  });

  app.get('/api/staff/me', {
    preHandler: staffGuard(ctx),
    schema: { tags: ['staff'], summary: 'The signed-in account', response: { 200: z.object({ staff: staffOut }) } },
  }, async (req) => {
    const s = req.staff!;
    return { staff: { ...s, roleLabel: ROLE_LABELS[s.role].zh, permissions: [...PERMISSIONS[s.role]] } };
  });
}
