/**
 * The shared plumbing of the console's browser tests (test/e2e/*-console.test.ts,
 * resident-community.test.ts): a seeded PGlite database served by a real server process and a
 * headless Chromium, and the console sessions the tests drive in it.
 *
 * - {@link startE2eWorld}: builds the web app (scripts/ensure-web.mjs), opens a fresh PGlite test
 *   database and an app context on it, lets the test seed it, closes it (PGlite is single-process:
 *   the server opens the data dir next), starts the server on it and launches Chromium;
 * - {@link stopE2eWorld}: closes the browser, stops the server, drops the database;
 * - {@link inConsole}: runs a test body with desktop console sessions (sign-in by the form or by
 *   the API), checks that no page reported a problem, and on failure saves a screenshot of the
 *   last page opened and prints the page problems; the contexts are closed either way.
 *
 * Plain functions; the browser-only pieces (sign-in, screenshots) live in ./browser.ts.
 */
import { execFileSync } from 'node:child_process';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import { loadConfig } from '../../src/config';
import type { AppContext } from '../../src/context';
import { openContext } from '../../src/server';
import { DESKTOP, launchChromium, reportFailure, signInByApi, signInByForm, watchProblems } from './browser';
import { openTestDatabase, type TestDatabase } from './db';
import { startServerProcess, type ServerProcess } from './server-process';
import { TEST_PASSWORD } from './factories/staff';

export interface E2eWorld {
  tdb: TestDatabase;
  server: ServerProcess;
  browser: Browser;
  /** The server's URL, e.g. http://127.0.0.1:12345. */
  base: string;
}

/**
 * Seed a fresh PGlite database with `seed(ctx)`, then serve it and launch Chromium. `env` is added
 * to the server's environment (after DATA_DIR); as a function it is called once the database is
 * closed, just before the server starts (e.g. to start an MQTT broker the server connects to).
 * When a step fails, what was started is stopped again before the error is thrown.
 */
export async function startE2eWorld(
  seed: (ctx: AppContext) => Promise<void>,
  env: Record<string, string> | ((ctx: AppContext) => Promise<Record<string, string>>) = {},
): Promise<E2eWorld> {
  execFileSync(process.execPath, ['scripts/ensure-web.mjs'], { stdio: 'inherit' });
  const tdb = await openTestDatabase('pglite');
  let server: ServerProcess | null = null;
  try {
    const ctx = await openContext(loadConfig({ DATA_DIR: tdb.location.dataDir, LOG_LEVEL: 'warn' }), tdb);
    await seed(ctx);
    await tdb.close(); // PGlite is single-process: the server opens the data dir next
    const extra = typeof env === 'function' ? await env(ctx) : env;
    server = await startServerProcess({ DATA_DIR: tdb.location.dataDir, ...extra });
    const browser = await launchChromium();
    return { tdb, server, browser, base: server.url };
  } catch (e) {
    await server?.stop().catch(() => undefined);
    await tdb.drop();
    throw e;
  }
}

/** Close the browser, stop the server and drop the database (nothing when the world never started). */
export async function stopE2eWorld(world: E2eWorld | null | undefined): Promise<void> {
  if (!world) return;
  await world.browser.close().catch(() => undefined);
  await world.server.stop().catch(() => undefined);
  await world.tdb.drop();
}

/** The console sessions of one test: what {@link inConsole} hands its body. */
export interface ConsoleSessions {
  /** Problems reported by every page opened so far ({@link watchProblems}). */
  problems: string[];
  /**
   * A fresh desktop browser context signed in as `username` (the password of the test accounts),
   * through the console's form (`via: 'form'`, the default; the page is left where the form
   * leads) or through the API call the form makes (`via: 'api'`, then the page opens /console/).
   * Its page becomes the one shot on failure.
   */
  signIn(username: string, via?: 'form' | 'api'): Promise<Page>;
}

/**
 * Run `body` with console sessions in `world`'s browser and expect no page problems at its end.
 * On failure: a screenshot named `shot` of the last page opened and the page problems on stderr,
 * then the error is rethrown. Every context opened is closed afterwards.
 */
export async function inConsole(world: E2eWorld, shot: string, body: (sessions: ConsoleSessions) => Promise<void>): Promise<void> {
  const problems: string[] = [];
  const contexts: BrowserContext[] = [];
  let page: Page | null = null;
  const sessions: ConsoleSessions = {
    problems,
    async signIn(username, via = 'form') {
      const context = await world.browser.newContext(DESKTOP);
      contexts.push(context);
      const p = await context.newPage();
      page = p;
      watchProblems(p, username, problems);
      if (via === 'form') {
        await signInByForm(p, world.base, username, TEST_PASSWORD);
      } else {
        await signInByApi(context.request, world.base, username, TEST_PASSWORD);
        await p.goto(`${world.base}/console/`);
      }
      return p;
    },
  };
  try {
    await body(sessions);
    expect(problems).toEqual([]);
  } catch (e) {
    await reportFailure(page, shot, problems);
    throw e;
  } finally {
    for (const c of contexts) await c.close().catch(() => undefined);
  }
}
