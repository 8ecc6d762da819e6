/**
 * The console's pure epidemiology helpers (no React, no DOM), unit-tested in logic.test.ts:
 * request bodies of the case and contact forms, the chain graph's ECharts option, China-time
 * input conversion and the texts of observation days and overlap durations. Rules themselves
 * (state machine, observation schedule, ranking) stay on the server; these only format or build
 * requests.
 */
import type { EChartsCoreOption } from 'echarts/core';
import type { Lang } from '../../i18n';
import { addDays, statusLabel } from '../../format';
import { caseStatusColour, caseStatusLabel, classificationLabel, type CaseFacts, type CaseGraph, type ContactView, type GraphNode } from './model';

/** A check-in row of GET /api/checkins as the person search reads it. */
export interface CheckinRow { personId: string; maskedName: string; docMasked: string; placeName: string; at: string }
/** A person found by the search: masked name and document, where and when last seen. */
export interface FoundPerson { id: string; maskedName: string; docMasked: string; placeName: string; at: string }
/** The 登记病例 form's values. */
export interface RegisterValues {
  status: 'suspected' | 'confirmed'; effectiveOn: string; onsetOn?: string; isolatedOn?: string; hospital?: string; hospitalised?: boolean;
  classification: 'imported' | 'local'; sourceArea?: string; infectorCaseId?: string; cluster?: string; note?: string; reason: string;
}
/** The 更正病例信息 form's values (dates 'YYYY-MM-DD' or ''). */
export interface CorrectValues {
  onsetOn: string; isolatedOn: string; classification: string; sourceArea: string; infectorCaseId: string; cluster: string; note: string; reason: string;
}
/** A contact action of the drawer. */
export type ContactAction = 'exposure' | 'symptoms' | 'override' | 'revert' | 'release';

/** One row a person, newest check-in first (the rows come newest first). */
export function distinctPersons(rows: CheckinRow[]): FoundPerson[] {
  const seen = new Map<string, FoundPerson>();
  for (const r of rows) if (!seen.has(r.personId)) seen.set(r.personId, { id: r.personId, maskedName: r.maskedName, docMasked: r.docMasked, placeName: r.placeName, at: r.at });
  return [...seen.values()];
}


const opt = (s: string | undefined) => (s && s.trim() ? s.trim() : undefined);

/** The request body of POST /api/cases from the form (empty optional fields left out). */
export function registerBody(person: { id: string; document?: { docType: string; docNumber: string } }, v: RegisterValues) {
  return {
    ...(person.document ? { document: person.document } : { personId: person.id }), status: v.status, effectiveOn: v.effectiveOn, onsetOn: opt(v.onsetOn), isolatedOn: opt(v.isolatedOn),
    hospital: opt(v.hospital), hospitalised: !!v.hospitalised, classification: v.classification,
    sourceArea: v.classification === 'imported' ? opt(v.sourceArea) : undefined, infectorCaseId: opt(v.infectorCaseId),
    cluster: opt(v.cluster), note: opt(v.note), reason: v.reason.trim(),
  };
}


/**
 * The ECharts option of a chain graph: categories = clusters (plus 无聚集 for cases without one),
 * node colour = status colour, symbol size 18 + 3·√contacts (max 48), arrows at the case's end.
 * Pure.
 */
export function graphOption(g: CaseGraph, lang: Lang): EChartsCoreOption {
  const none = lang === 'zh' ? '无聚集' : 'No cluster';
  const clusters = [...new Set(g.nodes.map((n) => n.cluster ?? none))].sort((a, b) => (a === none ? 1 : b === none ? -1 : a.localeCompare(b)));
  const cat = new Map(clusters.map((c, i) => [c, i]));
  return {
    tooltip: { formatter: (p: { dataType?: string; data?: { tip?: string } }) => (p.dataType === 'node' ? p.data?.tip ?? '' : '') },
    legend: [{ data: clusters, top: 0, type: 'scroll' }],
    series: [{
      type: 'graph', layout: 'force', roam: true, draggable: true,
      force: { repulsion: 160, edgeLength: 70, gravity: 0.08 },
      edgeSymbol: ['none', 'arrow'], edgeSymbolSize: 9,
      label: { show: true, position: 'right', formatter: '{b}', fontSize: 11 },
      lineStyle: { color: '#8c8c8c', width: 1.5, curveness: 0.1 },
      emphasis: { focus: 'adjacency' },
      categories: clusters.map((c) => ({ name: c })),
      data: g.nodes.map((n) => ({
        id: n.id, name: n.number, category: cat.get(n.cluster ?? none),
        symbolSize: Math.min(48, 18 + 3 * Math.sqrt(n.contacts || 0)),
        itemStyle: { color: n.status ? caseStatusColour(n.status) : '#d9d9d9', borderColor: '#fff', borderWidth: 1 },
        tip: nodeTip(n, lang),
      })),
      links: g.edges.map((e) => ({ source: e.from, target: e.to })),
    }],
  };
}

