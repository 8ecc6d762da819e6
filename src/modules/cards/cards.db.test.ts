/**
 * Personal cards (issue 3 §6): issued by guard and community roles for persons they may handle,
 * printed as a wallet-size PDF whose QR (read back by a real decoder from a 150 dpi rendering)
 * is a card token that verifies; re-issuing and revoking stop the old code at once and list it for
 * offline scanners; everything audited.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app';
import { buildPerson, registerDevice } from '../../../test/helpers/factories/persons';
import { buildStaff, signInAs } from '../../../test/helpers/factories/staff';
import { pdfPageCount, qrCodesOnPdfPage, requireQrTools } from '../../../test/helpers/qr';
import { maskName } from '../../lib/mask';
import { missingGlyphs } from '../../lib/pdf-fonts';
import { verifyToken } from '../tokens/service';
import { CARD_TITLE } from './pdf';
import { mayHandleCards, REISSUE_REASON } from './service';

const qrTools = requireQrTools();
const COMMUNITY = '410811001001';
const RARE_NAME = '王𠈌华'; // 𠈌 U+2020C: Ext-B, drawn by a fallback face or as □, never dropped

describe('personal cards', () => {
  let t: TestApp;
  let dir: string;
  const cookies = {} as Record<'guard' | 'worker' | 'otherGuard' | 'counsellor' | 'placeManager', string>;
  let guardId: string;
  let otherGuard: Awaited<ReturnType<typeof buildStaff>>;
  let elder: Awaited<ReturnType<typeof buildPerson>>;

  beforeAll(async () => {
    t = await createTestApp();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yiqu-cards-'));
    const guard = await buildStaff(t.ctx, { role: 'guard', areaCode: COMMUNITY });
    guardId = guard.id;
    cookies.guard = await signInAs(t, guard);
    cookies.worker = await signInAs(t, await buildStaff(t.ctx, { role: 'community_worker', areaCode: COMMUNITY }));
    otherGuard = await buildStaff(t.ctx, { role: 'guard', areaCode: '410802001001' }); // 解放区
    cookies.otherGuard = await signInAs(t, otherGuard);
    cookies.counsellor = await signInAs(t, await buildStaff(t.ctx, { role: 'counsellor', areaCode: '410811001' }));
    cookies.placeManager = await signInAs(t, await buildStaff(t.ctx, { role: 'place_manager', areaCode: COMMUNITY }));
    elder = await buildPerson(t.ctx, { name: RARE_NAME, phone: null, registeredVia: 'guard', homeCommunityCode: COMMUNITY });
  });
  afterAll(async () => {
    await t?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const req = (who: keyof typeof cookies | null, method: 'GET' | 'POST', url: string, payload?: unknown) =>
    t.app.inject({ method, url, headers: who ? { cookie: cookies[who] } : {}, ...(payload ? { payload } : {}) });
  const issue = (who: keyof typeof cookies, personId = elder.id) => req(who, 'POST', `/api/persons/${personId}/cards`);
  const audits = (action: string) => t.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', action).execute();
  const revocations = async () => (await req(null, 'GET', '/api/tokens/revocations')).json().revocations.map((r: { jti: string }) => r.jti);

  /** The PDF of a card, written to disk: its QR payloads at 150 dpi and its text. */
  async function printed(who: keyof typeof cookies, cardId: string) {
    const res = await req(who, 'GET', `/api/cards/${cardId}/pdf`);
    expect(res.statusCode, res.body.slice(0, 200)).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="yiqu-card-[0-9a-f]{8}\.pdf"$/);
    const file = path.join(dir, `${cardId}.pdf`);
    fs.writeFileSync(file, res.rawPayload);
    return { res, file };
  }

  let first: { id: string; token: string };

  it('issues a card (guard), prints it wallet-size in Chinese, and its QR decodes to a card token that verifies', async () => {
    const res = await issue('guard');
    expect(res.statusCode, res.body).toBe(201);
    const { card, pdfUrl } = res.json();
    expect(card).toMatchObject({ personId: elder.id, state: 'active', revokedAt: null, number: expect.stringMatching(/^[0-9A-F]{4}-[0-9A-F]{4}$/) });
    expect(pdfUrl).toBe(`/api/cards/${card.id}/pdf`);
    const days = (Date.parse(card.expiresAt) - Date.parse(card.issuedAt)) / 86_400_000;
    expect(days).toBeLessThanOrEqual(t.ctx.config.CARD_VALID_DAYS);
    expect(days).toBeGreaterThan(t.ctx.config.CARD_VALID_DAYS - 1);
    expect(Date.parse(card.expiresAt) % 86_400_000).toBe(16 * 3600_000); // 00:00 China time
    expect((await audits('card.issue')).at(-1)).toMatchObject({ actor_id: guardId, person_id: elder.id, area_code: COMMUNITY });

    const { res: pdf, file } = await printed('guard', card.id);
    expect(pdf.headers['x-yiqu-missing-glyphs']).toBe(missingGlyphs(RARE_NAME).map((c) => `U+${c.codePointAt(0)!.toString(16).toUpperCase()}`).join(' '));
    expect((await audits('card.print')).at(-1)).toMatchObject({ actor_id: guardId, person_id: elder.id, area_code: COMMUNITY });
    if (!qrTools) return;
    expect(pdfPageCount(file)).toBe(1);
    const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
    const [, w, h] = /Page size:\s+([\d.]+) x ([\d.]+) pts/.exec(info)!;
    expect(Number(w) * 25.4 / 72).toBeCloseTo(85.6, 1);
    expect(Number(h) * 25.4 / 72).toBeCloseTo(54, 1);
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    expect(text).toContain(CARD_TITLE);
    expect(text).toContain(`${elder.docNumber.slice(0, 6)}********${elder.docNumber.slice(-4)}`);
    expect(text).not.toContain(elder.docNumber);
    expect(text).toContain(card.validUntil);
    const codes = qrCodesOnPdfPage(file, 1, 150);
    expect(codes).toHaveLength(1);
    const v = await verifyToken(t.ctx, codes[0]!, 'card');
    expect(v).toMatchObject({ type: 'card', sub: elder.id, jti: card.id });
    expect(v.claims.nm).toBe(maskName(RARE_NAME));
    expect(new Date(v.exp * 1000).toISOString()).toBe(card.expiresAt);
    expect(new Date(v.iat * 1000).toISOString()).toBe(card.issuedAt);
    expect(Object.keys(decodeJwt(codes[0]!)).sort()).toEqual(['exp', 'iat', 'iss', 'jti', 'nm', 'sub']);
    expect(Buffer.from(codes[0]!.split('.')[1]!, 'base64url').toString()).not.toContain(elder.docNumber.slice(6, 14));
    first = { id: card.id, token: codes[0]! };
  });

  it('re-issuing revokes the previous card at once; the list shows both, newest first (audited)', async () => {
    const res = await issue('worker');
    expect(res.statusCode, res.body).toBe(201);
    const second = res.json().card;
    const list = await req('worker', 'GET', `/api/persons/${elder.id}/cards`);
    expect(list.statusCode).toBe(200);
    const cards = list.json().cards;
    expect(cards.map((c: { id: string }) => c.id)[0]).toBe(second.id);
    const old = cards.find((c: { id: string }) => c.id !== second.id);
    expect(old).toMatchObject({ state: 'revoked', revokeReason: REISSUE_REASON });
    expect(await revocations()).toContain(old.id);
    expect((await audits('card.list')).at(-1)).toMatchObject({ person_id: elder.id, actor_role: 'community_worker' });
    if (first) {
      await expect(verifyToken(t.ctx, first.token, 'card')).rejects.toMatchObject({ code: 'token_revoked' });
      const gone = await req('guard', 'GET', `/api/cards/${first.id}/pdf`);
      expect(gone.statusCode).toBe(410);
      expect(gone.json().error.code).toBe('card_revoked');
    }
  });

  it('two concurrent issues for one person leave exactly one card in force', async () => {
    const person = await buildPerson(t.ctx, { name: '钱并发', phone: null, homeCommunityCode: COMMUNITY });
    const [a, b] = await Promise.all([issue('guard', person.id), issue('worker', person.id)]);
    expect([a.statusCode, b.statusCode]).toEqual([201, 201]);
    const rows = await t.ctx.db.selectFrom('person_cards').selectAll().where('person_id', '=', person.id).execute();
    expect(rows).toHaveLength(2);
    expect(rows.filter((r) => r.revoked_at === null)).toHaveLength(1);
    const revoked = rows.find((r) => r.revoked_at !== null)!;
    expect(await revocations()).toContain(revoked.id);
  });

  it('revokes a card with a reason: token_revoked, in /api/tokens/revocations, no second revocation, no PDF', async () => {
    const card = (await issue('guard')).json().card;
    const token = qrTools ? qrCodesOnPdfPage((await printed('guard', card.id)).file, 1, 150)[0]! : null;
    for (const reason of ['', '   ', 'x'.repeat(201)]) {
      const bad = await req('guard', 'POST', `/api/cards/${card.id}/revoke`, { reason });
      expect(bad.statusCode, bad.body).toBe(400);
      expect(bad.json().error.message).toMatch(/原因/);
    }
    const res = await req('guard', 'POST', `/api/cards/${card.id}/revoke`, { reason: '老人卡片遗失' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().card).toMatchObject({ id: card.id, state: 'revoked', revokeReason: '老人卡片遗失' });
    expect(await revocations()).toContain(card.id);
    if (token) await expect(verifyToken(t.ctx, token, 'card')).rejects.toMatchObject({ code: 'token_revoked' });
    const again = await req('worker', 'POST', `/api/cards/${card.id}/revoke`, { reason: '再次作废' });
    expect(again.statusCode).toBe(409);
    expect((await req('guard', 'GET', `/api/cards/${card.id}/pdf`)).json().error.code).toBe('card_revoked');
    const rows = (await audits('card.revoke')).filter((r) => (r.detail as { cardId?: string }).cardId === card.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ actor_id: guardId, person_id: elder.id });
  });

  it('refuses staff of another district (404, nothing written) until they found the person at their gate', async () => {
    const visitor = await buildPerson(t.ctx, { name: '赵来访', phone: null, homeCommunityCode: COMMUNITY });
    const card = (await issue('worker', visitor.id)).json().card;
    const before = await t.ctx.db.selectFrom('person_cards').select('id').execute();
    const beforeRevoked = await revocations();
    for (const [method, url, body] of [['POST', `/api/persons/${visitor.id}/cards`], ['GET', `/api/persons/${visitor.id}/cards`],
      ['GET', `/api/cards/${card.id}/pdf`], ['POST', `/api/cards/${card.id}/revoke`, { reason: '越权作废' }]] as const) {
      const res = await req('otherGuard', method, url, body);
      expect(res.statusCode, `${method} ${url}`).toBe(404);
      expect(res.body).not.toContain('赵');
    }
    expect(await t.ctx.db.selectFrom('person_cards').select('id').execute()).toHaveLength(before.length);
    expect(await revocations()).toEqual(beforeRevoked);
    // the visitor shows the ID card at the other district's gate: the guard may print a card now
    const found = await req('otherGuard', 'POST', '/api/persons/lookup', { docType: 'resident_id', docNumber: visitor.docNumber });
    expect(found.statusCode, found.body).toBe(200);
    expect(await mayHandleCards(t.ctx, { ...otherGuard, areaCode: otherGuard.area_code } as never, visitor.id,
      new Date(Date.now() + (t.ctx.config.CARD_LOOKUP_WINDOW_MIN + 1) * 60_000))).toBe(false);
    const res = await issue('otherGuard', visitor.id);
    expect(res.statusCode, res.body).toBe(201);
  });

  it('refuses roles without cards.issue (403) and residents (401)', async () => {
    for (const who of ['counsellor', 'placeManager'] as const) {
      expect((await issue(who)).statusCode).toBe(403);
      expect((await req(who, 'GET', `/api/persons/${elder.id}/cards`)).statusCode).toBe(403);
    }
    const phone = await registerDevice(t);
    const res = await t.app.inject({ method: 'POST', url: `/api/persons/${phone.personId}/cards`, headers: { cookie: phone.cookie } });
    expect(res.statusCode).toBe(401);
    expect((await issue('guard', '00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
  });
});
