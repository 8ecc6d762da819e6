/**
 * Display helpers for the staff console: China time (SPEC "Rules worth knowing": every displayed
 * time is Asia/Shanghai, whatever the browser's zone) and the zh/en labels of server enums.
 * Pure functions; no React.
 */
import type { Lang } from './i18n';
import { statusColour as registerColour } from '../../../src/modules/status/codes';

export const CHINA_TZ = 'Asia/Shanghai';
const OFFSET_MS = 8 * 3600_000;

type Bi = readonly [zh: string, en: string];
const pick = (l: Bi | undefined, lang: Lang, fallback: string) => (l ? (lang === 'zh' ? l[0] : l[1]) : fallback);

/** 'YYYY-MM-DD' of the China date containing `at` (a Date, ISO string or epoch ms). */
export function chinaDate(at: Date | string | number = new Date()): string {
  return new Date(new Date(at).getTime() + OFFSET_MS).toISOString().slice(0, 10);
}

/** 'YYYY-MM-DD HH:mm:ss' China time; '' for null/invalid input. */
export function chinaDateTime(at: Date | string | number | null | undefined): string {
  if (at === null || at === undefined || at === '') return '';
  const t = new Date(at).getTime();
  if (Number.isNaN(t)) return '';
  return new Date(t + OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');
}

/** 'HH:mm:ss' China time; '' for null/invalid input. */
export function chinaTime(at: Date | string | number | null | undefined): string {
  return chinaDateTime(at).slice(11);
}

/** `date` ('YYYY-MM-DD') plus `days` calendar days. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** Every date from `from` to `to` inclusive ('YYYY-MM-DD'); empty when from > to; at most 400 days. */
export function dateRange(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to && out.length < 400; d = addDays(d, 1)) out.push(d);
  return out;
}

/**
 * A temperature typed at a cold gate: '36.5', '36,5', '36，5', ' 36.5 ' → 36.5 (°C). Returns the
 * number when it parses, otherwise the trimmed text (so the server answers with its own message).
 * Range checks (34.0–42.5 °C, SPEC) are the server's.
 */
export function parseTemperature(raw: string): number | string {
  const s = String(raw ?? '').trim().replace(/[,，]/, '.').replace(/[．。]/, '.');
  if (/^\d{1,3}(\.\d+)?$/.test(s)) return Number(s);
  return s;
}

const PLACE_KINDS: Record<string, Bi> = {
  residential: ['住宅小区', 'Residential compound'], village: ['村', 'Village'],
  government: ['机关单位', 'Government office'], enterprise: ['企事业单位', 'Enterprise / institution'],
  mall: ['商场', 'Mall'], supermarket: ['超市', 'Supermarket'], medical: ['医疗机构', 'Medical institution'],
  other: ['其他', 'Other'],
};
export const PLACE_KIND_KEYS = Object.keys(PLACE_KINDS);
export const placeKindLabel = (k: string, lang: Lang) => pick(PLACE_KINDS[k], lang, k);

// Same labels as src/modules/status/service.ts STATUS_LABELS.
const STATUSES: Record<string, Bi> = {
  normal: ['正常', 'Normal'], fever_pending: ['发热待复测', 'Fever, awaiting re-measurement'],
  medical_observation: ['医学观察', 'Under medical observation'], home_isolation: ['居家隔离', 'Home isolation'],
  centralized_isolation: ['集中隔离', 'Centralized isolation'], case: ['病例', 'Case'],
};
export const STATUS_KEYS = Object.keys(STATUSES);
export const statusLabel = (k: string, lang: Lang) => pick(STATUSES[k], lang, k);
/**
 * antd Tag colour of a person status: the register's one mapping (src/modules/status/codes.ts, the
 * colour of the resident's pass code), with antd's 'gold' for yellow.
 */
export function statusColor(k: string): string {
  const c = registerColour(k);
  return c === 'yellow' ? 'gold' : c;
}

const DOC_TYPES: Record<string, Bi> = {
  resident_id: ['居民身份证', 'Resident ID card'],
  hk_macao_permit: ['港澳居民来往内地通行证', 'HK/Macao travel permit'],
  taiwan_permit: ['台湾居民来往大陆通行证', 'Taiwan travel permit'],
  hk_macao_tw_residence_permit: ['港澳台居民居住证', 'HK/Macao/Taiwan residence permit'],
  passport: ['护照', 'Passport'],
  foreign_permanent_residence: ['外国人永久居留身份证', 'Foreign permanent residence card'],
};
/** Document types in the order the forms offer them (same as the server's DOC_TYPES). */
export const DOC_TYPE_KEYS = Object.keys(DOC_TYPES);
export const docTypeLabel = (k: string, lang: Lang) => pick(DOC_TYPES[k], lang, k);

const OUTCOMES: Record<string, Bi> = {
  cleared: ['解除（复测正常）', 'Cleared (re-measured normal)'],
  referred: ['送发热门诊', 'Referred to fever clinic'],
  escorted_home: ['护送回家', 'Escorted home'],
};
/** Fever alert outcomes (issue 2 §9), in the order the guard's select offers them. */
export const OUTCOME_KEYS = ['cleared', 'referred', 'escorted_home'] as const;
export const outcomeLabel = (k: string, lang: Lang) => pick(OUTCOMES[k], lang, k);

