/** Route-table entries of the pass routes (issue 3); merged into ROUTES by test/api/route-table.ts. */
import type { RouteCase } from '../route-table';

export const PASS_ROUTES: Record<string, RouteCase> = {
};
