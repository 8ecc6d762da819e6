/**
 * Role names for the account forms, in the order of SPEC "Roles" (same keys and labels as
 * src/modules/staff/roles.ts; the server decides who may create which role and answers a clear
 * message otherwise). `CREATABLE` mirrors accounts-rules.ts only to trim the role picker.
 */
import type { Lang } from './i18n';

export const ROLE_LABELS: Record<string, [string, string]> = {
  admin: ['系统管理员', 'Administrator'],
  city_command: ['市疫情防控指挥部办公室', 'City command office'],
  district_command: ['县区疫情防控指挥部办公室', 'District command office'],
  street_office: ['街道（乡镇）', 'Street office'],
  community_worker: ['社区工作人员/网格员', 'Community / grid worker'],
  info_officer: ['社区信息员', 'Community information officer'],
  community_doctor: ['社区医生', 'Community doctor'],
  chief_doctor: ['主检医生', 'Chief doctor'],
  police: ['社区民警', 'Community police'],
  counsellor: ['心理咨询师', 'Psychological counsellor'],
  place_manager: ['场所负责人', 'Place manager'],
  guard: ['卡点值守人员', 'Checkpoint guard'],
  enterprise: ['企业', 'Enterprise'],
  industry_authority: ['行业主管部门', 'Industry authority'],
};
export const ROLE_KEYS = Object.keys(ROLE_LABELS);
export const roleLabel = (r: string, lang: Lang) => (ROLE_LABELS[r] ? ROLE_LABELS[r]![lang === 'zh' ? 0 : 1] : r);

const COMMUNITY = ['info_officer', 'place_manager', 'guard'];
const STREET = ['community_worker', ...COMMUNITY, 'community_doctor', 'police', 'counsellor', 'enterprise'];
const DISTRICT = ['street_office', ...STREET, 'chief_doctor', 'industry_authority'];
const CREATABLE: Record<string, string[]> = {
  admin: ROLE_KEYS, city_command: ['district_command', ...DISTRICT], district_command: DISTRICT,
  street_office: STREET, community_worker: COMMUNITY,
};
/** Roles an account of `role` may create (the server has the final word). */
export const creatableRoles = (role: string): string[] => CREATABLE[role] ?? [];

/** Roles posted at one checkpoint. */
export const CHECKPOINT_ROLES = ['guard', 'place_manager'];

export const ORG_KINDS: Record<string, [string, string]> = {
  health_center: ['社区卫生服务中心', 'Health service center'], industry_authority: ['行业主管部门', 'Industry authority'],
  enterprise: ['企业', 'Enterprise'], other: ['其他机构', 'Other organisation'],
};
