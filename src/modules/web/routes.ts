/**
 * Serves the built pages (dist/web, made by `vite build`): fingerprinted assets with a one-year
 * immutable cache (page weight and caching are capacity: LESSONS "Surges"), HTML never cached.
 * /c/<token>, /me, /pass, /v, /arrive (社区报到), /observe (健康观察上报) and /declare (健康申报) open the resident page;
 * /console/* the staff console; /gate the guard's offline gate page, with its service worker at /gate-sw.js.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { ZApp } from '../../app';
import type { AppContext } from '../../context';

export const WEB_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../dist/web');

export async function registerWebRoutes(app: ZApp, _ctx: AppContext) {
  if (!fs.existsSync(WEB_DIR)) {
    app.log.warn(`no built pages in ${WEB_DIR}: run npm run build:web`);
    return;
  }
  await app.register(fastifyStatic, {
    root: path.join(WEB_DIR, 'assets'),
    prefix: '/assets/',
    immutable: true,
    maxAge: '365d',
    preCompressed: false,
    decorateReply: false,
  });
  const page = (file: string) => {
    const full = path.join(WEB_DIR, file);
    return async (_req: unknown, reply: { header: (k: string, v: string) => unknown; type: (t: string) => { send: (b: Buffer) => unknown } }) => {
      reply.header('cache-control', 'no-cache');
      return reply.type('text/html; charset=utf-8').send(fs.readFileSync(full));
    };
  };
  const hide = { schema: { hide: true } };
  app.get('/c/:token', hide, page('resident/index.html'));
  app.get('/me', hide, page('resident/index.html'));
  app.get('/pass', hide, page('resident/index.html')); // 我的通行码
  app.get('/v', hide, page('resident/index.html')); // /v#<signed token>: the fragment never reaches the server
  app.get('/arrive', hide, page('resident/index.html')); // 社区报到: /arrive?c=<community code>, the community's link/QR
  app.get('/observe', hide, page('resident/index.html')); // 健康观察上报: twice-daily temperature and symptoms
  app.get('/declare', hide, page('resident/index.html')); // 健康申报 and 健康申报证明 (issue 6)
  app.get('/gate', hide, page('gate/index.html')); // the guard's offline scanner (PWA, issue 3 §4)
  app.get('/console', hide, page('console/index.html'));
  app.get('/console/*', hide, page('console/index.html'));
  app.get('/', hide, async (_req, reply) => reply.redirect('/console/'));
  // The gate's service worker: at the root so it may take scope /gate; never cached, so a new
  // build (a new precache list) reaches the tablets on their next online visit.
  app.get('/gate-sw.js', hide, async (_req, reply) => {
    reply.header('cache-control', 'no-cache');
    return reply.type('text/javascript; charset=utf-8').send(fs.readFileSync(path.join(WEB_DIR, 'gate-sw.js')));
  });
}
