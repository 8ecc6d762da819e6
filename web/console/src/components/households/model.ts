/**
 * Shapes of the household, screening and door-sensor answers (src/modules/households/routes.ts,
 * src/modules/sensors/routes.ts) and the zh/en labels of their enums. Pure; no React.
 */
import type { Lang } from '../../i18n';

export type Occupancy = 'occupied' | 'empty' | 'rented';
export type VisitOutcome = 'normal' | 'key_person_found' | 'empty' | 'no_answer' | 'refused';

export interface Building { id: string; communityCode: string; name: string; households: number }
export interface HouseholdMember { personId: string; maskedName: string; since: string | null }
export interface Household {
  id: string; communityCode: string; buildingId: string | null; buildingName: string | null; unit: string; room: string;
  occupancy: Occupancy; tenantNote: string; residentSince: string | null; members: HouseholdMember[];
}
export interface Campaign {
  id: string; communityCode: string; communityName: string | null; name: string; startedOn: string; endedOn: string | null;
  state: 'open' | 'closed';
}
export interface Figure { households: number; visited: number; percent: number }
export interface BuildingFigure extends Figure { buildingId: string | null; buildingName: string | null }
export interface CampaignHousehold {
  householdId: string; buildingId: string | null; buildingName: string | null; unit: string; room: string; occupancy: Occupancy;
  tenantNote: string; visited: boolean; outcome: VisitOutcome | null; visitedAt: string | null; note: string;
}
export interface CampaignDetail { campaign: Campaign; completion: Figure; buildings: BuildingFigure[]; households: CampaignHousehold[] }

export interface DoorWindow { from: string; to: string; note?: string }
export interface Sensor {
  id: string; device: string; householdId: string; keyPersonId: string | null; communityCode: string; windows: DoorWindow[];
  boundAt: string; unboundAt: string | null; lastSeenAt: string | null; battery: number | null; contact: boolean | null;
}
export interface DoorEvent { id: string; at: string; atChina: string; contact: boolean | null; battery: number | null; linkquality: number | null; alert: string | null }

type Bi = readonly [zh: string, en: string];
const pick = (m: Record<string, Bi>, k: string | null | undefined, lang: Lang) => (k && m[k] ? m[k][lang === 'zh' ? 0 : 1] : (k ?? ''));

const OCCUPANCY: Record<Occupancy, Bi> = { occupied: ['自住', 'Owner-occupied'], empty: ['空置', 'Empty'], rented: ['出租', 'Rented'] };
export const OCCUPANCY_KEYS = Object.keys(OCCUPANCY) as Occupancy[];
export const occupancyLabel = (k: string, lang: Lang) => pick(OCCUPANCY, k, lang);
export const occupancyColour = (k: string) => (k === 'rented' ? 'blue' : k === 'empty' ? 'default' : 'green');

const OUTCOMES: Record<VisitOutcome, Bi> = {
  normal: ['正常', 'Normal'], key_person_found: ['发现重点人员', 'Key person found'], empty: ['空置', 'Empty'],
  no_answer: ['无人应答', 'No answer'], refused: ['拒绝配合', 'Refused'],
};
export const VISIT_OUTCOME_KEYS = Object.keys(OUTCOMES) as VisitOutcome[];
export const visitOutcomeLabel = (k: string | null, lang: Lang) => pick(OUTCOMES, k, lang);
export const visitOutcomeColour = (k: string | null) =>
  k === 'key_person_found' ? 'red' : k === 'refused' ? 'volcano' : k === 'no_answer' ? 'gold' : k === 'empty' ? 'default' : 'green';

const ALERTS: Record<string, Bi> = {
  door_open: ['非约定时段开门', 'Door opened outside the agreed times'], battery_low: ['电量低', 'Battery low'],
  sensor_silent: ['长时间无信号', 'No signal'],
};
export const doorAlertLabel = (k: string | null, lang: Lang) => pick(ALERTS, k, lang);

/** 开门 / 关门 of a reading (Zigbee contact=false is open); '' when the message had no contact state. */
export function doorStateLabel(contact: boolean | null, lang: Lang): string {
  if (contact === null) return '';
  if (contact) return lang === 'zh' ? '关门' : 'Closed';
  return lang === 'zh' ? '开门' : 'Opened';
}

/** "1号楼 1单元 101" (unit left out when empty). */
export function householdAddress(h: { buildingName: string | null; unit: string; room: string }, lang: Lang): string {
  const parts: string[] = [];
  if (h.buildingName) parts.push(h.buildingName);
  if (h.unit) parts.push(lang === 'zh' ? (/单元$/.test(h.unit) ? h.unit : `${h.unit}单元`) : `Unit ${h.unit}`);
  parts.push(lang === 'zh' ? h.room : `Room ${h.room}`);
  return parts.join(' ');
}

/**
 * The whole-number percentage shown on a progress bar: rounded, except that anything short of every
 * household stays below 100 and any visit at all shows above 0.
 */
export function shownPercent(f: Figure): number {
  if (f.households <= 0) return 0;
  if (f.visited >= f.households) return 100;
  return Math.min(99, Math.max(f.visited > 0 ? 1 : 0, Math.round(f.percent)));
}

/** Agreed windows as text: "07:30–08:00 送菜；18:00–18:30". */
export function windowsText(ws: DoorWindow[], lang: Lang): string {
  if (!ws.length) return lang === 'zh' ? '无约定时段' : 'No agreed times';
  return ws.map((w) => `${w.from}–${w.to}${w.note ? ` ${w.note}` : ''}`).join(lang === 'zh' ? '；' : '; ');
}
