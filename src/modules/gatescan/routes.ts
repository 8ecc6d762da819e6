/**
 * Routes of the guard's gate device (issue 3, contract A): what it syncs to verify offline, the
 * scans it posts, and the rotating checkpoint code it shows in screen mode. All need 'gate.operate'
 * and a checkpoint inside the caller's subtree (404 otherwise).
 */
import { z } from 'zod';
import { errorOut } from '../../lib/http-schemas';
import type { ZApp } from '../../app';
import type { AppContext } from '../../context';
import { AppError, conflict, notFound } from '../../lib/errors';
import { requestLang } from '../../lib/http-errors';
import { audit, type AuditEntry } from '../audit/audit';
import { staffActor, staffGuard, type StaffUser } from '../staff/auth';
import { inScope } from '../staff/roles';
import { BARRING_STATUSES, STATUS_LABELS } from '../status/service';
import { publicJwks, revocationList, signToken } from '../tokens/service';
import { checkpointInfoById } from '../checkin/service';
import { nonNormalStatuses } from './repository';
import { recordScans } from './service';
import { registerTwoWayJob } from './two-way';

const bilingual = z.object({ zh: z.string(), en: z.string() });
const jwk = z.object({ kty: z.string(), crv: z.string(), x: z.string(), y: z.string(), kid: z.string(), alg: z.string(), use: z.string() });
/** Device times: ISO with offset, within 1970–2059 (a reset device clock reads 1970; beyond, the skew overflows). */
const isoTime = z.string().datetime({ offset: true })
  .refine((v) => { const t = Date.parse(v); return t >= Date.UTC(1970, 0, 1) && t < Date.UTC(2060, 0, 1); }, 'time out of range (1970–2059)');

const scanIn = z.object({
  idempotencyKey: z.string().uuid(),
  token: z.string().min(1).max(4096),
  direction: z.enum(['in', 'out']),
  temperature: z.union([z.string().max(20), z.number()]).optional().nullable(),
  scannedAt: isoTime,
  offline: z.boolean(),
  localDecision: z.object({
    outcome: z.enum(['pass', 'refused']),
    reasonCode: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/).nullable(),
  }).optional(),
});

const resultOut = z.object({
  idempotencyKey: z.string(), status: z.enum(['recorded', 'duplicate', 'rejected']), outcome: z.enum(['pass', 'refused']),
  reasonCode: z.string().nullable(), reason: z.string().nullable(), maskedName: z.string().nullable(), checkinId: z.string().nullable(),
  at: z.string().nullable(),
  twoWay: z.object({
    residentCheckinId: z.string(), residentTemperature: z.number().nullable(), guardTemperature: z.number().nullable(),
    gapC: z.number().nullable(), flagged: z.boolean(),
  }).nullable(),
});

/**
 * The checkpoint `id` when it lies in the caller's subtree.
 * @throws AppError 404 when unknown or outside the subtree (its existence is not revealed).
 */
export async function checkpointForStaff(ctx: AppContext, staff: StaffUser, id: string) {
  const cp = await checkpointInfoById(ctx, id);
  if (!cp || !inScope(staff.areaCode, cp.community.code)) throw notFound('未找到该卡点', 'Checkpoint not found');
  return cp;
}

