/**
 * Entry of the resident pages. One HTML serves /c/<token> (check-in at a checkpoint), /me (我的),
 * /pass (我的通行码, loaded on demand with its QR drawing code so the check-in page stays light),
 * /v#<token> (a signed code's landing page), /arrive (社区报到), /observe (健康观察上报) and /declare
 * (健康申报 and 健康申报证明), the last three also loaded on demand; the path decides (src/modules/web/routes.ts).
 */
import { startCheckin, load } from './checkin';
import { h, mount } from './dom';
import { initLang, t } from './i18n';
import { startMe } from './me';
import { notice } from './ui';
import { relangVisit, startVisit, watchVisitHash } from './visit';

const path = location.pathname;
const c = /^\/c\/([^/]+)\/?$/.exec(path);
const isMe = /^\/me\/?$/.test(path);
const isPass = /^\/pass\/?$/.test(path);
const isVisit = /^\/v\/?$/.test(path);
const isArrive = /^\/arrive\/?$/.test(path);
const isObserve = /^\/observe\/?$/.test(path);
const isDeclare = /^\/declare\/?$/.test(path);
/** Re-renders a page loaded on demand (/arrive, /observe, /declare) after a language switch. */
let rerender: (() => void) | null = null;

function other(): void {
  mount(notice(t('appName'), t('noToken')));
}

/** Loads the pass page's chunk (with `qrcode`) and opens it. */
function openPass(): void {
  import('./pass').then((m) => m.startPass(), () => mount(notice(t('netErrorPlain'), '',
    h('button', { type: 'button', class: 'btn btn-primary', onclick: () => location.reload() }, t('retry')))));
}

/** Loads a page's own chunk and starts it; a failed load offers a retry. */
function lazy(load: () => Promise<{ start: () => unknown; rerender: () => void }>): void {
  load().then((m) => { rerender = m.rerender; void m.start(); }, () => mount(notice(t('netErrorPlain'), '',
    h('button', { type: 'button', class: 'btn btn-primary', onclick: () => location.reload() }, t('retry')))));
}
const openArrive = () => lazy(() => import('./arrive').then((m) => ({ start: m.startArrive, rerender: m.rerenderArrive })));
const openObserve = () => lazy(() => import('./observe').then((m) => ({ start: m.startObserve, rerender: m.rerenderObserve })));
const openDeclare = () => lazy(() => import('./declare').then((m) => ({ start: m.startDeclare, rerender: m.rerenderDeclare })));

initLang(() => {
  if (c) void load();
  else if (isMe) void startMe();
  else if (isPass) openPass();
  else if (isVisit) relangVisit();
  else if (isArrive || isObserve || isDeclare) rerender?.();
  else other();
});

if (c) {
  let token = c[1];
  try { token = decodeURIComponent(token); } catch { /* keep as typed */ }
  void startCheckin(token);
} else if (isMe) void startMe();
else if (isPass) openPass();
else if (isVisit) {
  watchVisitHash();
  startVisit();
} else if (isArrive) openArrive();
else if (isObserve) openObserve();
else if (isDeclare) openDeclare();
else other();
