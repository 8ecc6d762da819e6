import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  DOC_TYPES, DOC_TYPE_LABELS, NAME_MAX_CODE_POINTS, docHash, docKey, gb11643CheckChar, isDocType,
  normalizeDocNumber, normalizeName, validateDocument, validateName, validatePhone,
} from './identity.js';

// GB 11643 check characters computed by hand: weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2,
// sum mod 11 → "10X98765432".
// 41081119900307123: 28+9+0+40+8+4+2+9+54+0+0+27+0+35+8+8+6 = 238, 238 mod 11 = 7 → '5'
const ID_MALE = '410811199003071235';
// 41082119850615002: 28+9+0+40+16+4+2+9+48+15+0+54+10+25+0+0+4 = 264, mod 11 = 0 → '1'
const ID_FEMALE = '410821198506150021';
// 41081119900307003: 28+9+0+40+8+4+2+9+54+0+0+27+0+35+0+0+6 = 222, mod 11 = 2 → 'X'
const ID_X = '41081119900307003X';
// 44030419860912002: 28+36+0+15+0+16+2+9+48+18+0+81+10+10+0+0+4 = 277, mod 11 = 2 → 'X'
const ID_X2 = '44030419860912002X';
// 11010520000229004 (leap day 2000): 7+9+0+5+0+20+4+0+0+0+0+18+20+45+0+0+8 = 136, mod 11 = 4 → '8'
const ID_LEAP_2000 = '110105200002290048';
// 41081119990230001 (Feb 30): 28+9+0+40+8+4+2+9+54+27+0+18+30+0+0+0+2 = 231, mod 11 = 0 → '1'
const ID_FEB30 = '410811199902300011';
// 41081119000229001 (1900 not leap): 28+9+0+40+8+4+2+9+0+0+0+18+20+45+0+0+2 = 185, mod 11 = 9 → '3'
const ID_1900_LEAP = '410811190002290013';
// 41081118991231001: 28+9+0+40+8+4+2+8+54+27+7+18+30+5+0+0+2 = 242, mod 11 = 0 → '1'
const ID_1899 = '410811189912310011';
// 41081120200216001: 28+9+0+40+8+4+4+0+12+0+0+18+10+30+0+0+2 = 165, mod 11 = 0 → '1'
const ID_2020_02_16 = '410811202002160011';
// 99081119900307123: 63+81+0+40+8+4+2+9+54+0+0+27+0+35+8+8+6 = 345, mod 11 = 4 → '8'
const ID_PROV_99 = '990811199003071238';
// 41000019900307123: 28+9+0+0+0+0+2+9+54+0+0+27+0+35+8+8+6 = 186, mod 11 = 10 → '2'
const ID_PROV_ONLY = '410000199003071232';
// 41080019900307123 (prefecture-level code, seen on older cards): 226, mod 11 = 6 → '6'
const ID_PREFECTURE = '410800199003071236';
// Residence permits. 81000019900101001: 56+9+0+0+0+0+2+9+54+0+0+9+0+5+0+0+2 = 146, mod 11 = 3 → '9'
const RP_HK = '810000199001010019';
// 83000019880808002: 56+27+0+0+0+0+2+9+48+24+0+72+0+40+0+0+4 = 282, mod 11 = 7 → '5'
const RP_TW = '830000198808080025';
// 82000019950505003: 56+18+0+0+0+0+2+9+54+15+0+45+0+25+0+0+6 = 230, mod 11 = 10 → '2'
const RP_MO = '820000199505050032';
// 2023 foreign PR. 91184019850615001: 63+9+10+40+32+0+2+9+48+15+0+54+10+25+0+0+2 = 319,
// mod 11 = 0 → '1'
const FPR_NEW = '911840198506150011';

const TODAY = new Date('2024-06-01T12:00:00+08:00');
const ok = (type: string, raw: string, today = TODAY) => validateDocument(type, raw, { today });

