/**
 * Key persons, five-for-one teams, tasks, observation reports and door sensors as the console
 * receives them (src/modules/keypersons/routes.ts, src/modules/sensors/routes.ts), with the zh/en
 * labels of their enums. Pure: no React. SYMPTOM_KEYS mirrors SYMPTOMS of
 * src/modules/keypersons/observations.ts (model.test.ts checks they stay equal).
 */
import { dayText } from '../epi/logic';
import type { Lang } from '../../i18n';

export type Category = 'returnee' | 'fever' | 'close_contact' | 'secondary_contact' | 'home_isolation' | 'centralized_isolation' | 'medical_observation';
export type Measure = 'centralized_isolation' | 'home_isolation' | 'health_monitoring' | 'medical_observation';
export type TeamRole = 'street_cadre' | 'community_worker' | 'doctor' | 'police' | 'counsellor';
export type TaskKind = 'registration' | 'referral' | 'visit' | 'living_service' | 'fever' | 'missed_report' | 'door_open' | 'sensor_silent' | 'battery_low';
export type TaskState = 'open' | 'in_progress' | 'done' | 'cancelled';

export interface TeamMember { role: TeamRole; staffId: string; name: string }

export interface KeyPersonView {
  /** Key person id, or for a contact without a key_persons row yet the contact id (routes accept both). */
  id: string; keyPersonId: string | null; contactId: string | null; personId: string; maskedName: string;
  category: Category; measure: Measure; communityCode: string; startOn: string; endOn: string | null;
  day: number; of: number | null; state: 'open' | 'closed'; closedOn: string | null;
  lastTemperature: number | null; lastReportOn: string | null;
  /** Whether the last temperature was a fever, when the server says so (the threshold is the server's). */
  lastFever?: boolean;
  openTasks: number; team: TeamMember[];
}

export interface TaskView {
  id: string; keyPersonId: string; personId: string; maskedName: string; communityCode: string; kind: TaskKind; title: string;
  detail: Record<string, unknown>; state: TaskState; dueAt: string | null; createdAt: string; doneAt: string | null; outcome: string | null;
  /** Given by the key person's page (tasks of every member). */
  assigneeId?: string | null; assigneeName?: string | null;
}

export interface Observation {
  id: string; reportOn: string; slot: 'am' | 'pm'; temperature: number | null; symptoms: string[]; fever: boolean;
  source: 'self' | 'doctor'; reportedAtChina: string;
}

export interface SensorView {
  id: string; device: string; householdId: string; keyPersonId: string | null; communityCode: string;
  windows: Array<{ from: string; to: string; note?: string }>; boundAt: string; unboundAt: string | null;
  lastSeenAt: string | null; battery: number | null; contact: boolean | null;
}

export interface KeyPersonDetail { keyPerson: KeyPersonView; tasks: TaskView[]; observations: Observation[]; sensors: SensorView[] }

export interface Candidate { staffId: string; name: string; role: string; areaCode: string }
export type Candidates = Record<TeamRole, Candidate[]>;

type Bi = readonly [zh: string, en: string];
const pick = (m: Record<string, Bi>, k: string, lang: Lang) => (m[k] ? m[k]![lang === 'zh' ? 0 : 1] : k);

const CATEGORIES: Record<Category, Bi> = {
  returnee: ['返乡返岗人员', 'Returnee'], fever: ['发热人员', 'Fever case'], close_contact: ['密切接触者', 'Close contact'],
  secondary_contact: ['次密切接触者', 'Secondary contact'], home_isolation: ['居家隔离', 'Home isolation'],
  centralized_isolation: ['集中隔离', 'Centralized isolation'], medical_observation: ['医学观察', 'Medical observation'],
};
export const CATEGORY_KEYS = Object.keys(CATEGORIES) as Category[];
/** Categories a key person may be entered with by hand (the server's MANUAL_CATEGORIES). */
export const MANUAL_CATEGORY_KEYS: Category[] = ['returnee', 'fever', 'home_isolation', 'centralized_isolation', 'medical_observation'];
export const categoryLabel = (k: string, lang: Lang) => pick(CATEGORIES, k, lang);

