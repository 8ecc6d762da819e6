/**
 * The table the cross-cutting API tests (test/api/*.db.test.ts) run over: one entry per route of
 * `/openapi.json` ("METHOD /path/{param}"), saying who calls it in the normal case and with what
 * (path params, query, body from the world fixture of side A or B). `exempt` lists, with the reason,
 * the checks a route legitimately differs on. A route in /openapi.json without an entry fails every
 * test file (coverage), and so does an entry whose route no longer exists.
 */
import { randomInt } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Role } from '../../src/modules/staff/roles';
import { createTestApp, type TestApp } from '../helpers/app';
import { ARRIVALS_ROUTES } from './routes/arrivals';
import { CARDS_ROUTES } from './routes/cards';
import { CASES_ROUTES } from './routes/cases';
import { CERTIFICATES_ROUTES } from './routes/certificates';
import { CONTACTS_ROUTES } from './routes/contacts';
import { DASHBOARD_ROUTES } from './routes/dashboard';
import { REPORTS_ROUTES, seedReportFixtures } from './routes/reports';
import { GATESCAN_ROUTES } from './routes/gatescan';
import { HOUSEHOLDS_ROUTES } from './routes/households';
import { KEYPERSONS_ROUTES } from './routes/keypersons';
import { PASS_ROUTES } from './routes/pass';
import { SENSORS_ROUTES } from './routes/sensors';
import { TRACING_ROUTES } from './routes/tracing';
import { buildWorld, newSession, personForm, TEST_PASSWORD, type Side, type SideKey, type World } from '../helpers/factories/world';

export type Actor = Role | 'resident' | 'public' | 'passwordUser';

export interface RouteCase {
  /** Who calls it; a list lets the fuzz test rotate callers (per-account rate limits). The first is the default. */
  as: Actor | Actor[];
  params?: (s: Side) => Record<string, string>;
  query?: (s: Side) => Record<string, string>;
  body?: (s: Side) => unknown;
  /** The route takes a raw file body (spreadsheet import). */
  upload?: (s: Side) => { type: string; data: Buffer };
  /** Each call gets a fresh staff session (the route ends or replaces the caller's sessions). */
  freshSession?: boolean;
  /** Checks this route legitimately differs on, with the reason. */
  exempt?: { scope?: string; audit?: string; inject?: string; auth?: string };
  /**
   * How this route refuses an outsider when not by 403/404: the statuses and the error code (a file
   * import refuses the rows of another area and imports nothing).
   */
  outsider?: { status: number[]; code: string; why: string };
}

const uuidOf = (s: Side, k: keyof Side['checkpoints']) => s.checkpoints[k].id;
let n = 0;
const next = () => `${process.pid}${(n += 1)}${randomInt(1000)}`;

const PUBLIC_SCOPE = 'public route: no staff account, nothing scoped to an area';
const RESIDENT_SCOPE = 'resident route: identified by the device cookie, never by area (the other side\'s phone is the outsider)';
const SELF = 'acts on the caller\'s own account only';
const OWN_DATA = 'a resident\'s own persons on their own phone: not a read of someone else\'s record (me/service.ts)';
const BY_DOCUMENT = 'by design not area-scoped (persons/service.ts lookupByDocument: a guard checks in visitors from anywhere); role-bound, rate-limited and audited';

