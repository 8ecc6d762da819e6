/**
 * Issue 2 acceptance: no response is a 500. First the named cases (wrong ID checksum, birth date
 * 19990230, temperatures abc / 50 / 36,5, unknown, disabled and revoked checkpoint codes, a person
 * in home isolation at a supermarket gate), then every route of /openapi.json with each path
 * parameter, query parameter and body field replaced in turn by hostile values (not a UUID, huge,
 * unicode garbage with NUL and lone surrogates, SQL-looking, negative and huge numbers), and with
 * garbage cookies. Every refusal is a 4xx `{error: {code, message}}` in Chinese.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../helpers/app';
import { personForm, type World } from '../helpers/factories/world';
import { validResidentId } from '../helpers/factories/persons';
import { gb11643CheckChar } from '../../src/modules/persons/identity';
import { drainCheckins } from '../../src/modules/checkin/service';
import { actorsOf, bodySchema, call, coverageGaps, errorProblem, openWorld, ROUTES, type OpenRoute } from './route-table';

const SQL = "1' OR '1'='1'; DROP TABLE persons; --";
const GARBAGE = '𠈌\u0000\ud800·\u202e\ufeff🙂\u0007%s%n${x}<script>';
const HUGE = 'x'.repeat(100_000);
const STRINGS = ['', '   ', SQL, GARBAGE, HUGE, '%00', '../../etc/passwd'];
const NUMBERS = ['-1', '0', '99999999999999999999', '1e309', 'NaN', '2.5'];
const PATHS = ['not-a-uuid', SQL, GARBAGE, 'x'.repeat(5000), '00000000-0000-0000-0000-000000000000', '..%2F..%2Fetc', '%00'];
const BODY_VALUES: unknown[] = [...STRINGS, -1, 1e308, true, null, [], {}, { $gt: '' }, [SQL]];

/** A wrong ID number: a valid one with its check character changed. */
const wrongChecksum = () => {
  const ok = validResidentId();
  return ok.slice(0, 17) + (ok[17] === '0' ? '1' : '0');
};
/** 19990230 does not exist; checksum and region are right. */
const feb30 = () => {
  const body = '410811199902301' + '23';
  return body + gb11643CheckChar(body);
};

