/**
 * 社区报到 (issue 5 §1) in the console: the shapes the arrival routes answer
 * (src/modules/arrivals/routes.ts), their zh/en labels, and pure helpers (the resident link of a
 * community, the form field a server refusal concerns, the body of a staff report).
 */
import type { Lang } from '../../i18n';
import type { ApiError } from '../../api';

export type Circumstance = 'work' | 'study' | 'home' | 'other';
export type Measure = 'centralized_isolation' | 'home_isolation' | 'health_monitoring';
export type ArrivalMeasure = Measure | 'none';

export interface ArrivalView {
  id: string; personId: string; maskedName: string; communityCode: string; householdId: string | null; originCode: string | null;
  originText: string; route: string; transport: string; circumstance: Circumstance; arrivalOn: string; reportedVia: 'self' | 'staff';
  ruleId: string | null; measure: ArrivalMeasure; measureLabel: string; measureDays: number; measureUntil: string | null; createdAt: string;
  /** Set once the retention purge removed origin, route and transport. */
  detailsPurgedAt: string | null;
}
export interface RuleView {
  id: string; areaCode: string; priority: number; originPrefix: string | null; originLabel: string; circumstance: Circumstance | null;
  measure: Measure; days: number; note: string; createdAt: string; retiredAt: string | null;
}
export interface Decision { measure: ArrivalMeasure; days: number; until: string | null; ruleId: string | null }
export interface ChangedArrival {
  reportId: string; personId: string; maskedName: string; communityCode: string; originText: string; arrivalOn: string; from: Decision; to: Decision;
}

type Bi = readonly [zh: string, en: string];
const pick = (m: Record<string, Bi>, k: string, lang: Lang) => (m[k] ? m[k]![lang === 'zh' ? 0 : 1] : k);

const CIRCUMSTANCES: Record<Circumstance, Bi> = { work: ['返岗', 'Back to work'], study: ['返校', 'Back to school'], home: ['返乡', 'Returning home'], other: ['其他', 'Other'] };
export const CIRCUMSTANCE_KEYS = Object.keys(CIRCUMSTANCES) as Circumstance[];
export const circumstanceLabel = (k: string, lang: Lang) => pick(CIRCUMSTANCES, k, lang);

const MEASURES: Record<ArrivalMeasure, Bi> = {
  centralized_isolation: ['集中隔离', 'Centralized isolation'], home_isolation: ['居家隔离', 'Home isolation'],
  health_monitoring: ['健康监测', 'Health monitoring'], none: ['无需管控', 'No measure'],
};
export const MEASURE_KEYS: Measure[] = ['centralized_isolation', 'home_isolation', 'health_monitoring'];
export const ARRIVAL_MEASURE_KEYS: ArrivalMeasure[] = [...MEASURE_KEYS, 'none'];
export const measureLabel = (k: string, lang: Lang) => pick(MEASURES, k, lang);
export const measureColour = (k: string) => ({ centralized_isolation: 'red', home_isolation: 'orange', health_monitoring: 'gold' }[k] ?? 'default');

export const viaLabel = (v: string, lang: Lang) => pick({ self: ['本人', 'Self'], staff: ['代报', 'By staff'] }, v, lang);

/** '居家隔离 14 天（至 2020-02-24）' / 'Home isolation 14 days (until 2020-02-24)'; '无需管控' for none. */
export function measureText(d: { measure: ArrivalMeasure; days: number; until: string | null }, lang: Lang): string {
  const label = measureLabel(d.measure, lang);
  if (d.measure === 'none') return label;
  return lang === 'zh' ? `${label} ${d.days} 天（至 ${d.until ?? '—'}）` : `${label} ${d.days} days (until ${d.until ?? '—'})`;
}

/** The resident page link of a community's 社区报到 QR code. */
export function arriveUrl(origin: string, communityCode: string): string {
  return `${origin}/arrive?c=${communityCode}`;
}

/** Form field names of the staff report form (nested `person` fields when registering on the spot). */
export type FieldName = string | [string, string];

