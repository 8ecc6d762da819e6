/** Area tree queries and start-up loading. */
import type { AppContext } from '../../context';
import { notFound } from '../../lib/errors';
import { importDivisions, loadDivisions } from './divisions';

/** The city loaded when the tree is empty (焦作市). */
export const DEFAULT_CITY = '4108';

/** Load the default city's divisions when the area table is empty. */
export async function ensureAreas(ctx: AppContext): Promise<void> {
  const any = await ctx.db.selectFrom('areas').select('code').limit(1).executeTakeFirst();
  if (any) return;
  const n = await importDivisions(ctx.db, loadDivisions(DEFAULT_CITY));
  ctx.log.info({ divisions: n, city: DEFAULT_CITY }, 'area tree loaded');
}

// ---- Queries of the area tree for the staff console and the resident form (issue 2 §3) ----

export interface AreaNode { code: string; name: string; level: number; parentCode: string | null }
export interface AreaChild extends AreaNode {
  hasChildren: boolean;
  /** False for a node above the caller's own (shown only as the path down to it). */
  inScope: boolean;
}

/** Prefixes of `code` that are division codes (2, 4, 6, 9 digits), shortest first, `code` excluded. */
export function ancestorCodes(code: string): string[] {
  return [2, 4, 6, 9].filter((n) => n < code.length).map((n) => code.slice(0, n));
}

/**
 * How `code` stands to an account scoped at `scope`: 'in' its subtree, 'above' it (an ancestor,
 * shown as the path down to the account's node), or null (not visible: answer 404).
 */
export function visibility(scope: string, code: string): 'in' | 'above' | null {
  if (code.startsWith(scope)) return 'in';
  if (scope.startsWith(code)) return 'above';
  return null;
}

const notVisible = () => notFound('未找到该区域', 'Area not found');

async function findNode(ctx: AppContext, code: string): Promise<AreaNode | undefined> {
  const r = await ctx.db.selectFrom('areas').select(['code', 'name', 'level', 'parent_code']).where('code', '=', code).executeTakeFirst();
  return r && { code: r.code, name: r.name, level: r.level, parentCode: r.parent_code };
}

/**
 * Children of `code` as an account scoped at `scope` may see them: every child inside its subtree;
 * above it, only the child on the path down to it.
 * @throws AppError 404 when `code` is unknown or neither in nor above the scope.
 */
export async function areaChildren(ctx: AppContext, scope: string, code: string): Promise<AreaChild[]> {
  const vis = visibility(scope, code);
  if (!vis || !(await findNode(ctx, code))) throw notVisible();
  let q = ctx.db.selectFrom('areas as a')
    .select(['a.code', 'a.name', 'a.level', 'a.parent_code'])
    .select((eb) => eb.exists(eb.selectFrom('areas as c').select('c.code').whereRef('c.parent_code', '=', 'a.code')).as('has_children'))
    .where('a.parent_code', '=', code);
  if (vis === 'above') q = q.where('a.code', 'in', [...ancestorCodes(scope), scope]);
  const rows = await q.orderBy('a.code').execute();
  return rows.map((r) => ({
    code: r.code, name: r.name, level: r.level, parentCode: r.parent_code, hasChildren: Boolean(r.has_children),
    inScope: r.code.startsWith(scope),
  }));
}

/**
 * A node and its breadcrumb (ancestors from the top down), when in or above the caller's scope.
 * @throws AppError 404 otherwise.
 */
export async function areaWithAncestors(ctx: AppContext, scope: string, code: string): Promise<{ node: AreaNode & { inScope: boolean }; ancestors: AreaNode[] }> {
  const vis = visibility(scope, code);
  const node = vis ? await findNode(ctx, code) : undefined;
  if (!node) throw notVisible();
  const up = ancestorCodes(code);
  const rows = up.length === 0 ? [] : await ctx.db.selectFrom('areas').select(['code', 'name', 'level', 'parent_code']).where('code', 'in', up).orderBy('code').execute();
  return {
    node: { ...node, inScope: vis === 'in' },
    ancestors: rows.sort((a, b) => a.code.length - b.code.length).map((r) => ({ code: r.code, name: r.name, level: r.level, parentCode: r.parent_code })),
  };
}

/** Most results of an area name search. */
export const AREA_SEARCH_MAX = 50;

/**
 * Nodes of the caller's subtree whose name contains `q` (case-insensitive), broadest first, each
 * with `path`: the names from the district down ("山阳区 / 东方红街道 / 文化巷社区").
 */
export async function searchAreas(ctx: AppContext, scope: string, q: string, limit = 20): Promise<(AreaNode & { path: string })[]> {
  const pattern = `%${q.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const rows = await ctx.db.selectFrom('areas').select(['code', 'name', 'level', 'parent_code'])
    .where('code', 'like', `${scope}%`).where('name', 'ilike', pattern)
    .orderBy('level').orderBy('code').limit(Math.min(limit, AREA_SEARCH_MAX)).execute();
  const up = [...new Set(rows.flatMap((r) => ancestorCodes(r.code)))];
  const names = new Map((up.length === 0 ? [] : await ctx.db.selectFrom('areas').select(['code', 'name', 'level']).where('code', 'in', up).execute())
    .filter((a) => a.level >= 3).map((a) => [a.code, a.name]));
  return rows.map((r) => ({
    code: r.code, name: r.name, level: r.level, parentCode: r.parent_code,
    path: [...ancestorCodes(r.code).map((c) => names.get(c)).filter(Boolean), r.name].join(' / '),
  }));
}

/**
 * Public: the children of a division (code and name only) for the resident registration form.
 * Division names are public data; places are never listed (areas stop at level 5, communities).
 * @throws AppError 404 for an unknown code.
 */
export async function publicChildren(ctx: AppContext, code: string): Promise<{ code: string; name: string }[]> {
  if (!(await findNode(ctx, code))) throw notVisible();
  return ctx.db.selectFrom('areas').select(['code', 'name']).where('parent_code', '=', code).where('level', '<=', 5).orderBy('code').execute();
}
