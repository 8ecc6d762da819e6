/**
 * Spreadsheet import/export the way Chinese community workers use them: CSV saved by Excel/WPS in
 * UTF-8 (with or without BOM), GBK/GB18030 or UTF-16 ("Unicode text"), and XLSX.
 * Exports are safe to open in Excel: no cell is ever run as a formula (LESSONS.md "Spreadsheets").
 */
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import { zipInflatedSize } from './zip-size';

export const MAX_FILE_BYTES = 10 * 1024 * 1024;
export const DEFAULT_MAX_ROWS = 50_000;
/** Total unzipped size allowed inside an XLSX, counted by inflating it (zip bombs; zip-size.ts). */
const MAX_XLSX_UNZIPPED = 200 * 1024 * 1024;

export type SpreadsheetErrorCode =
  | 'file_too_large' | 'empty_file' | 'no_header' | 'duplicate_header' | 'too_many_rows'
  | 'xlsx_unreadable' | 'unsupported_format' | 'csv_malformed' | 'too_complex' | 'unreadable';

/** Whole-file failure. `zh`/`en` are user-facing; `message` is the English text. */
export class SpreadsheetError extends Error {
  constructor(readonly code: SpreadsheetErrorCode, readonly zh: string, readonly en: string) { super(en); this.name = 'SpreadsheetError'; }
}

/** Problem with one cell; the cell's value in `cells` is '' so a wrong value is never imported. */
export interface CellIssue { line: number; column: string; code: 'number_precision_lost' | 'formula_error'; zh: string; en: string }

export interface TableRow {
  /** 1-based row number as shown by Excel/WPS (header is normally line 1; blank rows are counted). */
  line: number;
  /** Header → trimmed text ('' when absent). */
  cells: Record<string, string>;
  /** Cell problems; callers must not import a row whose `errors` is non-empty. */
  errors: CellIssue[];
}

export interface Table { headers: string[]; rows: TableRow[] }

/**
 * Reads the first visible worksheet of an XLSX (content starts with "PK") or a CSV/TSV.
 * The header is the first non-empty row (a lone title cell above a wider header row is skipped);
 * empty header columns are dropped; empty rows are skipped but still counted in `line`.
 * In XLSX, values of merged ranges fill every covered data cell.
 * @throws SpreadsheetError file_too_large (>10 MB), empty_file, no_header, duplicate_header,
 *   too_many_rows (> opts.maxRows data rows, default 50 000), xlsx_unreadable,
 *   unsupported_format (legacy .xls / encrypted / binary), csv_malformed (e.g. unclosed quote).
 */
export async function readTable(buf: Buffer, filename: string, opts: { maxRows?: number } = {}): Promise<Table> {
  const maxRows = opts.maxRows ?? DEFAULT_MAX_ROWS;
  if (buf.length > MAX_FILE_BYTES) {
    throw new SpreadsheetError('file_too_large', `文件“${filename}”超过 10 MB，请拆分后再导入`, `File "${filename}" is larger than 10 MB; split it and retry`);
  }
  if (buf.length === 0) throw emptyFile(filename);
  if (buf[0] === 0x50 && buf[1] === 0x4b) return readXlsx(buf, filename, maxRows);
  if (buf.length >= 4 && buf.readUInt32BE(0) === 0xd0cf11e0) {
    throw new SpreadsheetError('unsupported_format', `“${filename}”是旧版 .xls 或加密的文件，请在 Excel/WPS 中另存为 .xlsx 或 CSV（不要设置密码）`,
      `"${filename}" is a legacy .xls or password-protected file; save it as .xlsx or CSV without a password`);
  }
  const text = decodeText(buf, filename);
  if (text.trim() === '') throw emptyFile(filename);
  const firstLine = text.slice(0, text.search(/\r|\n|$/));
  const delimiter = firstLine.includes('\t') && !firstLine.includes(',') ? '\t' : ',';
  let records: string[][];
  try {
    records = parse(text, { delimiter, relax_column_count: true, relax_quotes: true, skip_empty_lines: false });
  } catch (e) {
    const line = (e as { lines?: number }).lines ?? 0;
    throw new SpreadsheetError('csv_malformed', `“${filename}”第 ${line} 行附近格式有误（可能有未闭合的引号）`,
      `"${filename}" is malformed near line ${line} (possibly an unclosed quote)`);
  }
  // Each CSV record is one Excel row (a quoted newline stays inside its row), so line = index + 1.
  return buildTable(records.map((cells, i) => ({ line: i + 1, cells: cells.map((c) => ({ text: c })) })), filename, maxRows);
}

