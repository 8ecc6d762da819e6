/**
 * Health declaration routes (SPEC S6, issue 6 §1–§2), scoped and audited by ./declarations.ts.
 *   POST /api/r/declarations                    the resident declares for a person on the phone (device cookie) → 201
 *   GET  /api/r/declarations                    the phone's declarations: where each stands (progress)
 *   POST /api/r/declarations/:id/resubmit       the resident resubmits a returned declaration with corrected answers
 *   POST /api/declarations                      center staff enter a declaration for a person (declarations.enter) → 201
 *   GET  /api/declarations                      ?areaCode&state (declarations.read, audited)
 *   GET  /api/declarations/:id                  answers and steps (declarations.read, audited)
 *   POST /api/declarations/:id/steps            {action, reason?, assessment?} (declarations.step; workflow.ts decides the role)
 * Ineligible: 400 `cert_ineligible_<code>`, details.possibleFrom. `sign` issues the certificate (./issue.ts);
 * revocation, verification and the PDF are in ./certificate-routes.ts.
 */
import { z } from 'zod';
import { errorResponses } from '../../lib/http-schemas';
import type { ZApp } from '../../app';
import type { AppContext } from '../../context';
import { deviceFromRequest } from '../persons/devices';
import { staffGuard } from '../staff/auth';
import { dateIn, textIn } from '../cases/routes';
import { certificateOut } from './certificate-routes';
import { JOBS } from '../system/jobs';
import { DECLARATION_RETENTION_JOB } from './retention';
import { declarationDetail, enterDeclaration, listDeclarations, residentDeclarations, resubmitOnline, staffStep, submitOnline,
  type DeclarationView, type ResidentDeclaration } from './declarations';

const errors = errorResponses;
const idParams = z.object({ id: z.string().uuid() });
const STATES = ['submitted', 'returned', 'residence_verified', 'assessed', 'refused', 'signed', 'issued', 'revoked'] as const;
const ACTIONS = ['submit', 'resubmit', 'verify_residence', 'return', 'assess', 'sign', 'issue', 'refuse', 'revoke'] as const;
const bilingual = z.object({ zh: z.string(), en: z.string() });

const answersIn = {
  residence: z.array(z.object({ on: dateIn, place: textIn(100).refine((s) => s.trim().length > 0, 'required') })).min(1).max(14),
  travel: textIn(500).default(''),
  contactWithCases: z.boolean(),
  contactWithAreas: z.boolean(),
  contactNote: textIn(300).default(''),
  symptoms: z.array(textIn(40)).max(20).default([]),
  destination: textIn(60).refine((s) => s.trim().length > 0, 'required'),
  purpose: textIn(100).refine((s) => s.trim().length > 0, 'required'),
  acknowledged: z.boolean(),
};
const declarationOut = z.object({
  id: z.string(), personId: z.string(), maskedName: z.string(), communityCode: z.string(), state: z.enum(STATES), stateLabel: bilingual,
  submittedVia: z.enum(['self', 'staff']), returnReason: z.string().nullable(), createdAtChina: z.string(), updatedAtChina: z.string(),
}) satisfies z.ZodType<DeclarationView>;
const progressOut = z.array(z.object({ step: bilingual, state: z.enum(['done', 'current', 'pending', 'failed']) }));
const residentOut = declarationOut.extend({
  progress: progressOut, actions: z.array(z.enum(ACTIONS)), certificate: certificateOut.nullable(), answers: z.record(z.string(), z.unknown()),
}) satisfies z.ZodType<ResidentDeclaration>;
const stepOut = z.object({
  action: z.enum(ACTIONS), fromState: z.enum(STATES).nullable(), toState: z.enum(STATES), actorKind: z.enum(['staff', 'resident', 'system']),
  actorRole: z.string(), actorName: z.string().nullable(), atChina: z.string(), reason: z.string().nullable(),
  assessment: z.record(z.string(), z.unknown()).nullable(),
});
const detailOut = z.object({
  declaration: declarationOut.extend({ answers: z.record(z.string(), z.unknown()), acknowledgedAtChina: z.string(), eligibility: z.record(z.string(), z.unknown()) }),
  steps: z.array(stepOut), actions: z.array(z.enum(ACTIONS)), certificate: certificateOut.nullable(),
});
const assessmentIn = z.object({
  temperatureC: z.number(), cough: z.boolean(), chestTightness: z.boolean(), otherSymptoms: textIn(200).default(''), conclusion: z.enum(['fit', 'unfit']),
});

