/**
 * Issued certificates (SPEC S6, issue 6 §3 and acceptance) over the API and real rows:
 * - the chief doctor's signature issues a 'cert' token (issuer the center, full name, masked ID,
 *   no phone or full ID) that Debian's python3-cryptography verifies against /.well-known/jwks.json
 *   (test/helpers/verify-cert.py, no jose): valid at issue + 5 d − 1 s, expired at + 5 d + 1 s;
 * - the public verification refuses a tampered token, an unknown kid, the wrong type, an expired
 *   and a revoked certificate, each with its own code;
 * - revocation: role, reason, at once here, in the revocation list for offline scanners;
 * - nothing issued for a person no longer eligible at signing, or by a chief doctor of no center;
 * - a rare-character, middle-dot name comes back from the PDF (pdftotext) for staff and resident.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { decodeJwt, exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app';
import { registerDevice, type RegisteredDevice } from '../../../test/helpers/factories/persons';
import { buildStaff, signInAs } from '../../../test/helpers/factories/staff';
import { hasCommand, requireSystem } from '../../../test/helpers/system';
import { addDays, chinaDate } from '../../lib/time';
import type { Role } from '../staff/roles';
import { MY_CERT_EVENTS_LIMIT } from '../me/service';
import { verifyCertificate } from './certificate-service';

const COMMUNITY = '410811001001';
const DISTRICT = '410811';
const CENTER = '山阳区测试社区卫生服务中心';
const RARE = '𠈌阿依·古丽';
const PY = '/usr/bin/python3';
type Who = 'info' | 'doctor' | 'chief' | 'orphanChief' | 'outChief' | 'district' | 'firmChief' | 'farChief' | 'cityChief';

describe('issued certificates', () => {
  let t: TestApp;
  const cookies = {} as Record<Who, string>;
  const today = chinaDate();
  const fit = { temperatureC: 36.5, cough: false, chestTightness: false, otherSymptoms: '', conclusion: 'fit' };
  const answers = () => ({
    residence: Array.from({ length: 14 }, (_, i) => ({ on: addDays(today, i - 13), place: '本社区' })),
    travel: '', contactWithCases: false, contactWithAreas: false, contactNote: '', symptoms: [], destination: '郑州市', purpose: '返岗复工', acknowledged: true,
  });
  const staff = (who: Who, method: 'GET' | 'POST', url: string, payload?: unknown) =>
    t.app.inject({ method, url, headers: { cookie: cookies[who] }, ...(payload ? { payload } : {}) });
  const step = (who: Who, id: string, body: Record<string, unknown>) => staff(who, 'POST', `/api/declarations/${id}/steps`, body);

  /** A registered resident of COMMUNITY for 40 days, on a phone. */
  const resident = async (name: string): Promise<RegisteredDevice> => {
    const d = await registerDevice(t, { name, communityCode: COMMUNITY });
    const since = addDays(today, -40);
    const h = await t.ctx.db.insertInto('households').values({ community_code: COMMUNITY, room: `${Math.floor(Math.random() * 1e8)}`, resident_since: since })
      .returning('id').executeTakeFirstOrThrow();
    await t.ctx.db.insertInto('household_members').values({ household_id: h.id, person_id: d.personId, since }).execute();
    return d;
  };
  /** Submit, verify and assess: the declaration waits for the chief doctor. */
  const assessed = async (d: RegisteredDevice): Promise<string> => {
    const sub = await t.app.inject({ method: 'POST', url: '/api/r/declarations', headers: { cookie: d.cookie }, payload: { personId: d.personId, ...answers() } });
    expect(sub.statusCode, sub.body).toBe(201);
    const id = sub.json().declaration.id as string;
    expect((await step('info', id, { action: 'verify_residence' })).statusCode).toBe(200);
    expect((await step('doctor', id, { action: 'assess', assessment: fit })).statusCode).toBe(200);
    return id;
  };
  const issued = async (d: RegisteredDevice) => {
    const id = await assessed(d);
    const s = await step('chief', id, { action: 'sign' });
    expect(s.statusCode, s.body).toBe(200);
    return { declarationId: id, certificate: s.json().certificate as { id: string; token: string; name: string; state: string } };
  };
  const verify = (token: string) => t.app.inject({ method: 'POST', url: '/api/certificates/verify', payload: { token } });
  const written = async () => ({
    certs: (await t.ctx.db.selectFrom('certificates').select('id').execute()).length,
    steps: (await t.ctx.db.selectFrom('declaration_steps').select('id').execute()).length,
  });

  beforeAll(async () => {
    t = await createTestApp();
    const center = await t.ctx.db.insertInto('organisations').values({ kind: 'health_center', name: CENTER, area_code: '410811001' })
      .returning('id').executeTakeFirstOrThrow();
    const make = async (who: Who, role: Role, areaCode: string, org: string | null = null) => {
      cookies[who] = await signInAs(t, await buildStaff(t.ctx, { role, areaCode, displayName: `证明${who}`, orgId: org }));
    };
    await make('info', 'info_officer', COMMUNITY);
    await make('doctor', 'community_doctor', COMMUNITY);
    await make('chief', 'chief_doctor', DISTRICT, center.id);
    await make('orphanChief', 'chief_doctor', DISTRICT);
    await make('outChief', 'chief_doctor', '410802', center.id);
    await make('district', 'district_command', DISTRICT);
    const firm = await t.ctx.db.insertInto('organisations').values({ kind: 'enterprise', name: '焦作某某科技有限公司', area_code: DISTRICT })
      .returning('id').executeTakeFirstOrThrow();
    await make('firmChief', 'chief_doctor', DISTRICT, firm.id);
    const far = await t.ctx.db.insertInto('organisations').values({ kind: 'health_center', name: '另一街道社区卫生服务中心', area_code: '410811002' })
      .returning('id').executeTakeFirstOrThrow();
    await make('farChief', 'chief_doctor', DISTRICT, far.id);
    const citywide = await t.ctx.db.insertInto('organisations').values({ kind: 'health_center', name: '市级卫生服务中心', area_code: '4108' })
      .returning('id').executeTakeFirstOrThrow();
    await make('cityChief', 'chief_doctor', DISTRICT, citywide.id);
  });
  afterAll(async () => { await t?.close(); });

  it('issues on signature a token an independent implementation verifies against the JWKS, valid to the second', async () => {
    const d = await resident(RARE);
    const { certificate: c } = await issued(d);
    expect(c).toMatchObject({ state: 'valid', name: RARE });
    const claims = decodeJwt(c.token);
    expect(claims).toMatchObject({ nm: RARE, org: CENTER, sub: d.personId, jti: c.id, dt: '居民身份证' });
    expect(claims.iss).toMatch(/\/centers\/[0-9a-f-]{36}$/);
    expect(claims.exp! - claims.iat!).toBe(5 * 86_400);
    const person = await t.ctx.db.selectFrom('persons').select(['doc_number', 'phone', 'doc_masked']).where('id', '=', d.personId).executeTakeFirstOrThrow();
    expect(claims.idm).toBe(person.doc_masked);
    expect(claims.idm).toMatch(/^\d{6}\*{8}\d{3}[\dX]$/);
    const payload = Buffer.from(c.token.split('.')[1], 'base64url').toString('utf8');
    expect(payload).not.toContain(person.doc_number);
    if (person.phone) expect(payload).not.toContain(person.phone);

    // jose-based, on the server: the second before expiry valid, the second after expired
    const exp = claims.exp! * 1000;
    await expect(verifyCertificate(t.ctx, c.token, new Date(exp - 1000))).resolves.toMatchObject({ name: RARE, state: 'valid' });
    await expect(verifyCertificate(t.ctx, c.token, new Date(exp + 1000))).rejects.toMatchObject({ code: 'token_expired' });

    if (!requireSystem('python3-cryptography (package python3-cryptography)', hasCommand(PY)
      && (() => { try { execFileSync(PY, ['-c', 'import cryptography']); return true; } catch { return false; } })())) return;
    const jwks = (await t.app.inject({ method: 'GET', url: '/.well-known/jwks.json' })).json();
    const py = (token: string, now: number) => JSON.parse(execFileSync(PY, [path.resolve('test/helpers/verify-cert.py')],
      { input: JSON.stringify({ jwks, token, now }), encoding: 'utf8' })) as { valid: boolean; reason: string | null; claims: { nm: string } | null };
    expect(py(c.token, claims.iat!)).toMatchObject({ valid: true, claims: { nm: RARE } });
    expect(py(c.token, claims.iat! + 5 * 86_400 - 1)).toMatchObject({ valid: true });
    expect(py(c.token, claims.iat! + 5 * 86_400 + 1)).toMatchObject({ valid: false, reason: 'expired' });
    const [h, p, s] = c.token.split('.');
    const forged = Buffer.from(JSON.stringify({ ...claims, nm: '王冒名' })).toString('base64url');
    expect(py(`${h}.${forged}.${s}`, claims.iat!)).toMatchObject({ valid: false, reason: 'bad_signature' });
    expect(py(`${h}.${p}.${s}`, claims.iat!).valid).toBe(true);
  });

  it('the public verification refuses each forgery with its own reason', async () => {
    const holder = await resident('钱核验');
    const { certificate: c } = await issued(holder);
    const ok = await verify(c.token);
    expect(ok.statusCode, ok.body).toBe(200);
    // what a generic scanner or a paste gives: the whole QR text, spaces around it
    expect((await verify(` http://127.0.0.1/v#${c.token}\n`)).statusCode).toBe(200);
    expect((await verify(encodeURIComponent(`http://127.0.0.1/v#${c.token}`))).statusCode).toBe(200);
    expect(ok.json().certificate).toMatchObject({ name: '钱核验', orgName: CENTER, state: 'valid' });
    expect(ok.json().certificate.notAfterChina).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);

    const [h, p, s] = c.token.split('.');
    const tampered = Buffer.from(JSON.stringify({ ...decodeJwt(c.token), nm: '王冒名' })).toString('base64url');
    const own = await generateKeyPair('ES256');
    const unknown = await new SignJWT({ nm: '王冒名' }).setProtectedHeader({ alg: 'ES256', kid: 'ce-not-ours', typ: 'yq-cert' })
      .setIssuer(String(decodeJwt(c.token).iss)).setSubject('x').setIssuedAt().setExpirationTime('1d').sign(own.privateKey);
    const pass = (await t.app.inject({ method: 'GET', url: '/api/r/pass', headers: { cookie: (await resident('孙通行')).cookie } })).json();
    const cases: Array<[string, string]> = [
      [`${h}.${tampered}.${s}`, 'token_bad_signature'],
      [unknown, 'token_unknown_key'],
      [pass.persons?.[0]?.token ?? pass.token, 'token_wrong_type'],
      ['not a token', 'token_malformed'],
      [`${h}.${p}`, 'token_malformed'],
    ];
    for (const [token, code] of cases) {
      const r = await verify(token);
      expect(r.statusCode, `${code}: ${r.body}`).toBe(400);
      expect(r.json().error.code).toBe(code);
    }
    expect(JSON.stringify(await exportJWK(own.publicKey))).not.toContain('ce-not-ours');
    const audits = await t.ctx.db.selectFrom('audit_log').select('id').where('action', '=', 'certificate.verify').execute();
    expect(audits.length).toBeGreaterThanOrEqual(1);
    // the holder sees the verifications on 我的 ("who read my record"), in words, not codes
    const me = (await t.app.inject({ method: 'GET', url: '/api/r/me', headers: { cookie: holder.cookie } })).json();
    const reads = me.persons[0].reads as Array<{ action: string; actionLabel: string; actorRoleLabel: string }>;
    expect(reads).toContainEqual(expect.objectContaining({ action: 'certificate.verify', actionLabel: '扫码核验了您的健康申报证明', actorRoleLabel: '扫码核验方' }));
    expect(reads.filter((r) => /^[a-z_]+\.[a-z_.]+$/.test(r.actionLabel))).toEqual([]);
    expect(reads).toContainEqual(expect.objectContaining({ action: 'certificate.issue', actorRoleLabel: '社区卫生服务中心' }));
    // many verifications by whoever holds a copy cannot push the staff reads out of the list
    for (let i = 0; i < 25; i += 1) await verify(c.token);
    const after = (await t.app.inject({ method: 'GET', url: '/api/r/me', headers: { cookie: holder.cookie } })).json().persons[0].reads as typeof reads;
    expect(after.filter((r) => r.action.startsWith('certificate.'))).toHaveLength(MY_CERT_EVENTS_LIMIT);
    expect(after.some((r) => r.action === 'declaration.step')).toBe(true);
  });

  it('revocation: by role with a reason, refused at once, listed for offline scanners', async () => {
    const d = await resident('李作废');
    const { declarationId, certificate: c } = await issued(d);
    const url = `/api/certificates/${c.id}/revoke`;
    expect((await staff('doctor', 'POST', url, { reason: '虚假申报' })).statusCode).toBe(403);
    expect((await staff('outChief', 'POST', url, { reason: '虚假申报' })).statusCode).toBe(404);
    expect((await staff('farChief', 'POST', url, { reason: '虚假申报' })).json().error.code).toBe('certificate_no_center'); // another center's
    expect((await staff('chief', 'POST', url, { reason: '  ' })).json().error.code).toBe('declaration_reason_invalid');
    expect((await verify(c.token)).statusCode).toBe(200);
    const r = await staff('district', 'POST', url, { reason: '虚假申报：隐瞒武汉旅居史' });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().certificate).toMatchObject({ state: 'revoked', revokeReason: '虚假申报：隐瞒武汉旅居史' });
    expect((await verify(c.token)).json().error.code).toBe('token_revoked');
    const list = (await t.app.inject({ method: 'GET', url: '/api/tokens/revocations' })).json().revocations;
    expect(list).toContainEqual(expect.objectContaining({ jti: c.id, type: 'cert' }));
    expect((await staff('chief', 'POST', url, { reason: '再次' })).json().error.code).toBe('declaration_closed');
    const detail = (await staff('chief', 'GET', `/api/declarations/${declarationId}`)).json();
    expect(detail.declaration.state).toBe('revoked');
    expect(detail.steps.at(-1)).toMatchObject({ action: 'revoke', actorRole: 'district_command', reason: '虚假申报：隐瞒武汉旅居史' });
    const mine = (await t.app.inject({ method: 'GET', url: '/api/r/declarations', headers: { cookie: d.cookie } })).json().declarations[0];
    expect(mine.certificate.state).toBe('revoked');
    // a reprint of a revoked certificate says so across the page
    const pdf = await staff('chief', 'GET', `/api/certificates/${c.id}/pdf`);
    expect(pdf.statusCode).toBe(200);
    if (!requireSystem('pdftotext (package poppler-utils)', hasCommand('pdftotext'))) return;
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'yiqu-void-')), 'c.pdf');
    fs.writeFileSync(file, pdf.rawPayload);
    expect(execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }).replace(/\s+/g, '')).toContain('已作废');
  });

  it('issues nothing for a person no longer eligible at signing, or by a chief doctor of no center', async () => {
    const d = await resident('周新隔离');
    const id = await assessed(d);
    const before = await written();
    for (const who of ['orphanChief', 'firmChief', 'farChief', 'cityChief'] as const) {
      expect((await step(who, id, { action: 'sign' })).json().error.code, who).toBe('certificate_no_center');
      expect((await step(who, id, { action: 'refuse', reason: '不予出具' })).json().error.code, who).toBe('certificate_no_center');
    }
    expect(await written()).toEqual(before);
    await t.ctx.db.insertInto('key_persons').values({
      person_id: d.personId, community_code: COMMUNITY, category: 'home_isolation', measure: 'home_isolation',
      start_on: today, end_on: addDays(today, 13), source_kind: 'manual', source_id: null,
    }).execute();
    const s = await step('chief', id, { action: 'sign' });
    expect(s.statusCode, s.body).toBe(400);
    expect(s.json().error.code).toMatch(/^cert_ineligible_/);
    expect(s.json().error.details.possibleFrom).toBeTruthy();
    expect(await written()).toEqual(before);
    expect((await t.ctx.db.selectFrom('declarations').select('state').where('id', '=', id).executeTakeFirstOrThrow()).state).toBe('assessed');
    expect(s.json().error.message).toMatch(/^申请人目前不符合出具条件/); // worded for the chief doctor
    // 不予出具 ends it, so it does not stay open for ever
    expect((await step('chief', id, { action: 'refuse' })).json().error.code).toBe('declaration_reason_invalid');
    const r = await step('chief', id, { action: 'refuse', reason: '申请人已居家隔离，不予出具' });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().declaration.state).toBe('refused');
    expect(r.json().steps.at(-1)).toMatchObject({ action: 'refuse', reason: '申请人已居家隔离，不予出具', actorRole: 'chief_doctor' });
    const mine = (await t.app.inject({ method: 'GET', url: '/api/r/declarations', headers: { cookie: d.cookie } })).json().declarations[0];
    expect(mine).toMatchObject({ state: 'refused', returnReason: '申请人已居家隔离，不予出具', stateLabel: { zh: '不予出具' } });
  });

  it('refuses form answers that would print wrong, and a staff resubmit of a resident\'s own declaration', async () => {
    const d = await resident('冯表单');
    const post = (over: Record<string, unknown>) => t.app.inject({ method: 'POST', url: '/api/r/declarations', headers: { cookie: d.cookie },
      payload: { personId: d.personId, ...answers(), ...over } });
    const before = await written();
    const day = (n: number) => ({ on: addDays(today, n), place: '本社区' });
    expect((await post({ residence: [day(1)] })).json().error.code).toBe('residence_day_out_of_range');
    expect((await post({ residence: [day(-14)] })).json().error.code).toBe('residence_day_out_of_range');
    expect((await post({ residence: [day(0), day(0)] })).json().error.code).toBe('residence_day_repeated');
    for (const bad of ['\u202e工复岗返\u202c', '返岗\u200b复工', '返岗\u200f', '返岗\u2028复工', '返岗\u0085', '\ufeff返岗', '返岗\udb40\udc41']) {
      expect((await post({ purpose: bad })).statusCode, JSON.stringify(bad)).toBe(400);
    }
    expect((await post({ destination: '郑'.repeat(61) })).statusCode).toBe(400);
    expect(await written()).toEqual(before);
    const ok = await post({ destination: '郑州\n金水区' });
    expect(ok.statusCode, ok.body).toBe(201);
    const id = ok.json().declaration.id as string;
    expect((await step('info', id, { action: 'return', reason: '请本人说明' })).statusCode).toBe(200);
    expect((await step('doctor', id, { action: 'resubmit' })).json().error.code).toBe('declaration_resubmit_by_applicant');
    const mine = (await t.app.inject({ method: 'GET', url: '/api/r/declarations', headers: { cookie: d.cookie } })).json().declarations[0];
    expect(mine).toMatchObject({ id, state: 'returned', actions: ['resubmit'] });
    expect(mine.answers).toMatchObject({ destination: '郑州\n金水区', purpose: '返岗复工' });
  });

  it('reports at issue every printed character no font has, not only the name\'s', async () => {
    const d = await resident('褚缺字');
    const sub = await t.app.inject({ method: 'POST', url: '/api/r/declarations', headers: { cookie: d.cookie },
      payload: { personId: d.personId, ...answers(), destination: '\ue000地' } });
    const id = sub.json().declaration.id as string;
    await step('info', id, { action: 'verify_residence' });
    await step('doctor', id, { action: 'assess', assessment: fit });
    const c = (await step('chief', id, { action: 'sign' })).json().certificate;
    expect(c.missingGlyphs).toEqual(['\ue000']);
    const pdf = await staff('chief', 'GET', `/api/certificates/${c.id}/pdf`);
    expect(pdf.headers['x-yiqu-missing-glyphs']).toBe('U+E000');
  });

  it('the PDF gives the rare-character name back, for staff in scope and for the resident\'s own phone', async () => {
    const d = await resident(RARE);
    const other = await resident('吴别人');
    const { certificate: c } = await issued(d);
    const pdf = await staff('chief', 'GET', `/api/certificates/${c.id}/pdf`);
    expect(pdf.statusCode, pdf.body.slice(0, 200)).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.headers['x-yiqu-missing-glyphs']).toBe('');
    expect((await staff('outChief', 'GET', `/api/certificates/${c.id}/pdf`)).statusCode).toBe(404);
    const own = await t.app.inject({ method: 'GET', url: `/api/r/certificates/${c.id}/pdf`, headers: { cookie: d.cookie } });
    expect(own.statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: `/api/r/certificates/${c.id}/pdf`, headers: { cookie: other.cookie } })).statusCode).toBe(404);
    const printed = await t.ctx.db.selectFrom('audit_log').select('id').where('action', '=', 'certificate.print').where('person_id', '=', d.personId).execute();
    expect(printed).toHaveLength(1);
    if (!requireSystem('pdftotext (package poppler-utils)', hasCommand('pdftotext'))) return;
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'yiqu-cert-')), 'c.pdf');
    fs.writeFileSync(file, own.rawPayload);
    const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
    expect(text).toContain(RARE.replace(/\s+/g, ''));
    expect(text).toContain(CENTER);
  });
});
