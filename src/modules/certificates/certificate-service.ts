/**
 * Reading issued certificates (SPEC S6, issue 6 §3): the public verification behind the /v page
 * and the printable PDF for staff and for the resident.
 *
 * Verification takes the token alone, as a checkpoint or employer holds it: signature against the
 * published keys, type 'cert', issuer a center of this platform, no clock tolerance on expiry, the
 * revocation list; then the certificate row must exist and not be revoked (the database has the
 * last word over this server's cache). It answers what the token itself carries (name, masked
 * document number, center) and the validity; each verification is audited against the person
 * ('certificate.verify', shown on the resident's 我的 "who read my record"), keeping no IP address.
 */
import type { AppContext } from '../../context';
import { AppError, notFound } from '../../lib/errors';
import { audit } from '../audit/audit';
import type { DeviceInfo } from '../persons/devices';
import { staffActor, type StaffUser } from '../staff/auth';
import { tokenAppError, TokenError, verifyToken } from '../tokens/service';
import { certificateRow, certificateState, docTypeLabel } from './issue';
import { certificateNumber, renderCertificatePdf } from './pdf';
import { chinaDateTime } from '../../lib/time';

/** What a reprint of a certificate no longer valid says across the page. */
const VOID_MARKS = { valid: null, expired: '已过期', revoked: '已作废' } as const;

const unknownCertificate = () => notFound('未找到该证明', 'Certificate not found');

/** Refusals worded for a certificate where the pass-code wording (refresh the code) would mislead. */
const CERT_REFUSALS: Partial<Record<string, { zh: string; en: string }>> = {
  token_expired: { zh: '证明已过期：健康申报证明自出具时起 5 日内有效', en: 'The certificate has expired: it is valid for 5 days from issue' },
  token_revoked: { zh: '证明已作废，不能作为通行或复工依据', en: 'The certificate has been revoked and is not valid' },
};

/**
 * The token in what a scanner or a paste gives: surrounding spaces dropped, and from a whole QR
 * text (`…/v#<token>`, maybe percent-encoded by a chat app) the part after '#'.
 */
export function tokenOfScan(text: string): string {
  let s = text.trim();
  if (s.includes('%')) {
    try { s = decodeURIComponent(s); } catch { /* keep as given */ }
  }
  const hash = s.lastIndexOf('#');
  if (hash >= 0) s = s.slice(hash + 1);
  return s.trim();
}

/** verifyToken for a certificate, its refusals reworded (CERT_REFUSALS); codes unchanged. */
async function verifyCertToken(ctx: AppContext, token: string, now: Date) {
  try {
    return await verifyToken(ctx, token, 'cert', now);
  } catch (e) {
    const msg = e instanceof AppError ? CERT_REFUSALS[e.code] : undefined;
    if (msg) throw new AppError(400, (e as AppError).code, msg);
    throw e;
  }
}

/** What a verification tells the checker. Times 'YYYY-MM-DD HH:mm:ss' China time. */
export interface VerifiedCertificate {
  name: string; docMasked: string; docTypeLabel: string; orgName: string; issuedAtChina: string; notAfterChina: string; state: 'valid';
}

/**
 * Verify certificate `token` at `now` (header of this file).
 * @returns what the certificate certifies.
 * @throws AppError 400 token_malformed / token_unknown_key / token_bad_signature / token_wrong_type /
 *   token_expired / token_not_yet_valid / token_revoked (src/modules/tokens/verify-core.ts).
 */
