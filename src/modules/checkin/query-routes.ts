/**
 * Community staff: check-in counts per place and day, the dashboard (issue 4 §5), search, and
 * formula-safe export (audited). Entries follow the one rule of queries.ts (a two-way check counts
 * once); `kind=entries` limits the search and the export to exactly those rows.
 */
import { z } from 'zod';
import { refusalLabel } from './refusals';
import type { ZApp } from '../../app';
import type { AppContext } from '../../context';
import { badRequest, notFound } from '../../lib/errors';
import { chinaDate, chinaDateTime, chinaDayStart } from '../../lib/time';
import { writeCsv, writeXlsx } from '../../lib/spreadsheet';
import { audit } from '../audit/audit';
import { staffActor, staffGuard, type StaffUser } from '../staff/auth';
import { checkinDashboard, DASHBOARD_TOP_PLACES } from './dashboard';
import { countsByPlaceDay, EXPORT_MAX_ROWS, SEARCH_PAGE_MAX, searchCheckins, type CheckinFilter } from './queries';

/** Longest date range one query covers, days (the retention period bounds what exists anyway). */
export const MAX_RANGE_DAYS = 62;
/** Earliest and latest day a query may name (the same range as cases and contacts). */
export const DAY_RANGE = { from: '2000-01-01', to: '2099-12-31' } as const;

const DATE = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const filterQuery = z.object({
  areaCode: z.string().regex(/^\d{2,12}$/).optional(),
  placeId: z.string().uuid().optional(),
  q: z.string().max(40).optional(),
  from: DATE.optional(),
  to: DATE.optional(),
});
/** Search and export: every check-in (default) or only the entries of the rule (queries.ts). */
const kindQuery = { kind: z.enum(['all', 'entries']).default('all') };
const dashboardQuery = z.object({
  areaCode: filterQuery.shape.areaCode, placeId: filterQuery.shape.placeId,
  date: DATE.optional(), from: DATE.optional(), to: DATE.optional(),
});

/**
 * The caller's filter: area inside the staff scope (else 404, not revealing it exists), China
 * dates from..to (default today, China time), at most MAX_RANGE_DAYS apart.
 * @throws notFound outside the scope; badRequest invalid_date / invalid_range / range_too_long.
 */
function toFilter(staff: StaffUser, q: z.infer<typeof filterQuery> & { kind?: CheckinFilter['kind'] }): CheckinFilter {
  const areaCode = q.areaCode ?? staff.areaCode;
  if (!areaCode.startsWith(staff.areaCode)) throw notFound('该区域不在您的管辖范围', 'Area outside your scope');
  const to = q.to ?? chinaDate();
  const from = q.from ?? to;
  let days: number;
  try {
    // years 2000–2099 only: year 0000 fails in PostgreSQL and the day after 9999-12-31 has no 'YYYY-MM-DD'
    if ([from, to].some((d) => d < DAY_RANGE.from || d > DAY_RANGE.to)) throw new RangeError('out of range');
    days = (chinaDayStart(to).getTime() - chinaDayStart(from).getTime()) / 86_400_000;
  } catch {
    throw badRequest('invalid_date', '日期不正确（2000年至2099年，格式 YYYY-MM-DD）', 'Invalid date (a day from 2000 to 2099, YYYY-MM-DD)');
  }
  if (days < 0) throw badRequest('invalid_range', '开始日期不能晚于结束日期', 'from is after to');
  if (days > MAX_RANGE_DAYS) throw badRequest('range_too_long', `查询范围不能超过 ${MAX_RANGE_DAYS} 天`, `Range longer than ${MAX_RANGE_DAYS} days`);
  return { areaCode, placeId: q.placeId, personName: q.q || undefined, from, to, kind: q.kind ?? 'all' };
}

const EXPORT_HEADERS = ['时间', '姓名', '证件号码', '场所', '卡点', '方向', '体温(℃)', '结果', '原因', '来源'];

