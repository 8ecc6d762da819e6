import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app';
import { buildStaff, TEST_PASSWORD } from '../../../test/helpers/factories/staff';
import { readTable } from '../../lib/spreadsheet';
import type { Role } from '../staff/roles';
import { signIn, STAFF_COOKIE } from '../staff/auth';

describe('audit log API', { timeout: 60_000 }, () => {
  let t: TestApp;
  let street: string; // street office of 东方红街道: may read the audit log
  let district: string;
  const person = randomUUID();
  const row = (at: string, action: string, area: string | null, extra: { person?: string; name?: string } = {}) => ({
    at, actor_kind: 'staff' as const, actor_id: 'x', actor_role: 'community_worker', actor_name: extra.name ?? '张工',
    action, person_id: extra.person ?? null, area_code: area, detail: JSON.stringify({ note: '=1+1' }),
  });
  beforeAll(async () => {
    t = await createTestApp();
    const session = async (role: Role, areaCode: string) =>
      `${STAFF_COOKIE}=${(await signIn(t.ctx, (await buildStaff(t.ctx, { role, areaCode })).username, TEST_PASSWORD)).sid}`;
    street = await session('street_office', '410811001');
    district = await session('district_command', '410811');
    await t.ctx.db.insertInto('audit_log').values([
      row('2020-02-01T10:00:00+08:00', 'person.read', '410811001001', { person, name: '=HYPERLINK("x")' }),
      row('2020-02-02T23:59:00+08:00', 'person.read', '410811001002', { person }),
      row('2020-02-03T00:00:00+08:00', 'checkins.export', '410811001001'),
      row('2020-02-02T12:00:00+08:00', 'person.read', '410811002001', { person }), // another street
      row('2020-02-02T12:00:00+08:00', 'person.read', null, { person }), // no area: visible to nobody
    ]).execute();
  }, 120_000);
  afterAll(async () => { await t?.close(); }, 60_000);

  const list = async (cookie: string, query = '') => {
    const res = await t.app.inject({ url: `/api/audit?${query}`, headers: { cookie } });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { total: number; items: { action: string; areaCode: string; personId: string | null; at: string; actor: { name: string } }[] };
  };

  it('lists only rows of the caller\'s subtree, newest first', async () => {
    const mine = await list(street, `personId=${person}`);
    expect(mine.items.map((i) => i.areaCode)).toEqual(['410811001002', '410811001001']);
    expect(mine.total).toBe(2);
    const wider = await list(district, `personId=${person}`);
    expect(wider.items.map((i) => i.areaCode)).toEqual(['410811001002', '410811002001', '410811001001']);
  });

  it('filters by action (exact or prefix), area and China-time days', async () => {
    expect((await list(street, 'action=checkins.export')).items).toHaveLength(1);
    expect((await list(street, 'action=person.')).items.every((i) => i.action.startsWith('person.'))).toBe(true);
    expect((await list(district, 'areaCode=410811002')).items.map((i) => i.areaCode)).toEqual(['410811002001']);
    // 2020-02-02 China day: 23:59 that day is in, 00:00 the next day is out.
    const day = await list(street, 'from=2020-02-02&to=2020-02-02');
    expect(day.items.map((i) => i.at)).toEqual(['2020-02-02T15:59:00.000Z']);
    const since = await list(street, `from=${encodeURIComponent('2020-02-02T23:59:00+08:00')}`);
    expect(since.items.map((i) => i.action)).toEqual(['checkins.export', 'person.read']);
    const page = await list(district, 'limit=1&offset=1');
    expect(page.items).toHaveLength(1);
    expect(page.total).toBeGreaterThan(1);
  });

  it('refuses bad times and ranges with a clear message, and roles without audit.read', async () => {
    for (const q of ['from=2020-02-30', 'from=yesterday', 'to=2020-02-01T08:00', 'from=2020-02-03&to=2020-02-01']) {
      const res = await t.app.inject({ url: `/api/audit?${q}`, headers: { cookie: street } });
      expect(res.statusCode, q).toBe(400);
      expect(res.json().error.message).toMatch(/时间/);
    }
    expect((await t.app.inject({ url: '/api/audit?personId=42', headers: { cookie: street } })).statusCode).toBe(400);
    const worker = `${STAFF_COOKIE}=${(await signIn(t.ctx, (await buildStaff(t.ctx, { role: 'community_worker' })).username, TEST_PASSWORD)).sid}`;
    expect((await t.app.inject({ url: '/api/audit', headers: { cookie: worker } })).statusCode).toBe(403);
  });

  it('exports a formula-safe CSV of the caller\'s rows, and audits the export', async () => {
    const res = await t.app.inject({ url: `/api/audit/export?personId=${person}`, headers: { cookie: street } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const table = await readTable(res.rawPayload, 'audit.csv');
    expect(table.rows.map((r) => r.cells['区域'])).toEqual(['410811001002', '410811001001']);
    expect(table.rows[1]!.cells['操作者']).toBe('\'=HYPERLINK("x")');
    expect(table.rows[1]!.cells['时间']).toBe('2020-02-01 10:00:00');
    const logged = await list(street, 'action=audit.export');
    expect(logged.items).toHaveLength(1);
    expect(logged.items[0]!.areaCode).toBe('410811001');
    const xlsx = await t.app.inject({ url: '/api/audit/export?format=xlsx&action=person.read', headers: { cookie: district } });
    expect(xlsx.statusCode).toBe(200);
    expect((await readTable(xlsx.rawPayload, 'a.xlsx')).rows).toHaveLength(3);
  });
});