export const ROUTES: Record<string, RouteCase> = {
  ...GATESCAN_ROUTES, ...PASS_ROUTES, ...CARDS_ROUTES, ...CASES_ROUTES, ...CONTACTS_ROUTES, ...DASHBOARD_ROUTES, ...REPORTS_ROUTES, ...TRACING_ROUTES,
  ...ARRIVALS_ROUTES, ...KEYPERSONS_ROUTES, ...HOUSEHOLDS_ROUTES, ...SENSORS_ROUTES, ...CERTIFICATES_ROUTES,
  'GET /healthz': { as: 'public', exempt: { scope: PUBLIC_SCOPE } },
  'GET /.well-known/jwks.json': { as: 'public', exempt: { scope: PUBLIC_SCOPE, audit: 'public keys: no person data' } },
  'GET /api/tokens/revocations': { as: 'public', exempt: { scope: PUBLIC_SCOPE, audit: 'opaque token ids: no person data' } },
  'POST /api/staff/login': { as: 'public', body: (s) => ({ username: s.staff.guard.username, password: TEST_PASSWORD }), exempt: { scope: PUBLIC_SCOPE } },
  'POST /api/staff/logout': { as: 'guard', freshSession: true, exempt: { scope: SELF, auth: 'signing out without a session only clears the cookie' } },
  'GET /api/staff/me': { as: 'guard' },
  'GET /api/staff/accounts': { as: 'admin', query: (s) => ({ areaCode: s.areas.community }) },
  'POST /api/staff/accounts': { as: 'admin', body: (s) => ({ username: `new${next()}`, displayName: '新值守', role: 'guard', areaCode: s.areas.community }) },
  'GET /api/staff/accounts/{id}': { as: 'admin', params: (s) => ({ id: s.spareAccount.id }) },
  'PATCH /api/staff/accounts/{id}': { as: 'admin', params: (s) => ({ id: s.spareAccount.id }), body: () => ({ displayName: '改名值守' }) },
  'POST /api/staff/accounts/{id}/disable': { as: 'admin', params: (s) => ({ id: s.spareAccount.id }) },
  'POST /api/staff/accounts/{id}/enable': { as: 'admin', params: (s) => ({ id: s.spareAccount.id }) },
  'POST /api/staff/accounts/{id}/reset-password': { as: 'admin', params: (s) => ({ id: s.spareAccount.id }) },
  'POST /api/staff/password': { as: 'passwordUser', freshSession: true, body: () => ({ oldPassword: TEST_PASSWORD, newPassword: 'Changed-passw0rd' }), exempt: { scope: SELF } },
  'GET /api/staff/organisations': { as: 'admin' },
  'POST /api/staff/organisations': { as: 'admin', body: (s) => ({ name: `卫生服务中心${next()}`, kind: 'health_center', areaCode: s.areas.street }) },
  'GET /api/staff/accounts/import-template': { as: 'admin', exempt: { audit: 'a blank template: no person data' } },
  'POST /api/staff/accounts/import': {
    as: 'admin', query: () => ({ filename: 'guards.csv' }),
    outsider: { status: [400], code: 'import_rejected', why: 'rows of another area are refused per row; nothing is imported' },
    upload: (s) => ({ type: 'text/csv', data: Buffer.from(`姓名,社区编码\n导入值守${next()},${s.areas.community}\n`) }),
  },
  'GET /api/areas/search': { as: 'guard', query: () => ({ q: '社区' }) },
  'GET /api/areas/{code}': { as: 'guard', params: (s) => ({ code: s.areas.community }) },
  'GET /api/areas/{code}/children': { as: 'street_office', params: (s) => ({ code: s.areas.street }) },
  'GET /api/r/areas/{code}/children': { as: 'public', params: (s) => ({ code: s.areas.street }), exempt: { scope: 'public division names for the registration form' } },
  'GET /api/audit': {
    as: 'district_command', query: (s) => ({ personId: s.walker.personId }),
    exempt: { audit: 'the audit trail itself, not a person\'s record: reading it adds no row (else every read would change the log); its export is audited' },
  },
  'GET /api/audit/export': { as: 'district_command', query: (s) => ({ personId: s.walker.personId, format: 'csv' }) },
  'GET /api/places': { as: 'community_worker', query: (s) => ({ areaCode: s.areas.community }) },
  'POST /api/places': { as: 'community_worker', body: (s) => ({ communityCode: s.areas.community, name: `新场所${next()}`, kind: 'mall', checkpoints: ['正门'] }) },
  'GET /api/places/counts': { as: 'community_worker', query: (s) => ({ areaCode: s.areas.community }) },
  'GET /api/places/{id}': { as: 'community_worker', params: (s) => ({ id: s.places.home }) },
  'PATCH /api/places/{id}': { as: 'community_worker', params: (s) => ({ id: s.places.spare }), body: () => ({ address: '新华街1号' }) },
  'POST /api/places/{id}/disable': { as: 'community_worker', params: (s) => ({ id: s.places.spare }) },
  'POST /api/checkpoints/{id}/disable': { as: 'community_worker', params: (s) => ({ id: uuidOf(s, 'spare') }) },
  'POST /api/places/{id}/enable': { as: 'community_worker', params: (s) => ({ id: s.places.spare }) },
  'POST /api/checkpoints/{id}/enable': { as: 'community_worker', params: (s) => ({ id: uuidOf(s, 'spare') }) },
  'POST /api/places/{id}/checkpoints': { as: 'community_worker', params: (s) => ({ id: s.places.home }), body: () => ({ name: `新门${next()}` }) },
  'PATCH /api/checkpoints/{id}': { as: 'community_worker', params: (s) => ({ id: uuidOf(s, 'spare') }), body: () => ({ mode: 'screen' }) },
  'POST /api/checkpoints/{id}/reissue-token': { as: 'community_worker', params: (s) => ({ id: uuidOf(s, 'spare') }) },
  'GET /api/r/checkpoint/{token}': {
    as: 'resident', params: (s) => ({ token: s.checkpoints.east.token }),
    exempt: { scope: 'the poster token is the credential (anyone at the gate scans it)', audit: OWN_DATA },
  },
  'POST /api/r/checkins': {
    as: 'resident', body: (s) => ({ token: s.checkpoints.west.token, direction: 'out', personIds: [s.resident.personId] }),
    exempt: { audit: OWN_DATA },
  },
  'GET /api/gate/checkins': { as: 'guard', query: (s) => ({ checkpointId: uuidOf(s, 'east') }) },
  'POST /api/gate/checkins': {
    as: ['guard', 'place_manager'], body: (s) => ({ checkpointId: uuidOf(s, 'east'), personId: s.noPhone.id, direction: 'in', temperature: '36.5' }),
  },
  'GET /api/checkins/counts': { as: 'community_worker', query: (s) => ({ areaCode: s.areas.community }) },
  'GET /api/checkins': { as: 'community_worker', query: (s) => ({ areaCode: s.areas.community }) },
  'GET /api/checkins/export': { as: 'community_worker', query: (s) => ({ areaCode: s.areas.community, format: 'csv' }) },
  'GET /api/alerts': { as: 'guard', query: () => ({ state: 'all' }) },
  'POST /api/alerts/{id}/ack': { as: 'guard', params: (s) => ({ id: s.alertId }) },
  'POST /api/alerts/{id}/resolve': { as: 'guard', params: (s) => ({ id: s.alertId }), body: () => ({ remeasuredTemperature: '38.1', outcome: 'referred' }) },
  'GET /api/events': { as: 'guard', exempt: { inject: 'an endless text/event-stream: tested over a real socket in scope.db.test.ts' } },
  'POST /api/r/register': { as: 'public', body: (s) => personForm(s.key), exempt: { scope: RESIDENT_SCOPE, audit: OWN_DATA } },
  'POST /api/r/dependents': {
    as: 'resident', body: (s) => personForm(s.key, { phone: '' }),
    exempt: { audit: OWN_DATA, scope: 'a family member may live in another district; an already registered document binds only with its phone (registration tests)' },
  },
  'DELETE /api/r/dependents/{personId}': { as: 'resident', params: (s) => ({ personId: s.dependent2.id }), exempt: { audit: OWN_DATA } },
  'POST /api/r/rebind-code': {
    as: 'public', body: (s) => ({ docType: 'resident_id', docNumber: s.isolated.docNumber }),
    exempt: { scope: RESIDENT_SCOPE, audit: OWN_DATA },
  },
  'POST /api/persons/lookup': {
    as: ['guard', 'info_officer', 'community_worker', 'police', 'place_manager'],
    body: (s) => ({ docType: 'resident_id', docNumber: s.walker.docNumber }), exempt: { scope: BY_DOCUMENT },
  },
  'POST /api/persons': {
    as: ['guard', 'info_officer', 'community_worker', 'place_manager', 'admin'],
    body: (s) => personForm(s.key, { phone: '' }), exempt: { scope: BY_DOCUMENT },
  },
  'POST /api/persons/rebind': {
    as: ['guard', 'info_officer', 'community_worker', 'place_manager', 'admin'], body: (s) => ({ code: s.rebindCode }),
    exempt: { scope: 'the one-time code is the credential, redeemed after checking the ID card in person at any gate' },
  },
  'GET /api/persons/{id}': { as: 'community_worker', params: (s) => ({ id: s.walker.personId }) },
  'POST /api/persons/{id}/status': {
    as: 'community_doctor', params: (s) => ({ id: s.statusTarget.id }), body: () => ({ status: 'medical_observation', reason: '密切接触者，医学观察14天' }),
  },
  'GET /api/r/me': { as: 'resident', exempt: { audit: OWN_DATA } },
  'POST /api/places/import': {
    as: 'community_worker', query: () => ({ filename: 'places.csv' }),
    outsider: { status: [422], code: 'import_invalid', why: 'rows of another area are refused per row; nothing is imported' },
    upload: (s) => ({ type: 'application/octet-stream', data: Buffer.from(`社区编码,场所名称,场所类型,地址,卡点名称\n${s.areas.community},导入小区${next()},居民小区,幸福路1号,东门\n`) }),
  },
  'GET /api/posters/check': { as: 'community_worker', query: (s) => ({ areaCode: s.areas.community }) },
  'GET /api/posters': { as: 'community_worker', query: (s) => ({ areaCode: s.areas.community }) },
};

