/**
 * Starting and stopping the whole server: open the database, migrate, create secrets, load the
 * area tree if empty, optionally seed the demo, build the app, listen, and run scheduled jobs.
 */
import pino from 'pino';
import type { FastifyInstance } from 'fastify';
import type { Config } from './config';
import { newEvents, type AppContext } from './context';
import { openDatabase, type Database } from './db/index';
import { migrate } from './db/migrate';
import { buildApp } from './app';
import { ensureSecret } from './modules/system/secrets';
import { startJobs } from './modules/system/jobs';

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
  const db = database ?? (await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR }));
  await migrate(db.db);
  const docPepper = await ensureSecret(db.db, 'doc_pepper');
  return { config, database: db, db: db.db, log, events: newEvents(), secrets: { docPepper } };
}

/** Start the HTTP server on config.HOST:PORT (PORT 0 picks a free port). */
export async function startServer(config: Config, opts: { database?: Database; jobs?: boolean } = {}): Promise<Running> {
  const ctx = await openContext(config, opts.database);
  const app = await buildApp(ctx);
  await app.listen({ host: config.HOST, port: config.PORT });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : config.PORT;
  const stopJobs = opts.jobs === false ? () => undefined : startJobs(ctx);
  return {
    ctx,
    app,
    url: `http://${config.HOST === '0.0.0.0' ? '127.0.0.1' : config.HOST}:${port}`,
    async stop() {
      stopJobs();
      await app.close();
      await ctx.database.close();
    },
  };
}
