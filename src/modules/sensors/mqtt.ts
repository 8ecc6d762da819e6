/**
 * The MQTT side of door sensors (issue 5 §5): the embedded broker (aedes on HOST:MQTT_PORT, when
 * MQTT_URL is unset) and the one subscriber, an `mqtt` client on `<MQTT_TOPIC_PREFIX>/+`, for the
 * embedded and an external broker alike. Started and stopped by src/server.ts, never by the app
 * (createTestApp has no broker).
 */
import net from 'node:net';
import { Aedes } from 'aedes';
import mqtt from 'mqtt';
import type { AppContext } from '../../context';
import { checkSilentSensors, ingestMessage } from './ingest';
import { JOBS, type Job } from '../system/jobs';

export const HEARTBEAT_JOB: Job = { name: 'sensors.heartbeat', run: (c, now) => checkSilentSensors(c, now).then(() => undefined) };

/** Register the heartbeat job once (called by the sensor routes). */
export function registerSensorJobs() {
  if (!JOBS.includes(HEARTBEAT_JOB)) JOBS.push(HEARTBEAT_JOB);
}

export interface EmbeddedBroker { url: string; port: number; close(): Promise<void> }

/** Start aedes on host:port (0: a free port). @throws when the port is taken. */
export async function startEmbeddedBroker(host: string, port: number): Promise<EmbeddedBroker> {
  const broker = await Aedes.createBroker();
  const server = net.createServer(broker.handle as (s: net.Socket) => void);
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err) => { broker.close(); reject(err); });
    server.listen(port, host, () => { server.removeAllListeners('error'); resolve(); });
  });
  const actual = (server.address() as net.AddressInfo).port;
  const h = host === '0.0.0.0' ? '127.0.0.1' : host;
  return {
    url: `mqtt://${h.includes(':') ? `[${h}]` : h}:${actual}`,
    port: actual,
    async close() {
      await new Promise<void>((resolve) => broker.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export interface SensorSubscriber {
  client: mqtt.MqttClient;
  /** Resolves once subscribed the first time (the client reconnects and resubscribes by itself). */
  ready: Promise<void>;
  /** Messages being ingested now (tests wait for them). */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Subscribe to `<prefix>/+` on `url` and ingest every message with its receipt time. A failing
 * message is logged; the subscriber keeps going.
 */
export function startSensorSubscriber(ctx: AppContext, url: string, clock: () => Date = () => new Date()): SensorSubscriber {
  const topic = `${ctx.config.MQTT_TOPIC_PREFIX}/+`;
  const client = mqtt.connect(url, { reconnectPeriod: 2000, connectTimeout: 10_000, clientId: `yiqu-${process.pid}-${Math.random().toString(16).slice(2, 8)}` });
  const pending = new Set<Promise<unknown>>();
  let resolveReady!: () => void;
  const ready = new Promise<void>((r) => (resolveReady = r));
  client.on('connect', () => {
    client.subscribe(topic, { qos: 1 }, (err) => {
      if (err) ctx.log.error({ err: err.message }, 'sensor topic subscription failed');
      else resolveReady();
    });
  });
  client.on('error', (err) => ctx.log.warn({ err: err.message }, 'MQTT client error'));
  // one device's messages are handled in the order the broker delivered them (a battery reading
  // after another, a door closing after it opened); different devices run side by side
  const tails = new Map<string, Promise<unknown>>();
  client.on('message', (t, payload, packet) => {
    // a retained message is the broker's memory of an old reading, replayed on (re)subscribing:
    // not a door opening now (its event time would be the replay time)
    if (packet.retain) {
      ctx.log.info({ topic: t.slice(0, 100) }, 'retained sensor message ignored');
      return;
    }
    const at = clock();
    const before = tails.get(t) ?? Promise.resolve();
    const p = before.then(() => ingestMessage(ctx, t, payload, at))
      .catch((err: unknown) => ctx.log.error({ err: err instanceof Error ? err.message : String(err) }, 'sensor message failed'))
      .finally(() => {
        pending.delete(p);
        if (tails.get(t) === p) tails.delete(t);
      });
    tails.set(t, p);
    pending.add(p);
  });
  return {
    client,
    ready,
    async idle() {
      while (pending.size) await Promise.all([...pending]);
    },
    async stop() {
      await client.endAsync();
      while (pending.size) await Promise.all([...pending]);
    },
  };
}

/** The running sensor side; `subscriber` is null when the embedded broker's port was taken (sensors off). */
export interface RunningSensors { brokerUrl: string; subscriber: SensorSubscriber | null; stop(): Promise<void> }

/**
 * The server's sensor side: the embedded broker unless MQTT_URL is set, then the subscriber. With the
 * embedded broker, waits until subscribed; an external broker may come later (the client retries).
 */
export async function startSensors(ctx: AppContext): Promise<RunningSensors> {
  let broker: Awaited<ReturnType<typeof startEmbeddedBroker>> | null = null;
  if (!ctx.config.MQTT_URL) {
    try {
      broker = await startEmbeddedBroker(ctx.config.HOST, ctx.config.MQTT_PORT);
    } catch (err) {
      // e.g. Debian's mosquitto service already on 1883: the rest of the server must still start
      if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
      ctx.log.warn({ port: ctx.config.MQTT_PORT }, `MQTT port ${ctx.config.MQTT_PORT} is in use: door sensors are off. `
        + 'Set MQTT_URL=mqtt://127.0.0.1:1883 to use the broker already there, or MQTT_PORT to another port');
      return { brokerUrl: '', subscriber: null, async stop() {} };
    }
  }
  const url = ctx.config.MQTT_URL ?? broker!.url;
  const subscriber = startSensorSubscriber(ctx, url);
  if (broker) await subscriber.ready;
  ctx.log.info({ broker: broker ? `embedded ${broker.url}` : 'external' }, 'door-sensor subscriber started');
  return {
    brokerUrl: url,
    subscriber,
    async stop() {
      await subscriber.stop();
      await broker?.close();
    },
  };
}
