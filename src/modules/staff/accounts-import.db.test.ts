import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app';
import { buildStaff, TEST_PASSWORD } from '../../../test/helpers/factories/staff';
import { buildCheckpoint, buildPlace } from '../../../test/helpers/factories/places';
import { readTable, writeXlsx } from '../../lib/spreadsheet';
import { signIn, STAFF_COOKIE } from './auth';

describe('bulk import of guards', { timeout: 120_000 }, () => {
  let t: TestApp;
  let street: string; // street office of 东方红街道
  let city: string; // admin of 焦作市
  let eastGate: string;
  const session = async (username: string, password = TEST_PASSWORD) => `${STAFF_COOKIE}=${(await signIn(t.ctx, username, password)).sid}`;
  beforeAll(async () => {
    t = await createTestApp();
    street = await session((await buildStaff(t.ctx, { role: 'street_office', areaCode: '410811001' })).username);
    city = await session((await buildStaff(t.ctx, { role: 'admin', areaCode: '4108' })).username);
    const place = await buildPlace(t.ctx, { communityCode: '410811001001', name: '文化巷小区' });
    eastGate = (await buildCheckpoint(t.ctx, place.id, { name: '东门' })).checkpoint.id;
    await buildCheckpoint(t.ctx, place.id, { name: '西门' });
    // An earlier guard holds the first generated username of 文化巷社区.
    await buildStaff(t.ctx, { role: 'guard', areaCode: '410811001001', username: 'g410811001001_01' });
  }, 120_000);
  afterAll(async () => { await t?.close(); }, 60_000);

  const upload = (cookie: string, body: Buffer, query: string, lang = 'zh') => t.app.inject({
    method: 'POST', url: `/api/staff/accounts/import?${query}`, payload: body,
    headers: { cookie, 'content-type': 'application/octet-stream', 'accept-language': lang },
  });
  const guardCount = async () => Number((await t.ctx.db.selectFrom('staff').select((eb) => eb.fn.countAll().as('n'))
    .where('role', '=', 'guard').executeTakeFirstOrThrow()).n);

  it('imports a GBK CSV: community by name, checkpoint by place + gate, generated usernames', async () => {
    const csv = iconv.encode('序号,姓名,用户名,社区名称,卡点\r\n1,张三,,文化巷社区,文化巷小区 东门\r\n2,李四,Guard-Li4,广场社区,\r\n3,阿依·古丽,,文化巷社区,\r\n', 'gbk');
    const res = await upload(street, csv, 'filename=guards.csv');
    expect(res.statusCode, res.body).toBe(200);
    const out = res.json();
    expect(out.created).toBe(3);
    expect(out.ignoredColumns).toEqual(['序号']);
    expect(out.accounts.map((a: { username: string }) => a.username)).toEqual(['g410811001001_02', 'guard-li4', 'g410811001001_03']);
    expect(out.accounts[0]).toMatchObject({ line: 2, displayName: '张三', areaCode: '410811001001', checkpointId: eastGate, checkpointLabel: '文化巷小区 东门' });
    expect(out.accounts[2].displayName).toBe('阿依·古丽');
    // The one-time passwords work once, and must be changed.
    const signedIn = await signIn(t.ctx, 'guard-li4', out.accounts[1].password);
    expect(signedIn.staff).toMatchObject({ role: 'guard', areaCode: '410811001002', mustChangePassword: true });
    const audits = await t.ctx.db.selectFrom('audit_log').select(['action', 'detail']).where('action', 'in', ['account.create', 'account.import']).execute();
    expect(audits.filter((a) => a.action === 'account.create' && a.detail.via === 'import')).toHaveLength(3);
    expect(audits.find((a) => a.action === 'account.import')?.detail).toMatchObject({ created: 3 });
    expect(JSON.stringify(audits)).not.toContain(out.accounts[1].password);
  });

  it('imports an XLSX by community code and answers the passwords as a formula-safe CSV', async () => {
    const xlsx = await writeXlsx('值守人员', ['姓名', '社区编码', '卡点'], [
      ['=HYPERLINK("http://x")', '410811001001', '西门'],
      ['王五', '410803002003', ''],
    ]);
    const res = await upload(city, xlsx, 'filename=guards.xlsx&format=csv');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.headers['cache-control']).toBe('no-store');
    const table = await readTable(res.rawPayload, 'out.csv');
    expect(table.headers).toEqual(['行号', '姓名', '用户名', '初始密码', '社区编码', '社区名称', '卡点']);
    expect(table.rows.map((r) => r.cells['姓名'])).toEqual(['\'=HYPERLINK("http://x")', '王五']);
    expect(table.rows[0]!.cells['卡点']).toBe('文化巷小区 西门');
    expect(table.rows[1]!.cells['用户名']).toBe('g410803002003_01');
    const pw = table.rows[1]!.cells['初始密码']!;
    expect((await signIn(t.ctx, 'g410803002003_01', pw)).staff.areaCode).toBe('410803002003');
  });

  it('refuses the whole file when any row is wrong, reporting every row, creating nothing', async () => {
    const before = await guardCount();
    const csv = Buffer.from('\uFEFF姓名,用户名,社区编码,卡点\n'
      + '好人,,410811001001,\n' // fine on its own
      + '坏码,,410811001999,\n' // no such community
      + ',,410811001001,\n' // name missing
      + '重名,guard-li4,410811001002,\n' // username already taken
      + '无门,,410811001001,文化巷小区 南门\n' // no such checkpoint
      + '外区,,410803002003,\n', 'utf8'); // outside the street's subtree
    const res = await upload(street, csv, 'filename=bad.csv');
    expect(res.statusCode).toBe(400);
    const err = res.json().error;
    expect(err.code).toBe('import_rejected');
    expect(err.message).toBe('导入失败，共 5 处错误，未创建任何账号');
    expect(err.details.errors.map((e: { line: number }) => e.line)).toEqual([3, 4, 5, 6, 7]);
    expect(err.details.errors[2].message).toContain('guard-li4 已被使用');
    expect(await guardCount()).toBe(before);
    const en = await upload(street, csv, 'filename=bad.csv', 'en');
    expect(en.json().error.details.errors[0].message).toMatch(/^Line 3: community code "410811001999" is unknown/);
  });

  it('asks for a code when a community name is ambiguous in the caller\'s area', async () => {
    const res = await upload(city, Buffer.from('姓名,社区名称\n赵六,朝阳社区\n'), 'filename=a.csv');
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.errors[0].message).toContain('410803002003、410823001005');
  });

  it('rejects unreadable files, missing columns, and callers who may not create guards', async () => {
    const missing = await upload(street, Buffer.from('姓名,电话\n张三,138\n'), 'filename=x.csv');
    expect(missing.json().error.code).toBe('missing_header');
    const legacy = await upload(street, Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0, 0, 0, 0]), 'filename=x.xls');
    expect(legacy.statusCode).toBe(400);
    expect(legacy.json().error.code).toBe('unsupported_format');
    const json = await t.app.inject({ method: 'POST', url: '/api/staff/accounts/import', headers: { cookie: street }, payload: { a: 1 } });
    expect(json.statusCode).toBe(415);
    expect(json.json().error.message).toBe('请把 CSV 或 XLSX 文件作为请求内容上传');
    const empty = await upload(street, Buffer.alloc(0), 'filename=x.csv');
    expect(empty.statusCode).toBeGreaterThanOrEqual(400);
    expect(empty.statusCode).toBeLessThan(500);
    const guard = await session((await buildStaff(t.ctx, { role: 'guard' })).username);
    expect((await upload(guard, Buffer.from('姓名,社区编码\n甲,410811001001\n'), 'filename=x.csv')).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'POST', url: '/api/staff/accounts/import', payload: Buffer.from('x'), headers: { 'content-type': 'text/csv' } })).statusCode).toBe(401);
  });

  it('offers a template whose header the importer accepts', async () => {
    const res = await t.app.inject({ url: '/api/staff/accounts/import-template', headers: { cookie: street } });
    expect(res.statusCode).toBe(200);
    const table = await readTable(res.rawPayload, 't.csv');
    expect(table.headers).toEqual(['姓名', '用户名', '社区编码', '社区名称', '卡点']);
  });
});
