import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app';
import { buildStaff, signInAs } from '../../../test/helpers/factories/staff';
import { checkpointByToken } from './service';

const STREET = '410811001'; // 东方红街道: 文化巷社区 …001, 广场社区 …002, 和平街社区 …003, 东焦作社区 …004

const HEADER = '社区编码,场所名称,场所类型,地址,卡点名称';
const csv = (rows: string[]) => [HEADER, ...rows].join('\r\n') + '\r\n';

async function xlsx(rows: (string | number)[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('场所');
  ws.addRow(['东方红街道场所登记表']); // a title row above the header is skipped by readTable
  ws.addRow(['社区名称', '场所名称', '场所类型', '详细地址', '卡点']);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe('place import', { timeout: 60_000 }, () => {
  let t: TestApp;
  let cookie: string;
  const upload = (body: Buffer | string, query = '', lang?: string, type = 'application/octet-stream') => t.app.inject({
    method: 'POST', url: `/api/places/import?filename=places.csv${query}`,
    headers: { cookie, 'content-type': type, ...(lang ? { 'accept-language': lang } : {}) }, payload: body,
  });
  const snapshot = async () => ({
    places: await t.ctx.db.selectFrom('places').select(['id', 'name', 'kind', 'community_code']).orderBy('id').execute(),
    checkpoints: await t.ctx.db.selectFrom('checkpoints').select(['id', 'name', 'place_id']).orderBy('id').execute(),
    tokens: Number((await t.ctx.db.selectFrom('checkpoint_tokens').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n),
  });
  const gatesOf = async (community: string, name: string) => (await t.ctx.db.selectFrom('places as p')
    .innerJoin('checkpoints as c', 'c.place_id', 'p.id').innerJoin('checkpoint_tokens as tk', 'tk.checkpoint_id', 'c.id')
    .select(['p.kind', 'p.address', 'c.name', 'tk.token']).where('p.community_code', '=', community).where('p.name', '=', name)
    .orderBy('c.name').execute());

  beforeAll(async () => {
    t = await createTestApp();
    cookie = await signInAs(t, await buildStaff(t.ctx, { role: 'street_office', areaCode: STREET }));
  }, 120_000);
  afterAll(async () => { await t?.close(); });

  it('imports UTF-8 CSV: rows of the same place share it, each gate gets a working token', async () => {
    const res = await upload(csv([
      '410811001001,建设路12号院,住宅小区,建设路12号,东门',
      '410811001001,建设路12号院,住宅小区,,西门',
      '410811001001,丹尼斯超市,supermarket,人民路1号,正门',
    ]));
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ ok: true, rows: 3, placesNew: 2, checkpointsNew: 3, placesExisting: 0, errors: [] });
    const gates = await gatesOf('410811001001', '建设路12号院');
    expect(gates.map((g) => [g.kind, g.address, g.name])).toEqual([['residential', '建设路12号', '东门'], ['residential', '建设路12号', '西门']]);
    expect((await checkpointByToken(t.ctx, gates[0]!.token))?.state).toBe('active');
    const audit = await t.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'places.import').execute();
    expect(audit).toHaveLength(1);
  });

  it('imports UTF-8 with BOM and GBK CSV files', async () => {
    const bom = await upload(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(csv(['410811001002,广场花园,小区,广场路3号,北门']), 'utf8')]));
    expect(bom.statusCode).toBe(201);
    expect((await gatesOf('410811001002', '广场花园')).map((g) => g.name)).toEqual(['北门']);
    const gbk = await upload(iconv.encode(csv(['410811001003,和平街卫生服务站,医疗机构,和平街8号,门诊入口', '410811001003,和平街卫生服务站,医疗机构,和平街8号,发热门诊入口']), 'gbk'));
    expect(gbk.statusCode).toBe(201);
    expect(gbk.json()).toMatchObject({ placesNew: 1, checkpointsNew: 2 });
    const gates = await gatesOf('410811001003', '和平街卫生服务站');
    expect(gates.map((g) => [g.kind, g.address, g.name])).toEqual([['medical', '和平街8号', '发热门诊入口'], ['medical', '和平街8号', '门诊入口']]);
  });

  it('imports XLSX with community names (resolved within the scope) and a title row', async () => {
    const file = await xlsx([['东焦作社区', '焦东商场', '商场', '焦东路9号', '东门'], ['东焦作', '焦东商场', '商场', '', '西门'], ['东焦作社区', '东焦作村委会', '机关单位', '', '正门']]);
    const res = await t.app.inject({ method: 'POST', url: '/api/places/import?filename=places.xlsx', headers: { cookie,
      'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }, payload: file });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ placesNew: 2, checkpointsNew: 3 });
    expect((await gatesOf('410811001004', '焦东商场')).map((g) => [g.kind, g.name])).toEqual([['mall', '东门'], ['mall', '西门']]);
  });

  it('previews with dryRun=1 without writing, and a re-import reuses what exists', async () => {
    const before = await snapshot();
    const file = csv(['410811001001,建设路12号院,住宅小区,,东门', '410811001001,建设路12号院,住宅小区,,南门', '410811001002,广场小学,企事业单位,,正门']);
    const dry = await upload(file, '&dryRun=1');
    expect(dry.statusCode).toBe(200);
    expect(dry.json()).toMatchObject({ dryRun: true, ok: true, placesNew: 1, placesExisting: 1, checkpointsNew: 2, checkpointsExisting: 1 });
    expect(dry.json().places[0]).toMatchObject({ name: '建设路12号院', isNew: false, newCheckpoints: ['南门'], existingCheckpoints: ['东门'] });
    expect(await snapshot()).toEqual(before);
    const real = await upload(file);
    expect(real.statusCode).toBe(201);
    expect((await gatesOf('410811001001', '建设路12号院')).map((g) => g.name)).toEqual(['东门', '南门', '西门']);
  });

  it('any row error imports nothing and reports every problem by line and field (zh, en on request)', async () => {
    const before = await snapshot();
    const file = csv([
      '410811001001,新小区,住宅小区,,东门', // fine on its own
      '410811002001,外区小区,住宅小区,,东门', // 东花园社区: outside 东方红街道
      '410811001001,新小区,城堡,,西门', // unknown kind
      '410811001001,新小区,住宅小区,,', // empty gate
      '410811001001,新小区,住宅小区,,东门', // duplicate gate of line 2
      '4108110010,坏编码,超市,,正门', // malformed code
      '410811001001,建设路12号院,超市,,北门', // exists as residential
    ]);
    const res = await upload(file);
    expect(res.statusCode).toBe(422);
    const err = res.json().error;
    expect(err.code).toBe('import_invalid');
    expect(err.message).toContain('未导入任何数据');
    const found = err.details.errors.map((e: { line: number; field: string }) => [e.line, e.field]);
    expect(found).toEqual([[3, 'communityCode'], [4, 'kind'], [5, 'checkpointName'], [6, 'checkpointName'], [7, 'communityCode'], [8, 'kind']]);
    expect(err.details.errors[0].message).toContain('不在您的管辖范围内');
    expect(err.details.errors[3].zh).toBe('第 6 行：卡点“东门”与第 2 行重复');
    expect(await snapshot()).toEqual(before);
    const en = await upload(file, '', 'en-US');
    expect(en.json().error.message).toMatch(/nothing was imported/);
    expect(en.json().error.details.errors[1].message).toMatch(/unknown place kind "城堡"/);
    const dry = await upload(file, '&dryRun=1');
    expect(dry.statusCode).toBe(200);
    expect(dry.json()).toMatchObject({ ok: false, errorCount: 6 });
    expect(await snapshot()).toEqual(before);
  });

  it('refuses whole-file problems with a clear 4xx', async () => {
    const missing = await upload('场所名称,卡点名称\r\n某小区,东门\r\n');
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.message).toBe('缺少必填列：社区编码（或社区名称）、场所类型');
    expect((await upload('')).statusCode).toBe(400);
    expect((await upload(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 1, 2, 3, 4]))).json().error.code).toBe('unsupported_format');
    const headerOnly = await upload(csv([]));
    expect(headerOnly.statusCode).toBe(422);
    const json = await t.app.inject({ method: 'POST', url: '/api/places/import', headers: { cookie }, payload: { filename: 'a.csv' } });
    expect(json.statusCode).toBe(415);
    const guard = await signInAs(t, await buildStaff(t.ctx, { role: 'guard', areaCode: '410811001001' }));
    const refused = await t.app.inject({ method: 'POST', url: '/api/places/import', headers: { cookie: guard, 'content-type': 'application/octet-stream' }, payload: csv([]) });
    expect(refused.statusCode).toBe(403);
  });
});
