/**
 * Certificate routes (SPEC S6, issue 6 §3): revocation, verification and the printable PDF.
 *   POST /api/certificates/:id/revoke {reason}   chief doctor, district/city command ('certificates.revoke'), scoped, audited
 *   POST /api/certificates/verify {token}        public: what a phone camera's /v page or an employer asks (audited)
 *   GET  /api/certificates/:id/pdf               staff with declarations.read, scoped, audited
 *   GET  /api/r/certificates/:id/pdf             the resident, for a person on this phone (device cookie)
 * Issuing is the chief doctor's `sign` step (./routes.ts, ./issue.ts).
 */
import { z } from 'zod';
import { errorResponses } from '../../lib/http-schemas';
import type { ZApp } from '../../app';
import type { AppContext } from '../../context';
import { deviceFromRequest } from '../persons/devices';
import { staffGuard } from '../staff/auth';
import { textIn } from '../cases/routes';
import { PDF_DESCRIPTION, sendPdf } from '../../lib/pdf-reply';
import { certificatePdfForResident, certificatePdfForStaff, verifyCertificate } from './certificate-service';
import { revokeCertificate, type CertificateView } from './issue';

const errors = errorResponses;

/** JSON shape of a certificate (CertificateView). */
export const certificateOut = z.object({
  id: z.string(), declarationId: z.string(), personId: z.string(), maskedName: z.string(), name: z.string(), docMasked: z.string(),
  docTypeLabel: z.string(), orgName: z.string(), doctorName: z.string().nullable(), chiefDoctorName: z.string().nullable(),
  issuedAtChina: z.string(), notAfterChina: z.string(), state: z.enum(['valid', 'expired', 'revoked']),
  revokedAtChina: z.string().nullable(), revokeReason: z.string().nullable(), missingGlyphs: z.array(z.string()), token: z.string(),
}) satisfies z.ZodType<CertificateView>;

const verifiedOut = z.object({
  name: z.string(), docMasked: z.string(), docTypeLabel: z.string(), orgName: z.string(), issuedAtChina: z.string(),
  notAfterChina: z.string(), state: z.literal('valid'),
});

/** Registers the routes above. */
export function registerCertificateDocumentRoutes(app: ZApp, ctx: AppContext) {
  const revoke = staffGuard(ctx, 'certificates.revoke');
  const read = staffGuard(ctx, 'declarations.read');
  const pdfReply = (reply: import('fastify').FastifyReply, r: { pdf: Buffer; filename: string; missing: string[] }) => sendPdf(reply, r.pdf, r.filename, r.missing);

  app.post('/api/certificates/:id/revoke', {
    preHandler: revoke,
    schema: {
      tags: ['certificates'], summary: 'Revoke an issued certificate (a false declaration): refused at once here, offline scanners at their next sync (audited)',
      params: z.object({ id: z.string().uuid() }), body: z.object({ reason: textIn(300) }),
      response: { 200: z.object({ certificate: certificateOut }), ...errors },
    },
  }, async (req) => ({ certificate: await revokeCertificate(ctx, req.staff!, req.params.id, req.body.reason) }));

  app.post('/api/certificates/verify', {
    schema: {
      tags: ['certificates'], summary: 'Verify a certificate token (public; the /v page). Refused: 400 token_expired, token_revoked, token_bad_signature, token_unknown_key, …',
      body: z.object({ token: z.string().max(8192) }), // a whole QR text, maybe percent-encoded; the token itself ≤ 4096
      response: { 200: z.object({ certificate: verifiedOut }), ...errors },
    },
  }, async (req) => ({ certificate: await verifyCertificate(ctx, req.body.token) }));

  app.get('/api/certificates/:id/pdf', {
    preHandler: read,
    schema: {
      tags: ['certificates'], summary: 'The printable A5 certificate (audited)',
      description: PDF_DESCRIPTION,
      params: z.object({ id: z.string().uuid() }),
    },
  }, async (req, reply) => pdfReply(reply, await certificatePdfForStaff(ctx, req.staff!, req.params.id)));

  app.get('/api/r/certificates/:id/pdf', {
    schema: {
      tags: ['resident'], summary: 'The printable A5 certificate of a person on this phone (device cookie)',
      description: PDF_DESCRIPTION,
      params: z.object({ id: z.string().uuid() }),
    },
  }, async (req, reply) => pdfReply(reply, await certificatePdfForResident(ctx, await deviceFromRequest(ctx, req), req.params.id)));
}
