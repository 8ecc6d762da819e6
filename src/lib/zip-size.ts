/**
 * How much an uploaded zip (an XLSX) really holds, before a library unzips it whole. The sizes a
 * zip declares can lie: a helper's 2 MB XLSX declared 100 bytes for an entry of 2,000 MB of zeros,
 * and exceljs unzipped all of it into buffers outside the JavaScript heap (so the reading thread's
 * heap limit did not stop it; docs/SECURITY.md T43). Here each entry is inflated with a cap.
 */
import zlib from 'node:zlib';

const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

/**
 * Bytes the entries of the zip in `buf` inflate to, counted by inflating each one (stored or
 * deflated) and stopping as soon as the total passes `limit`.
 * @returns the total, or Infinity when it passes `limit` or the zip cannot be walked (no end
 *   record, ZIP64, an entry outside the file, another compression method, corrupt data).
 */
export function zipInflatedSize(buf: Buffer, limit: number): number {
  const eocd = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0 || eocd + 22 > buf.length) return Infinity;
  const entries = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  let total = 0;
  for (let i = 0; i < entries; i++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== CENTRAL) return Infinity;
    const method = buf.readUInt16LE(p + 10);
    const compressed = buf.readUInt32LE(p + 20);
    const local = buf.readUInt32LE(p + 42);
    if (compressed === 0xffffffff || local + 30 > buf.length || buf.readUInt32LE(local) !== LOCAL) return Infinity;
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    if (start + compressed > buf.length) return Infinity;
    const data = buf.subarray(start, start + compressed);
    if (method === 0) total += compressed;
    else if (method === 8) {
      try {
        total += zlib.inflateRawSync(data, { maxOutputLength: Math.max(1, limit - total + 1) }).length;
      } catch {
        return Infinity; // past the limit (ERR_BUFFER_TOO_LARGE) or not deflate data
      }
    } else return Infinity;
    if (total > limit) return Infinity;
    p += 46 + buf.readUInt16LE(p + 28) + buf.readUInt16LE(p + 30) + buf.readUInt16LE(p + 32);
  }
  return total;
}