describe('document types', () => {
  it('lists the six types with zh-CN and en labels', () => {
    expect(DOC_TYPES).toEqual(['resident_id', 'hk_macao_permit', 'taiwan_permit',
      'hk_macao_tw_residence_permit', 'passport', 'foreign_permanent_residence']);
    for (const t of DOC_TYPES) {
      expect(DOC_TYPE_LABELS[t].zh).toMatch(/\p{Script=Han}/u);
      expect(DOC_TYPE_LABELS[t].en).toMatch(/^[A-Z]/);
    }
    expect(DOC_TYPE_LABELS.resident_id.zh).toBe('居民身份证');
    expect(isDocType('passport')).toBe(true);
    expect(isDocType('drivers_licence')).toBe(false);
    expect(isDocType(3)).toBe(false);
  });

  it('rejects an unknown type with doc_type', () => {
    const r = validateDocument('drivers_licence', 'E12345678');
    expect(r).toMatchObject({ ok: false, code: 'doc_type' });
    // the refusal names what is accepted, for scripts that send a wrong value
    expect(!r.ok && r.message.zh).toContain('resident_id 居民身份证、hk_macao_permit');
    expect(!r.ok && r.message.en).toContain('(accepted: resident_id Resident Identity Card, ');
  });
});

describe('normalizeDocNumber', () => {
  it('trims, drops spaces/hyphens, converts full-width, uppercases', () => {
    expect(normalizeDocNumber('resident_id', ' 410811 1990-0307 003x ')).toBe(ID_X);
    expect(normalizeDocNumber('resident_id', '４１０８１１１９９００３０７００３ｘ')).toBe(ID_X);
    expect(normalizeDocNumber('passport', 'ｅ１２３\u3000４５６７８')).toBe('E12345678');
    expect(normalizeDocNumber('hk_macao_permit', 'h1234－5678')).toBe('H12345678');
    expect(normalizeDocNumber('resident_id', normalizeDocNumber('resident_id', ' 4108-x'))).toBe('4108X');
  });
});

describe('gb11643CheckChar', () => {
  it('matches hand-computed check characters', () => {
    expect(gb11643CheckChar('41081119900307123')).toBe('5');
    expect(gb11643CheckChar('41081119900307003')).toBe('X');
    expect(gb11643CheckChar('11010520000229004')).toBe('8');
    expect(() => gb11643CheckChar('1234')).toThrow(RangeError);
  });
});

