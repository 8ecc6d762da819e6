import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { mapHeaders, readTable, safeCell, SpreadsheetError, writeCsv, writeXlsx } from './spreadsheet';

const HEADERS = ['场所名称', '类型', '负责人', '手机号', '身份证号'];
const ROWS = [
  ['阳光花园小区', '住宅小区', '𠈌明', '13800138000', '11010119900307888X'],
  ['东关村', '村', '阿依古丽·买买提', '13912345678', '110101199003078888'],
  ['城东"便民"超市, 一店', '超市', '王五', '', '440301198001010016'],
];
const toCsv = (headers: string[], rows: string[][], sep = ',') =>
  [headers, ...rows].map((r) => r.map((c) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(sep)).join('\r\n') + '\r\n';
const expected = (rows: string[][]) =>
  rows.map((r, i) => ({ line: i + 2, cells: Object.fromEntries(HEADERS.map((h, j) => [h, r[j]])), errors: [] }));

async function xlsxOf(rows: unknown[][], setup?: (ws: ExcelJS.Worksheet) => void): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Sheet1');
  rows.forEach((r) => ws.addRow(r));
  setup?.(ws);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Minimal stored (uncompressed) zip with one file; CRC left 0, which the reader does not need. */
function zipOf(name: string, content: string): Buffer {
  const n = Buffer.from(name), d = Buffer.from(content);
  const local = Buffer.alloc(30); local.writeUInt32LE(0x04034b50, 0); local.writeUInt16LE(20, 4);
  local.writeUInt32LE(d.length, 18); local.writeUInt32LE(d.length, 22); local.writeUInt16LE(n.length, 26);
  const central = Buffer.alloc(46); central.writeUInt32LE(0x02014b50, 0); central.writeUInt16LE(20, 6);
  central.writeUInt32LE(d.length, 20); central.writeUInt32LE(d.length, 24); central.writeUInt16LE(n.length, 28);
  const end = Buffer.alloc(22); end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(1, 8); end.writeUInt16LE(1, 10);
  end.writeUInt32LE(46 + n.length, 12); end.writeUInt32LE(30 + n.length + d.length, 16);
  return Buffer.concat([local, n, d, central, n, end]);
}

async function readError(p: Promise<unknown>): Promise<SpreadsheetError> {
  const e = await p.then(() => null, (err: unknown) => err);
  expect(e).toBeInstanceOf(SpreadsheetError);
  return e as SpreadsheetError;
}

describe('readTable: encodings and formats', () => {
  const csv = toCsv(HEADERS, ROWS);
  const variants: [string, () => Promise<Buffer> | Buffer][] = [
    ['UTF-8', () => Buffer.from(csv, 'utf8')],
    ['UTF-8 with BOM', () => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(csv, 'utf8')])],
    ['UTF-16LE with BOM', () => Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(csv, 'utf-16le')])],
    ['UTF-16LE tab-separated ("Unicode text")', () => Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(toCsv(HEADERS, ROWS, '\t'), 'utf-16le')])],
    ['GB18030', () => iconv.encode(csv, 'gb18030')],
    ['XLSX', () => xlsxOf([HEADERS, ...ROWS])],
  ];
  for (const [name, make] of variants) {
    it(`reads ${name} to identical rows, including 𠈌`, async () => {
      const t = await readTable(await make(), 'places');
      expect(t.headers).toEqual(HEADERS);
      expect(t.rows).toEqual(expected(ROWS));
    });
  }

  it('reads GBK (rare characters aside, which GBK cannot encode)', async () => {
    expect(iconv.decode(iconv.encode('𠈌', 'gbk'), 'gbk')).not.toBe('𠈌'); // premise: 𠈌 is GB18030-only
    const gbkRows = ROWS.map((r) => r.map((c) => c.replace('𠈌', '张')));
    const buf = iconv.encode(toCsv(HEADERS, gbkRows), 'gbk');
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(buf)).toThrow();
    expect((await readTable(buf, 'a.csv')).rows).toEqual(expected(gbkRows));
  });

  it('keeps GB18030 four-byte 𠈌 distinct from UTF-8', async () => {
    const buf = iconv.encode('姓名\r\n𠈌\r\n', 'gb18030');
    expect(buf.includes(Buffer.from('𠈌', 'utf8'))).toBe(false);
    expect((await readTable(buf, 'a.csv')).rows[0].cells).toEqual({ 姓名: '𠈌' });
  });
});

