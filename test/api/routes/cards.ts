/** Route-table entries of the cards routes (issue 3); merged into ROUTES by test/api/route-table.ts. */
import type { RouteCase } from '../route-table';

export const CARDS_ROUTES: Record<string, RouteCase> = {
};