describe('validateDocument: resident_id', () => {
  it('accepts a valid number and derives birth date and sex', () => {
    expect(ok('resident_id', ID_MALE)).toEqual({ ok: true, number: ID_MALE, birthDate: '1990-03-07', sex: 'M' });
    expect(ok('resident_id', ID_FEMALE)).toEqual({ ok: true, number: ID_FEMALE, birthDate: '1985-06-15', sex: 'F' });
  });

  it('accepts a lowercase x check character and normalizes it', () => {
    expect(ok('resident_id', '41081119900307003x')).toMatchObject({ ok: true, number: ID_X });
    expect(ok('resident_id', ID_X2.toLowerCase())).toMatchObject({ ok: true, number: ID_X2, sex: 'F' });
  });

  it('accepts full-width digits, spaces and hyphens', () => {
    expect(ok('resident_id', '４１０８１１１９９００３０７１２３５')).toMatchObject({ ok: true, number: ID_MALE });
    expect(ok('resident_id', '410811 19900307 1235')).toMatchObject({ ok: true, number: ID_MALE });
    expect(ok('resident_id', '410811-19900307-1235')).toMatchObject({ ok: true, number: ID_MALE });
  });

  it('rejects a wrong check digit with doc_checksum and a Chinese-first message', () => {
    const r = ok('resident_id', '410811199003071234');
    expect(r).toEqual({ ok: false, code: 'doc_checksum', message: {
      zh: '证件号码校验位错误，请核对后重新输入',
      en: expect.stringContaining('check digit'),
    } });
    // X where a digit is expected, and a digit where X is expected
    expect(ok('resident_id', '41081119900307123X')).toMatchObject({ code: 'doc_checksum' });
    expect(ok('resident_id', '410811199003070030')).toMatchObject({ code: 'doc_checksum' });
  });

  it('checks birth dates: Feb 30, leap years, before 1900, future (CST)', () => {
    expect(ok('resident_id', ID_FEB30)).toMatchObject({ ok: false, code: 'doc_birth_date' });
    expect(ok('resident_id', ID_LEAP_2000)).toMatchObject({ ok: true, birthDate: '2000-02-29', sex: 'F' });
    expect(ok('resident_id', ID_1900_LEAP)).toMatchObject({ ok: false, code: 'doc_birth_date' });
    expect(ok('resident_id', ID_1899)).toMatchObject({ ok: false, code: 'doc_birth_date' });
    const r = ok('resident_id', ID_2020_02_16, new Date('2020-02-15T12:00:00+08:00'));
    expect(r).toMatchObject({ ok: false, code: 'doc_birth_date' });
    if (!r.ok) expect(r.message.zh).toContain('晚于今天');
    // 2020-02-15T16:30Z is already 2020-02-16 00:30 in China: born today is fine.
    expect(ok('resident_id', ID_2020_02_16, new Date('2020-02-15T16:30:00Z'))).toMatchObject({ ok: true });
    expect(ok('resident_id', ID_2020_02_16, new Date('2020-02-15T15:59:00Z'))).toMatchObject({ code: 'doc_birth_date' });
  });

  it('checks the region code', () => {
    expect(ok('resident_id', ID_PROV_99)).toMatchObject({ ok: false, code: 'doc_region' });
    expect(ok('resident_id', ID_PROV_ONLY)).toMatchObject({ ok: false, code: 'doc_region' });
    expect(ok('resident_id', ID_PREFECTURE)).toMatchObject({ ok: true });
    const rp = ok('resident_id', RP_HK);
    expect(rp).toMatchObject({ ok: false, code: 'doc_region' });
    if (!rp.ok) expect(rp.message.zh).toContain('港澳台居民居住证');
    expect(ok('resident_id', FPR_NEW)).toMatchObject({ ok: false, code: 'doc_region' });
  });

  it('rejects legacy 15-digit and malformed numbers with doc_format', () => {
    const r = ok('resident_id', '410811900307123');
    expect(r).toMatchObject({ ok: false, code: 'doc_format' });
    if (!r.ok) expect(r.message.zh).toContain('18位');
    expect(ok('resident_id', '')).toMatchObject({ code: 'doc_format' });
    expect(ok('resident_id', '   ')).toMatchObject({ code: 'doc_format' });
    expect(ok('resident_id', '41081119900307123')).toMatchObject({ code: 'doc_format' });
    expect(ok('resident_id', '4108111990030712355')).toMatchObject({ code: 'doc_format' });
    expect(ok('resident_id', '4108111990X3071235')).toMatchObject({ code: 'doc_format' });
    expect(ok('resident_id', '41081119900307123Y')).toMatchObject({ code: 'doc_format' });
  });
});

