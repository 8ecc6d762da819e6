/**
 * Who may create and manage which staff accounts (issue 2 §4, SPEC "Roles"), on one screen:
 * - the new account's area must lie in the creator's subtree (SPEC "Area tree": prefix codes);
 * - the area's level must be one the role is scoped to (ROLE_SCOPE_DIGITS in roles.ts);
 * - the role must be one the creator's role may hand out (CREATABLE_ROLES below): nobody creates an
 *   account with more power than their own (a community worker makes guards, not district command).
 * Pure functions: no I/O.
 */
import { randomInt } from 'node:crypto';
import { AppError, badRequest } from '../../lib/errors';
import { passwordProblem } from './auth';
import { ROLES, ROLE_LABELS, ROLE_SCOPE_DIGITS, inScope, type Role } from './roles';

const COMMUNITY_STAFF: Role[] = ['info_officer', 'place_manager', 'guard'];
const STREET_STAFF: Role[] = ['community_worker', ...COMMUNITY_STAFF, 'community_doctor', 'police', 'counsellor', 'enterprise'];
const DISTRICT_STAFF: Role[] = ['street_office', ...STREET_STAFF, 'chief_doctor', 'industry_authority'];

/**
 * Roles each role may create, disable and reset (within its subtree). Only an admin may create an
 * admin; no role hands out its own role or one above it, except admin (issue 2 §4).
 */
export const CREATABLE_ROLES: Record<Role, readonly Role[]> = {
  admin: ROLES,
  city_command: ['district_command', ...DISTRICT_STAFF],
  district_command: DISTRICT_STAFF,
  street_office: STREET_STAFF,
  community_worker: COMMUNITY_STAFF,
  info_officer: [],
  community_doctor: [],
  chief_doctor: [],
  police: [],
  counsellor: [],
  place_manager: [],
  guard: [],
  enterprise: [],
  industry_authority: [],
};

/** Digits of an area code → its level name, for messages. */
const LEVEL_NAMES: Record<number, [string, string]> = {
  2: ['省', 'province'], 4: ['市', 'city'], 6: ['县区', 'district'], 9: ['街道/乡镇', 'street'], 12: ['社区/村', 'community'],
};

/** The creator as the rules see it. */
export interface Creator { id: string; role: Role; areaCode: string }

/** True when `creator` may create or manage an account of `role` at `areaCode` (level not checked). */
export function mayManage(creator: Creator, role: Role, areaCode: string): boolean {
  return inScope(creator.areaCode, areaCode) && CREATABLE_ROLES[creator.role].includes(role);
}

/**
 * Check that `creator` may create an account of `role` at `areaCode`.
 * @throws AppError 404 area_out_of_scope (area outside the creator's subtree: not revealed),
 *   403 role_not_allowed (more power than the creator), 400 area_level (wrong level for the role).
 */
export function assertMayCreate(creator: Creator, role: Role, areaCode: string): void {
  if (!inScope(creator.areaCode, areaCode)) {
    throw new AppError(404, 'area_out_of_scope', { zh: '该区域不存在或不在您的管辖范围内', en: 'That area does not exist or is outside your area' });
  }
  if (!CREATABLE_ROLES[creator.role].includes(role)) {
    const l = ROLE_LABELS[role];
    throw new AppError(403, 'role_not_allowed', {
      zh: `您的账号不能创建或管理“${l.zh}”账号`, en: `Your account may not create or manage ${l.en} accounts`,
    });
  }
  const digits = ROLE_SCOPE_DIGITS[role];
  if (!digits.includes(areaCode.length)) {
    const names = digits.map((d) => LEVEL_NAMES[d] ?? [String(d), String(d)]);
    throw badRequest('area_level',
      `“${ROLE_LABELS[role].zh}”账号只能设在${names.map((n) => n[0]).join('或')}一级`,
      `${ROLE_LABELS[role].en} accounts belong to a ${names.map((n) => n[1]).join(' or ')} node`);
  }
}

/** Username rule of the staff table: 3–40 of a-z 0-9 _ . - (stored lower case). */
export const USERNAME_RE = /^[a-z0-9_.-]{3,40}$/;

/**
 * Trimmed, lower-cased username.
 * @throws AppError 400 username_invalid when it breaks USERNAME_RE.
 */
export function normalizeUsername(raw: string): string {
  const u = raw.trim().toLowerCase();
  if (!USERNAME_RE.test(u)) {
    throw badRequest('username_invalid', '用户名须为3至40位小写字母、数字或 _ . -', 'Username must be 3–40 characters of a–z, 0–9, _ . -');
  }
  return u;
}

/**
 * Trimmed single-line text of 1–`max` characters (any script; spaces collapsed), e.g. a name.
 * @throws AppError 400 `${code}` naming the field by `label` (zh, en).
 */
export function normalizeText(raw: string, label: [string, string], max: number, code = 'name_invalid'): string {
  const n = raw.normalize('NFC').trim().replace(/\s+/g, ' ');
  const len = [...n].length;
  if (len < 1 || len > max || /[\u0000-\u001f\u007f]/.test(n)) {
    throw badRequest(code, `${label[0]}须为1至${max}个字符`, `${label[1]} must be 1–${max} characters`);
  }
  return n;
}

/** A staff member's display name: 1–40 characters. @throws AppError 400 display_name_invalid. */
export function normalizeDisplayName(raw: string): string {
  return normalizeText(raw, ['姓名', 'Display name'], 40, 'display_name_invalid');
}

/** Characters of generated passwords: no 0/O, 1/l/I look-alikes (read aloud or from paper). */
const PW_ALPHABET = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/**
 * A one-time password: three groups of four characters joined by '-', e.g. "Kp7m-x3Qd-9Htz"
 * (14 characters, ~69 bits), always with letters and digits so it passes passwordProblem.
 */
export function generatePassword(): string {
  for (;;) {
    const groups = [0, 1, 2].map(() => Array.from({ length: 4 }, () => PW_ALPHABET[randomInt(PW_ALPHABET.length)]).join(''));
    const pw = groups.join('-');
    if (!passwordProblem(pw)) return pw;
  }
}
