import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app';
import { buildCheckpoint, buildPlace } from '../../../test/helpers/factories/places';
import { buildStaff, signInAs } from '../../../test/helpers/factories/staff';
import { checkpointByToken, onCheckpointChanged, type CheckpointChange } from './service';

const C1 = '410811001001'; // 文化巷社区, 东方红街道
const C2 = '410811001002'; // 广场社区, same street
const OTHER = '410811002001'; // 东花园社区, 焦东街道

describe('places and checkpoints', { timeout: 60_000 }, () => {
  let t: TestApp;
  let worker: string; // community_worker of C1
  let street: string; // street_office of 410811001
  let otherWorker: string; // community_worker of OTHER
  let police: string; // checkins.read only
  let guard: string; // neither
  const req = (cookie: string, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object, lang?: string) =>
    t.app.inject({ method, url, headers: { cookie, ...(lang ? { 'accept-language': lang } : {}) }, ...(payload ? { payload } : {}) });
  const count = async (table: 'places' | 'checkpoints' | 'checkpoint_tokens') =>
    Number((await t.ctx.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  beforeAll(async () => {
    t = await createTestApp();
    worker = await signInAs(t, await buildStaff(t.ctx, { role: 'community_worker', areaCode: C1 }));
    street = await signInAs(t, await buildStaff(t.ctx, { role: 'street_office', areaCode: '410811001' }));
    otherWorker = await signInAs(t, await buildStaff(t.ctx, { role: 'community_worker', areaCode: OTHER }));
    police = await signInAs(t, await buildStaff(t.ctx, { role: 'police', areaCode: '410811001' }));
    guard = await signInAs(t, await buildStaff(t.ctx, { role: 'guard', areaCode: C1 }));
  }, 120_000);
  afterAll(async () => { await t?.close(); });

  it('creates a place with gates, each with an unguessable token the gate can look up', async () => {
    const res = await req(worker, 'POST', '/api/places', { communityCode: C1, name: '东方红小区', kind: 'residential', address: '建设路12号', checkpoints: ['东门', '西门'] });
    expect(res.statusCode).toBe(201);
    const place = res.json().place;
    expect(place).toMatchObject({ name: '东方红小区', kind: 'residential', kindLabel: '住宅小区', communityName: '文化巷社区', streetName: '东方红街道', disabled: false });
    expect(place.checkpoints.map((c: { name: string }) => c.name)).toEqual(['东门', '西门']);
    const [east, west] = place.checkpoints;
    expect(east.token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(east.token).not.toBe(west.token);
    expect(east.url).toBe(`https://yiqu.test/c/${east.token}`);
    const info = await checkpointByToken(t.ctx, east.token);
    expect(info).toEqual({
      state: 'active', checkpoint: { id: east.id, name: '东门', mode: 'poster', modeSince: expect.any(Date) },
      place: { id: place.id, name: '东方红小区', kind: 'residential', kindLabel: '住宅小区' },
      community: { code: C1, name: '文化巷社区' }, street: { code: '410811001', name: '东方红街道' }, district: { code: '410811', name: '山阳区' },
    });
  });

  it('answers null for unknown or malformed tokens', async () => {
    expect(await checkpointByToken(t.ctx, 'A'.repeat(32))).toBeNull();
    expect(await checkpointByToken(t.ctx, "x' OR 1=1 --")).toBeNull();
    expect(await checkpointByToken(t.ctx, '')).toBeNull();
  });

  it('refuses a community outside the scope (403), unknown codes and bad input (400), changing nothing', async () => {
    const before = [await count('places'), await count('checkpoints')];
    const out = await req(worker, 'POST', '/api/places', { communityCode: C2, name: '外区小区', kind: 'residential' });
    expect(out.statusCode).toBe(403);
    expect(out.json().error.message).toBe('该社区不在您的管辖范围内');
    const unknown = await req(street, 'POST', '/api/places', { communityCode: '410811001999', name: '某小区', kind: 'mall' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.code).toBe('unknown_community');
    const streetCode = await req(street, 'POST', '/api/places', { communityCode: '410811001', name: '某小区', kind: 'mall' });
    expect(streetCode.statusCode).toBe(400);
    const badKind = await req(worker, 'POST', '/api/places', { communityCode: C1, name: '某小区', kind: 'castle' }, 'en');
    expect(badKind.statusCode).toBe(400);
    expect(badKind.json().error.message).toMatch(/kind is invalid/);
    const longName = await req(worker, 'POST', '/api/places', { communityCode: C1, name: '长'.repeat(101), kind: 'mall' });
    expect(longName.statusCode).toBe(400);
    expect(longName.json().error.message).toContain('格式不正确');
    const blank = await req(worker, 'POST', '/api/places', { communityCode: C1, name: '   ', kind: 'mall' });
    expect(blank.statusCode).toBe(400);
    const ctl = await req(worker, 'POST', '/api/places', { communityCode: C1, name: '坏\u0007名', kind: 'mall' });
    expect(ctl.statusCode).toBe(400);
    expect([await count('places'), await count('checkpoints')]).toEqual(before);
  });

  it('accepts rare characters and minority names; refuses a duplicate name in the same community (409)', async () => {
    const ok = await req(worker, 'POST', '/api/places', { communityCode: C1, name: '𠈌家庄·阿依古丽超市', kind: 'supermarket' });
    expect(ok.statusCode).toBe(201);
    expect(ok.json().place.name).toBe('𠈌家庄·阿依古丽超市');
    const dup = await req(worker, 'POST', '/api/places', { communityCode: C1, name: '𠈌家庄·阿依古丽超市', kind: 'supermarket' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.code).toBe('duplicate_place');
  });

  it('hides records outside the subtree (404) and lets the street above see and edit them', async () => {
    const p = await buildPlace(t.ctx, { communityCode: C1, name: '和平里小区' });
    const { checkpoint } = await buildCheckpoint(t.ctx, p.id, { name: '南门' });
    const before = await t.ctx.db.selectFrom('places').selectAll().where('id', '=', p.id).executeTakeFirstOrThrow();
    for (const [method, url, payload] of [
      ['GET', `/api/places/${p.id}`], ['PATCH', `/api/places/${p.id}`, { name: 'x' }], ['POST', `/api/places/${p.id}/disable`],
      ['POST', `/api/places/${p.id}/checkpoints`, { name: '北门' }], ['PATCH', `/api/checkpoints/${checkpoint.id}`, { name: 'x' }],
      ['POST', `/api/checkpoints/${checkpoint.id}/disable`], ['POST', `/api/checkpoints/${checkpoint.id}/reissue-token`],
    ] as const) {
      const res = await req(otherWorker, method, url, payload);
      expect(res.statusCode, `${method} ${url}`).toBe(404);
    }
    expect(await t.ctx.db.selectFrom('places').selectAll().where('id', '=', p.id).executeTakeFirstOrThrow()).toEqual(before);
    const edit = await req(street, 'PATCH', `/api/places/${p.id}`, { name: '和平里小区（北区）', kind: 'village', address: '和平街1号' });
    expect(edit.statusCode).toBe(200);
    expect(edit.json().place).toMatchObject({ name: '和平里小区（北区）', kind: 'village', kindLabel: '村', address: '和平街1号' });
    // The community worker may not move it to a community outside its scope.
    const move = await req(worker, 'PATCH', `/api/places/${p.id}`, { communityCode: C2 });
    expect(move.statusCode).toBe(403);
    const moved = await req(street, 'PATCH', `/api/places/${p.id}`, { communityCode: C2 });
    expect(moved.json().place.communityName).toBe('广场社区');
    expect((await req(worker, 'GET', `/api/places/${p.id}`)).statusCode).toBe(404);
    expect(await req(worker, 'GET', '/api/places/not-a-uuid').then((r) => r.statusCode)).toBe(400);
  });

  it('reissuing a token revokes the old one at once and tells the caches', async () => {
    const p = await buildPlace(t.ctx, { communityCode: C1 });
    const { checkpoint, token } = await buildCheckpoint(t.ctx, p.id);
    const seen: CheckpointChange[] = [];
    const off = onCheckpointChanged((c) => seen.push(c));
    const res = await req(worker, 'POST', `/api/checkpoints/${checkpoint.id}/reissue-token`);
    off();
    expect(res.statusCode).toBe(200);
    const fresh = res.json().token as string;
    expect(fresh).not.toBe(token);
    expect((await checkpointByToken(t.ctx, token))?.state).toBe('revoked');
    expect((await checkpointByToken(t.ctx, fresh))?.state).toBe('active');
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ reason: 'token_reissued', checkpointIds: [checkpoint.id] });
    expect(seen[0]!.tokens).toEqual(expect.arrayContaining([token, fresh]));
    expect(res.json().place.checkpoints[0].token).toBe(fresh);
  });

  it('disabling a checkpoint or its place makes the gate say disabled; enabling restores it', async () => {
    const p = await buildPlace(t.ctx, { communityCode: C1 });
    const a = await buildCheckpoint(t.ctx, p.id, { name: '东门' });
    const b = await buildCheckpoint(t.ctx, p.id, { name: '西门' });
    const seen: CheckpointChange[] = [];
    const off = onCheckpointChanged((c) => seen.push(c));
    expect((await req(worker, 'POST', `/api/checkpoints/${a.checkpoint.id}/disable`)).statusCode).toBe(200);
    expect((await checkpointByToken(t.ctx, a.token))?.state).toBe('disabled');
    expect((await checkpointByToken(t.ctx, b.token))?.state).toBe('active');
    const dis = await req(worker, 'POST', `/api/places/${p.id}/disable`);
    expect(dis.json().place.disabled).toBe(true);
    expect((await checkpointByToken(t.ctx, b.token))?.state).toBe('disabled');
    expect((await req(worker, 'POST', `/api/places/${p.id}/checkpoints`, { name: '北门' })).statusCode).toBe(409);
    await req(worker, 'POST', `/api/places/${p.id}/enable`);
    await req(worker, 'POST', `/api/checkpoints/${a.checkpoint.id}/enable`);
    off();
    expect((await checkpointByToken(t.ctx, a.token))?.state).toBe('active');
    expect((await checkpointByToken(t.ctx, b.token))?.state).toBe('active');
    expect(seen.map((s) => s.reason)).toEqual(['checkpoint_disabled', 'place_disabled', 'place_enabled', 'checkpoint_enabled']);
    expect(seen[1]!.tokens.sort()).toEqual([a.token, b.token].sort());
  });

  it('adds and renames checkpoints', async () => {
    const p = await buildPlace(t.ctx, { communityCode: C1 });
    const add = await req(worker, 'POST', `/api/places/${p.id}/checkpoints`, { name: '1号门', mode: 'screen' });
    expect(add.statusCode).toBe(201);
    const id = add.json().checkpointId;
    const ren = await req(worker, 'PATCH', `/api/checkpoints/${id}`, { name: '正门' });
    expect(ren.json().place.checkpoints).toEqual([expect.objectContaining({ id, name: '正门', mode: 'screen', disabled: false })]);
    expect((await req(worker, 'POST', `/api/places/${p.id}/checkpoints`, { name: '' })).statusCode).toBe(400);
  });

  it('lists with filters and paging within the scope; counts add up', async () => {
    await buildPlace(t.ctx, { communityCode: C2, name: '广场超市', kind: 'supermarket' });
    const list = await req(street, 'GET', '/api/places?kind=supermarket&pageSize=1');
    expect(list.statusCode).toBe(200);
    const body = list.json();
    expect(body.total).toBe(2); // 𠈌家庄·阿依古丽超市 in C1, 广场超市 in C2
    expect(body.items).toHaveLength(1);
    const page2 = (await req(street, 'GET', '/api/places?kind=supermarket&pageSize=1&page=2')).json();
    expect(page2.items[0].id).not.toBe(body.items[0].id);
    const mine = (await req(worker, 'GET', '/api/places?kind=supermarket')).json();
    expect(mine.items.map((i: { name: string }) => i.name)).toEqual(['𠈌家庄·阿依古丽超市']);
    const q = (await req(street, 'GET', `/api/places?q=${encodeURIComponent('东方红')}`)).json();
    expect(q.items.map((i: { name: string }) => i.name)).toEqual(['东方红小区']);
    expect(q.items[0]).toMatchObject({ activeCheckpoints: 2, totalCheckpoints: 2 });
    const pct = (await req(street, 'GET', `/api/places?q=${encodeURIComponent('%')}`)).json();
    expect(pct.total).toBe(0);
    expect((await req(worker, 'GET', `/api/places?areaCode=${C2}`)).statusCode).toBe(403);
    expect((await req(street, 'GET', '/api/places?pageSize=500')).statusCode).toBe(400);

    const counts = (await req(street, 'GET', '/api/places/counts')).json();
    const all = (await req(street, 'GET', '/api/places?disabled=all&pageSize=200')).json();
    expect(counts.active.places + counts.disabled.places).toBe(all.total);
    expect(counts.byKind.reduce((s: number, k: { places: number }) => s + k.places, 0)).toBe(counts.active.places);
    expect(counts.byArea.reduce((s: number, k: { checkpoints: number }) => s + k.checkpoints, 0)).toBe(counts.active.checkpoints);
    expect(counts.byArea.map((a: { code: string }) => a.code)).toContain(C2);
  });

  it('documents every route in /openapi.json', async () => {
    const doc = (await t.app.inject('/openapi.json')).json();
    for (const path of ['/api/places', '/api/places/counts', '/api/places/{id}', '/api/places/{id}/checkpoints', '/api/checkpoints/{id}/reissue-token',
      '/api/places/import', '/api/posters', '/api/posters/check']) expect(doc.paths[path], path).toBeDefined();
  });

  it('shows tokens only to place managers; roles without the permission are refused (403)', async () => {
    const list = await req(police, 'GET', '/api/places?q=' + encodeURIComponent('东方红'));
    expect(list.statusCode).toBe(200);
    const detail = (await req(police, 'GET', `/api/places/${list.json().items[0].id}`)).json();
    expect(detail.place.checkpoints[0].token).toBeNull();
    expect(detail.place.checkpoints[0].url).toBeNull();
    expect(detail.place.checkpoints[0].tokenPrefix).toMatch(/^.{4}-.{4}$/);
    expect((await req(police, 'POST', '/api/places', { communityCode: C1, name: 'x', kind: 'mall' })).statusCode).toBe(403);
    expect((await req(guard, 'GET', '/api/places')).statusCode).toBe(403);
    expect((await t.app.inject({ url: '/api/places' })).statusCode).toBe(401);
  });
});
