/**
 * 我的通行码 (issue 3 §2): GET /api/r/pass signs one short-lived pass code per person on the phone,
 * carrying the masked name and the status, never a document number or phone, verifiable with the
 * published keys and refused once older than PASS_CODE_TTL_S.
 */
import { decodeProtectedHeader, decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app';
import { registerDevice, validResidentId } from '../../../test/helpers/factories/persons';
import { maskName } from '../../lib/mask';
import { setStatus } from '../status/service';
import { verifyToken } from '../tokens/service';
import { verifyTokenWith } from '../tokens/verify-core';

const SYSTEM = { kind: 'system' as const, id: null, role: 'system' };

describe('GET /api/r/pass', () => {
  let t: TestApp;
  let self: Awaited<ReturnType<typeof registerDevice>>;
  let elder: { id: string; name: string; docNumber: string };
  let child: { id: string; name: string; docNumber: string };

  beforeAll(async () => {
    t = await createTestApp();
    self = await registerDevice(t, { name: '欧阳通行' });
    const add = async (name: string) => {
      const docNumber = validResidentId();
      const res = await t.app.inject({ method: 'POST', url: '/api/r/dependents', headers: { cookie: self.cookie },
        payload: { name, docType: 'resident_id', docNumber, phone: '', communityCode: '410811001001', address: '1号楼' } });
      expect(res.statusCode, res.body).toBe(201);
      return { id: res.json().person.id as string, name, docNumber };
    };
    elder = await add('王𠈌华');
    child = await add('李小');
    await setStatus(t.ctx.db, elder.id, 'home_isolation', '自外地返回，居家隔离14天', SYSTEM);
  });
  afterAll(async () => { await t?.close(); });

  const get = (headers: Record<string, string> = { cookie: self.cookie }) => t.app.inject({ url: '/api/r/pass', headers });

  it('signs a code for the phone\'s owner and each dependent, with masked name, status, label and colour', async () => {
    const res = await get();
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const body = res.json();
    expect(body.refreshInS).toBe(t.ctx.config.PASS_CODE_REFRESH_S);
    expect(Math.abs(Date.parse(body.serverTime) - Date.now())).toBeLessThan(5000);
    expect(body.persons.map((p: { personId: string }) => p.personId)).toEqual([self.personId, elder.id, child.id]);
    expect(body.persons.map((p: { relation: string }) => p.relation)).toEqual(['self', 'dependent', 'dependent']);
    expect(body.persons[0]).toMatchObject({ maskedName: '欧**行', status: 'normal', statusLabel: '正常', colour: 'green' });
    expect(body.persons[1]).toMatchObject({ maskedName: '王*华', status: 'home_isolation', statusLabel: '居家隔离', colour: 'red' });
    expect(body.persons[2]).toMatchObject({ maskedName: '李*', colour: 'green' });
    const en = await get({ cookie: self.cookie, 'accept-language': 'en' });
    expect(en.json().persons[1].statusLabel).toBe('Home isolation');
  });

  it('gives tokens that verify as pass codes for PASS_CODE_TTL_S seconds, holding sub, nm and st only', async () => {
    const { persons } = (await get()).json();
    for (const p of persons as { personId: string; token: string; expiresAt: string; status: string }[]) {
      const v = await verifyToken(t.ctx, p.token, 'pass');
      expect(v).toMatchObject({ type: 'pass', sub: p.personId, iss: t.ctx.config.TOKEN_ISSUER });
      expect(v.jti).toBeUndefined();
      expect(v.exp - v.iat).toBe(t.ctx.config.PASS_CODE_TTL_S);
      expect(new Date(v.exp * 1000).toISOString()).toBe(p.expiresAt);
      expect(decodeProtectedHeader(p.token)).toMatchObject({ alg: 'ES256', typ: 'yq-pass' });
      expect(Object.keys(decodeJwt(p.token)).sort()).toEqual(['exp', 'iat', 'iss', 'nm', 'st', 'sub']);
      expect(v.claims).toMatchObject({ st: p.status });
    }
    const claims = decodeJwt(persons[1].token);
    expect(claims.nm).toBe(maskName(elder.name));
    expect(claims.st).toBe('home_isolation');
  });

  it('puts no document number, phone or full name anywhere in a token', async () => {
    const { persons } = (await get()).json();
    const secrets = [self.docNumber, self.phone, self.name, elder.docNumber, elder.name, child.docNumber, child.name];
    for (const p of persons as { token: string }[]) {
      const [h, payload] = p.token.split('.');
      const decoded = Buffer.from(h!, 'base64url').toString('utf8') + Buffer.from(payload!, 'base64url').toString('utf8');
      for (const s of secrets) {
        expect(decoded).not.toContain(s);
        expect(p.token).not.toContain(s);
      }
      // no phone- or ID-like digit run (ids are UUIDs: a UUID's last group can be 12 decimal digits by chance)
      expect(decoded.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '<uuid>')).not.toMatch(/\d{11,}/);
    }
  });

  it('verifies offline with the published keys, and a photo of the code fails after its lifetime', async () => {
    const { persons } = (await get()).json();
    const jwks = (await t.app.inject({ url: '/.well-known/jwks.json' })).json();
    const token = persons[0].token as string;
    const iat = decodeJwt(token).iat!;
    const ttl = t.ctx.config.PASS_CODE_TTL_S;
    const at = (s: number) => verifyTokenWith(token, { expect: ['pass', 'card'], jwks, nowS: s, toleranceS: 0, issuer: t.ctx.config.TOKEN_ISSUER });
    await expect(at(iat + ttl - 1)).resolves.toMatchObject({ sub: self.personId });
    await expect(at(iat + ttl + 1)).rejects.toMatchObject({ code: 'token_expired' });
    await expect(verifyToken(t.ctx, token, 'pass', new Date((iat + ttl + 10) * 1000))).rejects.toMatchObject({ status: 400, code: 'token_expired' });
    await expect(verifyToken(t.ctx, token, 'card')).rejects.toMatchObject({ code: 'token_wrong_type' });
  });

  it('follows the status register: a new status shows in the next code', async () => {
    await setStatus(t.ctx.db, child.id, 'fever_pending', '卡点测温37.9℃', SYSTEM);
    const p = (await get()).json().persons[2];
    expect(p).toMatchObject({ status: 'fever_pending', colour: 'yellow' });
    expect(decodeJwt(p.token).st).toBe('fever_pending');
  });

  it('answers 401 to a phone without a valid device cookie, and signs nothing', async () => {
    for (const headers of [{} as Record<string, string>, { cookie: 'yiqu_device=garbage' }, { cookie: `yiqu_device=${'0'.repeat(8)}-0000-0000-0000-${'0'.repeat(12)}.${'a'.repeat(43)}` }]) {
      const res = await get(headers);
      expect(res.statusCode, res.body).toBe(401);
      expect(res.json().error).toMatchObject({ code: 'device_unknown' });
      expect(res.json().error.message).toMatch(/登记/);
      expect(res.body).not.toContain('eyJ');
    }
  });
});
