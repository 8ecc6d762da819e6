/**
 * Staff routes of places and checkpoints (issue 2 §5). Reading needs 'places.manage' or
 * 'checkins.read' (tokens are shown only with 'places.manage'); every change needs 'places.manage'.
 * Records outside the caller's subtree answer 404; an area or community parameter outside it 403.
 * Import and posters are in transfer-routes.ts.
 */
import { z } from 'zod';
import type { ZApp } from '../../app';
import type { AppContext } from '../../context';
import { notFound } from '../../lib/errors';
import { staffGuard, type StaffUser } from '../staff/auth';
import { can } from '../staff/roles';
import { kindLabel, PLACE_KINDS } from './kinds';
import { checkinUrl, tokenPrefix } from './posters';
import { checkpointsOfPlace, countPlaces, listPlaces, placeInScope, type CheckpointRow, type PlaceRow } from './repository';
import {
  areaInScope, createCheckpoint, createPlace, reissueToken, setCheckpointDisabled, setPlaceDisabled, updateCheckpoint, updatePlace,
} from './service';
import { registerPlaceTransferRoutes } from './transfer-routes';

/**
 * Trimmed text of `min`..`max` Unicode code points without control characters. A string far over
 * the limit (UTF-16 units: 2 per code point, plus room for spaces) stops at the first check: the
 * code-point refinements would otherwise spend seconds on a 10 MB field.
 */
export const text = (min: number, max: number) => z.string().max(max * 2 + 64, { abort: true }).trim()
  .refine((s) => [...s].length >= min && [...s].length <= max, { message: `${min}–${max} characters` })
  .refine((s) => !/[\p{Cc}]/u.test(s), { message: 'no control characters' });
const areaCode = z.string().regex(/^\d{2,12}$/);
const kind = z.enum(PLACE_KINDS);
const mode = z.enum(['poster', 'screen']);
const idParams = z.object({ id: z.string().uuid() });

const checkpointOut = z.object({
  id: z.string(), placeId: z.string(), name: z.string(), mode, disabled: z.boolean(), createdAt: z.string(),
  token: z.string().nullable(), tokenPrefix: z.string().nullable(), url: z.string().nullable(), tokenIssuedAt: z.string().nullable(),
});
const placeFields = {
  id: z.string(), name: z.string(), kind: z.string(), kindLabel: z.string(), address: z.string(),
  communityCode: z.string(), communityName: z.string(), streetCode: z.string().nullable(), streetName: z.string().nullable(),
  disabled: z.boolean(), createdAt: z.string(),
};
const placeOut = z.object({ ...placeFields, checkpoints: z.array(checkpointOut) });
const placeListItem = z.object({ ...placeFields, activeCheckpoints: z.number(), totalCheckpoints: z.number() });
const countRow = z.object({ places: z.number(), checkpoints: z.number() });

function placeBase(p: Omit<PlaceRow, 'id'> & { id: string }) {
  return {
    id: p.id, name: p.name, kind: p.kind, kindLabel: kindLabel(p.kind), address: p.address, communityCode: p.community_code,
    communityName: p.community_name, streetCode: p.street_code, streetName: p.street_name,
    disabled: p.disabled_at !== null, createdAt: new Date(p.created_at).toISOString(),
  };
}

/** A checkpoint as staff see it; the token and its URL only for 'places.manage'. */
export function checkpointView(c: CheckpointRow, publicUrl: string, showToken: boolean) {
  const token = showToken ? c.token : null;
  return {
    id: c.id, placeId: c.place_id, name: c.name, mode: c.mode, disabled: c.disabled_at !== null,
    createdAt: new Date(c.created_at).toISOString(),
    token, tokenPrefix: c.token ? tokenPrefix(c.token) : null, url: token ? checkinUrl(publicUrl, token) : null,
    tokenIssuedAt: c.issued_at ? new Date(c.issued_at).toISOString() : null,
  };
}

/** A signed-in account that may read places: 'places.manage' or 'checkins.read'. */
function readGuard(ctx: AppContext) {
  return staffGuard(ctx, ['places.manage', 'checkins.read']);
}

