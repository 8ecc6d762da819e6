/**
 * Binding door sensors to isolated households (issue 5 §5): bind, unbind on release, agreed
 * windows, the door timeline. Scoped by the household's community (outside → 404); every write and
 * every read of a timeline is audited.
 */
import type { Kysely, Transaction } from 'kysely';
import type { AppContext } from '../../context';
import type { DB } from '../../db/schema';
import { badRequest, conflict, notFound } from '../../lib/errors';
import { chinaDateTime } from '../../lib/time';
import { audit } from '../audit/audit';
import { staffActor, type StaffUser } from '../staff/auth';
import { forgetDevice } from './ingest';
import { windowsProblem, type DoorWindow } from './rules';

type Db = Kysely<DB> | Transaction<DB>;

export interface SensorView {
  id: string; device: string; householdId: string; keyPersonId: string | null; communityCode: string;
  windows: DoorWindow[]; boundAt: string; unboundAt: string | null; lastSeenAt: string | null;
  battery: number | null; contact: boolean | null;
}

export interface DoorEventView { id: string; at: string; atChina: string; contact: boolean | null; battery: number | null; linkquality: number | null; alert: string | null }

const checkWindows = (windows: DoorWindow[]) => {
  if (windowsProblem(windows)) {
    throw badRequest('window_empty', '约定时段的开始和结束不能相同', 'An agreed window must not start and end at the same time');
  }
};

type SensorQuery = ReturnType<typeof sensorQuery>;
const sensorQuery = (db: Db) => db.selectFrom('door_sensors as s').innerJoin('households as h', 'h.id', 's.household_id')
  .selectAll('s').select('h.community_code');
const sensorView = (s: Awaited<ReturnType<SensorQuery['executeTakeFirstOrThrow']>>): SensorView => ({
  id: s.id, device: s.device, householdId: s.household_id, keyPersonId: s.key_person_id, communityCode: s.community_code,
  windows: s.windows, boundAt: s.bound_at.toISOString(), unboundAt: s.unbound_at?.toISOString() ?? null,
  lastSeenAt: s.last_seen_at?.toISOString() ?? null, battery: s.battery, contact: s.contact,
});

/** Sensors chosen by `where` (on alias s = door_sensors, h = households): bound ones first, newest first. */
export async function sensorViews(db: Db, where: (q: SensorQuery) => SensorQuery): Promise<SensorView[]> {
  const rows = await where(sensorQuery(db)).orderBy((eb) => eb('s.unbound_at', 'is', null), 'desc').orderBy('s.bound_at', 'desc').orderBy('s.id').limit(100).execute();
  return rows.map(sensorView);
}

async function sensorRow(ctx: AppContext, staff: StaffUser, id: string): Promise<SensorView> {
  const s = await sensorQuery(ctx.db).where('s.id', '=', id).executeTakeFirst();
  if (!s || !s.community_code.startsWith(staff.areaCode)) throw notFound();
  return sensorView(s);
}

/**
 * The sensors of household `householdId` in the caller's area (bound first). Not audited: device
 * state only, no person data. @throws 404 household outside the area.
 */
export async function householdSensors(ctx: AppContext, staff: StaffUser, householdId: string): Promise<SensorView[]> {
  const hh = await ctx.db.selectFrom('households').select(['community_code']).where('id', '=', householdId).executeTakeFirst();
  if (!hh || !hh.community_code.startsWith(staff.areaCode)) throw notFound('未找到该住户', 'Household not found');
  return sensorViews(ctx.db, (q) => q.where('s.household_id', '=', householdId));
}

/** The person of an open key person, for the audit row. */
async function personOfKeyPerson(ctx: AppContext, keyPersonId: string | null) {
  if (!keyPersonId) return null;
  return (await ctx.db.selectFrom('key_persons').select('person_id').where('id', '=', keyPersonId).executeTakeFirst())?.person_id ?? null;
}

/**
 * Bind `device` to a household of the caller's area.
 * @throws 404 household (or key person) outside the area; 400 key person of another household or
 * closed, empty window; 409 `sensor_bound` when the device is bound to a household already.
 */
