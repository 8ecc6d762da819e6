/**
 * Personal cards for people without phones (issue 3 §6, SPEC S2): a printed, long-lived, revocable
 * signed code (token type 'card', jti = card id, claim `nm` = masked name, valid through the last
 * day printed on it) that the guard scans like a pass code.
 *
 * Who: accounts with 'cards.issue' (guard and community roles, src/modules/staff/roles.ts). Which
 * persons: those in the account's area subtree (personInScope, as for a person's record), or a
 * person the same account found by document or registered at its gate within
 * CARD_LOOKUP_WINDOW_MIN minutes (the gate look-up is not area-bound: visitors pass any gate), or
 * one it printed a card for before. Anyone else answers 404, so existence is not revealed.
 * Every issue, list, print and revocation is audited. A person has one card in force: a new card
 * revokes the previous one at once (person_cards and the revocation list, in one transaction).
 */
import type { Kysely, Transaction } from 'kysely';
import type { AppContext } from '../../context';
import { AppError, notFound } from '../../lib/errors';
import { maskName } from '../../lib/mask';
import { addDays, chinaDate, chinaDayStart } from '../../lib/time';
import type { DB } from '../../db/schema';
import { audit } from '../audit/audit';
import { DOC_TYPE_LABELS, isDocType } from '../persons/identity';
import { personInScope } from '../persons/service';
import { staffActor, type StaffUser } from '../staff/auth';
import { revokeToken, signToken } from '../tokens/service';
import { renderCardPdf } from './pdf';

/** Reason stored on a card replaced by a new one. */
export const REISSUE_REASON = '补发新卡，旧卡作废';
/** Longest revocation reason, characters. */
export const REVOKE_REASON_MAX = 200;

export type CardState = 'active' | 'revoked' | 'expired';

export interface CardView {
  id: string;
  personId: string;
  issuedAt: Date;
  expiresAt: Date;
  /** Last valid day, 'YYYY-MM-DD' China time (the date printed on the card). */
  validUntil: string;
  state: CardState;
  revokedAt: Date | null;
  revokeReason: string | null;
  /** Display name of the account that printed it. */
  issuedBy: string;
}

type Db = Kysely<DB> | Transaction<DB>;
const unknownPerson = () => notFound('未找到该人员', 'Person not found');
const unknownCard = () => notFound('未找到该通行卡', 'Card not found');

/**
 * Whether `staff` may issue, list, print or revoke the cards of `personId` (rules in the header).
 * @param now the time the look-up window is counted back from.
 */
export async function mayHandleCards(ctx: AppContext, staff: StaffUser, personId: string, now = new Date()): Promise<boolean> {
  if (await personInScope(ctx.db, staff.areaCode, personId)) return true;
  const since = new Date(now.getTime() - ctx.config.CARD_LOOKUP_WINDOW_MIN * 60_000);
  const found = await ctx.db.selectFrom('audit_log').select('id')
    .where('person_id', '=', personId).where('actor_kind', '=', 'staff').where('actor_id', '=', staff.id)
    .where('action', 'in', ['person.lookup', 'person.register']).where('at', '>=', since)
    .limit(1).executeTakeFirst();
  if (found) return true;
  const printed = await ctx.db.selectFrom('person_cards').select('id')
    .where('person_id', '=', personId).where('issued_by', '=', staff.id).limit(1).executeTakeFirst();
  return Boolean(printed);
}

function stateOf(r: { revoked_at: Date | null; expires_at: Date }, now: Date): CardState {
  if (r.revoked_at) return 'revoked';
  return r.expires_at <= now ? 'expired' : 'active';
}

/** The last valid China day of a card expiring at `expiresAt` (00:00 China time of the next day). */
export function lastValidDay(expiresAt: Date): string {
  return chinaDate(new Date(expiresAt.getTime() - 1000));
}

/**
 * When a card issued at `issuedAt` expires: 00:00 China time after its last valid day, which is
 * CARD_VALID_DAYS − 1 days after the issue day, so the lifetime never exceeds CARD_VALID_DAYS days
 * (the key publication window of src/modules/tokens/service.ts maxLifetimeS).
 */
export function cardExpiry(issuedAt: Date, validDays: number): Date {
  return chinaDayStart(addDays(chinaDate(issuedAt), validDays));
}

