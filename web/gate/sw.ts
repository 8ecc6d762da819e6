/**
 * Service worker of the gate page (registered from /gate-sw.js with scope /gate; issue 3 §4): it
 * precaches the page and every fingerprinted asset it needs (scripts, styles, the zxing .wasm,
 * icons, manifest) so /gate opens offline after one online visit.
 *   - /gate (the HTML): network first (a new build is picked up at once), the cached copy offline;
 *   - /assets/*: cache first (fingerprinted, immutable);
 *   - everything else (the API): straight to the network, never cached.
 * The build (web/gate/pwa-plugin.ts) replaces __GATE_PRECACHE__ and __GATE_VERSION__; a new build
 * is a new worker and a new cache, the old caches are deleted on activation.
 */
declare const __GATE_PRECACHE__: string[];
declare const __GATE_VERSION__: string;

interface ExtendableEvt extends Event { waitUntil(p: Promise<unknown>): void }
interface FetchEvt extends ExtendableEvt { request: Request; respondWith(r: Response | Promise<Response>): void }
interface WorkerScope {
  location: Location;
  skipWaiting(): Promise<void>;
  clients: { claim(): Promise<void> };
  addEventListener(type: 'install' | 'activate', fn: (e: ExtendableEvt) => void): void;
  addEventListener(type: 'fetch', fn: (e: FetchEvt) => void): void;
}

const sw = self as unknown as WorkerScope;
const PAGE = '/gate';
const PREFIX = 'yiqu-gate-';
const CACHE = PREFIX + __GATE_VERSION__;
const ASSETS: string[] = __GATE_PRECACHE__;

sw.addEventListener('install', (e) => {
  e.waitUntil(caches.open(CACHE).then((c) => c.addAll([PAGE, ...ASSETS])).then(() => sw.skipWaiting()));
});

sw.addEventListener('activate', (e) => {
  e.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k.startsWith(PREFIX) && k !== CACHE).map((k) => caches.delete(k))))
    .then(() => sw.clients.claim()));
});

/** The page: the network's copy (kept for later), else the cached one. */
async function page(req: Request): Promise<Response> {
  const cache = await caches.open(CACHE);
  try {
    const res = await fetch(req);
    if (res.ok) await cache.put(PAGE, res.clone());
    return res;
  } catch (err) {
    const hit = await cache.match(PAGE);
    if (hit) return hit;
    throw err;
  }
}

/** A fingerprinted asset: the cached copy, else the network's (then cached). */
async function asset(req: Request): Promise<Response> {
  const cache = await caches.open(CACHE);
  const hit = await cache.match(req);
  if (hit) return hit;
  const res = await fetch(req);
  if (res.ok) await cache.put(req, res.clone());
  return res;
}

sw.addEventListener('fetch', (e) => {
  const req = e.request;
  if (req.method !== 'GET') return;
  const url = new URL(req.url);
  if (url.origin !== sw.location.origin) return;
  if (req.mode === 'navigate' && (url.pathname === PAGE || url.pathname.startsWith(`${PAGE}/`))) e.respondWith(page(req));
  else if (url.pathname.startsWith('/assets/')) e.respondWith(asset(req));
});
