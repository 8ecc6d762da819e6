/** Route-table entries of the pass routes (issue 3); merged into ROUTES by test/api/route-table.ts. */
import type { RouteCase } from '../route-table';

export const PASS_ROUTES: Record<string, RouteCase> = {
  'GET /api/r/pass': {
    as: 'resident',
    exempt: { audit: 'a resident\'s own persons on their own phone (masked names and their own pass codes): not a read of someone else\'s record (me/service.ts)' },
  },
};
