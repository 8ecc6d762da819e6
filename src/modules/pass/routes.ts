/**
 * GET /api/r/pass: the resident's 我的通行码 for every person on this phone (issue 3 §2). Identified
 * by the device cookie like /api/r/checkpoint; a resident's own persons on their own phone, so no
 * audit row (test/api/route-table.ts OWN_DATA). The page refreshes every `refreshInS` seconds
 * (PASS_CODE_REFRESH_S), well inside a code's lifetime (PASS_CODE_TTL_S).
 */
import { z } from 'zod';
import { errorOut } from '../../lib/http-schemas';
import type { ZApp } from '../../app';
import type { AppContext } from '../../context';
import { AppError } from '../../lib/errors';
import { requestLang } from '../../lib/http-errors';
import { deviceFromRequest } from '../persons/devices';
import { passCodes } from './service';


/** Registers GET /api/r/pass (401 device_unknown without a registered phone). */
export function registerPassRoutes(app: ZApp, ctx: AppContext) {
  app.get('/api/r/pass', {
    schema: {
      tags: ['resident'], summary: '我的通行码: a short-lived signed pass code for each person on this phone',
      response: {
        200: z.object({
          serverTime: z.string(),
          refreshInS: z.number(),
          persons: z.array(z.object({
            personId: z.string(), maskedName: z.string(), relation: z.enum(['self', 'dependent']),
            status: z.string(), statusLabel: z.string(), colour: z.enum(['green', 'yellow', 'red']),
            token: z.string(), expiresAt: z.string(),
          })),
        }),
        401: errorOut,
      },
    },
  }, async (req, reply) => {
    const device = await deviceFromRequest(ctx, req);
    if (!device || device.persons.length === 0)
      throw new AppError(401, 'device_unknown', { zh: '此手机尚未登记，请先扫描场所门口的二维码登记', en: 'This phone is not registered: scan the code at an entrance to register first' });
    const now = new Date();
    const codes = await passCodes(ctx, device, requestLang(req), now);
    reply.header('cache-control', 'no-store');
    return {
      serverTime: now.toISOString(),
      refreshInS: ctx.config.PASS_CODE_REFRESH_S,
      persons: codes.map((c) => ({ ...c, expiresAt: c.expiresAt.toISOString() })),
    };
  });
}
