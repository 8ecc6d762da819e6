/**
 * The case state machine and its labels (issue 4 §1, SPEC S4): the ONE place that says which
 * status may follow which, and what a status change means for the person status register. Pure
 * functions (no database, no clock: "today" is passed in), used by ./service.ts and by the
 * situation report (src/modules/reports).
 *
 *   suspected → confirmed | excluded
 *   confirmed → discharged | deceased | excluded (a correction: the confirmation was wrong)
 *   discharged, excluded, deceased: closed, nothing follows
 *   an open case may also record a change of hospitalisation or hospital alone (same status).
 */
import { AppError, badRequest, type Bilingual } from '../../lib/errors';
import { chinaDayStart } from '../../lib/time';
import type { CaseStatus } from '../../db/schema';
import type { PersonStatus } from '../status/codes';

export type { CaseStatus } from '../../db/schema';

/** Every case status, in the order of the case's life. */
export const CASE_STATUSES: readonly CaseStatus[] = ['suspected', 'confirmed', 'discharged', 'excluded', 'deceased'];
/** Statuses of an open case: one open case a person (database index cases_one_open). */
export const OPEN_CASE_STATUSES: readonly CaseStatus[] = ['suspected', 'confirmed'];
/** Statuses that close a case (retention holds of its traces are released: SPEC S4). */
export const CLOSED_CASE_STATUSES: readonly CaseStatus[] = ['discharged', 'excluded', 'deceased'];

/** Display labels, zh-CN first (the report's wording: 疑似病例, 确诊病例, 治愈出院, 排除, 死亡). */
export const CASE_STATUS_LABELS: Readonly<Record<CaseStatus, Bilingual>> = {
  suspected: { zh: '疑似病例', en: 'Suspected case' },
  confirmed: { zh: '确诊病例', en: 'Confirmed case' },
  discharged: { zh: '治愈出院', en: 'Cured and discharged' },
  excluded: { zh: '排除', en: 'Excluded' },
  deceased: { zh: '死亡', en: 'Deceased' },
};

const NEXT: Readonly<Record<CaseStatus, readonly CaseStatus[]>> = {
  suspected: ['confirmed', 'excluded'],
  confirmed: ['discharged', 'deceased', 'excluded'],
  discharged: [],
  excluded: [],
  deceased: [],
};

export function isCaseStatus(v: unknown): v is CaseStatus {
  return typeof v === 'string' && (CASE_STATUSES as readonly string[]).includes(v);
}

/** True for suspected and confirmed. */
export function isOpenCase(status: CaseStatus): boolean {
  return OPEN_CASE_STATUSES.includes(status);
}

/** The statuses a case in `status` may move to (not counting a same-status hospitalisation change). */
export function nextStatuses(status: CaseStatus): readonly CaseStatus[] {
  return NEXT[status] ?? [];
}

/** A case's state in force: the latest case_events row. */
export interface CaseSnapshot {
  status: CaseStatus;
  hospitalised: boolean;
  hospital: string;
  /** China date 'YYYY-MM-DD' the snapshot is in force from. */
  effectiveOn: string;
}

export interface StatusChangeInput {
  status: CaseStatus;
  /** China date the change took effect. */
  effectiveOn: string;
  /** Omitted: unchanged for an open status, false for a closed one. */
  hospitalised?: boolean;
  /** Omitted: unchanged. */
  hospital?: string;
}

/** Earliest and latest day accepted anywhere in cases and contacts (outside: a typing error). */
export const DAY_RANGE = { from: '2000-01-01', to: '2099-12-31' } as const;

/** True when `value` is a real day 'YYYY-MM-DD' within DAY_RANGE (or from `from`, e.g. a residence since 1950). */
export function isPlausibleDay(value: string, from: string = DAY_RANGE.from): boolean {
  try {
    chinaDayStart(value);
  } catch {
    return false;
  }
  return value >= from && value <= DAY_RANGE.to;
}

/**
 * `value` as a China date not after `today` and not before `from` (default DAY_RANGE.from).
 * @throws AppError 400 `<code>_invalid` (not a real day in range), `<code>_in_future`.
 */
export function pastDate(value: string, today: string, code: string, label: Bilingual, from: string = DAY_RANGE.from): string {
  if (!isPlausibleDay(value, from)) {
    const y = from.slice(0, 4);
    throw badRequest(`${code}_invalid`, `${label.zh}不是有效日期（${y}年至2099年）：${value}`, `${label.en} is not a valid date between ${y} and 2099: "${value}"`);
  }
  if (value > today) {
    throw badRequest(`${code}_in_future`, `${label.zh}不能晚于今天（${today}）`, `${label.en} cannot be later than today (${today})`);
  }
  return value;
}

