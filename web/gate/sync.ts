/**
 * The gate's copy of what verification needs (GET /api/gate/sync): keys, revocations, statuses,
 * labels and thresholds, stored on the device with the clock offset measured at the sync, so
 * codes are checked at corrected time (device time + (server time − device time at the sync))
 * even offline and even when the tablet's clock is wrong (issue 3 §4, LESSONS "Certificates":
 * clock skew on the verifying device).
 */
import { api } from './http';
import type { GateStore } from './store';
import type { SyncData, SyncRecord } from './types';

/** Milliseconds between background syncs while online (revocations and statuses change). */
export const SYNC_EVERY_MS = 5 * 60_000;

/**
 * Server time − device time, ms, from a request sent at device time `sentMs` and answered at
 * `receivedMs` with `serverIso`: the server's clock is read at the midpoint of the round trip.
 */
export function clockOffset(serverIso: string, sentMs: number, receivedMs: number): number {
  return Date.parse(serverIso) - (sentMs + receivedMs) / 2;
}

/** Corrected time in seconds since the epoch (for token verification). */
export function correctedNowS(rec: Pick<SyncRecord, 'offsetMs'> | null | undefined, deviceMs = Date.now()): number {
  return Math.floor((deviceMs + (rec?.offsetMs ?? 0)) / 1000);
}

/**
 * Fetch and store the sync of `checkpointId`.
 * @throws NetworkError offline; ApiError 401 (signed out), 403/404 (checkpoint not the caller's)
 */
export async function syncNow(store: GateStore, checkpointId: string): Promise<SyncRecord> {
  const sent = Date.now();
  const data = await api<SyncData>('GET', `/api/gate/sync?checkpointId=${encodeURIComponent(checkpointId)}`);
  const received = Date.now();
  const rec: SyncRecord = { checkpointId, data, offsetMs: clockOffset(data.serverTime, sent, received), syncedAt: received };
  await store.saveSync(rec);
  return rec;
}
