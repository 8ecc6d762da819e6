/**
 * The role model: every role of SPEC "Roles", what level of the area tree it is scoped to, and
 * what it may do. One screen holds every permission rule (Outline's policies/ pattern).
 */
export const ROLES = [
  'admin', // system administrator of a city or district: accounts, places
  'city_command', // 市疫情防控指挥部办公室
  'district_command', // 县区指挥部办公室
  'street_office', // 街道/乡镇
  'community_worker', // 社区/网格员
  'info_officer', // 社区信息员
  'community_doctor', // 社区医生
  'chief_doctor', // 主检医生
  'police', // 社区民警
  'counsellor', // 心理咨询师
  'place_manager', // 场所负责人
  'guard', // 卡点值守人员
  'enterprise', // 企业
  'industry_authority', // 行业主管部门
] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, { zh: string; en: string }> = {
  admin: { zh: '系统管理员', en: 'Administrator' },
  city_command: { zh: '市疫情防控指挥部办公室', en: 'City command office' },
  district_command: { zh: '县区疫情防控指挥部办公室', en: 'District command office' },
  street_office: { zh: '街道（乡镇）', en: 'Street office' },
  community_worker: { zh: '社区工作人员/网格员', en: 'Community / grid worker' },
  info_officer: { zh: '社区信息员', en: 'Community information officer' },
  community_doctor: { zh: '社区医生', en: 'Community doctor' },
  chief_doctor: { zh: '主检医生', en: 'Chief doctor' },
  police: { zh: '社区民警', en: 'Community police' },
  counsellor: { zh: '心理咨询师', en: 'Psychological counsellor' },
  place_manager: { zh: '场所负责人', en: 'Place manager' },
  guard: { zh: '卡点值守人员', en: 'Checkpoint guard' },
  enterprise: { zh: '企业', en: 'Enterprise' },
  industry_authority: { zh: '行业主管部门', en: 'Industry authority' },
};

export type Permission =
  | 'accounts.manage' // create, disable, reset accounts below one's node
  | 'places.manage' // create, edit, disable places and checkpoints, print posters
  | 'checkins.read' // counts and searches of check-ins in the area
  | 'checkins.export'
  | 'persons.read' // a person's record (audited)
  | 'persons.lookup_by_document' // find a person by ID number (guards and community roles; audited)
  | 'persons.register' // register a person without a phone
  | 'gate.operate' // the guard console: live list, check in a person, handle fever alerts
  | 'cards.issue' // print, list and revoke personal cards of people without phones (issue 3 §6; audited)
  | 'alerts.handle' // acknowledge and resolve fever alerts
  | 'status.set' // change a person's status (with reason)
  | 'audit.read'
  // issue 4 (SPEC S4, S5): cases, contacts under observation, tracing, situation reports
  | 'cases.read' // cases, their history and transmission chains in the area (audited)
  | 'cases.manage' // register a case and change its status (district and city command offices)
  | 'tracing.run' // trace a case's or contact's visits and turn people into contacts (audited)
  | 'contacts.read' // contacts under medical observation in the area (audited)
  | 'contacts.manage' // correct an exposure date, record symptoms, override or revert an end date
  | 'observation.release' // sign off a release from medical observation (doctors)
  | 'reports.read' // situation report figures, lists, exports and the dashboard
  | 'reports.publish' // publish the day's situation report (and its revisions)
  // issue 5 (SPEC S3): community reporting, key persons, five-for-one teams, door sensors, screening
  | 'arrivals.read' // arrival reports of the area (audited)
  | 'arrivals.report' // enter an arrival report for someone (社区报到 by staff)
  | 'arrival_rules.manage' // edit the city's arrival rule table, preview and apply a change
  | 'keypersons.read' // key persons of the area: category, measure, day N of M, tasks (audited)
  | 'keypersons.manage' // assign five-for-one teams, add or close a key person
  | 'tasks.work' // one's own team tasks: see, start, complete (team members)
  | 'observation.record' // record an observation visit (temperature, symptoms) for a key person
  | 'sensors.manage' // bind and unbind door sensors, set agreed windows
  | 'households.manage' // buildings, households, screening campaigns and visits
  // issue 6 (SPEC S6): health declaration certificates
  | 'declarations.read' // health declarations of the area, their answers and steps (audited)
  | 'declarations.enter' // enter a declaration for a person who cannot apply online (health service center)
  | 'declarations.step' // take a workflow step (verify, return, assess, sign; workflow.ts decides the role)
  | 'certificates.revoke'; // revoke an issued certificate (a false declaration); takes effect at once and at the next offline sync

