/**
 * Identity documents, names and phone numbers of persons (SPEC S1, first-scan registration form).
 *
 * Pure functions only (no I/O, no clock unless `today` is omitted). Every error carries a stable
 * machine code plus a bilingual message, Chinese first (the product's users read Chinese).
 *
 * Rule sources:
 * - GB 11643-1999 公民身份号码: 6-digit address code (GB/T 2260) + 8-digit birth date + 3-digit
 *   sequence (17th digit odd = male, even = female) + ISO 7064 MOD 11-2 check character (0-9 or X).
 * - 港澳台居民居住证 (2018): same layout and checksum, address code 810000 (HK), 820000 (Macao),
 *   830000 (Taiwan).
 * - 外国人永久居留身份证: 2017 card = 3 Latin letters (nationality) + 12 digits; 2023 card = 18
 *   characters, first digit 9, birth date in characters 7-14, MOD 11-2 check like GB 11643.
 * - 港澳居民来往内地通行证: H (Hong Kong) or M (Macao) + 8 digits, or + 10 digits (8 + issue count).
 * - 台湾居民来往大陆通行证: 8 digits (2015 card), 10 digits (older booklet).
 * - SPEC "Rules worth knowing": "today" is China Standard Time (UTC+8); exports must be safe to open
 *   in Excel, hence names may not start with a formula character.
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { createHmac } from 'node:crypto';

export { DOC_TYPES, DOC_TYPE_LABELS, isDocType, type Bilingual, type DocType } from './doc-types';
import { DOC_TYPE_LABELS, isDocType, type Bilingual, type DocType } from './doc-types';

export type DocErrorCode = 'doc_type' | 'doc_format' | 'doc_checksum' | 'doc_region' | 'doc_birth_date';

/**
 * Result of {@link validateDocument}. On success `number` is the normalized number to store;
 * `birthDate` ('YYYY-MM-DD') and `sex` are present only for numbers that encode them
 * (resident ID, residence permit, 2023 foreign permanent residence card).
 */
export type DocValidation =
  | { ok: true; number: string; birthDate?: string; sex?: 'M' | 'F' }
  | { ok: false; code: DocErrorCode; message: Bilingual };

const msg = (zh: string, en: string): Bilingual => ({ zh, en });
const fail = (code: DocErrorCode, zh: string, en: string): DocValidation => ({ ok: false, code, message: msg(zh, en) });

/**
 * Canonical form of a document number: trim; drop all whitespace (incl. U+3000 and zero-width
 * spaces) and hyphen/dash look-alikes; full-width ASCII (Ｆ, ０-９, ｘ) to half-width; uppercase
 * (so a trailing 'x' becomes 'X'). Idempotent. `type` is accepted so per-type rules can be added
 * without changing callers; today every type normalizes the same way.
 */
export function normalizeDocNumber(type: DocType | string, raw: string): string {
  void type;
  return String(raw ?? '')
    .replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[\s\u200B-\u200D\u2060\uFEFF\-\u2010-\u2015\u2212\uFE58\uFE63]/g, '')
    .toUpperCase();
}

const GB11643_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const GB11643_CHECK = '10X98765432';

/**
 * GB 11643-1999 (ISO 7064 MOD 11-2) check character for a 17-digit body: sum of digit × weight
 * (7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2), mod 11, mapped through "10X98765432".
 * @throws RangeError if `body17` is not exactly 17 ASCII digits.
 */
