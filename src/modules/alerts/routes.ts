/** Fever alerts for guards and community staff, and the live event stream (server-sent events). */
import { z } from 'zod';
import type { ZApp } from '../../app';
import type { AppContext } from '../../context';
import { audit } from '../audit/audit';
import { staffActor, staffGuard, type StaffUser } from '../staff/auth';
import { parseTemperature } from '../checkin/temperature';
import { OUTCOMES, acknowledgeAlert, escalateAlerts, listAlerts, resolveAlert } from './service';
import { JOBS } from '../system/jobs';

/** Seconds between keep-alive comments on an idle event stream (proxies drop silent connections). */
export const SSE_KEEPALIVE_S = 25;

const alertOut = z.object({
  id: z.string(), personId: z.string(), maskedName: z.string(), temperature: z.number(), raisedAt: z.string(),
  acknowledgedAt: z.string().nullable(), remeasuredTemperature: z.number().nullable(), outcome: z.string().nullable(),
  resolvedAt: z.string().nullable(), escalated: z.boolean(), communityCode: z.string(), checkpointId: z.string(),
  checkpointName: z.string(), placeName: z.string(),
});

/** Whether a live event concerns this account (its area subtree). */
function concerns(staff: StaffUser, ev: { communityCode?: string }) {
  return typeof ev.communityCode === 'string' && ev.communityCode.startsWith(staff.areaCode);
}

export const ESCALATION_JOB = { name: 'fever-escalation', run: (c: AppContext, now: Date) => escalateAlerts(c, now).then(() => undefined) };

export function registerAlertRoutes(app: ZApp, ctx: AppContext) {
  if (!JOBS.includes(ESCALATION_JOB)) JOBS.push(ESCALATION_JOB);

  app.get('/api/alerts', {
    preHandler: staffGuard(ctx, 'alerts.handle'),
    schema: {
      tags: ['alerts'], summary: 'Fever alerts in my area',
      querystring: z.object({ state: z.enum(['open', 'all']).default('open') }),
      response: { 200: z.object({ alerts: z.array(alertOut) }) },
    },
  }, async (req) => {
    const staff = req.staff!;
    const alerts = await listAlerts(ctx, staff, req.query.state);
    // the list names persons (masked) with their temperatures: a read of person data (SPEC "Rules")
    await audit(ctx.db, staffActor(staff), { action: 'alerts.list', areaCode: staff.areaCode, detail: { state: req.query.state, rows: alerts.length } });
    return { alerts };
  });

  app.post('/api/alerts/:id/ack', {
    preHandler: staffGuard(ctx, 'alerts.handle'),
    schema: { tags: ['alerts'], summary: 'Acknowledge a fever alert', params: z.object({ id: z.string().uuid() }) },
  }, async (req) => {
    await acknowledgeAlert(ctx, req.staff!, req.params.id);
    return { ok: true };
  });

  app.post('/api/alerts/:id/resolve', {
    preHandler: staffGuard(ctx, 'alerts.handle'),
    schema: {
      tags: ['alerts'], summary: 'Record the re-measured temperature and the outcome',
      params: z.object({ id: z.string().uuid() }),
      body: z.object({ remeasuredTemperature: z.union([z.string().max(20), z.number()]), outcome: z.enum(OUTCOMES) }),
    },
  }, async (req) => {
    const t = parseTemperature(req.body.remeasuredTemperature, ctx.config);
    await resolveAlert(ctx, req.staff!, req.params.id, t, req.body.outcome);
    return { ok: true };
  });

  app.get('/api/events', {
    preHandler: staffGuard(ctx),
    schema: { tags: ['alerts'], summary: 'Live events (text/event-stream): checkin, fever_alert, alert_update, sensor_alert (door sensors, issue 5)' },
  }, (req, reply) => {
    const staff = req.staff!;
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    res.write(`retry: 3000\n: connected\n\n`);
    const handlers = (['checkin', 'fever_alert', 'alert_update', 'sensor_alert'] as const).map((type) => {
      const h = (ev: { communityCode?: string; checkpointId?: string }) => {
        if (!concerns(staff, ev)) return;
        res.write(`event: ${type}\ndata: ${JSON.stringify(ev)}\n\n`);
      };
      ctx.events.on(type, h);
      return [type, h] as const;
    });
    const ping = setInterval(() => res.write(': ping\n\n'), SSE_KEEPALIVE_S * 1000);
    req.raw.on('close', () => {
      clearInterval(ping);
      for (const [type, h] of handlers) ctx.events.off(type, h);
    });
  });
}
