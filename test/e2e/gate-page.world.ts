/**
 * Shared setup of the gate page's browser tests (gate-camera.test.ts, gate-offline.test.ts): a
 * real server process on a fresh PGlite database holding one place with one checkpoint, its guard
 * (posted there) and a community doctor (who may set statuses); residents registered through the
 * real API; QR images turned into Chromium fake-camera files; a watch on every request's host.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import QRCode from 'qrcode';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { loadConfig } from '../../src/config';
import { openContext } from '../../src/server';
import { openTestDatabase, type TestDatabase } from '../helpers/db';
import { startServerProcess, type ServerProcess } from '../helpers/server-process';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../helpers/browser';
import { hasCommand, requireSystem } from '../helpers/system';
import { buildCheckpoint, buildPlace } from '../helpers/factories/places';
import { buildStaff, TEST_PASSWORD } from '../helpers/factories/staff';
import { testPhone, validResidentId } from '../helpers/factories/persons';

/** 东方红街道's first community in 山阳区. */
export const COMMUNITY = '410811001001';
export const WAIT = { timeout: 20_000 };
/** A tablet in landscape. */
export const TABLET = { viewport: { width: 1280, height: 800 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' } as const;

/** Whether ffmpeg (fake camera files) is installed: true, else skip (or fail under CI=true). */
export function requireFfmpeg(): boolean {
  return requireSystem('ffmpeg (package ffmpeg)', hasCommand('ffmpeg'));
}

export interface GateWorld {
  tdb: TestDatabase;
  server: ServerProcess;
  base: string;
  checkpointId: string;
  placeName: string;
  checkpointName: string;
  guard: string;
  doctor: string;
  /** A community worker of the checkpoint's community (switches its mode). */
  worker: string;
}

/** Build the place, checkpoint and accounts, then start the server with `env` (e.g. PASS_CODE_TTL_S). */
export async function startGateWorld(env: Record<string, string> = {}, mode: 'poster' | 'screen' = 'poster'): Promise<GateWorld> {
  execFileSync(process.execPath, ['scripts/ensure-web.mjs'], { stdio: 'inherit' });
  const tdb = await openTestDatabase('pglite');
  const ctx = await openContext(loadConfig({ DATA_DIR: tdb.location.dataDir, LOG_LEVEL: 'warn' }), tdb);
  const place = await buildPlace(ctx, { communityCode: COMMUNITY, kind: 'residential', name: '东方红家园' });
  const cp = await buildCheckpoint(ctx, place.id, { name: '北门', mode });
  const guard = await buildStaff(ctx, { role: 'guard', areaCode: COMMUNITY, checkpointId: cp.checkpoint.id, displayName: '门卫老张' });
  const doctor = await buildStaff(ctx, { role: 'community_doctor', areaCode: COMMUNITY });
  const worker = await buildStaff(ctx, { role: 'community_worker', areaCode: COMMUNITY });
  await tdb.close();
  const server = await startServerProcess({ DATA_DIR: tdb.location.dataDir, ...env });
  return { tdb, server, base: server.url, checkpointId: cp.checkpoint.id, placeName: place.name, checkpointName: '北门', guard: guard.username, doctor: doctor.username,
    worker: worker.username };
}

/** The staff cookie (`yiqu_staff=…`) of `username`. */
export async function staffCookie(base: string, username: string): Promise<string> {
  const res = await fetch(`${base}/api/staff/login`, { method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: TEST_PASSWORD }) });
  if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
  return res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
}

/** JSON call with a cookie; throws unless the status is `expect`. */
export async function call<T>(base: string, method: string, url: string, cookie: string, body?: unknown, expect = [200, 201]): Promise<T> {
  const res = await fetch(base + url, { method, headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body) });
  if (!expect.includes(res.status)) throw new Error(`${method} ${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

export interface Resident { name: string; cookie: string; personId: string }

/** Register `name` on a new phone through POST /api/r/register. */
export async function registerResident(base: string, name: string): Promise<Resident> {
  const res = await fetch(`${base}/api/r/register`, { method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, docType: 'resident_id', docNumber: validResidentId(), phone: testPhone(), communityCode: COMMUNITY, address: '5号楼1单元101' }) });
  if (res.status !== 201) throw new Error(`register ${name}: ${res.status} ${await res.text()}`);
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  return { name, cookie, personId: ((await res.json()) as { person: { id: string } }).person.id };
}

/** The resident's current pass code (GET /api/r/pass, the phone's own person). */
export async function passCode(base: string, r: Resident): Promise<{ token: string; maskedName: string; expiresAt: string }> {
  const out = await call<{ persons: Array<{ personId: string; token: string; maskedName: string; expiresAt: string }> }>(base, 'GET', '/api/r/pass', r.cookie);
  const me = out.persons.find((p) => p.personId === r.personId);
  if (!me) throw new Error('no pass code for the registered person');
  return me;
}

/**
 * A Chromium fake-camera file showing the QR of `text`: a PNG by `qrcode`, made into a short
 * 640×480 .y4m by ffmpeg (Chromium plays it in a loop as the camera).
 */
export async function qrCameraFile(text: string, dir: string, name: string): Promise<string> {
  const png = path.join(dir, `${name}.png`);
  const y4m = path.join(dir, `${name}.y4m`);
  await QRCode.toFile(png, text, { width: 420, margin: 4, errorCorrectionLevel: 'M' });
  execFileSync('ffmpeg', ['-y', '-loglevel', 'error', '-loop', '1', '-i', png, '-vf',
    'scale=640:480:force_original_aspect_ratio=decrease,pad=640:480:(ow-iw)/2:(oh-ih)/2:white,format=yuv420p',
    '-t', '1', '-r', '5', '-f', 'yuv4mpegpipe', y4m]);
  if (!fs.existsSync(y4m)) throw new Error('ffmpeg wrote no .y4m');
  return y4m;
}

/** Chromium with a fake camera playing `y4m` (permission prompts answered yes). */
export async function launchWithCamera(y4m?: string): Promise<Browser> {
  const cam = y4m ? ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${y4m}`] : [];
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: [...CHROMIUM_ARGS, ...cam], timeout: 60_000 });
}

/**
 * Records every request of the context's pages and service workers whose origin is not `base`
 * (the gate page must fetch nothing from elsewhere, the .wasm above all).
 */
export function watchForeignRequests(context: BrowserContext, base: string, foreign: string[], all: string[] = []): void {
  const origin = new URL(base).origin;
  context.on('request', (r) => {
    all.push(r.url());
    const u = r.url();
    if (u.startsWith('data:') || u.startsWith('blob:')) return;
    if (new URL(u).origin !== origin) foreign.push(u);
  });
}

/**
 * A signed-in guard's context and its /gate page, once the page shows its first sync. Every
 * request from the start (page and service worker) is checked by {@link watchForeignRequests}.
 */
export async function openGatePage(browser: Browser, w: GateWorld, cookie: string, foreign: string[], seen: string[] = []): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext(TABLET);
  watchForeignRequests(context, w.base, foreign, seen);
  const [name, value] = cookie.split(';')[0]!.split('=');
  await context.addCookies([{ name: name!, value: value!, url: w.base }]);
  const page = await context.newPage();
  await page.goto(`${w.base}/gate`);
  await page.getByTestId('synced').filter({ hasText: '上次同步' }).waitFor(WAIT);
  return { context, page };
}
