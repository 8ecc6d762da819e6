/**
 * Issuing and revoking health declaration certificates (健康申报证明, SPEC S6, issue 6 §3).
 *
 * Issue: the chief doctor's signature issues the certificate in the same transaction (the `issue`
 * step is recorded as the center, actor 'system'); a chief doctor may also issue a declaration
 * left `signed`. Eligibility (./eligibility.ts) is checked again at issue: a person who became a
 * contact since submitting gets 400 cert_ineligible_<code> and nothing is signed or issued.
 * The issuing center is the signing chief doctor's organisation (staff.org_id): it must be a
 * community health service center (kind 'health_center', attached to a street or a community)
 * whose area covers the declaration's community, else 409 certificate_no_center (an enterprise,
 * a city-wide organisation or a center of another street cannot certify). The same rule holds for
 * a chief doctor's 不予出具 (refuse) and revocation (centerFor).
 * Characters no PDF font has, in any text the certificate prints, are reported at issue.
 *
 * The certificate is a signed token of type 'cert' (src/modules/tokens): iss = the center
 * (certIssuer), sub = the person, jti = the certificate id, exp = issue + CERT_VALID_DAYS × 24 h
 * (workflow.ts validity), claims nm (full name), idm (masked document number), dt (document type
 * label), org (center name); no phone, no address (SPEC "Personal data"). The token is kept on the
 * row so a reprint carries the same code. Characters of the printed text that no PDF font has are
 * computed here and stored (missing_glyphs): the issuer sees them at once.
 *
 * Revoke (chief_doctor, district_command, city_command; a reason of 1–300 characters): the
 * certificate row, the revocation list (offline scanners learn it at their next sync) and the
 * declaration state in one transaction; this server refuses the token at once.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { AppContext } from '../../context';
import type { DB } from '../../db/schema';
import { AppError, notFound } from '../../lib/errors';
import { maskName } from '../../lib/mask';
import { missingGlyphs } from '../../lib/pdf-fonts';
import { chinaDateTime } from '../../lib/time';
import { audit, type Actor } from '../audit/audit';
import { DOC_TYPE_LABELS, isDocType } from '../persons/identity';
import { staffActor, type StaffUser } from '../staff/auth';
import { certIssuer, ensureSigningKey, revokeToken, signToken } from '../tokens/service';
import { nextState, validity, type DeclarationState } from './workflow';

type Db = Kysely<DB> | Transaction<DB>;

export type CertificateState = 'valid' | 'expired' | 'revoked';

/** A certificate as staff and the resident see it (issue 6 §3). Times 'YYYY-MM-DD HH:mm:ss' China time. */
export interface CertificateView {
  id: string; declarationId: string; personId: string; maskedName: string;
  /** Full name as printed (staff detail and the resident's own view). */
  name: string; docMasked: string; docTypeLabel: string; orgName: string;
  doctorName: string | null; chiefDoctorName: string | null;
  issuedAtChina: string;
  /** The first instant it is no longer valid (issue + CERT_VALID_DAYS days). */
  notAfterChina: string;
  state: CertificateState; revokedAtChina: string | null; revokeReason: string | null;
  /** Characters printed as □ because no font has them (reported at issue time). */
  missingGlyphs: string[];
  /** The compact JWS the QR carries (`PUBLIC_URL/v#<token>`). */
  token: string;
}

/** The row a step works on (declarations). */
export interface DeclarationRow { id: string; person_id: string; community_code: string; state: DeclarationState }

const certificateQuery = (db: Db) => db.selectFrom('certificates as c')
  .innerJoin('persons as p', 'p.id', 'c.person_id')
  .innerJoin('organisations as o', 'o.id', 'c.org_id')
  .leftJoin('staff as d', 'd.id', 'c.doctor_id')
  .leftJoin('staff as cd', 'cd.id', 'c.chief_doctor_id')
  .innerJoin('declarations as dl', 'dl.id', 'c.declaration_id')
  .select(['c.id', 'c.declaration_id', 'c.person_id', 'p.name', 'p.doc_type', 'p.doc_masked', 'o.name as org_name', 'd.display_name as doctor_name',
    'cd.display_name as chief_doctor_name', 'c.issued_at', 'c.not_after', 'c.revoked_at', 'c.revoke_reason', 'c.missing_glyphs', 'c.token',
    'dl.community_code']);
type CertificateRow = Awaited<ReturnType<ReturnType<typeof certificateQuery>['executeTakeFirstOrThrow']>>;

/** The state of a certificate at `now`: revoked, expired (now ≥ not_after) or valid. */
export function certificateState(r: { revoked_at: Date | null; not_after: Date }, now: Date): CertificateState {
  if (r.revoked_at) return 'revoked';
  return now.getTime() >= r.not_after.getTime() ? 'expired' : 'valid';
}