export function gb11643CheckChar(body17: string): string {
  if (!/^\d{17}$/.test(body17)) throw new RangeError('gb11643CheckChar expects 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(body17[i]) * GB11643_WEIGHTS[i];
  return GB11643_CHECK[sum % 11];
}

/** Province-level codes (GB/T 2260) that appear on mainland resident ID numbers. */
const MAINLAND_PROVINCES = new Set([11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37,
  41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65]);
const RESIDENCE_PERMIT_PREFIXES = new Set(['810000', '820000', '830000']);

/** Today's calendar date in China Standard Time (UTC+8), as 'YYYY-MM-DD'. */
function cstToday(now: Date): string {
  const t = Number.isNaN(now.getTime()) ? Date.now() : now.getTime();
  return new Date(t + 8 * 3600_000).toISOString().slice(0, 10);
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(m) ? 30 : 31;
}

/** Checks an 8-digit YYYYMMDD: real date (Gregorian leap years), 1900-01-01 … today (CST). */
function checkBirth(yyyymmdd: string, today: Date): { birthDate: string } | DocValidation {
  const y = Number(yyyymmdd.slice(0, 4));
  const m = Number(yyyymmdd.slice(4, 6));
  const d = Number(yyyymmdd.slice(6, 8));
  if (y < 1900 || m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) {
    return fail('doc_birth_date', `证件号码中的出生日期（${yyyymmdd}）不是有效日期，请核对后重新输入`,
      `The birth date in the document number (${yyyymmdd}) is not a valid date; please check and re-enter`);
  }
  const birthDate = `${yyyymmdd.slice(0, 4)}-${yyyymmdd.slice(4, 6)}-${yyyymmdd.slice(6, 8)}`;
  if (birthDate > cstToday(today)) {
    return fail('doc_birth_date', `证件号码中的出生日期（${birthDate}）晚于今天，请核对后重新输入`,
      `The birth date in the document number (${birthDate}) is in the future; please check and re-enter`);
  }
  return { birthDate };
}

/** Birth date, then GB 11643 checksum, of an 18-character number whose format was already checked. */
function checkGb11643(n: string, today: Date): DocValidation {
  const birth = checkBirth(n.slice(6, 14), today);
  if ('ok' in birth) return birth;
  if (gb11643CheckChar(n.slice(0, 17)) !== n[17]) {
    return fail('doc_checksum', '证件号码校验位错误，请核对后重新输入',
      'The check digit of the document number is wrong; please check and re-enter');
  }
  return { ok: true, number: n, birthDate: birth.birthDate, sex: Number(n[16]) % 2 === 1 ? 'M' : 'F' };
}

function validateResidentId(n: string, today: Date): DocValidation {
  if (/^\d{15}$/.test(n)) {
    return fail('doc_format', '15位旧身份证号码已停用，请输入18位居民身份证号码',
      'Old 15-digit ID numbers are no longer accepted; please enter the 18-digit resident ID number');
  }
  if (!/^\d{17}[\dX]$/.test(n)) {
    return fail('doc_format', '居民身份证号码应为18位：17位数字加1位数字或X',
      'A resident ID number has 18 characters: 17 digits followed by a digit or X');
  }
  if (RESIDENCE_PERMIT_PREFIXES.has(n.slice(0, 6))) {
    return fail('doc_region', '该号码是港澳台居民居住证号码，请将证件类型选为“港澳台居民居住证”',
      'This is a Hong Kong/Macao/Taiwan residence permit number; please choose that document type');
  }
  if (n[0] === '9') {
    return fail('doc_region', '该号码是外国人永久居留身份证号码，请将证件类型选为“外国人永久居留身份证”',
      'This is a foreign permanent resident ID number; please choose that document type');
  }
  // Issued at county level: the province must exist and neither prefecture (digits 3-4) nor the
  // whole sub-province part may be 00 (XX0000 is the province itself, XX00YY does not exist).
  if (!MAINLAND_PROVINCES.has(Number(n.slice(0, 2))) || n.slice(2, 4) === '00') {
    return fail('doc_region', '证件号码的前6位不是有效的行政区划代码，请核对后重新输入',
      'The first 6 digits of the number are not a valid administrative division code; please check and re-enter');
  }
  return checkGb11643(n, today);
}

function validateResidencePermit(n: string, today: Date): DocValidation {
  if (!/^\d{17}[\dX]$/.test(n)) {
    return fail('doc_format', '港澳台居民居住证号码应为18位：17位数字加1位数字或X',
      'A residence permit number has 18 characters: 17 digits followed by a digit or X');
  }
  if (!RESIDENCE_PERMIT_PREFIXES.has(n.slice(0, 6))) {
    return fail('doc_region', '港澳台居民居住证号码应以810000、820000或830000开头',
      'A residence permit number starts with 810000, 820000 or 830000');
  }
  return checkGb11643(n, today);
}

function validateForeignPr(n: string, today: Date): DocValidation {
  if (/^[A-Z]{3}\d{12}$/.test(n)) return { ok: true, number: n }; // 2017 card: no public checksum
  if (!/^\d{17}[\dX]$/.test(n)) {
    return fail('doc_format', '外国人永久居留身份证号码应为18位（以9开头）或15位（3位字母加12位数字）',
      'A foreign permanent resident ID number has 18 characters starting with 9, or 3 letters + 12 digits');
  }
  if (n[0] !== '9') {
    return fail('doc_region', '新版外国人永久居留身份证号码应以9开头',
      'A new (2023) foreign permanent resident ID number starts with 9');
  }
  return checkGb11643(n, today);
}

/**
 * Validates and normalizes a document number (see {@link normalizeDocNumber}).
 * `today` (default: now) decides "in the future", compared as a China Standard Time date.
 * Error codes: 'doc_type' unknown type; 'doc_format' wrong length/characters (incl. legacy
 * 15-digit resident IDs); 'doc_region' bad address code / prefix; 'doc_birth_date' impossible date,
 * before 1900 or after today; 'doc_checksum' GB 11643 check character mismatch.
 */
export function validateDocument(type: DocType | string, raw: string, opts: { today?: Date } = {}): DocValidation {
  if (!isDocType(type)) {
    // the accepted values with their names, for scripts and imports that send a wrong one
    const known = Object.entries(DOC_TYPE_LABELS);
    return fail('doc_type', `不支持的证件类型（可用：${known.map(([k, l]) => `${k} ${l.zh}`).join('、')}）`,
      `Unsupported document type (accepted: ${known.map(([k, l]) => `${k} ${l.en}`).join(', ')})`);
  }
  const n = normalizeDocNumber(type, raw);
  if (n === '') return fail('doc_format', '请输入证件号码', 'Please enter the document number');
  const today = opts.today ?? new Date();
  switch (type) {
    case 'resident_id':
      return validateResidentId(n, today);
    case 'hk_macao_tw_residence_permit':
      return validateResidencePermit(n, today);
    case 'foreign_permanent_residence':
      return validateForeignPr(n, today);
    case 'hk_macao_permit':
      return /^[HM](\d{8}|\d{10})$/.test(n) ? { ok: true, number: n }
        : fail('doc_format', '港澳居民来往内地通行证号码应为H或M加8位或10位数字',
          'A Hong Kong/Macao travel permit number is H or M followed by 8 or 10 digits');
    case 'taiwan_permit':
      return /^(\d{8}|\d{10})$/.test(n) ? { ok: true, number: n }
        : fail('doc_format', '台湾居民来往大陆通行证号码应为8位数字（旧版为10位）',
          'A Taiwan travel permit number has 8 digits (10 on older permits)');
    case 'passport':
      return /^[A-Z0-9]{5,17}$/.test(n) ? { ok: true, number: n }
        : fail('doc_format', '护照号码应为5至17位字母或数字',
          'A passport number has 5 to 17 letters or digits');
  }
}

/** Characters normalized to U+00B7 MIDDLE DOT, the separator in minority and transliterated names. */
const DOT_LOOKALIKES = /[\u2022\u30FB\uFF0E\u2027\uFF65\u2219\u22C5\u0387\u2E31]/g;

/**
 * Canonical form of a person's name: NFC; zero-width characters removed; dot look-alikes
 * (• ・ ． ‧ ･ ∙ ⋅) → '·' (U+00B7), and an ASCII '.' between two Han characters too; whitespace
 * trimmed and collapsed to one ASCII space; spaces removed around '·' and between two Han
 * characters ('张 三' → '张三', 'John  SMITH' → 'John SMITH'). Idempotent.
 */
export function normalizeName(raw: string): string {
  return String(raw ?? '')
    .normalize('NFC')
    .replace(/[\u200B-\u200D\u2060\uFEFF]/g, '')
    .replace(DOT_LOOKALIKES, '\u00B7')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/(\p{Script=Han}) ?\. ?(?=\p{Script=Han})/gu, '$1\u00B7')
    .replace(/ ?\u00B7 ?/g, '\u00B7')
    .replace(/(\p{Script=Han}) (?=\p{Script=Han})/gu, '$1');
}

