import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app';
import { buildPerson, registerDevice, testPhone, validResidentId } from '../../../test/helpers/factories/persons';
import { buildCheckpoint, buildPlace } from '../../../test/helpers/factories/places';
import { buildStaff, signInAs } from '../../../test/helpers/factories/staff';
import type { Role } from '../staff/roles';
import { DEVICE_COOKIE, deviceFromRequest } from './devices';
import { LOOKUPS_PER_MIN } from './limits';

const SHANYANG_COMMUNITY = '410811001001'; // 山阳区 东方红街道 文化巷社区
const JIEFANG_COMMUNITY = '410802001001'; // 解放区 民生街道 枫华园社区

describe('staff routes of persons', { timeout: 120_000 }, () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp(); }, 120_000);
  afterAll(async () => { await t?.close(); }, 120_000);

  const as = async (role: Role, areaCode: string) => signInAs(t, await buildStaff(t.ctx, { role, areaCode }));
  const post = (url: string, cookie: string, payload: object, lang?: string) =>
    t.app.inject({ method: 'POST', url, payload, headers: { cookie, ...(lang ? { 'accept-language': lang } : {}) } });
  const auditRows = (personId: string, action: string) => t.ctx.db.selectFrom('audit_log').selectAll()
    .where('person_id', '=', personId).where('action', '=', action).orderBy('id').execute();

  it('looks a person up by document: masked answer with status, audited, never the number in the log', async () => {
    const p = await buildPerson(t.ctx, { name: '周杰', status: 'home_isolation', reason: '武汉返回' });
    const guard = await as('guard', SHANYANG_COMMUNITY);
    const res = await post('/api/persons/lookup', guard, { docType: 'resident_id', docNumber: p.docNumber.toLowerCase() });
    expect(res.statusCode).toBe(200);
    expect(res.json().person).toMatchObject({ id: p.id, maskedName: '周*', status: { code: 'home_isolation', label: '居家隔离', reason: '武汉返回' } });
    expect(res.json().person.docMasked).toBe(`${p.docNumber.slice(0, 6)}********${p.docNumber.slice(14)}`);
    const rows = await auditRows(p.id, 'person.lookup');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ actor_kind: 'staff', actor_role: 'guard' });
    expect(JSON.stringify(rows[0])).not.toContain(p.docNumber);

    const missing = await post('/api/persons/lookup', guard, { docType: 'resident_id', docNumber: validResidentId() });
    expect(missing.statusCode).toBe(404);
    const probes = await t.ctx.db.selectFrom('audit_log').select('detail').where('action', '=', 'person.lookup').where('person_id', 'is', null).execute();
    expect(probes.map((r) => r.detail.found)).toEqual([false]);
    const invalid = await post('/api/persons/lookup', guard, { docType: 'resident_id', docNumber: '123' }, 'en');
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json().error.message).toMatch(/18 characters/);
  });

  it('limits look-ups per account and refuses roles without the permission', async () => {
    const p = await buildPerson(t.ctx);
    const guard = await as('guard', SHANYANG_COMMUNITY);
    const other = await as('guard', SHANYANG_COMMUNITY);
    const body = { docType: 'resident_id', docNumber: p.docNumber };
    for (let i = 0; i < LOOKUPS_PER_MIN; i++) expect((await post('/api/persons/lookup', guard, body)).statusCode).toBe(200);
    const limited = await post('/api/persons/lookup', guard, body);
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error.code).toBe('rate_limited');
    expect(limited.json().error.message).toMatch(/操作过于频繁/);
    expect((await auditRows(p.id, 'person.lookup')).length).toBe(LOOKUPS_PER_MIN); // the refused one read nothing
    // registering a known document answers the same as a look-up: the same budget, not a second one
    const again = await post('/api/persons', guard, { name: '周某', docType: 'resident_id', docNumber: p.docNumber, communityCode: SHANYANG_COMMUNITY, address: '1号楼' });
    expect(again.statusCode).toBe(429);
    expect((await post('/api/persons/lookup', other, body)).statusCode).toBe(200); // another account has its own budget
    const counsellor = await as('counsellor', '410811');
    expect((await post('/api/persons/lookup', counsellor, body)).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'POST', url: '/api/persons/lookup', payload: body })).statusCode).toBe(401);
  });

  it('lets a guard register a person without a phone, and answers an existing document with that person', async () => {
    const guard = await as('guard', SHANYANG_COMMUNITY);
    const docNumber = validResidentId({ birth: '19400101' });
    const form = { name: '刘老汉', docType: 'resident_id', docNumber, communityCode: SHANYANG_COMMUNITY, address: '5号院' };
    const res = await post('/api/persons', guard, form);
    expect(res.statusCode).toBe(201);
    expect(res.json().person).toMatchObject({ maskedName: '刘*汉', created: true, status: { code: 'normal' } });
    const row = await t.ctx.db.selectFrom('persons').select(['phone', 'registered_via', 'birth_date']).where('id', '=', res.json().person.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ phone: null, registered_via: 'guard', birth_date: '1940-01-01' });
    expect(await auditRows(res.json().person.id, 'person.register')).toHaveLength(1);
    const again = await post('/api/persons', guard, { ...form, name: '别人' });
    expect(again.statusCode).toBe(200);
    expect(again.json().person).toMatchObject({ id: res.json().person.id, created: false, maskedName: '刘*汉' });
    const bad = await post('/api/persons', guard, { ...form, docNumber: validResidentId(), name: '' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('name_empty');
  });

  it('shows a record only inside the subtree (home or a check-in there), audited, full number only to authorised roles', async () => {
    const p = await buildPerson(t.ctx, { name: '欧阳娜娜', homeCommunityCode: SHANYANG_COMMUNITY });
    const worker = await as('community_worker', SHANYANG_COMMUNITY);
    const res = await t.app.inject({ url: `/api/persons/${p.id}`, headers: { cookie: worker } });
    expect(res.statusCode).toBe(200);
    expect(res.json().person).toMatchObject({ name: '欧阳娜娜', docNumber: p.docNumber, phone: p.phone, fullIdentity: true, homeCommunityName: '文化巷社区' });
    const reads = await auditRows(p.id, 'person.read');
    expect(reads).toHaveLength(1);
    expect(reads[0]).toMatchObject({ actor_role: 'community_worker', detail: { fullIdentity: true } });

    const counsellor = await as('counsellor', '410811');
    const masked = (await t.app.inject({ url: `/api/persons/${p.id}`, headers: { cookie: counsellor } })).json().person;
    expect(masked.docNumber).toBe(masked.docMasked);
    expect(masked.docNumber).not.toBe(p.docNumber);
    expect(masked.phone).toBe(`${p.phone!.slice(0, 3)}****${p.phone!.slice(7)}`);

    const elsewhere = await as('district_command', '410802'); // 解放区
    const out = await t.app.inject({ url: `/api/persons/${p.id}`, headers: { cookie: elsewhere } });
    expect(out.statusCode).toBe(404);
    expect(await auditRows(p.id, 'person.read')).toHaveLength(2); // the refused read wrote nothing

    // A check-in at a place in 解放区 brings the person into that district's scope.
    const place = await buildPlace(t.ctx, { communityCode: JIEFANG_COMMUNITY });
    const { checkpoint } = await buildCheckpoint(t.ctx, place.id);
    await t.ctx.db.insertInto('checkins').values({
      id: randomUUID(), person_id: p.id, checkpoint_id: checkpoint.id, place_id: place.id, community_code: JIEFANG_COMMUNITY,
      direction: 'in', temperature: 36.5, outcome: 'pass', refusal: null, source: 'resident', actor_id: null, at: new Date(),
    }).execute();
    expect((await t.app.inject({ url: `/api/persons/${p.id}`, headers: { cookie: elsewhere } })).statusCode).toBe(200);
    expect((await t.app.inject({ url: `/api/persons/${randomUUID()}`, headers: { cookie: worker } })).statusCode).toBe(404);
    expect((await t.app.inject({ url: '/api/persons/abc', headers: { cookie: worker } })).statusCode).toBe(400);
    const guard = await as('guard', SHANYANG_COMMUNITY);
    expect((await t.app.inject({ url: `/api/persons/${p.id}`, headers: { cookie: guard } })).statusCode).toBe(403);
  });

  it('re-binds a refused phone with a one-time code after staff check the ID card', async () => {
    const owner = await registerDevice(t);
    const form = { name: '李登记', docType: 'resident_id', docNumber: owner.docNumber, phone: testPhone(), communityCode: SHANYANG_COMMUNITY, address: '1' };
    const refused = await t.app.inject({ method: 'POST', url: '/api/r/register', payload: form });
    expect(refused.json().error.code).toBe('document_bound_elsewhere');

    const codeRes = await t.app.inject({ method: 'POST', url: '/api/r/rebind-code', payload: { docType: 'resident_id', docNumber: owner.docNumber } });
    expect(codeRes.statusCode).toBe(201);
    const { code } = codeRes.json();
    expect(code).toMatch(/^\d{6}$/);
    const newPhone = String(codeRes.headers['set-cookie']).split(';')[0]!;
    const stored = await t.ctx.db.selectFrom('rebind_codes').selectAll().execute();
    expect(JSON.stringify(stored)).not.toContain(code);

    const guard = await as('guard', SHANYANG_COMMUNITY);
    const wrong = await post('/api/persons/rebind', guard, { code: code === '000000' ? '000001' : '000000' });
    expect(wrong.statusCode).toBe(404);
    expect(wrong.json().error.code).toBe('rebind_code_invalid');
    const ok = await post('/api/persons/rebind', guard, { code });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().person).toMatchObject({ id: owner.personId, maskedName: '李*记', relation: 'self' });
    expect((await post('/api/persons/rebind', guard, { code })).statusCode).toBe(404); // used once

    const on = (cookie: string) => deviceFromRequest(t.ctx, { cookies: { [DEVICE_COOKIE]: cookie.split('=')[1] } } as never);
    expect((await on(newPhone))?.persons).toEqual([{ id: owner.personId, relation: 'self' }]);
    expect((await on(owner.cookie))?.persons).toEqual([]); // the old phone's 'self' binding is moved
    const bind = (await auditRows(owner.personId, 'device.bind')).at(-1)!;
    expect(bind).toMatchObject({ actor_kind: 'staff', actor_role: 'guard', detail: { via: 'staff_rebind', removedSelfFrom: 1 } });
  });
});
