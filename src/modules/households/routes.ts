/**
 * Household and screening routes (issue 5 §6), permission 'households.manage', scoped and audited
 * by ./service.ts and ./screening.ts (outside the account's subtree → 404):
 *   POST   /api/buildings                                 {communityCode, name} → 201 {building}
 *   GET    /api/buildings                                 ?communityCode → {buildings}
 *   POST   /api/households                                {buildingId | communityCode, unit, room, occupancy, tenantNote, residentSince} → 201 {household}
 *   PATCH  /api/households/:id                            unit, room, occupancy, tenantNote, residentSince → {household}
 *   GET    /api/households                                ?communityCode&buildingId → {households} (members masked)
 *   POST   /api/households/:id/members                    {personId, since} → 201 new / 200 updated {household}
 *   DELETE /api/households/:id/members/:personId          → {household}
 *   POST   /api/screening/campaigns                       {communityCode, name, startedOn} → 201 {campaign}
 *   GET    /api/screening/campaigns                       ?communityCode → {campaigns} each with completion
 *   GET    /api/screening/campaigns/:id                   campaign, completion, per building, every household
 *   POST   /api/screening/campaigns/:id/visits            {householdId, outcome, note, visitedAt?} → 201 new / 200 replaced
 *   POST   /api/screening/campaigns/:id/close             → {campaign} (409 campaign_closed the second time)
 *   GET    /api/screening/campaigns/:id/export            CSV, one line per household + header
 */
import { z } from 'zod';
import { errorResponses } from '../../lib/http-schemas';
import type { ZApp } from '../../app';
import type { AppContext } from '../../context';
import { staffGuard } from '../staff/auth';
import { dateIn, textIn } from '../cases/routes';
import { campaignDetail, listCampaigns, closeCampaign, createCampaign, exportCampaign, recordVisit, VISIT_OUTCOMES, type VisitOutcome } from './screening';
import { addMember, createBuilding, createHousehold, listBuildings, listHouseholds, removeMember, updateHousehold } from './service';

const errors = errorResponses;
const idParams = z.object({ id: z.string().uuid() });
const communityCode = z.string().regex(/^\d{12}$/);
const occupancy = z.enum(['occupied', 'empty', 'rented']);
const outcome = z.enum(VISIT_OUTCOMES as [VisitOutcome, ...VisitOutcome[]]);

const buildingOut = z.object({ id: z.string(), communityCode: z.string(), name: z.string(), households: z.number() });
const householdOut = z.object({
  id: z.string(), communityCode: z.string(), buildingId: z.string().nullable(), buildingName: z.string().nullable(), unit: z.string(),
  room: z.string(), occupancy, tenantNote: z.string(), residentSince: z.string().nullable(),
  members: z.array(z.object({ personId: z.string(), maskedName: z.string(), since: z.string().nullable() })),
});
const campaignOut = z.object({
  id: z.string(), communityCode: z.string(), communityName: z.string().nullable(), name: z.string(), startedOn: z.string(),
  endedOn: z.string().nullable(), state: z.enum(['open', 'closed']),
});
const figureOut = z.object({ households: z.number(), visited: z.number(), percent: z.number() });
const campaignHouseholdOut = z.object({
  householdId: z.string(), buildingId: z.string().nullable(), buildingName: z.string().nullable(), unit: z.string(), room: z.string(),
  occupancy, tenantNote: z.string(), visited: z.boolean(), outcome: outcome.nullable(), visitedAt: z.string().nullable(), note: z.string(),
});

