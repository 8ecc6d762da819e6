import { describe, expect, it } from 'vitest';
import { AppError } from '../../lib/errors';
import { passwordProblem } from './auth';
import { assertMayCreate, CREATABLE_ROLES, generatePassword, mayManage, normalizeDisplayName, normalizeUsername } from './accounts-rules';
import { PERMISSIONS, ROLES, type Role } from './roles';

const who = (role: Role, areaCode: string) => ({ id: 'x', role, areaCode });
const refusal = (fn: () => void) => {
  try { fn(); } catch (e) { return { status: (e as AppError).status, code: (e as AppError).code }; }
  return null;
};

describe('account creation rules', () => {
  it('admin creates any role in scope at the role\'s level', () => {
    for (const role of ROLES) expect(CREATABLE_ROLES.admin).toContain(role);
    expect(refusal(() => assertMayCreate(who('admin', '4108'), 'district_command', '410811'))).toBeNull();
    expect(refusal(() => assertMayCreate(who('admin', '410811'), 'city_command', '4108'))).toEqual({ status: 404, code: 'area_out_of_scope' });
  });

  it('nobody but admin hands out its own role or one that can manage accounts above it', () => {
    for (const role of ROLES.filter((r) => r !== 'admin')) {
      expect(CREATABLE_ROLES[role], role).not.toContain(role);
      expect(CREATABLE_ROLES[role], role).not.toContain('admin');
      // Roles without account management create nothing.
      if (!PERMISSIONS[role].includes('accounts.manage')) expect(CREATABLE_ROLES[role], role).toEqual([]);
    }
    expect(CREATABLE_ROLES.district_command).not.toContain('city_command');
    expect(CREATABLE_ROLES.street_office).not.toContain('district_command');
  });

  it('a community worker creates guards and info officers in its community, nothing more', () => {
    const w = who('community_worker', '410811001001');
    expect(refusal(() => assertMayCreate(w, 'guard', '410811001001'))).toBeNull();
    expect(refusal(() => assertMayCreate(w, 'info_officer', '410811001001'))).toBeNull();
    expect(refusal(() => assertMayCreate(w, 'district_command', '410811001001'))).toEqual({ status: 403, code: 'role_not_allowed' });
    expect(refusal(() => assertMayCreate(w, 'guard', '410811001002'))).toEqual({ status: 404, code: 'area_out_of_scope' });
    expect(mayManage(w, 'guard', '410811001001')).toBe(true);
    expect(mayManage(w, 'community_doctor', '410811001001')).toBe(false);
  });

  it('checks the level of the area against the role', () => {
    const e = refusal(() => assertMayCreate(who('admin', '4108'), 'guard', '410811001'));
    expect(e).toEqual({ status: 400, code: 'area_level' });
    expect(refusal(() => assertMayCreate(who('admin', '4108'), 'police', '410811001'))).toBeNull();
  });
});

describe('account fields', () => {
  it('normalizes usernames and refuses bad ones', () => {
    expect(normalizeUsername('  Demo.Admin_1 ')).toBe('demo.admin_1');
    for (const bad of ['ab', '张三', 'a b c', 'x'.repeat(41)]) expect(() => normalizeUsername(bad)).toThrow(AppError);
  });

  it('keeps any script in display names, collapses spaces, bounds the length', () => {
    expect(normalizeDisplayName(' 阿沛·阿旺晋美 ')).toBe('阿沛·阿旺晋美');
    expect(normalizeDisplayName('王  𠈌')).toBe('王 𠈌');
    expect(normalizeDisplayName('𠈌'.repeat(40))).toHaveLength(80); // 40 characters outside the BMP
    expect(() => normalizeDisplayName('   ')).toThrow(AppError);
    expect(() => normalizeDisplayName('长'.repeat(41))).toThrow(AppError);
  });

  it('generates distinct passwords that pass the password rule', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const pw = generatePassword();
      expect(passwordProblem(pw)).toBeNull();
      expect(pw).toMatch(/^[a-hjkmnp-zA-HJ-NP-Z2-9]{4}(-[a-hjkmnp-zA-HJ-NP-Z2-9]{4}){2}$/);
      seen.add(pw);
    }
    expect(seen.size).toBe(200);
  });
});
