/**
 * Ids of the busiest log rows (check-ins and stays): UUIDv7 (RFC 9562 via the `uuid` package),
 * the creation time in milliseconds followed by 74 random bits. A random (v4) id lands anywhere in
 * its primary-key index, so every commit dirties index pages all over and, after each checkpoint,
 * writes them whole to the WAL; a time-ordered id lands at the index's end. Measured on the embedded
 * database at 128,000 check-ins: 12% less time and 31% less WAL a group of 32 (docs/STATUS.md,
 * session 11). The time an id carries (when the server made it) is no secret: a check-in's reply
 * gives its time anyway.
 */
import { randomFillSync } from 'node:crypto';
import { v7 } from 'uuid';

/**
 * Random bytes for 256 ids, refilled from the operating system's generator when used up. Asked
 * for 16 bytes at a time, the generator cost ~8% of the server's thread under check-in load (one
 * call into OpenSSL per id; V8 CPU profile, docs/STATUS.md session 12); node's own randomUUID pools
 * the same way. Each id reads its 16 bytes once, before the next is taken.
 */
const pool = Buffer.alloc(16 * 256);
let next = pool.length;

function random16(): Uint8Array {
  if (next === pool.length) {
    randomFillSync(pool);
    next = 0;
  }
  next += 16;
  return pool.subarray(next - 16, next);
}

/**
 * The millisecond and 32-bit counter of the last id (RFC 9562 §6.2, method 1; what `v7()` keeps
 * for itself, which it skips when given its random bytes). A new millisecond starts the counter at
 * a random 31-bit value; within one it counts up, and its overflow (or a clock set back) moves the
 * millisecond on, so ids from this process sort in the order they were made.
 */
let lastMs = -Infinity;
let counter = 0;

/** A new time-ordered id, e.g. '01a22fe7-7073-74fc-a072-2fc8c17d426e'. */
export function timeOrderedId(): string {
  const random = random16();
  const now = Date.now();
  if (now > lastMs) {
    lastMs = now;
    counter = ((random[6]! & 0x7f) << 24) | (random[7]! << 16) | (random[8]! << 8) | random[9]!;
  } else {
    counter = (counter + 1) | 0;
    if (counter === 0) lastMs += 1;
  }
  return v7({ random, msecs: lastMs, seq: counter });
}
