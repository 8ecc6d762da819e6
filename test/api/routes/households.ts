/**
 * Route-table entries of the household and screening routes (issue 5 §6); merged into ROUTES by
 * test/api/route-table.ts. Data: the side's `households` (test/helpers/factories/households-world.ts).
 * Members: POST links `memberPersonId` (again: 200, an update); DELETE unlinks `removablePersonId`
 * (once per world). Visits: a second visit of a household replaces the first (200), so repeats
 * succeed. Close runs on `spareCampaignId` (a second close is 409 campaign_closed).
 */
import { randomInt } from 'node:crypto';
import type { RouteCase } from '../route-table';
import type { Side } from '../../helpers/factories/world';
import type { WorldHouseholds } from '../../helpers/factories/households-world';
import { chinaDate } from '../../../src/lib/time';

let n = 0;
const next = () => `${process.pid % 1000}-${(n += 1)}-${randomInt(1000)}`;
/** The side's households (typed here so this file compiles before and after world.ts gains the field). */
const hh = (s: Side) => (s as Side & { households: WorldHouseholds }).households;
const WORKERS = ['community_worker', 'info_officer'] as const;

export const HOUSEHOLDS_ROUTES: Record<string, RouteCase> = {
  'POST /api/buildings': { as: [...WORKERS], body: (s) => ({ communityCode: s.areas.community, name: `楼${next()}` }) },
  'GET /api/buildings': { as: [...WORKERS], query: (s) => ({ communityCode: s.areas.community }) },
  'POST /api/households': {
    as: [...WORKERS],
    body: (s) => ({ buildingId: hh(s).buildingId, unit: '2', room: `R${next()}`, occupancy: 'empty', tenantNote: '', residentSince: '2019-03-01' }),
  },
  'PATCH /api/households/{id}': {
    as: [...WORKERS], params: (s) => ({ id: hh(s).householdId }), body: () => ({ occupancy: 'rented', tenantNote: '出租给务工人员' }),
  },
  'GET /api/households': { as: [...WORKERS], query: (s) => ({ communityCode: s.areas.community, buildingId: hh(s).buildingId }) },
  'POST /api/households/{id}/members': {
    as: [...WORKERS], params: (s) => ({ id: hh(s).householdId }), body: (s) => ({ personId: hh(s).memberPersonId, since: '2020-01-01' }),
  },
  'DELETE /api/households/{id}/members/{personId}': {
    as: 'community_worker', params: (s) => ({ id: hh(s).householdId, personId: hh(s).removablePersonId }),
  },
  'POST /api/screening/campaigns': { as: [...WORKERS], body: (s) => ({ communityCode: s.areas.community, name: `排查${next()}`, startedOn: chinaDate() }) },
  'GET /api/screening/campaigns': {
    as: [...WORKERS], query: (s) => ({ communityCode: s.areas.community }),
    exempt: { audit: 'campaign names and household counts: no person data (the campaign page with its households is audited)' },
  },
  'GET /api/screening/campaigns/{id}': { as: [...WORKERS], params: (s) => ({ id: hh(s).campaignId }) },
  'POST /api/screening/campaigns/{id}/visits': {
    as: [...WORKERS], params: (s) => ({ id: hh(s).campaignId }),
    body: (s) => ({ householdId: hh(s).householdId, outcome: 'no_answer', note: '敲门无人应答' }),
  },
  'POST /api/screening/campaigns/{id}/close': { as: 'community_worker', params: (s) => ({ id: hh(s).spareCampaignId }) },
  'GET /api/screening/campaigns/{id}/export': { as: [...WORKERS], params: (s) => ({ id: hh(s).campaignId }) },
};
