/**
 * The gate's outbox (issue 3 §4): every confirmed scan is written to the device queue first, then
 * sent to POST /api/gate/scans. A record leaves the queue only when the server answered
 * recorded / duplicate / rejected for its idempotency key, so a crash, a reload, a lost answer or
 * a network outage never loses a scan, and re-sending never records one twice (the server keys on
 * idempotencyKey). Queued scans are sent as offline: the server records the gate's own decision.
 */
import { ApiError, NetworkError } from './http';
import { isCertificateToken } from './judge';
import type { QueueStore } from './store';
import type { QueuedScan, ScanIn, ScanResult, ScansOut } from './types';

/** Most scans in one POST (the contract's limit). */
export const MAX_BATCH = 200;

/** Sends one batch of one checkpoint; `sentAt` is the device time of sending (ISO). */
export type Sender = (checkpointId: string, sentAt: string, scans: ScanIn[]) => Promise<ScansOut>;

export interface OutboxState {
  /** False after a request got no answer, until one does (or the browser reports 'online'). */
  reachable: boolean;
  /** Scans on the device waiting for an answer. */
  length: number;
  /** The server answered 401: the staff session ended; scans wait for a new sign-in. */
  needLogin: boolean;
  /** The last refusal of a whole batch (not a network error), in the caller's language. */
  lastError: string | null;
}

function toScanIn(q: QueuedScan, offline: boolean): ScanIn {
  return { idempotencyKey: q.idempotencyKey, token: q.token, direction: q.direction, temperature: q.temperature,
    scannedAt: q.scannedAt, offline, localDecision: q.localDecision };
}

/**
 * What became of a scan on the server, for the device's list: 'duplicate' only says the server had
 * already answered this key (a first answer lost on the way, e.g. when the network came back
 * mid-request), so the list shows that first answer instead: recorded when it made a check-in,
 * rejected when it did not.
 */
export function settledState(r: Pick<ScanResult, 'status' | 'checkinId'>): 'recorded' | 'rejected' {
  if (r.status === 'duplicate') return r.checkinId ? 'recorded' : 'rejected';
  return r.status;
}

export class Outbox {
  state: OutboxState = { reachable: true, length: 0, needLogin: false, lastError: null };
  private sending = new Set<string>();
  private flushing: Promise<void> | null = null;
  private again = false;

  constructor(
    private store: QueueStore,
    private send: Sender,
    private onChange: (s: OutboxState) => void = () => {},
    private onResult: (r: ScanResult) => void = () => {},
  ) {}

  /** Re-counts the queue and tells the page. */
  async refresh(): Promise<void> {
    this.state = { ...this.state, length: (await this.store.all()).length };
    this.onChange(this.state);
  }

  /**
   * Keep `scan` on the device, then, when `online`, send it at once (offline: false, the server
   * decides). Answers the server's result, or null when the scan stays queued.
   * @throws RangeError for a certificate (issue 6): it is verified only, never recorded or queued.
   */
  async record(scan: QueuedScan, online: boolean): Promise<ScanResult | null> {
    if (isCertificateToken(scan.token)) throw new RangeError('a certificate is verified only, never recorded');
    const direct = online && this.state.reachable;
    const item = { ...scan, offline: !direct };
    await this.store.put(item);
    await this.refresh();
    if (!direct) return null;
    this.sending.add(item.idempotencyKey);
    try {
      const out = await this.send(item.checkpointId, new Date().toISOString(), [toScanIn(item, false)]);
      return await this.settle(out.results, [item.idempotencyKey]);
    } catch (e) {
      this.failed(e);
      await this.store.put({ ...item, offline: true });
      return null;
    } finally {
      this.sending.delete(item.idempotencyKey);
      await this.refresh();
    }
  }

  /** Send every queued scan (one flush at a time; a call during a flush runs another after it). */
  flush(): Promise<void> {
    if (this.flushing) {
      this.again = true;
      return this.flushing;
    }
    this.flushing = (async () => {
      try {
        do {
          this.again = false;
          await this.flushOnce();
        } while (this.again && this.state.reachable && !this.state.needLogin);
      } finally {
        this.flushing = null;
        await this.refresh();
      }
    })();
    return this.flushing;
  }

  /** The browser says the network is back: try again at once. */
  online(): Promise<void> {
    this.state = { ...this.state, reachable: true };
    return this.flush();
  }

  private async flushOnce(): Promise<void> {
    const waiting = (await this.store.all()).filter((q) => !this.sending.has(q.idempotencyKey));
    const byCheckpoint = new Map<string, QueuedScan[]>();
    for (const q of waiting) byCheckpoint.set(q.checkpointId, [...(byCheckpoint.get(q.checkpointId) ?? []), q]);
    for (const [checkpointId, list] of byCheckpoint) {
      for (let i = 0; i < list.length; i += MAX_BATCH) {
        const batch = list.slice(i, i + MAX_BATCH);
        const keys = batch.map((q) => q.idempotencyKey);
        keys.forEach((k) => this.sending.add(k));
        try {
          const out = await this.send(checkpointId, new Date().toISOString(), batch.map((q) => toScanIn(q, true)));
          await this.settle(out.results, keys);
        } catch (e) {
          this.failed(e);
          return;
        } finally {
          keys.forEach((k) => this.sending.delete(k));
        }
      }
    }
  }

  /** Drops from the queue every sent key the server answered for; returns the first key's result. */
  private async settle(results: ScanResult[], sent: string[]): Promise<ScanResult | null> {
    const done = results.filter((r) => sent.includes(r.idempotencyKey) && ['recorded', 'duplicate', 'rejected'].includes(r.status));
    await this.store.remove(done.map((r) => r.idempotencyKey));
    this.state = { ...this.state, reachable: true, needLogin: false, lastError: null };
    for (const r of done) this.onResult(r);
    return done.find((r) => r.idempotencyKey === sent[0]) ?? null;
  }

  private failed(e: unknown): void {
    if (e instanceof NetworkError) this.state = { ...this.state, reachable: false };
    else if (e instanceof ApiError && e.status === 401) this.state = { ...this.state, needLogin: true, lastError: e.message };
    else this.state = { ...this.state, lastError: e instanceof Error ? e.message : String(e) };
    this.onChange(this.state);
  }
}