export function docTypeLabel(docType: string): string {
  return isDocType(docType) ? DOC_TYPE_LABELS[docType].zh : docType;
}

function viewOf(r: CertificateRow, now: Date): CertificateView {
  return {
    id: r.id, declarationId: r.declaration_id, personId: r.person_id, maskedName: maskName(r.name), name: r.name, docMasked: r.doc_masked,
    docTypeLabel: docTypeLabel(r.doc_type), orgName: r.org_name, doctorName: r.doctor_name, chiefDoctorName: r.chief_doctor_name,
    issuedAtChina: chinaDateTime(r.issued_at), notAfterChina: chinaDateTime(r.not_after), state: certificateState(r, now),
    revokedAtChina: r.revoked_at ? chinaDateTime(r.revoked_at) : null, revokeReason: r.revoke_reason, missingGlyphs: r.missing_glyphs, token: r.token,
  };
}

/** The certificate of declaration `declarationId`, or null when none was issued. */
export async function certificateOfDeclaration(db: Db, declarationId: string, now = new Date()): Promise<CertificateView | null> {
  const r = await certificateQuery(db).where('c.declaration_id', '=', declarationId).executeTakeFirst();
  return r ? viewOf(r, now) : null;
}

/** Certificates of several declarations, by declaration id. */
export async function certificatesOfDeclarations(db: Db, ids: string[], now = new Date()): Promise<Map<string, CertificateView>> {
  if (ids.length === 0) return new Map();
  const rows = await certificateQuery(db).where('c.declaration_id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.declaration_id, viewOf(r, now)]));
}

/** A certificate by id with the community of its declaration (for scoping), or undefined. */
export function certificateRow(db: Db, id: string): Promise<CertificateRow | undefined> {
  return certificateQuery(db).where('c.id', '=', id).executeTakeFirst();
}

/** Digits of the shortest area code a health service center may be attached to: a street (9). */
export const CENTER_MIN_AREA_DIGITS = 9;

/**
 * The health service center `staff` acts for on a declaration of `community`: the account's
 * organisation, of kind 'health_center', attached to a street or community that covers `community`.
 * @throws AppError 409 certificate_no_center otherwise.
 */
export async function centerFor(db: Db, staff: StaffUser, community: string): Promise<{ id: string; name: string }> {
  const org = staff.orgId
    ? await db.selectFrom('organisations').select(['id', 'name', 'kind', 'area_code']).where('id', '=', staff.orgId).executeTakeFirst() : undefined;
  if (!org || org.kind !== 'health_center' || org.area_code.length < CENTER_MIN_AREA_DIGITS) {
    throw new AppError(409, 'certificate_no_center', { zh: '您的账号未关联社区卫生服务中心，无法办理证明', en: 'Your account belongs to no community health service center, so it cannot act on certificates' });
  }
  if (!community.startsWith(org.area_code)) {
    throw new AppError(409, 'certificate_no_center', { zh: `${org.name}不负责申请人所在社区，不能以其名义办理`, en: `${org.name} does not serve the applicant's community` });
  }
  return org;
}

/** Make sure the 'cert' signing key is loaded before a transaction signs (no key write inside it). */
export function prepareIssue(ctx: AppContext): Promise<void> {
  return ensureSigningKey(ctx, 'cert');
}

/**
 * Issue the certificate of `row` (state 'signed') inside `trx`: the token, the certificates row,
 * the `issue` step (by `by`) and the audit row. Call prepareIssue before opening `trx`.
 * `checkEligible` re-runs the eligibility rule (throws AppError 400 cert_ineligible_<code>).
 * @returns the certificate id.
 * @throws AppError 409 certificate_no_center when the signer belongs to no health service center.
 */
export async function issueInTransaction(ctx: AppContext, trx: Transaction<DB>, row: DeclarationRow, signer: StaffUser,
  by: { actor: Actor; role: 'system' | 'chief_doctor' }, checkEligible: () => Promise<unknown>, now: Date): Promise<string> {
  const to = nextState(row.state, { type: 'issue' }, by.role);
  await checkEligible();
  const org = await centerFor(trx, signer, row.community_code);
  const person = await trx.selectFrom('persons').select(['name', 'doc_type', 'doc_masked']).where('id', '=', row.person_id).executeTakeFirstOrThrow();
  const assessor = await trx.selectFrom('declaration_steps').select(['actor_id', 'assessment']).where('declaration_id', '=', row.id)
    .where('action', '=', 'assess').orderBy('id', 'desc').executeTakeFirst();
  const v = validity(now, ctx.config.CERT_VALID_DAYS);
  const id = randomUUID();
  const { token } = await signToken(ctx, 'cert', row.person_id, ctx.config.CERT_VALID_DAYS * 86_400,
    { nm: person.name, idm: person.doc_masked, dt: docTypeLabel(person.doc_type), org: org.name },
    { jti: id, now: v.notBefore, issuer: certIssuer(ctx.config.TOKEN_ISSUER, org.id) });
  const kid = JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString('utf8')).kid as string;
  const doctor = assessor?.actor_id ? await trx.selectFrom('staff').select(['id', 'display_name']).where('id', '=', assessor.actor_id).executeTakeFirst() : undefined;
  const printed = await trx.selectFrom('declarations').select('answers').where('id', '=', row.id).executeTakeFirstOrThrow();
  const answers = printed.answers as { destination?: string; purpose?: string };
  const texts = [org.name, doctor?.display_name ?? '', signer.displayName, answers.destination ?? '', answers.purpose ?? '',
    String((assessor?.assessment as { otherSymptoms?: string } | null)?.otherSymptoms ?? '')].join('');
  const missing = [...new Set([...missingGlyphs(person.name, { bold: true }), ...missingGlyphs(person.name), ...missingGlyphs(texts)])];
  await trx.insertInto('certificates').values({
    id, declaration_id: row.id, person_id: row.person_id, org_id: org.id, doctor_id: doctor?.id ?? null, chief_doctor_id: signer.id,
    issued_at: v.notBefore, not_after: v.notAfter, kid, token, missing_glyphs: missing,
  }).execute();
  await trx.updateTable('declarations').set({ state: to, updated_at: now }).where('id', '=', row.id).execute();
  await trx.insertInto('declaration_steps').values({
    declaration_id: row.id, action: 'issue', from_state: row.state, to_state: to, actor_kind: by.actor.kind, actor_id: by.actor.id,
    actor_role: by.role, actor_name: by.role === 'system' ? org.name : by.actor.name, at: now,
  }).execute();
  await audit(trx, by.actor, { action: 'certificate.issue', personId: row.person_id, areaCode: row.community_code,
    detail: { declarationId: row.id, certificateId: id, orgId: org.id, notAfter: v.notAfter.toISOString(), missingGlyphs: missing } });
  return id;
}