function emptyFile(filename: string): SpreadsheetError {
  return new SpreadsheetError('empty_file', `文件“${filename}”是空的`, `File "${filename}" is empty`);
}

function decodeText(buf: Buffer, filename: string): string {
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) return buf.subarray(3).toString('utf8');
  if (buf[0] === 0xff && buf[1] === 0xfe) return iconv.decode(buf.subarray(2), 'utf-16le');
  if (buf[0] === 0xfe && buf[1] === 0xff) return iconv.decode(buf.subarray(2), 'utf-16be');
  if (buf.includes(0)) {
    throw new SpreadsheetError('unsupported_format', `无法识别“${filename}”的格式，请上传 .xlsx 或 CSV 文件`,
      `Cannot recognise the format of "${filename}"; upload an .xlsx or CSV file`);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    return iconv.decode(buf, 'gb18030'); // superset of GBK; covers rare characters such as 𠈌
  }
}

interface RawCell { text: string; mergedCopy?: boolean; issue?: { code: CellIssue['code']; zh: string; en: string } }
interface RawRow { line: number; cells: RawCell[] }

function buildTable(raw: RawRow[], filename: string, maxRows: number): Table {
  const filled = (r: RawRow) => r.cells.filter((c) => c.text.trim() !== '' && !c.mergedCopy).length;
  const nonEmpty = raw.filter((r) => r.cells.some((c) => c.text.trim() !== '' || c.issue));
  // A single-cell title row above a real header ("XX社区场所登记表") is skipped.
  if (nonEmpty.length > 1 && filled(nonEmpty[0]) === 1 && filled(nonEmpty[1]) >= 2) nonEmpty.shift();
  const headerRow = nonEmpty[0];
  if (!headerRow) throw new SpreadsheetError('no_header', `“${filename}”中没有表头行`, `"${filename}" has no header row`);
  const columns: { index: number; name: string }[] = [];
  const seen = new Set<string>(); // not a scan of `columns`: a header of 300,000 names took minutes
  headerRow.cells.forEach((c, index) => {
    const name = c.mergedCopy ? '' : c.text.trim();
    if (name === '') return;
    if (seen.has(name)) {
      throw new SpreadsheetError('duplicate_header', `表头“${name}”出现了不止一次`, `Header "${name}" appears more than once`);
    }
    seen.add(name);
    columns.push({ index, name });
  });
  const rows: TableRow[] = [];
  for (const r of nonEmpty.slice(1)) {
    const cells: Record<string, string> = {};
    const errors: CellIssue[] = [];
    for (const col of columns) {
      const c = r.cells[col.index];
      cells[col.name] = c && !c.issue ? c.text.trim() : '';
      if (c?.issue) {
        errors.push({ line: r.line, column: col.name, code: c.issue.code,
          zh: `第 ${r.line} 行“${col.name}”列：${c.issue.zh}`, en: `Line ${r.line}, column "${col.name}": ${c.issue.en}` });
      }
    }
    if (!Object.values(cells).some((v) => v !== '') && errors.length === 0) continue;
    if (rows.length >= maxRows) {
      throw new SpreadsheetError('too_many_rows', `“${filename}”超过 ${maxRows} 行数据，请拆分后再导入`,
        `"${filename}" has more than ${maxRows} data rows; split it and retry`);
    }
    rows.push({ line: r.line, cells, errors });
  }
  return { headers: columns.map((c) => c.name), rows };
}