export function registerGateScanRoutes(app: ZApp, ctx: AppContext) {
  registerTwoWayJob();
  const guard = staffGuard(ctx, 'gate.operate');
  const tags = ['gate'];
  const security = [{ staff: [] }];

  app.get('/api/gate/sync', {
    preHandler: guard,
    schema: {
      tags, security, summary: 'What a gate device needs to verify codes offline: keys, revocations, statuses, its checkpoint, thresholds',
      querystring: z.object({ checkpointId: z.string().uuid() }),
      response: {
        200: z.object({
          serverTime: z.string(), issuer: z.string(), jwks: z.object({ keys: z.array(jwk) }),
          revocations: z.array(z.object({ jti: z.string(), type: z.string(), revokedAt: z.string() })),
          statuses: z.array(z.object({ personId: z.string(), status: z.string() })),
          barring: z.array(z.string()), statusLabels: z.record(z.string(), bilingual),
          checkpoint: z.object({ id: z.string(), name: z.string(), placeId: z.string(), placeName: z.string(), mode: z.enum(['poster', 'screen']) }),
          config: z.object({ feverThresholdC: z.number(), tempMinC: z.number(), tempMaxC: z.number(), twoWayTempGapC: z.number(),
            clockSkewMaxS: z.number(), passCodeTtlS: z.number() }),
        }),
        404: errorOut, 409: errorOut,
      },
    },
  }, async (req) => {
    const staff = req.staff!;
    const cp = await checkpointForStaff(ctx, staff, req.query.checkpointId);
    if (cp.state !== 'active') throw conflict('checkpoint_disabled', '此卡点已停用，不能作为值守卡点同步', 'This checkpoint is closed: a gate cannot sync it');
    const [keys, revocations, statuses] = await Promise.all([publicJwks(ctx), revocationList(ctx), nonNormalStatuses(ctx.db)]);
    // the status list names persons (by id): a read of person data
    await audit(ctx.db, staffActor(staff), { action: 'gate.sync', areaCode: cp.community.code,
      detail: { checkpointId: cp.checkpoint.id, statuses: statuses.length, revocations: revocations.length } });
    const c = ctx.config;
    return {
      serverTime: new Date().toISOString(), issuer: c.TOKEN_ISSUER,
      jwks: { keys: keys.keys.map((k) => ({ kty: k.kty!, crv: k.crv!, x: k.x!, y: k.y!, kid: k.kid!, alg: k.alg!, use: k.use! })) },
      revocations, statuses, barring: [...BARRING_STATUSES], statusLabels: { ...STATUS_LABELS },
      checkpoint: { id: cp.checkpoint.id, name: cp.checkpoint.name, placeId: cp.place.id, placeName: cp.place.name, mode: cp.checkpoint.mode },
      config: { feverThresholdC: c.FEVER_THRESHOLD_C, tempMinC: c.TEMP_MIN_C, tempMaxC: c.TEMP_MAX_C, twoWayTempGapC: c.TWO_WAY_TEMP_GAP_C,
        clockSkewMaxS: c.CLOCK_SKEW_MAX_S, passCodeTtlS: c.PASS_CODE_TTL_S },
    };
  });

  app.post('/api/gate/scans', {
    preHandler: guard,
    schema: {
      tags, security,
      summary: 'Record the guard\'s scans of pass codes and cards (online, or a queue sent after being offline); each idempotency key lands once',
      body: z.object({ checkpointId: z.string().uuid(), sentAt: isoTime, scans: z.array(scanIn).min(1).max(200) }),
      response: {
        200: z.object({ serverTime: z.string(), skewS: z.number(), skewCorrected: z.boolean(), results: z.array(resultOut) }),
        404: errorOut,
      },
    },
  }, async (req) => {
    const staff = req.staff!;
    const cp = await checkpointForStaff(ctx, staff, req.body.checkpointId);
    const { clock, results } = await recordScans(ctx, { checkpoint: cp, staff, sentAt: new Date(req.body.sentAt), scans: req.body.scans });
    // the answer shows persons' masked names: a read of person data, one row per person (SPEC "Rules")
    const persons = [...new Set(results.flatMap((r) => (r.personId ? [r.personId] : [])))];
    const summary = { checkpointId: cp.checkpoint.id, scans: results.length, skewS: clock.skewS, skewCorrected: clock.corrected,
      rejected: results.filter((r) => r.status === 'rejected').length, duplicates: results.filter((r) => r.status === 'duplicate').length };
    const entries: AuditEntry[] = persons.length
      ? persons.map((personId) => ({ action: 'gate.scan', personId, areaCode: cp.community.code,
        detail: { ...summary, outcomes: results.filter((r) => r.personId === personId).map((r) => r.reasonCode ?? r.outcome) } }))
      : [{ action: 'gate.scan', areaCode: cp.community.code, detail: summary }];
    await audit(ctx.db, staffActor(staff), ...entries);
    const lang = requestLang(req);
    return {
      serverTime: new Date().toISOString(), skewS: clock.skewS, skewCorrected: clock.corrected,
      results: results.map(({ personId: _p, ...r }) => ({ ...r, reason: r.reason ? r.reason[lang] : null, at: r.at ? r.at.toISOString() : null })),
    };
  });

  app.get('/api/gate/checkpoints/:id/screen-code', {
    preHandler: guard,
    schema: {
      tags, security, summary: 'The current rotating checkpoint code of a checkpoint in screen mode (show it as a QR; fetch again after refreshInS)',
      params: z.object({ id: z.string().uuid() }),
      response: {
        200: z.object({ url: z.string(), token: z.string(), expiresAt: z.string(), refreshInS: z.number() }),
        404: errorOut, 409: errorOut,
      },
    },
  }, async (req, reply) => {
    const cp = await checkpointForStaff(ctx, req.staff!, req.params.id);
    if (cp.state !== 'active') throw conflict('checkpoint_disabled', '此卡点已停用', 'This checkpoint is closed');
    if (cp.checkpoint.mode !== 'screen') {
      throw new AppError(409, 'checkpoint_not_screen_mode', { zh: '此卡点未启用屏幕动态码（请先切换为屏幕模式）', en: 'This checkpoint is not in screen mode' });
    }
    const c = ctx.config;
    const { token, expiresAt } = await signToken(ctx, 'checkpoint', cp.checkpoint.id, c.CHECKPOINT_CODE_ROTATE_S + c.CHECKPOINT_CODE_GRACE_S);
    reply.header('cache-control', 'no-store');
    return { url: `${c.PUBLIC_URL}/v#${token}`, token, expiresAt: expiresAt.toISOString(), refreshInS: c.CHECKPOINT_CODE_ROTATE_S };
  });
}