export async function verifyCertificate(ctx: AppContext, token: string, now = new Date()): Promise<VerifiedCertificate> {
  const v = await verifyCertToken(ctx, tokenOfScan(token), now);
  const row = v.jti ? await certificateRow(ctx.db, v.jti) : undefined;
  if (!row || row.person_id !== v.sub) throw tokenAppError(new TokenError('token_unknown_key'));
  if (certificateState(row, now) === 'revoked') throw new AppError(400, 'token_revoked', CERT_REFUSALS.token_revoked!);
  await audit(ctx.db, { kind: 'system', id: null, role: 'public', name: null }, {
    action: 'certificate.verify', personId: row.person_id, areaCode: row.community_code, detail: { certificateId: row.id },
  });
  const c = v.claims;
  return {
    name: String(c.nm ?? ''), docMasked: String(c.idm ?? ''), docTypeLabel: String(c.dt ?? ''), orgName: String(c.org ?? ''),
    issuedAtChina: chinaDateTime(new Date(v.iat * 1000)), notAfterChina: chinaDateTime(new Date(v.exp * 1000)), state: 'valid',
  };
}

/** Render the PDF of certificate `row` (already read and checked by the caller). */
async function renderOf(ctx: AppContext, row: NonNullable<Awaited<ReturnType<typeof certificateRow>>>) {
  const declaration = await ctx.db.selectFrom('declarations').select(['answers']).where('id', '=', row.declaration_id).executeTakeFirstOrThrow();
  const assess = await ctx.db.selectFrom('declaration_steps').select('assessment').where('declaration_id', '=', row.declaration_id)
    .where('action', '=', 'assess').orderBy('id', 'desc').executeTakeFirst();
  const a = (assess?.assessment ?? {}) as { temperatureC?: number; cough?: boolean; chestTightness?: boolean; otherSymptoms?: string };
  const answers = declaration.answers as { destination?: string; purpose?: string };
  const out = await renderCertificatePdf({
    name: row.name, docTypeLabel: docTypeLabel(row.doc_type), docMasked: row.doc_masked, orgName: row.org_name,
    doctorName: row.doctor_name, chiefDoctorName: row.chief_doctor_name,
    assessment: { temperatureC: a.temperatureC ?? 0, cough: a.cough ?? false, chestTightness: a.chestTightness ?? false, otherSymptoms: a.otherSymptoms ?? '', conclusion: 'fit' },
    destination: answers.destination ?? '', purpose: answers.purpose ?? '',
    issuedAtChina: chinaDateTime(row.issued_at), notAfterChina: chinaDateTime(row.not_after), certificateNo: certificateNumber(row.id),
    qrText: `${ctx.config.PUBLIC_URL.replace(/\/+$/, '')}/v#${row.token}`, validDays: ctx.config.CERT_VALID_DAYS,
    voidMark: VOID_MARKS[certificateState(row, new Date())],
  });
  return { row, pdf: out.pdf, missing: out.missing, filename: `certificate-${certificateNumber(row.id)}.pdf` };
}

/**
 * The PDF of certificate `id` for `staff` (its declaration's community under the account's area,
 * else 404). Audits 'certificate.print'.
 */
export async function certificatePdfForStaff(ctx: AppContext, staff: StaffUser, id: string) {
  const scoped = await certificateRow(ctx.db, id);
  if (!scoped || !scoped.community_code.startsWith(staff.areaCode)) throw unknownCertificate();
  const r = await renderOf(ctx, scoped);
  await audit(ctx.db, staffActor(staff), { action: 'certificate.print', personId: r.row.person_id, areaCode: r.row.community_code, detail: { certificateId: id } });
  return r;
}

/**
 * The PDF of certificate `id` for the resident: the certificate of a person on `device`, else 404.
 * @throws AppError 401 device_unknown for a phone that is not registered.
 */
export async function certificatePdfForResident(ctx: AppContext, device: DeviceInfo | null, id: string) {
  if (!device || device.persons.length === 0) {
    throw new AppError(401, 'device_unknown', { zh: '此手机尚未登记，请先扫描场所门口的二维码登记', en: 'This phone is not registered: scan the code at an entrance to register first' });
  }
  const row = await certificateRow(ctx.db, id);
  if (!row || !device.persons.some((p) => p.id === row.person_id)) throw unknownCertificate();
  return renderOf(ctx, row);
}
