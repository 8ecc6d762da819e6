/**
 * Identity document types and their labels (zh-CN first, en second). No Node imports: the gate
 * page bundles this for the browser (web/gate/doc-types.ts); identity.ts re-exports it.
 */

/** A message in both product locales; `zh` (zh-CN) is the default, `en` the second locale. */
export interface Bilingual {
  zh: string;
  en: string;
}

/** Supported identity document types, in the order the registration form offers them. */
export const DOC_TYPES = ['resident_id', 'hk_macao_permit', 'taiwan_permit', 'hk_macao_tw_residence_permit',
  'passport', 'foreign_permanent_residence'] as const;

export type DocType = (typeof DOC_TYPES)[number];

/** Display labels of each document type (zh-CN as `zh`, English as `en`). */
export const DOC_TYPE_LABELS: Readonly<Record<DocType, Bilingual>> = {
  resident_id: { zh: '居民身份证', en: 'Resident Identity Card' },
  hk_macao_permit: { zh: '港澳居民来往内地通行证', en: 'Mainland Travel Permit for Hong Kong and Macao Residents' },
  taiwan_permit: { zh: '台湾居民来往大陆通行证', en: 'Mainland Travel Permit for Taiwan Residents' },
  hk_macao_tw_residence_permit: { zh: '港澳台居民居住证', en: 'Residence Permit for Hong Kong, Macao and Taiwan Residents' },
  passport: { zh: '护照', en: 'Passport' },
  foreign_permanent_residence: { zh: '外国人永久居留身份证', en: 'Foreign Permanent Resident ID Card' },
};

/** Type guard for untrusted input (query strings, CSV cells, JSON bodies). */
export function isDocType(value: unknown): value is DocType {
  return typeof value === 'string' && (DOC_TYPES as readonly string[]).includes(value);
}
