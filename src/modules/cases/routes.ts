/**
 * Case routes (issue 4 §1, SPEC S4). 'cases.read' to read, 'cases.manage' to write (district and
 * city command offices); scoped and audited by ./service.ts and ./queries.ts:
 *   POST  /api/cases                 register a case → 201 {case}
 *   GET   /api/cases                 ?areaCode&status&q → {cases}
 *   GET   /api/cases/graph           ?areaCode → {nodes, edges} (transmission chains)
 *   GET   /api/cases/:id             the case, person, history, infector, infected, contact counts
 *   POST  /api/cases/:id/status      a status change (state machine of ./rules.ts) → {case}
 *   PATCH /api/cases/:id             corrections of the case's facts → {case}
 */
import { z } from 'zod';
import { errorResponses } from '../../lib/http-schemas';
import type { ZApp } from '../../app';
import type { AppContext } from '../../context';
import { staffGuard } from '../staff/auth';
import { caseDetail, caseGraph, caseView, listCases } from './queries';
import { changeCaseStatus, correctCase, registerCase } from './service';

const errors = errorResponses;
const idParams = z.object({ id: z.string().uuid() });
/** A China date; whether the day exists is checked by the service (400 *_invalid). */
export const dateIn = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');
/**
 * True when `s` has a lone UTF-16 surrogate, a control character (C0 other than tab, line feed and
 * carriage return; C1), or an invisible formatting character: bidi marks, overrides and isolates,
 * line/paragraph separators, zero-width space and no-break space (BOM), word joiners, interlinear
 * annotation and tag characters: text that would read differently on paper, on screen and in a
 * log. ZWJ/ZWNJ (U+200C/D) stay allowed (needed by some scripts and emoji sequences).
 */
export function hasBadCharacter(s: string): boolean {
  return /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]|[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200b\u200e\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb]|\udb40[\udc00-\udc7f]/.test(s);
}
/**
 * Free text of at most `max` UTF-16 units (the services count characters), refused (400
 * invalid_input naming the field) when it holds a lone surrogate or a control character: a lone
 * surrogate cannot be stored in the jsonb of the audit log and events (it failed there as a 500).
 */
export const textIn = (max: number) => z.string().max(max).refine((s) => !hasBadCharacter(s), 'invalid characters');
const text = textIn;
const statusEnum = z.enum(['suspected', 'confirmed', 'discharged', 'excluded', 'deceased']);
const classification = z.enum(['imported', 'local']);

const summaryOut = z.object({
  id: z.string(), number: z.string(), maskedName: z.string(), status: z.string(), hospitalised: z.boolean(),
  classification: z.string(), sourceArea: z.string().nullable(), infectorCaseId: z.string().nullable(),
  infectorNumber: z.string().nullable(), cluster: z.string().nullable(), onsetOn: z.string().nullable(),
  confirmedOn: z.string().nullable(), communityCode: z.string(), communityName: z.string().nullable(),
});
const caseOut = summaryOut.extend({
  personId: z.string(), hospital: z.string(), isolatedOn: z.string().nullable(), note: z.string(), createdAt: z.string(),
});
const detailOut = z.object({
  case: caseOut,
  person: z.object({
    id: z.string(), name: z.string(), maskedName: z.string(), docMasked: z.string(),
    homeCommunityCode: z.string().nullable(), homeCommunityName: z.string().nullable(),
  }),
  events: z.array(z.object({
    status: z.string(), hospitalised: z.boolean(), hospital: z.string(), effectiveOn: z.string(), reason: z.string(),
    actorRole: z.string(), recordedAt: z.string(),
  })),
  infector: z.union([summaryOut, z.object({ id: z.string(), number: z.string() })]).nullable(),
  infected: z.array(summaryOut),
  contactCounts: z.object({ total: z.number(), observing: z.number(), released: z.number() }),
});
const graphOut = z.object({
  nodes: z.array(z.object({
    id: z.string(), number: z.string(), status: z.string().nullable(), classification: z.string().nullable(),
    sourceArea: z.string().nullable(), cluster: z.string().nullable(), maskedName: z.string().nullable(),
    contacts: z.number(), outside: z.boolean(),
  })),
  edges: z.array(z.object({ from: z.string(), to: z.string() })),
});
const areaQuery = { areaCode: z.string().regex(/^\d{2,12}$/).optional() };

