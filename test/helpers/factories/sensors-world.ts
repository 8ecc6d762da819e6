/**
 * Door sensors of the test world (issue 5 §5), per side: a household in the side's community with
 * two bound sensors: `sensorId` (windows changed and timeline read by the route tests, one stored
 * event) and `spareSensorId` (unbound by the route tests). Kept in SENSORS_WORLD by side key.
 * Called from buildWorld: `await buildSensorsWorld(t, side)` for each side once it is built.
 */
import type { TestApp } from '../app';
import type { Side, SideKey } from './world';

export interface SensorsWorld { householdId: string; sensorId: string; spareSensorId: string }

export const SENSORS_WORLD = {} as Record<SideKey, SensorsWorld>;

export async function buildSensorsWorld(t: TestApp, side: Side): Promise<SensorsWorld> {
  const db = t.ctx.db;
  const hh = await db.insertInto('households').values({ community_code: side.areas.community, room: `门磁${side.key}` })
    .returning('id').executeTakeFirstOrThrow();
  const bind = async (device: string) => (await db.insertInto('door_sensors').values({
    device, household_id: hh.id, windows: JSON.stringify([{ from: '08:00', to: '08:30', note: '送菜' }]), bound_by: side.staff.community_worker.id,
  }).returning('id').executeTakeFirstOrThrow()).id;
  const sensorId = await bind(`world-${side.key}-${process.pid}-a`);
  const spareSensorId = await bind(`world-${side.key}-${process.pid}-b`);
  await db.insertInto('door_events').values({ sensor_id: sensorId, at: new Date(), contact: false, battery: 80, linkquality: 100, alert: 'door_open' }).execute();
  SENSORS_WORLD[side.key] = { householdId: hh.id, sensorId, spareSensorId };
  return SENSORS_WORLD[side.key];
}