const COMMAND: Permission[] = [
  'accounts.manage', 'places.manage', 'checkins.read', 'checkins.export', 'persons.read',
  'alerts.handle', 'status.set', 'audit.read', 'cases.read', 'contacts.read', 'reports.read',
];
/** Community work on key persons (issue 5): the community roles and the street. */
const KEY_PERSONS: Permission[] = ['arrivals.read', 'arrivals.report', 'keypersons.read', 'keypersons.manage', 'tasks.work', 'sensors.manage', 'households.manage'];
/** Case registration and tracing belong to the district and city command offices (issue 4 §1). */
const EPIDEMIOLOGY: Permission[] = ['cases.manage', 'tracing.run', 'contacts.manage', 'reports.publish'];
/** Health declarations (issue 6): reading them and taking steps; workflow.ts decides which step is whose. */
const DECLARATIONS: Permission[] = ['declarations.read', 'declarations.step'];
const COMMUNITY: Permission[] = [
  'places.manage', 'checkins.read', 'checkins.export', 'persons.read', 'persons.lookup_by_document',
  'persons.register', 'alerts.handle', 'gate.operate', 'cards.issue',
];

/** What each role may do. Roles with later pages (doctors, enterprise …) get theirs in later issues. */
export const PERMISSIONS: Record<Role, readonly Permission[]> = {
  admin: [...COMMAND, 'persons.register'],
  city_command: [...COMMAND, ...EPIDEMIOLOGY, 'arrivals.read', 'keypersons.read', 'arrival_rules.manage', 'declarations.read', 'certificates.revoke'],
  district_command: [...COMMAND, ...EPIDEMIOLOGY, 'arrivals.read', 'keypersons.read', 'declarations.read', 'certificates.revoke'],
  street_office: [...COMMAND.filter((p) => p !== 'status.set'), 'arrivals.read', 'keypersons.read', 'keypersons.manage', 'tasks.work'],
  community_worker: [...COMMUNITY, 'accounts.manage', 'contacts.read', ...KEY_PERSONS],
  info_officer: [...COMMUNITY, 'contacts.read', ...KEY_PERSONS, ...DECLARATIONS],
  community_doctor: ['checkins.read', 'persons.read', 'alerts.handle', 'status.set', 'contacts.read', 'contacts.manage', 'observation.release',
    'keypersons.read', 'tasks.work', 'observation.record', ...DECLARATIONS, 'declarations.enter'],
  chief_doctor: ['checkins.read', 'persons.read', 'status.set', 'cases.read', 'contacts.read', 'contacts.manage', 'observation.release',
    'keypersons.read', 'observation.record', ...DECLARATIONS, 'declarations.enter', 'certificates.revoke'],
  police: ['checkins.read', 'persons.read', 'persons.lookup_by_document', 'keypersons.read', 'tasks.work'],
  counsellor: ['persons.read', 'keypersons.read', 'tasks.work'],
  place_manager: ['checkins.read', 'gate.operate', 'alerts.handle', 'persons.lookup_by_document', 'persons.register'],
  guard: ['gate.operate', 'alerts.handle', 'persons.lookup_by_document', 'persons.register', 'cards.issue'],
  enterprise: [],
  industry_authority: [],
};

/** Area level (digits of the code) each role is normally scoped to, for account creation checks. */
export const ROLE_SCOPE_DIGITS: Record<Role, readonly number[]> = {
  admin: [4, 6],
  city_command: [4],
  district_command: [6],
  street_office: [9],
  community_worker: [12],
  info_officer: [12],
  community_doctor: [9, 12],
  chief_doctor: [6, 9, 12],
  police: [9, 12],
  counsellor: [6, 9, 12],
  place_manager: [12],
  guard: [12],
  enterprise: [6, 9, 12],
  industry_authority: [4, 6],
};

export function can(role: Role, permission: Permission): boolean {
  return PERMISSIONS[role].includes(permission);
}

/** True when area `code` lies in the subtree of `scope` (codes are prefix-hierarchical: SPEC "Area tree"). */
export function inScope(scope: string, code: string | null | undefined): boolean {
  return typeof code === 'string' && code.startsWith(scope);
}

export function isRole(v: unknown): v is Role {
  return typeof v === 'string' && (ROLES as readonly string[]).includes(v);
}