describe('readTable: CSV structure', () => {
  it('gives the Excel row number when blank lines are skipped', async () => {
    const t = await readTable(Buffer.from('a,b\r\n\r\n1,2\r\n,\r\n\r\n3,4\r\n\r\n'), 'x.csv');
    expect(t.rows.map((r) => [r.line, r.cells.a])).toEqual([[3, '1'], [6, '3']]);
  });

  it('keeps a quoted newline inside one cell and one row', async () => {
    const t = await readTable(Buffer.from('名称,地址\n"甲","一号楼\n二单元"\n乙,二号楼\n'), 'x.csv');
    expect(t.rows).toEqual([
      { line: 2, cells: { 名称: '甲', 地址: '一号楼\n二单元' }, errors: [] },
      { line: 3, cells: { 名称: '乙', 地址: '二号楼' }, errors: [] },
    ]);
  });

  it('trims headers and cells, drops empty header columns, fills short rows, tolerates stray quotes', async () => {
    const t = await readTable(Buffer.from(' 名称 ,,　类型　\n 甲 ,忽略,村\n乙\n张"三,,x\n'), 'x.csv');
    expect(t.headers).toEqual(['名称', '类型']);
    expect(t.rows.map((r) => r.cells)).toEqual([{ 名称: '甲', 类型: '村' }, { 名称: '乙', 类型: '' }, { 名称: '张"三', 类型: 'x' }]);
  });
});

describe('readTable: XLSX cells', () => {
  it('reports an 18-digit ID stored as a number and keeps text IDs intact', async () => {
    const buf = await xlsxOf([['姓名', '身份证号'], ['甲', 110101199003078888], ['乙', '110101199003078888']]);
    const t = await readTable(buf, 'p.xlsx');
    expect(t.rows[0].cells['身份证号']).toBe('');
    expect(t.rows[0].errors).toHaveLength(1);
    expect(t.rows[0].errors[0]).toMatchObject({ line: 2, column: '身份证号', code: 'number_precision_lost' });
    expect(t.rows[0].errors[0].zh).toContain('第 2 行');
    expect(t.rows[1]).toEqual({ line: 3, cells: { 姓名: '乙', 身份证号: '110101199003078888' }, errors: [] });
  });

  it('converts numbers, dates, rich text, formulas and hyperlinks to text', async () => {
    const buf = await xlsxOf([['a', 'b', 'c', 'd', 'e', 'f', 'g']], (ws) => {
      ws.addRow([
        123456789012345, 0.0000001, new Date(Date.UTC(2022, 3, 5)),
        { richText: [{ text: '阳光' }, { font: { bold: true }, text: '花园' }] },
        { formula: 'A2*2', result: 246913578024690 }, { text: '链接', hyperlink: 'https://example.org' }, true,
      ]);
      ws.getCell('C2').numFmt = 'yyyy-mm-dd';
    });
    expect((await readTable(buf, 'x.xlsx')).rows[0].cells).toEqual({
      a: '123456789012345', b: '0.0000001', c: '2022-04-05', d: '阳光花园', e: '246913578024690', f: '链接', g: 'TRUE',
    });
  });

  it('uses real row numbers, skips a merged title row and empty rows', async () => {
    const buf = await xlsxOf([['东关社区场所登记表'], ['名称', '类型'], [], ['甲', '村']], (ws) => ws.mergeCells('A1:B1'));
    const t = await readTable(buf, 'x.xlsx');
    expect(t.headers).toEqual(['名称', '类型']);
    expect(t.rows).toEqual([{ line: 4, cells: { 名称: '甲', 类型: '村' }, errors: [] }]);
  });
});

describe('readTable: file errors', () => {
  const cases: [string, () => Promise<Buffer> | Buffer, string][] = [
    ['empty file', () => Buffer.alloc(0), 'empty_file'],
    ['BOM only', () => Buffer.from([0xef, 0xbb, 0xbf, 0x0d, 0x0a]), 'empty_file'],
    ['no header row', () => Buffer.from(',,\r\n,,\r\n'), 'no_header'],
    ['file over 10 MB', () => Buffer.alloc(10 * 1024 * 1024 + 1, 0x61), 'file_too_large'],
    ['unreadable xlsx', () => Buffer.from('PK\x03\x04 this is not really a zip'), 'xlsx_unreadable'],
    ['damaged xlsx', async () => (await xlsxOf([['a'], ['b']])).fill(0, 100, 2000), 'xlsx_unreadable'],
    ['zip that is not a workbook', () => zipOf('readme.txt', 'hello'), 'xlsx_unreadable'],
    ['zip whose sizes lie (declares 300 MB, holds 1 byte: not a workbook; real bombs: zip-size.test.ts)', () => { const z = zipOf('a.xml', 'x'); z.writeUInt32LE(300e6, 30 + 5 + 1 + 24); return z; }, 'xlsx_unreadable'],
    ['legacy .xls', () => Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]), 'unsupported_format'],
    ['binary data', () => Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0]), 'unsupported_format'],
    ['unclosed quote', () => Buffer.from('a,b\n1,"2\n'), 'csv_malformed'],
    ['duplicate header', () => Buffer.from('名称,名称\n1,2\n'), 'duplicate_header'],
  ];
  for (const [name, make, code] of cases) {
    it(`rejects ${name}`, async () => {
      const e = await readError(readTable(await make(), 'f'));
      expect(e.code).toBe(code);
      expect(e.zh).toMatch(/[\u4e00-\u9fff]/);
      expect(e.en).toBe(e.message);
    });
  }

  it('rejects too many rows in CSV and XLSX', async () => {
    const rows = [['n'], ...Array.from({ length: 6 }, (_, i) => [String(i)])];
    expect((await readError(readTable(Buffer.from(toCsv(['n'], rows.slice(1))), 'a.csv', { maxRows: 5 }))).code).toBe('too_many_rows');
    expect((await readError(readTable(await xlsxOf(rows), 'a.xlsx', { maxRows: 5 }))).code).toBe('too_many_rows');
    expect((await readTable(await xlsxOf(rows), 'a.xlsx', { maxRows: 6 })).rows).toHaveLength(6);
  });
});

