/**
 * What the gate keeps on the device, in IndexedDB (database `yiqu-gate`, via `idb`), so a reload
 * without network still verifies and nothing scanned is lost (issue 3 §4):
 *   queue  scans waiting for the server's answer, keyed by idempotencyKey
 *   sync   the last GET /api/gate/sync per checkpoint, with its clock offset
 *   kv     the signed-in account (for offline reloads) and the chosen checkpoint
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { QueuedScan, Staff, SyncRecord } from './types';

interface GateSchema extends DBSchema {
  queue: { key: string; value: QueuedScan };
  sync: { key: string; value: SyncRecord };
  kv: { key: string; value: unknown };
}

/** The queue as the outbox uses it (a memory implementation serves the unit tests). */
export interface QueueStore {
  put(scan: QueuedScan): Promise<void>;
  remove(keys: string[]): Promise<void>;
  all(): Promise<QueuedScan[]>;
}

/** The page's device storage. */
export interface GateStore extends QueueStore {
  sync(checkpointId: string): Promise<SyncRecord | undefined>;
  saveSync(rec: SyncRecord): Promise<void>;
  get<T>(key: 'staff' | 'checkpoint'): Promise<T | undefined>;
  set(key: 'staff' | 'checkpoint', value: Staff | { id: string } | null): Promise<void>;
}

export const DB_NAME = 'yiqu-gate';

/** Opens (creating on first use) the gate database. @throws when IndexedDB is unavailable. */
export async function openGateStore(): Promise<GateStore> {
  const db: IDBPDatabase<GateSchema> = await openDB<GateSchema>(DB_NAME, 1, {
    upgrade(d) {
      d.createObjectStore('queue', { keyPath: 'idempotencyKey' });
      d.createObjectStore('sync', { keyPath: 'checkpointId' });
      d.createObjectStore('kv');
    },
  });
  return {
    async put(scan) { await db.put('queue', scan); },
    async remove(keys) {
      const tx = db.transaction('queue', 'readwrite');
      await Promise.all([...keys.map((k) => tx.store.delete(k)), tx.done]);
    },
    async all() { return (await db.getAll('queue')).sort((a, b) => a.queuedAt - b.queuedAt); },
    sync: (id) => db.get('sync', id),
    async saveSync(rec) { await db.put('sync', rec); },
    get: async <T>(key: string) => (await db.get('kv', key)) as T | undefined,
    async set(key, value) {
      if (value === null) await db.delete('kv', key);
      else await db.put('kv', value, key);
    },
  };
}

/** A QueueStore in memory (tests, and the page when IndexedDB is blocked: nothing then survives a reload). */
export function memoryQueue(): QueueStore & { items: Map<string, QueuedScan> } {
  const items = new Map<string, QueuedScan>();
  return {
    items,
    async put(s) { items.set(s.idempotencyKey, structuredClone(s)); },
    async remove(keys) { for (const k of keys) items.delete(k); },
    async all() { return [...items.values()].sort((a, b) => a.queuedAt - b.queuedAt); },
  };
}

/** A whole GateStore in memory: the fallback when the browser refuses IndexedDB (nothing survives a reload then). */
export function memoryStore(): GateStore {
  const q = memoryQueue();
  const syncs = new Map<string, SyncRecord>();
  const kv = new Map<string, unknown>();
  return {
    ...q,
    sync: async (id) => syncs.get(id),
    async saveSync(rec) { syncs.set(rec.checkpointId, rec); },
    get: async <T>(key: string) => kv.get(key) as T | undefined,
    async set(key, value) { if (value === null) kv.delete(key); else kv.set(key, value); },
  };
}
