/** Route-table entries of the cards routes (issue 3); merged into ROUTES by test/api/route-table.ts. */
import type { RouteCase } from '../route-table';

export const CARDS_ROUTES: Record<string, RouteCase> = {
  // the dependent has no card in the world: issuing never revokes the cards the other cases use
  'POST /api/persons/{id}/cards': { as: ['community_worker', 'guard', 'info_officer'], params: (s) => ({ id: s.dependent.id }) },
  'GET /api/persons/{id}/cards': { as: 'guard', params: (s) => ({ id: s.cards.print.personId }) },
  'GET /api/cards/{id}/pdf': { as: 'community_worker', params: (s) => ({ id: s.cards.print.id }) },
  'POST /api/cards/{id}/revoke': { as: 'community_worker', params: (s) => ({ id: s.cards.spare.id }), body: () => ({ reason: '卡片遗失，本人申请作废' }) },
};
