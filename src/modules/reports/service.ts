/**
 * The situation report of an area node and a day (issue 4 §4, SPEC S5): figures, series, the list
 * of records a figure counts and its CSV export. Every figure is defined once in figures.ts; the
 * records are loaded once per request (load.ts) and computed in TypeScript (compute.ts).
 *
 * Scope: staff see areas of their own subtree only; any other code (or an unknown one) answers 404
 * (not 403: existence is not revealed). Dates are China dates, not after today (China time).
 * Lists and exports name persons (masked) and are audited by the caller (routes.ts).
 */
import type { AppContext } from '../../context';
import { badRequest, notFound } from '../../lib/errors';
import { writeCsv } from '../../lib/spreadsheet';
import { chinaDate, chinaDayStart } from '../../lib/time';
import { DAY_RANGE } from '../cases/rules';
import { inScope } from '../staff/roles';
import type { StaffUser } from '../staff/auth';
import { computeFigures, computeSeries, daysBetween, SERIES_KEYS, type SeriesDay, type SituationFigures } from './compute';
import { caseCounts, caseOn, contactCounts, FIGURES, STATUS_LABELS, type CaseFigureKey, type ContactFigureKey, type FigureKey } from './figures';
import { loadArea, loadCaseList, loadContactList } from './load';
import { asOfText, reportText } from './text';

/** Longest series, days (from and to included). */
export const MAX_SERIES_DAYS = 120;

export interface SituationReport {
  areaCode: string; areaName: string; date: string; asOfText: string; figures: SituationFigures; text: string;
}

/** A row of a case figure's list. */
export interface CaseRow {
  subject: 'case'; id: string; number: string; personId: string; maskedName: string; communityCode: string; status: string;
  statusLabel: string; hospitalised: boolean; hospital: string; confirmedOn: string | null; suspectedOn: string | null;
  classification: string; sourceArea: string | null; secondGeneration: boolean; cluster: string | null;
}
/** A row of a contact figure's list. */
export interface ContactRow {
  subject: 'contact'; id: string; personId: string; maskedName: string; communityCode: string; kind: 'close' | 'secondary';
  caseNumber: string; lastExposureOn: string; endOn: string; tracedOn: string; releasedOn: string | null;
}

/**
 * A China date that may be reported on: a real date from 2000-01-01 (cases/rules DAY_RANGE), not after today (China time).
 * @throws AppError 400 invalid_date / date_in_future.
 */
export function reportDate(date: string, today = chinaDate()): string {
  const invalid = () => badRequest('invalid_date', '日期不正确（2000年至今，格式 YYYY-MM-DD）', 'Invalid date (a day from 2000 on, YYYY-MM-DD)');
  try {
    chinaDayStart(date);
  } catch {
    throw invalid();
  }
  if (date > today) throw badRequest('date_in_future', '不能查询今天以后的日期', 'The date is after today (China time)');
  // from DAY_RANGE.from (2000) on: year 0000 can be neither stored (publish) nor queried in PostgreSQL (a 500)
  if (date < DAY_RANGE.from) throw invalid();
  return date;
}

/**
 * The area node `areaCode` (default: the account's own) with its name, when it lies in the
 * account's subtree. @throws AppError 404 when outside the subtree or unknown.
 */
export async function areaFor(ctx: AppContext, staff: StaffUser | null, areaCode: string | undefined): Promise<{ code: string; name: string }> {
  const code = areaCode ?? staff?.areaCode ?? '';
  if (staff && !inScope(staff.areaCode, code)) throw notFound('该区域不在您的管辖范围', 'Area outside your scope');
  const row = await ctx.db.selectFrom('areas').select(['code', 'name']).where('code', '=', code).executeTakeFirst();
  if (!row) throw notFound('未找到该区域', 'Area not found');
  return row;
}

/**
 * Every figure and the report paragraph of area `areaCode` as of 24:00 China time on `date`
 * (no scope check: callers check it; the benchmark calls this directly).
 * @throws AppError 404 unknown area; 400 invalid date.
 */
export async function situationReport(ctx: AppContext, areaCode: string, date: string): Promise<SituationReport> {
  reportDate(date);
  const area = await areaFor(ctx, null, areaCode);
  const figures = computeFigures(await loadArea(ctx.db, area.code), date, ctx.config.ALL_CLEAR_DAYS);
  return {
    areaCode: area.code, areaName: area.name, date, asOfText: asOfText(date), figures,
    text: reportText(area.name, date, figures, ctx.config.ALL_CLEAR_DAYS),
  };
}

