/**
 * Batches concurrent look-ups by key into one query. When no query is running, a look-up starts
 * one at once (no added latency); while one runs, new keys wait and the next query takes them all.
 * Under a surge many requests share one round trip, which matters most for the embedded database,
 * where every round trip crosses to its thread and back (src/db/pglite-thread.ts).
 */
export function batchLoader<K, V>(fetch: (keys: K[]) => Promise<Map<K, V>>, maxBatch = 500) {
  type Waiter = { resolve: (v: V | undefined) => void; reject: (e: unknown) => void };
  let pending = new Map<K, Waiter[]>();
  let running = false;

  async function pump() {
    running = true;
    while (pending.size) {
      // let requests that already arrived reach their look-up first: the embedded database answers
      // without network or disk waits, so without this yield every look-up would run alone
      await new Promise((r) => setImmediate(r));
      const keys = [...pending.keys()].slice(0, maxBatch);
      const batch = new Map<K, Waiter[]>();
      for (const k of keys) {
        batch.set(k, pending.get(k)!);
        pending.delete(k);
      }
      try {
        const found = await fetch(keys);
        for (const [k, ws] of batch) for (const w of ws) w.resolve(found.get(k));
      } catch (err) {
        for (const ws of batch.values()) for (const w of ws) w.reject(err);
      }
    }
    running = false;
  }

  /** The value of `key`, or undefined when the fetch did not return it. */
  return function load(key: K): Promise<V | undefined> {
    return new Promise((resolve, reject) => {
      const ws = pending.get(key);
      if (ws) ws.push({ resolve, reject });
      else pending.set(key, [{ resolve, reject }]);
      if (!running) void pump();
    });
  };
}
