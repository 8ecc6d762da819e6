/**
 * Door-sensor messages → stored events and team alerts (issue 5 §5). One message is one
 * Zigbee2MQTT publish on `<MQTT_TOPIC_PREFIX>/<device>`; its time is when our subscriber received
 * it (`now`, injected). Malformed JSON, an unknown device or a sensor unbound after release is
 * logged (device id and reason only: no personal data) and ignored. An alert becomes one task per
 * member of the key person's five-for-one team (raiseTeamTasks, causeKey `door:<eventId>`,
 * `battery:<eventId>`), in the same transaction as the event, and a live `sensor_alert` event.
 */
import type { Kysely, Transaction } from 'kysely';
import type { AppContext } from '../../context';
import type { CareTaskKind, DB } from '../../db/schema';
import { chinaDateTime } from '../../lib/time';
import { raiseTeamTasks } from '../keypersons/core';
import { isSilent, parsePayload, readingAlerts, type SensorAlert } from './rules';

type Db = Kysely<DB> | Transaction<DB>;

export type IngestResult =
  | { outcome: 'ignored'; reason: 'topic' | 'malformed' | 'unknown_device' | 'unbound'; device: string | null }
  | { outcome: 'stored'; device: string; sensorId: string; eventId: string; alerts: SensorAlert[]; taskIds: string[] };

export const ALERT_TITLES: Record<CareTaskKind & ('door_open' | 'battery_low' | 'sensor_silent'), string> = {
  door_open: '居家隔离户门磁在约定时段外开启',
  battery_low: '居家隔离户门磁电量低，请更换电池',
  sensor_silent: '居家隔离户门磁长时间无信号',
};

/** The device of a topic `<prefix>/<device>`, or null for any other topic. */
export function deviceOfTopic(prefix: string, topic: string): string | null {
  if (!topic.startsWith(`${prefix}/`)) return null;
  const d = topic.slice(prefix.length + 1);
  return /^[A-Za-z0-9_.:-]{1,64}$/.test(d) ? d : null;
}

/** The key person a sensor's alerts go to: the bound one if still open, else the household's open key person. */
export async function keyPersonOf(db: Db, s: { key_person_id: string | null; household_id: string }): Promise<string | null> {
  if (s.key_person_id) {
    const kp = await db.selectFrom('key_persons').select('id').where('id', '=', s.key_person_id).where('closed_on', 'is', null).executeTakeFirst();
    if (kp) return kp.id;
  }
  const kp = await db.selectFrom('key_persons').select('id').where('household_id', '=', s.household_id).where('closed_on', 'is', null)
    .orderBy('created_at', 'desc').executeTakeFirst();
  return kp?.id ?? null;
}

/**
 * Devices recently found unknown or unbound → until when (ms, wall clock) their messages are dropped
 * without a database look-up or a log line (SENSOR_UNKNOWN_TTL_S): a stray or hostile publisher
 * must not cost a transaction a message. Bounded; binding a device forgets it (forgetDevice).
 */
const strayUntil = new Map<string, { until: number; reason: 'unknown_device' | 'unbound' }>();
const STRAY_MAX = 10_000;

/** Forget that `device` was unknown (called when it is bound), so its next message is read at once. */
export function forgetDevice(device: string): void {
  strayUntil.delete(device);
}