/** Registers the routes above. */
export function registerCertificateRoutes(app: ZApp, ctx: AppContext) {
  if (!JOBS.includes(DECLARATION_RETENTION_JOB)) JOBS.push(DECLARATION_RETENTION_JOB);
  const read = staffGuard(ctx, 'declarations.read');
  const enter = staffGuard(ctx, 'declarations.enter');
  const step = staffGuard(ctx, 'declarations.step');

  app.post('/api/r/declarations', {
    schema: {
      tags: ['resident'], summary: 'The resident\'s health declaration for a person on this phone (device cookie); ineligible → 400 cert_ineligible_<code> with details.possibleFrom',
      body: z.object({ personId: z.string().uuid(), ...answersIn }),
      response: { 201: z.object({ declaration: declarationOut }), ...errors },
    },
  }, async (req, reply) => {
    const { personId, ...answers } = req.body;
    return reply.status(201).send({ declaration: await submitOnline(ctx, await deviceFromRequest(ctx, req), personId, answers) });
  });

  app.get('/api/r/declarations', {
    schema: {
      tags: ['resident'], summary: 'The declarations of the persons on this phone and where each stands',
      response: { 200: z.object({ declarations: z.array(residentOut) }), ...errors },
    },
  }, async (req) => ({ declarations: await residentDeclarations(ctx, await deviceFromRequest(ctx, req)) }));

  app.post('/api/r/declarations/:id/resubmit', {
    schema: {
      tags: ['resident'], summary: 'The resident resubmits a returned declaration with corrected answers (device cookie)',
      params: idParams, body: z.object(answersIn), response: { 200: z.object({ declaration: residentOut }), ...errors },
    },
  }, async (req) => ({ declaration: await resubmitOnline(ctx, await deviceFromRequest(ctx, req), req.params.id, req.body) }));

  app.post('/api/declarations', {
    preHandler: enter,
    schema: {
      tags: ['certificates'], summary: 'Center staff enter a health declaration for a person who cannot apply online (audited)',
      body: z.object({ personId: z.string().uuid(), ...answersIn }),
      response: { 201: z.object({ declaration: declarationOut }), ...errors },
    },
  }, async (req, reply) => {
    const { personId, ...answers } = req.body;
    return reply.status(201).send({ declaration: await enterDeclaration(ctx, req.staff!, personId, answers) });
  });

  app.get('/api/declarations', {
    preHandler: read,
    schema: {
      tags: ['certificates'], summary: 'Health declarations of an area, newest first (audited)',
      querystring: z.object({ areaCode: z.string().regex(/^\d{2,12}$/).optional(), state: z.enum(STATES).optional() }),
      response: { 200: z.object({ declarations: z.array(declarationOut) }), ...errors },
    },
  }, async (req) => ({ declarations: await listDeclarations(ctx, req.staff!, req.query) }));

  app.get('/api/declarations/:id', {
    preHandler: read,
    schema: {
      tags: ['certificates'], summary: 'One health declaration: answers, steps (who, when), the caller\'s possible actions (audited)',
      params: idParams, response: { 200: detailOut, ...errors },
    },
  }, async (req) => declarationDetail(ctx, req.staff!, req.params.id));

  app.post('/api/declarations/:id/steps', {
    preHandler: step,
    schema: {
      tags: ['certificates'], summary: 'A workflow step: verify_residence / return {reason} (info officer), assess {assessment} (community doctor), sign (chief doctor; issues the certificate), issue (chief doctor, a declaration left signed), refuse {reason} (chief doctor: 不予出具), resubmit {answers?} (center staff, for a declaration they entered); audited',
      params: idParams,
      body: z.object({
        action: z.enum(['resubmit', 'verify_residence', 'return', 'assess', 'sign', 'issue', 'refuse']), reason: textIn(300).nullish(), assessment: assessmentIn.nullish(),
        answers: z.object(answersIn).nullish(),
      }),
      response: { 200: detailOut, ...errors },
    },
  }, async (req) => staffStep(ctx, req.staff!, req.params.id, req.body));
}