export const directionLabel = (d: string, lang: Lang) =>
  d === 'in' ? (lang === 'zh' ? '进入' : 'In') : d === 'out' ? (lang === 'zh' ? '离开' : 'Out') : d;

/** '36.5 ℃' or '—'. */
export function formatTemp(t: number | string | null | undefined): string {
  if (t === null || t === undefined || t === '') return '—';
  const n = Number(t);
  return Number.isFinite(n) ? `${n.toFixed(1)} ℃` : String(t);
}

const REFUSALS: Record<string, Bi> = {
  fever: ['体温异常', 'fever'], status_barred: ['健康状态限制通行', 'status bars movement'],
};
/** Short label of a refusal code stored with a check-in ('fever', 'status_barred'). */
export const refusalLabel = (k: string, lang: Lang) => pick(REFUSALS[k], lang, k);

const ACTIONS: Record<string, Bi> = {
  'person.read': ['查看人员档案', 'Read a person record'], 'person.lookup': ['按证件查询人员', 'Look up by document'],
  'person.register': ['登记人员', 'Register a person'], 'status.set': ['变更人员状态', 'Change status'],
  'device.bind': ['绑定手机', 'Bind a phone'], 'device.unbind': ['解绑手机', 'Unbind a phone'], 'rebind.code': ['申请换绑码', 'Re-bind code'],
  'checkins.search': ['查询通行记录', 'Search check-ins'], 'checkins.export': ['导出通行记录', 'Export check-ins'],
  'gate.live_list': ['查看卡点实时记录', 'Gate live list'], 'fever_alert.resolve': ['处置发热预警', 'Resolve a fever alert'],
  'posters.export': ['下载卡点海报', 'Download posters'], 'places.import': ['导入场所', 'Import places'],
  'audit.export': ['导出审计日志', 'Export the audit log'],
  'card.issue': ['制作通行卡', 'Issue a pass card'], 'card.list': ['查看通行卡', 'List pass cards'],
  'card.print': ['下载通行卡', 'Print a pass card'], 'card.revoke': ['作废通行卡', 'Revoke a pass card'],
  'account.create': ['创建账号', 'Create an account'], 'account.update': ['修改账号', 'Edit an account'],
  'account.reset_password': ['重置密码', 'Reset a password'], 'account.password_change': ['修改本人密码', 'Change own password'],
  'account.import': ['批量导入值守人员', 'Import guards'], 'account.disable': ['停用账号', 'Disable an account'],
  'account.enable': ['启用账号', 'Enable an account'], 'org.create': ['创建机构', 'Create an organisation'],
  'alerts.list': ['查看发热预警', 'List fever alerts'], 'gate.sync': ['卡点设备同步', 'Gate sync'], 'gate.checkin': ['卡点登记出入', 'Gate check-in'],
  'gate.scan': ['卡点扫码核验', 'Gate scan'],
  'case.register': ['登记病例', 'Register a case'], 'case.read': ['查看病例', 'Read a case'], 'case.status': ['变更病例状态', 'Change a case status'],
  'case.correct': ['更正病例信息', 'Correct a case'], 'cases.list': ['查询病例', 'List cases'], 'cases.graph': ['查看传播链', 'Transmission graph'],
  'trace.run': ['流调追踪', 'Run a trace'], 'trace.read': ['查看追踪结果', 'Read a trace'], 'trace.list': ['查看追踪列表', 'List traces'],
  'trace.export': ['导出追踪结果', 'Export a trace'], 'trace.contacts': ['追踪结果转密接', 'Contacts from a trace'],
  'contact.create': ['登记密切接触者', 'Register a contact'], 'contact.read': ['查看医学观察', 'Read a contact'], 'contacts.list': ['查询密接', 'List contacts'],
  'contact.exposure': ['更新接触日期', 'Update exposure'], 'contact.exposure_corrected': ['更正接触日期', 'Correct exposure'],
  'contact.symptoms': ['记录症状', 'Record symptoms'], 'contact.override': ['调整观察结束日期', 'Override end date'],
  'contact.override_reverted': ['撤销结束日期调整', 'Revert end date'], 'contact.released': ['解除医学观察', 'Release from observation'],
  'report.list': ['查看通报明细', 'Report list'], 'report.export': ['导出通报数据', 'Export report data'], 'report.publish': ['发布疫情通报', 'Publish a report'],
  // issue 6: health declarations
  'declaration.submit': ['提交健康申报', 'Submit a health declaration'], 'declaration.read': ['查看健康申报', 'Read a health declaration'],
  'declarations.list': ['查询健康申报', 'List health declarations'], 'declaration.step': ['办理健康申报', 'Take a declaration step'],
};
/** Known audit actions, for the filter. */
export const ACTION_KEYS = Object.keys(ACTIONS);
/** Label of an audit action code ('person.read' → 查看人员档案); unknown codes as they are. */
export const actionLabel = (k: string, lang: Lang) => pick(ACTIONS[k], lang, k);
