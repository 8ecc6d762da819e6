/**
 * Personal card routes (issue 3 §6), permission 'cards.issue' (guard and community roles), scoped
 * and audited by ./service.ts:
 *   POST /api/persons/:id/cards           issue a card (revokes the one in force) → {card, pdfUrl}
 *   GET  /api/persons/:id/cards           the person's cards, newest first
 *   GET  /api/cards/:id/pdf               the wallet-size PDF of a card in force
 *   POST /api/cards/:id/revoke {reason}   revoke (lost, stolen, moved away)
 */
import { z } from 'zod';
import { errorOut } from '../../lib/http-schemas';
import type { ZApp } from '../../app';
import type { AppContext } from '../../context';
import { staffGuard } from '../staff/auth';
import { LOOKUPS_PER_MIN, perStaffAccount } from '../persons/limits';
import { PDF_DESCRIPTION, sendPdf } from '../../lib/pdf-reply';
import { cardNumber } from './pdf';
import { cardPdf, issueCard, listCards, revokeCard, REVOKE_REASON_MAX, type CardView } from './service';

const errors = { 400: errorOut, 401: errorOut, 403: errorOut, 404: errorOut, 409: errorOut, 410: errorOut, 429: errorOut };
const idParams = z.object({ id: z.string().uuid() });

const cardOut = z.object({
  id: z.string(), number: z.string(), personId: z.string(), issuedAt: z.string(), expiresAt: z.string(),
  validUntil: z.string(), state: z.enum(['active', 'revoked', 'expired']), revokedAt: z.string().nullable(),
  revokeReason: z.string().nullable(), issuedBy: z.string(),
});

/** The JSON shape of a card (cardOut): ISO times, the printed card number. */
function cardJson(c: CardView) {
  return {
    id: c.id, number: cardNumber(c.id), personId: c.personId, issuedAt: c.issuedAt.toISOString(), expiresAt: c.expiresAt.toISOString(),
    validUntil: c.validUntil, state: c.state, revokedAt: c.revokedAt?.toISOString() ?? null, revokeReason: c.revokeReason, issuedBy: c.issuedBy,
  };
}

/** Where the PDF of card `id` is downloaded. */
export const cardPdfUrl = (id: string) => `/api/cards/${id}/pdf`;

/** Registers the four card routes above (errors: 401/403 from staffGuard, 404 out of reach, 409/410 by state). */
export function registerCardRoutes(app: ZApp, ctx: AppContext) {
  const guard = staffGuard(ctx, 'cards.issue');

  app.post('/api/persons/:id/cards', {
    preHandler: guard,
    config: { rateLimit: perStaffAccount(LOOKUPS_PER_MIN) },
    schema: {
      tags: ['cards'], summary: 'Issue a personal card for a person without a phone (the card in force is revoked; audited)',
      params: idParams,
      response: { 201: z.object({ card: cardOut, pdfUrl: z.string() }), ...errors },
    },
  }, async (req, reply) => {
    const card = await issueCard(ctx, req.staff!, req.params.id);
    return reply.status(201).send({ card: cardJson(card), pdfUrl: cardPdfUrl(card.id) });
  });

  app.get('/api/persons/:id/cards', {
    preHandler: guard,
    schema: {
      tags: ['cards'], summary: "A person's cards, newest first, with their state (audited)",
      params: idParams,
      response: { 200: z.object({ cards: z.array(cardOut) }), ...errors },
    },
  }, async (req) => ({ cards: (await listCards(ctx, req.staff!, req.params.id)).map(cardJson) }));

  app.get('/api/cards/:id/pdf', {
    preHandler: guard,
    schema: {
      tags: ['cards'], summary: 'Wallet-size PDF of a card in force: name, masked ID, QR of the card code (audited)',
      description: PDF_DESCRIPTION,
      params: idParams,
    },
  }, async (req, reply) => {
    const r = await cardPdf(ctx, req.staff!, req.params.id);
    return sendPdf(reply, r.pdf, r.filename, r.missing);
  });

  app.post('/api/cards/:id/revoke', {
    preHandler: guard,
    schema: {
      tags: ['cards'], summary: 'Revoke a card (lost, stolen); offline scanners learn it at their next sync (audited)',
      params: idParams,
      body: z.object({ reason: z.string().max(REVOKE_REASON_MAX * 2 + 64) }),
      response: { 200: z.object({ card: cardOut }), ...errors },
    },
  }, async (req) => ({ card: cardJson(await revokeCard(ctx, req.staff!, req.params.id, req.body.reason)) }));
}