describe('validateDocument: other documents', () => {
  it('residence permits (810000/820000/830000, GB 11643 checksum)', () => {
    expect(ok('hk_macao_tw_residence_permit', RP_HK)).toEqual({ ok: true, number: RP_HK, birthDate: '1990-01-01', sex: 'M' });
    expect(ok('hk_macao_tw_residence_permit', RP_TW)).toMatchObject({ ok: true, birthDate: '1988-08-08', sex: 'F' });
    expect(ok('hk_macao_tw_residence_permit', RP_MO)).toMatchObject({ ok: true, sex: 'M' });
    expect(ok('hk_macao_tw_residence_permit', '810000199001010018')).toMatchObject({ code: 'doc_checksum' });
    expect(ok('hk_macao_tw_residence_permit', ID_MALE)).toMatchObject({ code: 'doc_region' });
    expect(ok('hk_macao_tw_residence_permit', '81000019900101001')).toMatchObject({ code: 'doc_format' });
  });

  it('Hong Kong / Macao travel permit: H or M + 8 or 10 digits', () => {
    expect(ok('hk_macao_permit', 'H12345678')).toEqual({ ok: true, number: 'H12345678' });
    expect(ok('hk_macao_permit', 'm1234567801')).toEqual({ ok: true, number: 'M1234567801' });
    for (const bad of ['12345678', 'H1234567', 'H123456789', 'K12345678', 'H123456780123']) {
      expect(ok('hk_macao_permit', bad)).toMatchObject({ ok: false, code: 'doc_format' });
    }
  });

  it('Taiwan travel permit: 8 digits or 10 (old)', () => {
    expect(ok('taiwan_permit', '12345678')).toEqual({ ok: true, number: '12345678' });
    expect(ok('taiwan_permit', '1234567890')).toMatchObject({ ok: true });
    for (const bad of ['1234567', '123456789', 'T1234567', '12345678901']) {
      expect(ok('taiwan_permit', bad)).toMatchObject({ ok: false, code: 'doc_format' });
    }
  });

  it('passport: 5-17 letters/digits, uppercased', () => {
    expect(ok('passport', 'e12345678')).toEqual({ ok: true, number: 'E12345678' });
    expect(ok('passport', 'EA1234567')).toMatchObject({ ok: true });
    expect(ok('passport', 'AB123')).toMatchObject({ ok: true });
    for (const bad of ['AB12', 'A'.repeat(18), 'E1234/5678', 'É12345678']) {
      expect(ok('passport', bad)).toMatchObject({ ok: false, code: 'doc_format' });
    }
  });

  it('foreign permanent residence: 2017 (3 letters + 12 digits) and 2023 (18, starts 9)', () => {
    expect(ok('foreign_permanent_residence', 'usa110085061501')).toEqual({ ok: true, number: 'USA110085061501' });
    expect(ok('foreign_permanent_residence', FPR_NEW)).toEqual({ ok: true, number: FPR_NEW, birthDate: '1985-06-15', sex: 'M' });
    expect(ok('foreign_permanent_residence', '911840198506150012')).toMatchObject({ code: 'doc_checksum' });
    expect(ok('foreign_permanent_residence', ID_MALE)).toMatchObject({ code: 'doc_region' });
    expect(ok('foreign_permanent_residence', 'US1100850615012')).toMatchObject({ code: 'doc_format' });
    expect(ok('foreign_permanent_residence', 'USA11008506150')).toMatchObject({ code: 'doc_format' });
  });
});

describe('names', () => {
  it('accepts supplementary-plane characters, counting code points', () => {
    expect(validateName('𠈌')).toEqual({ ok: true, name: '𠈌' });
    expect('𠈌'.length).toBe(2);
    expect(validateName('王𠈌')).toMatchObject({ ok: true, name: '王𠈌' });
    expect(validateName('𠈌'.repeat(NAME_MAX_CODE_POINTS))).toMatchObject({ ok: true });
    expect(validateName('𠈌'.repeat(NAME_MAX_CODE_POINTS + 1))).toMatchObject({ ok: false, code: 'name_too_long' });
    expect(validateName('张'.repeat(65))).toMatchObject({ code: 'name_too_long' });
  });

  it('normalizes middle-dot look-alikes to U+00B7', () => {
    for (const dot of ['•', '・', '．', '‧', '･', '·', '\u2219', '\u22C5']) {
      expect(normalizeName(`阿沛${dot}阿旺晋美`)).toBe('阿沛\u00B7阿旺晋美');
    }
    expect(normalizeName('阿沛 · 阿旺晋美')).toBe('阿沛·阿旺晋美');
    expect(normalizeName('买买提.艾力')).toBe('买买提·艾力');
    expect(validateName('阿沛•阿旺晋美')).toEqual({ ok: true, name: '阿沛·阿旺晋美' });
  });

  it('trims, collapses whitespace, applies NFC', () => {
    expect(normalizeName('  John \t  SMITH \n')).toBe('John SMITH');
    expect(normalizeName('张 三')).toBe('张三');
    expect(normalizeName('\u200B张三\uFEFF')).toBe('张三');
    expect(normalizeName('Jose\u0301')).toBe('José');
    expect(normalizeName(normalizeName(' 阿沛 ・ 阿旺晋美 '))).toBe('阿沛·阿旺晋美');
    expect(validateName("John SMITH")).toEqual({ ok: true, name: 'John SMITH' });
    expect(validateName("Mary-Jane O'Neil")).toMatchObject({ ok: true });
    expect(validateName('J. R. R. TOLKIEN')).toMatchObject({ ok: true });
  });

  it('rejects empty, formula injection, control characters, digits and symbols', () => {
    expect(validateName('')).toMatchObject({ ok: false, code: 'name_empty' });
    expect(validateName(' \u3000 ')).toMatchObject({ code: 'name_empty' });
    for (const bad of ['=cmd', '=HYPERLINK("x")', '+1', '-张三', '@SUM(A1)', ' \t=cmd']) {
      expect(validateName(bad)).toMatchObject({ ok: false, code: 'name_chars' });
    }
    const r = validateName('=cmd');
    if (!r.ok) expect(r.message.zh).toContain('=');
    for (const bad of ['张\u0000三', '张\u202E三', '\u0007', '张三2', '张三３', 'Li<b>', '张三;', '·张三', '张三·', '李\uD800']) {
      expect(validateName(bad)).toMatchObject({ ok: false, code: 'name_chars' });
    }
  });
});

