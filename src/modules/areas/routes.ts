/**
 * The area tree over HTTP (SPEC "Area tree", issue 2 §3). Staff (any signed-in account) see the
 * nodes of their subtree and the path above it; the public form lists division names only.
 */
import { z } from 'zod';
import type { ZApp } from '../../app';
import type { AppContext } from '../../context';
import { staffGuard } from '../staff/auth';
import { AREA_SEARCH_MAX, areaChildren, areaWithAncestors, publicChildren, searchAreas } from './service';

/** A division code: 2, 4, 6, 9 or 12 digits. */
const code = z.string().regex(/^(\d{2}|\d{4}|\d{6}|\d{9}|\d{12})$/);
const node = z.object({ code: z.string(), name: z.string(), level: z.number(), parentCode: z.string().nullable() });
const tags = ['areas'];

/** Seconds the public division lists may be cached (names change only on a divisions import). */
export const PUBLIC_AREAS_MAX_AGE_S = 3600;

export function registerAreaRoutes(app: ZApp, ctx: AppContext) {
  const signedIn = staffGuard(ctx);

  app.get('/api/areas/search', {
    preHandler: signedIn,
    schema: {
      tags, summary: 'Find areas of my subtree by name',
      querystring: z.object({ q: z.string().trim().min(1).max(40), limit: z.coerce.number().int().min(1).max(AREA_SEARCH_MAX).default(20) }),
      response: { 200: z.object({ items: z.array(node.extend({ path: z.string() })) }) },
    },
  }, async (req) => ({ items: await searchAreas(ctx, req.staff!.areaCode, req.query.q, req.query.limit) }));

  app.get('/api/areas/:code', {
    preHandler: signedIn,
    schema: {
      tags, summary: 'An area node with its breadcrumb (in or above my node)',
      params: z.object({ code }),
      response: { 200: z.object({ node: node.extend({ inScope: z.boolean() }), ancestors: z.array(node) }) },
    },
  }, async (req) => areaWithAncestors(ctx, req.staff!.areaCode, req.params.code));

  app.get('/api/areas/:code/children', {
    preHandler: signedIn,
    schema: {
      tags, summary: 'Children of an area node: all inside my subtree, only the path above it',
      params: z.object({ code }),
      response: { 200: z.object({ items: z.array(node.extend({ hasChildren: z.boolean(), inScope: z.boolean() })) }) },
    },
  }, async (req) => ({ items: await areaChildren(ctx, req.staff!.areaCode, req.params.code) }));

  app.get('/api/r/areas/:code/children', {
    schema: {
      tags: ['resident'], summary: 'Public: districts, streets or communities under a division (registration form)',
      params: z.object({ code }),
      response: { 200: z.array(z.object({ code: z.string(), name: z.string() })) },
    },
  }, async (req, reply) => {
    reply.header('cache-control', `public, max-age=${PUBLIC_AREAS_MAX_AGE_S}`);
    return publicChildren(ctx, req.params.code);
  });
}
