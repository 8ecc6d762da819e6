/**
 * Contact routes (issue 4 §2, SPEC S4): contacts under medical observation, scoped and audited by
 * ./service.ts, ./changes.ts and ./queries.ts.
 *   POST /api/contacts                        a contact entered by hand (contacts.manage) → 201 {contact, existing: false},
 *                                             or 200 {contact, existing: true} when already a contact of that source
 *   GET  /api/contacts                        ?areaCode&state&caseId&q (contacts.read) → {contacts}
 *   GET  /api/contacts/:id                    contact, events, schedule (contacts.read)
 *   POST /api/contacts/:id/exposure           correct the last exposure date (contacts.manage)
 *   POST /api/contacts/:id/symptoms           a day with symptoms: extends the end (contacts.manage)
 *   POST /api/contacts/:id/override           a manual end date with a reason (contacts.manage)
 *   POST /api/contacts/:id/override/revert    back to the computed end date (contacts.manage)
 *   POST /api/contacts/:id/release            解除医学观察 (observation.release: doctors)
 */
import { z } from 'zod';
import { errorResponses } from '../../lib/http-schemas';
import type { ZApp } from '../../app';
import type { AppContext } from '../../context';
import { badRequest } from '../../lib/errors';
import { staffGuard } from '../staff/auth';
import { dateIn, textIn } from '../cases/routes';
import { correctExposure, overrideEnd, recordSymptoms, releaseContact, revertOverride } from './changes';
import { contactDetail, listContacts } from './queries';
import { createContacts, type ContactView } from './service';

const errors = errorResponses;
const idParams = z.object({ id: z.string().uuid() });
const reason = textIn(1100);

const contactOut = z.object({
  id: z.string(), personId: z.string(), maskedName: z.string(), kind: z.enum(['close', 'secondary']), caseId: z.string(), caseNumber: z.string(),
  source: z.object({ caseId: z.string().nullable(), contactId: z.string().nullable(), label: z.string() }), traceId: z.string().nullable(),
  lastExposureOn: z.string(), symptomsLastOn: z.string().nullable(), startOn: z.string(), computedEndOn: z.string(), endOn: z.string(),
  releasableFrom: z.string(), overridden: z.boolean(), day: z.number(), of: z.number(), state: z.enum(['observing', 'released']),
  tracedOn: z.string(), releasedOn: z.string().nullable(), releaseReason: z.string().nullable(), communityCode: z.string(),
  communityName: z.string().nullable(), note: z.string(),
}) satisfies z.ZodType<ContactView>;
const one = { 200: z.object({ contact: contactOut }), ...errors };

/** Registers the contact routes above (401/403 from staffGuard, 404 out of scope, 409 by state). */
export function registerContactRoutes(app: ZApp, ctx: AppContext) {
  const read = staffGuard(ctx, 'contacts.read');
  const manage = staffGuard(ctx, 'contacts.manage');
  const release = staffGuard(ctx, 'observation.release');

  app.post('/api/contacts', {
    preHandler: manage,
    schema: {
      tags: ['contacts'], summary: 'Register a close contact of a case (caseId) or a secondary contact of a contact (contactId) by hand (audited)',
      body: z.object({
        personId: z.string().uuid(), caseId: z.string().uuid().optional(), contactId: z.string().uuid().optional(),
        lastExposureOn: dateIn, note: textIn(1100).optional(),
      }),
      response: { 201: z.object({ contact: contactOut, existing: z.boolean() }), ...errors },
    },
  }, async (req, reply) => {
    const b = req.body;
    if (Boolean(b.caseId) === Boolean(b.contactId)) {
      throw badRequest('source_required', '请指定其一：病例（caseId）或密切接触者（contactId）', 'Give exactly one source: a case (caseId) or a contact (contactId)');
    }
    const source = b.caseId ? { caseId: b.caseId } : { contactId: b.contactId! };
    const r = await createContacts(ctx, req.staff!, [{ personId: b.personId, source, lastExposureOn: b.lastExposureOn, note: b.note }]);
    const contact = r.created[0] ?? r.existing[0]!;
    return reply.status(r.created.length ? 201 : 200).send({ contact, existing: r.created.length === 0 });
  });

  app.get('/api/contacts', {
    preHandler: read,
    schema: {
      tags: ['contacts'], summary: 'Contacts under (or released from) medical observation in an area, with day N of M (masked names; audited)',
      querystring: z.object({
        areaCode: z.string().regex(/^\d{2,12}$/).optional(), state: z.enum(['observing', 'released', 'all']).optional(),
        caseId: z.string().uuid().optional(), q: z.string().max(100).optional(),
      }),
      response: { 200: z.object({ contacts: z.array(contactOut) }), ...errors },
    },
  }, async (req) => ({ contacts: await listContacts(ctx, req.staff!, req.query) }));

  app.get('/api/contacts/:id', {
    preHandler: read,
    schema: {
      tags: ['contacts'], summary: 'A contact with its history and observation schedule (audited)',
      params: idParams,
      response: {
        200: z.object({
          contact: contactOut,
          events: z.array(z.object({ kind: z.string(), detail: z.record(z.string(), z.unknown()), reason: z.string(), actorRole: z.string(), at: z.string() })),
          schedule: z.object({ startOn: z.string(), computedEndOn: z.string(), endOn: z.string(), releasableFrom: z.string(), overridden: z.boolean(), days: z.number() }),
        }),
        ...errors,
      },
    },
  }, async (req) => contactDetail(ctx, req.staff!, req.params.id));

  app.post('/api/contacts/:id/exposure', {
    preHandler: manage,
    schema: {
      tags: ['contacts'], summary: 'Correct the last exposure date; the end date is recomputed, an override ending before it dropped (audited)',
      params: idParams, body: z.object({ lastExposureOn: dateIn, reason }), response: one,
    },
  }, async (req) => ({ contact: await correctExposure(ctx, req.staff!, req.params.id, req.body) }));

  app.post('/api/contacts/:id/symptoms', {
    preHandler: manage,
    schema: {
      tags: ['contacts'], summary: 'Record a day with symptoms during observation; the end date is extended (audited)',
      params: idParams, body: z.object({ on: dateIn, reason }), response: one,
    },
  }, async (req) => ({ contact: await recordSymptoms(ctx, req.staff!, req.params.id, req.body) }));

  app.post('/api/contacts/:id/override', {
    preHandler: manage,
    schema: {
      tags: ['contacts'], summary: 'Override the end of observation with a reason (audited; revert returns to the computed date)',
      params: idParams, body: z.object({ endOn: dateIn, reason }), response: one,
    },
  }, async (req) => ({ contact: await overrideEnd(ctx, req.staff!, req.params.id, req.body) }));

  app.post('/api/contacts/:id/override/revert', {
    preHandler: manage,
    schema: {
      tags: ['contacts'], summary: 'Revert an overridden end date to the computed one (audited)',
      params: idParams, body: z.object({ reason }), response: one,
    },
  }, async (req) => ({ contact: await revertOverride(ctx, req.staff!, req.params.id, req.body) }));

  app.post('/api/contacts/:id/release', {
    preHandler: release,
    schema: {
      tags: ['contacts'], summary: '解除医学观察: release signed off by a doctor; before the release date a reason is required (audited)',
      params: idParams, body: z.object({ reason: reason.optional() }), response: one,
    },
  }, async (req) => ({ contact: await releaseContact(ctx, req.staff!, req.params.id, req.body) }));
}
