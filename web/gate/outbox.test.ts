/**
 * The gate outbox (web/gate/outbox.ts) over an in-memory queue and a fake server: a scan leaves
 * the queue only when the server answered for its key; network failures and 401 keep it; batches
 * are per checkpoint and at most 200; overlapping flushes never send a scan twice at once.
 */
import { describe, expect, it } from 'vitest';
import { ApiError, NetworkError } from './http';
import { MAX_BATCH, Outbox, settledState, type Sender } from './outbox';
import { memoryQueue } from './store';
import type { QueuedScan, ScanIn, ScanResult } from './types';

let n = 0;
function scan(over: Partial<QueuedScan> = {}): QueuedScan {
  n += 1;
  return {
    idempotencyKey: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`, checkpointId: 'cp1', token: `t${n}`,
    direction: 'in', temperature: 36.5, scannedAt: new Date(1_760_000_000_000 + n * 1000).toISOString(), offline: false,
    localDecision: { outcome: 'pass', reasonCode: null }, maskedName: '张*三', queuedAt: n, ...over,
  };
}

const answer = (s: ScanIn, status: ScanResult['status'] = 'recorded'): ScanResult => ({
  idempotencyKey: s.idempotencyKey, status, outcome: s.localDecision.outcome, reasonCode: s.localDecision.reasonCode,
  reason: null, maskedName: '张*三', checkinId: 'c', at: s.scannedAt, twoWay: null,
});

/** A fake POST /api/gate/scans that records every call and answers each scan `status`. */
function server(behave: (scans: ScanIn[]) => ScanResult[] | Error = (s) => s.map((x) => answer(x))) {
  const calls: Array<{ checkpointId: string; sentAt: string; scans: ScanIn[] }> = [];
  const send: Sender = async (checkpointId, sentAt, scans) => {
    calls.push({ checkpointId, sentAt, scans });
    await new Promise((r) => setTimeout(r, 5));
    const out = behave(scans);
    if (out instanceof Error) throw out;
    return { serverTime: new Date().toISOString(), skewS: 0, skewCorrected: false, results: out };
  };
  return { calls, send };
}

describe('Outbox', () => {
  it('online: sends at once as offline:false and empties the queue on the answer', async () => {
    const q = memoryQueue();
    const srv = server();
    const box = new Outbox(q, srv.send);
    const s = scan();
    const r = await box.record(s, true);
    expect(r).toMatchObject({ idempotencyKey: s.idempotencyKey, status: 'recorded' });
    expect(srv.calls[0]!.scans[0]).toMatchObject({ idempotencyKey: s.idempotencyKey, offline: false, token: s.token, localDecision: s.localDecision });
    expect(q.items.size).toBe(0);
    expect(box.state).toMatchObject({ length: 0, reachable: true });
  });

  it('offline: keeps the scan; a flush sends it as offline:true with its device time and decision', async () => {
    const q = memoryQueue();
    const srv = server();
    const box = new Outbox(q, srv.send);
    const s = scan({ localDecision: { outcome: 'refused', reasonCode: 'status_barred' } });
    expect(await box.record(s, false)).toBeNull();
    expect(srv.calls).toHaveLength(0);
    expect(box.state.length).toBe(1);
    await box.flush();
    expect(srv.calls[0]!.scans).toEqual([{ idempotencyKey: s.idempotencyKey, token: s.token, direction: 'in', temperature: 36.5,
      scannedAt: s.scannedAt, offline: true, localDecision: { outcome: 'refused', reasonCode: 'status_barred' } }]);
    expect(q.items.size).toBe(0);
  });

  it('a network failure keeps the scan (as offline) and later scans go straight to the queue', async () => {
    const q = memoryQueue();
    let down = true;
    const srv = server((s) => (down ? new NetworkError('network') : s.map((x) => answer(x))));
    const box = new Outbox(q, srv.send);
    const a = scan();
    expect(await box.record(a, true)).toBeNull();
    expect(q.items.get(a.idempotencyKey)?.offline).toBe(true);
    expect(box.state.reachable).toBe(false);
    await box.record(scan(), true);
    expect(srv.calls).toHaveLength(1); // not tried while unreachable
    down = false;
    await box.online();
    expect(q.items.size).toBe(0);
    expect(srv.calls.at(-1)!.scans.map((s) => s.offline)).toEqual([true, true]);
  });

  it('only keys the server answered leave the queue; 401 and refusals of the batch keep everything', async () => {
    const q = memoryQueue();
    let mode: 'partial' | '401' | '400' = 'partial';
    const srv = server((s) => (mode === '401' ? new ApiError(401, 'unauthorized', '请先登录')
      : mode === '400' ? new ApiError(400, 'bad', 'bad batch') : s.slice(0, 1).map((x) => answer(x, 'duplicate'))));
    const box = new Outbox(q, srv.send);
    for (let i = 0; i < 3; i++) await box.record(scan(), false);
    await box.flush();
    expect(q.items.size).toBe(2);
    mode = '401';
    await box.flush();
    expect(q.items.size).toBe(2);
    expect(box.state.needLogin).toBe(true);
    mode = '400';
    await box.flush();
    expect(q.items.size).toBe(2);
    expect(box.state.lastError).toBe('bad batch');
  });

  it('batches per checkpoint, at most 200 scans each', async () => {
    const q = memoryQueue();
    const srv = server();
    const box = new Outbox(q, srv.send);
    for (let i = 0; i < MAX_BATCH + 5; i++) await q.put(scan({ checkpointId: 'cp1' }));
    await q.put(scan({ checkpointId: 'cp2' }));
    await box.flush();
    expect(srv.calls.map((c) => [c.checkpointId, c.scans.length])).toEqual([['cp1', 200], ['cp1', 5], ['cp2', 1]]);
    expect(q.items.size).toBe(0);
  });

  it('flushes that overlap never send the same scan twice at once', async () => {
    const q = memoryQueue();
    const srv = server();
    const box = new Outbox(q, srv.send);
    for (let i = 0; i < 10; i++) await q.put(scan());
    await Promise.all([box.flush(), box.flush(), box.flush()]);
    const sent = srv.calls.flatMap((c) => c.scans.map((s) => s.idempotencyKey));
    expect(new Set(sent).size).toBe(sent.length);
    expect(sent).toHaveLength(10);
  });
});

describe('settledState: what the device list shows once the server answered', () => {
  it('shows a repeat answer as the first one: recorded with a check-in, rejected without', () => {
    expect(settledState({ status: 'recorded', checkinId: 'c' })).toBe('recorded');
    expect(settledState({ status: 'rejected', checkinId: null })).toBe('rejected');
    expect(settledState({ status: 'duplicate', checkinId: 'c' })).toBe('recorded');
    expect(settledState({ status: 'duplicate', checkinId: null })).toBe('rejected');
  });

  it('a first answer lost on the way: the re-send answers duplicate, the list still says rejected', async () => {
    const seen = new Set<string>();
    let lose = true;
    const send: Sender = async (_cp, _at, scans) => {
      const results = scans.map((s) => ({ ...answer(s, seen.has(s.idempotencyKey) ? 'duplicate' : 'rejected'), checkinId: null, outcome: 'refused' as const }));
      scans.forEach((s) => seen.add(s.idempotencyKey));
      if (lose) { lose = false; throw new NetworkError('net::ERR_NETWORK_CHANGED'); }
      return { serverTime: new Date().toISOString(), skewS: 0, skewCorrected: false, results };
    };
    const states: string[] = [];
    const box = new Outbox(memoryQueue(), send, () => {}, (r) => states.push(settledState(r)));
    await box.record(scan(), false);
    await box.flush();
    expect(box.state.length).toBe(1);
    await box.online();
    expect(box.state.length).toBe(0);
    expect(states).toEqual(['rejected']);
  });
});