describe('API: no 500, whatever is sent', () => {
  let t: TestApp;
  let w: World;
  let routes: OpenRoute[];
  beforeAll(async () => {
    ({ t, w, routes } = await openWorld());
  });
  afterAll(async () => { await t?.close(); });

  it('has a case for every route of /openapi.json', () => {
    expect(coverageGaps(routes)).toEqual({ missing: [], stale: [] });
  });

  const DOC_ROUTES = ['POST /api/r/register', 'POST /api/r/dependents', 'POST /api/persons', 'POST /api/persons/lookup', 'POST /api/r/rebind-code'];

  it.each(DOC_ROUTES)('%s: refuses a wrong ID checksum and the birth date 19990230 (400, zh and en)', async (key) => {
    for (const [docNumber, code] of [[wrongChecksum(), 'doc_checksum'], [feb30(), 'doc_birth_date']] as const) {
      const body = key.endsWith('lookup') || key.endsWith('rebind-code') ? { docType: 'resident_id', docNumber } : personForm('A', { docNumber });
      for (const lang of [undefined, 'en'] as const) {
        const res = await call(w, key, 'A', { body, lang });
        expect(res.statusCode, res.body).toBe(400);
        expect(res.json().error.code).toBe(code);
        expect(errorProblem(res, lang ?? 'zh')).toBeNull();
      }
    }
  });

  it('reads temperatures at the resident gate: abc and 50 are refused, 36,5 passes as 36.5', async () => {
    // the supermarket: a place this phone has not entered yet, so 36,5 is a new check-in, not a re-scan
    const post = (temperature: string) => call(w, 'POST /api/r/checkins', 'A', {
      body: { token: w.A.checkpoints.market.token, direction: 'in', temperature, personIds: [w.A.resident.personId] },
    });
    for (const [temp, code] of [['abc', 'temperature_format'], ['50', 'temperature_range'], ['36.5.1', 'temperature_format'], ['', 'temperature_required']]) {
      const res = await post(temp!);
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().error.code).toBe(code);
    }
    const ok = await post('36,5');
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().results[0]).toMatchObject({ outcome: 'pass', temperature: 36.5, duplicate: false });
    await drainCheckins(t.ctx);
    const row = await t.ctx.db.selectFrom('checkins').select('temperature').where('id', '=', ok.json().results[0].checkinId).executeTakeFirstOrThrow();
    expect(Number(row.temperature)).toBe(36.5);
  });

  it('reads temperatures at the guard\'s gate and in an alert\'s re-measure the same way', async () => {
    const gate = (temperature: string) => call(w, 'POST /api/gate/checkins', 'A', {
      body: { checkpointId: w.A.checkpoints.west.id, personId: w.A.noPhone.id, direction: 'in', temperature },
    });
    expect((await gate('abc')).json().error.code).toBe('temperature_format');
    expect((await gate('50')).json().error.code).toBe('temperature_range');
    const ok = await gate('36,5');
    expect(ok.json().results[0]).toMatchObject({ outcome: 'pass', temperature: 36.5, duplicate: false });
    const resolve = (remeasuredTemperature: string) => call(w, 'POST /api/alerts/{id}/resolve', 'A', { body: { remeasuredTemperature, outcome: 'cleared' } });
    expect((await resolve('abc')).json().error.code).toBe('temperature_format');
    expect((await resolve('50')).json().error.code).toBe('temperature_range');
    const cleared = await resolve('36,5');
    expect(cleared.statusCode, cleared.body).toBe(200);
    await drainCheckins(t.ctx);
    const alert = await t.ctx.db.selectFrom('fever_alerts').selectAll().where('id', '=', w.A.alertId).executeTakeFirstOrThrow();
    expect(Number(alert.remeasured_temperature)).toBe(36.5);
  });

  it('answers an unknown code 404 and a disabled or replaced checkpoint code 410, with the reason', async () => {
    const cases: [string, number, string][] = [
      ['AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', 404, 'checkpoint_unknown'], ['not a token', 404, 'checkpoint_unknown'], [SQL, 404, 'checkpoint_unknown'],
      [w.A.checkpoints.disabled.token, 410, 'checkpoint_disabled'], [w.A.revokedToken, 410, 'checkpoint_revoked'],
    ];
    for (const [token, status, code] of cases) {
      const scan = await call(w, 'GET /api/r/checkpoint/{token}', 'A', { params: { token } });
      const post = await call(w, 'POST /api/r/checkins', 'A', { body: { token, direction: 'in', temperature: '36.5', personIds: [w.A.resident.personId] } });
      for (const res of [scan, post]) {
        expect(res.statusCode, res.body).toBe(status);
        expect(res.json().error.code).toBe(code);
        expect(errorProblem(res, 'zh')).toBeNull();
      }
    }
    const guard = await call(w, 'POST /api/gate/checkins', 'A', { body: { checkpointId: w.A.checkpoints.disabled.id, personId: w.A.noPhone.id, direction: 'out' } });
    expect(guard.statusCode).toBeGreaterThanOrEqual(400);
    expect(guard.statusCode).toBeLessThan(500);
  });

  it('refuses a person in home isolation at a supermarket gate, with the reason shown (zh and en)', async () => {
    const p = w.A.isolated;
    const scan = await t.app.inject({ url: `/api/r/checkpoint/${w.A.checkpoints.market.token}`, headers: { cookie: p.cookie } });
    expect(scan.json().place.kind).toBe('supermarket');
    expect(scan.json().persons[0]).toMatchObject({ status: 'home_isolation', statusLabel: '居家隔离' });
    for (const [lang, words] of [['zh', ['居家隔离', '自武汉返焦']], ['en', ['Home isolation', '自武汉返焦']]] as const) {
      const res = await t.app.inject({ method: 'POST', url: '/api/r/checkins', headers: { cookie: p.cookie, 'accept-language': lang },
        payload: { token: w.A.checkpoints.market.token, direction: 'in', temperature: '36.4', personIds: [p.personId] } });
      expect(res.statusCode).toBe(200);
      const r = res.json().results[0];
      expect(r).toMatchObject({ outcome: 'refused', reasonCode: 'status_barred' });
      for (const word of words) expect(r.reason).toContain(word);
    }
    const stays = await t.ctx.db.selectFrom('stays').select('id').where('person_id', '=', p.personId).execute();
    expect(stays).toEqual([]);
  });

  it.each(Object.entries(ROUTES).filter(([, rc]) => !rc.exempt?.inject))('%s: hostile params, query, body and cookies never give a 500', async (key, rc) => {
    const r = routes.find((x) => x.key === key)!;
    const actors = actorsOf(rc);
    const params = rc.params?.(w.A) ?? {};
    const query = rc.query?.(w.A) ?? {};
    const body = rc.body?.(w.A) as Record<string, unknown> | undefined;
    const tries: Parameters<typeof call>[3][] = [];
    for (const k of Object.keys(params)) for (const v of PATHS) tries.push({ params: { ...params, [k]: v } });
    const queryNames = ((r.op.parameters ?? []) as { name: string; in: string }[]).filter((p) => p.in === 'query').map((p) => p.name);
    for (const k of queryNames) for (const v of [...STRINGS, ...NUMBERS]) tries.push({ query: { ...query, [k]: v } });
    if (body && bodySchema(r)) for (const k of Object.keys(bodySchema(r)!.properties ?? {})) for (const v of BODY_VALUES) tries.push({ body: { ...body, [k]: v } });
    for (const cookie of ['yiqu_staff=' + SQL, 'yiqu_device=' + GARBAGE.replace(/[^\x20-\x7e]/g, 'x'), `yiqu_staff=${'a'.repeat(4000)}; yiqu_device=x.y`]) {
      tries.push({ cookie });
    }
    const lang = { 'accept-language': GARBAGE.replace(/[^\x20-\x7e]/g, '?') };
    if (tries[0]) tries[0].headers = lang; // (a request that passes would run the whole route, e.g. a PDF, once more)
    else tries.push({ headers: lang });
    const problems: string[] = [];
    for (const [i, opts] of tries.entries()) {
      const res = await call(w, key, 'A', { actor: actors[i % actors.length], ...opts });
      if (res.statusCode >= 500) problems.push(`${JSON.stringify(opts).slice(0, 120)} → ${res.statusCode} ${res.body.slice(0, 120)}`);
      else if (res.statusCode >= 400 && res.statusCode !== 429) {
        const p = errorProblem(res, 'zh');
        if (p) problems.push(`${JSON.stringify(opts).slice(0, 120)} → ${res.statusCode} ${p}`);
      }
    }
    await drainCheckins(t.ctx);
    expect(problems).toEqual([]);
  });
});
