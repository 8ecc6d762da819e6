/**
 * The resident's side of the gate: what a scanned checkpoint is, and the one-tap check-in for the
 * persons on this phone (SPEC S1). No staff session; the phone's device cookie says who may check in.
 */
import { z } from 'zod';
import { errorOut, plainJson } from '../../lib/http-schemas';
import type { ZApp } from '../../app';
import type { AppContext } from '../../context';
import { AppError, badRequest } from '../../lib/errors';
import { requestLang } from '../../lib/http-errors';
import { deviceFromRequest, hasDeviceCookie } from '../persons/devices';
import { personsByIds } from '../persons/service';
import { STATUS_LABELS, getStatuses } from '../status/service';
import { cachedCheckpoint, checkIn, checkpointInfoById, closeGate, gateOf, prefetchPersons, type CheckpointInfo } from './service';
import { isSignedCode, screenCodeOf, SCREEN_CODE_EXPIRED, signedBeforeSwitch, type ScreenCode } from './screen-code';
import { parseTemperature } from './temperature';
import { registerCheckinJobs } from './jobs';

/** A poster token (32 characters) or a screen code (a compact JWS, ~330 characters). */
const TOKEN = z.string().min(1).max(1000);
const area = z.object({ code: z.string(), name: z.string() });

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The checkpoint of a poster token or of a screen code (issue 3 §5: a signed code has dots; only
 * then is a signature verified, so poster check-ins pay nothing for screen mode).
 * @throws AppError 404 'checkpoint_unknown' for a token that never existed; 410 'checkpoint_revoked'
 *   for a replaced poster, 'checkpoint_disabled' for a disabled checkpoint, 'checkpoint_screen_mode'
 *   for a poster of a checkpoint in screen mode, 'checkpoint_code_expired' for a screen code older
 *   than CHECKPOINT_CODE_ROTATE_S + CHECKPOINT_CODE_GRACE_S, 'checkpoint_poster_mode' for a screen code
 *   of a checkpoint switched back to its poster.
 */
export async function activeCheckpoint(ctx: AppContext, token: string): Promise<CheckpointInfo> {
  const signed = isSignedCode(token);
  let cp: CheckpointInfo | null;
  let code: ScreenCode | undefined;
  if (signed) {
    code = await screenCodeOf(ctx, token);
    cp = UUID_RE.test(code.checkpointId) ? await checkpointInfoById(ctx, code.checkpointId) : null;
  } else {
    cp = await cachedCheckpoint(ctx, token);
  }
  if (!cp) throw new AppError(404, 'checkpoint_unknown', { zh: '无效的卡点码，请扫描卡点张贴的二维码', en: 'Unknown checkpoint code' });
  if (cp.state === 'revoked')
    throw new AppError(410, 'checkpoint_revoked', { zh: '此卡点码已作废，请扫描卡点现场张贴的新二维码', en: 'This checkpoint code was replaced; scan the new poster' });
  if (cp.state === 'disabled')
    throw new AppError(410, 'checkpoint_disabled', { zh: '此卡点已停用', en: 'This checkpoint is closed' });
  if (signed && cp.checkpoint.mode !== 'screen') {
    throw new AppError(410, 'checkpoint_poster_mode', {
      zh: '此卡点已改回张贴的二维码，请扫描卡点现场张贴的二维码', en: 'This checkpoint is back to its printed poster: scan the poster',
    });
  }
  if (code && signedBeforeSwitch(code, cp.checkpoint.modeSince)) throw new AppError(410, 'checkpoint_code_expired', SCREEN_CODE_EXPIRED);
  if (!signed && cp.checkpoint.mode === 'screen') {
    throw new AppError(410, 'checkpoint_screen_mode', {
      zh: '此卡点已改用值守屏幕上的动态二维码，请扫描屏幕上的二维码', en: 'This checkpoint now shows a changing code on the guard\'s screen: scan that code',
    });
  }
  return cp;
}

export const resultOut = z.object({
  personId: z.string(), maskedName: z.string(), outcome: z.enum(['pass', 'refused']),
  reasonCode: z.string().nullable(), reason: z.string().nullable(), checkinId: z.string(), at: z.string(),
  direction: z.enum(['in', 'out']), temperature: z.number().nullable(), duplicate: z.boolean(),
});

/** The reply of POST /api/r/checkins (written by hand through plainJson: checkin.db.test.ts holds it to this). */
export const checkinReply = z.object({
  serverTime: z.string(), place: z.object({ name: z.string() }), checkpoint: z.object({ name: z.string() }), results: z.array(resultOut),
});

