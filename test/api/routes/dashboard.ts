/** Route-table entries of the check-in dashboard (issue 4 §5); merged into ROUTES by test/api/route-table.ts. */
import type { RouteCase } from '../route-table';

export const DASHBOARD_ROUTES: Record<string, RouteCase> = {
  // figures only (no person data): not audited, like GET /api/checkins/counts
  'GET /api/checkins/dashboard': { as: 'community_worker', query: (s) => ({ areaCode: s.areas.community }) },
};
