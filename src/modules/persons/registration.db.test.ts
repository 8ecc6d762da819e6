import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cookieFrom, createTestApp, type TestApp } from '../../../test/helpers/app';
import { buildPerson, registerDevice, testPhone, validResidentId } from '../../../test/helpers/factories/persons';
import { sha256 } from '../staff/auth';
import { DEVICE_COOKIE, deviceFromRequest } from './devices';
import { gb11643CheckChar } from './identity';
import { MAX_DEPENDENTS } from './residents';
import { BIND_FAILURES_PER_CLIENT, BIND_FAILURES_PER_DOCUMENT } from './bind-attempts';

const form = (over: Record<string, unknown> = {}) => ({
  name: '王小明', docType: 'resident_id', docNumber: validResidentId(), phone: testPhone(),
  communityCode: '410811001001', address: '3号楼1单元201', ...over,
});

describe('resident registration and devices', { timeout: 120_000 }, () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp(); }, 120_000);
  afterAll(async () => { await t?.close(); }, 120_000);

  const post = (url: string, payload: unknown, cookie?: string, lang?: string) => t.app.inject({
    method: 'POST', url, payload: payload as object,
    headers: { ...(cookie ? { cookie } : {}), ...(lang ? { 'accept-language': lang } : {}) },
  });
  /** A device with no person bound: its cookie. */
  const bareDevice = async () => {
    const secret = randomBytes(32).toString('base64url');
    const d = await t.ctx.db.insertInto('devices').values({ secret_hash: sha256(secret) }).returning('id').executeTakeFirstOrThrow();
    return `${DEVICE_COOKIE}=${d.id}.${secret}`;
  };
  const count = async (table: 'persons' | 'device_persons' | 'devices') =>
    Number((await t.ctx.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  it('registers, sets an httpOnly Lax device cookie without personal data, and stores the identity', async () => {
    const f = form({ docNumber: validResidentId({ birth: '19850615', sex: 'F' }) });
    const res = await post('/api/r/register', f);
    expect(res.statusCode).toBe(201);
    expect(res.json().person).toMatchObject({ maskedName: '王*明', relation: 'self' });
    const setCookie = String(res.headers['set-cookie']);
    expect(setCookie).toMatch(new RegExp(`^${DEVICE_COOKIE}=[0-9a-f-]{36}\\.[A-Za-z0-9_-]{43};`));
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/);
    expect(setCookie).toMatch(/Secure/); // PUBLIC_URL is https in tests
    expect(setCookie).toMatch(/Max-Age=34560000/);
    expect(setCookie).not.toContain(f.docNumber);
    expect(setCookie).not.toContain(f.phone);
    const p = await t.ctx.db.selectFrom('persons').selectAll().where('id', '=', res.json().person.id).executeTakeFirstOrThrow();
    expect(p).toMatchObject({ name: '王小明', doc_number: f.docNumber, birth_date: '1985-06-15', sex: 'F', phone: f.phone, registered_via: 'self' });
    expect(p.doc_masked).toBe(`${f.docNumber.slice(0, 6)}********${f.docNumber.slice(14)}`);
    expect(p.doc_hash).toMatch(/^[0-9a-f]{64}$/);
    const secret = setCookie.split(';')[0]!.split('.')[1]!;
    const dev = await t.ctx.db.selectFrom('devices').select('secret_hash').executeTakeFirstOrThrow();
    expect(dev.secret_hash).not.toContain(secret);
    const bind = await t.ctx.db.selectFrom('audit_log').selectAll().where('person_id', '=', p.id).where('action', '=', 'device.bind').executeTakeFirstOrThrow();
    expect(bind.actor_kind).toBe('resident');
    expect(bind.detail).toMatchObject({ relation: 'self', via: 'register' });
  });

  it('refuses a wrong checksum, the birth date 19990230 and a bad phone, in Chinese or English, changing nothing', async () => {
    const good = validResidentId();
    const last = good[17] === '0' ? '1' : '0';
    const before = [await count('persons'), await count('devices')];
    const bad = await post('/api/r/register', form({ docNumber: good.slice(0, 17) + last }));
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatchObject({ code: 'doc_checksum', message: '证件号码校验位错误，请核对后重新输入', details: { field: 'docNumber' } });
    const body = `41081119990230123`;
    const feb30 = await post('/api/r/register', form({ docNumber: body + gb11643CheckChar(body) }), undefined, 'en');
    expect(feb30.statusCode).toBe(400);
    expect(feb30.json().error.code).toBe('doc_birth_date');
    expect(feb30.json().error.message).toMatch(/19990230.*not a valid date/);
    const phone = await post('/api/r/register', form({ phone: '12345' }));
    expect(phone.json().error).toMatchObject({ code: 'phone_format', details: { field: 'phone' } });
    const noPhone = await post('/api/r/register', form({ phone: '' }));
    expect(noPhone.json().error.code).toBe('phone_required');
    const comm = await post('/api/r/register', form({ communityCode: '410811001' })); // a street, not a community
    expect(comm.json().error.code).toBe('community_unknown');
    const formula = await post('/api/r/register', form({ name: '=HYPERLINK("x")' }));
    expect(formula.json().error.code).toBe('name_chars');
    const missing = await post('/api/r/register', { name: '张三' });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.message).toContain('证件号码');
    expect([await count('persons'), await count('devices')]).toEqual(before);
  });

  it('stores rare characters and middle-dot names exactly', async () => {
    for (const name of ['王𠈌', '阿沛·阿旺晋美', '买买提·艾力']) {
      const r = await registerDevice(t, { name });
      const p = await t.ctx.db.selectFrom('persons').select('name').where('id', '=', r.personId).executeTakeFirstOrThrow();
      expect(p.name).toBe(name);
    }
    const dotted = await registerDevice(t, { name: '阿沛•阿旺晋美' }); // bullet look-alike normalized to U+00B7
    expect((await t.ctx.db.selectFrom('persons').select('name').where('id', '=', dotted.personId).executeTakeFirstOrThrow()).name).toBe('阿沛·阿旺晋美');
  });

  it('is idempotent on the same device and refuses a second own person on it', async () => {
    const r = await registerDevice(t);
    const again = await post('/api/r/register', form({ docNumber: r.docNumber, phone: r.phone }), r.cookie);
    expect(again.statusCode).toBe(200);
    expect(again.json().person.id).toBe(r.personId);
    expect(again.headers['set-cookie']).toBeUndefined();
    const other = await post('/api/r/register', form(), r.cookie);
    expect(other.statusCode).toBe(409);
    expect(other.json().error.code).toBe('device_has_self');
  });

  it('binds a second phone only when the phone number matches, with an audit row', async () => {
    const first = await registerDevice(t);
    const before = await count('device_persons');
    const other = await post('/api/r/register', form({ docNumber: first.docNumber, phone: testPhone() }));
    expect(other.statusCode).toBe(409);
    expect(other.json().error).toEqual({
      code: 'document_bound_elsewhere',
      message: '该证件已在其他手机登记。如需在本机使用，请携带证件到社区或卡点由工作人员核实后绑定。',
    });
    expect(await count('device_persons')).toBe(before);
    expect(other.headers['set-cookie']).toBeUndefined(); // the refused request created no device
    const otherName = await post('/api/r/register', form({ docNumber: first.docNumber, phone: first.phone, name: '别的名字' }));
    expect(otherName.statusCode).toBe(409); // the phone alone does not bind: the name must be the stored one too
    expect(otherName.json().error.code).toBe('document_bound_elsewhere');
    const same = await post('/api/r/register', form({ docNumber: first.docNumber, phone: `+86 ${first.phone}`, name: '李登记' }));
    expect(same.statusCode).toBe(201);
    expect(same.json().person).toMatchObject({ id: first.personId, relation: 'self' });
    const rows = await t.ctx.db.selectFrom('audit_log').selectAll().where('person_id', '=', first.personId)
      .where('action', '=', 'device.bind').orderBy('id').execute();
    expect(rows.map((r) => r.detail.via)).toEqual(['register', 'phone_match']);
    const cookie2 = cookieFrom(same);
    const deviceId2 = cookie2.split('=')[1]!.split('.')[0];
    expect(rows[1]!.detail.deviceId).toBe(deviceId2);
    const p = await t.ctx.db.selectFrom('persons').select('name').where('id', '=', first.personId).executeTakeFirstOrThrow();
    expect(p.name).toBe('李登记');
  });

  it('limits failed bindings per document and per client, and shows a phone binding on 我的', async () => {
    const from = (ip: string, payload: unknown) => t.app.inject({ method: 'POST', url: '/api/r/register', payload: payload as object, remoteAddress: ip });
    const victim = await registerDevice(t);
    // guessing the phone number of one document: BIND_FAILURES_PER_DOCUMENT tries, from anywhere
    for (let i = 0; i < BIND_FAILURES_PER_DOCUMENT; i++) {
      const r = await from(`10.9.0.${i}`, form({ docNumber: victim.docNumber, name: '李登记' }));
      expect(r.statusCode).toBe(409);
    }
    const right = form({ docNumber: victim.docNumber, name: '李登记', phone: victim.phone });
    const locked = await from('10.9.1.1', right);
    expect(locked.statusCode).toBe(429);
    expect(locked.json().error).toMatchObject({ code: 'bind_attempts', message: expect.stringContaining('分钟后再试') });
    expect(await count('device_persons')).toBeGreaterThan(0);
    // probing which documents are registered: BIND_FAILURES_PER_CLIENT refusals from one address
    const others = await Promise.all(Array.from({ length: BIND_FAILURES_PER_CLIENT + 1 }, () => registerDevice(t)));
    for (const o of others.slice(0, BIND_FAILURES_PER_CLIENT)) expect((await from('10.9.2.2', form({ docNumber: o.docNumber }))).statusCode).toBe(409);
    const last = others[BIND_FAILURES_PER_CLIENT]!;
    const right2 = form({ docNumber: last.docNumber, name: '李登记', phone: last.phone });
    expect((await from('10.9.2.2', right2)).statusCode).toBe(429);
    const bound = await from('10.9.2.3', right2); // another client, within both budgets
    expect(bound.statusCode).toBe(201);
    // the person sees that a phone bound their record
    const me = await t.app.inject({ method: 'GET', url: '/api/r/me', headers: { cookie: last.cookie } });
    const self = me.json().persons.find((x: { id: string }) => x.id === last.personId);
    expect(self.reads).toEqual([expect.objectContaining({ actorRoleLabel: '一部手机', actionLabel: '用您的证件和手机号码绑定了您的信息' })]);
  });

  it('registers a visitor with a passport and a Hong Kong mobile number (stored as E.164)', async () => {
    const passport = `E${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
    const r = await post('/api/r/register', form({ name: 'Chan Tai Man', docType: 'passport', docNumber: passport, phone: '+852 9123 4567' }));
    expect(r.statusCode, r.body).toBe(201);
    const p = await t.ctx.db.selectFrom('persons').select('phone').where('id', '=', r.json().person.id).executeTakeFirstOrThrow();
    expect(p.phone).toBe('+85291234567');
    // the same number typed another way binds a second phone
    const second = await post('/api/r/register', form({ name: 'Chan Tai Man', docType: 'passport', docNumber: passport, phone: '00852-9123-4567' }));
    expect(second.statusCode).toBe(201);
    const landline = await post('/api/r/register', form({ name: 'Chan Tai Man', docType: 'passport', docNumber: `X${passport}`, phone: '+852 2123 4567' }));
    expect([landline.statusCode, landline.json().error.code]).toEqual([400, 'phone_format']);
  });

  it('refuses a document registered by staff without a phone, with the same code', async () => {
    const p = await buildPerson(t.ctx, { phone: null, registeredVia: 'guard' });
    const res = await post('/api/r/register', form({ docNumber: p.docNumber }));
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('document_bound_elsewhere');
    expect(res.json().error.message).toContain('工作人员登记');
  });

  it('adds and removes dependents, up to the limit, and needs an own person first', async () => {
    const cookieNoSelf = await bareDevice();
    const noSelf = await post('/api/r/dependents', form(), cookieNoSelf);
    expect(noSelf.statusCode).toBe(400);
    expect(noSelf.json().error.code).toBe('no_self');
    const noDevice = await post('/api/r/dependents', form());
    expect(noDevice.statusCode).toBe(401);

    const r = await registerDevice(t);
    const dep = await post('/api/r/dependents', form({ name: '王奶奶', phone: '' }), r.cookie);
    expect(dep.statusCode).toBe(201);
    expect(dep.json().person).toMatchObject({ maskedName: '王*奶', relation: 'dependent' });
    const depRow = await t.ctx.db.selectFrom('persons').select(['phone', 'registered_via']).where('id', '=', dep.json().person.id).executeTakeFirstOrThrow();
    expect(depRow).toEqual({ phone: null, registered_via: 'family' });
    const ownAsDep = await post('/api/r/dependents', form({ docNumber: r.docNumber }), r.cookie);
    expect(ownAsDep.json().error.code).toBe('is_self');

    // The device cache sees the new binding at once.
    const info = await deviceFromRequest(t.ctx, { cookies: { [DEVICE_COOKIE]: r.cookie.split('=')[1] } } as never);
    expect(info?.persons).toEqual([{ id: r.personId, relation: 'self' }, { id: dep.json().person.id, relation: 'dependent' }]);

    for (let i = 1; i < MAX_DEPENDENTS; i++) expect((await post('/api/r/dependents', form({ phone: null }), r.cookie)).statusCode).toBe(201);
    const tooMany = await post('/api/r/dependents', form(), r.cookie);
    expect(tooMany.statusCode).toBe(409);
    expect(tooMany.json().error.code).toBe('too_many_dependents');

    const del = await t.app.inject({ method: 'DELETE', url: `/api/r/dependents/${dep.json().person.id}`, headers: { cookie: r.cookie } });
    expect(del.statusCode).toBe(200);
    const after = await deviceFromRequest(t.ctx, { cookies: { [DEVICE_COOKIE]: r.cookie.split('=')[1] } } as never);
    expect(after?.persons.map((p) => p.id)).not.toContain(dep.json().person.id);
    expect(after?.persons).toHaveLength(MAX_DEPENDENTS); // self + 7 dependents
    const delSelf = await t.app.inject({ method: 'DELETE', url: `/api/r/dependents/${r.personId}`, headers: { cookie: r.cookie } });
    expect(delSelf.statusCode).toBe(404);
    const badId = await t.app.inject({ method: 'DELETE', url: '/api/r/dependents/not-a-uuid', headers: { cookie: r.cookie } });
    expect(badId.statusCode).toBe(400);
    const unbind = await t.ctx.db.selectFrom('audit_log').select('action').where('person_id', '=', dep.json().person.id).where('action', '=', 'device.unbind').execute();
    expect(unbind).toHaveLength(1);
  });

  it('documents its routes in /openapi.json', async () => {
    const doc = (await t.app.inject('/openapi.json')).json();
    for (const path of ['/api/r/register', '/api/r/dependents', '/api/r/dependents/{personId}', '/api/r/rebind-code', '/api/r/me',
      '/api/persons', '/api/persons/lookup', '/api/persons/rebind', '/api/persons/{id}', '/api/persons/{id}/status']) {
      expect(doc.paths[path], path).toBeDefined();
    }
  });

  it('ignores a forged or tampered device cookie', async () => {
    const r = await registerDevice(t);
    const [id, secret] = r.cookie.split('=')[1]!.split('.') as [string, string];
    const tampered = `${DEVICE_COOKIE}=${id}.${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}`;
    for (const cookie of [tampered, `${DEVICE_COOKIE}=garbage`, `${DEVICE_COOKIE}=${id}`]) {
      const res = await post('/api/r/dependents', form(), cookie);
      expect(res.statusCode).toBe(401);
    }
  });
});
