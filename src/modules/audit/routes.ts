/**
 * The audit log over HTTP (issue 2 §10; SPEC "Rules": every read and export audited), permission
 * 'audit.read'. Rows are scoped by their area_code to the caller's subtree (rows written without
 * an area are visible to nobody here). The export is formula-safe and is itself audited.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ZApp } from '../../app';
import type { AppContext } from '../../context';
import { badRequest } from '../../lib/errors';
import { writeCsv, writeXlsx } from '../../lib/spreadsheet';
import { chinaDateTime, chinaDayRange } from '../../lib/time';
import { staffActor, staffGuard, type StaffUser } from '../staff/auth';
import { audit } from './audit';

/** Most rows one export holds; narrow the filters for more. */
export const AUDIT_EXPORT_MAX_ROWS = 50_000;

export interface AuditFilters { personId?: string; action?: string; actorId?: string; areaCode?: string; from?: Date; to?: Date }

/**
 * A time bound from the query: 'YYYY-MM-DD' (a China day: `from` its start, `to` its end) or an ISO
 * date-time with an offset.
 * @throws AppError 400 bad_time.
 */
export function parseBound(v: string | undefined, edge: 'from' | 'to'): Date | undefined {
  if (v === undefined || v === '') return undefined;
  try {
    if (/^\d{4}-\d{2}-\d{2}$/.test(v)) return chinaDayRange(v)[edge];
  } catch { /* falls through to the error below */ }
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(v) && !Number.isNaN(Date.parse(v))) return new Date(v);
  throw badRequest('bad_time', `时间“${v.slice(0, 40)}”格式不正确，请使用 2020-02-01 或 2020-02-01T08:00:00+08:00`,
    `Invalid time "${v.slice(0, 40)}": use 2020-02-01 or 2020-02-01T08:00:00+08:00`);
}

/** The audit rows visible to `staff` matching `f`, newest first. */
function scopedQuery(ctx: AppContext, staff: StaffUser, f: AuditFilters) {
  let q = ctx.db.selectFrom('audit_log').where('area_code', 'like', `${staff.areaCode}%`);
  if (f.areaCode) q = q.where('area_code', 'like', `${f.areaCode}%`);
  if (f.personId) q = q.where('person_id', '=', f.personId);
  if (f.action) q = f.action.endsWith('.') ? q.where('action', 'like', `${f.action.replace(/[\\%_]/g, (c) => `\\${c}`)}%`) : q.where('action', '=', f.action);
  if (f.actorId) q = q.where('actor_id', '=', f.actorId);
  if (f.from) q = q.where('at', '>=', f.from);
  if (f.to) q = q.where('at', '<', f.to);
  return q;
}

const COLUMNS = ['id', 'at', 'actor_kind', 'actor_id', 'actor_role', 'actor_name', 'action', 'person_id', 'area_code', 'detail'] as const;

const filterQuery = {
  personId: z.uuid().optional(), action: z.string().min(1).max(60).optional().describe('exact, or a prefix ending in "." (e.g. account.)'),
  actorId: z.string().min(1).max(60).optional(), areaCode: z.string().regex(/^\d{2,12}$/).optional(),
  from: z.string().max(40).optional().describe('YYYY-MM-DD (China day) or ISO date-time'),
  to: z.string().max(40).optional().describe('YYYY-MM-DD (through that China day) or ISO date-time (exclusive)'),
};

function filtersOf(q: { personId?: string; action?: string; actorId?: string; areaCode?: string; from?: string; to?: string }): AuditFilters {
  const from = parseBound(q.from, 'from');
  const to = parseBound(q.to, 'to');
  if (from && to && from >= to) throw badRequest('bad_range', '开始时间须早于结束时间', '"from" must be before "to"');
  return { personId: q.personId, action: q.action, actorId: q.actorId, areaCode: q.areaCode, from, to };
}

const entryOut = z.object({
  id: z.number(), at: z.date(), actor: z.object({ kind: z.string(), id: z.string().nullable(), role: z.string().nullable(), name: z.string().nullable() }),
  action: z.string(), personId: z.string().nullable(), areaCode: z.string().nullable(), detail: z.record(z.string(), z.unknown()),
});

export function registerAuditRoutes(app: ZApp, ctx: AppContext) {
  const guard = staffGuard(ctx, 'audit.read');

  app.get('/api/audit', {
    preHandler: guard,
    schema: {
      tags: ['audit'], summary: 'Audit log of my area subtree, newest first',
      querystring: z.object({ ...filterQuery, limit: z.coerce.number().int().min(1).max(500).default(50), offset: z.coerce.number().int().min(0).max(1_000_000).default(0) }),
      response: { 200: z.object({ total: z.number(), items: z.array(entryOut) }) },
    },
  }, async (req) => {
    const q = scopedQuery(ctx, req.staff!, filtersOf(req.query));
    const total = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const rows = await q.select(COLUMNS).orderBy('at', 'desc').orderBy('id', 'desc').limit(req.query.limit).offset(req.query.offset).execute();
    return {
      total: Number(total.n),
      items: rows.map((r) => ({
        id: r.id, at: r.at, actor: { kind: r.actor_kind, id: r.actor_id, role: r.actor_role, name: r.actor_name },
        action: r.action, personId: r.person_id, areaCode: r.area_code, detail: r.detail,
      })),
    };
  });

  app.get('/api/audit/export', {
    preHandler: guard,
    schema: {
      tags: ['audit'], summary: 'Export the audit log (CSV or XLSX, formula-safe; the export is audited)',
      querystring: z.object({ ...filterQuery, format: z.enum(['csv', 'xlsx']).default('csv') }),
    },
  }, async (req, reply) => exportAudit(ctx, req, reply, filtersOf(req.query), req.query.format));
}

/** Write the export file of the rows matching `f`, after auditing the export itself. @throws 400 export_too_large. */
async function exportAudit(ctx: AppContext, req: FastifyRequest, reply: FastifyReply, f: AuditFilters, format: 'csv' | 'xlsx') {
  const staff = req.staff!;
  const rows = await scopedQuery(ctx, staff, f).select(COLUMNS).orderBy('at', 'desc').orderBy('id', 'desc').limit(AUDIT_EXPORT_MAX_ROWS + 1).execute();
  if (rows.length > AUDIT_EXPORT_MAX_ROWS) {
    throw badRequest('export_too_large', `超过 ${AUDIT_EXPORT_MAX_ROWS} 条记录，请缩小时间范围或条件`, `More than ${AUDIT_EXPORT_MAX_ROWS} rows; narrow the filters`);
  }
  await audit(ctx.db, staffActor(staff), {
    action: 'audit.export', areaCode: staff.areaCode,
    detail: { format, rows: rows.length, filters: { ...f, from: f.from?.toISOString(), to: f.to?.toISOString() } },
  });
  const headers = ['编号', '时间', '操作者类型', '操作者编号', '操作者角色', '操作者', '操作', '人员编号', '区域', '详情'];
  const data = rows.map((r) => [r.id, chinaDateTime(r.at), r.actor_kind, r.actor_id, r.actor_role, r.actor_name, r.action, r.person_id, r.area_code, r.detail]);
  const name = `audit-${staff.areaCode}`;
  reply.header('cache-control', 'no-store');
  if (format === 'xlsx') {
    reply.header('content-disposition', `attachment; filename="${name}.xlsx"`);
    return reply.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').send(await writeXlsx('审计日志', headers, data));
  }
  reply.header('content-disposition', `attachment; filename="${name}.csv"`);
  return reply.type('text/csv; charset=utf-8').send(writeCsv(headers, data));
}