const MEASURES: Record<Measure, Bi> = {
  centralized_isolation: ['集中隔离', 'Centralized isolation'], home_isolation: ['居家隔离', 'Home isolation'],
  health_monitoring: ['健康监测', 'Health monitoring'], medical_observation: ['医学观察', 'Medical observation'],
};
export const MEASURE_KEYS = Object.keys(MEASURES) as Measure[];
export const measureLabel = (k: string, lang: Lang) => pick(MEASURES, k, lang);

const TEAM: Record<TeamRole, Bi> = {
  street_cadre: ['街道干部', 'Street cadre'], community_worker: ['社区工作者', 'Community worker'], doctor: ['社区医生', 'Health center doctor'],
  police: ['社区民警', 'Community police'], counsellor: ['心理咨询师', 'Counsellor'],
};
export const TEAM_ROLE_KEYS = Object.keys(TEAM) as TeamRole[];
export const teamRoleLabel = (k: string, lang: Lang) => pick(TEAM, k, lang);

const KINDS: Record<TaskKind, Bi> = {
  registration: ['登记建档', 'Registration'], referral: ['就医送诊', 'Medical referral'], visit: ['上门随访', 'Visit'],
  living_service: ['生活服务', 'Living service'], fever: ['发热处置', 'Fever'], missed_report: ['漏报核实', 'Missed report'],
  door_open: ['门磁告警', 'Door opened'], sensor_silent: ['门磁失联', 'Sensor silent'], battery_low: ['门磁电量低', 'Sensor battery low'],
};
export const taskKindLabel = (k: string, lang: Lang) => pick(KINDS, k, lang);
/** Kinds a team member may create (the server's MEMBER_TASK_KINDS). */
export const MEMBER_TASK_KINDS: TaskKind[] = ['registration', 'referral', 'visit', 'living_service'];
/** Kinds raised by the system: red tag. */
export const ALERT_KINDS: readonly string[] = ['fever', 'missed_report', 'door_open', 'sensor_silent', 'battery_low'];

const STATES: Record<TaskState, Bi> = { open: ['待处理', 'Open'], in_progress: ['处理中', 'In progress'], done: ['已完成', 'Done'], cancelled: ['已取消', 'Cancelled'] };
export const taskStateLabel = (k: string, lang: Lang) => pick(STATES, k, lang);
export const taskStateColour = (k: string) => ({ open: 'orange', in_progress: 'blue', done: 'green', cancelled: 'default' } as Record<string, string>)[k] ?? 'default';

export const SYMPTOM_KEYS = ['cough', 'sore_throat', 'chest_tightness', 'shortness_of_breath', 'fatigue', 'diarrhoea', 'loss_of_smell', 'other'] as const;
const SYMPTOMS: Record<(typeof SYMPTOM_KEYS)[number], Bi> = {
  cough: ['咳嗽', 'Cough'], sore_throat: ['咽痛', 'Sore throat'], chest_tightness: ['胸闷', 'Chest tightness'],
  shortness_of_breath: ['气促', 'Shortness of breath'], fatigue: ['乏力', 'Fatigue'], diarrhoea: ['腹泻', 'Diarrhoea'],
  loss_of_smell: ['嗅觉味觉减退', 'Loss of smell or taste'], other: ['其他症状', 'Other symptoms'],
};
export const symptomLabel = (k: string, lang: Lang) => pick(SYMPTOMS, k, lang);

export const slotLabel = (s: string, lang: Lang) => (s === 'am' ? (lang === 'zh' ? '上午' : 'AM') : s === 'pm' ? (lang === 'zh' ? '下午' : 'PM') : s);
export const sourceLabel = (s: string, lang: Lang) => (s === 'self' ? (lang === 'zh' ? '本人报告' : 'Self-reported') : s === 'doctor' ? (lang === 'zh' ? '医生随访' : 'Doctor visit') : s);

/** Day N of M of a key person: the contacts' wording (epi/logic.ts dayText). Pure. */
export const dayOfText = (k: Pick<KeyPersonView, 'day' | 'of'>, lang: Lang): string => dayText(k, lang === 'zh');

/** Whether the five places of the team are filled. */
export const teamComplete = (team: TeamMember[]) => TEAM_ROLE_KEYS.every((r) => team.some((m) => m.role === r));

/** 'YYYY-MM-DDTHH:MM' typed in a datetime-local field, read as China time → ISO with +08:00 (never the browser's zone). */
export function chinaLocalToIso(v: string): string | null {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(v) ? `${v}:00+08:00` : null;
}
