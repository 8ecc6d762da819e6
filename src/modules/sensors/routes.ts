/**
 * Door-sensor routes (issue 5 §5), all sensors.manage, scoped by the household's community:
 *   GET  /api/sensors?householdId     the household's sensors, bound first → {sensors}
 *   POST /api/sensors                 bind {device, householdId, keyPersonId?, windows} → 201 {sensor}; bound elsewhere → 409
 *   POST /api/sensors/:id/unbind      unbind on release → {sensor}
 *   PUT  /api/sensors/:id/windows     replace the agreed windows → {sensor}; unbound → 409
 *   GET  /api/sensors/:id/events      the door timeline, newest first (audited) → {sensor, events}
 * Also registers the heartbeat job (./mqtt.ts). The broker and subscriber start with the server.
 */
import { z } from 'zod';
import { errorResponses } from '../../lib/http-schemas';
import type { ZApp } from '../../app';
import type { AppContext } from '../../context';
import { staffGuard } from '../staff/auth';
import { textIn } from '../cases/routes';
import { registerSensorJobs } from './mqtt';
import { HHMM } from './rules';
import { bindSensor, householdSensors, sensorEvents, setWindows, unbindSensor, type DoorEventView, type SensorView } from './service';

const errors = errorResponses;
const idParams = z.object({ id: z.string().uuid() });
const hhmm = z.string().regex(HHMM, 'HH:MM');
const windowIn = z.object({ from: hhmm, to: hhmm, note: textIn(60).optional() });
const windowsIn = z.array(windowIn).max(12);

export const sensorOut = z.object({
  id: z.string(), device: z.string(), householdId: z.string(), keyPersonId: z.string().nullable(), communityCode: z.string(),
  windows: z.array(z.object({ from: z.string(), to: z.string(), note: z.string().optional() })), boundAt: z.string(),
  unboundAt: z.string().nullable(), lastSeenAt: z.string().nullable(), battery: z.number().nullable(), contact: z.boolean().nullable(),
}) satisfies z.ZodType<SensorView>;
const eventOut = z.object({
  id: z.string(), at: z.string(), atChina: z.string(), contact: z.boolean().nullable(), battery: z.number().nullable(),
  linkquality: z.number().nullable(), alert: z.string().nullable(),
}) satisfies z.ZodType<DoorEventView>;
const one = { 200: z.object({ sensor: sensorOut }), ...errors };

export function registerSensorRoutes(app: ZApp, ctx: AppContext) {
  registerSensorJobs();
  const manage = staffGuard(ctx, 'sensors.manage');

  app.get('/api/sensors', {
    preHandler: manage,
    schema: {
      tags: ['sensors'], summary: 'The door sensors of a household (bound first, newest first)',
      querystring: z.object({ householdId: z.string().uuid() }),
      response: { 200: z.object({ sensors: z.array(sensorOut) }), ...errors },
    },
  }, async (req) => ({ sensors: await householdSensors(ctx, req.staff!, req.query.householdId) }));

  app.post('/api/sensors', {
    preHandler: manage,
    schema: {
      tags: ['sensors'], summary: 'Bind a door sensor (电子门磁) to an isolated household, with its agreed daily windows (China time; audited)',
      body: z.object({
        device: z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/), householdId: z.string().uuid(), keyPersonId: z.string().uuid().optional(),
        windows: windowsIn.default([]),
      }),
      response: { 201: z.object({ sensor: sensorOut }), ...errors },
    },
  }, async (req, reply) => reply.status(201).send({ sensor: await bindSensor(ctx, req.staff!, req.body) }));

  app.post('/api/sensors/:id/unbind', {
    preHandler: manage,
    schema: { tags: ['sensors'], summary: 'Unbind a door sensor (on release); its events stay (audited)', params: idParams, response: one },
  }, async (req) => ({ sensor: await unbindSensor(ctx, req.staff!, req.params.id) }));

  app.put('/api/sensors/:id/windows', {
    preHandler: manage,
    schema: {
      tags: ['sensors'], summary: 'Replace the agreed daily windows (HH:MM China time; a window may cross midnight; audited)',
      params: idParams, body: z.object({ windows: windowsIn }), response: one,
    },
  }, async (req) => ({ sensor: await setWindows(ctx, req.staff!, req.params.id, req.body.windows) }));

  app.get('/api/sensors/:id/events', {
    preHandler: manage,
    schema: {
      tags: ['sensors'], summary: 'The door timeline of a sensor, newest first (audited)',
      params: idParams, querystring: z.object({ limit: z.coerce.number().int().min(1).max(1000).optional() }),
      response: { 200: z.object({ sensor: sensorOut, events: z.array(eventOut) }), ...errors },
    },
  }, async (req) => sensorEvents(ctx, req.staff!, req.params.id, req.query.limit));
}