/** Registers the routes above. */
export function registerHouseholdRoutes(app: ZApp, ctx: AppContext) {
  const manage = staffGuard(ctx, 'households.manage');

  app.post('/api/buildings', {
    preHandler: manage,
    schema: {
      tags: ['households'], summary: 'Add a building to a community (audited)',
      body: z.object({ communityCode, name: textIn(60) }),
      response: { 201: z.object({ building: buildingOut }), ...errors },
    },
  }, async (req, reply) => reply.status(201).send({ building: await createBuilding(ctx, req.staff!, req.body) }));

  app.get('/api/buildings', {
    preHandler: manage,
    schema: {
      tags: ['households'], summary: 'The buildings of a community with their household counts (audited)',
      querystring: z.object({ communityCode }),
      response: { 200: z.object({ buildings: z.array(buildingOut) }), ...errors },
    },
  }, async (req) => ({ buildings: await listBuildings(ctx, req.staff!, req.query.communityCode) }));

  app.post('/api/households', {
    preHandler: manage,
    schema: {
      tags: ['households'], summary: 'Add a household (in a building, or directly in a community) (audited)',
      body: z.object({
        buildingId: z.string().uuid().optional(), communityCode: communityCode.optional(), unit: textIn(20).optional(), room: textIn(20),
        occupancy: occupancy.optional(), tenantNote: textIn(200).optional(), residentSince: dateIn.nullable().optional(),
      }),
      response: { 201: z.object({ household: householdOut }), ...errors },
    },
  }, async (req, reply) => reply.status(201).send({ household: await createHousehold(ctx, req.staff!, req.body) }));

  app.patch('/api/households/:id', {
    preHandler: manage,
    schema: {
      tags: ['households'], summary: "Change a household's unit, room, occupancy, tenant note or residence start (audited)",
      params: idParams,
      body: z.object({
        unit: textIn(20).optional(), room: textIn(20).optional(), occupancy: occupancy.optional(), tenantNote: textIn(200).optional(),
        residentSince: dateIn.nullable().optional(),
      }),
      response: { 200: z.object({ household: householdOut }), ...errors },
    },
  }, async (req) => ({ household: await updateHousehold(ctx, req.staff!, req.params.id, req.body) }));

  app.get('/api/households', {
    preHandler: manage,
    schema: {
      tags: ['households'], summary: 'The households of a community or building, with members (masked names; audited)',
      querystring: z.object({ communityCode, buildingId: z.string().uuid().optional() }),
      response: { 200: z.object({ households: z.array(householdOut) }), ...errors },
    },
  }, async (req) => ({ households: await listHouseholds(ctx, req.staff!, req.query) }));

  app.post('/api/households/:id/members', {
    preHandler: manage,
    schema: {
      tags: ['households'], summary: 'Link a person to a household, or change since when they live there (audited, names the person)',
      params: idParams, body: z.object({ personId: z.string().uuid(), since: dateIn.nullable().optional() }),
      response: { 200: z.object({ household: householdOut }), 201: z.object({ household: householdOut }), ...errors },
    },
  }, async (req, reply) => {
    const r = await addMember(ctx, req.staff!, req.params.id, req.body);
    return reply.status(r.created ? 201 : 200).send({ household: r.household });
  });

  app.delete('/api/households/:id/members/:personId', {
    preHandler: manage,
    schema: {
      tags: ['households'], summary: 'Unlink a person from a household (audited, names the person)',
      params: z.object({ id: z.string().uuid(), personId: z.string().uuid() }),
      response: { 200: z.object({ household: householdOut }), ...errors },
    },
  }, async (req) => ({ household: await removeMember(ctx, req.staff!, req.params.id, req.params.personId) }));

  app.post('/api/screening/campaigns', {
    preHandler: manage,
    schema: {
      tags: ['households'], summary: '排查 / 清零行动: start a screening campaign over every household of a community (audited)',
      body: z.object({ communityCode, name: textIn(60), startedOn: dateIn }),
      response: { 201: z.object({ campaign: campaignOut }), ...errors },
    },
  }, async (req, reply) => reply.status(201).send({ campaign: await createCampaign(ctx, req.staff!, req.body) }));

  app.get('/api/screening/campaigns', {
    preHandler: manage,
    schema: {
      tags: ['households'], summary: 'The screening campaigns of a community, newest first, each with its completion',
      querystring: z.object({ communityCode }),
      response: { 200: z.object({ campaigns: z.array(campaignOut.extend({ completion: figureOut })) }), ...errors },
    },
  }, async (req) => ({ campaigns: await listCampaigns(ctx, req.staff!, req.query.communityCode) }));

  app.get('/api/screening/campaigns/:id', {
    preHandler: manage,
    schema: {
      tags: ['households'], summary: 'A campaign: every household visited or not with the outcome, completion % per building and community (audited)',
      params: idParams,
      response: {
        200: z.object({
          campaign: campaignOut, completion: figureOut,
          buildings: z.array(figureOut.extend({ buildingId: z.string().nullable(), buildingName: z.string().nullable() })),
          households: z.array(campaignHouseholdOut),
        }),
        ...errors,
      },
    },
  }, async (req) => campaignDetail(ctx, req.staff!, req.params.id));

  app.post('/api/screening/campaigns/:id/visits', {
    preHandler: manage,
    schema: {
      tags: ['households'], summary: 'Record the visit of a household; a second visit replaces the first (200, previous outcome audited)',
      params: idParams,
      body: z.object({ householdId: z.string().uuid(), outcome, note: textIn(300).optional(), visitedAt: z.string().datetime({ offset: true }).optional() }),
      response: { 200: z.object({ visit: campaignHouseholdOut, replaced: z.boolean() }), 201: z.object({ visit: campaignHouseholdOut, replaced: z.boolean() }), ...errors },
    },
  }, async (req, reply) => {
    const r = await recordVisit(ctx, req.staff!, req.params.id, req.body);
    return reply.status(r.replaced ? 200 : 201).send(r);
  });

  app.post('/api/screening/campaigns/:id/close', {
    preHandler: manage,
    schema: {
      tags: ['households'], summary: 'Close a campaign (audited; 409 campaign_closed when already closed)',
      params: idParams, response: { 200: z.object({ campaign: campaignOut }), ...errors },
    },
  }, async (req) => ({ campaign: await closeCampaign(ctx, req.staff!, req.params.id) }));

  app.get('/api/screening/campaigns/:id/export', {
    preHandler: manage,
    schema: {
      tags: ['households'], summary: "A campaign's households as CSV (UTF-8 with BOM, formula-safe, audited)",
      description: 'text/csv attachment: a header line, then one line per household of the community.',
      params: idParams,
    },
  }, async (req, reply) => {
    const r = await exportCampaign(ctx, req.staff!, req.params.id);
    return reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${r.filename}"`)
      .header('cache-control', 'no-store').send(r.csv);
  });
}
