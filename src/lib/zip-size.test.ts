import zlib from 'node:zlib';
import { describe, expect, it, vi } from 'vitest';
import ExcelJS from 'exceljs';
import { readTable, SpreadsheetError } from './spreadsheet';
import { zipInflatedSize } from './zip-size';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (b: Buffer) => {
  let c = 0xffffffff;
  for (const x of b) c = CRC_TABLE[(c ^ x) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};

/**
 * `zip` with one more deflated entry `name` holding `content`, whose headers declare `declared`
 * bytes unzipped (a lie when it differs).
 */
function withEntry(zip: Buffer, name: string, content: Buffer, declared = content.length): Buffer {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = zip.readUInt16LE(eocd + 10);
  const cdSize = zip.readUInt32LE(eocd + 12);
  const cdOffset = zip.readUInt32LE(eocd + 16);
  const n = Buffer.from(name);
  const data = zlib.deflateRawSync(content);
  const local = Buffer.alloc(30);
  const central = Buffer.alloc(46);
  local.writeUInt32LE(0x04034b50, 0); local.writeUInt16LE(20, 4); local.writeUInt16LE(8, 8);
  const crc = crc32(content);
  local.writeUInt32LE(crc, 14); central.writeUInt32LE(crc, 16);
  local.writeUInt32LE(data.length, 18); local.writeUInt32LE(declared, 22); local.writeUInt16LE(n.length, 26);
  central.writeUInt32LE(0x02014b50, 0); central.writeUInt16LE(20, 4); central.writeUInt16LE(20, 6); central.writeUInt16LE(8, 10);
  central.writeUInt32LE(data.length, 20); central.writeUInt32LE(declared, 24); central.writeUInt16LE(n.length, 28);
  central.writeUInt32LE(cdOffset, 42);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(count + 1, 8); end.writeUInt16LE(count + 1, 10);
  end.writeUInt32LE(cdSize + 46 + n.length, 12); end.writeUInt32LE(cdOffset + 30 + n.length + data.length, 16);
  return Buffer.concat([zip.subarray(0, cdOffset), local, n, data, zip.subarray(cdOffset, cdOffset + cdSize), central, n, end]);
}

async function workbook(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Sheet1');
  [['场所名称', '卡点名称'], ['阳光花园', '东门']].forEach((r) => ws.addRow(r));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe('the real unzipped size of an upload', () => {
  it('counts what the entries inflate to, whatever they declare', async () => {
    const xlsx = await workbook();
    const base = zipInflatedSize(xlsx, Infinity);
    expect(base).toBeGreaterThan(xlsx.length); // deflated parts, counted unzipped
    const honest = withEntry(xlsx, 'xl/media/a.bin', Buffer.alloc(10_000, 7));
    expect(zipInflatedSize(honest, Infinity)).toBe(base + 10_000);
    const lying = withEntry(xlsx, 'xl/media/a.bin', Buffer.alloc(10_000, 7), 100);
    expect(zipInflatedSize(lying, Infinity)).toBe(base + 10_000);
    expect(zipInflatedSize(lying, base + 9_999)).toBe(Infinity);
    expect(zipInflatedSize(lying, base + 10_000)).toBe(base + 10_000);
    expect(zipInflatedSize(Buffer.from('PK\x03\x04 not a zip'), Infinity)).toBe(Infinity);
  });

  it('refuses a workbook hiding 210 MB of zeros behind a declared 100 bytes, which it would otherwise read', async () => {
    const xlsx = await workbook();
    const unzips = vi.spyOn(ExcelJS.Workbook.prototype, 'xlsx', 'get');
    const small = withEntry(xlsx, 'xl/media/image1.png', Buffer.alloc(1_000));
    expect((await readTable(small, 'ok.xlsx')).rows).toHaveLength(1); // the same workbook with a small picture: read
    expect(unzips).toHaveBeenCalledTimes(1);
    const bomb = withEntry(xlsx, 'xl/media/image1.png', Buffer.alloc(210 * 1024 * 1024), 100);
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const e = await readTable(bomb, 'bomb.xlsx').then(() => null, (err: unknown) => err);
    expect(e).toBeInstanceOf(SpreadsheetError);
    expect((e as SpreadsheetError).code).toBe('xlsx_unreadable');
    expect(unzips).toHaveBeenCalledTimes(1); // refused before exceljs unzipped anything
    unzips.mockRestore();
  });
});
