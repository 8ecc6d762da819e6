/**
 * 我的通行码 at /pass (issue 3 §2, SPEC S2): for the chosen person on this phone (owner or a
 * dependent, switched by tabs), a large QR of the short-lived signed pass code drawn in the browser
 * (`qrcode`, loaded with this page only: the check-in page stays within its weight budget), the
 * status colour as a wide band with its label, the masked name, a live seconds clock in China time
 * on the server's clock, and a countdown to the next refresh (every `refreshInS` seconds). A photo
 * or screenshot of the code fails at the guard's scanner once older than PASS_CODE_TTL_S; a code
 * this phone could not refresh in time is hidden, not shown stale. The screen is kept awake while
 * open where the browser allows it (Wake Lock).
 */
import './pass.css';
import { api, ApiError } from './api';
import { h, mount, onLeave } from './dom';
import { lang, t } from './i18n';
import { codeValid, pickPerson, refreshDueMs, secondsLeft, skewMs } from './pass-clock';
import { drawQr } from './qr-canvas';
import { clockText, dateText } from './time';
import type { PassAnswer, PassPerson } from './types';
import { notice, topBar } from './ui';

interface State {
  answer: PassAnswer;
  /** Phone time (ms) the answer arrived, and server − phone clock (ms). */
  receivedAt: number;
  skew: number;
  /** A refresh failed; retried every few seconds. */
  failing: boolean;
}

const RETRY_MS = 5000;
let state: State | null = null;
let chosen: string | null = null;
let inFlight = false;

/** Opens /pass: loads the codes (GET /api/r/pass) and shows them. */
export async function startPass(): Promise<void> {
  if (!state) mount([topBar(), h('main', { class: 'loading', 'aria-busy': 'true' }, t('loading'))]);
  await refresh();
}

async function refresh(): Promise<void> {
  if (inFlight) return;
  inFlight = true;
  try {
    const answer = await api<PassAnswer>('GET', '/api/r/pass');
    const receivedAt = Date.now();
    state = { answer, receivedAt, skew: skewMs(answer.serverTime, receivedAt), failing: false };
  } catch (e) {
    if (e instanceof ApiError && (e.status === 401 || e.status === 403)) {
      state = null;
      inFlight = false;
      mount(notice(t('passTitle'), e.message || t('notRegistered'), h('a', { href: '/me', class: 'btn btn-primary' }, t('me'))));
      return;
    }
    if (!state) {
      inFlight = false;
      mount(notice(t('netErrorPlain'), e instanceof ApiError && !e.retryable ? e.message : '',
        h('button', { type: 'button', class: 'btn btn-primary', onclick: () => void startPass() }, t('retry'))));
      return;
    }
    state.failing = true;
  }
  inFlight = false;
  render();
}

/** Keep the screen on while the code is shown (the guard scans it); silently unavailable on old browsers. */
function keepAwake(): void {
  const wl = (navigator as Navigator & { wakeLock?: { request(t: 'screen'): Promise<{ release(): Promise<void> }> } }).wakeLock;
  if (!wl || document.visibilityState !== 'visible') return;
  let lock: { release(): Promise<void> } | null = null;
  let left = false;
  wl.request('screen').then((l) => { if (left) void l.release(); else lock = l; }, () => { /* denied: fine */ });
  onLeave(() => { left = true; void lock?.release().catch(() => {}); });
}

function render(): void {
  const s = state;
  if (!s) return;
  const persons = s.answer.persons;
  if (persons.length === 0) return mount(notice(t('passTitle'), t('notRegistered'), h('a', { href: '/me', class: 'btn btn-primary' }, t('me'))));
  const p = pickPerson(persons, chosen) as PassPerson;
  chosen = p.personId;

  const canvas = h('canvas', { class: 'qr', role: 'img', 'aria-label': t('passQr', p.maskedName), 'data-testid': 'pass-qr' });
  const qrBox = h('div', { class: 'qr-box' }, canvas);
  const cover = h('div', { class: 'qr-cover', hidden: true }, h('p', null, t('passExpired')),
    h('button', { type: 'button', class: 'btn btn-primary', onclick: () => void refresh() }, t('refresh')));
  const clock = h('div', { class: 'clock', 'aria-live': 'off' });
  const date = h('div', { class: 'date' });
  const countdown = h('p', { class: 'countdown', 'aria-live': 'off' });

  const tabs = persons.length > 1
    ? h('div', { class: 'pass-tabs', role: 'tablist', 'aria-label': t('choosePerson') }, persons.map((x) =>
      h('button', { type: 'button', role: 'tab', class: 'pass-tab', 'aria-selected': String(x.personId === p.personId),
        onclick: () => { chosen = x.personId; render(); } },
      h('span', { class: 'pname' }, x.maskedName), ' ', h('span', { class: 'tag' }, x.relation === 'self' ? t('self') : t('dependent')))))
    : null;

  mount([topBar(h('a', { href: '/me', class: 'bar-link' }, t('me'))), h('main', { class: 'pass-page' },
    h('h1', { class: 'page-title' }, t('passTitle')), tabs,
    h('section', { class: `pass-card pass-${p.colour}`, 'data-testid': 'pass', 'data-colour': p.colour, 'data-status': p.status },
      h('div', { class: 'pass-band' }, h('div', { class: 'pass-status' }, p.statusLabel), h('div', { class: 'pass-name' }, p.maskedName)),
      h('div', { class: 'qr-wrap' }, qrBox, cover),
      h('div', { class: 'live' }, h('span', { class: 'pulse', 'aria-hidden': 'true' }), clock), date, countdown),
    h('p', { class: 'sub center' }, t('passHint')))], true);

  const width = Math.min(qrBox.clientWidth || 300, 360);
  drawQr(canvas, p.token, width);
  keepAwake();

  const due = s.failing ? Date.now() + RETRY_MS : refreshDueMs(s.receivedAt, s.answer.refreshInS, Date.parse(p.expiresAt), s.skew);
  const tick = () => {
    const now = Date.now();
    const server = new Date(now + s.skew);
    clock.textContent = clockText(server);
    date.textContent = dateText(server, lang);
    const valid = codeValid(p.expiresAt, server.getTime());
    qrBox.hidden = !valid;
    cover.hidden = valid;
    countdown.textContent = inFlight ? t('refreshing') : s.failing ? t('netErrorPlain') : t('refreshIn', secondsLeft(due, now));
    if (now >= due && !inFlight) void refresh();
  };
  tick();
  let timer = 0;
  const schedule = () => { timer = window.setTimeout(() => { tick(); schedule(); }, 1000 - (((Date.now() + s.skew) % 1000) + 1000) % 1000 + 5); };
  schedule();
  const onVisible = () => { if (document.visibilityState === 'visible') tick(); };
  document.addEventListener('visibilitychange', onVisible);
  onLeave(() => { clearTimeout(timer); document.removeEventListener('visibilitychange', onVisible); });
}
