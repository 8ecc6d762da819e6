/**
 * The gate screen (issue 3 §3–§5): direction 进/出, the camera and the paste box, the result of
 * each code decided locally (judge.ts) at corrected time from the last sync, the guard's reading
 * and 确认, which hands the scan to the outbox (sent at once online, queued offline); the screen
 * code tab; the periodic sync (5 min), flush (15 s, on 'online' and on load) and state line.
 * A health declaration certificate (issue 6) is only verified and shown: no 确认, no check-in,
 * never queued.
 */
import { append, h } from './dom';
import { api, ApiError, NetworkError } from './http';
import { bi, t } from './i18n';
import { judge, readCode, recordable, tokenOf } from './judge';
import { Outbox, settledState } from './outbox';
import type { PickedCheckpoint } from './picker';
import { CameraStartTimeout, startCamera, type Camera } from './scanner';
import { showScreenCode } from './screen';
import type { GateStore } from './store';
import { clockOffset, correctedNowS, SYNC_EVERY_MS, syncNow } from './sync';
import type { Direction, QueuedScan, ScanIn, ScansOut, Staff, SyncRecord } from './types';
import { certificatePanel, langButton, recentList, resultPanel, statusLine, type Current, type RecentItem } from './view';

/** Seconds between flushes of the queue (issue 3 brief: every 15 s). */
export const FLUSH_EVERY_MS = 15_000;
/** A code the camera keeps seeing after it was confirmed is ignored this long, ms. */
export const SAME_CODE_QUIET_MS = 8_000;
const DIRECTION_KEY = 'yiqu.gate.direction';

