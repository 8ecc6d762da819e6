/**
 * The registration form of a person (issue 2 §6: 姓名, 证件类型, 证件号码, 手机号码, community and
 * 住址), its zod body and its validation into the normalized values that are stored. The rules of
 * each field live in identity.ts; this file turns their failures into 400 AppErrors that name the
 * field (`details.field`) in the caller's language.
 */
import type { Kysely, Transaction } from 'kysely';
import { z } from 'zod';
import type { DB } from '../../db/schema';
import { AppError } from '../../lib/errors';
import { validateDocument, validateName, validatePhone, type DocType } from './identity';

/** Longest home address (building/unit/room), characters. */
export const ADDRESS_MAX = 100;

/** Request body of every route that registers a person. Lengths are generous; identity.ts is strict. */
export const personBody = z.object({
  name: z.string().max(200),
  docType: z.string().max(40),
  docNumber: z.string().max(60),
  phone: z.string().max(40).nullish(),
  communityCode: z.string().max(20),
  address: z.string().max(400),
});
export type PersonBody = z.infer<typeof personBody>;

/** A validated, normalized person ready to store. */
export interface PersonInput {
  name: string;
  docType: DocType;
  docNumber: string;
  birthDate: string | null;
  sex: 'M' | 'F' | null;
  phone: string | null;
  communityCode: string;
  address: string;
}

const fieldError = (field: string, code: string, m: { zh: string; en: string }) =>
  new AppError(400, code, m, { field });

/**
 * Validate the document alone (type + number) → normalized number, birth date and sex.
 * @throws AppError 400 with identity.ts's code ('doc_type', 'doc_format', 'doc_region',
 *   'doc_birth_date', 'doc_checksum') and `details.field` 'docType' or 'docNumber'.
 */
export function checkDocument(docType: string, docNumber: string) {
  const d = validateDocument(docType, docNumber);
  if (!d.ok) throw fieldError(d.code === 'doc_type' ? 'docType' : 'docNumber', d.code, d.message);
  return { docType: docType as DocType, docNumber: d.number, birthDate: d.birthDate ?? null, sex: d.sex ?? null };
}

/**
 * Validate a registration form. `phoneRequired` for a resident registering themself; otherwise an
 * empty or absent phone is stored as null. The community must be a community/village (level 5)
 * of the area tree.
 * @throws AppError 400: 'name_empty' | 'name_too_long' | 'name_chars' (field name), the document
 *   codes of checkDocument, 'phone_format' / 'phone_required' (field phone), 'community_unknown'
 *   (field communityCode), 'address_invalid' (field address).
 */
export async function validatePersonInput(db: Kysely<DB> | Transaction<DB>, body: PersonBody,
  opts: { phoneRequired: boolean }): Promise<PersonInput> {
  const n = validateName(body.name);
  if (!n.ok) throw fieldError('name', n.code, n.message);
  const doc = checkDocument(body.docType, body.docNumber);
  let phone: string | null = null;
  const rawPhone = (body.phone ?? '').trim();
  if (rawPhone !== '') {
    const p = validatePhone(rawPhone);
    if (!p.ok) throw fieldError('phone', p.code, p.message);
    phone = p.phone;
  } else if (opts.phoneRequired) {
    throw fieldError('phone', 'phone_required', { zh: '请输入手机号码', en: 'Please enter the mobile number' });
  }
  const address = body.address.normalize('NFC').replace(/\s+/g, ' ').trim();
  if (address === '' || [...address].length > ADDRESS_MAX || /[\p{Cc}\p{Cf}]/u.test(address)) {
    throw fieldError('address', 'address_invalid', {
      zh: `请填写住址（楼栋、单元、房号，不超过${ADDRESS_MAX}字）`,
      en: `Please enter the address (building, unit, room; at most ${ADDRESS_MAX} characters)`,
    });
  }
  const code = body.communityCode.trim();
  const area = /^\d{12}$/.test(code)
    ? await db.selectFrom('areas').select('code').where('code', '=', code).where('level', '=', 5).executeTakeFirst()
    : undefined;
  if (!area) {
    throw new AppError(400, 'community_unknown', { zh: '请选择所在社区（村）', en: 'Please choose your community or village' },
      { field: 'communityCode' });
  }
  return { name: n.name, ...doc, phone, communityCode: code, address };
}
