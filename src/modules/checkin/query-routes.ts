/** Community staff: check-in counts per place and day, search, and formula-safe export (audited). */
import { z } from 'zod';
import type { ZApp } from '../../app';
import type { AppContext } from '../../context';
import { badRequest, notFound } from '../../lib/errors';
import { chinaDate, chinaDateTime, chinaDayStart } from '../../lib/time';
import { writeCsv, writeXlsx } from '../../lib/spreadsheet';
import { audit } from '../audit/audit';
import { staffActor, staffGuard, type StaffUser } from '../staff/auth';
import { countsByPlaceDay, EXPORT_MAX_ROWS, SEARCH_PAGE_MAX, searchCheckins, type CheckinFilter } from './queries';

/** Longest date range one query covers, days (the retention period bounds what exists anyway). */
export const MAX_RANGE_DAYS = 62;

const DATE = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const filterQuery = z.object({
  areaCode: z.string().regex(/^\d{2,12}$/).optional(),
  placeId: z.string().uuid().optional(),
  q: z.string().max(40).optional(),
  from: DATE.optional(),
  to: DATE.optional(),
});

function toFilter(staff: StaffUser, q: z.infer<typeof filterQuery>): CheckinFilter {
  const areaCode = q.areaCode ?? staff.areaCode;
  if (!areaCode.startsWith(staff.areaCode)) throw notFound('该区域不在您的管辖范围', 'Area outside your scope');
  const to = q.to ?? chinaDate();
  const from = q.from ?? to;
  let days: number;
  try {
    days = (chinaDayStart(to).getTime() - chinaDayStart(from).getTime()) / 86_400_000;
  } catch {
    throw badRequest('invalid_date', '日期不正确', 'Invalid date');
  }
  if (days < 0) throw badRequest('invalid_range', '开始日期不能晚于结束日期', 'from is after to');
  if (days > MAX_RANGE_DAYS) throw badRequest('range_too_long', `查询范围不能超过 ${MAX_RANGE_DAYS} 天`, `Range longer than ${MAX_RANGE_DAYS} days`);
  return { areaCode, placeId: q.placeId, personName: q.q || undefined, from, to };
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

  app.get('/api/checkins', {
    preHandler: staffGuard(ctx, 'checkins.read'),
    schema: {
      tags: ['checkins'], summary: 'Search check-ins (audited)',
      querystring: filterQuery.extend({ limit: z.coerce.number().int().min(1).max(SEARCH_PAGE_MAX).default(50), offset: z.coerce.number().int().min(0).default(0) }),
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
    schema: { tags: ['checkins'], summary: 'Export check-ins as CSV or XLSX (formula-safe, audited)', querystring: filterQuery.extend({ format: z.enum(['csv', 'xlsx']).default('xlsx') }) },
  }, async (req, reply) => {
    const staff = req.staff!;
    const f = toFilter(staff, req.query);
    const { rows, total } = await searchCheckins(ctx, f, EXPORT_MAX_ROWS, 0);
    if (total > EXPORT_MAX_ROWS) throw badRequest('export_too_large', `结果超过 ${EXPORT_MAX_ROWS} 条，请缩小范围`, `More than ${EXPORT_MAX_ROWS} rows; narrow the filter`);
    const table = rows.map((r) => [chinaDateTime(new Date(r.at)), r.maskedName, r.docMasked, r.placeName, r.checkpointName,
      r.direction === 'in' ? '进入' : '离开', r.temperature, r.outcome === 'pass' ? '通行' : '禁止通行', r.refusal ?? '', r.source === 'guard' ? '值守登记' : '扫码']);
    await audit(ctx.db, staffActor(staff), { action: 'checkins.export', areaCode: f.areaCode,
      detail: { format: req.query.format, rows: rows.length, from: f.from, to: f.to, placeId: f.placeId ?? null } });
    const name = `checkins-${f.areaCode}-${f.from}_${f.to}`;
    if (req.query.format === 'csv') {
      return reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}.csv"`)
        .send(writeCsv(EXPORT_HEADERS, table));
    }
    return reply.header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('content-disposition', `attachment; filename="${name}.xlsx"`).send(await writeXlsx('打卡记录', EXPORT_HEADERS, table));
  });
}