/** Store one message and raise its alerts. Never throws for bad input (only for database failures). */
export async function ingestMessage(ctx: AppContext, topic: string, payload: Buffer | string, now: Date): Promise<IngestResult> {
  const device = deviceOfTopic(ctx.config.MQTT_TOPIC_PREFIX, topic);
  if (!device) {
    ctx.log.debug({ topic: topic.slice(0, 100) }, 'sensor message on an unexpected topic ignored');
    return { outcome: 'ignored', reason: 'topic', device: null };
  }
  const stray = strayUntil.get(device);
  if (stray && stray.until > Date.now()) return { outcome: 'ignored', reason: stray.reason, device };
  const reading = parsePayload(payload);
  if (!reading) {
    ctx.log.warn({ device, bytes: payload.length }, 'sensor message ignored: not a contact-sensor payload');
    return { outcome: 'ignored', reason: 'malformed', device };
  }
  const result = await ctx.db.transaction().execute(async (trx): Promise<IngestResult> => {
    const s = await trx.selectFrom('door_sensors').selectAll().where('device', '=', device).where('unbound_at', 'is', null)
      .forUpdate().executeTakeFirst();
    if (!s) {
      const old = await trx.selectFrom('door_sensors').select('id').where('device', '=', device).executeTakeFirst();
      return { outcome: 'ignored', reason: old ? 'unbound' : 'unknown_device', device };
    }
    const alerts = readingAlerts(reading, s.windows, s.battery, now, ctx.config.SENSOR_BATTERY_LOW_PCT);
    const ev = await trx.insertInto('door_events').values({
      sensor_id: s.id, at: now, contact: reading.contact ?? null, battery: reading.battery ?? null,
      linkquality: reading.linkquality ?? null, alert: alerts[0] ?? null,
    }).returning('id').executeTakeFirstOrThrow();
    const eventId = String(ev.id);
    await trx.updateTable('door_sensors').set({
      last_seen_at: now,
      ...(reading.battery !== undefined ? { battery: reading.battery } : {}),
      ...(reading.contact !== undefined ? { contact: reading.contact } : {}),
    }).where('id', '=', s.id).execute();
    const taskIds: string[] = [];
    if (alerts.length) {
      const keyPersonId = await keyPersonOf(trx, s);
      if (!keyPersonId) ctx.log.warn({ device, sensorId: s.id, alerts }, 'sensor alert without an open key person: no team to alert');
      else {
        for (const kind of alerts) {
          taskIds.push(...await raiseTeamTasks(trx, {
            keyPersonId, kind, title: `${ALERT_TITLES[kind]}（${chinaDateTime(now)}）`, urgent: kind === 'door_open',
            detail: { sensorId: s.id, device, eventId, at: now.toISOString(), atChina: chinaDateTime(now), battery: reading.battery ?? null },
            causeKey: `${kind === 'door_open' ? 'door' : 'battery'}:${eventId}`,
          }));
        }
      }
    }
    return { outcome: 'stored', device, sensorId: s.id, eventId, alerts, taskIds };
  });
  if (result.outcome === 'ignored') {
    ctx.log.warn({ device, reason: result.reason }, 'sensor message ignored');
    if (ctx.config.SENSOR_UNKNOWN_TTL_S > 0 && (result.reason === 'unknown_device' || result.reason === 'unbound')) {
      if (strayUntil.size >= STRAY_MAX) strayUntil.clear();
      strayUntil.set(device, { until: Date.now() + ctx.config.SENSOR_UNKNOWN_TTL_S * 1000, reason: result.reason });
    }
    return result;
  }
  if (result.alerts.length) {
    const hh = await ctx.db.selectFrom('door_sensors as s').innerJoin('households as h', 'h.id', 's.household_id')
      .select('h.community_code').where('s.id', '=', result.sensorId).executeTakeFirst();
    for (const kind of result.alerts) {
      ctx.events.emit('sensor_alert', { kind, sensorId: result.sensorId, eventId: result.eventId, communityCode: hh?.community_code, at: now.toISOString() });
    }
  }
  return result;
}

/**
 * The heartbeat job: every bound sensor silent for more than SENSOR_HEARTBEAT_MIN raises a
 * 'sensor_silent' task for its team, once per silence (causeKey `silent:<sensorId>:<last seen>`).
 * @returns the ids of the sensors found silent.
 */
export async function checkSilentSensors(ctx: AppContext, now: Date): Promise<string[]> {
  const rows = await ctx.db.selectFrom('door_sensors as s').innerJoin('households as h', 'h.id', 's.household_id')
    .select(['s.id', 's.device', 's.household_id', 's.key_person_id', 's.bound_at', 's.last_seen_at', 'h.community_code'])
    .where('s.unbound_at', 'is', null).execute();
  const silent: string[] = [];
  for (const s of rows) {
    if (!isSilent(s.last_seen_at, s.bound_at, now, ctx.config.SENSOR_HEARTBEAT_MIN)) continue;
    silent.push(s.id);
    const keyPersonId = await keyPersonOf(ctx.db, s);
    if (!keyPersonId) continue;
    const since = (s.last_seen_at ?? s.bound_at).toISOString();
    const ids = await raiseTeamTasks(ctx.db, {
      keyPersonId, kind: 'sensor_silent', title: ALERT_TITLES.sensor_silent,
      detail: { sensorId: s.id, device: s.device, lastSeenAt: s.last_seen_at?.toISOString() ?? null, lastSeenChina: chinaDateTime(new Date(since)) },
      causeKey: `silent:${s.id}:${since}`,
    });
    if (ids.length) ctx.events.emit('sensor_alert', { kind: 'sensor_silent', sensorId: s.id, communityCode: s.community_code, at: now.toISOString() });
  }
  return silent;
}
