/**
 * Door sensors over MQTT (issue 5 §5), over the embedded broker (aedes) and a real Mosquitto started
 * here on a loopback free port: {"contact":false} at 03:00 China time for an isolated household →
 * one task for each of the five team members within 5 s; inside an agreed window → none; malformed
 * JSON, an unknown device, a sensor unbound after release → ignored, nothing stored, the subscriber
 * alive; low battery once until it rises; the heartbeat job once per silence; the routes (bind, 409
 * bound elsewhere, scope, windows, timeline audited, unbind). "Now" is injected into the ingest.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app';
import { buildPerson } from '../../../test/helpers/factories/persons';
import { buildStaff, signInAs } from '../../../test/helpers/factories/staff';
import { freePort } from '../../../test/helpers/server-process';
import { hasCommand, requireSystem } from '../../../test/helpers/system';
import { JOBS } from '../system/jobs';
import { checkSilentSensors, ingestMessage } from './ingest';
import { HEARTBEAT_JOB, startEmbeddedBroker, startSensorSubscriber, type SensorSubscriber } from './mqtt';

const COMMUNITY = '410811001001';
const MOSQUITTO = '/usr/sbin/mosquitto';
const TEAM_ROLES = ['street_cadre', 'community_worker', 'doctor', 'police', 'counsellor'] as const;
const at = (china: string) => new Date(`${china}+08:00`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor<T>(f: () => Promise<T>, ok: (v: T) => boolean, ms = 5000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (ok(v) || Date.now() > end) return v;
    await sleep(25);
  }
}

async function startMosquitto(): Promise<{ url: string; stop(): Promise<void> }> {
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yiqu-mosquitto-'));
  const conf = path.join(dir, 'mosquitto.conf');
  fs.writeFileSync(conf, `listener ${port} 127.0.0.1\nallow_anonymous true\npersistence false\nuser root\n`);
  const child: ChildProcess = spawn(MOSQUITTO, ['-c', conf], { stdio: 'ignore' });
  const exited = new Promise((r) => child.once('exit', r));
  const end = Date.now() + 10_000;
  for (;;) {
    const up = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => { s.destroy(); resolve(true); });
      s.on('error', () => resolve(false));
    });
    if (up) break;
    if (Date.now() > end || child.exitCode !== null) throw new Error('mosquitto did not start');
    await sleep(50);
  }
  return {
    url: `mqtt://127.0.0.1:${port}`,
    async stop() {
      child.kill('SIGTERM');
      await exited;
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

const BROKERS: Array<{ name: string; present: boolean; start: () => Promise<{ url: string; stop(): Promise<void> }> }> = [
  { name: 'embedded aedes', present: true, start: async () => { const b = await startEmbeddedBroker('127.0.0.1', 0); return { url: b.url, stop: () => b.close() }; } },
  { name: 'Mosquitto', present: requireSystem('mosquitto', hasCommand(MOSQUITTO)), start: startMosquitto },
];

describe('door sensors', () => {
  let t: TestApp;
  let worker: string;
  let outsider: string;
  let team: string[];
  let n = 0;

  beforeAll(async () => {
    t = await createTestApp({ SENSOR_BATTERY_LOW_PCT: '20', SENSOR_HEARTBEAT_MIN: '60' });
    worker = await signInAs(t, await buildStaff(t.ctx, { role: 'community_worker', areaCode: COMMUNITY }));
    outsider = await signInAs(t, await buildStaff(t.ctx, { role: 'community_worker', areaCode: '410802001001' }));
    team = [];
    for (const role of ['street_office', 'community_worker', 'community_doctor', 'police', 'counsellor'] as const) {
      team.push((await buildStaff(t.ctx, { role, areaCode: role === 'police' || role === 'counsellor' || role === 'street_office' ? '410811001' : COMMUNITY })).id);
    }
  });
  afterAll(async () => { await t?.close(); });

  const req = (cookie: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) =>
    t.app.inject({ method, url, headers: { cookie }, ...(payload ? { payload } : {}) });

  /** An isolated household with a key person in home isolation and a five-member team. */
  async function isolatedHousehold() {
    n += 1;
    const p = await buildPerson(t.ctx, { name: `门磁户${n}`, homeCommunityCode: COMMUNITY });
    const hh = await t.ctx.db.insertInto('households').values({ community_code: COMMUNITY, room: `${n}0${n}` }).returning('id').executeTakeFirstOrThrow();
    await t.ctx.db.insertInto('household_members').values({ household_id: hh.id, person_id: p.id }).execute();
    const kp = await t.ctx.db.insertInto('key_persons').values({
      person_id: p.id, community_code: COMMUNITY, category: 'home_isolation', measure: 'home_isolation', start_on: '2020-02-01',
      end_on: '2020-02-14', source_kind: 'manual', source_id: null, household_id: hh.id,
    }).returning('id').executeTakeFirstOrThrow();
    await t.ctx.db.insertInto('care_team_members').values(TEAM_ROLES.map((team_role, i) => ({ key_person_id: kp.id, team_role, staff_id: team[i]! }))).execute();
    return { householdId: hh.id, keyPersonId: kp.id, personId: p.id };
  }

  const tasksOf = (keyPersonId: string, kind: string) => t.ctx.db.selectFrom('care_tasks').select(['assignee_id', 'cause_key', 'title'])
    .where('key_person_id', '=', keyPersonId).where('kind', '=', kind as never).execute();
  const eventsOf = (sensorId: string) => t.ctx.db.selectFrom('door_events').selectAll().where('sensor_id', '=', sensorId).orderBy('id').execute();

  for (const broker of BROKERS) {
    describe.skipIf(!broker.present)(`over ${broker.name}`, () => {
      let b: { url: string; stop(): Promise<void> };
      let sub: SensorSubscriber;
      let pub: mqtt.MqttClient;
      let now = at('2020-02-11T03:00:00');

      beforeAll(async () => {
        b = await broker.start();
        sub = startSensorSubscriber(t.ctx, b.url, () => now);
        await sub.ready;
        pub = await mqtt.connectAsync(b.url, { reconnectPeriod: 0 });
      });
      afterAll(async () => {
        await pub?.endAsync();
        await sub?.stop();
        await b?.stop();
      });

      const publish = (device: string, payload: string) => pub.publishAsync(`zigbee2mqtt/${device}`, payload, { qos: 1 });

      it('door open at 03:00 → five tasks within 5 s; inside a window → none; battery low once', async () => {
        const h = await isolatedHousehold();
        const device = `0x00158d000${process.pid}${n}`;
        const bind = await req(worker, 'POST', '/api/sensors', { device, householdId: h.householdId, keyPersonId: h.keyPersonId, windows: [{ from: '08:00', to: '08:30', note: '送菜' }, { from: '23:30', to: '00:30' }] });
        expect(bind.statusCode, bind.body).toBe(201);
        const sensorId = bind.json().sensor.id as string;

        now = at('2020-02-11T03:00:00');
        const sent = Date.now();
        await publish(device, '{"contact":false}');
        const tasks = await waitFor(() => tasksOf(h.keyPersonId, 'door_open'), (r) => r.length >= 5);
        expect(Date.now() - sent).toBeLessThan(5000);
        expect(tasks.map((x) => x.assignee_id).sort()).toEqual([...team].sort());
        expect(new Set(tasks.map((x) => x.cause_key)).size).toBe(1);
        expect(tasks[0]!.cause_key).toMatch(/^door:\d+$/);
        const ev1 = await eventsOf(sensorId);
        expect(ev1).toHaveLength(1);
        expect(ev1[0]).toMatchObject({ contact: false, alert: 'door_open' });
        expect(ev1[0]!.at.toISOString()).toBe('2020-02-10T19:00:00.000Z');

        // inside the agreed windows (08:10, and 00:10 in the window across midnight): stored, no task
        for (const time of ['2020-02-11T08:10:00', '2020-02-12T00:10:00']) {
          now = at(time);
          await publish(device, '{"contact":false,"battery":90,"linkquality":120}');
        }
        await waitFor(() => eventsOf(sensorId), (r) => r.length >= 3);
        await sub.idle();
        expect((await eventsOf(sensorId)).map((e) => e.alert)).toEqual(['door_open', null, null]);
        expect(await tasksOf(h.keyPersonId, 'door_open')).toHaveLength(5);

        // battery low: once (15 then 12), rises (60), low again (10) → 2 × 5 tasks
        now = at('2020-02-11T12:00:00');
        for (const battery of [15, 12, 60, 10]) await publish(device, JSON.stringify({ contact: true, battery, linkquality: 100 }));
        await waitFor(() => eventsOf(sensorId), (r) => r.length >= 7);
        await sub.idle();
        expect((await eventsOf(sensorId)).slice(3).map((e) => [e.battery, e.alert])).toEqual([[15, 'battery_low'], [12, null], [60, null], [10, 'battery_low']]);
        expect(await tasksOf(h.keyPersonId, 'battery_low')).toHaveLength(10);
        const s = await t.ctx.db.selectFrom('door_sensors').selectAll().where('id', '=', sensorId).executeTakeFirstOrThrow();
        expect(s).toMatchObject({ battery: 10, contact: true });
        expect(s.last_seen_at!.toISOString()).toBe(now.toISOString());
      });

      it('malformed JSON, an unknown device and an unbound sensor are ignored; the subscriber goes on', async () => {
        const h = await isolatedHousehold();
        const device = `door-${process.pid}-${n}`;
        const bind = await req(worker, 'POST', '/api/sensors', { device, householdId: h.householdId, windows: [] });
        const sensorId = bind.json().sensor.id as string;
        const released = await isolatedHousehold();
        const gone = `gone-${process.pid}-${n}`;
        const goneBind = await req(worker, 'POST', '/api/sensors', { device: gone, householdId: released.householdId, windows: [] });
        const goneId = goneBind.json().sensor.id as string;
        expect((await req(worker, 'POST', `/api/sensors/${goneId}/unbind`)).statusCode).toBe(200);
        const before = await t.ctx.db.selectFrom('door_events').select((e) => e.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();

        now = at('2020-02-11T03:00:00');
        await publish(device, '{"contact":fals');
        await publish(device, '\u0000\u00ff garbage');
        await publish(device, '[{"contact":false}]');
        await publish(device, '{"contact":"open"}');
        await publish(`unknown-${process.pid}`, '{"contact":false}');
        await publish(gone, '{"contact":false}');
        await pub.publishAsync('zigbee2mqtt/bridge/state', '{"state":"online"}', { qos: 1 });
        // a valid message after them: the subscriber is alive and only this one is stored
        await publish(device, '{"contact":true,"battery":80}');
        await waitFor(() => eventsOf(sensorId), (r) => r.length >= 1);
        await sub.idle();
        const after = await t.ctx.db.selectFrom('door_events').select((e) => e.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
        expect(Number(after.n) - Number(before.n)).toBe(1);
        expect(await eventsOf(goneId)).toHaveLength(0);
        expect(await tasksOf(released.keyPersonId, 'door_open')).toHaveLength(0);
        expect(await tasksOf(h.keyPersonId, 'door_open')).toHaveLength(0);
        expect(sub.client.connected).toBe(true);
      });

      it('a retained message replayed on (re)subscribing is not a door opening now', async () => {
        const h = await isolatedHousehold();
        const device = `retain-${process.pid}-${n}`;
        const sensorId = (await req(worker, 'POST', '/api/sensors', { device, householdId: h.householdId, keyPersonId: h.keyPersonId, windows: [] })).json().sensor.id as string;
        now = at('2020-02-11T03:00:00');
        await pub.publishAsync(`zigbee2mqtt/${device}`, '{"contact":false}', { qos: 1, retain: true });
        await waitFor(() => eventsOf(sensorId), (r) => r.length >= 1); // delivered live: stored once
        await sub.idle();
        const second = startSensorSubscriber(t.ctx, b.url, () => at('2020-02-11T09:00:00')); // e.g. the server restarting
        try {
          await second.ready;
          await sleep(300);
          await second.idle();
        } finally {
          await second.stop();
          await pub.publishAsync(`zigbee2mqtt/${device}`, '', { qos: 1, retain: true }); // clear the retained message
        }
        expect((await eventsOf(sensorId)).map((e) => e.at.toISOString())).toEqual([at('2020-02-11T03:00:00').toISOString()]);
        expect(await tasksOf(h.keyPersonId, 'door_open')).toHaveLength(5);
      });
    });
  }

  it('a stray device is ignored without touching the database until it is bound', async () => {
    const device = `stray-${process.pid}`;
    const topic = `zigbee2mqtt/${device}`;
    const first = await ingestMessage(t.ctx, topic, '{"contact":false}', at('2020-02-11T03:00:00'));
    expect(first).toMatchObject({ outcome: 'ignored', reason: 'unknown_device' });
    // the next messages of the flood: answered from memory, no transaction opened
    const noDb = { ...t.ctx, db: new Proxy(t.ctx.db, { get: (o, k) => { if (k === 'transaction' || k === 'selectFrom') throw new Error('database used'); return Reflect.get(o, k); } }) };
    for (let i = 0; i < 50; i++) expect(await ingestMessage(noDb, topic, '{"contact":false}', at('2020-02-11T03:00:01'))).toMatchObject({ reason: 'unknown_device' });
    // bound now: its next message is read at once
    const h = await isolatedHousehold();
    const bind = await req(worker, 'POST', '/api/sensors', { device, householdId: h.householdId, keyPersonId: h.keyPersonId, windows: [] });
    expect(bind.statusCode).toBe(201);
    expect(await ingestMessage(t.ctx, topic, '{"contact":true}', at('2020-02-11T03:00:02'))).toMatchObject({ outcome: 'stored' });
  });

  it('the heartbeat job alerts the team once per silence', async () => {
    expect(JOBS).toContain(HEARTBEAT_JOB);
    const h = await isolatedHousehold();
    const bind = await req(worker, 'POST', '/api/sensors', { device: `hb-${process.pid}`, householdId: h.householdId, keyPersonId: h.keyPersonId, windows: [] });
    const sensorId = bind.json().sensor.id as string;
    const seen = at('2020-02-11T10:00:00');
    await t.ctx.db.updateTable('door_sensors').set({ last_seen_at: seen }).where('id', '=', sensorId).execute();
    expect(await checkSilentSensors(t.ctx, at('2020-02-11T11:00:00'))).not.toContain(sensorId);
    expect(await tasksOf(h.keyPersonId, 'sensor_silent')).toHaveLength(0);
    expect(await checkSilentSensors(t.ctx, at('2020-02-11T11:00:01'))).toContain(sensorId);
    expect(await checkSilentSensors(t.ctx, at('2020-02-11T11:30:00'))).toContain(sensorId);
    const tasks = await tasksOf(h.keyPersonId, 'sensor_silent');
    expect(tasks).toHaveLength(5);
    expect(tasks[0]!.cause_key).toBe(`silent:${sensorId}:${seen.toISOString()}`);
    // heard again, then silent again → a new alert
    await t.ctx.db.updateTable('door_sensors').set({ last_seen_at: at('2020-02-11T12:00:00') }).where('id', '=', sensorId).execute();
    await checkSilentSensors(t.ctx, at('2020-02-11T13:30:00'));
    expect(await tasksOf(h.keyPersonId, 'sensor_silent')).toHaveLength(10);
    // unbound sensors are never silent
    await req(worker, 'POST', `/api/sensors/${sensorId}/unbind`);
    expect(await checkSilentSensors(t.ctx, at('2020-02-12T13:30:00'))).not.toContain(sensorId);
  });

  it('routes: bound elsewhere 409, scope 404, windows, timeline audited, unbind', async () => {
    const h = await isolatedHousehold();
    const other = await isolatedHousehold();
    const device = `route-${process.pid}`;
    const a = await req(worker, 'POST', '/api/sensors', { device, householdId: h.householdId, windows: [{ from: '22:00', to: '06:00' }] });
    expect(a.statusCode, a.body).toBe(201);
    const id = a.json().sensor.id as string;
    expect(a.json().sensor).toMatchObject({ device, householdId: h.householdId, communityCode: COMMUNITY, unboundAt: null, windows: [{ from: '22:00', to: '06:00' }] });
    const again = await req(worker, 'POST', '/api/sensors', { device, householdId: other.householdId, windows: [] });
    expect([again.statusCode, again.json().error.code]).toEqual([409, 'sensor_bound']);
    const empty = await req(worker, 'POST', '/api/sensors', { device: `${device}-x`, householdId: h.householdId, windows: [{ from: '09:00', to: '09:00' }] });
    expect([empty.statusCode, empty.json().error.code]).toEqual([400, 'window_empty']);
    const foreignKp = await req(worker, 'POST', '/api/sensors', { device: `${device}-y`, householdId: h.householdId, keyPersonId: other.keyPersonId, windows: [] });
    expect([foreignKp.statusCode, foreignKp.json().error.code]).toEqual([400, 'key_person_household']);
    expect((await req(outsider, 'POST', '/api/sensors', { device: `${device}-z`, householdId: h.householdId, windows: [] })).statusCode).toBe(404);
    expect((await req(outsider, 'GET', `/api/sensors/${id}/events`)).statusCode).toBe(404);
    expect((await req(outsider, 'PUT', `/api/sensors/${id}/windows`, { windows: [] })).statusCode).toBe(404);
    expect((await req(outsider, 'POST', `/api/sensors/${id}/unbind`)).statusCode).toBe(404);

    const w = await req(worker, 'PUT', `/api/sensors/${id}/windows`, { windows: [{ from: '07:00', to: '07:15', note: '取快递' }] });
    expect(w.statusCode, w.body).toBe(200);
    expect(w.json().sensor.windows).toEqual([{ from: '07:00', to: '07:15', note: '取快递' }]);

    await t.ctx.db.insertInto('door_events').values({ sensor_id: id, at: at('2020-02-11T03:00:00'), contact: false, alert: 'door_open' }).execute();
    const ev = await req(worker, 'GET', `/api/sensors/${id}/events`);
    expect(ev.statusCode, ev.body).toBe(200);
    expect(ev.json().events).toEqual([expect.objectContaining({ atChina: '2020-02-11 03:00:00', contact: false, alert: 'door_open' })]);
    const logged = await t.ctx.db.selectFrom('audit_log').select('action').where('detail', '@>', JSON.stringify({ sensorId: id }) as never).execute();
    expect(logged.map((l) => l.action).sort()).toEqual(['door_events.read', 'sensor.bind', 'sensor.windows']);

    const un = await req(worker, 'POST', `/api/sensors/${id}/unbind`);
    expect(un.statusCode).toBe(200);
    expect(un.json().sensor.unboundAt).not.toBeNull();
    expect((await req(worker, 'POST', `/api/sensors/${id}/unbind`)).statusCode).toBe(200);
    const late = await req(worker, 'PUT', `/api/sensors/${id}/windows`, { windows: [] });
    expect([late.statusCode, late.json().error.code]).toEqual([409, 'sensor_unbound']);
    // the device can be bound again (another household) once unbound
    const rebound = await req(worker, 'POST', '/api/sensors', { device, householdId: other.householdId, windows: [] });
    expect(rebound.statusCode).toBe(201);
    // each household lists its own sensors, bound first; another district sees none of them
    const mine = (await req(worker, 'GET', `/api/sensors?householdId=${h.householdId}`)).json().sensors;
    expect(mine.map((x: { id: string }) => x.id)).toContain(id);
    expect(mine.find((x: { id: string }) => x.id === id).unboundAt).not.toBeNull();
    const theirs = (await req(worker, 'GET', `/api/sensors?householdId=${other.householdId}`)).json().sensors;
    expect(theirs[0]).toMatchObject({ id: rebound.json().sensor.id, device, unboundAt: null });
    expect((await req(outsider, 'GET', `/api/sensors?householdId=${h.householdId}`)).statusCode).toBe(404);
  });
});