/**
 * The daily series of area `areaCode` from `from` to `to` (China dates, both included, at most
 * MAX_SERIES_DAYS days), from records loaded once.
 * @throws AppError 400 invalid_date / date_in_future / invalid_range / range_too_long; 404 unknown area.
 */
export async function reportSeries(ctx: AppContext, areaCode: string, from: string, to: string): Promise<SeriesDay[]> {
  reportDate(from);
  reportDate(to);
  const days = daysBetween(from, to) + 1;
  if (days < 1) throw badRequest('invalid_range', '开始日期不能晚于结束日期', 'from is after to');
  if (days > MAX_SERIES_DAYS) throw badRequest('range_too_long', `查询范围不能超过 ${MAX_SERIES_DAYS} 天`, `Range longer than ${MAX_SERIES_DAYS} days`);
  const area = await areaFor(ctx, null, areaCode);
  return computeSeries(await loadArea(ctx.db, area.code), from, to);
}

/**
 * The records figure `key` counts for area `areaCode` on `date` (the same predicate as the count).
 * Cases ordered by number, contacts by traced_on then id. Names masked.
 */
export async function figureRows(ctx: AppContext, areaCode: string, date: string, key: FigureKey): Promise<CaseRow[] | ContactRow[]> {
  if (FIGURES[key].subject === 'case') {
    const out: CaseRow[] = [];
    for (const c of await loadCaseList(ctx.db, areaCode)) {
      const x = caseOn(c, date);
      if (!x || !caseCounts(key as CaseFigureKey, c, date, x)) continue;
      out.push({
        subject: 'case', id: c.id, number: c.number, personId: c.personId, maskedName: c.maskedName, communityCode: c.communityCode,
        status: x.status, statusLabel: STATUS_LABELS[x.status].zh, hospitalised: x.hospitalised, hospital: c.hospital,
        confirmedOn: x.confirmedOn, suspectedOn: x.suspectedOn, classification: c.classification, sourceArea: c.sourceArea,
        secondGeneration: c.infectorCaseId !== null, cluster: c.cluster,
      });
    }
    return out;
  }
  return (await loadContactList(ctx.db, areaCode)).filter((k) => contactCounts(key as ContactFigureKey, k, date)).map((k) => ({
    subject: 'contact' as const, id: k.id, personId: k.personId, maskedName: k.maskedName, communityCode: k.communityCode, kind: k.kind,
    caseNumber: k.caseNumber, lastExposureOn: k.lastExposureOn, endOn: k.endOn, tracedOn: k.tracedOn, releasedOn: k.releasedOn,
  }));
}

const CASE_HEADERS = ['病例编号', '姓名', '社区编码', '状态', '确诊日期', '疑似日期', '是否住院', '医院', '分类', '输入来源', '二代病例', '聚集性疫情'];
const CONTACT_HEADERS = ['姓名', '社区编码', '类别', '关联病例', '末次暴露日期', '观察截止日期', '追踪日期', '解除日期'];

/** The CSV (BOM, formula-safe: lib/spreadsheet writeCsv) of a figure's rows: one line per row after the header. */
export function figureCsv(key: FigureKey, rows: CaseRow[] | ContactRow[]): Buffer {
  if (FIGURES[key].subject === 'contact') {
    return writeCsv(CONTACT_HEADERS, (rows as ContactRow[]).map((k) => [k.maskedName, k.communityCode, k.kind === 'close' ? '密切接触者' : '次密切接触者',
      k.caseNumber, k.lastExposureOn, k.endOn, k.tracedOn, k.releasedOn ?? '']));
  }
  return writeCsv(CASE_HEADERS, (rows as CaseRow[]).map((c) => [c.number, c.maskedName, c.communityCode, c.statusLabel, c.confirmedOn ?? '',
    c.suspectedOn ?? '', c.hospitalised ? '是' : '否', c.hospital, c.classification === 'imported' ? '输入' : '本地', c.sourceArea ?? '',
    c.secondGeneration ? '是' : '否', c.cluster ?? '']));
}

/** The CSV of a series: one line per day, the series' figures as columns (zh labels). */
export function seriesCsv(days: SeriesDay[]): Buffer {
  return writeCsv(['日期', ...SERIES_KEYS.map((k) => FIGURES[k].zh)], days.map((d) => [d.date, ...SERIES_KEYS.map((k) => d[k])]));
}