export function registerResidentCheckinRoutes(app: ZApp, ctx: AppContext) {
  registerCheckinJobs();
  void gateOf(ctx); // load stays and the re-scan window at start, not on the first scan
  app.addHook('onClose', () => closeGate(ctx));

  app.get('/api/r/checkpoint/:token', {
    schema: {
      tags: ['resident'], summary: 'What a scanned checkpoint is, and the persons on this phone',
      params: z.object({ token: TOKEN }),
      response: {
        200: z.object({
          checkpoint: z.object({ id: z.string(), name: z.string(), mode: z.string() }),
          place: z.object({ id: z.string(), name: z.string(), kind: z.string(), kindLabel: z.string() }),
          community: area, street: area, district: area,
          persons: z.array(z.object({ id: z.string(), maskedName: z.string(), relation: z.enum(['self', 'dependent']), status: z.string(), statusLabel: z.string() })),
        }),
        404: errorOut, 410: errorOut,
      },
    },
  }, async (req) => {
    const cp = await activeCheckpoint(ctx, req.params.token);
    const device = await deviceFromRequest(ctx, req);
    const lang = requestLang(req);
    let persons: { id: string; maskedName: string; relation: 'self' | 'dependent'; status: string; statusLabel: string }[] = [];
    if (device?.persons.length) {
      const ids = device.persons.map((p) => p.id);
      const [info, st] = await Promise.all([personsByIds(ctx.db, ids), getStatuses(ctx.db, ids)]);
      persons = device.persons.filter((p) => info.has(p.id)).map((p) => {
        const s = st.get(p.id)?.status ?? 'normal';
        const label = STATUS_LABELS[s as keyof typeof STATUS_LABELS];
        return { id: p.id, maskedName: info.get(p.id)!.maskedName, relation: p.relation, status: s, statusLabel: label ? label[lang] : s };
      });
    }
    return {
      checkpoint: { id: cp.checkpoint.id, name: cp.checkpoint.name, mode: cp.checkpoint.mode },
      place: cp.place, community: cp.community, street: cp.street, district: cp.district, persons,
    };
  });

  app.post('/api/r/checkins', {
    schema: {
      tags: ['resident'], summary: 'Check in (enter or leave) the persons on this phone',
      body: z.object({
        token: TOKEN,
        direction: z.enum(['in', 'out']),
        temperature: z.union([z.string().max(20), z.number()]).optional().nullable(),
        personIds: z.array(z.string().uuid()).min(1).max(10),
        idempotencyKey: z.string().max(100).optional(),
      }),
      response: {
        200: checkinReply,
        400: errorOut, 401: errorOut, 403: errorOut, 404: errorOut, 410: errorOut,
      },
    },
    serializerCompiler: plainJson, // every field below is set by hand: see plainJson
  }, async (req) => {
    const { body } = req;
    const cp = await activeCheckpoint(ctx, body.token);
    // read the persons while the device is checked: only for a live checkpoint and a well-formed
    // device cookie, so a request without them costs no database work beyond what it did before
    if (hasDeviceCookie(req)) prefetchPersons(ctx, body.personIds);
    const device = await deviceFromRequest(ctx, req);
    if (!device || device.persons.length === 0)
      throw new AppError(401, 'device_unknown', { zh: '请先登记个人信息', en: 'Please register first' });
    const mine = new Set(device.persons.map((p) => p.id));
    if (!body.personIds.every((id) => mine.has(id)))
      throw new AppError(403, 'person_not_on_device', { zh: '只能为本机登记的人员打卡', en: 'Only persons registered on this phone can check in here' });
    let temperature: number | null = null;
    if (body.direction === 'in') {
      if (body.temperature === undefined || body.temperature === null || body.temperature === '')
        throw badRequest('temperature_required', '进入时请填写体温', 'Temperature is required to enter');
      temperature = parseTemperature(body.temperature, ctx.config);
    }
    const results = await checkIn(ctx, {
      checkpoint: cp, personIds: body.personIds, direction: body.direction, temperature, source: 'resident', actorId: device.deviceId,
    });
    const lang = requestLang(req);
    return {
      serverTime: new Date().toISOString(),
      place: { name: cp.place.name },
      checkpoint: { name: cp.checkpoint.name },
      results: results.map((r) => ({
        personId: r.personId, maskedName: r.maskedName, outcome: r.outcome, reasonCode: r.reasonCode,
        reason: r.reason ? r.reason[lang] : null, checkinId: r.checkinId, at: r.at.toISOString(),
        direction: r.direction, temperature: r.temperature, duplicate: r.duplicate,
      })),
    };
  });
}
