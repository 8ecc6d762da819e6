/**
 * Community reporting routes (社区报到, issue 5 §1), scoped and audited by ./service.ts:
 *   POST /api/r/arrivals                 a resident reports from a link/QR (device cookie) → 201 {arrival}
 *   POST /api/arrivals                   staff enter a report (arrivals.report) → 201 {arrival, personCreated}
 *   GET  /api/arrivals                   ?areaCode&from&to&measure (arrivals.read, audited) → {arrivals}
 *   GET  /api/arrivals/:id               one report (arrivals.read, audited)
 *   GET  /api/arrival-rules              rules covering or inside the account's area (arrivals.read) → {rules}
 *   POST /api/arrival-rules              a new rule (arrival_rules.manage) → 201 {rule}
 *   POST /api/arrival-rules/:id/retire   retire a rule (arrival_rules.manage)
 *   POST /api/arrival-rules/preview      {add?, retire?, noticeOn?} → {changes}: whose measure would change; nothing written
 *   POST /api/arrival-rules/apply        {add?, retire?, noticeOn?, reason} → {rule, changes}: applied in one transaction
 */
import { z } from 'zod';
import { errorResponses } from '../../lib/http-schemas';
import type { ZApp } from '../../app';
import type { AppContext } from '../../context';
import { AppError } from '../../lib/errors';
import { dateIn, textIn } from '../cases/routes';
import { deviceActor, deviceFromRequest } from '../persons/devices';
import { personBody } from '../persons/input';
import { staffGuard } from '../staff/auth';
import { addRule, applyRuleChange, listRules, previewRuleChange, retireRule, type ChangedArrival, type RuleView } from './service';
import { arrivalDetail, listArrivals, reportBySelf, reportByStaff, type ArrivalView } from './reports';

const errors = errorResponses;
const idParams = z.object({ id: z.string().uuid() });
const circumstance = z.enum(['work', 'study', 'home', 'other']);
const measureIn = z.enum(['centralized_isolation', 'home_isolation', 'health_monitoring']);
const measureAll = z.enum(['centralized_isolation', 'home_isolation', 'health_monitoring', 'none']);
const areaCodeIn = z.string().regex(/^\d{2,12}$/);

const arrivalIn = {
  communityCode: z.string().regex(/^\d{12}$/), householdId: z.string().uuid().nullish(), originCode: areaCodeIn.nullish(),
  originText: textIn(60), route: textIn(300).optional(), transport: textIn(60).optional(), circumstance, arrivalOn: dateIn,
};

const arrivalOut = z.object({
  id: z.string(), personId: z.string(), maskedName: z.string(), communityCode: z.string(), householdId: z.string().nullable(),
  originCode: z.string().nullable(), originText: z.string(), route: z.string(), transport: z.string(), circumstance,
  arrivalOn: z.string(), reportedVia: z.enum(['self', 'staff']), ruleId: z.string().nullable(), measure: measureAll,
  measureLabel: z.string(), measureDays: z.number(), measureUntil: z.string().nullable(), createdAt: z.string(),
  detailsPurgedAt: z.string().nullable(),
}) satisfies z.ZodType<ArrivalView>;

const ruleOut = z.object({
  id: z.string(), areaCode: z.string(), priority: z.number(), originPrefix: z.string().nullable(), originLabel: z.string(),
  circumstance: circumstance.nullable(), measure: measureIn, days: z.number(), note: z.string(), createdAt: z.string(),
  retiredAt: z.string().nullable(),
}) satisfies z.ZodType<RuleView>;

const ruleFields = {
  priority: z.number().int().min(-1000).max(1000).optional(), originPrefix: areaCodeIn.nullish(), originLabel: textIn(60),
  circumstance: circumstance.nullish(), measure: measureIn, days: z.number().int().min(1).max(60).optional(), note: textIn(300).optional(),
};
const ruleIn = z.object({ areaCode: areaCodeIn.optional(), ...ruleFields });
const changeIn = { areaCode: areaCodeIn.optional(), add: z.object(ruleFields).optional(), retire: z.array(z.string().uuid()).max(100).optional(), noticeOn: dateIn.optional() };

const decisionOut = z.object({ measure: measureAll, days: z.number(), until: z.string().nullable(), ruleId: z.string().nullable() });
const changeOut = z.object({
  reportId: z.string(), personId: z.string(), maskedName: z.string(), communityCode: z.string(), originText: z.string(), arrivalOn: z.string(),
  from: decisionOut, to: decisionOut,
}) satisfies z.ZodType<ChangedArrival>;

const noDevice = () => new AppError(401, 'device_unknown', { zh: '请先登记个人信息', en: 'Please register first' });

