/**
 * Route-table entries of the key-person routes (issue 5 §2–§4); merged into ROUTES by
 * test/api/route-table.ts. Data: test/helpers/factories/keypersons-world.ts (`side.keypersons`).
 * Repeated calls: the doctor's visit rotates slot and date (six distinct reports, then 409
 * already_reported); the task state route moves the world's task on (then 409).
 */
import type { RouteCase } from '../route-table';
import type { Side } from '../../helpers/factories/world';
import type { WorldKeyPersons } from '../../helpers/factories/keypersons-world';
import { addDays, chinaDate } from '../../../src/lib/time';

const kp = (s: Side) => (s as Side & { keypersons: WorldKeyPersons }).keypersons;
let visits = 0;
let selfReports = 0;
let taskMoves = 0;

export const KEYPERSONS_ROUTES: Record<string, RouteCase> = {
  'GET /api/key-persons': { as: ['community_worker', 'district_command', 'police'], query: (s) => ({ areaCode: s.areas.community }) },
  'GET /api/key-persons/{id}': { as: ['community_worker', 'police'], params: (s) => ({ id: kp(s).keyPersonId }) },
  'GET /api/key-persons/{id}/team-candidates': {
    as: 'community_worker', params: (s) => ({ id: kp(s).keyPersonId }),
    exempt: { audit: 'staff names and roles: no person data (the key person\'s page is audited)' },
  },
  'POST /api/key-persons': {
    as: 'community_worker',
    body: (s) => ({ personId: kp(s).persons[1]!.id, category: 'fever', measure: 'health_monitoring', startOn: addDays(chinaDate(), -1) }),
  },
  'PUT /api/key-persons/{id}/team': {
    as: 'community_worker', params: (s) => ({ id: kp(s).keyPersonId }),
    body: (s) => ({ street_cadre: s.staff.street_office.id, community_worker: s.staff.community_worker.id, doctor: s.staff.community_doctor.id,
      police: s.staff.police.id, counsellor: s.staff.counsellor.id }),
  },
  'POST /api/key-persons/{id}/close': { as: 'community_worker', params: (s) => ({ id: kp(s).spareKeyPersonId }), body: () => ({ reason: '健康监测期满' }) },
  'POST /api/key-persons/{id}/observations': {
    as: 'community_doctor', params: (s) => ({ id: kp(s).keyPersonId }),
    body: () => {
      const n = visits++;
      return { slot: n % 2 ? 'pm' : 'am', temperature: 36.6, symptoms: [], reportOn: addDays(chinaDate(), -(Math.floor(n / 2) % 3)) };
    },
  },
  'GET /api/tasks/mine': {
    as: ['community_worker', 'police', 'counsellor'],
    exempt: { scope: 'the caller\'s own tasks only: no area or id parameter to reach another side' },
  },
  'POST /api/tasks': {
    as: 'community_worker', body: (s) => ({ keyPersonId: kp(s).keyPersonId, kind: 'living_service', title: '代购蔬菜', note: '老人独居' }),
  },
  'POST /api/tasks/{id}/state': {
    as: 'community_worker', params: (s) => ({ id: kp(s).taskId }),
    body: () => (taskMoves++ % 2 ? { state: 'done', outcome: '已上门，情况正常' } : { state: 'in_progress' }),
  },
  'GET /api/r/observations': {
    as: 'resident',
    exempt: { scope: 'resident route: identified by the device cookie, never by area (the other side\'s phone is the outsider)',
      audit: 'a resident\'s own persons on their own phone: not a read of someone else\'s record' },
  },
  'POST /api/r/observations': {
    as: 'resident',
    body: (s) => ({ personId: s.resident.personId, slot: selfReports++ % 2 ? 'pm' : 'am', temperature: 36.5, symptoms: [] }),
    exempt: { scope: 'resident route: identified by the device cookie, never by area (the other side\'s phone is the outsider)' },
  },
};