async function placeDetail(ctx: AppContext, staff: StaffUser, id: string) {
  const p = await placeInScope(ctx.db, staff.areaCode, id);
  if (!p) throw notFound();
  const show = can(staff.role, 'places.manage');
  const cps = await checkpointsOfPlace(ctx.db, id);
  return { place: { ...placeBase(p), checkpoints: cps.map((c) => checkpointView(c, ctx.config.PUBLIC_URL, show)) } };
}

export function registerPlacesRoutes(app: ZApp, ctx: AppContext) {
  const manage = staffGuard(ctx, 'places.manage');
  const tags = ['places'];
  const security = [{ staff: [] }];
  const one = { 200: z.object({ place: placeOut }) };

  app.get('/api/places', {
    preHandler: readGuard(ctx),
    schema: {
      tags, security, summary: 'List places in the caller\'s area (filters, paging)',
      querystring: z.object({
        areaCode: areaCode.optional(), kind: kind.optional(), q: z.string().trim().max(50).optional(),
        disabled: z.enum(['false', 'true', 'all']).default('false'),
        page: z.coerce.number().int().min(1).max(100_000).default(1), pageSize: z.coerce.number().int().min(1).max(200).default(50),
      }),
      response: { 200: z.object({ items: z.array(placeListItem), total: z.number(), page: z.number(), pageSize: z.number() }) },
    },
  }, async (req) => {
    const { areaCode: code, kind: k, q, disabled, page, pageSize } = req.query;
    const r = await listPlaces(ctx.db, { areaCode: areaInScope(req.staff!, code), kind: k, q: q || undefined, disabled, page, pageSize });
    return {
      items: r.items.map((p) => ({ ...placeBase(p), activeCheckpoints: Number(p.active_checkpoints), totalCheckpoints: Number(p.all_checkpoints) })),
      total: r.total, page, pageSize,
    };
  });

  app.get('/api/places/counts', {
    preHandler: readGuard(ctx),
    schema: {
      tags, security, summary: 'Counts of places and checkpoints under an area: by state, by kind and by child area (active only)',
      querystring: z.object({ areaCode: areaCode.optional() }),
      response: {
        200: z.object({
          areaCode: z.string(), active: countRow, disabled: countRow,
          byKind: z.array(z.object({ kind: z.string(), label: z.string(), places: z.number(), checkpoints: z.number() })),
          byArea: z.array(z.object({ code: z.string(), name: z.string(), places: z.number(), checkpoints: z.number() })),
        }),
      },
    },
  }, async (req) => {
    const code = areaInScope(req.staff!, req.query.areaCode);
    const rows = await countPlaces(ctx.db, code);
    const children = await ctx.db.selectFrom('areas').select(['code', 'name']).where('parent_code', '=', code).orderBy('code').execute();
    const active = { places: 0, checkpoints: 0 };
    const disabled = { places: 0, checkpoints: 0 };
    const byKind = new Map(PLACE_KINDS.map((k) => [k as string, { kind: k as string, label: kindLabel(k), places: 0, checkpoints: 0 }]));
    const byArea = new Map(children.map((a) => [a.code, { code: a.code, name: a.name, places: 0, checkpoints: 0 }]));
    for (const r of rows) {
      disabled.checkpoints += r.inactiveCheckpoints;
      if (r.placeDisabled) { disabled.places += r.places; continue; }
      active.places += r.places;
      active.checkpoints += r.activeCheckpoints;
      const k = byKind.get(r.kind);
      if (k) { k.places += r.places; k.checkpoints += r.activeCheckpoints; }
      const child = children.find((a) => r.communityCode.startsWith(a.code));
      const a = child && byArea.get(child.code);
      if (a) { a.places += r.places; a.checkpoints += r.activeCheckpoints; }
    }
    return { areaCode: code, active, disabled, byKind: [...byKind.values()], byArea: [...byArea.values()] };
  });

  app.post('/api/places', {
    preHandler: manage,
    schema: {
      tags, security, summary: 'Create a place in a community of the caller\'s area, optionally with its checkpoints',
      body: z.object({
        communityCode: z.string().regex(/^\d{12}$/), name: text(1, 100), kind, address: text(0, 200).optional(),
        checkpoints: z.array(text(1, 60)).max(50).optional(),
      }),
      response: { 201: z.object({ place: placeOut }) },
    },
  }, async (req, reply) => {
    const id = await createPlace(ctx, req.staff!, req.body);
    return reply.status(201).send(await placeDetail(ctx, req.staff!, id));
  });

  app.get('/api/places/:id', {
    preHandler: readGuard(ctx),
    schema: { tags, security, summary: 'A place with its checkpoints', params: idParams, response: one },
  }, async (req) => placeDetail(ctx, req.staff!, req.params.id));

  app.patch('/api/places/:id', {
    preHandler: manage,
    schema: {
      tags, security, summary: 'Edit a place (name, kind, address, community)', params: idParams,
      body: z.object({ communityCode: z.string().regex(/^\d{12}$/).optional(), name: text(1, 100).optional(), kind: kind.optional(),
        address: text(0, 200).optional() }),
      response: one,
    },
  }, async (req) => {
    await updatePlace(ctx, req.staff!, req.params.id, req.body);
    return placeDetail(ctx, req.staff!, req.params.id);
  });

  for (const [action, disabled] of [['disable', true], ['enable', false]] as const) {
    app.post(`/api/places/:id/${action}`, {
      preHandler: manage,
      schema: { tags, security, summary: `${action === 'disable' ? 'Disable' : 'Enable'} a place (its posters stop or resume at once)`, params: idParams, response: one },
    }, async (req) => {
      await setPlaceDisabled(ctx, req.staff!, req.params.id, disabled);
      return placeDetail(ctx, req.staff!, req.params.id);
    });
    app.post(`/api/checkpoints/:id/${action}`, {
      preHandler: manage,
      schema: { tags, security, summary: `${action === 'disable' ? 'Disable' : 'Enable'} a checkpoint`, params: idParams, response: one },
    }, async (req) => {
      const placeId = await setCheckpointDisabled(ctx, req.staff!, req.params.id, disabled);
      return placeDetail(ctx, req.staff!, placeId);
    });
  }

  app.post('/api/places/:id/checkpoints', {
    preHandler: manage,
    schema: {
      tags, security, summary: 'Add a checkpoint (gate) to a place; it gets a new token', params: idParams,
      body: z.object({ name: text(1, 60), mode: mode.optional() }),
      response: { 201: z.object({ place: placeOut, checkpointId: z.string() }) },
    },
  }, async (req, reply) => {
    const checkpointId = await createCheckpoint(ctx, req.staff!, req.params.id, req.body);
    return reply.status(201).send({ ...(await placeDetail(ctx, req.staff!, req.params.id)), checkpointId });
  });

  app.patch('/api/checkpoints/:id', {
    preHandler: manage,
    schema: {
      tags, security, summary: 'Rename a checkpoint or change its mode', params: idParams,
      body: z.object({ name: text(1, 60).optional(), mode: mode.optional() }), response: one,
    },
  }, async (req) => placeDetail(ctx, req.staff!, await updateCheckpoint(ctx, req.staff!, req.params.id, req.body)));

  app.post('/api/checkpoints/:id/mode', {
    preHandler: manage,
    schema: {
      tags, security, params: idParams, body: z.object({ mode }), response: one,
      summary: 'Switch a checkpoint between its static poster and a rotating code on the guard\'s screen (screen mode: posters stop at once)',
    },
  }, async (req) => placeDetail(ctx, req.staff!, await updateCheckpoint(ctx, req.staff!, req.params.id, { mode: req.body.mode })));

  app.post('/api/checkpoints/:id/reissue-token', {
    preHandler: manage,
    schema: {
      tags, security, summary: 'Revoke the checkpoint\'s code and issue a new one (old posters stop working at once)', params: idParams,
      response: { 200: z.object({ place: placeOut, token: z.string(), url: z.string() }) },
    },
  }, async (req) => {
    const { placeId, token } = await reissueToken(ctx, req.staff!, req.params.id);
    return { ...(await placeDetail(ctx, req.staff!, placeId)), token, url: checkinUrl(ctx.config.PUBLIC_URL, token) };
  });

  registerPlaceTransferRoutes(app, ctx);
}
