/**
 * Situation report routes (issue 4 §4, SPEC S5). Permission reports.read (reports.publish to
 * publish); the area must lie in the account's subtree (else 404); dates are China dates not after
 * today. Lists and exports name persons (masked) and are audited; publishing is audited.
 *   GET  /api/reports/figures?areaCode&date            every figure + the paragraph
 *   GET  /api/reports/series?areaCode&from&to          one row per day (≤ 120 days)
 *   GET  /api/reports/list?areaCode&date&figure        the records a figure counts (audited)
 *   GET  /api/reports/export?areaCode&date&figure      CSV of that list; or &from&to: the series (audited)
 *   POST /api/reports/publish {areaCode, date, note?}  store the report as issued (revision 1, 2, …)
 *   GET  /api/reports/published?areaCode&date          the revisions with what changed
 *   GET  /api/reports/published/:id                    one revision
 */
import { z } from 'zod';
import { errorResponses } from '../../lib/http-schemas';
import type { ZApp } from '../../app';
import type { AppContext } from '../../context';
import { badRequest } from '../../lib/errors';
import { chinaDate } from '../../lib/time';
import { audit } from '../audit/audit';
import { textIn } from '../cases/routes';
import { staffActor, staffGuard } from '../staff/auth';
import { FIGURE_KEYS, FIGURES, isFigureKey, type FigureKey } from './figures';
import { NOTE_MAX, publishedReport, publishedReports, publishReport, type PublishedReport } from './publish';
import { areaFor, figureCsv, figureRows, reportDate, reportSeries, seriesCsv, situationReport } from './service';

const errors = errorResponses;
const DATE = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const AREA = z.string().regex(/^\d{2,12}$/);

const n = z.number();
const figuresOut = z.object({
  ...Object.fromEntries(FIGURE_KEYS.map((k) => [k, n])) as Record<FigureKey, typeof n>,
  daysWithoutNewConfirmed: n.nullable(), daysWithoutNewSuspected: n.nullable(),
  lastConfirmedOn: z.string().nullable(), lastSuspectedOn: z.string().nullable(),
  importedBySource: z.array(z.object({ sourceArea: z.string(), count: n })),
  clusters: z.array(z.object({ cluster: z.string(), count: n })),
  clearedOn: z.string().nullable(), allClearOn: z.string().nullable(), allClear: z.boolean(),
});
const seriesDayOut = z.object({
  date: z.string(), newConfirmed: n, cumulativeConfirmed: n, newSuspected: n, currentSuspected: n, newDischarged: n, cumulativeDischarged: n,
  cumulativeDeceased: n, currentlyHospitalised: n, underObservation: n, cumulativeTraced: n, released: n,
});
const caseRowOut = z.object({
  subject: z.literal('case'), id: z.string(), number: z.string(), personId: z.string(), maskedName: z.string(), communityCode: z.string(),
  status: z.string(), statusLabel: z.string(), hospitalised: z.boolean(), hospital: z.string(), confirmedOn: z.string().nullable(),
  suspectedOn: z.string().nullable(), classification: z.string(), sourceArea: z.string().nullable(), secondGeneration: z.boolean(),
  cluster: z.string().nullable(),
});
const contactRowOut = z.object({
  subject: z.literal('contact'), id: z.string(), personId: z.string(), maskedName: z.string(), communityCode: z.string(),
  kind: z.enum(['close', 'secondary']), caseNumber: z.string(), lastExposureOn: z.string(), endOn: z.string(), tracedOn: z.string(),
  releasedOn: z.string().nullable(),
});
const value = z.union([z.number(), z.string(), z.boolean(), z.null()]);
const publishedOut = z.object({
  id: z.string(), areaCode: z.string(), date: z.string(), revision: n, figures: figuresOut, text: z.string(), note: z.string(),
  publishedAt: z.string(), publishedBy: z.string(), changes: z.array(z.object({ figure: z.string(), old: value, new: value })),
});
const figureOut = z.object({ key: z.string(), zh: z.string(), en: z.string(), subject: z.enum(['case', 'contact']) });

const figureQuery = z.object({ areaCode: AREA.optional(), date: DATE, figure: z.string().max(40) });
const pubJson = (p: PublishedReport) => ({ ...p, publishedAt: p.publishedAt.toISOString() });

/** The figure named by `key`, or 400 unknown_figure. */
function figureOf(key: string): FigureKey {
  if (!isFigureKey(key)) throw badRequest('unknown_figure', '未知的统计指标', 'Unknown figure', { figures: FIGURE_KEYS });
  return key;
}