const CODE_FIELDS: Record<string, string> = {
  arrival_on_invalid: 'arrivalOn', arrival_on_in_future: 'arrivalOn', origin_text_invalid: 'originText', origin_code_invalid: 'originCode',
  community_invalid: 'communityCode', household_mismatch: 'communityCode', route_too_long: 'route', transport_too_long: 'transport',
};
const PERSON_FIELDS = ['name', 'docType', 'docNumber', 'phone', 'communityCode', 'address'];
/** The person field of a registration error code (src/modules/persons/input.ts), when `details` is not sent. */
function personFieldOf(code: string): string | null {
  if (code === 'doc_type') return 'docType';
  if (code === 'community_unknown') return 'communityCode';
  const m = /^(name|doc|phone|address)_/.exec(code);
  return m ? ({ name: 'name', doc: 'docNumber', phone: 'phone', address: 'address' } as Record<string, string>)[m[1]!]! : null;
}

/**
 * The form fields a refusal of POST /api/arrivals concerns, each with the message to show there:
 * zod validation `fields` ('person.docNumber' → ['person','docNumber']), a person registration
 * error (`details.field`, always about the `person` body) or a report error by its code.
 * Empty when the refusal concerns no field (show it as a banner).
 */
export function fieldErrors(e: Pick<ApiError, 'code' | 'message' | 'fields' | 'details'>): Array<{ name: FieldName; message: string }> {
  if (e.fields.length) {
    return e.fields.map((f) => {
      const parts = f.field.split('.');
      return { name: parts.length === 2 && parts[0] === 'person' ? [parts[0], parts[1]!] as [string, string] : f.field, message: f.message };
    });
  }
  const field = typeof e.details?.field === 'string' ? e.details.field : personFieldOf(e.code);
  if (field && PERSON_FIELDS.includes(field)) return [{ name: ['person', field], message: e.message }];
  const byCode = CODE_FIELDS[e.code];
  return byCode ? [{ name: byCode, message: e.message }] : [];
}

export interface ReportValues {
  communityCode: string; originText: string; originCode?: string; route?: string; transport?: string; circumstance: Circumstance; arrivalOn: string;
  person?: { name?: string; docType?: string; docNumber?: string; phone?: string; communityCode?: string; address?: string };
}

/** The body of POST /api/arrivals for a registered person (`personId`) or one registered by document. */
export function reportBody(v: ReportValues, who: { personId: string } | 'register') {
  const trim = (s?: string) => (s ?? '').trim();
  const base = {
    communityCode: v.communityCode, originText: trim(v.originText), circumstance: v.circumstance, arrivalOn: v.arrivalOn,
    ...(trim(v.originCode) ? { originCode: trim(v.originCode) } : {}),
    ...(trim(v.route) ? { route: trim(v.route) } : {}),
    ...(trim(v.transport) ? { transport: trim(v.transport) } : {}),
  };
  if (who !== 'register') return { ...base, personId: who.personId };
  const p = v.person ?? {};
  return {
    ...base,
    person: {
      name: trim(p.name), docType: p.docType ?? 'resident_id', docNumber: trim(p.docNumber),
      ...(trim(p.phone) ? { phone: trim(p.phone) } : {}), communityCode: p.communityCode || v.communityCode, address: trim(p.address),
    },
  };
}

export interface ChangeValues {
  areaCode?: string; adding: boolean; originLabel?: string; originPrefix?: string; circumstance?: string; measure?: Measure;
  days?: number | null; priority?: number | null; note?: string; retire?: string[]; noticeOn?: string;
}

/** The body of POST /api/arrival-rules/preview (and, with a reason, /apply) from the change form. */
export function changeBody(v: ChangeValues) {
  const trim = (s?: string) => (s ?? '').trim();
  const add = v.adding ? {
    originLabel: trim(v.originLabel), measure: v.measure ?? 'home_isolation',
    originPrefix: trim(v.originPrefix) || null, circumstance: (v.circumstance || null) as Circumstance | null,
    ...(typeof v.days === 'number' ? { days: v.days } : {}), ...(typeof v.priority === 'number' ? { priority: v.priority } : {}),
    ...(trim(v.note) ? { note: trim(v.note) } : {}),
  } : undefined;
  return {
    ...(v.areaCode ? { areaCode: v.areaCode } : {}), ...(add ? { add } : {}),
    ...(v.retire?.length ? { retire: v.retire } : {}), ...(v.noticeOn ? { noticeOn: v.noticeOn } : {}),
  };
}

/** '湖北武汉（4201）' or the label alone for a label-only rule. */
export const ruleOrigin = (r: Pick<RuleView, 'originLabel' | 'originPrefix'>) => (r.originPrefix ? `${r.originLabel}（${r.originPrefix}）` : r.originLabel);
