import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { readTable, SpreadsheetError } from './spreadsheet';
import { AppError } from './errors';
import { READ_QUEUE_MAX, readTableOffThread } from './spreadsheet-thread';

async function xlsxOf(rows: unknown[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Sheet1');
  rows.forEach((r) => ws.addRow(r));
  ws.mergeCells('C2:C3');
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const failure = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e as SpreadsheetError);

describe('reading an upload on its own thread', () => {
  it('gives what readTable gives, for XLSX and GBK CSV', async () => {
    const rows = [['场所名称', '负责人', '楼栋'], ['阳光花园', '𠈌明', '3号楼'], ['东关村', '阿依古丽·买买提', null], ['超市', '王五', 12345678901234]];
    const xlsx = await xlsxOf(rows);
    expect(await readTableOffThread(xlsx, 'a.xlsx')).toEqual(await readTable(xlsx, 'a.xlsx'));
    const gbk = iconv.encode('场所名称,负责人\r\n东关村,王五\r\n', 'gbk');
    const table = await readTableOffThread(gbk, 'b.csv');
    expect(table).toEqual(await readTable(gbk, 'b.csv'));
    expect(table.rows[0]!.cells).toEqual({ 场所名称: '东关村', 负责人: '王五' });
  });

  it('passes the reader\'s refusals on with their code and both languages', async () => {
    const csv = Buffer.from(`n\n${Array.from({ length: 8 }, (_, i) => `r${i}`).join('\n')}\n`);
    const e = await failure(readTableOffThread(csv, 'big.csv', { maxRows: 5 }));
    expect(e).toBeInstanceOf(SpreadsheetError);
    expect([e!.code, e!.zh, e!.en]).toEqual(['too_many_rows', '“big.csv”超过 5 行数据，请拆分后再导入', '"big.csv" has more than 5 data rows; split it and retry']);
    expect((await failure(readTableOffThread(Buffer.from('"abc\n'), 'q.csv')))?.code).toBe('csv_malformed');
  });

  it('refuses a file that needs more memory or time than allowed, as too_complex', async () => {
    const rows = [['n', 'address'], ...Array.from({ length: 20_000 }, (_, i) => [`place ${i}`, `解放路 ${i} 号 ${'x'.repeat(100)}`])];
    const xlsx = await xlsxOf(rows);
    expect((await readTableOffThread(xlsx, 'ok.xlsx')).rows).toHaveLength(20_000);
    const small = { heapMb: 48, timeoutS: 60 };
    expect((await readTableOffThread(await xlsxOf(rows.slice(0, 100)), 'small.xlsx', { limits: small })).rows).toHaveLength(99);
    const memory = await failure(readTableOffThread(xlsx, 'heap.xlsx', { limits: small }));
    expect([memory?.code, memory?.zh]).toEqual(['too_complex', '“heap.xlsx”内容过多，无法读取，请拆分成几个较小的文件后再导入']);
    const time = await failure(readTableOffThread(xlsx, 'slow.xlsx', { limits: { heapMb: 512, timeoutS: 0.05 } }));
    expect(time?.code).toBe('too_complex');
    // the queue goes on after a refused file
    expect((await readTableOffThread(Buffer.from('a\n1\n'), 'next.csv')).rows).toHaveLength(1);
  });

  it('refuses a file while READ_QUEUE_MAX are in (503, in words), and takes files again after', async () => {
    const files = Array.from({ length: READ_QUEUE_MAX }, (_, i) => readTableOffThread(Buffer.from(`n\n${i}\n`), `${i}.csv`));
    const busy = await readTableOffThread(Buffer.from('n\nx\n'), 'late.csv').then(() => null, (e: unknown) => e as AppError);
    expect(busy).toBeInstanceOf(AppError);
    expect([busy!.status, busy!.code, busy!.messages.zh]).toEqual([503, 'import_busy', '正在读取其他上传的文件，请稍等一分钟后重试']);
    expect((await Promise.all(files)).map((t) => t.rows[0]!.cells.n)).toEqual(Array.from({ length: READ_QUEUE_MAX }, (_, i) => String(i)));
    expect((await readTableOffThread(Buffer.from('n\nx\n'), 'later.csv')).rows).toHaveLength(1);
  });

  it('reads a header of 300,000 names (a scan per name took minutes)', async () => {
    const names = Array.from({ length: 300_000 }, (_, i) => `c${i}`);
    const table = await readTableOffThread(Buffer.from(`${names.join(',')}\n${names.map(() => '1').join(',')}\n`), 'wide.csv');
    expect([table.headers.length, table.headers.at(-1), table.rows.length]).toEqual([300_000, 'c299999', 1]);
  });

  it('reads files given at once one after another, each with its own result', async () => {
    const files = [1, 2, 3].map((n) => Buffer.from(`n\n${Array.from({ length: n }, (_, i) => `${n}-${i}`).join('\n')}\n`));
    const tables = await Promise.all(files.map((f, i) => readTableOffThread(f, `${i}.csv`)));
    expect(tables.map((t) => t.rows.map((r) => r.cells.n))).toEqual([['1-0'], ['2-0', '2-1'], ['3-0', '3-1', '3-2']]);
  });
});
