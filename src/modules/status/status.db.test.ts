import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app';
import { buildPerson } from '../../../test/helpers/factories/persons';
import { buildStaff, signInAs } from '../../../test/helpers/factories/staff';
import { BARRING_STATUSES, getStatuses, isBarring, onStatusChanged, setStatus, type StatusChange } from './service';

describe('person status register', { timeout: 120_000 }, () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp(); }, 120_000);
  afterAll(async () => { await t?.close(); }, 120_000);

  const history = (personId: string) => t.ctx.db.selectFrom('person_status_history').selectAll()
    .where('person_id', '=', personId).orderBy('id').execute();

  it('bars every status but normal', () => {
    expect(BARRING_STATUSES).toEqual(['fever_pending', 'medical_observation', 'home_isolation', 'centralized_isolation', 'case']);
    expect(isBarring('normal')).toBe(false);
    expect(isBarring('home_isolation')).toBe(true);
  });

  it('answers normal for persons without a row, and records every change with role, reason, time and audit', async () => {
    const p = await buildPerson(t.ctx);
    const before = await getStatuses(t.ctx.db, [p.id]);
    expect(before.get(p.id)).toMatchObject({ status: 'normal', reason: '' });
    const seen: StatusChange[] = [];
    const off = onStatusChanged((c) => seen.push(c));
    await setStatus(t.ctx.db, p.id, 'home_isolation', '  武汉返焦，居家隔离14天 ', { kind: 'staff', id: randomUUID(), role: 'community_doctor' });
    await setStatus(t.ctx.db, p.id, 'normal', '隔离期满解除', { kind: 'system', id: null, role: 'system' });
    off();
    await setStatus(t.ctx.db, p.id, 'case', '确诊', { kind: 'system', id: null, role: 'system' });
    expect(seen.map((c) => [c.previous, c.status])).toEqual([['normal', 'home_isolation'], ['home_isolation', 'normal']]);
    const h = await history(p.id);
    expect(h.map((r) => [r.previous, r.status, r.actor_role, r.reason])).toEqual([
      ['normal', 'home_isolation', 'community_doctor', '武汉返焦，居家隔离14天'],
      ['home_isolation', 'normal', 'system', '隔离期满解除'],
      ['normal', 'case', 'system', '确诊'],
    ]);
    const now = (await getStatuses(t.ctx.db, [p.id])).get(p.id)!;
    expect(now.status).toBe('case');
    expect(now.since.getTime()).toBe(h[2]!.at.getTime());
    const audits = await t.ctx.db.selectFrom('audit_log').select(['action', 'detail']).where('person_id', '=', p.id).orderBy('id').execute();
    expect(audits.map((a) => a.detail.status)).toEqual(['home_isolation', 'normal', 'case']);
  });

  it('refuses an empty reason, an unknown status and an unknown person, changing nothing', async () => {
    const p = await buildPerson(t.ctx);
    const sys = { kind: 'system' as const, id: null, role: 'system' };
    await expect(setStatus(t.ctx.db, p.id, 'home_isolation', '   ', sys)).rejects.toMatchObject({ status: 400, code: 'reason_required' });
    await expect(setStatus(t.ctx.db, p.id, 'home_isolation', ' \u200b\u200e\u3000 ', sys)).rejects.toMatchObject({ status: 400, code: 'reason_required' });
    await expect(setStatus(t.ctx.db, p.id, 'quarantine', '原因', sys)).rejects.toMatchObject({ status: 400, code: 'invalid_status' });
    await expect(setStatus(t.ctx.db, randomUUID(), 'case', '原因', sys)).rejects.toMatchObject({ status: 404 });
    expect(await history(p.id)).toEqual([]);
  });

  it('rolls back with the caller\'s transaction', async () => {
    const p = await buildPerson(t.ctx);
    await t.ctx.db.transaction().execute(async (trx) => {
      await setStatus(trx, p.id, 'medical_observation', '密切接触者', { kind: 'system', id: null, role: 'system' });
      throw new Error('abort');
    }).catch(() => undefined);
    expect((await getStatuses(t.ctx.db, [p.id])).get(p.id)!.status).toBe('normal');
    expect(await history(p.id)).toEqual([]);
  });

  it('lets scoped staff set a status by route; outside the subtree 404; guards 403; fever pending only at the gate', async () => {
    const p = await buildPerson(t.ctx, { homeCommunityCode: '410811001001' });
    const doctor = await signInAs(t, await buildStaff(t.ctx, { role: 'community_doctor', areaCode: '410811001001' }));
    const url = `/api/persons/${p.id}/status`;
    const set = (cookie: string, payload: object, lang?: string) => t.app.inject({
      method: 'POST', url, payload, headers: { cookie, ...(lang ? { 'accept-language': lang } : {}) },
    });
    const res = await set(doctor, { status: 'home_isolation', reason: '返乡人员' });
    expect(res.statusCode).toBe(200);
    expect(res.json().status).toMatchObject({ code: 'home_isolation', label: '居家隔离', reason: '返乡人员' });
    expect((await history(p.id)).at(-1)).toMatchObject({ actor_kind: 'staff', actor_role: 'community_doctor', reason: '返乡人员' });

    const noReason = await set(doctor, { status: 'normal', reason: '' }, 'en');
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().error.message).toMatch(/reason/);
    expect((await set(doctor, { status: 'fever_pending', reason: '手动' })).json().error.code).toBe('fever_pending_by_gate');

    const other = await signInAs(t, await buildStaff(t.ctx, { role: 'district_command', areaCode: '410802' }));
    expect((await set(other, { status: 'normal', reason: '越权' })).statusCode).toBe(404);
    const guard = await signInAs(t, await buildStaff(t.ctx, { role: 'guard', areaCode: '410811001001' }));
    expect((await set(guard, { status: 'normal', reason: '越权' })).statusCode).toBe(403);
    expect((await getStatuses(t.ctx.db, [p.id])).get(p.id)!.status).toBe('home_isolation');

    await setStatus(t.ctx.db, p.id, 'fever_pending', '卡点测得37.8℃', { kind: 'system', id: null, role: 'system' });
    expect((await set(doctor, { status: 'normal', reason: '我看没事' })).json().error.code).toBe('fever_pending_by_gate');
    expect((await set(doctor, { status: 'medical_observation', reason: '转发热门诊' })).statusCode).toBe(200);
  });
});
