/**
 * Households and screening campaigns (issue 5 §6): completion per building and community with
 * hand-written values (3 buildings, 10 households, 7 visited → 70 %), empty and rented homes listed,
 * a second visit replacing the first (audited), closing, the CSV export (households + 1 lines,
 * formula-safe, audited), members, scope (another district 404) and bad input. "Today" and "now"
 * are injected into the services; the HTTP reads do not depend on the clock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app';
import { buildPerson, validResidentId } from '../../../test/helpers/factories/persons';
import { asStaffUser, buildStaff, signInAs } from '../../../test/helpers/factories/staff';
import type { StaffUser } from '../staff/auth';
import { closeCampaign, createCampaign, recordVisit } from './screening';
import { createBuilding, createHousehold } from './service';
import { refusal } from '../../../test/helpers/refusal';

const COMMUNITY = '410811001001';
const COMMUNITY2 = '410811001002';
const OTHER = '410802001001';

describe('households and screening campaigns', () => {
  let t: TestApp;
  let worker: StaffUser;
  const cookies = {} as Record<'worker' | 'outsider' | 'doctor', string>;
  const hh: Record<string, string> = {};
  let campaignId: string;
  let otherHousehold: string;

  beforeAll(async () => {
    t = await createTestApp();
    const w = await buildStaff(t.ctx, { role: 'community_worker', areaCode: COMMUNITY });
    worker = asStaffUser(w);
    cookies.worker = await signInAs(t, w);
    cookies.outsider = await signInAs(t, await buildStaff(t.ctx, { role: 'community_worker', areaCode: OTHER }));
    cookies.doctor = await signInAs(t, await buildStaff(t.ctx, { role: 'community_doctor', areaCode: COMMUNITY }));
    // 3 buildings: 1号楼 4 households, 2号楼 3, 3号楼 3 (one empty, one rented)
    const plan: Array<[string, string[]]> = [['1号楼', ['101', '102', '201', '202']], ['2号楼', ['101', '102', '103']], ['3号楼', ['101', '102', '103']]];
    for (const [name, rooms] of plan) {
      const b = await createBuilding(t.ctx, worker, { communityCode: COMMUNITY, name });
      for (const room of rooms) {
        const occupancy = name === '3号楼' && room === '102' ? 'empty' : name === '3号楼' && room === '103' ? 'rented' : 'occupied';
        const h = await createHousehold(t.ctx, worker, { buildingId: b.id, unit: '1', room, occupancy,
          tenantNote: occupancy === 'rented' ? '=HYPERLINK("http://x")租户' : '' }, '2020-02-01');
        hh[`${name}-${room}`] = h.id;
      }
    }
    const other = await t.ctx.db.insertInto('households').values({ community_code: COMMUNITY2, room: '9' }).returning('id').executeTakeFirstOrThrow();
    otherHousehold = other.id;
    campaignId = (await createCampaign(t.ctx, worker, { communityCode: COMMUNITY, name: '清零行动第一轮', startedOn: '2020-02-10' }, '2020-02-10')).id;
    const now = new Date('2020-02-11T10:00:00+08:00');
    const visits: Array<[string, 'normal' | 'key_person_found' | 'empty' | 'no_answer' | 'refused']> = [
      ['1号楼-101', 'normal'], ['1号楼-102', 'key_person_found'], ['1号楼-201', 'no_answer'],
      ['2号楼-101', 'normal'], ['2号楼-102', 'refused'], ['2号楼-103', 'normal'], ['3号楼-102', 'empty'],
    ];
    for (const [k, outcome] of visits) await recordVisit(t.ctx, worker, campaignId, { householdId: hh[k]!, outcome, note: `走访${k}` }, now);
  });
  afterAll(async () => { await t?.close(); });

  const req = (who: keyof typeof cookies, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown) =>
    t.app.inject({ method, url, headers: { cookie: cookies[who] }, ...(payload !== undefined ? { payload: payload as object } : {}) });
  const auditActions = async (action: string) => (await t.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', action).execute());

  it('computes completion per building and for the community: 7 of 10 visited → 70 %', async () => {
    const res = await req('worker', 'GET', `/api/screening/campaigns/${campaignId}`);
    expect(res.statusCode, res.body).toBe(200);
    const d = res.json();
    expect(d.completion).toEqual({ households: 10, visited: 7, percent: 70 });
    expect(d.buildings.map((b: { buildingName: string; households: number; visited: number; percent: number }) =>
      [b.buildingName, b.households, b.visited, b.percent])).toEqual([
      ['1号楼', 4, 3, 75], ['2号楼', 3, 3, 100], ['3号楼', 3, 1, 33.3],
    ]);
    // the list's counts equal the figures
    expect(d.households).toHaveLength(10);
    expect(d.households.filter((h: { visited: boolean }) => h.visited)).toHaveLength(7);
    const by = new Map<string, { outcome: string | null; occupancy: string; visited: boolean }>(
      d.households.map((h: { householdId: string }) => [h.householdId, h]));
    expect(by.get(hh['1号楼-102']!)!.outcome).toBe('key_person_found');
    expect(by.get(hh['3号楼-101']!)!.visited).toBe(false);
    expect(by.get(hh['3号楼-101']!)!.outcome).toBeNull();
    expect(d.campaign).toMatchObject({ name: '清零行动第一轮', startedOn: '2020-02-10', state: 'open', endedOn: null });
    expect((await auditActions('screening.read')).length).toBeGreaterThan(0);
    // the community's campaign list gives the same completion
    const list = await req('worker', 'GET', `/api/screening/campaigns?communityCode=${COMMUNITY}`);
    expect(list.statusCode, list.body).toBe(200);
    expect(list.json().campaigns.find((c: { id: string }) => c.id === campaignId)).toMatchObject({
      name: '清零行动第一轮', state: 'open', completion: { households: 10, visited: 7, percent: 70 },
    });
  });

  it('lists empty and rented homes, with the building filter', async () => {
    const all = await req('worker', 'GET', `/api/households?communityCode=${COMMUNITY}`);
    expect(all.statusCode, all.body).toBe(200);
    const list = all.json().households as Array<{ id: string; occupancy: string; tenantNote: string; buildingName: string }>;
    expect(list).toHaveLength(10);
    expect(list.filter((h) => h.occupancy === 'empty').map((h) => h.id)).toEqual([hh['3号楼-102']]);
    expect(list.filter((h) => h.occupancy === 'rented').map((h) => h.id)).toEqual([hh['3号楼-103']]);
    const b3 = list.find((h) => h.id === hh['3号楼-101'])!;
    const one = await req('worker', 'GET', `/api/households?communityCode=${COMMUNITY}&buildingId=${(await t.ctx.db.selectFrom('households')
      .select('building_id').where('id', '=', b3.id).executeTakeFirstOrThrow()).building_id}`);
    expect(one.json().households.map((h: { room: string }) => h.room)).toEqual(['101', '102', '103']);
    const buildings = await req('worker', 'GET', `/api/buildings?communityCode=${COMMUNITY}`);
    expect(buildings.json().buildings.map((b: { name: string; households: number }) => [b.name, b.households]))
      .toEqual([['1号楼', 4], ['2号楼', 3], ['3号楼', 3]]);
  });

  it('replaces a second visit of a household (200, previous outcome audited); a closed campaign refuses visits and a second close', async () => {
    const c = await createCampaign(t.ctx, worker, { communityCode: COMMUNITY, name: '复查', startedOn: '2020-02-12' }, '2020-02-12');
    const now = new Date('2020-02-12T09:00:00+08:00');
    const first = await recordVisit(t.ctx, worker, c.id, { householdId: hh['2号楼-101']!, outcome: 'no_answer' }, now);
    expect(first.replaced).toBe(false);
    const again = await recordVisit(t.ctx, worker, c.id, { householdId: hh['2号楼-101']!, outcome: 'normal', note: '复访在家' },
      new Date('2020-02-12T18:00:00+08:00'));
    expect(again.replaced).toBe(true);
    expect(again.visit).toMatchObject({ outcome: 'normal', note: '复访在家', visitedAt: '2020-02-12T10:00:00.000Z' });
    const rows = await t.ctx.db.selectFrom('screening_visits').selectAll().where('campaign_id', '=', c.id).execute();
    expect(rows).toHaveLength(1);
    const replaced = (await auditActions('screening.visit_replace')).find((r) => (r.detail as { campaignId: string }).campaignId === c.id)!;
    expect(replaced.detail).toMatchObject({ outcome: 'normal', previousOutcome: 'no_answer' });
    // HTTP: a replacing visit answers 200
    const http = await req('worker', 'POST', `/api/screening/campaigns/${c.id}/visits`, { householdId: hh['2号楼-101'], outcome: 'refused' });
    expect(http.statusCode, http.body).toBe(200);
    expect(http.json().replaced).toBe(true);
    expect((await closeCampaign(t.ctx, worker, c.id, '2020-02-13')).endedOn).toBe('2020-02-13');
    expect(await refusal(recordVisit(t.ctx, worker, c.id, { householdId: hh['2号楼-102']!, outcome: 'normal' }, now))).toBe('409 campaign_closed');
    const close2 = await req('worker', 'POST', `/api/screening/campaigns/${c.id}/close`);
    expect(close2.statusCode).toBe(409);
    expect(close2.json().error.code).toBe('campaign_closed');
  });

  it('exports one CSV line per household plus the header, formula-safe, audited', async () => {
    const res = await req('worker', 'GET', `/api/screening/campaigns/${campaignId}/export`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toMatch(/attachment; filename="screening-410811001001-2020-02-10\.csv"/);
    const lines = res.body.replace(/^\uFEFF/, '').split('\r\n').filter((l) => l !== '');
    expect(lines).toHaveLength(11);
    expect(lines[0]).toBe('楼栋,单元,门牌,居住情况,租户说明,是否已走访,走访结果,走访时间,备注');
    expect(lines).toContain('1号楼,1,102,自住,,是,发现重点人员,2020-02-11 10:00:00,走访1号楼-102');
    const rented = lines.find((l) => l.includes('出租'))!;
    expect(rented).toContain(`"'=HYPERLINK(""http://x"")租户"`);
    const rows = (await auditActions('screening.export')).filter((r) => (r.detail as { campaignId: string }).campaignId === campaignId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ actor_id: worker.id, area_code: COMMUNITY });
    expect(rows[0]!.detail).toMatchObject({ rows: 10 });
  });

  it('links and unlinks members (audited, naming the person); a person of another district is 404', async () => {
    const p = await buildPerson(t.ctx, { name: '孙住户', homeCommunityCode: COMMUNITY });
    const url = `/api/households/${hh['1号楼-101']}/members`;
    const add = await req('worker', 'POST', url, { personId: p.id, since: '2018-05-01' });
    expect(add.statusCode, add.body).toBe(201);
    expect(add.json().household.members).toEqual([{ personId: p.id, maskedName: '孙*户', since: '2018-05-01' }]);
    const again = await req('worker', 'POST', url, { personId: p.id, since: '2018-06-01' });
    expect(again.statusCode).toBe(200);
    expect(again.json().household.members[0].since).toBe('2018-06-01');
    const audited = (await auditActions('household.member_add')).filter((r) => r.person_id === p.id);
    expect(audited).toHaveLength(2);
    const stranger = await buildPerson(t.ctx, { homeCommunityCode: OTHER });
    expect((await req('worker', 'POST', url, { personId: stranger.id })).statusCode).toBe(404);
    // living somewhere since before one was born (a certificate counted 9,831 days for a baby)
    const baby = await buildPerson(t.ctx, { homeCommunityCode: COMMUNITY, docNumber: validResidentId({ birth: '20200315' }) });
    const early = await req('worker', 'POST', url, { personId: baby.id, since: '2020-03-14' });
    expect([early.statusCode, early.json().error.code]).toEqual([400, 'since_before_birth']);
    expect(early.json().error.message).toContain('2020-03-15');
    expect((await req('worker', 'POST', url, { personId: baby.id, since: '2020-03-15' })).statusCode).toBe(201);
    expect((await req('worker', 'DELETE', `${url}/${baby.id}`)).statusCode).toBe(200);
    const del = await req('worker', 'DELETE', `${url}/${p.id}`);
    expect(del.statusCode, del.body).toBe(200);
    expect(del.json().household.members).toEqual([]);
    expect((await auditActions('household.member_remove')).filter((r) => r.person_id === p.id)).toHaveLength(1);
    expect((await req('worker', 'DELETE', `${url}/${p.id}`)).statusCode).toBe(404);
  });

  it('answers 404 to another district and 403 to a role without households.manage', async () => {
    for (const [method, url, body] of [
      ['GET', `/api/screening/campaigns/${campaignId}`, undefined],
      ['GET', `/api/screening/campaigns?communityCode=${COMMUNITY}`, undefined],
      ['GET', `/api/screening/campaigns/${campaignId}/export`, undefined],
      ['POST', `/api/screening/campaigns/${campaignId}/visits`, { householdId: hh['3号楼-101'], outcome: 'normal' }],
      ['POST', `/api/screening/campaigns/${campaignId}/close`, undefined],
      ['GET', `/api/households?communityCode=${COMMUNITY}`, undefined],
      ['GET', `/api/buildings?communityCode=${COMMUNITY}`, undefined],
      ['POST', '/api/buildings', { communityCode: COMMUNITY, name: '外区楼' }],
      ['PATCH', `/api/households/${hh['1号楼-101']}`, { occupancy: 'empty' }],
      ['POST', '/api/screening/campaigns', { communityCode: COMMUNITY, name: '越权', startedOn: '2020-02-10' }],
    ] as const) {
      const res = await req('outsider', method, url, body);
      expect(res.statusCode, `${method} ${url}: ${res.body}`).toBe(404);
    }
    expect((await req('doctor', 'GET', `/api/screening/campaigns/${campaignId}`)).statusCode).toBe(403);
    // a household of another community (in the district, outside the worker's community) is 404 too
    expect((await req('worker', 'POST', `/api/screening/campaigns/${campaignId}/visits`, { householdId: otherHousehold, outcome: 'normal' })).statusCode).toBe(404);
    expect((await req('worker', 'PATCH', `/api/households/${otherHousehold}`, { occupancy: 'empty' })).statusCode).toBe(404);
    const still = await req('worker', 'GET', `/api/screening/campaigns/${campaignId}`);
    expect(still.json().campaign.state).toBe('open');
  });

  it('refuses bad input, each with its own code', async () => {
    const code = async (method: 'POST' | 'PATCH', url: string, body: unknown) => {
      const r = await req('worker', method, url, body);
      return `${r.statusCode} ${r.json().error?.code}`;
    };
    expect(await code('POST', '/api/buildings', { communityCode: '410811001', name: '楼' })).toMatch(/^400 /);
    expect(await code('POST', '/api/buildings', { communityCode: COMMUNITY, name: '1号楼' })).toBe('409 building_exists');
    expect(await code('POST', '/api/buildings', { communityCode: COMMUNITY, name: '  ' })).toBe('400 building_name_required');
    expect(await code('POST', '/api/households', { room: '1' })).toBe('400 building_or_community_required');
    const b1 = (await t.ctx.db.selectFrom('households').select('building_id').where('id', '=', hh['1号楼-101']!).executeTakeFirstOrThrow()).building_id;
    expect(await code('POST', '/api/households', { buildingId: b1, unit: '1', room: '101' })).toBe('409 household_exists');
    expect(await code('POST', '/api/households', { buildingId: b1, room: '301', occupancy: 'abandoned' })).toMatch(/^400 /);
    expect(await code('POST', '/api/households', { buildingId: b1, room: '301', residentSince: '2020-02-30' })).toBe('400 resident_since_invalid');
    expect(await code('POST', '/api/households', { buildingId: b1, room: '301', residentSince: '2099-01-01' })).toBe('400 resident_since_in_future');
    expect(await code('POST', '/api/households', { buildingId: b1, room: '301\u0000' })).toMatch(/^400 /);
    expect(await code('PATCH', `/api/households/${hh['1号楼-101']}`, {})).toBe('400 nothing_to_change');
    expect(await code('PATCH', `/api/households/${hh['1号楼-101']}`, { room: '102' })).toBe('409 household_exists');
    expect(await code('POST', '/api/screening/campaigns', { communityCode: COMMUNITY, name: '未来', startedOn: '2099-01-01' })).toBe('400 started_on_in_future');
    expect(await code('POST', '/api/screening/campaigns', { communityCode: COMMUNITY, name: '坏日', startedOn: '2020-02-30' })).toBe('400 started_on_invalid');
    const visits = `/api/screening/campaigns/${campaignId}/visits`;
    expect(await code('POST', visits, { householdId: hh['3号楼-101'], outcome: 'maybe' })).toMatch(/^400 /);
    expect(await code('POST', visits, { householdId: hh['3号楼-101'], outcome: 'normal', visitedAt: '2020-02-09T10:00:00+08:00' })).toBe('400 visited_at_invalid');
    expect(await code('POST', visits, { householdId: hh['3号楼-101'], outcome: 'normal', note: 'x'.repeat(301) })).toMatch(/^400 /);
    expect(await code('POST', '/api/screening/campaigns/not-a-uuid/visits', { householdId: hh['3号楼-101'], outcome: 'normal' })).toMatch(/^400 /);
    // nothing was recorded by the refusals
    const d = await req('worker', 'GET', `/api/screening/campaigns/${campaignId}`);
    expect(d.json().completion).toEqual({ households: 10, visited: 7, percent: 70 });
  });
});
