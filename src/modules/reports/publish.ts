/**
 * Published situation reports (issue 4 §4: "a published report is stored as issued; later
 * corrections appear as a revision, not a silent change"). situation_reports is append-only (a
 * trigger of migration 0010 refuses UPDATE and DELETE). Revision 1, 2, … per area and date; a later
 * revision needs a note (why: 订正 …) and is refused when neither the figures nor the text changed.
 * Permission reports.publish to publish, reports.read to read; areas outside the account's subtree
 * answer 404. Publishing is audited ('report.publish').
 */
import type { AppContext } from '../../context';
import { AppError, badRequest, notFound } from '../../lib/errors';
import { chinaDate } from '../../lib/time';
import { audit } from '../audit/audit';
import { staffActor, type StaffUser } from '../staff/auth';
import { inScope } from '../staff/roles';
import type { SituationFigures } from './compute';
import { FIGURE_KEYS } from './figures';
import { areaFor, reportDate, situationReport } from './service';

/** Longest revision note, characters. */
export const NOTE_MAX = 500;

export type FigureValue = number | string | boolean | null;
export interface FigureChange { figure: string; old: FigureValue; new: FigureValue }

export interface PublishedReport {
  id: string; areaCode: string; date: string; revision: number; figures: SituationFigures; text: string; note: string;
  publishedAt: Date; publishedBy: string; changes: FigureChange[];
}

/**
 * The figures as flat name → scalar pairs, for comparing revisions: every scalar figure under its
 * key, breakdowns as 'importedBySource.<source>' and 'clusters.<label>'.
 */
export function flatFigures(f: SituationFigures): Record<string, FigureValue> {
  const out: Record<string, FigureValue> = {};
  for (const [k, v] of Object.entries(f)) if (!Array.isArray(v)) out[k] = v as FigureValue;
  for (const s of f.importedBySource ?? []) out[`importedBySource.${s.sourceArea}`] = s.count;
  for (const c of f.clusters ?? []) out[`clusters.${c.cluster}`] = c.count;
  return out;
}

/** The order changes are listed in (stored jsonb does not keep key order); breakdown entries last, by name. */
const KEY_ORDER: string[] = [...FIGURE_KEYS, 'daysWithoutNewConfirmed', 'daysWithoutNewSuspected', 'lastConfirmedOn', 'lastSuspectedOn',
  'clearedOn', 'allClearOn', 'allClear'];

/** What changed from `prev` to `next` (a missing breakdown entry reads null), in figure order (KEY_ORDER). */
export function figureChanges(prev: SituationFigures, next: SituationFigures): FigureChange[] {
  const a = flatFigures(prev);
  const b = flatFigures(next);
  const rank = (k: string) => { const i = KEY_ORDER.indexOf(k); return i < 0 ? KEY_ORDER.length : i; };
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])].sort((x, y) => rank(x) - rank(y) || (x < y ? -1 : x > y ? 1 : 0));
  return keys.filter((k) => (a[k] ?? null) !== (b[k] ?? null)).map((k) => ({ figure: k, old: a[k] ?? null, new: b[k] ?? null }));
}

type Row = { id: string; area_code: string; report_date: string; revision: number; figures: unknown; text_zh: string; note: string; published_at: Date; display_name: string };

function view(r: Row, prev: Row | undefined): PublishedReport {
  const figures = r.figures as SituationFigures;
  return {
    id: r.id, areaCode: r.area_code, date: r.report_date, revision: r.revision, figures, text: r.text_zh, note: r.note,
    publishedAt: r.published_at, publishedBy: r.display_name, changes: prev ? figureChanges(prev.figures as SituationFigures, figures) : [],
  };
}

async function revisions(ctx: AppContext, areaCode: string, date: string): Promise<Row[]> {
  return ctx.db.selectFrom('situation_reports as r').innerJoin('staff as s', 's.id', 'r.published_by')
    .select(['r.id', 'r.area_code', 'r.report_date', 'r.revision', 'r.figures', 'r.text_zh', 'r.note', 'r.published_at', 's.display_name'])
    .where('r.area_code', '=', areaCode).where('r.report_date', '=', date).orderBy('r.revision').execute();
}