/** Registers the arrival routes above (401/403 from staffGuard, 404 out of scope). */
export function registerArrivalRoutes(app: ZApp, ctx: AppContext) {
  const read = staffGuard(ctx, 'arrivals.read');
  const report = staffGuard(ctx, 'arrivals.report');
  const manage = staffGuard(ctx, 'arrival_rules.manage');

  app.post('/api/r/arrivals', {
    schema: {
      tags: ['resident'], summary: '社区报到: report an arrival for a person on this phone (the phone\'s own person by default)',
      body: z.object({ personId: z.string().uuid().optional(), ...arrivalIn }),
      response: { 201: z.object({ arrival: arrivalOut }), ...errors },
    },
  }, async (req, reply) => {
    const device = await deviceFromRequest(ctx, req);
    if (!device) throw noDevice();
    const arrival = await reportBySelf(ctx, device, deviceActor(device.deviceId), req.body);
    return reply.status(201).send({ arrival });
  });

  app.post('/api/arrivals', {
    preHandler: report,
    schema: {
      tags: ['arrivals'], summary: 'Enter an arrival report for a person in scope (personId) or registered on the spot by document (person); audited',
      body: z.object({ personId: z.string().uuid().optional(), person: personBody.optional(), ...arrivalIn }),
      response: { 201: z.object({ arrival: arrivalOut, personCreated: z.boolean() }), ...errors },
    },
  }, async (req, reply) => reply.status(201).send(await reportByStaff(ctx, req.staff!, req.body)));

  app.get('/api/arrivals', {
    preHandler: read,
    schema: {
      tags: ['arrivals'], summary: 'Arrival reports of an area by arrival date and measure (masked names; audited)',
      querystring: z.object({ areaCode: areaCodeIn.optional(), from: dateIn.optional(), to: dateIn.optional(), measure: measureAll.optional() }),
      response: { 200: z.object({ arrivals: z.array(arrivalOut) }), ...errors },
    },
  }, async (req) => ({ arrivals: await listArrivals(ctx, req.staff!, req.query) }));

  app.get('/api/arrivals/:id', {
    preHandler: read,
    schema: { tags: ['arrivals'], summary: 'One arrival report (audited)', params: idParams, response: { 200: z.object({ arrival: arrivalOut }), ...errors } },
  }, async (req) => ({ arrival: await arrivalDetail(ctx, req.staff!, req.params.id) }));

  app.get('/api/arrival-rules', {
    preHandler: read,
    schema: {
      tags: ['arrivals'], summary: 'The arrival rule table covering the account\'s area (retired rules too with all=true)',
      querystring: z.object({ all: z.enum(['true', 'false']).optional() }),
      response: { 200: z.object({ rules: z.array(ruleOut) }), ...errors },
    },
  }, async (req) => ({ rules: await listRules(ctx, req.staff!, req.query.all === 'true') }));

  app.post('/api/arrival-rules', {
    preHandler: manage,
    schema: {
      tags: ['arrivals'], summary: 'Add an arrival rule for the account\'s area; it applies to reports from now on (audited)',
      body: ruleIn, response: { 201: z.object({ rule: ruleOut }), ...errors },
    },
  }, async (req, reply) => reply.status(201).send({ rule: await addRule(ctx, req.staff!, req.body) }));

  app.post('/api/arrival-rules/:id/retire', {
    preHandler: manage,
    schema: {
      tags: ['arrivals'], summary: 'Retire an arrival rule (reports keep their measure; apply a change to re-decide them)',
      params: idParams, response: { 200: z.object({ rule: ruleOut }), ...errors },
    },
  }, async (req) => ({ rule: await retireRule(ctx, req.staff!, req.params.id) }));

  app.post('/api/arrival-rules/preview', {
    preHandler: manage,
    schema: {
      tags: ['arrivals'], summary: 'Preview a rule change: the reported arrivals whose measure would change (old → new); nothing written',
      body: z.object(changeIn), response: { 200: z.object({ changes: z.array(changeOut) }), ...errors },
    },
  }, async (req) => ({ changes: await previewRuleChange(ctx, req.staff!, req.body) }));

  app.post('/api/arrival-rules/apply', {
    preHandler: manage,
    schema: {
      tags: ['arrivals'], summary: 'Apply a rule change to the rule table and to exactly the reports the preview lists (one transaction, audited)',
      body: z.object({ ...changeIn, reason: textIn(300) }),
      response: { 200: z.object({ rule: ruleOut.nullable(), changes: z.array(changeOut) }), ...errors },
    },
  }, async (req) => applyRuleChange(ctx, req.staff!, req.body));
}