async function cardRows(db: Db, where: { personId?: string; cardId?: string }) {
  let q = db.selectFrom('person_cards as c').innerJoin('staff as s', 's.id', 'c.issued_by')
    .select(['c.id', 'c.person_id', 'c.issued_at', 'c.expires_at', 'c.revoked_at', 'c.revoke_reason', 'c.issued_by', 's.display_name']);
  if (where.personId) q = q.where('c.person_id', '=', where.personId);
  if (where.cardId) q = q.where('c.id', '=', where.cardId);
  return q.orderBy('c.issued_at', 'desc').orderBy('c.id').execute();
}

function view(r: Awaited<ReturnType<typeof cardRows>>[number], now: Date): CardView {
  return {
    id: r.id, personId: r.person_id, issuedAt: r.issued_at, expiresAt: r.expires_at, validUntil: lastValidDay(r.expires_at),
    state: stateOf(r, now), revokedAt: r.revoked_at, revokeReason: r.revoke_reason, issuedBy: r.display_name,
  };
}

/**
 * Issue a new card for `personId` and revoke the cards still in force (one transaction, the person
 * row locked so two concurrent issues cannot both stand). Audits 'card.issue'.
 * @returns the new card.
 * @throws AppError 404 when the person does not exist or is not the caller's to handle.
 */
export async function issueCard(ctx: AppContext, staff: StaffUser, personId: string, now = new Date()): Promise<CardView> {
  if (!(await mayHandleCards(ctx, staff, personId, now))) throw unknownPerson();
  const issuedAt = new Date(Math.floor(now.getTime() / 1000) * 1000); // whole seconds: the token's iat
  const expiresAt = cardExpiry(issuedAt, ctx.config.CARD_VALID_DAYS);
  const { id, replaced } = await ctx.db.transaction().execute(async (trx) => {
    const person = await trx.selectFrom('persons').select('id').where('id', '=', personId).forUpdate().executeTakeFirst();
    if (!person) throw unknownPerson();
    const old = await trx.selectFrom('person_cards').select(['id', 'expires_at'])
      .where('person_id', '=', personId).where('revoked_at', 'is', null).execute();
    if (old.length) {
      await trx.updateTable('person_cards').set({ revoked_at: now, revoked_by: staff.id, revoke_reason: REISSUE_REASON })
        .where('id', 'in', old.map((o) => o.id)).execute();
      const live = old.filter((o) => o.expires_at > now);
      if (live.length) {
        await trx.insertInto('revoked_tokens').values(live.map((o) => ({
          jti: o.id, token_type: 'card', expires_at: o.expires_at, reason: REISSUE_REASON, revoked_by: staff.id,
        }))).onConflict((oc) => oc.column('jti').doNothing()).execute();
      }
    }
    const row = await trx.insertInto('person_cards')
      .values({ person_id: personId, issued_by: staff.id, issued_at: issuedAt, expires_at: expiresAt })
      .returning('id').executeTakeFirstOrThrow();
    await audit(trx, staffActor(staff), { action: 'card.issue', personId, areaCode: staff.areaCode,
      detail: { cardId: row.id, replaced: old.map((o) => o.id) } });
    return { id: row.id, replaced: old.filter((o) => o.expires_at > now) };
  });
  // committed: refresh this server's revocation cache (the rows are already written)
  for (const o of replaced) await revokeToken(ctx, { jti: o.id, type: 'card', expiresAt: o.expires_at, reason: REISSUE_REASON, staffId: staff.id });
  return view((await cardRows(ctx.db, { cardId: id }))[0]!, now);
}

/**
 * The cards of a person, newest first, with their state. Audits 'card.list'.
 * @throws AppError 404 as issueCard.
 */
export async function listCards(ctx: AppContext, staff: StaffUser, personId: string, now = new Date()): Promise<CardView[]> {
  if (!(await mayHandleCards(ctx, staff, personId, now))) throw unknownPerson();
  const exists = await ctx.db.selectFrom('persons').select('id').where('id', '=', personId).executeTakeFirst();
  if (!exists) throw unknownPerson();
  const rows = await cardRows(ctx.db, { personId });
  await audit(ctx.db, staffActor(staff), { action: 'card.list', personId, areaCode: staff.areaCode, detail: { cards: rows.length } });
  return rows.map((r) => view(r, now));
}