/**
 * Revoke certificate `id` (a false declaration) as `staff`, with `reason` (1–300 characters).
 * Takes effect on this server at once and in offline scanners at their next revocation sync.
 * @returns the certificate, now revoked.
 * @throws AppError 404 unknown or outside the account's area; WorkflowError 403 wrong role, 409
 *   declaration_closed (already revoked), 400 declaration_reason_invalid.
 */
export async function revokeCertificate(ctx: AppContext, staff: StaffUser, id: string, reason: string, now = new Date()): Promise<CertificateView> {
  const unknown = () => notFound('未找到该证明', 'Certificate not found');
  const expiresAt = await ctx.db.transaction().execute(async (trx) => {
    const cert = await trx.selectFrom('certificates').select(['id', 'declaration_id', 'not_after', 'org_id']).where('id', '=', id).executeTakeFirst();
    if (!cert) throw unknown();
    const row = await trx.selectFrom('declarations').select(['id', 'person_id', 'community_code', 'state'])
      .where('id', '=', cert.declaration_id).where('community_code', 'like', `${staff.areaCode}%`).forUpdate().executeTakeFirst();
    if (!row) throw unknown();
    const to = nextState(row.state, { type: 'revoke', reason }, staff.role);
    // a chief doctor revokes for the issuing center only; command offices for their whole area
    if (staff.role === 'chief_doctor' && (await centerFor(trx, staff, row.community_code)).id !== cert.org_id) {
      throw new AppError(409, 'certificate_no_center', { zh: '该证明由其他卫生服务中心出具，请由出具单位或指挥部作废', en: 'Another health service center issued this certificate: its center or a command office revokes it' });
    }
    const why = reason.trim();
    await trx.updateTable('certificates').set({ revoked_at: now, revoked_by: staff.id, revoke_reason: why }).where('id', '=', id).execute();
    await trx.insertInto('revoked_tokens').values({ jti: id, token_type: 'cert', expires_at: cert.not_after, reason: why, revoked_by: staff.id })
      .onConflict((oc) => oc.column('jti').doNothing()).execute();
    await trx.updateTable('declarations').set({ state: to, updated_at: now }).where('id', '=', row.id).execute();
    const actor = staffActor(staff);
    await trx.insertInto('declaration_steps').values({
      declaration_id: row.id, action: 'revoke', from_state: row.state, to_state: to, actor_kind: 'staff', actor_id: staff.id,
      actor_role: staff.role, actor_name: staff.displayName, at: now, reason: why,
    }).execute();
    await audit(trx, actor, { action: 'certificate.revoke', personId: row.person_id, areaCode: row.community_code,
      detail: { declarationId: row.id, certificateId: id, reason: why } });
    return cert.not_after;
  });
  // committed: this server refuses the token from now on (the row is already written)
  await revokeToken(ctx, { jti: id, type: 'cert', expiresAt, reason: reason.trim(), staffId: staff.id });
  return viewOf((await certificateRow(ctx.db, id))!, now);
}
