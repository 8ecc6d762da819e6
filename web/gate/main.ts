/**
 * Entry of the guard's gate page (/gate, issue 3 §3–§5): an installable PWA that keeps working
 * offline. Boot: secure context check, service worker, device store, the staff session (GET
 * /api/staff/me; offline the account remembered from the last online visit), the checkpoint
 * (the guard's own post, else a chosen one), the last sync, then the gate screen (app.ts).
 */
import './style.css';
import { mount } from './dom';
import { api, ApiError, NetworkError } from './http';
import { startGate } from './app';
import { initLang, t } from './i18n';
import { checkpointPicker, mayPick, type PickedCheckpoint } from './picker';
import { memoryStore, openGateStore, type GateStore } from './store';
import { syncNow } from './sync';
import type { Staff, SyncData } from './types';
import { readCode } from './judge';
import { qrDetector } from './scanner';
import { notice } from './view';

/** The service worker script (served with no-cache) and its scope. */
export const SW_URL = '/gate-sw.js';
export const SW_SCOPE = '/gate';

function registerServiceWorker(): void {
  if (!('serviceWorker' in navigator)) return;
  navigator.serviceWorker.register(SW_URL, { scope: SW_SCOPE }).catch(() => undefined);
}

/** The signed-in account: online from the server, offline the one remembered on this device. */
async function whoAmI(store: GateStore): Promise<Staff | 'signed-out' | 'unknown'> {
  try {
    const { staff } = await api<{ staff: Staff }>('GET', '/api/staff/me');
    await store.set('staff', staff);
    return staff;
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      await store.set('staff', null);
      return 'signed-out';
    }
    if (e instanceof NetworkError || (e instanceof ApiError && e.retryable)) return (await store.get<Staff>('staff')) ?? 'unknown';
    throw e;
  }
}

async function boot(): Promise<void> {
  initLang();
  if (!window.isSecureContext || !globalThis.crypto?.subtle) {
    mount(notice(t('appName'), t('needHttps')));
    return;
  }
  registerServiceWorker();
  let store: GateStore;
  try { store = await openGateStore(); } catch { store = memoryStore(); }
  const staff = await whoAmI(store);
  if (staff === 'signed-out' || staff === 'unknown') {
    const waiting = (await store.all()).length;
    mount(notice(t('signIn'), t('signInHint'), { href: '/console/gate', label: t('signInLink') },
      waiting ? t('queue', waiting) : null));
    return;
  }
  if (!staff.permissions.includes('gate.operate')) {
    mount(notice(t('appName'), t('noPermission'), { href: '/console/', label: t('console') }));
    return;
  }
  const fixed = !!staff.checkpointId;
  const remembered = await store.get<PickedCheckpoint>('checkpoint');
  const checkpoint: PickedCheckpoint | null = staff.checkpointId
    ? { id: staff.checkpointId, name: null, placeName: null }
    : remembered ?? null;
  if (!checkpoint) {
    if (!mayPick(staff)) {
      mount(notice(t('appName'), t('noCheckpoint')));
      return;
    }
    mount([checkpointPicker(async (cp) => {
      await store.set('checkpoint', cp);
      await boot();
    })]);
    return;
  }
  let sync = (await store.sync(checkpoint.id)) ?? null;
  if (!sync && navigator.onLine) {
    mount([notice(t('appName'), t('loading'))]);
    try { sync = await syncNow(store, checkpoint.id); } catch { /* shown as "needs a sync" */ }
  }
  startGate(document.getElementById('app')!, {
    store, staff, checkpoint, fixed, sync,
    onChangeCheckpoint: () => { void store.set('checkpoint', null).then(boot); },
    onLang: () => void boot(),
  });
}

void boot().catch((e: unknown) => {
  mount(notice(t('appName'), e instanceof Error ? e.message : String(e)));
});

/**
 * Diagnostics hook, used by the decode-and-verify benchmark (bench/verify-chromium.ts): decode one
 * QR image with this page's own detector and read it against `sync` exactly as a scan would.
 * Reads nothing from the device and sends nothing anywhere.
 */
Object.assign(window, {
  yiquGate: {
    async decodeAndRead(image: ImageBitmap, sync: SyncData) {
      const detector = (await qrDetector()) as unknown as { detect(i: ImageBitmap): Promise<Array<{ rawValue: string }>> };
      const [code] = await detector.detect(image);
      return code ? readCode(code.rawValue, sync, Math.floor(Date.now() / 1000)) : null;
    },
  },
});