function nodeTip(n: GraphNode, lang: Lang): string {
  const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
  const parts = [esc(n.number)];
  if (n.maskedName) parts.push(esc(n.maskedName));
  if (n.status) parts.push(caseStatusLabel(n.status, lang));
  if (n.classification) parts.push(classificationLabel(n.classification, lang) + (n.sourceArea ? `（${esc(n.sourceArea)}）` : ''));
  if (n.cluster) parts.push(esc(n.cluster));
  parts.push((lang === 'zh' ? '密接 ' : 'contacts ') + String(n.contacts ?? 0));
  return parts.join('<br/>');
}


/**
 * The PATCH body: only the fields that differ from the case (a cleared optional field is sent as
 * null). Pure.
 */
export function correctionBody(c: CaseFacts, v: CorrectValues): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  const diff = (key: keyof CorrectValues & keyof CaseFacts, value: string, nullable: boolean) => {
    const before = (c[key] as string | null | undefined) ?? '';
    const after = value.trim();
    if (after !== before) body[key] = after === '' && nullable ? null : after;
  };
  diff('onsetOn', v.onsetOn ?? '', true);
  diff('isolatedOn', v.isolatedOn ?? '', true);
  diff('classification', v.classification, false);
  if (v.classification === 'imported') diff('sourceArea', v.sourceArea ?? '', true);
  else if (c.sourceArea) body.sourceArea = null;
  diff('infectorCaseId', v.infectorCaseId ?? '', true);
  diff('cluster', v.cluster ?? '', true);
  diff('note', v.note ?? '', false);
  body.reason = v.reason.trim();
  return body;
}


/** 'YYYY-MM-DDTHH:mm' typed as China time → ISO instant; undefined when empty. */
export function chinaLocalToIso(v: string | undefined): string | undefined {
  if (!v) return undefined;
  const d = new Date(`${v.length === 16 ? `${v}:00` : v}+08:00`);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/**
 * The default look-back window text of a case (issue 4 §3: from 00:00 China time
 * TRACE_LOOKBACK_DAYS = 2 days before onset to 24:00 of the isolation date, else now). Display
 * only: the server computes the window it uses and stores it with the trace.
 */
export function defaultWindowText(c: Pick<CaseFacts, 'onsetOn' | 'isolatedOn'>, zh: boolean, lookbackDays = 2): string {
  const from = c.onsetOn ? `${addDays(c.onsetOn, -lookbackDays)} 00:00` : zh ? '（无发病日期，由系统确定）' : '(no onset date: the server decides)';
  const to = c.isolatedOn ? `${c.isolatedOn} 24:00` : zh ? '现在' : 'now';
  return `${from} — ${to}`;
}


/** '12.5 分钟' / '1 小时 5 分钟' style duration of `min` minutes (one decimal under an hour). */
export function minutesText(min: number, zh: boolean): string {
  if (min < 60) return zh ? `${Math.round(min * 10) / 10} 分钟` : `${Math.round(min * 10) / 10} min`;
  const h = Math.floor(min / 60);
  const m = Math.round(min - h * 60);
  return zh ? `${h} 小时 ${m} 分钟` : `${h} h ${m} min`;
}


/**
 * '第 N / M 天' of an observation or measure (M null: open-ended, '第 N 天'): on day 0 (the day of
 * exposure or arrival; day 1 is the next day, src/modules/contacts/observation.ts) → '明日起第 1 天',
 * after the end date → '已满 M 天', released → '已解除'. Pure; the one wording for contacts and key persons.
 */
export function dayText(c: { day: number; of: number | null; releasedOn?: string | null }, zh: boolean): string {
  if (c.releasedOn) return zh ? '已解除' : 'Released';
  if (c.day <= 0) return zh ? '明日起第 1 天' : 'Day 1 tomorrow';
  if (c.of === null) return zh ? `第 ${c.day} 天` : `Day ${c.day}`;
  if (c.day > c.of) return zh ? `已满 ${c.of} 天` : `${c.of} days done`;
  return zh ? `第 ${c.day} / ${c.of} 天` : `Day ${c.day} of ${c.of}`;
}


/** The request of an action: path suffix and body from the form's date and reason. Pure. */
export function actionRequest(action: ContactAction, date: string, reason: string): { path: string; body: Record<string, unknown> } {
  const r = reason.trim();
  switch (action) {
    case 'exposure': return { path: 'exposure', body: { lastExposureOn: date, reason: r } };
    case 'symptoms': return { path: 'symptoms', body: { on: date, reason: r } };
    case 'override': return { path: 'override', body: { endOn: date, reason: r } };
    case 'revert': return { path: 'override/revert', body: { reason: r } };
    case 'release': return { path: 'release', body: r ? { reason: r } : {} };
  }
}



type Bi = [string, string];
const DETAIL_LABELS: Record<string, Bi> = {
  lastExposureOn: ['最后接触日期', 'Last exposure on'], endOn: ['观察结束日期', 'Observation ends on'],
  fromEndOn: ['原结束日期', 'Previous end date'], toEndOn: ['新结束日期', 'New end date'],
  computedEndOn: ['计算结束日期', 'Computed end date'], overrideWas: ['原人工调整日期', 'Override was'],
  symptomsLastOn: ['最近症状日期', 'Symptoms last on'], on: ['日期', 'On'], kind: ['类别', 'Kind'],
  personStatus: ['人员状态', 'Person status'], early: ['提前解除', 'Early release'], overrideDropped: ['已取消人工调整', 'Override dropped'],
  from: ['原日期', 'From'], to: ['新日期', 'To'], note: ['备注', 'Note'],
};
/** What 'from' / 'to' of an event kind are (a date changed from → to). */
const FROM_TO: Record<string, Bi> = {
  exposure_corrected: ['最后接触日期', 'Last exposure on'], override: ['观察结束日期', 'Observation ends on'],
  override_reverted: ['观察结束日期', 'Observation ends on'],
};
/** What 'on' of an event kind is. */
const ON: Record<string, Bi> = { symptoms: ['症状日期', 'Symptoms on'], released: ['解除日期', 'Released on'] };
const KINDS: Record<string, Bi> = { close: ['密接', 'Close contact'], secondary: ['次密接', 'Secondary contact'] };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The readable line of a contact event's detail (the drawer's 记录 table): labelled dates, date
 * changes as 'A → B', the contact kind and person status by their labels; ids (keys ending in Id,
 * uuid-looking values), null and empty values left out; an unknown key shown as 'key: value'. Pure.
 */
