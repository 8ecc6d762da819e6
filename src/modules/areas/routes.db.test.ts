import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app';
import { buildStaff, TEST_PASSWORD } from '../../../test/helpers/factories/staff';
import { signIn, STAFF_COOKIE } from '../staff/auth';

describe('area tree API', { timeout: 60_000 }, () => {
  let t: TestApp;
  let streetCookie: string; // street office of 东方红街道 (410811001)
  let cityCookie: string;
  beforeAll(async () => {
    t = await createTestApp();
    const session = async (role: 'street_office' | 'admin', areaCode: string) =>
      `${STAFF_COOKIE}=${(await signIn(t.ctx, (await buildStaff(t.ctx, { role, areaCode })).username, TEST_PASSWORD)).sid}`;
    streetCookie = await session('street_office', '410811001');
    cityCookie = await session('admin', '4108');
  }, 120_000);
  afterAll(async () => { await t?.close(); }, 60_000);

  const get = (url: string, cookie?: string) => t.app.inject({ url, headers: cookie ? { cookie } : {} });

  it('lists every child inside the caller\'s subtree', async () => {
    const res = await get('/api/areas/410811001/children', streetCookie);
    expect(res.statusCode).toBe(200);
    const items = res.json().items;
    expect(items.slice(0, 2)).toEqual([
      { code: '410811001001', name: '文化巷社区', level: 5, parentCode: '410811001', hasChildren: false, inScope: true },
      { code: '410811001002', name: '广场社区', level: 5, parentCode: '410811001', hasChildren: false, inScope: true },
    ]);
    const city = (await get('/api/areas/4108/children', cityCookie)).json().items;
    expect(city).toHaveLength(11);
    expect(city.find((d: { code: string }) => d.code === '410811')).toMatchObject({ name: '山阳区', hasChildren: true, inScope: true });
  });

  it('above the caller\'s node shows only the path down to it', async () => {
    const top = (await get('/api/areas/4108/children', streetCookie)).json().items;
    expect(top).toEqual([{ code: '410811', name: '山阳区', level: 3, parentCode: '4108', hasChildren: true, inScope: false }]);
    const district = (await get('/api/areas/410811/children', streetCookie)).json().items;
    expect(district.map((a: { code: string }) => a.code)).toEqual(['410811001']);
    expect(district[0].inScope).toBe(true);
  });

  it('answers 404 for a node beside the caller\'s subtree, 400 for a malformed code, 401 when signed out', async () => {
    expect((await get('/api/areas/410811002/children', streetCookie)).statusCode).toBe(404);
    expect((await get('/api/areas/410802/children', streetCookie)).statusCode).toBe(404);
    expect((await get('/api/areas/410802', streetCookie)).statusCode).toBe(404);
    expect((await get('/api/areas/999999/children', cityCookie)).statusCode).toBe(404);
    const bad = await get('/api/areas/41a/children', streetCookie);
    expect(bad.statusCode).toBe(400);
    expect((await get('/api/areas/410811001/children')).statusCode).toBe(401);
  });

  it('gives a node with its breadcrumb', async () => {
    const res = (await get('/api/areas/410811001001', streetCookie)).json();
    expect(res.node).toMatchObject({ code: '410811001001', name: '文化巷社区', inScope: true });
    expect(res.ancestors.map((a: { name: string }) => a.name)).toEqual(['焦作市', '山阳区', '东方红街道']);
    expect((await get('/api/areas/410811', streetCookie)).json().node.inScope).toBe(false);
  });

  it('searches names within the caller\'s subtree only', async () => {
    const mine = (await get(`/api/areas/search?q=${encodeURIComponent('广场')}`, streetCookie)).json().items;
    expect(mine).toEqual([{ code: '410811001002', name: '广场社区', level: 5, parentCode: '410811001', path: '山阳区 / 东方红街道 / 广场社区' }]);
    const all = (await get(`/api/areas/search?q=${encodeURIComponent('朝阳社区')}`, cityCookie)).json().items;
    expect(all.map((a: { code: string }) => a.code)).toEqual(['410803002003', '410823001005']);
    expect((await get('/api/areas/search?q=%25', cityCookie)).json().items).toEqual([]);
    expect((await get('/api/areas/search?q=', cityCookie)).statusCode).toBe(400);
  });

  it('serves division names publicly for the registration form, without places', async () => {
    const res = await get('/api/r/areas/410811001/children');
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toMatch(/^public, max-age=\d+$/);
    expect(res.json()[0]).toEqual({ code: '410811001001', name: '文化巷社区' });
    await t.ctx.db.insertInto('places').values({ community_code: '410811001001', name: '公开测试小区', kind: 'residential', created_by: null }).execute();
    expect((await get('/api/r/areas/410811001001/children')).json()).toEqual([]);
    expect((await get('/api/r/areas/123456/children')).statusCode).toBe(404);
    expect((await get('/api/r/areas/abc/children')).statusCode).toBe(400);
  });
});
