/**
 * Route-table entries of the case routes (issue 4 §1); merged into ROUTES by test/api/route-table.ts.
 * Writes use the world's spare records (test/helpers/factories/outbreak.ts): the suspected
 * `spareCaseId` is confirmed and corrected; the registration is for the close contact
 * (`epi.persons[2]`), who becomes a suspected case (realistic, and no other route depends on their
 * status staying 'normal').
 */
import type { RouteCase } from '../route-table';
import { chinaDate } from '../../../src/lib/time';

const today = () => chinaDate();

export const CASES_ROUTES: Record<string, RouteCase> = {
  'POST /api/cases': {
    as: ['district_command', 'city_command'],
    body: (s) => ({ personId: s.epi.persons[2]!.id, status: 'suspected', effectiveOn: today(), hospitalised: true,
      hospital: '焦作市第五人民医院', classification: 'local', infectorCaseId: s.epi.caseId, cluster: '家庭聚集', reason: '密接出现发热，转为疑似病例' }),
  },
  'GET /api/cases': { as: ['district_command', 'chief_doctor', 'street_office'], query: (s) => ({ areaCode: s.areas.street, status: 'confirmed' }) },
  'GET /api/cases/graph': { as: 'district_command', query: (s) => ({ areaCode: s.areas.district }) },
  'GET /api/cases/{id}': { as: ['district_command', 'chief_doctor'], params: (s) => ({ id: s.epi.caseId }) },
  'POST /api/cases/{id}/status': {
    as: 'district_command', params: (s) => ({ id: s.epi.spareCaseId }),
    body: () => ({ status: 'confirmed', effectiveOn: today(), reason: '核酸检测阳性，确诊', hospitalised: true }),
  },
  'PATCH /api/cases/{id}': {
    as: 'district_command', params: (s) => ({ id: s.epi.spareCaseId }),
    body: (s) => ({ infectorCaseId: s.epi.caseId, cluster: '山阳家庭聚集', reason: '流调核实为同住家属传染' }),
  },
};