export type NameErrorCode = 'name_empty' | 'name_too_long' | 'name_chars';
export type NameValidation = { ok: true; name: string } | { ok: false; code: NameErrorCode; message: Bilingual };

/** Maximum name length, counted in Unicode code points (𠈌 U+2020C counts as 1). */
export const NAME_MAX_CODE_POINTS = 64;

const nameFail = (code: NameErrorCode, zh: string, en: string): NameValidation => ({ ok: false, code, message: msg(zh, en) });

/**
 * Validates a name after {@link normalizeName}. Allowed: letters of any script (incl. supplementary
 * planes), combining marks, and — between letters — '·', space, '-', apostrophe, '.'. Codes:
 * 'name_empty'; 'name_too_long' (> 64 code points); 'name_chars' for a leading = + - @
 * (spreadsheet formula injection), control/format characters, digits, other symbols, or a name
 * that does not start with a letter.
 */
export function validateName(raw: string): NameValidation {
  const name = normalizeName(raw);
  if (name === '') return nameFail('name_empty', '请输入姓名', 'Please enter the name');
  if ([...name].length > NAME_MAX_CODE_POINTS) {
    return nameFail('name_too_long', `姓名不能超过${NAME_MAX_CODE_POINTS}个字`,
      `The name may not exceed ${NAME_MAX_CODE_POINTS} characters`);
  }
  if (/^[=+\-@]/.test(name)) {
    return nameFail('name_chars', '姓名不能以 = + - @ 开头', 'The name may not start with = + - or @');
  }
  if (/[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/u.test(name)) {
    return nameFail('name_chars', '姓名含有不可见的控制字符', 'The name contains invisible control characters');
  }
  if (/\p{N}/u.test(name)) return nameFail('name_chars', '姓名不能包含数字', 'The name may not contain digits');
  if (!/^\p{L}[\p{L}\p{M}\u00B7' .\-\u2019]*$/u.test(name) || /[\u00B7' \-\u2019]$/u.test(name)) {
    return nameFail('name_chars', '姓名含有不允许的字符', 'The name contains characters that are not allowed');
  }
  return { ok: true, name };
}

export type PhoneValidation = { ok: true; phone: string } | { ok: false; code: 'phone_format'; message: Bilingual };

/**
 * A mobile number: mainland (11 digits, 1[3-9]xxxxxxxxx, with or without +86 / 86 / 0086), or one
 * abroad in international form (+ or 00, then the country code: Hong Kong, Macao, Taiwan and
 * foreign visitors; LESSONS "systems that only knew the mainland ID card"), checked against the
 * numbering plans of `libphonenumber-js`. Accepts full-width digits, spaces, hyphens and
 * parentheses. Returns the bare 11 digits for the mainland, E.164 ('+85291234567') otherwise.
 */
export function validatePhone(raw: string): PhoneValidation {
  const s = String(raw ?? '')
    .replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[\s\-\u2010-\u2015\u2212()]/g, '');
  const m = /^(?:\+86|0086|86)?(1[3-9]\d{9})$/.exec(s);
  if (m) return { ok: true, phone: m[1] };
  const abroad = /^(?:\+|00)([1-9]\d{6,14})$/.exec(s);
  if (abroad && !abroad[1].startsWith('86')) {
    const n = parsePhoneNumberFromString(`+${abroad[1]}`);
    const type = n?.isValid() ? n.getType() : undefined;
    if (n && (type === 'MOBILE' || type === 'FIXED_LINE_OR_MOBILE')) return { ok: true, phone: n.number };
  }
  return {
    ok: false, code: 'phone_format',
    message: msg('请输入11位手机号码；境外手机号码请以“+”和国家或地区代码开头（如 +852）',
      'Please enter an 11-digit mainland mobile number, or a mobile number abroad starting with + and its country code (e.g. +852)'),
  };
}

/**
 * Stable matching key `${type}:${number}`; the number is normalized first, so raw and normalized
 * input give the same key.
 */
export function docKey(type: DocType, number: string): string {
  return `${type}:${normalizeDocNumber(type, number)}`;
}

/**
 * HMAC-SHA256 (hex, 64 chars) of {@link docKey} under a server-side secret `pepper`, for indexed
 * look-ups without storing the full number in clear.
 * @throws TypeError if `pepper` is empty.
 */
export function docHash(type: DocType, number: string, pepper: string): string {
  if (!pepper) throw new TypeError('docHash: pepper must be a non-empty secret');
  return createHmac('sha256', pepper).update(docKey(type, number), 'utf8').digest('hex');
}