export async function bindSensor(ctx: AppContext, staff: StaffUser, b: { device: string; householdId: string; keyPersonId?: string; windows: DoorWindow[] }) {
  checkWindows(b.windows);
  const hh = await ctx.db.selectFrom('households').select(['id', 'community_code']).where('id', '=', b.householdId).executeTakeFirst();
  if (!hh || !hh.community_code.startsWith(staff.areaCode)) throw notFound('未找到该住户', 'Household not found');
  if (b.keyPersonId) {
    const kp = await ctx.db.selectFrom('key_persons').select(['household_id', 'community_code', 'closed_on']).where('id', '=', b.keyPersonId).executeTakeFirst();
    if (!kp || !kp.community_code.startsWith(staff.areaCode)) throw notFound('未找到该重点人员', 'Key person not found');
    if (kp.closed_on) throw badRequest('key_person_closed', '该重点人员已解除管控', 'This key person is closed');
    if (kp.household_id !== null && kp.household_id !== b.householdId) {
      throw badRequest('key_person_household', '该重点人员不属于此住户', 'This key person belongs to another household');
    }
  }
  const personId = await personOfKeyPerson(ctx, b.keyPersonId ?? null);
  const id = await ctx.db.transaction().execute(async (trx) => {
    const bound = await trx.selectFrom('door_sensors').select('id').where('device', '=', b.device).where('unbound_at', 'is', null).executeTakeFirst();
    if (bound) throw conflict('sensor_bound', '该门磁已绑定到其他住户，请先解绑', 'This sensor is bound to a household already: unbind it first');
    const row = await trx.insertInto('door_sensors').values({
      device: b.device, household_id: b.householdId, key_person_id: b.keyPersonId ?? null, windows: JSON.stringify(b.windows), bound_by: staff.id,
    }).onConflict((oc) => oc.column('device').where('unbound_at', 'is', null).doNothing()).returning('id').executeTakeFirst();
    if (!row) throw conflict('sensor_bound', '该门磁已绑定到其他住户，请先解绑', 'This sensor is bound to a household already: unbind it first');
    await audit(trx, staffActor(staff), {
      action: 'sensor.bind', areaCode: hh.community_code, personId,
      detail: { sensorId: row.id, device: b.device, householdId: b.householdId, windows: b.windows },
    });
    return row.id;
  });
  forgetDevice(b.device); // it may have been publishing before it was bound
  return sensorRow(ctx, staff, id);
}

/** Unbind (on release). Unbinding an unbound sensor changes nothing and answers the sensor. */
export async function unbindSensor(ctx: AppContext, staff: StaffUser, id: string, now = new Date()) {
  const s = await sensorRow(ctx, staff, id);
  const personId = await personOfKeyPerson(ctx, s.keyPersonId);
  await ctx.db.transaction().execute(async (trx) => {
    const n = await trx.updateTable('door_sensors').set({ unbound_at: now }).where('id', '=', id).where('unbound_at', 'is', null).executeTakeFirst();
    await audit(trx, staffActor(staff), {
      action: 'sensor.unbind', areaCode: s.communityCode, personId,
      detail: { sensorId: id, device: s.device, already: Number(n.numUpdatedRows) === 0 },
    });
  });
  return sensorRow(ctx, staff, id);
}

/** Replace the agreed windows. @throws 409 `sensor_unbound` after unbinding. */
export async function setWindows(ctx: AppContext, staff: StaffUser, id: string, windows: DoorWindow[]) {
  checkWindows(windows);
  const s = await sensorRow(ctx, staff, id);
  if (s.unboundAt) throw conflict('sensor_unbound', '该门磁已解绑', 'This sensor is unbound');
  const personId = await personOfKeyPerson(ctx, s.keyPersonId);
  await ctx.db.transaction().execute(async (trx) => {
    await trx.updateTable('door_sensors').set({ windows: JSON.stringify(windows) }).where('id', '=', id).execute();
    await audit(trx, staffActor(staff), {
      action: 'sensor.windows', areaCode: s.communityCode, personId,
      detail: { sensorId: id, before: s.windows, after: windows },
    });
  });
  return sensorRow(ctx, staff, id);
}

/** The door timeline of a sensor, newest first (audited: a read of the household's record). */
export async function sensorEvents(ctx: AppContext, staff: StaffUser, id: string, limit = 200) {
  const sensor = await sensorRow(ctx, staff, id);
  const rows = await ctx.db.selectFrom('door_events').selectAll().where('sensor_id', '=', id)
    .orderBy('at', 'desc').orderBy('id', 'desc').limit(limit).execute();
  await audit(ctx.db, staffActor(staff), {
    action: 'door_events.read', areaCode: sensor.communityCode, personId: await personOfKeyPerson(ctx, sensor.keyPersonId),
    detail: { sensorId: id, householdId: sensor.householdId, count: rows.length },
  });
  const events: DoorEventView[] = rows.map((r) => ({
    id: String(r.id), at: r.at.toISOString(), atChina: chinaDateTime(r.at), contact: r.contact, battery: r.battery,
    linkquality: r.linkquality, alert: r.alert,
  }));
  return { sensor, events };
}