/** Registers the routes above (errors: 401/403 from staffGuard, 400 bad input, 404 outside the subtree, 409 publish). */
export function registerReportRoutes(app: ZApp, ctx: AppContext) {
  const read = staffGuard(ctx, 'reports.read');

  app.get('/api/reports/figures', {
    preHandler: read,
    schema: {
      tags: ['reports'], summary: 'Every situation report figure of an area as of 24:00 China time on a date, and the report paragraph',
      querystring: z.object({ areaCode: AREA.optional(), date: DATE.optional() }),
      response: { 200: z.object({ areaCode: z.string(), areaName: z.string(), date: z.string(), asOfText: z.string(), figures: figuresOut, text: z.string() }), ...errors },
    },
  }, async (req) => {
    const date = reportDate(req.query.date ?? chinaDate());
    const area = await areaFor(ctx, req.staff!, req.query.areaCode);
    return situationReport(ctx, area.code, date);
  });

  app.get('/api/reports/series', {
    preHandler: read,
    schema: {
      tags: ['reports'], summary: 'Daily figures of an area over a range of China dates (at most 120 days)',
      querystring: z.object({ areaCode: AREA.optional(), from: DATE, to: DATE }),
      response: { 200: z.object({ areaCode: z.string(), days: z.array(seriesDayOut) }), ...errors },
    },
  }, async (req) => {
    const area = await areaFor(ctx, req.staff!, req.query.areaCode);
    return { areaCode: area.code, days: await reportSeries(ctx, area.code, req.query.from, req.query.to) };
  });

  app.get('/api/reports/list', {
    preHandler: read,
    schema: {
      tags: ['reports'], summary: 'The records a figure counts on a date (masked names; audited)',
      querystring: figureQuery,
      response: { 200: z.object({ figure: figureOut, count: n, rows: z.array(z.union([caseRowOut, contactRowOut])) }), ...errors },
    },
  }, async (req) => {
    const key = figureOf(req.query.figure);
    const date = reportDate(req.query.date);
    const area = await areaFor(ctx, req.staff!, req.query.areaCode);
    const rows = await figureRows(ctx, area.code, date, key);
    await audit(ctx.db, staffActor(req.staff!), { action: 'report.list', areaCode: area.code, detail: { figure: key, date, rows: rows.length } });
    const f = FIGURES[key];
    return { figure: { key, zh: f.zh, en: f.en, subject: f.subject }, count: rows.length, rows };
  });

  app.get('/api/reports/export', {
    preHandler: read,
    schema: {
      tags: ['reports'], summary: "CSV of a figure's records on a date, or (without figure) of the daily series from..to (formula-safe; audited)",
      description: 'text/csv attachment, UTF-8 with BOM. With figure: date is required, one line per record after the header. Without: from and to.',
      querystring: z.object({ areaCode: AREA.optional(), date: DATE.optional(), figure: z.string().max(40).optional(), from: DATE.optional(), to: DATE.optional() }),
    },
  }, async (req, reply) => {
    const q = req.query;
    let csv: Buffer;
    let name: string;
    let detail: Record<string, unknown>;
    if (q.figure !== undefined) {
      const key = figureOf(q.figure);
      if (!q.date) throw badRequest('date_required', '请指定日期', 'Give the date');
      const date = reportDate(q.date);
      const area = await areaFor(ctx, req.staff!, q.areaCode);
      const rows = await figureRows(ctx, area.code, date, key);
      csv = figureCsv(key, rows);
      name = `report-${area.code}-${date}-${key}`;
      detail = { figure: key, date, rows: rows.length, areaCode: area.code };
    } else {
      if (!q.from || !q.to) throw badRequest('range_required', '请指定开始和结束日期，或指定统计指标', 'Give from and to, or a figure');
      const area = await areaFor(ctx, req.staff!, q.areaCode);
      const days = await reportSeries(ctx, area.code, q.from, q.to);
      csv = seriesCsv(days);
      name = `report-${area.code}-${q.from}_${q.to}`;
      detail = { series: true, from: q.from, to: q.to, rows: days.length, areaCode: area.code };
    }
    await audit(ctx.db, staffActor(req.staff!), { action: 'report.export', areaCode: String(detail.areaCode), detail });
    return reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}.csv"`)
      .header('cache-control', 'no-store').send(csv);
  });

  app.post('/api/reports/publish', {
    preHandler: staffGuard(ctx, 'reports.publish'),
    schema: {
      tags: ['reports'], summary: 'Publish the situation report of an area and date as issued (a later revision needs a note; audited)',
      body: z.object({ areaCode: AREA, date: DATE, note: textIn(NOTE_MAX * 2).optional() }),
      response: { 201: publishedOut, ...errors },
    },
  }, async (req, reply) => {
    const p = await publishReport(ctx, req.staff!, req.body.areaCode, req.body.date, req.body.note);
    return reply.status(201).send(pubJson(p));
  });

  app.get('/api/reports/published', {
    preHandler: read,
    schema: {
      tags: ['reports'], summary: 'The published revisions of an area and date, each with what changed from the previous one',
      querystring: z.object({ areaCode: AREA.optional(), date: DATE }),
      response: { 200: z.object({ revisions: z.array(publishedOut) }), ...errors },
    },
  }, async (req) => ({ revisions: (await publishedReports(ctx, req.staff!, req.query.areaCode, req.query.date)).map(pubJson) }));

  app.get('/api/reports/published/:id', {
    preHandler: read,
    schema: {
      tags: ['reports'], summary: 'One published revision',
      params: z.object({ id: z.string().uuid() }),
      response: { 200: publishedOut, ...errors },
    },
  }, async (req) => pubJson(await publishedReport(ctx, req.staff!, req.params.id)));
}
