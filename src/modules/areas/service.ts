/** Area tree queries and start-up loading. */
import type { AppContext } from '../../context';
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
