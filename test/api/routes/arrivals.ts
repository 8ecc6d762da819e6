/**
 * Route-table entries of the community reporting routes (issue 5 §1); merged into ROUTES by
 * test/api/route-table.ts. Records come from test/helpers/factories/arrivals-world.ts (`s.arrivals`).
 * The resident's own report names an origin no rule matches (measure none: the world's resident keeps
 * checking in); the staff report is for the world's arrival person. Rule changes act on the side's
 * district (areaCode), so an outsider's call answers 404 and writes nothing. The retire runs on the
 * spare rule (a second retire answers 409).
 */
import type { RouteCase } from '../route-table';
import type { Side } from '../../helpers/factories/world';
import type { WorldArrivals } from '../../helpers/factories/arrivals-world';
import { addDays, chinaDate } from '../../../src/lib/time';

const today = () => chinaDate();
// repeated calls differ (an identical arrival or active rule is refused 409 arrival_exists / rule_exists)
let n = 0;
const next = () => (n += 1);
const arr = (s: Side) => (s as Side & { arrivals: WorldArrivals }).arrivals;
const change = (s: Side) => ({
  areaCode: s.areas.district, noticeOn: addDays(today(), -7),
  add: { originPrefix: '420102', originLabel: '武汉江岸', measure: 'centralized_isolation', days: 14, priority: 5 + next(), note: '通告：江岸区来人集中隔离' },
});

export const ARRIVALS_ROUTES: Record<string, RouteCase> = {
  'POST /api/r/arrivals': {
    as: 'resident',
    body: (s) => ({ personId: s.resident.personId, communityCode: s.areas.community, originText: `海外${next()}`, circumstance: 'work',
      arrivalOn: addDays(today(), -1), transport: '自驾' }),
    exempt: {
      audit: 'a resident reports their own arrival from their own phone: no read of someone else\'s record',
      scope: 'resident route: identified by the device cookie, never by area (the other side\'s phone is the outsider)',
    },
  },
  'POST /api/arrivals': {
    as: ['community_worker', 'info_officer'],
    body: (s) => ({ personId: arr(s).persons[0]!.id, communityCode: s.areas.community, originText: `北京朝阳${next()}`, circumstance: 'home',
      arrivalOn: addDays(today(), -1), route: '北京西—焦作' }),
  },
  'GET /api/arrivals': { as: ['community_worker', 'district_command', 'info_officer'], query: (s) => ({ areaCode: s.areas.community }) },
  'GET /api/arrivals/{id}': { as: ['community_worker', 'district_command'], params: (s) => ({ id: arr(s).reportId }) },
  'GET /api/arrival-rules': {
    as: ['community_worker', 'district_command'], query: () => ({ all: 'true' }),
    exempt: { audit: 'the rule table: origins, measures and days, no person data' },
  },
  'POST /api/arrival-rules': {
    as: 'city_command',
    body: (s) => ({ areaCode: s.areas.district, originPrefix: '4401', originLabel: '广东广州', measure: 'health_monitoring', days: 14, priority: next() }),
  },
  'POST /api/arrival-rules/{id}/retire': { as: 'city_command', params: (s) => ({ id: arr(s).spareRuleId }) },
  'POST /api/arrival-rules/preview': { as: 'city_command', body: (s) => change(s) },
  'POST /api/arrival-rules/apply': { as: 'city_command', body: (s) => ({ ...change(s), reason: '市指挥部通告，江岸区来人集中隔离' }) },
};
