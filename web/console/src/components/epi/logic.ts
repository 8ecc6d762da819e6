/**
 * The console's pure epidemiology helpers (no React, no DOM), unit-tested in logic.test.ts:
 * request bodies of the case and contact forms, the chain graph's ECharts option, China-time
 * input conversion and the texts of observation days and overlap durations. Rules themselves
 * (state machine, observation schedule, ranking) stay on the server; these only format or build
 * requests.
 */
import type { EChartsCoreOption } from 'echarts/core';
import type { Lang } from '../../i18n';
import { addDays } from '../../format';
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
 * '第 N / M 天' of an observation: before day 1 → '未开始', after the end date → '已满 M 天',
 * released → '已解除'. Pure.
 */
export function dayText(c: Pick<ContactView, 'day' | 'of' | 'releasedOn'>, zh: boolean): string {
  if (c.releasedOn) return zh ? '已解除' : 'Released';
  if (c.day <= 0) return zh ? '未开始' : 'Not started';
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

