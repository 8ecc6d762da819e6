/**
 * The guard's gate in tests (issue 3): `buildGate(t)` makes a residential compound in 文化巷社区
 * (410811001001) with an east and a west gate (posters) and a gate in screen mode, a guard of that
 * community, a guard of another street (410811002001) and a community worker. `passCode` and
 * `cardCode` sign codes as the pass and cards modules do; `scan` / `postScans` build and send
 * POST /api/gate/scans bodies.
 */
import { randomUUID } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { maskName } from '../../../src/lib/mask';
import { signToken } from '../../../src/modules/tokens/service';
import type { TestApp } from '../app';
import { buildCheckpoint, buildPlace } from './places';
import { buildStaff, signInAs } from './staff';

export interface Gate {
  placeId: string;
  east: { id: string; token: string };
  west: { id: string; token: string };
  screen: { id: string; token: string };
  guard: { id: string; cookie: string };
  /** A guard of 410811002001 (another street of the same district). */
  otherGuard: { id: string; cookie: string };
  worker: { id: string; cookie: string };
}

export async function buildGate(t: TestApp): Promise<Gate> {
  const place = await buildPlace(t.ctx, { communityCode: '410811001001', name: `建业小区${randomUUID().slice(0, 6)}` });
  const cp = async (name: string, mode: 'poster' | 'screen' = 'poster') => {
    const c = await buildCheckpoint(t.ctx, place.id, { name, mode });
    return { id: c.checkpoint.id, token: c.token };
  };
  const staff = async (role: 'guard' | 'community_worker', areaCode: string) => {
    const s = await buildStaff(t.ctx, { role, areaCode });
    return { id: s.id, cookie: await signInAs(t, s) };
  };
  const screen = await cp('屏幕门', 'screen');
  // in screen mode for an hour: codes signed earlier in tests (backdated) belong to this period
  await t.ctx.db.updateTable('checkpoints').set({ mode_since: new Date(Date.now() - 3_600_000) }).where('id', '=', screen.id).execute();
  return {
    placeId: place.id, east: await cp('东门'), west: await cp('西门'), screen,
    guard: await staff('guard', '410811001001'), otherGuard: await staff('guard', '410811002001'),
    worker: await staff('community_worker', '410811001001'),
  };
}

/** A pass code (我的通行码) of a person, as GET /api/r/pass signs it; `now` backdates it. */
export async function passCode(t: TestApp, personId: string, name = '张三', now?: Date): Promise<string> {
  return (await signToken(t.ctx, 'pass', personId, t.ctx.config.PASS_CODE_TTL_S, { nm: maskName(name), st: 'normal' }, { now })).token;
}

/** A personal card code of a person, as the cards module signs it. */
export async function cardCode(t: TestApp, personId: string, name = '张三'): Promise<{ token: string; jti: string; expiresAt: Date }> {
  const jti = randomUUID();
  const { token, expiresAt } = await signToken(t.ctx, 'card', personId, t.ctx.config.CARD_VALID_DAYS * 86_400, { nm: maskName(name) }, { jti });
  return { token, jti, expiresAt };
}

export interface ScanOver {
  idempotencyKey?: string; direction?: 'in' | 'out'; temperature?: string | number | null; scannedAt?: Date; offline?: boolean;
  localDecision?: { outcome: 'pass' | 'refused'; reasonCode: string | null };
}

/** One scan of a batch (an online entry at 36.5 °C unless told otherwise). */
export function scan(token: string, over: ScanOver = {}) {
  return {
    idempotencyKey: over.idempotencyKey ?? randomUUID(), token, direction: over.direction ?? 'in',
    temperature: over.temperature === undefined ? '36.5' : over.temperature, scannedAt: (over.scannedAt ?? new Date()).toISOString(),
    offline: over.offline ?? false, ...(over.localDecision ? { localDecision: over.localDecision } : {}),
  };
}

/** POST /api/gate/scans as `cookie`. */
export function postScans(t: TestApp, cookie: string, checkpointId: string, scans: unknown[], sentAt = new Date(), lang?: 'en'): Promise<LightMyRequestResponse> {
  return t.app.inject({
    method: 'POST', url: '/api/gate/scans', headers: { cookie, ...(lang ? { 'accept-language': 'en' } : {}) },
    payload: { checkpointId, sentAt: sentAt.toISOString(), scans },
  });
}
