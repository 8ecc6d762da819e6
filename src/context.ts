/** What every module's routes and services are handed: config, database, logger, live events. */
import { EventEmitter } from 'node:events';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Config } from './config';
import type { Database } from './db/index';
import type { DB } from './db/schema';

export interface AppContext {
  config: Config;
  database: Database;
  db: Kysely<DB>;
  log: Logger;
  /** In-process live events (fever alerts, check-ins) for server-sent event streams. */
  events: EventEmitter;
  /** Server secrets created on first start (see src/modules/system/secrets.ts). */
  secrets: { docPepper: string };
}

export function newEvents(): EventEmitter {
  const e = new EventEmitter();
  e.setMaxListeners(10_000); // one per open console tab
  return e;
}