async function readXlsx(buf: Buffer, filename: string, maxRows: number): Promise<Table> {
  const unreadable = () => new SpreadsheetError('xlsx_unreadable', `无法读取“${filename}”，文件可能已损坏或不是 Excel 文件`,
    `Cannot read "${filename}"; the file may be damaged or not an Excel workbook`);
  if (zipInflatedSize(buf, MAX_XLSX_UNZIPPED) > MAX_XLSX_UNZIPPED) throw unreadable();
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(buf as unknown as Parameters<typeof wb.xlsx.load>[0]);
  } catch {
    throw unreadable();
  }
  const ws = wb.worksheets.find((s) => s.state === 'visible' || !s.state) ?? wb.worksheets[0];
  if (!ws) throw unreadable();
  const raw: RawRow[] = [];
  ws.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: RawCell[] = [];
    for (let col = 1; col <= row.cellCount; col++) {
      const cell = row.getCell(col);
      // exceljs repeats a merged range's value in every covered cell: good for a building number merged
      // down several rows, but a title merged across a row would look like repeated headers.
      cells.push({ ...xlsxCell(cell.value), mergedCopy: cell.isMerged && cell.master !== cell });
    }
    raw.push({ line: rowNumber, cells });
  });
  if (raw.length === 0) throw emptyFile(filename);
  return buildTable(raw, filename, maxRows);
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Plain decimal text for a number, never in exponent form. */
function numberText(n: number): string {
  if (!Number.isFinite(n)) return '';
  if (Number.isInteger(n)) return BigInt(n).toString();
  const s = String(n);
  return s.includes('e') ? n.toFixed(20).replace(/0+$/, '').replace(/\.$/, '') : s;
}

function xlsxCell(v: ExcelJS.CellValue): RawCell {
  if (v === null || v === undefined) return { text: '' };
  if (typeof v === 'string') return { text: v };
  if (typeof v === 'boolean') return { text: v ? 'TRUE' : 'FALSE' };
  if (typeof v === 'number') {
    if (Number.isInteger(v) && Math.abs(v) >= 1e15) {
      const read = numberText(v);
      return { text: '', issue: { code: 'number_precision_lost',
        zh: `超过 15 位的数字（如身份证号）被存成了数值，末几位已丢失（读到 ${read}）。请把该列设为“文本”格式后重新填写`,
        en: `a number longer than 15 digits (e.g. an ID number) was stored as a number and lost its last digits (read ${read}); format the column as Text and re-enter it` } };
    }
    return { text: numberText(v) };
  }
  if (v instanceof Date) {
    // exceljs maps Excel's zone-less serial dates to UTC instants: read them back with UTC getters.
    const d = new Date(Math.round(v.getTime() / 1000) * 1000);
    const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
    if (d.getUTCFullYear() < 1900) return { text: time }; // time-only cell (serial < 1)
    const date = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
    return { text: time === '00:00:00' ? date : `${date} ${time}` };
  }
  if ('richText' in v) return { text: v.richText.map((r) => r.text).join('') };
  if ('error' in v) {
    return { text: '', issue: { code: 'formula_error', zh: `单元格是错误值 ${v.error}`, en: `the cell holds the error value ${v.error}` } };
  }
  if ('formula' in v || 'sharedFormula' in v) return xlsxCell((v as { result?: ExcelJS.CellValue }).result ?? null);
  if ('text' in v) return xlsxCell(v.text as ExcelJS.CellValue); // hyperlink
  return { text: '' };
}

/** Header normalisation: NFKC (full-width → half-width, （）→ ()), no whitespace, lower case, no '*' marks. */
function normHeader(h: string): string {
  return h.normalize('NFKC').replace(/\s+/g, '').replace(/^\*+|\*+$/g, '').toLowerCase();
}

/**
 * Maps spreadsheet headers to field names via aliases, e.g. {name: ['名称', '场所名称', 'name']}.
 * Matching ignores case, whitespace, full/half-width forms and leading/trailing '*' (required marks).
 * @returns mapping field → actual header (read `row.cells[mapping.name]`); missing: fields with no
 *   header; unknown: headers matching no field; duplicate: headers whose field was already matched.
 */
