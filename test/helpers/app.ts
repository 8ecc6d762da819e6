/**
 * A whole application on a fresh test database, driven with `app.inject` (no port), plus a
 * signed-in staff client. Use `createTestApp()` in beforeAll and `t.close()` in afterAll.
 */
import type { FastifyInstance } from 'fastify';
import { loadConfig, type Config } from '../../src/config';
import type { AppContext } from '../../src/context';
import { buildApp } from '../../src/app';
import { openContext } from '../../src/server';
import { openTestDatabase, type TestDatabase } from './db';

export interface TestApp {
  app: FastifyInstance;
  ctx: AppContext;
  database: TestDatabase;
  close(): Promise<void>;
}

export function testConfig(over: Record<string, string> = {}): Config {
  return loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', PUBLIC_URL: 'https://yiqu.test', SEED_DEMO: '0', ...over });
}

export async function createTestApp(over: Record<string, string> = {}): Promise<TestApp> {
  const database = await openTestDatabase();
  const ctx = await openContext(testConfig(over), database);
  const app = await buildApp(ctx);
  await app.ready();
  return {
    app,
    ctx,
    database,
    async close() {
      await app.close();
      await database.drop();
    },
  };
}

/** Cookie header value from a response's set-cookie, for the next request. */
export function cookieFrom(res: { headers: Record<string, unknown> }): string {
  const sc = res.headers['set-cookie'];
  const list = Array.isArray(sc) ? sc : sc ? [String(sc)] : [];
  return list.map((c) => String(c).split(';')[0]).join('; ');
}