/** A v4 UUID (idempotency keys); randomUUID where present. */
export function uuid(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const x = Array.from(b, (v) => v.toString(16).padStart(2, '0')).join('');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

/** This page's recent scans, kept across re-renders (a language switch rebuilds the screen). */
let kept: RecentItem[] = [];

export interface GateSetup {
  store: GateStore;
  staff: Staff;
  checkpoint: PickedCheckpoint;
  /** The guard's own post (no change button). */
  fixed: boolean;
  sync: SyncRecord | null;
  onChangeCheckpoint: () => void;
  /** Re-renders everything in the new language. */
  onLang: () => void;
}

export function startGate(root: HTMLElement, s: GateSetup): void {
  const cpId = s.checkpoint.id;
  let sync = s.sync;
  let direction: Direction = localStorage.getItem(DIRECTION_KEY) === 'out' ? 'out' : 'in';
  let current: Current | null = null;
  let recent: RecentItem[] = kept;
  let camera: Camera | null = null;
  let cameraStarting = false;
  let stopScreen: (() => void) | null = null;
  const seen = new Map<string, number>();
  let alive = true;

  const send = async (checkpointId: string, sentAt: string, scans: ScanIn[]): Promise<ScansOut> => {
    const t0 = Date.now();
    const out = await api<ScansOut>('POST', '/api/gate/scans', { checkpointId, sentAt, scans });
    if (sync) sync = { ...sync, offsetMs: clockOffset(out.serverTime, t0, Date.now()) };
    return out;
  };
  const outbox = new Outbox(s.store, send, () => renderState(), (r) => {
    recent = recent.map((i) => (i.key === r.idempotencyKey ? { ...i, state: settledState(r), outcome: r.outcome, reason: r.reason ?? i.reason } : i));
    renderRecent();
  });

  // ---- layout (built once; parts re-rendered) ----
  const title = h('span', { class: 'brand' });
  const state = h('div', { class: 'state' });
  const banner = h('div', { class: 'banner', role: 'alert' });
  const dirBtn = (d: Direction) => h('button', { type: 'button', class: `dir dir-${d}`, 'data-dir': d, onclick: () => setDirection(d) }, d === 'in' ? t('dirIn') : t('dirOut'));
  const dirs = h('div', { class: 'dirs', role: 'group', 'aria-label': t('direction') }, dirBtn('in'), dirBtn('out'));
  const tabScan = h('button', { type: 'button', class: 'tab', onclick: () => setTab('scan') }, t('tabScan'));
  const tabScreen = h('button', { type: 'button', class: 'tab', onclick: () => setTab('screen') }, t('tabScreen'));
  const video = h('video', { class: 'video', 'aria-label': t('camera') });
  const camBtn = h('button', { type: 'button', class: 'btn btn-cam', onclick: () => void toggleCamera() }, t('cameraStart'));
  const camMsg = h('p', { class: 'hint', role: 'status' }, t('cameraHint'));
  const codeInput = h('input', { type: 'text', id: 'code', autocomplete: 'off', autocapitalize: 'none', spellcheck: 'false' });
  const pasteForm = h('form', { class: 'paste', onsubmit: (e: Event) => { e.preventDefault(); const v = codeInput.value; codeInput.value = ''; void onCode(v, 'typed'); } },
    h('label', { for: 'code' }, t('codeInput')), h('div', { class: 'row' }, codeInput, h('button', { type: 'submit', class: 'btn' }, t('check'))));
  const tempInput = h('input', { type: 'text', id: 'temp', inputmode: 'decimal', autocomplete: 'off', placeholder: '36.5' });
  const tempErr = h('span', { class: 'err', id: 'temp-err', 'aria-live': 'polite' });
  const temp = h('div', { class: 'field temp' }, h('label', { for: 'temp' }, t('temperature')), h('span', { class: 'hint' }, t('tempHint')),
    h('div', { class: 'row' }, tempInput, h('span', { class: 'unit' }, '℃')), tempErr);
  const confirmBtn = h('button', { type: 'button', class: 'btn btn-go', onclick: () => void confirm() }, t('confirm'));
  const actions = h('div', { class: 'actions' }, confirmBtn,
    h('button', { type: 'button', class: 'btn btn-plain', onclick: () => { current = null; renderResult(); } }, t('discard')));
  const certDone = h('button', { type: 'button', class: 'btn btn-plain', onclick: () => { current = null; renderResult(); } }, t('certDone'));
  const result = h('section', { class: 'result', 'data-testid': 'result', 'aria-live': 'polite' });
  const recentHost = h('section', { class: 'recent-box' });
  const scanView = h('div', { class: 'scan-view' },
    h('div', { class: 'col' }, h('div', { class: 'camera' }, video), camBtn, camMsg, pasteForm),
    h('div', { class: 'col' }, result, recentHost));
  const screenView = h('div', { class: 'screen-view', hidden: true });
  const change = s.fixed ? null : h('button', { type: 'button', class: 'link-btn', onclick: () => { stopAll(); s.onChangeCheckpoint(); } }, t('changeCheckpoint'));
  root.replaceChildren(
    h('header', { class: 'bar' }, title, h('span', { class: 'bar-links' }, h('a', { href: '/console/gate', class: 'bar-link' }, t('console')), langButton(() => { stopAll(); s.onLang(); }))),
    h('div', { class: 'top' }, state, h('div', { class: 'controls' }, dirs, h('div', { class: 'tabs', role: 'tablist' }, tabScan, tabScreen), change)),
    banner, h('main', { class: 'gate' }, scanView, screenView));
  tempInput.addEventListener('input', () => rejudge());
  tempInput.addEventListener('keydown', (e) => { if (e.key === 'Enter') void confirm(); });

  // ---- rendering ----
  function online() { return navigator.onLine && outbox.state.reachable; }
  function renderState() {
    const cp = sync?.data.checkpoint;
    title.textContent = `${t('appName')} · ${cp?.placeName ?? s.checkpoint.placeName ?? ''} ${cp?.name ?? s.checkpoint.name ?? ''}`;
    state.textContent = '';
    append(state, statusLine({ online: online(), outbox: outbox.state, syncedAt: sync?.syncedAt ?? null }, () => void doSync()));
    const msgs = [
      !sync ? t('needSync') : '',
      outbox.state.needLogin ? t('sessionEnded') : '',
      outbox.state.lastError && !outbox.state.needLogin ? t('uploadError', outbox.state.lastError) : '',
    ].filter(Boolean);
    banner.replaceChildren(...msgs.map((m) => h('p', null, m)),
      outbox.state.needLogin ? h('a', { href: '/console/gate', class: 'bar-link' }, t('signInLink')) : '');
    banner.hidden = msgs.length === 0;
  }
  function renderResult() {
    result.dataset.outcome = current ? (current.result?.outcome ?? current.verdict.outcome) : '';
    result.dataset.state = current?.state ?? 'idle';
    result.dataset.reasonCode = current ? (current.result?.reasonCode ?? current.verdict.reasonCode ?? '') : '';
    result.dataset.kind = current?.state === 'certificate' ? 'certificate' : '';
    confirmBtn.textContent = current?.verdict.outcome === 'refused' ? t('confirmRefusal') : t('confirm');
    confirmBtn.className = `btn btn-go${current?.verdict.outcome === 'refused' ? ' stop' : ''}`; // red when it records a refusal
    tempErr.textContent = current?.verdict.temperatureError ? bi(current.verdict.temperatureError) : '';
    result.textContent = '';
    append(result, current?.state === 'certificate' ? certificatePanel(current, certDone) : resultPanel(current, direction, temp, actions));
  }
  /** A new scan's result on a phone (one column) sits below the camera: bring it into view. */
  function reveal() {
    const top = result.getBoundingClientRect().top;
    if (top < 0 || top > window.innerHeight * 0.4) result.scrollIntoView?.({ block: 'start' });
  }
  function renderRecent() {
    kept = recent = recent.slice(0, 100);
    recentHost.replaceChildren(h('h2', null, t('recent')), recentList(recent.slice(0, 30)));
  }
  function setDirection(d: Direction) {
    direction = d;
    localStorage.setItem(DIRECTION_KEY, d);
    dirs.querySelectorAll('button').forEach((b) => b.setAttribute('aria-pressed', String(b.dataset.dir === d)));
    rejudge();
  }
  function rejudge() {
    if (!current || current.state !== 'judging' || !sync) return;
    current.verdict = judge(current.reading, direction, tempInput.value, sync.data);
    renderResult();
  }
  function setTab(tab: 'scan' | 'screen') {
    tabScan.setAttribute('aria-selected', String(tab === 'scan'));
    tabScreen.setAttribute('aria-selected', String(tab === 'screen'));
    scanView.hidden = tab !== 'scan';
    screenView.hidden = tab !== 'screen';
    stopScreen?.();
    stopScreen = null;
    if (tab === 'screen') {
      camera?.stop();
      camera = null;
      camBtn.textContent = t('cameraStart');
      stopScreen = showScreenCode(screenView, sync?.data.checkpoint ?? null, cpId);
    }
  }

  // ---- actions ----
  async function onCode(text: string, from: 'camera' | 'typed') {
    if (!text.trim()) return;
    if (!sync) { renderState(); return; }
    const token = tokenOf(text);
    // the camera never replaces a scan the guard is still deciding (取消 frees it); a typed code does
    if (from === 'camera' && (current?.state === 'judging' || Date.now() - (seen.get(token) ?? 0) < SAME_CODE_QUIET_MS)) return;
    const scannedAt = Date.now();
    if (from === 'camera' && current?.state === 'certificate' && current.reading.token === token) return;
    const reading = await readCode(token, sync.data, correctedNowS(sync, scannedAt));
    if (!recordable(reading)) {
      // a certificate: shown, never confirmed, recorded or queued
      seen.set(token, scannedAt);
      current = { key: uuid(), reading, scannedAt, verdict: judge(reading, direction, '', sync.data), state: 'certificate', result: null };
      renderResult();
      reveal();
      return;
    }
    if (from === 'camera' && reading.personId && Date.now() - (seen.get(reading.personId) ?? 0) < SAME_CODE_QUIET_MS) return;
    tempInput.value = '';
    current = { key: uuid(), reading, scannedAt, verdict: judge(reading, direction, '', sync.data), state: 'judging', result: null };
    renderResult();
    reveal();
    if (direction === 'in' && current.verdict.needsTemperature) tempInput.focus();
  }

  async function confirm() {
    const c = current;
    if (!c || c.state !== 'judging' || !sync || !recordable(c.reading)) return;
    c.verdict = judge(c.reading, direction, tempInput.value, sync.data);
    if (!c.verdict.record) return;
    if (c.verdict.outcome === 'pass' && c.verdict.needsTemperature) {
      renderResult();
      tempErr.textContent = c.verdict.temperatureError ? bi(c.verdict.temperatureError) : t('needTemp');
      tempInput.focus();
      return;
    }
    const item: QueuedScan = {
      idempotencyKey: c.key, checkpointId: cpId, token: c.reading.token, direction, temperature: direction === 'in' ? c.verdict.temperature : null,
      scannedAt: new Date(c.scannedAt).toISOString(), offline: false,
      localDecision: { outcome: c.verdict.outcome, reasonCode: c.verdict.reasonCode },
      maskedName: c.reading.maskedName, queuedAt: Date.now(),
    };
    c.state = 'sending';
    seen.set(c.reading.token, Date.now());
    if (c.reading.personId) seen.set(c.reading.personId, Date.now());
    recent.unshift({ key: item.idempotencyKey, maskedName: item.maskedName, direction, temperature: item.temperature,
      outcome: c.verdict.outcome, reason: bi(c.verdict.reason) || null, at: c.scannedAt, state: 'pending' });
    renderResult();
    renderRecent();
    const r = await outbox.record(item, navigator.onLine);
    c.state = r ? 'done' : 'queued';
    c.result = r;
    if (current === c) renderResult();
  }

  async function toggleCamera() {
    if (cameraStarting) return; // a tap while the camera opens (or the automatic start) is not a "stop"
    if (camera) {
      camera.stop();
      camera = null;
      camBtn.textContent = t('cameraStart');
      return;
    }
    cameraStarting = true;
    try {
      camera = await startCamera(video, (text) => void onCode(text, 'camera'));
      if (!alive || scanView.hidden) { camera.stop(); camera = null; return; }
      camBtn.textContent = t('cameraStop');
      camMsg.textContent = t('cameraHint');
    } catch (e) {
      if (e instanceof CameraStartTimeout) camMsg.textContent = t('cameraTimeout', e.step);
      else camMsg.textContent = t('cameraError', e instanceof Error ? `${e.name}: ${e.message}` : String(e));
    } finally {
      cameraStarting = false;
    }
  }

  async function doSync() {
    if (!navigator.onLine) return;
    try {
      sync = await syncNow(s.store, cpId);
      outbox.state = { ...outbox.state, reachable: true, needLogin: false };
    } catch (e) {
      if (e instanceof NetworkError) outbox.state = { ...outbox.state, reachable: false };
      else if (e instanceof ApiError && e.status === 401) outbox.state = { ...outbox.state, needLogin: true };
      else if (e instanceof ApiError) outbox.state = { ...outbox.state, lastError: e.message };
    }
    renderState();
  }
  function stopAll() {
    alive = false;
    camera?.stop();
    stopScreen?.();
    clearInterval(flushTimer);
    clearInterval(syncTimer);
  }

  // ---- start ----
  void s.store.all().then((queued) => {
    const known = new Set(recent.map((i) => i.key));
    const waiting = queued.reverse().filter((q) => !known.has(q.idempotencyKey)).map((q) => ({ key: q.idempotencyKey, maskedName: q.maskedName,
      direction: q.direction, temperature: q.temperature, outcome: q.localDecision.outcome, reason: q.localDecision.reasonCode,
      at: Date.parse(q.scannedAt), state: 'pending' as const }));
    recent = [...recent, ...waiting].sort((a, b) => b.at - a.at);
    renderRecent();
    return outbox.refresh();
  }).then(() => outbox.flush());
  const flushTimer = setInterval(() => { if (navigator.onLine) void outbox.flush(); }, FLUSH_EVERY_MS);
  const syncTimer = setInterval(() => void doSync(), SYNC_EVERY_MS);
  window.addEventListener('online', () => { if (alive) void outbox.online().then(() => doSync()); });
  window.addEventListener('offline', () => { if (alive) renderState(); });
  document.addEventListener('visibilitychange', () => {
    if (alive && !document.hidden && outbox.state.needLogin) void doSync().then(() => outbox.flush());
  });
  // the camera starts by itself once the browser remembers the permission
  void navigator.permissions?.query({ name: 'camera' as PermissionName }).then((p) => {
    if (alive && p.state === 'granted' && !camera) void toggleCamera();
  }).catch(() => undefined);
  setDirection(direction);
  setTab('scan');
  renderState();
  renderResult();
  renderRecent();
  if (navigator.onLine) void doSync();
}
