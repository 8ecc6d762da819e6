/**
 * Staff routes of persons (issue 2 §6, §10; issue 3 §6):
 *   POST /api/persons/lookup  {docType, docNumber}  find by document (guard/community roles, 30/min, audited)
 *   POST /api/persons         {name, docType, …}    register a person without a phone from the ID card
 *   GET  /api/persons/:id                           a person's record (scoped, audited)
 *   POST /api/persons/rebind  {code}                bind a resident's phone after checking the ID card
 * Document numbers travel in bodies only, never in a URL.
 */
import { z } from 'zod';
import type { ZApp } from '../../app';
import type { AppContext } from '../../context';
import { requestLang } from '../../lib/http-errors';
import { staffGuard } from '../staff/auth';
import { personBody } from './input';
import { LOOKUPS_PER_MIN, REBINDS_PER_MIN, perStaffAccount, sharedPerStaffAccount } from './limits';
import { redeemRebindCode } from './rebind';
import { errorOut, statusOut } from './schemas';
import { lookupByDocument, personRecord, registerByStaff } from './service';

const maskedPerson = z.object({ id: z.string(), maskedName: z.string(), docMasked: z.string(), status: statusOut });
const errors = { 400: errorOut, 401: errorOut, 403: errorOut, 404: errorOut, 409: errorOut, 429: errorOut };

const recordOut = z.object({
  id: z.string(), name: z.string(), maskedName: z.string(), docType: z.string(), docTypeLabel: z.string(),
  docNumber: z.string(), docMasked: z.string(), fullIdentity: z.boolean(), birthDate: z.string().nullable(),
  sex: z.string().nullable(), phone: z.string().nullable(), homeCommunityCode: z.string().nullable(),
  homeCommunityName: z.string().nullable(), address: z.string(), registeredVia: z.string(), createdAt: z.date(),
  status: statusOut,
  statusHistory: z.array(z.object({
    status: z.string(), label: z.string(), previous: z.string().nullable(), reason: z.string(), role: z.string(),
    roleLabel: z.string(), at: z.date(),
  })),
});

export function registerStaffPersonRoutes(app: ZApp, ctx: AppContext) {
  // a look-up and a registration of a known document answer the same: one budget for both (T5)
  const lookups = sharedPerStaffAccount(LOOKUPS_PER_MIN);
  app.post('/api/persons/lookup', {
    preHandler: [staffGuard(ctx, 'persons.lookup_by_document'), lookups],
    schema: {
      tags: ['persons'], summary: 'Find a person by document (masked answer; rate-limited and audited)',
      body: z.object({ docType: z.string().max(40), docNumber: z.string().max(60) }),
      response: { 200: z.object({ person: maskedPerson }), ...errors },
    },
  }, async (req) => ({
    person: await lookupByDocument(ctx, req.staff!, req.body.docType, req.body.docNumber, requestLang(req)),
  }));

  app.post('/api/persons', {
    preHandler: [staffGuard(ctx, 'persons.register'), lookups],
    schema: {
      tags: ['persons'], summary: 'Register a person without a phone from the ID card (existing document → that person)',
      body: personBody,
      response: { 200: z.object({ person: maskedPerson.extend({ created: z.boolean() }) }),
        201: z.object({ person: maskedPerson.extend({ created: z.boolean() }) }), ...errors },
    },
  }, async (req, reply) => {
    const person = await registerByStaff(ctx, req.staff!, req.body, requestLang(req));
    return reply.status(person.created ? 201 : 200).send({ person });
  });

  app.post('/api/persons/rebind', {
    preHandler: staffGuard(ctx, 'persons.register'),
    config: { rateLimit: perStaffAccount(REBINDS_PER_MIN) },
    schema: {
      tags: ['persons'], summary: "Bind a resident's phone with their one-time code, after checking the ID card in person",
      body: z.object({ code: z.string().max(20) }),
      response: {
        200: z.object({ person: z.object({ id: z.string(), maskedName: z.string(), docMasked: z.string(), relation: z.enum(['self', 'dependent']) }) }),
        ...errors,
      },
    },
  }, async (req) => ({ person: await redeemRebindCode(ctx, req.staff!, req.body.code) }));

  app.get('/api/persons/:id', {
    preHandler: staffGuard(ctx, 'persons.read'),
    schema: {
      tags: ['persons'], summary: "A person's record (scoped to the account's area; audited)",
      params: z.object({ id: z.string().uuid() }),
      response: { 200: z.object({ person: recordOut }), ...errors },
    },
  }, async (req) => ({ person: await personRecord(ctx, req.staff!, req.params.id, requestLang(req)) }));
}