export interface OpenRoute { key: string; method: string; path: string; op: Record<string, any> }

/** Every route of the app's /openapi.json. */
export async function openapiRoutes(app: FastifyInstance): Promise<OpenRoute[]> {
  const doc = (await app.inject({ url: '/openapi.json' })).json();
  const out: OpenRoute[] = [];
  for (const [path, ops] of Object.entries<Record<string, any>>(doc.paths)) {
    for (const [m, op] of Object.entries(ops)) out.push({ key: `${m.toUpperCase()} ${path}`, method: m.toUpperCase(), path, op });
  }
  return out;
}

/** Routes of /openapi.json without an entry, and entries without a route (both must be empty). */
export function coverageGaps(routes: OpenRoute[]): { missing: string[]; stale: string[] } {
  const keys = new Set(routes.map((r) => r.key));
  return { missing: [...keys].filter((k) => !ROUTES[k]), stale: Object.keys(ROUTES).filter((k) => !keys.has(k)) };
}

/** The callers of a route case, the default one first. */
export const actorsOf = (rc: RouteCase): Actor[] => (Array.isArray(rc.as) ? rc.as : [rc.as]);

/** The JSON body's root schema of a route (undefined when it takes none or a raw file). */
export function bodySchema(r: OpenRoute): Record<string, any> | undefined {
  return r.op.requestBody?.content?.['application/json']?.schema;
}

