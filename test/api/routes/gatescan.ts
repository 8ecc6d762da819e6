/** Route-table entries of the gatescan routes (issue 3); merged into ROUTES by test/api/route-table.ts. */
import { randomUUID } from 'node:crypto';
import type { RouteCase } from '../route-table';

export const GATESCAN_ROUTES: Record<string, RouteCase> = {
  'GET /api/gate/sync': { as: ['guard', 'place_manager'], query: (s) => ({ checkpointId: s.checkpoints.east.id }) },
  'POST /api/gate/scans': {
    as: ['guard', 'place_manager'],
    // a new idempotency key on every call; the card of the person without a phone, entering at 36.5 °C
    body: (s) => {
      const now = new Date().toISOString();
      return { checkpointId: s.checkpoints.east.id, sentAt: now, scans: [{ idempotencyKey: randomUUID(), token: s.gateCard, direction: 'in',
        temperature: '36.5', scannedAt: now, offline: false }] };
    },
  },
  'GET /api/gate/checkpoints/{id}/screen-code': {
    as: ['guard', 'place_manager'], params: (s) => ({ id: s.checkpoints.screen.id }),
    exempt: { audit: 'a signed code naming the checkpoint: no person data' },
  },
  'POST /api/checkpoints/{id}/mode': { as: 'community_worker', params: (s) => ({ id: s.checkpoints.spare.id }), body: () => ({ mode: 'screen' }) },
};