export function contactEventDetailText(kind: string, detail: Record<string, unknown> | null | undefined, lang: Lang): string {
  if (!detail) return '';
  const zh = lang === 'zh';
  const L = (b: Bi) => (zh ? b[0] : b[1]);
  const shown = (v: unknown) => v !== null && v !== undefined && v !== '' && !(typeof v === 'string' && UUID.test(v.trim()));
  const hidden = (k: string) => k === 'id' || k.endsWith('Id') || k.endsWith('Ids');
  const item = (label: string, value: string) => (zh ? `${label}：${value}` : `${label}: ${value}`);
  const change = (a: unknown, b: unknown) => (shown(a) && shown(b) ? (a === b ? String(b) : `${String(a)} → ${String(b)}`) : String(shown(b) ? b : a));
  const parts: string[] = [];
  const done = new Set<string>();
  // pairs shown as one change: [from key, to key, label]
  const pairs: Array<[string, string, Bi]> = [
    ['from', 'to', FROM_TO[kind] ?? DETAIL_LABELS.to!],
    ['fromEndOn', 'endOn', DETAIL_LABELS.endOn!],
    ['fromEndOn', 'toEndOn', DETAIL_LABELS.endOn!],
  ];
  for (const [k, v] of Object.entries(detail)) {
    if (done.has(k) || hidden(k) || !shown(v)) continue;
    const pair = pairs.find(([a, b]) => (k === a || k === b) && shown(detail[a]) && shown(detail[b]));
    if (pair) {
      const [a, b, label] = pair;
      done.add(a); done.add(b);
      parts.push(item(L(label), change(detail[a], detail[b])));
      continue;
    }
    done.add(k);
    if (k === 'kind') parts.push(item(L(DETAIL_LABELS.kind!), KINDS[String(v)] ? L(KINDS[String(v)]!) : String(v)));
    else if (k === 'personStatus') parts.push(item(L(DETAIL_LABELS.personStatus!), statusLabel(String(v), lang)));
    else if (k === 'early') { if (v === true) parts.push(zh ? '提前解除' : 'Early release'); }
    else if (k === 'overrideDropped') parts.push(typeof v === 'string' ? (zh ? `已取消人工调整（原为 ${v}）` : `Override dropped (was ${v})`) : L(DETAIL_LABELS.overrideDropped!));
    else if (k === 'on') parts.push(item(L(ON[kind] ?? DETAIL_LABELS.on!), String(v)));
    else if (k === 'from' || k === 'to') parts.push(item(zh ? (k === 'from' ? '原' : '新') + L(FROM_TO[kind] ?? ['日期', '']) : `${k === 'from' ? 'Previous' : 'New'} ${L(FROM_TO[kind] ?? ['', 'date']).toLowerCase()}`, String(v)));
    else {
      const label = DETAIL_LABELS[k] ? L(DETAIL_LABELS[k]!) : k;
      const value = typeof v === 'boolean' ? (v ? (zh ? '是' : 'yes') : (zh ? '否' : 'no')) : typeof v === 'object' ? JSON.stringify(v) : String(v);
      parts.push(item(label, value));
    }
  }
  return parts.join(zh ? '；' : '; ');
}