describe('mapHeaders', () => {
  it('maps aliases ignoring case, spaces, full/half-width parentheses and * marks', () => {
    const aliases = { name: ['名称', '场所名称', 'name'], phone: ['联系电话(手机)', 'phone'], kind: ['类型'], code: ['编码'] };
    const r = mapHeaders(['场所 名称', ' PHONE ', '*类型', '联系电话（手机）', '备注'], aliases);
    expect(r.mapping).toEqual({ name: '场所 名称', phone: ' PHONE ', kind: '*类型' });
    expect(r.missing).toEqual(['code']);
    expect(r.unknown).toEqual(['备注']);
    expect(r.duplicate).toEqual(['联系电话（手机）']);
  });
});

describe('export', () => {
  const dangerous = ['=1+1', '+86138', '-2', '@SUM(A1)', '＝1', '\t=1', '\r=1', '＋1', '－1', '＠a'];

  it('safeCell prefixes formula starters and keeps numbers as numbers', () => {
    for (const s of dangerous) expect(safeCell(s)).toBe(`'${s}`);
    expect(safeCell(-2)).toBe(-2);
    expect(safeCell(3.5)).toBe(3.5);
    expect(safeCell('阳光=花园')).toBe('阳光=花园');
    expect(safeCell(null)).toBe('');
    expect(safeCell(NaN)).toBe('');
    expect(safeCell(new Date('2022-04-04T16:30:00Z'))).toBe('2022-04-05 00:30:00');
  });

  it('writeCsv: BOM, CRLF, RFC 4180 quoting, injection-safe, and reads back', async () => {
    const buf = writeCsv(['名称', '备注'], [['他说"好", 行', 'a'], ...dangerous.slice(0, 5).map((d) => [d, 7])]);
    expect([...buf.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = buf.toString('utf8').slice(1);
    expect(text.split('\r\n')[1]).toBe('"他说""好"", 行",a');
    expect(text.split('\r\n')).toHaveLength(8); // header + 6 rows + final CRLF
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    const t = await readTable(buf, 'out.csv');
    expect(t.rows.map((r) => r.cells['名称'])).toEqual(['他说"好", 行', "'=1+1", "'+86138", "'-2", "'@SUM(A1)", "'＝1"]);
    expect(t.rows[1].cells['备注']).toBe('7');
  });

  it('writeXlsx writes text cells (never formulas), bold header, widths, and round-trips', async () => {
    const rows = [['𠈌明', '110101199003078888', 36.5, '=HYPERLINK("http://evil","x")'], ['王五', '013800138000', 12, null]];
    const buf = await writeXlsx('场所/名单:2022', ['姓名', '身份证号', '体温', '备注'], rows);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buf as unknown as Parameters<typeof wb.xlsx.load>[0]);
    const ws = wb.worksheets[0];
    expect(ws.name).toBe('场所_名单_2022');
    expect(ws.getCell('A1').font?.bold).toBe(true);
    expect(ws.getCell('B2').value).toBe('110101199003078888');
    expect(ws.getCell('C2').value).toBe(36.5);
    expect(ws.getCell('D2').type).toBe(ExcelJS.ValueType.String);
    expect(ws.getColumn(2).width).toBeGreaterThanOrEqual(18);
    const t = await readTable(buf, 'out.xlsx');
    expect(t.rows).toEqual([
      { line: 2, cells: { 姓名: '𠈌明', 身份证号: '110101199003078888', 体温: '36.5', 备注: `'=HYPERLINK("http://evil","x")` }, errors: [] },
      { line: 3, cells: { 姓名: '王五', 身份证号: '013800138000', 体温: '12', 备注: '' }, errors: [] },
    ]);
  });
});
