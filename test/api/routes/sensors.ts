/**
 * Route-table entries of the door-sensor routes (issue 5 §5); merged into ROUTES by
 * test/api/route-table.ts. Data from test/helpers/factories/sensors-world.ts (SENSORS_WORLD by
 * side). Each bind uses a fresh device (a bound device answers 409); unbind runs on the spare sensor
 * and answers 200 again when already unbound; windows and the timeline use the other sensor.
 */
import { randomInt } from 'node:crypto';
import type { RouteCase } from '../route-table';
import { SENSORS_WORLD } from '../../helpers/factories/sensors-world';

let n = 0;
const device = () => `api-${process.pid}-${(n += 1)}-${randomInt(1_000_000)}`;
const AS = ['community_worker', 'info_officer'] as RouteCase['as'];

export const SENSORS_ROUTES: Record<string, RouteCase> = {
  'GET /api/sensors': {
    as: AS, query: (s) => ({ householdId: SENSORS_WORLD[s.key].householdId }),
    exempt: { audit: 'device state (battery, last seen, windows): no person data; the timeline read is audited' },
  },
  'POST /api/sensors': {
    as: AS, body: (s) => ({ device: device(), householdId: SENSORS_WORLD[s.key].householdId, windows: [{ from: '22:00', to: '06:00', note: '夜间' }] }),
  },
  'POST /api/sensors/{id}/unbind': { as: AS, params: (s) => ({ id: SENSORS_WORLD[s.key].spareSensorId }) },
  'PUT /api/sensors/{id}/windows': {
    as: AS, params: (s) => ({ id: SENSORS_WORLD[s.key].sensorId }), body: () => ({ windows: [{ from: '07:00', to: '07:30', note: '取快递' }] }),
  },
  'GET /api/sensors/{id}/events': { as: AS, params: (s) => ({ id: SENSORS_WORLD[s.key].sensorId }), query: () => ({ limit: '50' }) },
};