describe('validatePhone', () => {
  it('accepts mainland mobiles with prefixes and separators', () => {
    for (const raw of ['13812345678', '+8613812345678', '8613812345678', '0086 138 1234 5678',
      '+86 138-1234-5678', '138 1234 5678', '(+86) 13812345678', '１３８１２３４５６７８']) {
      expect(validatePhone(raw)).toEqual({ ok: true, phone: '13812345678' });
    }
    expect(validatePhone('19912345678')).toMatchObject({ ok: true, phone: '19912345678' });
  });

  it('accepts mobiles abroad in international form, stored as E.164', () => {
    for (const [raw, phone] of [['+852 9123 4567', '+85291234567'], ['00852-6123-4567', '+85261234567'], ['+853 6612 3456', '+85366123456'],
      ['+886 912 345 678', '+886912345678'], ['+49 151 12345678', '+4915112345678'], ['+1 (415) 555-2671', '+14155552671']]) {
      expect(validatePhone(raw)).toEqual({ ok: true, phone });
    }
  });

  it('rejects other numbers with phone_format', () => {
    for (const bad of ['', '1381234567', '138123456789', '12812345678', '03912345678', '+8513812345678', '1381234567a', '+86',
      '+86 10 12345678', '+852 2123 4567', '+852123', '85291234567', '+99912345678']) {
      expect(validatePhone(bad)).toMatchObject({ ok: false, code: 'phone_format' });
    }
  });
});

describe('docKey / docHash', () => {
  it('builds a stable key from the normalized number', () => {
    expect(docKey('resident_id', ID_X)).toBe(`resident_id:${ID_X}`);
    expect(docKey('resident_id', ' 41081119900307003x')).toBe(`resident_id:${ID_X}`);
    expect(docKey('passport', 'e12345678')).toBe('passport:E12345678');
  });

  it('HMAC-SHA256 hex under the pepper', () => {
    const expected = createHmac('sha256', 'pepper-1').update(`resident_id:${ID_X}`).digest('hex');
    expect(docHash('resident_id', '41081119900307003x', 'pepper-1')).toBe(expected);
    expect(docHash('resident_id', ID_X, 'pepper-1')).toMatch(/^[0-9a-f]{64}$/);
    expect(docHash('resident_id', ID_X, 'pepper-2')).not.toBe(expected);
    expect(docHash('passport', ID_X, 'pepper-1')).not.toBe(expected);
    expect(() => docHash('resident_id', ID_X, '')).toThrow(TypeError);
  });
});