export function mapHeaders<F extends string>(headers: string[], aliases: Record<F, string[]>):
  { mapping: Partial<Record<F, string>>; missing: F[]; unknown: string[]; duplicate: string[] } {
  const byAlias = new Map<string, F>();
  for (const field of Object.keys(aliases) as F[]) {
    for (const a of aliases[field]) if (!byAlias.has(normHeader(a))) byAlias.set(normHeader(a), field);
  }
  const mapping: Partial<Record<F, string>> = {};
  const unknown: string[] = [];
  const duplicate: string[] = [];
  for (const h of headers) {
    const field = byAlias.get(normHeader(h));
    if (field === undefined) unknown.push(h);
    else if (mapping[field] !== undefined) duplicate.push(h);
    else mapping[field] = h;
  }
  const missing = (Object.keys(aliases) as F[]).filter((f) => mapping[f] === undefined);
  return { mapping, missing, unknown, duplicate };
}

/**
 * Export-safe cell value. Strings starting with = + - @ TAB CR (or full-width ＝＋－＠) get a leading
 * "'" so Excel/WPS never run them as formulas (OWASP CSV injection). Finite numbers stay numbers;
 * null/undefined/NaN → ''; Date → China time (UTC+8) "YYYY-MM-DD HH:mm:ss"; bigint → its digits.
 */
export function safeCell(value: unknown): string | number {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? value : '';
  let s: string;
  if (value instanceof Date) {
    const d = new Date(value.getTime() + 8 * 3600_000);
    s = Number.isNaN(d.getTime()) ? '' : d.toISOString().slice(0, 19).replace('T', ' ');
  } else if (typeof value === 'object') {
    s = JSON.stringify(value);
  } else {
    s = String(value);
  }
  return /^[=+\-@\t\r＝＋－＠]/.test(s) ? `'${s}` : s;
}

function csvField(value: unknown): string {
  const v = safeCell(value);
  const s = typeof v === 'number' ? numberText(v) : v;
  return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** CSV for Excel on Chinese Windows: UTF-8 with BOM, CRLF, RFC 4180 quoting, every cell via safeCell. */
export function writeCsv(headers: string[], rows: unknown[][]): Buffer {
  const lines = [headers, ...rows].map((r) => r.map(csvField).join(',') + '\r\n');
  return Buffer.from('\uFEFF' + lines.join(''), 'utf8');
}

/** Display width for column sizing: CJK and other wide characters count as 2. */
function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]|[\u{20000}-\u{3fffd}]/u.test(ch) ? 2 : 1;
  return w;
}

/**
 * XLSX export: strings are written as text cells (never formulas) through safeCell, with the Text
 * number format so ID and phone numbers keep every digit; bold frozen header row; sized columns.
 * Sheet names are cleaned to Excel's rules (≤31 chars, no []:*?/\).
 */
export async function writeXlsx(sheetName: string, headers: string[], rows: unknown[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const name = sheetName.replace(/[[\]:*?/\\]/g, '_').replace(/^'+|'+$/g, '').slice(0, 31) || 'Sheet1';
  const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  const widths = headers.map((h) => displayWidth(String(h)));
  [headers, ...rows].forEach((r, i) => {
    const row = ws.getRow(i + 1);
    r.forEach((value, c) => {
      const cell = row.getCell(c + 1);
      const v = safeCell(value);
      if (v === '') return;
      cell.value = v;
      if (typeof v === 'string') cell.numFmt = '@';
      widths[c] = Math.max(widths[c] ?? 0, Math.min(displayWidth(String(v)), 60));
    });
    if (i === 0) row.font = { bold: true };
  });
  widths.forEach((w, c) => { ws.getColumn(c + 1).width = Math.min(Math.max(w + 2, 8), 50); });
  return Buffer.from(await wb.xlsx.writeBuffer());
}