/**
 * Publish the report of `areaCode` on `date` as computed now: revision 1, or the next revision
 * with `note` (required then). One insert; the unique (area, date, revision) key settles a race.
 * @returns the stored report with its changes from the previous revision.
 * A report "as of 24:00" of a day is published once that day is over in China time (from the
 * next day on): figures of a day still running would change under the published text.
 * @throws AppError 400 invalid_date / date_in_future / day_not_over / note_required / note_too_long; 404 area
 *   outside the subtree; 409 report_unchanged (nothing changed since the latest revision) or
 *   report_publish_conflict (published concurrently: reload and retry).
 */
export async function publishReport(ctx: AppContext, staff: StaffUser, areaCode: string, date: string, note = '', now = new Date()): Promise<PublishedReport> {
  reportDate(date);
  if (date >= chinaDate(now)) {
    throw badRequest('day_not_over', `${date}尚未结束：截至24时的疫情通报须在次日发布`,
      `${date} is not over yet: a report as of 24:00 is published from the next day (China time)`);
  }
  const area = await areaFor(ctx, staff, areaCode);
  const why = String(note ?? '').trim();
  if ([...why].length > NOTE_MAX) throw badRequest('note_too_long', `说明不能超过${NOTE_MAX}字`, `The note is longer than ${NOTE_MAX} characters`);
  const report = await situationReport(ctx, area.code, date);
  const prev = (await revisions(ctx, area.code, date)).at(-1);
  if (prev) {
    if (!why) throw badRequest('note_required', '已发布过该日通报，发布订正版本须填写说明（如：订正…）', 'A revision needs a note saying why (e.g. correction of …)');
    if (figureChanges(prev.figures as SituationFigures, report.figures).length === 0 && prev.text_zh === report.text) {
      throw new AppError(409, 'report_unchanged', { zh: '数据与已发布的最新版本相同，无需发布订正', en: 'Nothing changed since the latest published revision' });
    }
  }
  const revision = (prev?.revision ?? 0) + 1;
  try {
    await ctx.db.transaction().execute(async (trx) => {
      const row = await trx.insertInto('situation_reports').values({
        area_code: area.code, report_date: date, revision, figures: JSON.stringify(report.figures), text_zh: report.text, note: why, published_by: staff.id,
      }).returning('id').executeTakeFirstOrThrow();
      await audit(trx, staffActor(staff), { action: 'report.publish', areaCode: area.code, detail: { reportId: row.id, date, revision } });
    });
  } catch (e) {
    if ((e as { code?: string }).code === '23505') {
      throw new AppError(409, 'report_publish_conflict', { zh: '该通报刚刚被他人发布，请刷新后重试', en: 'This report was just published by someone else; reload and retry' });
    }
    throw e;
  }
  const rows = await revisions(ctx, area.code, date);
  return view(rows.at(-1)!, rows.at(-2));
}

/**
 * The published revisions of `areaCode` on `date`, oldest first, each with its changes from the
 * previous one. @throws AppError 400 invalid date; 404 area outside the subtree.
 */
export async function publishedReports(ctx: AppContext, staff: StaffUser, areaCode: string | undefined, date: string): Promise<PublishedReport[]> {
  reportDate(date);
  const area = await areaFor(ctx, staff, areaCode);
  const rows = await revisions(ctx, area.code, date);
  return rows.map((r, i) => view(r, rows[i - 1]));
}

/** One published revision by id. @throws AppError 404 unknown or outside the account's subtree. */
export async function publishedReport(ctx: AppContext, staff: StaffUser, id: string): Promise<PublishedReport> {
  const head = await ctx.db.selectFrom('situation_reports').select(['area_code', 'report_date', 'revision']).where('id', '=', id).executeTakeFirst();
  if (!head || !inScope(staff.areaCode, head.area_code)) throw notFound('未找到该通报', 'Report not found');
  const rows = await revisions(ctx, head.area_code, head.report_date);
  const i = rows.findIndex((r) => r.id === id);
  return view(rows[i]!, rows[i - 1]);
}
