import { describe, expect, it } from 'vitest';
import { auditSearchText, maskDocNumber, maskName, maskPhone } from './mask.js';

/** True if `s` contains an unpaired UTF-16 surrogate. */
const hasLoneSurrogate = (s: string) => /\p{Cs}/u.test(s);

describe('maskName', () => {
  it('masks Chinese names by character count', () => {
    expect(maskName('张')).toBe('*');
    expect(maskName('张三')).toBe('张*');
    expect(maskName('张三丰')).toBe('张*丰');
    expect(maskName('张小三')).toBe('张*三');
    expect(maskName('欧阳娜娜')).toBe('欧**娜');
    expect(maskName('阿沛·阿旺晋美')).toBe('阿*****美');
  });

  it('treats a supplementary-plane character as one character and never splits it', () => {
    expect(maskName('𠈌')).toBe('*');
    expect(maskName('𠈌三')).toBe('𠈌*');
    expect(maskName('王𠈌')).toBe('王*');
    expect(maskName('𠈌𠈌')).toBe('𠈌*');
    expect(maskName('王𠈌明')).toBe('王*明');
    expect(maskName('𠈌小𠈌')).toBe('𠈌*𠈌');
    for (const n of ['𠈌', '王𠈌', '𠈌王', '𠈌𠈌𠈌𠈌', '李𠈌𠈌']) expect(hasLoneSurrogate(maskName(n))).toBe(false);
  });

  it('keeps a base letter with its combining mark or variation selector together', () => {
    expect(maskName('Jose\u0301')).toBe('J**e\u0301');
    expect(maskName('葛\u{E0100}')).toBe('*');
    expect(maskName('葛\u{E0100}亮')).toBe('葛\u{E0100}*');
  });

  it('masks Latin names as one string (spaces masked too)', () => {
    expect(maskName('John SMITH')).toBe('J********H');
    expect(maskName('Li')).toBe('L*');
  });

  it('handles empty and padded input', () => {
    expect(maskName('')).toBe('');
    expect(maskName('  张三  ')).toBe('张*');
  });
});

describe('maskDocNumber', () => {
  it('keeps the first 6 and last 4 of long numbers', () => {
    expect(maskDocNumber('410811199003071234')).toBe('410811********1234');
    expect(maskDocNumber('41081119900307003X')).toBe('410811********003X');
    expect(maskDocNumber('USA110085061501')).toBe('USA110*****1501');
  });

  it('keeps the first 2 and last 2 of passports and permits', () => {
    expect(maskDocNumber('E12345678')).toBe('E1*****78');
    expect(maskDocNumber('12345678')).toBe('12****78');
    expect(maskDocNumber('M1234567801')).toBe('M1*******01');
  });

  it('masks very short values almost entirely', () => {
    expect(maskDocNumber('AB123')).toBe('A***3');
    expect(maskDocNumber('AB')).toBe('**');
    expect(maskDocNumber('')).toBe('');
  });
});

describe('maskPhone', () => {
  it('masks the middle four digits of a mobile', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone('19900001111')).toBe('199****1111');
  });

  it('masks other lengths without revealing them whole', () => {
    expect(maskPhone('03913456789')).toBe('039****6789');
    expect(maskPhone('12345')).toBe('***45');
    expect(maskPhone('123')).toBe('***');
    expect(maskPhone('')).toBe('');
  });
});

describe('auditSearchText', () => {
  it('masks document- and phone-like digit runs, keeps names and case numbers', () => {
    expect(auditSearchText('张 410811199001011234')).toBe('张 410811********1234');
    expect(auditSearchText('4108111990010112X')).toBe('410811*******112X');
    expect(auditSearchText('13812345678')).toBe('13*******78');
    expect(auditSearchText('410811-0001')).toBe('410811-0001');
    expect(auditSearchText('王小明')).toBe('王小明');
    expect(auditSearchText('x'.repeat(150))).toHaveLength(100);
  });
});
