/**
 * Screen mode (issue 3 §5): the checkpoint's rotating QR, large, with the place and gate names,
 * fetched from GET /api/gate/checkpoints/{id}/screen-code every refreshInS seconds and drawn with
 * `qrcode` (loaded only when this view opens). A photo of an old code is refused by the server
 * after CHECKPOINT_CODE_ROTATE_S + CHECKPOINT_CODE_GRACE_S.
 */
import { h } from './dom';
import { api, ApiError, NetworkError } from './http';
import { t } from './i18n';
import type { ScreenCode, SyncData } from './types';

/** Seconds to wait before retrying after a failed fetch of the code. */
export const SCREEN_RETRY_S = 5;

/**
 * Builds the screen view for `checkpoint` into `host` and keeps it fresh until the returned
 * stop function is called (leaving the tab, changing checkpoint).
 */
export function showScreenCode(host: HTMLElement, checkpoint: SyncData['checkpoint'] | null, checkpointId: string): () => void {
  const canvas = h('canvas', { class: 'screen-qr', 'data-testid': 'screen-qr', role: 'img', 'aria-label': t('screenTitle') });
  const next = h('p', { class: 'screen-next', 'aria-live': 'off' });
  const msg = h('p', { class: 'screen-msg', role: 'status' });
  const hint = h('p', { class: 'screen-hint' });
  host.textContent = '';
  host.append(h('div', { class: 'screen' },
    h('h2', { class: 'screen-place' }, checkpoint?.placeName ?? ''),
    h('p', { class: 'screen-gate' }, checkpoint?.name ?? ''),
    h('p', { class: 'screen-title' }, t('screenTitle')),
    canvas, next, hint, msg));

  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let tick: ReturnType<typeof setInterval> | undefined;
  let due = 0;
  let expires = 0;
  let lock: { release(): Promise<void> } | null = null;
  const wakeLock = (navigator as Navigator & { wakeLock?: { request(t: 'screen'): Promise<{ release(): Promise<void> }> } }).wakeLock;
  wakeLock?.request('screen').then((l) => { if (stopped) void l.release(); else lock = l; }).catch(() => undefined);

  // as large as fits below the names without scrolling (room left for the countdown line)
  const size = () => {
    const top = canvas.getBoundingClientRect().top + window.scrollY;
    return Math.max(200, Math.min(720, Math.floor(Math.min(window.innerWidth - 48, window.innerHeight - top - 90))));
  };
  const countdown = () => {
    const left = Math.max(0, Math.ceil((due - Date.now()) / 1000));
    next.textContent = due ? t('screenNext', left) : '';
    canvas.classList.toggle('stale', expires > 0 && Date.now() > expires);
  };

  const load = async () => {
    if (stopped) return;
    let wait = SCREEN_RETRY_S;
    try {
      const code = await api<ScreenCode>('GET', `/api/gate/checkpoints/${encodeURIComponent(checkpointId)}/screen-code`);
      const { default: QRCode } = await import('qrcode');
      if (stopped) return;
      canvas.hidden = next.hidden = false; // before size(): a hidden canvas has no position
      await QRCode.toCanvas(canvas, code.url, { width: size(), margin: 2, errorCorrectionLevel: 'M' });
      canvas.dataset.url = code.url;
      expires = Date.parse(code.expiresAt);
      wait = code.refreshInS;
      hint.textContent = t('screenHint', code.refreshInS);
      msg.textContent = '';
    } catch (e) {
      const posterMode = e instanceof ApiError && e.code === 'checkpoint_not_screen_mode';
      msg.textContent = e instanceof NetworkError ? t('screenOffline') : posterMode ? t('screenPoster')
        : e instanceof Error ? e.message : String(e);
      // no code at a poster-mode checkpoint: the message alone, not an empty frame, a countdown or
      // the last code's hint (still asked again every SCREEN_RETRY_S, so a switch to screen mode
      // shows the code); other failures keep what was shown, faded once it expires
      if (posterMode) {
        canvas.hidden = next.hidden = true;
        hint.textContent = '';
      }
    }
    due = Date.now() + wait * 1000;
    countdown();
    timer = setTimeout(() => void load(), wait * 1000);
  };
  tick = setInterval(countdown, 1000);
  void load();

  return () => {
    stopped = true;
    clearTimeout(timer);
    clearInterval(tick);
    void lock?.release().catch(() => undefined);
  };
}
