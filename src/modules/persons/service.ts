/**
 * Persons (issue 2 §6): identified by document type + number, matched by an HMAC of both
 * (persons.doc_hash), shown whole only to the roles in FULL_IDENTITY_ROLES. Registration creates
 * a person once; a document already registered returns the existing person (the device binding
 * rule lives in residents.ts). Staff reads are scoped and audited (SPEC "Rules worth knowing").
 */
import type { Kysely, Transaction } from 'kysely';
import type { AppContext } from '../../context';
import type { DB } from '../../db/schema';
import { notFound, type Lang } from '../../lib/errors';
import { maskDocNumber, maskName, maskPhone } from '../../lib/mask';
import { audit, type Actor } from '../audit/audit';
import { staffActor, type StaffUser } from '../staff/auth';
import type { Role } from '../staff/roles';
import { getStatuses, statusHistory, statusView } from '../status/service';
import { DOC_TYPE_LABELS, docHash, isDocType } from './identity';
import { checkDocument, validatePersonInput, type PersonBody, type PersonInput } from './input';

type Db = Kysely<DB> | Transaction<DB>;

/**
 * Roles shown a person's full document number and phone (command offices, street, community
 * roles, doctors and police: they must identify and contact the person). Everyone else, e.g. a
 * counsellor, sees them masked; guards have no person read at all.
 */
export const FULL_IDENTITY_ROLES: readonly Role[] = ['city_command', 'district_command', 'street_office',
  'community_worker', 'info_officer', 'community_doctor', 'chief_doctor', 'police'];

export type RegisteredVia = 'self' | 'family' | 'guard' | 'staff';

/** The stored person with a document hash, or undefined. */
export async function findByDocHash(db: Db, hash: string) {
  return db.selectFrom('persons').select(['id', 'name', 'phone', 'doc_masked', 'home_community_code'])
    .where('doc_hash', '=', hash).executeTakeFirst();
}

/**
 * Register a person, or return the one already registered with the same document.
 * `input` is a raw form body (validated here) or an already validated PersonInput. Stores
 * doc_hash (HMAC with ctx.secrets.docPepper), doc_masked, birth_date and sex from the number.
 * Audits 'person.register' when a person is created. Pass `db` to run in a caller's transaction.
 * @returns `{id, maskedName, created}`; created=false when the document was already registered
 *   (nothing about the existing person is changed).
 * @throws AppError 400 from validatePersonInput (phone required when via = 'self').
 */
export async function registerPerson(ctx: AppContext, input: PersonBody | PersonInput, via: RegisteredVia,
  actor: Actor, db: Db = ctx.db): Promise<{ id: string; maskedName: string; created: boolean }> {
  const p = 'birthDate' in input ? input : await validatePersonInput(db, input, { phoneRequired: via === 'self' });
  const hash = docHash(p.docType, p.docNumber, ctx.secrets.docPepper);
  const existing = await findByDocHash(db, hash);
  if (existing) return { id: existing.id, maskedName: maskName(existing.name), created: false };
  const row = await db.insertInto('persons').values({
    name: p.name, doc_type: p.docType, doc_hash: hash, doc_number: p.docNumber, doc_masked: maskDocNumber(p.docNumber),
    birth_date: p.birthDate, sex: p.sex, phone: p.phone, home_community_code: p.communityCode, address: p.address,
    registered_via: via,
  }).onConflict((oc) => oc.column('doc_hash').doNothing()).returning('id').executeTakeFirst();
  if (!row) {
    const raced = await findByDocHash(db, hash); // registered concurrently by another request
    if (!raced) throw new Error('person vanished after a doc_hash conflict');
    return { id: raced.id, maskedName: maskName(raced.name), created: false };
  }
  await audit(db, actor, { action: 'person.register', personId: row.id, areaCode: p.communityCode, detail: { via } });
  return { id: row.id, maskedName: maskName(p.name), created: true };
}

/** Names of persons by id: Map id → {id, name (full), maskedName, homeCommunityCode}. Missing ids are absent. */
export async function personsByIds(db: Db, ids: readonly string[]) {
  const out = new Map<string, { id: string; name: string; maskedName: string; homeCommunityCode: string | null }>();
  const uniq = [...new Set(ids)];
  if (uniq.length === 0) return out;
  const rows = await db.selectFrom('persons').select(['id', 'name', 'home_community_code']).where('id', 'in', uniq).execute();
  for (const r of rows) out.set(r.id, { id: r.id, name: r.name, maskedName: maskName(r.name), homeCommunityCode: r.home_community_code });
  return out;
}

/**
 * Whether a staff account whose scope is `scope` may see `personId`: the person's home community
 * is in the subtree, or the person has a check-in at a place in the subtree (issue 2 §10).
 */
