/** Route-table entries of the gatescan routes (issue 3); merged into ROUTES by test/api/route-table.ts. */
import type { RouteCase } from '../route-table';

export const GATESCAN_ROUTES: Record<string, RouteCase> = {
};