/** `/api/places/{id}` with `{id}` replaced by the percent-encoded `params.id`. @throws when a param is missing. */
export function fillPath(path: string, params: Record<string, string>): string {
  return path.replace(/\{(\w+)\}/g, (_, k: string) => {
    const v = params[k];
    if (v === undefined) throw new Error(`no value for path param ${k} of ${path}`);
    // a lone surrogate cannot be percent-encoded: send it as the invalid UTF-8 bytes it would be
    return encodeURIComponent(v.replace(/\p{Cs}/gu, '\u0001')).replace(/%01/g, '%ED%A0%80');
  });
}

export interface CallOptions {
  /** Whose records fill params, query and body (default: the caller's side). */
  data?: SideKey;
  actor?: Actor;
  params?: Record<string, string>;
  query?: Record<string, string>;
  /** A JSON body (object) or raw text/bytes with `contentType`. */
  body?: unknown;
  raw?: string | Buffer;
  contentType?: string;
  lang?: 'en';
  /** No cookie at all. */
  anonymous?: boolean;
  /** This Cookie header instead of the actor's. */
  cookie?: string;
  headers?: Record<string, string>;
}

/** The cookie of `actor` on `side` (a fresh session when the route asks for one). */
export async function cookieOf(w: World, side: Side, actor: Actor, fresh = false): Promise<string | undefined> {
  if (actor === 'public') return undefined;
  if (actor === 'resident') return side.resident.cookie;
  const staff = actor === 'passwordUser' ? side.passwordUser : side.staff[actor];
  return fresh ? newSession(w.t, staff.id) : staff.cookie;
}

