/**
 * Resident routes of persons (issue 2 §6), all under /api/r and all identified by the device
 * cookie (devices.ts), never by a name or number in the URL:
 *   POST   /api/r/register            register this phone's own person (creates the cookie)
 *   POST   /api/r/dependents          add a dependent (同行人员)
 *   DELETE /api/r/dependents/:personId unbind a dependent from this phone
 *   POST   /api/r/rebind-code         a one-time code for staff re-binding (rebind.ts)
 */
import { z } from 'zod';
import type { ZApp } from '../../app';
import type { AppContext } from '../../context';
import { AppError } from '../../lib/errors';
import { deviceFromRequest, setDeviceCookie } from './devices';
import { personBody } from './input';
import { errorOut } from './schemas';
import { REBIND_CODES_PER_MIN, perClient } from './limits';
import { createRebindCode } from './rebind';
import { addDependent, registerSelf, removeDependent } from './residents';

const boundOut = z.object({
  person: z.object({ id: z.string(), maskedName: z.string(), relation: z.enum(['self', 'dependent']) }),
});
const errors = { 400: errorOut, 401: errorOut, 404: errorOut, 409: errorOut, 429: errorOut };

const noDevice = () => new AppError(401, 'device_unknown', { zh: '请先登记个人信息', en: 'Please register first' });

export function registerResidentPersonRoutes(app: ZApp, ctx: AppContext) {
  app.post('/api/r/register', {
    schema: {
      tags: ['resident'], summary: "Register this phone's own person (binding rule: same phone only)",
      body: personBody, response: { 200: boundOut, 201: boundOut, ...errors },
    },
  }, async (req, reply) => {
    const device = await deviceFromRequest(ctx, req);
    const r = await registerSelf(ctx, device?.deviceId ?? null, req.body, req.ip);
    if (r.cookieValue) setDeviceCookie(ctx, req, reply, r.cookieValue);
    return reply.status(r.created ? 201 : 200).send({ person: r.person });
  });

  app.post('/api/r/dependents', {
    schema: {
      tags: ['resident'], summary: 'Add a dependent who checks in together with this phone',
      body: personBody, response: { 200: boundOut, 201: boundOut, ...errors },
    },
  }, async (req, reply) => {
    const device = await deviceFromRequest(ctx, req);
    if (!device) throw noDevice();
    const r = await addDependent(ctx, device.deviceId, req.body, req.ip);
    return reply.status(r.created ? 201 : 200).send({ person: r.person });
  });

  app.delete('/api/r/dependents/:personId', {
    schema: {
      tags: ['resident'], summary: 'Remove a dependent from this phone (the record stays)',
      params: z.object({ personId: z.string().uuid() }),
      response: { 200: z.object({ ok: z.literal(true) }), ...errors },
    },
  }, async (req) => {
    const device = await deviceFromRequest(ctx, req);
    if (!device) throw noDevice();
    await removeDependent(ctx, device.deviceId, req.params.personId);
    return { ok: true as const };
  });

  app.post('/api/r/rebind-code', {
    config: { rateLimit: perClient(REBIND_CODES_PER_MIN) },
    schema: {
      tags: ['resident'], summary: 'One-time code (6 digits, 15 min) for staff to bind this phone after checking the ID card',
      body: z.object({ docType: z.string().max(40), docNumber: z.string().max(60), relation: z.enum(['self', 'dependent']).optional() }),
      response: { 201: z.object({ code: z.string(), expiresAt: z.date() }), ...errors, 429: errorOut },
    },
  }, async (req, reply) => {
    const device = await deviceFromRequest(ctx, req);
    const r = await createRebindCode(ctx, device?.deviceId ?? null, req.body);
    if (r.cookieValue) setDeviceCookie(ctx, req, reply, r.cookieValue);
    return reply.status(201).send({ code: r.code, expiresAt: r.expiresAt });
  });
}
