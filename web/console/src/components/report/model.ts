/**
 * Shapes of the situation report API (src/modules/reports/routes.ts) and the figure cards shown on
 * the 疫情通报 page. The figures themselves are defined once on the server (figures.ts); the page
 * only shows them and lists/exports what each one counts.
 */
export interface SituationFigures {
  [key: string]: unknown;
  daysWithoutNewConfirmed: number | null; daysWithoutNewSuspected: number | null;
  importedBySource: Array<{ sourceArea: string; count: number }>; clusters: Array<{ cluster: string; count: number }>;
  clearedOn: string | null; allClearOn: string | null; allClear: boolean;
}
export interface FiguresAnswer { areaCode: string; areaName: string; date: string; asOfText: string; figures: SituationFigures; text: string }
export interface SeriesDay {
  date: string; newConfirmed: number; cumulativeConfirmed: number; newSuspected: number; currentSuspected: number;
  newDischarged: number; cumulativeDischarged: number; cumulativeDeceased: number; currentlyHospitalised: number; underObservation: number; cumulativeTraced: number; released: number;
}
export interface FigureChange { figure: string; old: number | string | boolean | null; new: number | string | boolean | null }
export interface PublishedReport {
  id: string; areaCode: string; date: string; revision: number; figures: SituationFigures; text: string; note: string;
  publishedAt: string; publishedBy: string; changes: FigureChange[];
}
export interface CaseRow {
  subject: 'case'; id: string; number: string; maskedName: string; communityCode: string; status: string; statusLabel: string;
  hospitalised: boolean; hospital: string; confirmedOn: string | null; suspectedOn: string | null; classification: string;
  sourceArea: string | null; secondGeneration: boolean; cluster: string | null;
}
export interface ContactRow {
  subject: 'contact'; id: string; maskedName: string; communityCode: string; kind: 'close' | 'secondary'; caseNumber: string;
  lastExposureOn: string; endOn: string; tracedOn: string; releasedOn: string | null;
}
export interface ListAnswer { figure: { key: string; zh: string; en: string; subject: 'case' | 'contact' }; count: number; rows: Array<CaseRow | ContactRow> }

/** A figure card: its key (as the API names it), labels and colour. */
export interface CardDef { key: string; zh: string; en: string; color?: string }

/** The cards, grouped as the report reads: cases, composition, contacts. */
export const CARD_GROUPS: Array<{ zh: string; en: string; cards: CardDef[] }> = [
  {
    zh: '病例', en: 'Cases', cards: [
      { key: 'newConfirmed', zh: '新增确诊', en: 'New confirmed', color: '#cf1322' },
      { key: 'cumulativeConfirmed', zh: '累计确诊', en: 'Cumulative confirmed', color: '#a8071a' },
      { key: 'newSuspected', zh: '新增疑似', en: 'New suspected', color: '#d46b08' },
      { key: 'currentSuspected', zh: '现有疑似', en: 'Current suspected', color: '#d46b08' },
      { key: 'cumulativeSuspected', zh: '累计疑似', en: 'Cumulative suspected' },
      { key: 'currentlyHospitalised', zh: '现有住院', en: 'Hospitalised', color: '#1677ff' },
      { key: 'newDischarged', zh: '新增治愈出院', en: 'Newly discharged', color: '#389e0d' },
      { key: 'cumulativeDischarged', zh: '累计治愈出院', en: 'Cumulative discharged', color: '#389e0d' },
      { key: 'cumulativeDeceased', zh: '累计死亡', en: 'Deceased' },
    ],
  },
  {
    zh: '确诊病例构成', en: 'Composition of confirmed cases', cards: [
      { key: 'imported', zh: '境外/外地输入', en: 'Imported' },
      { key: 'local', zh: '本地病例', en: 'Local' },
      { key: 'secondGeneration', zh: '二代病例', en: 'Second-generation' },
    ],
  },
  {
    zh: '密切接触者', en: 'Contacts', cards: [
      { key: 'cumulativeTraced', zh: '累计追踪', en: 'Traced' },
      { key: 'released', zh: '已解除医学观察', en: 'Released', color: '#389e0d' },
      { key: 'underObservation', zh: '尚在医学观察', en: 'Under observation', color: '#d46b08' },
      { key: 'underObservationClose', zh: '其中密接', en: 'of which close' },
      { key: 'underObservationSecondary', zh: '其中次密接', en: 'of which secondary' },
    ],
  },
];