/** Call route `key` as `actorSide`'s caller with `opts` (defaults from the route table). Each call comes from a new client IP. */
export async function call(w: World, key: string, actorSide: SideKey, opts: CallOptions = {}): Promise<LightMyRequestResponse> {
  const rc = ROUTES[key];
  if (!rc) throw new Error(`no route case for ${key}`);
  const [method, path] = key.split(' ') as [string, string];
  const caller = w[actorSide];
  const data = w[opts.data ?? actorSide];
  const actor = opts.actor ?? actorsOf(rc)[0]!;
  const cookie = opts.anonymous ? undefined : opts.cookie ?? await cookieOf(w, caller, actor, rc.freshSession);
  const query = opts.query ?? rc.query?.(data) ?? {};
  const headers: Record<string, string> = {
    'x-forwarded-for': `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`, ...(cookie ? { cookie } : {}),
    ...(opts.lang ? { 'accept-language': 'en-US,en;q=0.9' } : {}), ...opts.headers,
  };
  let payload: string | Buffer | undefined;
  if (opts.raw !== undefined) {
    payload = opts.raw;
    headers['content-type'] = opts.contentType ?? 'application/json';
  } else if (opts.body !== undefined) {
    payload = JSON.stringify(opts.body);
    headers['content-type'] = opts.contentType ?? 'application/json';
  } else if (rc.upload) {
    const u = rc.upload(data);
    payload = u.data;
    headers['content-type'] = u.type;
  } else if (rc.body) {
    payload = JSON.stringify(rc.body(data));
    headers['content-type'] = 'application/json';
  }
  const url = fillPath(path, opts.params ?? rc.params?.(data) ?? {});
  return w.t.app.inject({ method: method as 'GET', url, query, headers, payload });
}

/**
 * True when a JSON answer carries a person's data: a personId, maskedName, docMasked or docNumber
 * anywhere, or a non-empty `person` / `persons`. A bare `name` is no signal (places, gates, areas
 * and organisations have names); a person's name always travels with one of the keys above.
 */
export function hasPersonData(v: unknown): boolean {
  if (Array.isArray(v)) return v.some(hasPersonData);
  if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      if (['personId', 'maskedName', 'docMasked', 'docNumber'].includes(k) && x !== null) return true;
      if ((k === 'person' || k === 'persons') && x && (typeof x === 'object')) {
        if (!Array.isArray(x) || x.length > 0) return true;
      }
      if (hasPersonData(x)) return true;
    }
  }
  return false;
}

/** The `{error: {code, message}}` of a refusal, checked for shape and language. @returns a problem or null. */
export function errorProblem(res: LightMyRequestResponse, lang: 'zh' | 'en'): string | null {
  let body: any;
  try {
    body = res.json();
  } catch {
    return `not JSON: ${res.body.slice(0, 120)}`;
  }
  const m = body?.error?.message;
  if (typeof body?.error?.code !== 'string' || typeof m !== 'string' || m.trim() === '') return `no error code/message: ${res.body.slice(0, 200)}`;
  const cjk = /[\u4e00-\u9fff]/;
  if (lang === 'zh' && !cjk.test(m)) return `message not in Chinese: ${m}`;
  // an English message may quote what was sent or name a Chinese column; it must be mostly English
  if (lang === 'en') {
    const rest = m.replace(/"[^"]*"|“[^”]*”/g, '');
    if ((rest.match(/[\u4e00-\u9fff]/g) ?? []).length * 2 > (rest.match(/[A-Za-z]/g) ?? []).length) return `message not in English: ${m}`;
  }
  if (['请求不正确', 'Bad request', '格式不正确', ' is invalid'].includes(m)) return `message not clear: ${m}`;
  return null;
}

/** A test app on a fresh database with the two-district world built, and the documented routes. */
export async function openWorld(): Promise<{ t: TestApp; w: World; routes: OpenRoute[] }> {
  const t = await createTestApp();
  const w = await buildWorld(t);
  await seedReportFixtures(w); // a published report of each side (routes/reports.ts)
  return { t, w, routes: await openapiRoutes(t.app) };
}