/** A card the caller may handle, or 404. */
async function cardFor(ctx: AppContext, staff: StaffUser, cardId: string, now: Date) {
  const row = (await cardRows(ctx.db, { cardId }))[0];
  if (!row) throw unknownCard();
  if (row.issued_by !== staff.id && !(await mayHandleCards(ctx, staff, row.person_id, now))) throw unknownCard();
  return row;
}

/**
 * The printable PDF of a card in force: the token is signed again with the card's jti, iat and exp
 * (never stored). Audits 'card.print'.
 * @returns the PDF, a file name and the characters printed as '□'.
 * @throws AppError 404 unknown or not the caller's; 410 card_revoked / card_expired.
 */
export async function cardPdf(ctx: AppContext, staff: StaffUser, cardId: string, now = new Date()) {
  const row = await cardFor(ctx, staff, cardId, now);
  const state = stateOf(row, now);
  if (state === 'revoked') throw new AppError(410, 'card_revoked', { zh: '此通行卡已作废，请重新制卡', en: 'This card was revoked; issue a new one' });
  if (state === 'expired') throw new AppError(410, 'card_expired', { zh: '此通行卡已过期，请重新制卡', en: 'This card has expired; issue a new one' });
  const p = await ctx.db.selectFrom('persons').select(['name', 'doc_type', 'doc_masked']).where('id', '=', row.person_id).executeTakeFirstOrThrow();
  const lifetimeS = Math.round((row.expires_at.getTime() - row.issued_at.getTime()) / 1000);
  const { token } = await signToken(ctx, 'card', row.person_id, lifetimeS, { nm: maskName(p.name) }, { jti: row.id, now: row.issued_at });
  const out = await renderCardPdf({
    name: p.name, docMasked: p.doc_masked, docTypeLabel: isDocType(p.doc_type) ? DOC_TYPE_LABELS[p.doc_type].zh : p.doc_type,
    validUntil: lastValidDay(row.expires_at), cardId: row.id, token,
  });
  await audit(ctx.db, staffActor(staff), { action: 'card.print', personId: row.person_id, areaCode: staff.areaCode,
    detail: { cardId: row.id, missingGlyphs: out.missing.length } });
  return { pdf: out.pdf, missing: out.missing, filename: `yiqu-card-${row.id.slice(0, 8)}.pdf` };
}

/**
 * Revoke a card (lost, stolen, person moved away): person_cards and the revocation list together,
 * effective at once here and at the next sync on offline scanners. Audits 'card.revoke'.
 * @throws AppError 400 reason_required; 404 as cardPdf; 409 card_already_revoked.
 */
export async function revokeCard(ctx: AppContext, staff: StaffUser, cardId: string, reason: string, now = new Date()): Promise<CardView> {
  const why = String(reason ?? '').trim();
  if (!why || [...why].length > REVOKE_REASON_MAX) {
    throw new AppError(400, 'reason_required', { zh: `请填写作废原因（不超过${REVOKE_REASON_MAX}字）`, en: `Give the reason for revoking (at most ${REVOKE_REASON_MAX} characters)` });
  }
  const row = await cardFor(ctx, staff, cardId, now);
  const done = await ctx.db.transaction().execute(async (trx) => {
    const upd = await trx.updateTable('person_cards').set({ revoked_at: now, revoked_by: staff.id, revoke_reason: why })
      .where('id', '=', row.id).where('revoked_at', 'is', null).executeTakeFirst();
    if (Number(upd.numUpdatedRows) === 0) return false;
    await trx.insertInto('revoked_tokens').values({ jti: row.id, token_type: 'card', expires_at: row.expires_at, reason: why, revoked_by: staff.id })
      .onConflict((oc) => oc.column('jti').doNothing()).execute();
    await audit(trx, staffActor(staff), { action: 'card.revoke', personId: row.person_id, areaCode: staff.areaCode,
      detail: { cardId: row.id, reason: why } });
    return true;
  });
  if (!done) {
    throw new AppError(409, 'card_already_revoked', { zh: '此通行卡已作废', en: 'This card is already revoked' });
  }
  await revokeToken(ctx, { jti: row.id, type: 'card', expiresAt: row.expires_at, reason: why, staffId: staff.id });
  return view((await cardRows(ctx.db, { cardId }))[0]!, now);
}
