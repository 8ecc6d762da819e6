/**
 * Issue 4 §5: the check-in dashboard and the one entry rule. Hand-made check-ins on 2020-02-25..27
 * (China time) at two places of 山阳区 and one of 解放区; expected figures counted by hand.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app';
import { buildCheckpoint, buildPlace } from '../../../test/helpers/factories/places';
import { buildPerson } from '../../../test/helpers/factories/persons';
import { buildStaff, signInAs } from '../../../test/helpers/factories/staff';

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

describe('check-in dashboard (issue 4 §5)', () => {
  let t: TestApp;
  let cookieA: string; let cookieB: string;
  let p1: string; let p2: string; let pB: string;
  beforeAll(async () => {
    t = await createTestApp();
    const P1 = await buildPlace(t.ctx, { name: '建业小区', communityCode: '410811001001' });
    const P2 = await buildPlace(t.ctx, { name: '丹尼斯超市', kind: 'supermarket', communityCode: '410811001002' });
    const PB = await buildPlace(t.ctx, { name: '枫华园小区', communityCode: '410802001001' });
    p1 = P1.id; p2 = P2.id; pB = PB.id;
    const k1 = (await buildCheckpoint(t.ctx, p1, { name: '东门' })).checkpoint.id;
    const k2 = (await buildCheckpoint(t.ctx, p2, { name: '正门' })).checkpoint.id;
    const kB = (await buildCheckpoint(t.ctx, pB, { name: '北门' })).checkpoint.id;
    const [a, b, c, d, e] = await Promise.all([1, 2, 3, 4, 5].map(() => buildPerson(t.ctx)));
    const at = { 1: [p1, k1, '410811001001'], 2: [p2, k2, '410811001002'], B: [pB, kB, '410802001001'] } as const;
    const row = (n: number, person: string, where: keyof typeof at, direction: 'in' | 'out', when: string,
      over: { outcome?: 'pass' | 'refused'; refusal?: string; temperature?: number; source?: 'resident' | 'guard' } = {}) => ({
      id: id(n), person_id: person, place_id: at[where][0], checkpoint_id: at[where][1], community_code: at[where][2], direction,
      temperature: over.temperature ?? 36.5, outcome: over.outcome ?? 'pass' as const, refusal: over.refusal ?? null,
      source: over.source ?? 'resident' as const, actor_id: null, at: new Date(when),
    });
    await t.ctx.db.insertInto('checkins').values([
      row(1, a!.id, 1, 'in', '2020-02-25T23:30:00Z'),          // 07:30 on 02-26 China time
      row(2, a!.id, 1, 'in', '2020-02-25T15:59:00Z'),          // 23:59 on 02-25
      row(3, b!.id, 1, 'in', '2020-02-26T02:00:00Z'),          // two-way entry: resident's half
      row(4, b!.id, 1, 'in', '2020-02-26T02:00:10Z', { source: 'guard' }), // … and the guard's half
      row(5, c!.id, 1, 'in', '2020-02-26T03:00:00Z', { outcome: 'refused', refusal: 'fever', temperature: 37.8 }),
      row(6, a!.id, 1, 'out', '2020-02-26T04:00:00Z'),
      row(7, b!.id, 1, 'out', '2020-02-26T05:00:00Z'),         // two-way exit
      row(8, b!.id, 1, 'out', '2020-02-26T05:00:05Z', { source: 'guard' }),
      row(9, d!.id, 2, 'in', '2020-02-26T15:59:59Z'),          // 23:59:59 on 02-26
      row(10, d!.id, 2, 'in', '2020-02-26T16:00:00Z'),         // 00:00 on 02-27
      row(11, e!.id, 'B', 'in', '2020-02-26T02:00:00Z'),       // 解放区
    ]).execute();
    const twoWay = (guard: number, resident: number, person: string, direction: 'in' | 'out', when: string) => ({
      person_id: person, place_id: p1, checkpoint_id: k1, community_code: '410811001001', direction,
      guard_checkin_id: id(guard), resident_checkin_id: id(resident), guard_at: new Date(when), resident_at: new Date(when),
      guard_temperature: 36.5, resident_temperature: 36.5, gap_c: 0, flagged: false,
    });
    await t.ctx.db.insertInto('two_way_checks').values([
      twoWay(4, 3, b!.id, 'in', '2020-02-26T02:00:00Z'), twoWay(8, 7, b!.id, 'out', '2020-02-26T05:00:00Z'),
    ]).execute();
    const alert = (checkin: number, person: string, when: string, where: keyof typeof at) => ({
      checkin_id: id(checkin), person_id: person, checkpoint_id: at[where][1], community_code: at[where][2], temperature: 37.8, raised_at: new Date(when),
    });
    await t.ctx.db.insertInto('fever_alerts').values([
      alert(5, c!.id, '2020-02-26T03:00:00Z', 1),
      alert(90, c!.id, '2020-02-25T15:30:00Z', 1),   // 23:30 on 02-25
      alert(91, e!.id, '2020-02-26T02:00:00Z', 'B'),
    ]).execute();
    cookieA = await signInAs(t, await buildStaff(t.ctx, { role: 'community_worker', areaCode: '410811' }));
    cookieB = await signInAs(t, await buildStaff(t.ctx, { role: 'community_worker', areaCode: '410802' }));
  });
  afterAll(async () => { await t?.close(); });

  const get = (cookie: string, url: string) => t.app.inject({ url, headers: { cookie } });

  it('counts per China day (07:30 on 02-26 is 02-26), a two-way check once, fever alerts by raised_at', async () => {
    const res = await get(cookieA, '/api/checkins/dashboard?areaCode=410811&from=2020-02-25&to=2020-02-27');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().days).toEqual([
      { date: '2020-02-25', entries: 1, exits: 0, refused: 0, feverReadings: 0, feverAlerts: 1 },
      { date: '2020-02-26', entries: 3, exits: 2, refused: 1, feverReadings: 1, feverAlerts: 1 },
      { date: '2020-02-27', entries: 1, exits: 0, refused: 0, feverReadings: 0, feverAlerts: 0 },
    ]);
  });

  it('ranks the busiest places by entries, and one date is a day', async () => {
    const res = await get(cookieA, '/api/checkins/dashboard?date=2020-02-26');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().days).toEqual([{ date: '2020-02-26', entries: 3, exits: 2, refused: 1, feverReadings: 1, feverAlerts: 1 }]);
    expect(res.json().places).toEqual([
      { placeId: p1, name: '建业小区', kind: 'residential', community: '410811001001', communityName: expect.any(String), entries: 2, exits: 2, refused: 1, feverReadings: 1 },
      { placeId: p2, name: '丹尼斯超市', kind: 'supermarket', community: '410811001002', communityName: expect.any(String), entries: 1, exits: 0, refused: 0, feverReadings: 0 },
    ]);
    const one = await get(cookieA, `/api/checkins/dashboard?date=2020-02-26&placeId=${p1}`);
    expect(one.json().days[0]).toEqual({ date: '2020-02-26', entries: 2, exits: 2, refused: 1, feverReadings: 1, feverAlerts: 1 });
  });

  it('dashboard, counts, the entries list and its export agree for the same filter', async () => {
    const q = `placeId=${p1}&from=2020-02-26&to=2020-02-26`;
    const dash = (await get(cookieA, `/api/checkins/dashboard?${q}`)).json();
    const counts = (await get(cookieA, `/api/checkins/counts?${q}`)).json();
    const list = await get(cookieA, `/api/checkins?${q}&kind=entries`);
    const csv = await get(cookieA, `/api/checkins/export?${q}&kind=entries&format=csv`);
    expect(dash.days[0].entries).toBe(2);
    expect(counts.rows.map((r: { entries: number; exits: number }) => [r.entries, r.exits])).toEqual([[2, 2]]);
    expect(list.json().total).toBe(2);
    expect(list.json().rows.map((r: { id: string }) => r.id)).toEqual([id(3), id(1)]);
    const second = (await get(cookieA, `/api/checkins?${q}&kind=entries&limit=1&offset=1`)).json();
    expect([second.total, second.rows.map((r: { id: string }) => r.id)]).toEqual([2, [id(1)]]);
    expect(csv.statusCode).toBe(200);
    expect(csv.body.trim().split('\r\n').length - 1).toBe(2);
    // every row of the place and day without the kind filter: the guard halves are there too
    expect((await get(cookieA, `/api/checkins?${q}`)).json().total).toBe(7);
  });

  it('shows 解放区 nothing of 山阳区: its own figures only, and 404 for an area outside', async () => {
    expect((await get(cookieB, '/api/checkins/dashboard?areaCode=410811&date=2020-02-26')).statusCode).toBe(404);
    const own = await get(cookieB, '/api/checkins/dashboard?date=2020-02-26');
    expect(own.json().days).toEqual([{ date: '2020-02-26', entries: 1, exits: 0, refused: 0, feverReadings: 0, feverAlerts: 1 }]);
    expect(own.json().places.map((p: { placeId: string }) => p.placeId)).toEqual([pB]);
    const probe = await get(cookieB, `/api/checkins/dashboard?date=2020-02-26&placeId=${p1}`);
    expect(probe.json().days[0]).toEqual({ date: '2020-02-26', entries: 0, exits: 0, refused: 0, feverReadings: 0, feverAlerts: 0 });
    expect(probe.json().places).toEqual([]);
    expect((await get(cookieB, `/api/checkins?placeId=${p1}&from=2020-02-26&to=2020-02-26&kind=entries`)).json().total).toBe(0);
  });

  it('refuses a bad date, a date with a range and a reversed range with 400 and a clear message', async () => {
    const cases: [string, string][] = [
      ['date=2020-02-30', 'invalid_date'], ['date=2020-02-26&from=2020-02-25', 'date_with_range'],
      ['from=2020-02-27&to=2020-02-26', 'invalid_range'], ['from=2020-01-01&to=2020-03-31', 'range_too_long'],
    ];
    for (const [q, code] of cases) {
      const res = await get(cookieA, `/api/checkins/dashboard?${q}`);
      expect([q, res.statusCode, res.json().error.code]).toEqual([q, 400, code]);
    }
    expect((await get(cookieA, '/api/checkins?kind=exits')).statusCode).toBe(400);
  });

  it('refuses days outside 2000–2099 (year 0000 and 9999-12-31 were 500s) on the dashboard, the list and the export', async () => {
    for (const q of ['date=0000-01-01', 'date=9999-12-31', 'from=1999-12-31&to=2000-01-01']) {
      const res = await get(cookieA, `/api/checkins/dashboard?${q}`);
      expect([q, res.statusCode, res.json().error.code]).toEqual([q, 400, 'invalid_date']);
    }
    for (const url of ['/api/checkins?kind=entries&from=0000-01-01&to=0000-01-02', '/api/checkins/export?kind=entries&format=csv&from=0000-01-01&to=0000-01-02',
      '/api/checkins/counts?from=9999-12-31&to=9999-12-31']) {
      const res = await get(cookieA, url);
      expect([url, res.statusCode, res.json().error.code]).toEqual([url, 400, 'invalid_date']);
    }
    expect((await get(cookieA, '/api/checkins/dashboard?date=2000-01-01')).statusCode).toBe(200);
  });
});
