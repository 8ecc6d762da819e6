/**
 * The guard's side (issue 2 §10): the live list of entries and exits at a checkpoint, and checking
 * in a person without a phone (found or registered from the ID card by the persons module).
 */
import { z } from 'zod';
import type { ZApp } from '../../app';
import type { AppContext } from '../../context';
import { badRequest, notFound } from '../../lib/errors';
import { maskName } from '../../lib/mask';
import { requestLang } from '../../lib/http-errors';
import { audit } from '../audit/audit';
import { staffActor, staffGuard, type StaffUser } from '../staff/auth';
import { resultOut } from './resident-routes';
import { checkIn, checkpointInfoById } from './service';
import { parseTemperature } from './temperature';

/** Most rows the live list returns. */
export const LIVE_LIST_LIMIT = 200;

async function checkpointInScope(ctx: AppContext, staff: StaffUser, checkpointId: string) {
  const cp = await checkpointInfoById(ctx, checkpointId);
  if (!cp || !cp.community.code.startsWith(staff.areaCode)) throw notFound('未找到该卡点', 'Checkpoint not found');
  return cp;
}

export function registerGateRoutes(app: ZApp, ctx: AppContext) {
  app.get('/api/gate/checkins', {
    preHandler: staffGuard(ctx, 'gate.operate'),
    schema: {
      tags: ['gate'], summary: 'Live list of entries and exits at a checkpoint (newest first)',
      querystring: z.object({ checkpointId: z.string().uuid(), since: z.string().datetime({ offset: true }).optional() }),
      response: {
        200: z.object({
          checkpoint: z.object({ id: z.string(), name: z.string(), placeName: z.string() }),
          checkins: z.array(z.object({ id: z.string(), at: z.string(), maskedName: z.string(), direction: z.string(),
            temperature: z.number().nullable(), outcome: z.string(), refusal: z.string().nullable(), source: z.string() })),
        }),
      },
    },
  }, async (req) => {
    const staff = req.staff!;
    const cp = await checkpointInScope(ctx, staff, req.query.checkpointId);
    const since = req.query.since ? new Date(req.query.since) : new Date(Date.now() - 12 * 3600_000);
    const rows = await ctx.db.selectFrom('checkins as c').innerJoin('persons as p', 'p.id', 'c.person_id')
      .select(['c.id', 'c.at', 'p.name', 'c.direction', 'c.temperature', 'c.outcome', 'c.refusal', 'c.source'])
      .where('c.checkpoint_id', '=', cp.checkpoint.id).where('c.at', '>=', since)
      .orderBy('c.at', 'desc').limit(LIVE_LIST_LIMIT).execute();
    await audit(ctx.db, staffActor(staff), { action: 'gate.live_list', areaCode: cp.community.code,
      detail: { checkpointId: cp.checkpoint.id, rows: rows.length } });
    return { checkpoint: { id: cp.checkpoint.id, name: cp.checkpoint.name, placeName: cp.place.name }, checkins: rows.map((r) => ({ id: r.id, at: r.at.toISOString(), maskedName: maskName(r.name), direction: r.direction,
      temperature: r.temperature, outcome: r.outcome, refusal: r.refusal, source: r.source })) };
  });

  app.post('/api/gate/checkins', {
    preHandler: staffGuard(ctx, 'gate.operate'),
    schema: {
      tags: ['gate'], summary: 'Check in a person without a phone (the guard measures)',
      body: z.object({
        checkpointId: z.string().uuid(), personId: z.string().uuid(), direction: z.enum(['in', 'out']),
        temperature: z.union([z.string().max(20), z.number()]).optional().nullable(),
      }),
      response: { 200: z.object({ results: z.array(resultOut) }) },
    },
  }, async (req) => {
    const staff = req.staff!;
    const b = req.body;
    const cp = await checkpointInScope(ctx, staff, b.checkpointId);
    if (cp.state !== 'active') throw badRequest('checkpoint_disabled', '此卡点已停用', 'This checkpoint is closed');
    const person = await ctx.db.selectFrom('persons').select('id').where('id', '=', b.personId).executeTakeFirst();
    if (!person) throw notFound('未找到该人员', 'Person not found');
    let temperature: number | null = null;
    if (b.direction === 'in') {
      if (b.temperature === undefined || b.temperature === null || b.temperature === '')
        throw badRequest('temperature_required', '进入时请填写体温', 'Temperature is required to enter');
      temperature = parseTemperature(b.temperature, ctx.config);
    }
    const results = await checkIn(ctx, { checkpoint: cp, personIds: [b.personId], direction: b.direction, temperature,
      source: 'guard', actorId: staff.id });
    // the answer shows the person's masked name and passage: a read of person data (SPEC "Rules")
    await audit(ctx.db, staffActor(staff), { action: 'gate.checkin', personId: b.personId, areaCode: cp.community.code,
      detail: { checkpointId: cp.checkpoint.id, direction: b.direction, outcome: results[0]?.outcome ?? null } });
    const lang = requestLang(req);
    return { results: results.map((r) => ({ ...r, reason: r.reason ? r.reason[lang] : null, at: r.at.toISOString() })) };
  });
}