/**
 * zh/en labels of every figure key a revision can change (src/modules/reports/figures.ts FIGURES,
 * the same wording) and of the derived fields (compute.ts SituationFigures).
 */
export const FIGURE_LABELS: Record<string, [string, string]> = {
  newConfirmed: ['新增确诊病例', 'New confirmed'], cumulativeConfirmed: ['累计确诊病例', 'Cumulative confirmed'],
  newSuspected: ['新增疑似病例', 'New suspected'], currentSuspected: ['现有疑似病例', 'Current suspected'],
  cumulativeSuspected: ['累计疑似病例', 'Cumulative suspected'], newDischarged: ['新增治愈出院', 'Newly discharged'],
  cumulativeDischarged: ['累计治愈出院', 'Cumulative discharged'], cumulativeDeceased: ['累计死亡', 'Cumulative deceased'],
  currentlyHospitalised: ['现有住院病例', 'Currently hospitalised'], imported: ['输入病例（确诊）', 'Imported (confirmed)'],
  local: ['本地病例（确诊）', 'Local (confirmed)'], secondGeneration: ['二代病例（确诊）', 'Second-generation (confirmed)'],
  cumulativeTraced: ['累计追踪密切接触者', 'Contacts traced'], cumulativeTracedClose: ['累计追踪密切接触者（密接）', 'Close contacts traced'],
  cumulativeTracedSecondary: ['累计追踪次密切接触者', 'Secondary contacts traced'], released: ['已解除医学观察', 'Released from observation'],
  releasedClose: ['已解除医学观察（密接）', 'Close contacts released'], releasedSecondary: ['已解除医学观察（次密接）', 'Secondary contacts released'],
  underObservation: ['尚在医学观察', 'Under observation'], underObservationClose: ['尚在医学观察（密接）', 'Close contacts under observation'],
  underObservationSecondary: ['尚在医学观察（次密接）', 'Secondary contacts under observation'],
  daysWithoutNewConfirmed: ['连续无新增确诊天数', 'Days without new confirmed'], daysWithoutNewSuspected: ['连续无新增疑似天数', 'Days without new suspected'],
  lastConfirmedOn: ['最近确诊日期', 'Last confirmed on'], lastSuspectedOn: ['最近疑似日期', 'Last suspected on'],
  importedBySource: ['输入来源', 'Imported from'], clusters: ['聚集性疫情', 'Cluster'],
  clearedOn: ['清零日期', 'Cleared on'], allClearOn: ['解除日期', 'All-clear on'], allClear: ['已达解除标准', 'All clear'],
};

/**
 * zh/en label of a changed figure in a revision (breakdown entries: 'importedBySource.湖北武汉' →
 * '输入来源 湖北武汉'); an unknown key is shown as it is.
 */
export function changeLabel(figure: string, lang: 'zh' | 'en'): string {
  const whole = FIGURE_LABELS[figure];
  if (whole) return lang === 'zh' ? whole[0] : whole[1];
  const dot = figure.indexOf('.');
  const head = dot < 0 ? figure : figure.slice(0, dot);
  const rest = dot < 0 ? '' : figure.slice(dot + 1);
  const n = FIGURE_LABELS[head];
  return (n ? (lang === 'zh' ? n[0] : n[1]) : head) + (rest ? ` ${rest}` : '');
}
