/**
 * Issue 2 acceptance, over every route of /openapi.json that takes a body (and every other write):
 * a malformed body — invalid JSON text, a JSON value of the wrong kind, a missing required field, a
 * field of the wrong type, an unknown enum value, a 10 MB field, a body over the 12 MB limit, an
 * unexpected content-type — gets a 4xx with `{error: {code, message}}` in the caller's language
 * (zh by default, en with Accept-Language: en) and leaves every table of the database unchanged.
 * Variants are generated from each route's JSON schema in /openapi.json.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../helpers/app';
import type { World } from '../helpers/factories/world';
import { drainCheckins } from '../../src/modules/checkin/service';
import { changedTables, dbState } from './db-state';
import {
  actorsOf, bodySchema, call, cookieOf, coverageGaps, errorProblem, openWorld, ROUTES, type OpenRoute, type RouteCase,
} from './route-table';

/** `once`: sent in one language only (large bodies: the language check is done by the others). */
interface Variant { name: string; raw: string | Buffer; contentType: string; once?: boolean }

const TEN_MB = 10 * 1024 * 1024;
const OVER_LIMIT = 13 * 1024 * 1024; // above BODY_LIMIT_BYTES (12 MB)
const json = (name: string, v: unknown): Variant => ({ name, raw: JSON.stringify(v), contentType: 'application/json' });

/** A value that the property's schema refuses by type. */
function wrongType(p: Record<string, any>): unknown {
  const types: string[] = p.anyOf ? p.anyOf.map((x: any) => x.type) : [p.type];
  if (types.includes('string') && types.includes('number')) return { nested: true };
  if (types.includes('string')) return 12345;
  if (types.includes('number') || types.includes('integer')) return 'not-a-number';
  if (types.includes('array')) return 'not-an-array';
  if (types.includes('boolean')) return 'yes';
  return 'not-an-object';
}

const allowsString = (p: Record<string, any>) => p.type === 'string' || (p.anyOf ?? []).some((x: any) => x.type === 'string');

/** Malformed variants of a route's body, from its schema and a valid body. */
function variants(r: OpenRoute, rc: RouteCase, valid: unknown): Variant[] {
  const out: Variant[] = [
    { name: 'invalid JSON text', raw: '{"name": "张三", ', contentType: 'application/json' },
    { name: 'XML content-type', raw: '<person><name>张三</name></person>', contentType: 'application/xml' },
    { name: 'form content-type', raw: 'name=%E5%BC%A0&x=1', contentType: 'application/x-www-form-urlencoded' },
    { name: `${OVER_LIMIT} bytes (over the body limit)`, raw: Buffer.alloc(OVER_LIMIT, 0x61), contentType: rc.upload ? 'application/octet-stream' : 'application/json', once: true },
  ];
  if (rc.upload) {
    return [...out, json('JSON instead of a file', { name: '张三' }),
      { name: 'empty file', raw: Buffer.alloc(0), contentType: 'application/octet-stream' },
      { name: 'binary garbage', raw: Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)), contentType: 'application/octet-stream' },
      { name: 'a header without rows', raw: Buffer.from('姓名,社区编码,场所名称\n'), contentType: 'text/csv' }];
  }
  const schema = bodySchema(r);
  if (!schema) return out; // a write without a body: only unreadable payloads are tested
  out.push(json('JSON array', []), json('JSON string', '张三'), json('JSON null', null), json('JSON number', 42),
    { name: 'JSON as text/plain', raw: JSON.stringify(valid), contentType: 'text/plain' });
  const props: Record<string, Record<string, any>> = schema.properties ?? {};
  const base = valid as Record<string, unknown>;
  for (const k of schema.required ?? []) {
    const { [k]: _, ...rest } = base;
    out.push(json(`missing ${k}`, rest));
  }
  if ((schema.required ?? []).length) out.push(json('empty object', {}));
  for (const [k, p] of Object.entries(props)) {
    out.push(json(`${k} of the wrong type`, { ...base, [k]: wrongType(p) }));
    if (!p.nullable) out.push(json(`${k} null`, { ...base, [k]: null }));
    if (p.enum) out.push(json(`${k} not one of ${p.enum.join('/')}`, { ...base, [k]: 'no-such-value' }));
    if (p.format === 'uuid' || p.items?.format === 'uuid') out.push(json(`${k} not a UUID`, { ...base, [k]: p.items ? ['not-a-uuid'] : 'not-a-uuid' }));
  }
  const big = Object.entries(props).find(([, p]) => allowsString(p));
  if (big) out.push({ ...json(`10 MB ${big[0]}`, { ...base, [big[0]]: '测'.repeat(TEN_MB / 3) }), once: true });
  return out;
}

describe('API: malformed bodies on every write route', () => {
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

  it('refuses a NUL character anywhere in params, query or a nested body field, in the caller\'s language', async () => {
    const cases = [
      { method: 'POST' as const, url: '/api/r/checkins', payload: { token: 'x', direction: 'in', personIds: ['a'], extra: { deep: [1, 'a\u0000b'] } } },
      { method: 'GET' as const, url: `/api/r/checkpoint/ab${encodeURIComponent('\u0000')}cd` },
      { method: 'GET' as const, url: `/healthz?x=${encodeURIComponent('\u0000')}` },
    ];
    for (const c of cases) {
      for (const [lang, text] of [['zh-CN', '空字符'], ['en', 'NUL character']] as const) {
        const res = await t.app.inject({ ...c, headers: { 'accept-language': lang } });
        expect(res.statusCode, c.url).toBe(400);
        expect(res.json().error.code).toBe('nul_character');
        expect(res.json().error.message).toContain(text);
      }
    }
    const ok = await t.app.inject({ method: 'GET', url: '/healthz?x=a' });
    expect(ok.statusCode).toBe(200);
  });

  const writes = Object.entries(ROUTES).filter(([k, rc]) => !k.startsWith('GET ') && !rc.exempt?.inject);

  it.each(writes)('%s: refuses malformed bodies with a 4xx in the caller\'s language, changing nothing', async (key, rc) => {
    const r = routes.find((x) => x.key === key);
    expect(r, `${key} is not in /openapi.json`).toBeDefined();
    const valid = rc.body?.(w.A);
    const problems: string[] = [];
    const cookie = await cookieOf(w, w.A, actorsOf(rc)[0]!, rc.freshSession);
    const start = await dbState(t.ctx.db);
    for (const v of variants(r!, rc, valid)) {
      const before = await dbState(t.ctx.db, false);
      for (const lang of v.once ? ['zh'] as const : ['zh', 'en'] as const) {
        const res = await call(w, key, 'A', { raw: v.raw, contentType: v.contentType, cookie, lang: lang === 'en' ? 'en' : undefined });
        if (res.statusCode < 400 || res.statusCode >= 500) {
          problems.push(`${v.name} [${lang}]: ${res.statusCode} ${res.body.slice(0, 160)}`);
          continue;
        }
        const p = errorProblem(res, lang);
        if (p) problems.push(`${v.name} [${lang}]: ${res.statusCode} ${p}`);
      }
      await drainCheckins(t.ctx);
      const changed = changedTables(before, await dbState(t.ctx.db, false));
      if (changed.length) problems.push(`${v.name}: changed the row count of ${changed.join(', ')}`);
    }
    const changed = changedTables(start, await dbState(t.ctx.db));
    if (changed.length) problems.push(`the variants changed the content of ${changed.join(', ')}`);
    expect(problems).toEqual([]);
  });
});
