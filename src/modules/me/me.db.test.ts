import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app';
import { registerDevice, validResidentId } from '../../../test/helpers/factories/persons';
import { buildCheckpoint, buildPlace } from '../../../test/helpers/factories/places';
import { buildStaff, signInAs } from '../../../test/helpers/factories/staff';
import { setStatus } from '../status/service';

describe('GET /api/r/me', { timeout: 120_000 }, () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp({ RETENTION_DAYS: '28' }); }, 120_000);
  afterAll(async () => { await t?.close(); }, 120_000);

  const me = (cookie?: string, lang?: string) => t.app.inject({
    url: '/api/r/me', headers: { ...(cookie ? { cookie } : {}), ...(lang ? { 'accept-language': lang } : {}) },
  });

  it('answers an unknown phone with no persons and the privacy notice', async () => {
    const res = await me();
    expect(res.statusCode).toBe(200);
    expect(res.json().persons).toEqual([]);
    expect(res.json().privacy).toMatchObject({ retentionDays: 28 });
    expect(res.json().privacy.purpose).toContain('疫情防控');
    expect((await me('yiqu_device=forged.value')).json().persons).toEqual([]);
  });

  it('shows my own data, dependents, status with history, check-ins of the retention period, and who read my record', async () => {
    const r = await registerDevice(t, { name: '孙𠈌' });
    const dep = await t.app.inject({
      method: 'POST', url: '/api/r/dependents', headers: { cookie: r.cookie },
      payload: { name: '孙奶奶', docType: 'resident_id', docNumber: validResidentId({ birth: '19380303' }), communityCode: '410811001001', address: '同住' },
    });
    expect(dep.statusCode).toBe(201);
    const doctor = await buildStaff(t.ctx, { role: 'community_doctor', areaCode: '410811001001' });
    await setStatus(t.ctx.db, r.personId, 'medical_observation', '密切接触者，观察14天', { kind: 'staff', id: doctor.id, role: 'community_doctor' });

    const place = await buildPlace(t.ctx, { name: '苏宁超市', kind: 'supermarket' });
    const { checkpoint } = await buildCheckpoint(t.ctx, place.id, { name: '南门' });
    const row = (at: Date, over: object = {}) => ({
      id: randomUUID(), person_id: r.personId, checkpoint_id: checkpoint.id, place_id: place.id, community_code: place.community_code,
      direction: 'in' as const, temperature: 36.5, outcome: 'pass' as const, refusal: null, source: 'resident' as const, actor_id: null, at, ...over,
    });
    const day = 86_400_000;
    await t.ctx.db.insertInto('checkins').values([
      row(new Date(Date.now() - 2 * day)),
      row(new Date(Date.now() - day), { temperature: 37.8, outcome: 'refused', refusal: 'fever' }),
      row(new Date(Date.now() - 40 * day)), // older than the retention period
    ]).execute();

    // A staff read of my record, and my own reading, which is not a staff read.
    const worker = await signInAs(t, await buildStaff(t.ctx, { role: 'community_worker', areaCode: '410811001001' }));
    expect((await t.app.inject({ url: `/api/persons/${r.personId}`, headers: { cookie: worker } })).statusCode).toBe(200);
    const auditBefore = await t.ctx.db.selectFrom('audit_log').select('id').execute();

    const res = await me(r.cookie);
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const [self, dependent] = res.json().persons;
    expect(self).toMatchObject({
      id: r.personId, name: '孙𠈌', maskedName: '孙*', relation: 'self', docType: 'resident_id',
      docMasked: `${r.docNumber.slice(0, 6)}********${r.docNumber.slice(14)}`,
      status: { code: 'medical_observation', label: '医学观察', reason: '密切接触者，观察14天' },
    });
    expect(self.statusHistory).toEqual([
      expect.objectContaining({ status: 'medical_observation', label: '医学观察', reason: '密切接触者，观察14天', role: 'community_doctor', roleLabel: '社区医生' }),
    ]);
    expect(self.checkins).toHaveLength(2);
    expect(self.checkins[0]).toMatchObject({ placeName: '苏宁超市', checkpointName: '南门', direction: 'in', temperature: 37.8, outcome: 'refused', refusal: 'fever' });
    expect(self.checkins[1]).toMatchObject({ temperature: 36.5, outcome: 'pass', refusal: null });
    expect(self.reads.map((x: { action: string }) => x.action)).toEqual(['person.read', 'status.set']);
    expect(self.reads[0]).toMatchObject({ actorRoleLabel: '社区工作人员/网格员', actionLabel: '查看了登记信息' });
    expect(JSON.stringify(self.reads)).not.toContain(doctor.display_name);
    expect(dependent).toMatchObject({ name: '孙奶奶', relation: 'dependent', status: { code: 'normal', since: null }, checkins: [], reads: [] });
    expect(await t.ctx.db.selectFrom('audit_log').select('id').execute()).toHaveLength(auditBefore.length);

    const en = (await me(r.cookie, 'en')).json();
    expect(en.persons[0].status.label).toBe('Under medical observation');
    expect(en.privacy.text).toMatch(/28 days/);
  });
});