export async function personInScope(db: Db, scope: string, personId: string): Promise<boolean> {
  const row = await db.selectFrom('persons as p').select('p.id').where('p.id', '=', personId)
    .where((eb) => eb.or([
      eb('p.home_community_code', 'like', `${scope}%`),
      // a check-in refused for its code (expired, revoked: a photo can do that) proves no visit
      eb.exists(eb.selectFrom('checkins as c').select('c.id').whereRef('c.person_id', '=', 'p.id')
        .where('c.community_code', 'like', `${scope}%`)
        .where((e) => e.or([e('c.refusal', 'is', null), e('c.refusal', 'not like', 'token\\_%')]))),
    ])).executeTakeFirst();
  return Boolean(row);
}

/** Masked view of a person with current status, for gates and look-ups. */
async function maskedView(db: Db, p: { id: string; name: string; doc_masked: string }, lang: Lang) {
  const st = (await getStatuses(db, [p.id])).get(p.id)!;
  return { id: p.id, maskedName: maskName(p.name), docMasked: p.doc_masked, status: statusView(st, lang) };
}

/**
 * Find a person by document for a gate (issue 3 §6: role-bound, rate-limited by the route,
 * audited). Not limited to the caller's area: a guard checks in visitors from anywhere, and the
 * answer shows no more than the masked name and the status. Every attempt writes 'person.lookup'
 * (found or not; the number itself is never logged).
 * @throws AppError 400 for an invalid document, 404 when no person has it.
 */
export async function lookupByDocument(ctx: AppContext, staff: StaffUser, docType: string, docNumber: string, lang: Lang) {
  const d = checkDocument(docType, docNumber);
  const hash = docHash(d.docType, d.docNumber, ctx.secrets.docPepper);
  const p = await ctx.db.selectFrom('persons').select(['id', 'name', 'doc_masked']).where('doc_hash', '=', hash).executeTakeFirst();
  await audit(ctx.db, staffActor(staff), {
    action: 'person.lookup', personId: p?.id ?? null, areaCode: staff.areaCode, detail: { docType: d.docType, found: Boolean(p) },
  });
  if (!p) throw notFound('未找到持该证件的登记人员', 'No registered person holds this document');
  return maskedView(ctx.db, p, lang);
}

/**
 * A guard or community worker registers a person without a phone from the ID card (issue 2 §10).
 * An already registered document returns that person (masked) and is audited as a look-up.
 * @returns the masked view plus `created`.
 */
export async function registerByStaff(ctx: AppContext, staff: StaffUser, body: PersonBody, lang: Lang) {
  const via: RegisteredVia = staff.role === 'guard' || staff.role === 'place_manager' ? 'guard' : 'staff';
  const r = await ctx.db.transaction().execute(async (trx) => {
    const reg = await registerPerson(ctx, body, via, staffActor(staff), trx);
    if (!reg.created) {
      await audit(trx, staffActor(staff), { action: 'person.lookup', personId: reg.id, areaCode: staff.areaCode, detail: { via: 'register', found: true } });
    }
    return reg;
  });
  const p = await ctx.db.selectFrom('persons').select(['id', 'name', 'doc_masked']).where('id', '=', r.id).executeTakeFirstOrThrow();
  return { ...(await maskedView(ctx.db, p, lang)), created: r.created };
}

/**
 * A person's record for a staff member with 'persons.read' (issue 2 §10). Scoped (personInScope,
 * else 404) and audited 'person.read'. Full document number and phone only for FULL_IDENTITY_ROLES.
 * @throws AppError 404 when the person does not exist or lies outside the caller's subtree.
 */
export async function personRecord(ctx: AppContext, staff: StaffUser, personId: string, lang: Lang) {
  if (!(await personInScope(ctx.db, staff.areaCode, personId))) throw notFound('未找到该人员', 'Person not found');
  const p = await ctx.db.selectFrom('persons as p').leftJoin('areas as a', 'a.code', 'p.home_community_code')
    .select(['p.id', 'p.name', 'p.doc_type', 'p.doc_number', 'p.doc_masked', 'p.birth_date', 'p.sex', 'p.phone',
      'p.home_community_code', 'a.name as community_name', 'p.address', 'p.registered_via', 'p.created_at'])
    .where('p.id', '=', personId).executeTakeFirstOrThrow();
  const full = FULL_IDENTITY_ROLES.includes(staff.role);
  await audit(ctx.db, staffActor(staff), { action: 'person.read', personId, areaCode: staff.areaCode, detail: { fullIdentity: full } });
  const st = (await getStatuses(ctx.db, [personId])).get(personId)!;
  return {
    id: p.id, name: p.name, maskedName: maskName(p.name), docType: p.doc_type,
    docTypeLabel: isDocType(p.doc_type) ? DOC_TYPE_LABELS[p.doc_type][lang] : p.doc_type,
    docNumber: full ? p.doc_number : p.doc_masked, docMasked: p.doc_masked, fullIdentity: full,
    birthDate: p.birth_date, sex: p.sex, phone: p.phone ? (full ? p.phone : maskPhone(p.phone)) : null,
    homeCommunityCode: p.home_community_code, homeCommunityName: p.community_name ?? null, address: p.address,
    registeredVia: p.registered_via, createdAt: p.created_at,
    status: statusView(st, lang), statusHistory: await statusHistory(ctx.db, personId, lang),
  };
}
