/**
 * Staff route of the person status register (issue 2 §7):
 *   POST /api/persons/:id/status {status, reason} → {status: {code, label, reason, since}}
 * Permission 'status.set'; the person must be in the account's subtree (home community or a
 * check-in there) else 404. The change goes through setStatus (history + audit). "Fever pending"
 * is not set or cleared here: a gate reading sets it and the guard's re-measurement clears it (§9).
 */
import { z } from 'zod';
import type { ZApp } from '../../app';
import type { AppContext } from '../../context';
import { badRequest, notFound } from '../../lib/errors';
import { requestLang } from '../../lib/http-errors';
import { staffGuard } from '../staff/auth';
import { personInScope } from '../persons/service';
import { errorOut, statusOut } from '../persons/schemas';
import { getStatuses, setStatus, statusView } from './service';

export function registerStatusRoutes(app: ZApp, ctx: AppContext) {
  app.post('/api/persons/:id/status', {
    preHandler: staffGuard(ctx, 'status.set'),
    schema: {
      tags: ['persons'], summary: "Change a person's status (reason required; recorded with role and time)",
      params: z.object({ id: z.string().uuid() }),
      body: z.object({ status: z.string().max(40), reason: z.string().max(2000) }),
      response: { 200: z.object({ status: statusOut }), 400: errorOut, 401: errorOut, 403: errorOut, 404: errorOut },
    },
  }, async (req) => {
    const staff = req.staff!;
    if (!(await personInScope(ctx.db, staff.areaCode, req.params.id))) throw notFound('未找到该人员', 'Person not found');
    const current = (await getStatuses(ctx.db, [req.params.id])).get(req.params.id)!.status;
    if (req.body.status === 'fever_pending' || (current === 'fever_pending' && req.body.status === 'normal')) {
      // issue 2 §9: a gate reading sets "fever pending"; only the guard's re-measurement clears it.
      throw badRequest('fever_pending_by_gate', '“发热待复测”由卡点测温设置，只能由卡点复测体温后解除',
        '"Fever pending" is set by a gate reading and cleared only by a re-measurement at the gate');
    }
    await setStatus(ctx.db, req.params.id, req.body.status, req.body.reason, { kind: 'staff', id: staff.id, role: staff.role });
    const st = (await getStatuses(ctx.db, [req.params.id])).get(req.params.id)!;
    return { status: statusView(st, requestLang(req)) };
  });
}
