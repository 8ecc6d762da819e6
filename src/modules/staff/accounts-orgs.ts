/**
 * Organisations attached to a node of the area tree: health service centers (社区卫生服务中心,
 * SPEC "Roles"), and later industry authorities and enterprises (issue 2 §4). An account may
 * belong to one (staff.org_id).
 */
import type { AppContext } from '../../context';
import { AppError, conflict } from '../../lib/errors';
import { audit } from '../audit/audit';
import { staffActor, type StaffUser } from './auth';
import { normalizeText } from './accounts-rules';
import { inScope } from './roles';

export const ORG_KINDS = ['health_center', 'industry_authority', 'enterprise', 'other'] as const;
export type OrgKind = (typeof ORG_KINDS)[number];

export const ORG_KIND_LABELS: Record<OrgKind, { zh: string; en: string }> = {
  health_center: { zh: '社区卫生服务中心', en: 'Health service center' },
  industry_authority: { zh: '行业主管部门', en: 'Industry authority' },
  enterprise: { zh: '企业', en: 'Enterprise' },
  other: { zh: '其他机构', en: 'Other organisation' },
};

export interface OrgView { id: string; kind: string; name: string; areaCode: string; areaName: string; createdAt: Date }

/**
 * Organisations the caller can attach accounts to: those in its subtree and those on the path above
 * it (a community worker sees its street's health center). Optional `kind` filter.
 */
export async function listOrgs(ctx: AppContext, actor: StaffUser, kind?: OrgKind): Promise<OrgView[]> {
  const ancestors = [2, 4, 6, 9].filter((n) => n < actor.areaCode.length).map((n) => actor.areaCode.slice(0, n));
  let q = ctx.db.selectFrom('organisations as o').innerJoin('areas as a', 'a.code', 'o.area_code')
    .select(['o.id', 'o.kind', 'o.name', 'o.area_code', 'a.name as area_name', 'o.created_at'])
    .where((eb) => eb.or([
      eb('o.area_code', 'like', `${actor.areaCode}%`),
      ...(ancestors.length ? [eb('o.area_code', 'in', ancestors)] : []),
    ]));
  if (kind) q = q.where('o.kind', '=', kind);
  const rows = await q.orderBy('o.area_code').orderBy('o.name').limit(1000).execute();
  return rows.map((r) => ({ id: r.id, kind: r.kind, name: r.name, areaCode: r.area_code, areaName: r.area_name, createdAt: r.created_at }));
}

/**
 * Create an organisation at `areaCode` (in the caller's subtree). Names are unique per node.
 * @throws 400 name_invalid, 404 area_out_of_scope, 409 org_exists.
 */
export async function createOrg(ctx: AppContext, actor: StaffUser, input: { name: string; kind: OrgKind; areaCode: string }): Promise<OrgView> {
  const name = normalizeText(input.name, ['机构名称', 'Organisation name'], 60);
  if (!inScope(actor.areaCode, input.areaCode)) {
    throw new AppError(404, 'area_out_of_scope', { zh: '该区域不存在或不在您的管辖范围内', en: 'That area does not exist or is outside your area' });
  }
  return ctx.db.transaction().execute(async (trx) => {
    const area = await trx.selectFrom('areas').select(['code', 'name']).where('code', '=', input.areaCode).executeTakeFirst();
    if (!area) throw new AppError(404, 'area_out_of_scope', { zh: '该区域不存在或不在您的管辖范围内', en: 'That area does not exist or is outside your area' });
    const dup = await trx.selectFrom('organisations').select('id').where('area_code', '=', input.areaCode).where('name', '=', name).executeTakeFirst();
    if (dup) throw conflict('org_exists', '该区域已有同名机构', 'An organisation of that name already exists there');
    const row = await trx.insertInto('organisations').values({ kind: input.kind, name, area_code: input.areaCode })
      .returning(['id', 'created_at']).executeTakeFirstOrThrow();
    await audit(trx, staffActor(actor), { action: 'org.create', areaCode: input.areaCode, detail: { orgId: row.id, name, kind: input.kind } });
    return { id: row.id, kind: input.kind, name, areaCode: area.code, areaName: area.name, createdAt: row.created_at };
  });
}
