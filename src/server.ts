/**
 * Starting and stopping the whole server: open the database, migrate, create secrets, load the
 * area tree if empty, optionally seed the demo, build the app, listen, and run scheduled jobs.
 */
import fs from 'node:fs';
import https from 'node:https';
import pino from 'pino';
import type { FastifyInstance } from 'fastify';
import type { Config } from './config';
import { newEvents, type AppContext } from './context';
import { openDatabase, type Database } from './db/index';
import { migrate } from './db/migrate';
import { buildApp } from './app';
import { ensureSecret } from './modules/system/secrets';
import { startJobs } from './modules/system/jobs';
import { startSensors, type RunningSensors } from './modules/sensors/mqtt';

export interface Running {
  ctx: AppContext;
  app: FastifyInstance;
  url: string;
  stop(): Promise<void>;
}

/** Open (and migrate) the configured database and build the shared context, without HTTP. */
export async function openContext(config: Config, database?: Database): Promise<AppContext> {
  const log = pino({
    level: config.LOG_LEVEL,
    redact: { paths: ['req.headers.cookie', 'req.headers.authorization', '*.password', '*.docNumber', '*.phone'], remove: true },
  });
  const db = database ?? (await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR, log }));
  await migrate(db.db);
  const docPepper = await ensureSecret(db.db, 'doc_pepper');
  return { config, database: db, db: db.db, log, events: newEvents(), secrets: { docPepper } };
}

/** Start the HTTP server on config.HOST:PORT (PORT 0 picks a free port). */
export async function startServer(config: Config, opts: { database?: Database; jobs?: boolean } = {}): Promise<Running> {
  const ctx = await openContext(config, opts.database);
  const app = await buildApp(ctx);
  const tls = config.HTTPS_CERT && config.HTTPS_KEY ? await listenHttps(app, config) : null;
  if (!tls) await app.listen({ host: config.HOST, port: config.PORT });
  const addr = (tls ?? app.server).address();
  const port = typeof addr === 'object' && addr ? addr.port : config.PORT;
  let sensors: RunningSensors;
  try {
    // door sensors (issue 5 §5): the embedded broker unless MQTT_URL, and the one subscriber
    sensors = await startSensors(ctx);
  } catch (err) {
    if (tls) tls.close();
    await app.close();
    await ctx.database.close();
    throw err;
  }
  const stopJobs = opts.jobs === false ? () => undefined : startJobs(ctx);
  return {
    ctx,
    app,
    url: `${tls ? 'https' : 'http'}://${config.HOST === '0.0.0.0' ? '127.0.0.1' : config.HOST}:${port}`,
    async stop() {
      stopJobs();
      await sensors.stop();
      if (tls) {
        tls.closeAllConnections();
        await new Promise((resolve) => tls.close(resolve));
      }
      await app.close();
      await ctx.database.close();
    },
  };
}

/**
 * Serve `app` over https with the PEM files HTTPS_CERT / HTTPS_KEY (testing the gate's camera and
 * service worker from phones on a LAN: both need a secure context; `npx yiqu dev-cert` makes the
 * files). Production terminates TLS in a reverse proxy instead (docs/CONFIGURATION.md).
 * @throws Error when a file cannot be read or the port is taken.
 */
async function listenHttps(app: FastifyInstance, config: Config): Promise<https.Server> {
  const server = https.createServer({ cert: fs.readFileSync(config.HTTPS_CERT!), key: fs.readFileSync(config.HTTPS_KEY!) },
    (req, res) => app.routing(req, res));
  await app.ready();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.PORT, config.HOST, () => { server.off('error', reject); resolve(); });
  });
  return server;
}