/**
 * A person's dated fact (an exposure, an onset, an arrival, living somewhere since) cannot precede
 * their birth (`birthDate` YYYY-MM-DD from the ID number; null when the document gives none).
 * @throws AppError 400 `${code}_before_birth`.
 */
export function notBeforeBirth(value: string | null | undefined, birthDate: string | null | undefined, code: string, label: Bilingual): void {
  if (value && birthDate && value < birthDate) {
    throw badRequest(`${code}_before_birth`, `${label.zh}不能早于出生日期（${birthDate}）`, `${label.en} cannot be before the date of birth (${birthDate})`);
  }
}

/**
 * The state machine of a case (rules in the header): the snapshot after `change`, to append as a
 * case_events row. A closed status forces hospitalised = false (a discharged, excluded or deceased
 * case is no longer counted in hospital). Pure; `today` is the China date of the request.
 * @throws AppError 409 case_closed (nothing follows a closed status), 409 transition_not_allowed,
 *   409 no_change (same status, hospitalisation and hospital), 400 closed_hospitalised (a closed
 *   status with hospitalised true), 400 effective_on_invalid / effective_on_in_future,
 *   400 effective_before_last (earlier than the state in force).
 */
export function applyStatusChange(current: CaseSnapshot, change: StatusChangeInput, today: string): CaseSnapshot {
  const effectiveOn = pastDate(change.effectiveOn, today, 'effective_on', { zh: '生效日期', en: 'The effective date' });
  if (effectiveOn < current.effectiveOn) {
    throw badRequest('effective_before_last', `生效日期不能早于当前状态的生效日期（${current.effectiveOn}）`,
      `The effective date cannot be earlier than that of the state in force (${current.effectiveOn})`);
  }
  const label = CASE_STATUS_LABELS;
  if (!isOpenCase(current.status)) {
    throw new AppError(409, 'case_closed', { zh: `病例已结案（${label[current.status].zh}），不能再变更状态`,
      en: `The case is closed (${label[current.status].en}); its status cannot change` });
  }
  const same = change.status === current.status;
  if (!same && !nextStatuses(current.status).includes(change.status)) {
    throw new AppError(409, 'transition_not_allowed', {
      zh: `${label[current.status].zh}不能直接变更为${label[change.status].zh}`,
      en: `A case cannot go from ${label[current.status].en} to ${label[change.status].en}`,
    });
  }
  const closing = !isOpenCase(change.status);
  if (closing && change.hospitalised === true) {
    throw badRequest('closed_hospitalised', `${label[change.status].zh}的病例不能记为在院`,
      `A case that is ${label[change.status].en.toLowerCase()} cannot be recorded as in hospital`);
  }
  const next: CaseSnapshot = {
    status: change.status,
    hospitalised: closing ? false : change.hospitalised ?? current.hospitalised,
    hospital: (change.hospital ?? current.hospital).trim(),
    effectiveOn,
  };
  if (same && next.hospitalised === current.hospitalised && next.hospital === current.hospital) {
    throw new AppError(409, 'no_change', { zh: '状态、住院情况和医院均未改变', en: 'Nothing changed: same status, hospitalisation and hospital' });
  }
  return next;
}

/**
 * What a case status means for the person status register (issue 4 §1): suspected and confirmed →
 * 'case'; discharged and excluded → `floor`, the status the person's other open measures set (an
 * open contact: 'medical_observation'; a key person's isolation in force: that isolation; none:
 * 'normal'), so closing a case never lifts a measure still in force; deceased → null (leave the
 * register as it is).
 */
export function personStatusFor(status: CaseStatus, floor: PersonStatus): PersonStatus | null {
  if (isOpenCase(status)) return 'case';
  if (status === 'deceased') return null;
  return floor;
}

/** The printed case number: `<district code>-<sequence, at least 4 digits>` (e.g. 410811-0007). */
export function formatCaseNumber(district: string, seq: number): string {
  return `${district}-${String(seq).padStart(4, '0')}`;
}

/** The sequence of a number printed by formatCaseNumber for `district`, or null for any other. */
export function caseNumberSeq(district: string, number: string): number | null {
  const m = /^(\d{6})-(\d{4,})$/.exec(number);
  return m && m[1] === district ? Number(m[2]) : null;
}