export function registerCheckinQueryRoutes(app: ZApp, ctx: AppContext) {
  app.get('/api/checkins/counts', {
    preHandler: staffGuard(ctx, 'checkins.read'),
    schema: {
      tags: ['checkins'], summary: 'Check-ins per place and China-time day', querystring: filterQuery,
      response: { 200: z.object({ from: z.string(), to: z.string(), rows: z.array(z.object({
        placeId: z.string(), placeName: z.string(), placeKind: z.string(), communityCode: z.string(), day: z.string(),
        entries: z.number(), exits: z.number(), refused: z.number(), fevers: z.number(), persons: z.number() })) }) },
    },
  }, async (req) => {
    const f = toFilter(req.staff!, req.query);
    return { from: f.from, to: f.to, rows: await countsByPlaceDay(ctx, f) };
  });

  app.get('/api/checkins/dashboard', {
    preHandler: staffGuard(ctx, 'checkins.read'),
    schema: {
      tags: ['checkins'], summary: `Check-in dashboard: per China day entries, exits, refusals, fever readings and alerts; top ${DASHBOARD_TOP_PLACES} places`,
      querystring: dashboardQuery,
      response: { 200: z.object({ from: z.string(), to: z.string(),
        days: z.array(z.object({ date: z.string(), entries: z.number(), exits: z.number(), refused: z.number(), feverReadings: z.number(), feverAlerts: z.number() })),
        places: z.array(z.object({ placeId: z.string(), name: z.string(), kind: z.string(), community: z.string(), communityName: z.string(),
          entries: z.number(), exits: z.number(), refused: z.number(), feverReadings: z.number() })) }) },
    },
  }, async (req) => {
    const { date, ...rest } = req.query;
    if (date && (rest.from || rest.to)) throw badRequest('date_with_range', '请只填写日期，或只填写开始和结束日期', 'Give either date or from/to, not both');
    const f = toFilter(req.staff!, date ? { ...rest, from: date, to: date } : rest);
    return checkinDashboard(ctx, { areaCode: f.areaCode, from: f.from, to: f.to, placeId: f.placeId });
  });

  app.get('/api/checkins', {
    preHandler: staffGuard(ctx, 'checkins.read'),
    schema: {
      tags: ['checkins'], summary: 'Search check-ins (audited)',
      querystring: filterQuery.extend({ ...kindQuery, limit: z.coerce.number().int().min(1).max(SEARCH_PAGE_MAX).default(50), offset: z.coerce.number().int().min(0).default(0) }),
    },
  }, async (req) => {
    const staff = req.staff!;
    const f = toFilter(staff, req.query);
    const res = await searchCheckins(ctx, f, req.query.limit, req.query.offset);
    await audit(ctx.db, staffActor(staff), { action: 'checkins.search', areaCode: f.areaCode,
      detail: { filter: { ...f, personName: f.personName ? '(name)' : undefined }, rows: res.rows.length, total: res.total } });
    return res;
  });

  app.get('/api/checkins/export', {
    preHandler: staffGuard(ctx, 'checkins.export'),
    schema: { tags: ['checkins'], summary: 'Export check-ins as CSV or XLSX (formula-safe, audited)', querystring: filterQuery.extend({ ...kindQuery, format: z.enum(['csv', 'xlsx']).default('xlsx') }) },
  }, async (req, reply) => {
    const staff = req.staff!;
    const f = toFilter(staff, req.query);
    const { rows, total } = await searchCheckins(ctx, f, EXPORT_MAX_ROWS, 0);
    if (total > EXPORT_MAX_ROWS) throw badRequest('export_too_large', `结果超过 ${EXPORT_MAX_ROWS} 条，请缩小范围`, `More than ${EXPORT_MAX_ROWS} rows; narrow the filter`);
    const table = rows.map((r) => [chinaDateTime(new Date(r.at)), r.maskedName, r.docMasked, r.placeName, r.checkpointName,
      r.direction === 'in' ? '进入' : '离开', r.temperature, r.outcome === 'pass' ? '通行' : '禁止通行', refusalLabel(r.refusal), r.source === 'guard' ? '值守登记' : '扫码']);
    await audit(ctx.db, staffActor(staff), { action: 'checkins.export', areaCode: f.areaCode,
      detail: { format: req.query.format, kind: f.kind, rows: rows.length, from: f.from, to: f.to, placeId: f.placeId ?? null } });
    const name = `${f.kind === 'entries' ? 'entries' : 'checkins'}-${f.areaCode}-${f.from}_${f.to}`;
    if (req.query.format === 'csv') {
      return reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}.csv"`)
        .send(writeCsv(EXPORT_HEADERS, table));
    }
    return reply.header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('content-disposition', `attachment; filename="${name}.xlsx"`).send(await writeXlsx('打卡记录', EXPORT_HEADERS, table));
  });
}