/** Registers the case routes above (401/403 from staffGuard, 404 out of scope, 409 by state). */
export function registerCaseRoutes(app: ZApp, ctx: AppContext) {
  const read = staffGuard(ctx, 'cases.read');
  const manage = staffGuard(ctx, 'cases.manage');
  const full = (id: string) => caseView(ctx.db, id);

  app.post('/api/cases', {
    preHandler: manage,
    schema: {
      tags: ['cases'], summary: 'Register a suspected or confirmed case of a person of the area, given by id or by identity document (audited; sets the person status to case)',
      body: z.object({
        personId: z.string().uuid().nullish(),
        document: z.object({ docType: text(40), docNumber: text(40) }).nullish(),
        status: z.enum(['suspected', 'confirmed']), effectiveOn: dateIn,
        onsetOn: dateIn.nullish(), isolatedOn: dateIn.nullish(), hospital: text(300).nullish(), hospitalised: z.boolean(),
        classification, sourceArea: text(200).nullish(), infectorCaseId: z.string().uuid().nullish(),
        cluster: text(200).nullish(), note: text(1100).nullish(), reason: text(1100),
      }),
      response: { 201: z.object({ case: caseOut }), ...errors },
    },
  }, async (req, reply) => {
    const { id } = await registerCase(ctx, req.staff!, req.body);
    return reply.status(201).send({ case: await full(id) });
  });

  app.get('/api/cases', {
    preHandler: read,
    schema: {
      tags: ['cases'], summary: 'Cases of an area, by status and case number or name part (masked names; audited)',
      querystring: z.object({ ...areaQuery, status: statusEnum.optional(), q: text(100).optional() }),
      response: { 200: z.object({ cases: z.array(summaryOut) }), ...errors },
    },
  }, async (req) => ({ cases: await listCases(ctx, req.staff!, req.query) }));

  app.get('/api/cases/graph', {
    preHandler: read,
    schema: {
      tags: ['cases'], summary: 'Transmission chains of an area: cases as nodes, infector → case edges (audited)',
      querystring: z.object(areaQuery),
      response: { 200: graphOut, ...errors },
    },
  }, async (req) => caseGraph(ctx, req.staff!, req.query.areaCode));

  app.get('/api/cases/:id', {
    preHandler: read,
    schema: {
      tags: ['cases'], summary: 'A case with its person, history, infector, infected cases and contact counts (audited)',
      params: idParams,
      response: { 200: detailOut, ...errors },
    },
  }, async (req) => caseDetail(ctx, req.staff!, req.params.id));

  app.post('/api/cases/:id/status', {
    preHandler: manage,
    schema: {
      tags: ['cases'], summary: 'Change a case status (suspected → confirmed | excluded; confirmed → discharged | deceased | excluded) or its hospitalisation (audited)',
      params: idParams,
      body: z.object({
        status: statusEnum, effectiveOn: dateIn, reason: text(1100), hospitalised: z.boolean().optional(), hospital: text(300).nullish(),
      }),
      response: { 200: z.object({ case: caseOut }), ...errors },
    },
  }, async (req) => {
    await changeCaseStatus(ctx, req.staff!, req.params.id, req.body);
    return { case: await full(req.params.id) };
  });

  app.patch('/api/cases/:id', {
    preHandler: manage,
    schema: {
      tags: ['cases'], summary: "Correct a case's facts: onset, isolation, classification, source area, infector, cluster, note (audited with before/after)",
      params: idParams,
      body: z.object({
        onsetOn: dateIn.nullish(), isolatedOn: dateIn.nullish(), classification: classification.optional(),
        sourceArea: text(200).nullish(), infectorCaseId: z.string().uuid().nullish(), cluster: text(200).nullish(),
        note: text(1100).nullish(), reason: text(1100),
      }),
      response: { 200: z.object({ case: caseOut }), ...errors },
    },
  }, async (req) => {
    await correctCase(ctx, req.staff!, req.params.id, req.body);
    return { case: await full(req.params.id) };
  });
}
