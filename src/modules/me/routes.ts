/**
 * GET /api/r/me: the resident's own page (我的, issue 2 §11), identified by the device cookie.
 * A request without a valid device answers 200 `{persons: [], privacy}` so the page can show the
 * privacy notice and the way to register.
 */
import { z } from 'zod';
import type { ZApp } from '../../app';
import type { AppContext } from '../../context';
import { requestLang } from '../../lib/http-errors';
import { deviceFromRequest } from '../persons/devices';
import { statusOut } from '../persons/schemas';
import { myPage, privacyNotice } from './service';

const personOut = z.object({
  id: z.string(), name: z.string(), maskedName: z.string(), docType: z.string(), docMasked: z.string(),
  relation: z.enum(['self', 'dependent']), status: statusOut,
  statusHistory: z.array(z.object({ status: z.string(), label: z.string(), reason: z.string(), role: z.string(), roleLabel: z.string(), at: z.date() })),
  checkins: z.array(z.object({
    id: z.string(), at: z.date(), placeName: z.string(), checkpointName: z.string(), direction: z.enum(['in', 'out']),
    temperature: z.number().nullable(), outcome: z.enum(['pass', 'refused']), refusal: z.string().nullable(),
    refusalLabel: z.string().nullable(),
  })),
  reads: z.array(z.object({ at: z.date(), actorRoleLabel: z.string(), action: z.string(), actionLabel: z.string() })),
});

export function registerMeRoutes(app: ZApp, ctx: AppContext) {
  app.get('/api/r/me', {
    schema: {
      tags: ['resident'], summary: 'My page: my persons, status and history, check-ins, who read my record, privacy notice',
      response: {
        200: z.object({
          persons: z.array(personOut),
          privacy: z.object({ purpose: z.string(), retentionDays: z.number(), text: z.string() }),
        }),
      },
    },
  }, async (req, reply) => {
    const lang = requestLang(req);
    const device = await deviceFromRequest(ctx, req);
    reply.header('cache-control', 'no-store');
    return {
      persons: device ? await myPage(ctx, device, lang) : [],
      privacy: privacyNotice(ctx.config.RETENTION_DAYS, lang),
    };
  });
}
