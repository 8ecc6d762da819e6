/**
 * Tracing routes (issue 4 §3), permission 'tracing.run' (district and city command offices),
 * scoped to the trace's case and audited by ./runs.ts and ./to-contacts.ts:
 *   POST /api/cases/:id/traces        trace a case's person {reason, from?, to?, marginMin?} → 201 {trace}
 *   POST /api/contacts/:id/traces     trace a contact (contacts of contacts), same body
 *   GET  /api/cases/:id/traces        a case's traces, newest first (no results)
 *   GET  /api/traces/:id              one stored trace with its result (masked names)
 *   GET  /api/traces/:id/export       its candidates as CSV (UTF-8 BOM, formula-safe)
 *   POST /api/traces/:id/contacts     turn candidates into close (or secondary) contacts
 */
import { z } from 'zod';
import { errorResponses } from '../../lib/http-schemas';
import type { ZApp } from '../../app';
import type { AppContext } from '../../context';
import { textIn } from '../cases/routes';
import { staffGuard } from '../staff/auth';
import { exportTrace, getTrace, listTraces, REASON_MAX, runTrace, type TraceSummary, type TraceView } from './runs';
import { CONTACTS_MAX, traceToContacts } from './to-contacts';

const errors = errorResponses;
const idParams = z.object({ id: z.string().uuid() });

const traceBody = z.object({
  reason: textIn(REASON_MAX * 2 + 64),
  from: z.string().max(64).optional().describe('window start, ISO 8601 with offset (default: the rule in docs/processes/tracing.md)'),
  to: z.string().max(64).optional().describe('window end, ISO 8601 with offset'),
  marginMin: z.number().int().min(0).max(1440).optional().describe('minutes after each visit still counted (default TRACE_MARGIN_MIN)'),
});

const countsOut = z.object({ visits: z.number(), checkins: z.number(), candidates: z.number(), listed: z.number(), truncated: z.boolean() });
const summaryOut = z.object({
  id: z.string(), caseId: z.string(), caseNumber: z.string(),
  subject: z.object({ personId: z.string(), maskedName: z.string(), contactId: z.string().nullable() }),
  from: z.string(), to: z.string(), marginMin: z.number(), reason: z.string(), counts: countsOut, createdAt: z.string(), createdBy: z.string(),
});
const candidateOut = z.object({
  rank: z.number(), personId: z.string(), maskedName: z.string(), homeCommunityCode: z.string().nullable(), overlapMinutes: z.number(),
  sharedVisits: z.number(), firstOverlapAt: z.string(), lastOverlapAt: z.string(), lastExposureOn: z.string(), places: z.array(z.string()),
  alreadyContact: z.boolean(),
});
const resultOut = z.object({
  parameters: z.object({ personId: z.string(), from: z.string(), to: z.string(), marginMin: z.number(), limit: z.number(), stayMaxHours: z.number(), computedAt: z.string() }),
  visits: z.array(z.object({
    stayId: z.string(), placeId: z.string(), placeName: z.string(), communityCode: z.string(), enteredAt: z.string(),
    closedAt: z.string().nullable(), closedBy: z.string().nullable(), overlaps: z.number(),
  })),
  checkins: z.array(z.object({
    at: z.string(), placeId: z.string(), placeName: z.string(), checkpointName: z.string(), direction: z.enum(['in', 'out']),
    outcome: z.enum(['pass', 'refused']), refusal: z.string().nullable(), temperature: z.number().nullable(),
  })),
  candidates: z.array(candidateOut),
  totals: countsOut,
  /** When the retention purge emptied the lists (the check-ins they copied are deleted). */
  purgedAt: z.string().optional(),
});
const traceOut = summaryOut.extend({ result: resultOut });
const tracedContactOut = z.object({
  contactId: z.string(), personId: z.string(), maskedName: z.string(), kind: z.enum(['close', 'secondary']), lastExposureOn: z.string(), endOn: z.string(),
});

const view = (t: TraceView) => t;
const summary = (t: TraceSummary) => t;

/** Registers the six tracing routes above (errors: 401/403 from staffGuard, 404 out of scope, 400 bad input). */
export function registerTracingRoutes(app: ZApp, ctx: AppContext) {
  const guard = staffGuard(ctx, 'tracing.run');

  app.post('/api/cases/:id/traces', {
    preHandler: guard,
    schema: {
      tags: ['tracing'], summary: "Trace a case's visits in the look-back window and everyone who overlapped (stored, holds the data, audited)",
      params: idParams, body: traceBody, response: { 201: z.object({ trace: traceOut }), ...errors },
    },
  }, async (req, reply) => reply.status(201).send({ trace: view(await runTrace(ctx, req.staff!, { caseId: req.params.id }, req.body)) }));

  app.post('/api/contacts/:id/traces', {
    preHandler: guard,
    schema: {
      tags: ['tracing'], summary: "Trace a contact's visits (contacts of contacts); the contact's case is the trace's case (audited)",
      params: idParams, body: traceBody, response: { 201: z.object({ trace: traceOut }), ...errors },
    },
  }, async (req, reply) => reply.status(201).send({ trace: view(await runTrace(ctx, req.staff!, { contactId: req.params.id }, req.body)) }));

  app.get('/api/cases/:id/traces', {
    preHandler: guard,
    schema: {
      tags: ['tracing'], summary: "A case's traces, newest first, without their results (audited)",
      params: idParams, response: { 200: z.object({ traces: z.array(summaryOut) }), ...errors },
    },
  }, async (req) => ({ traces: (await listTraces(ctx, req.staff!, req.params.id)).map(summary) }));

  app.get('/api/traces/:id', {
    preHandler: guard,
    schema: {
      tags: ['tracing'], summary: 'A stored trace: visits, check-ins, ranked candidates with masked names (audited)',
      params: idParams, response: { 200: z.object({ trace: traceOut }), ...errors },
    },
  }, async (req) => ({ trace: view(await getTrace(ctx, req.staff!, req.params.id)) }));

  app.get('/api/traces/:id/export', {
    preHandler: guard,
    schema: {
      tags: ['tracing'], summary: "A trace's candidates as CSV in rank order (UTF-8 with BOM, formula-safe, audited)",
      description: 'text/csv attachment: a header line, then one line per candidate.',
      params: idParams,
    },
  }, async (req, reply) => {
    const r = await exportTrace(ctx, req.staff!, req.params.id);
    return reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${r.filename}"`)
      .header('cache-control', 'no-store').send(r.csv);
  });

  app.post('/api/traces/:id/contacts', {
    preHandler: guard,
    schema: {
      tags: ['tracing'], summary: "Turn a trace's candidates into close contacts (secondary when the subject is a contact), exposure date from the trace (audited)",
      params: idParams,
      body: z.object({ personIds: z.array(z.string().uuid()).min(1).max(CONTACTS_MAX), note: textIn(1000).optional() }),
      response: { 200: z.object({ created: z.array(tracedContactOut), existing: z.array(tracedContactOut) }), ...errors },
    },
  }, async (req) => traceToContacts(ctx, req.staff!, req.params.id, req.body.personIds, req.body.note));
}
