/**
 * Public key set and revocation list of the signed tokens (issue 3 §1). Both are public: they let
 * anyone verify a code and hold no personal data (revocations are opaque token ids).
 */
import { z } from 'zod';
import type { ZApp } from '../../app';
import type { AppContext } from '../../context';
import { JOBS } from '../system/jobs';
import { publicJwks, revocationList, rotateKeys } from './service';

let registered = false;

export function registerTokenRoutes(app: ZApp, ctx: AppContext) {
  if (!registered) {
    registered = true;
    JOBS.push({ name: 'tokens.rotate', run: (c, now) => rotateKeys(c, now).then(() => undefined) });
  }
  const jwk = z.object({ kty: z.string(), crv: z.string(), x: z.string(), y: z.string(), kid: z.string(), alg: z.string(), use: z.string() });

  app.get('/.well-known/jwks.json', {
    schema: {
      tags: ['tokens'], summary: 'Public keys of every signed token (pass codes, cards, checkpoint codes)',
      response: { 200: z.object({ keys: z.array(jwk) }) },
    },
  }, async (_req, reply) => {
    reply.header('cache-control', 'public, max-age=300');
    const set = await publicJwks(ctx);
    return { keys: set.keys.map((k) => ({ kty: k.kty!, crv: k.crv!, x: k.x!, y: k.y!, kid: k.kid!, alg: k.alg!, use: k.use! })) };
  });

  app.get('/api/tokens/revocations', {
    schema: {
      tags: ['tokens'], summary: 'Revoked tokens not yet expired, for offline scanners',
      response: { 200: z.object({ serverTime: z.string(), revocations: z.array(z.object({ jti: z.string(), type: z.string(), revokedAt: z.string() })) }) },
    },
  }, async () => ({ serverTime: new Date().toISOString(), revocations: await revocationList(ctx) }));
}
