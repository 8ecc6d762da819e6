/**
 * The console's pages, their menu labels and the permission each needs (server permissions:
 * src/modules/staff/roles.ts). The menu shows only what the account may open; the first allowed
 * entry is the landing page (a guard lands on the gate, a community worker on the dashboard).
 */
export interface NavItem {
  path: string;
  zh: string;
  en: string;
  /** Any one of these permissions opens the page. */
  anyOf: string[];
  /** Not in the menu (reached from other pages). */
  hidden?: boolean;
}

export const NAV: NavItem[] = [
  { path: '/dashboard', zh: '数据看板', en: 'Dashboard', anyOf: ['checkins.read'] },
  { path: '/report', zh: '疫情通报', en: 'Situation report', anyOf: ['reports.read'] },
  { path: '/cases', zh: '病例与传播链', en: 'Cases', anyOf: ['cases.read'] },
  { path: '/contacts', zh: '密接医学观察', en: 'Contacts under observation', anyOf: ['contacts.read'] },
  { path: '/tasks', zh: '我的任务', en: 'My tasks', anyOf: ['tasks.work'] },
  { path: '/key-persons', zh: '重点人员', en: 'Key persons', anyOf: ['keypersons.read'] },
  { path: '/arrivals', zh: '社区报到', en: 'Arrivals', anyOf: ['arrivals.read'] },
  { path: '/arrival-rules', zh: '报到管控规则', en: 'Arrival rules', anyOf: ['arrival_rules.manage'] },
  { path: '/declarations', zh: '健康申报', en: 'Health declarations', anyOf: ['declarations.read'] },
  { path: '/households', zh: '住户与排查', en: 'Households & screening', anyOf: ['households.manage'] },
  { path: '/gate', zh: '卡点值守', en: 'Gate', anyOf: ['gate.operate'] },
  { path: '/alerts', zh: '发热预警', en: 'Fever alerts', anyOf: ['alerts.handle'] },
  { path: '/checkins', zh: '通行记录', en: 'Check-ins', anyOf: ['checkins.read'] },
  { path: '/persons', zh: '人员查询', en: 'Persons', anyOf: ['persons.read'] },
  { path: '/places', zh: '场所与卡点', en: 'Places & gates', anyOf: ['places.manage'] },
  { path: '/accounts', zh: '账号管理', en: 'Accounts', anyOf: ['accounts.manage'] },
  { path: '/audit', zh: '审计日志', en: 'Audit log', anyOf: ['audit.read'] },
  { path: '/cases/:id', zh: '病例详情', en: 'Case', anyOf: ['cases.read'], hidden: true },
  { path: '/key-persons/:id', zh: '重点人员档案', en: 'Key person', anyOf: ['keypersons.read'], hidden: true },
  { path: '/screening/:id', zh: '排查行动', en: 'Screening campaign', anyOf: ['households.manage'], hidden: true },
  { path: '/declarations/:id', zh: '健康申报详情', en: 'Health declaration', anyOf: ['declarations.read'], hidden: true },
  { path: '/persons/:id', zh: '人员档案', en: 'Person', anyOf: ['persons.read'], hidden: true },
  { path: '/password', zh: '修改密码', en: 'Change password', anyOf: [], hidden: true },
];

/** True when an account with `permissions` may open `item` (no permission needed when anyOf is empty). */
export function allowed(item: NavItem, permissions: readonly string[]): boolean {
  return item.anyOf.length === 0 || item.anyOf.some((p) => permissions.includes(p));
}

/** Menu entries for an account, in display order. */
export function menuFor(permissions: readonly string[]): NavItem[] {
  return NAV.filter((n) => !n.hidden && allowed(n, permissions));
}

/** Where '/' leads: the first menu entry, or the password page for an account with no pages. */
export function landingPath(permissions: readonly string[]): string {
  return menuFor(permissions)[0]?.path ?? '/password';
}
