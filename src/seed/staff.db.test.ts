import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/helpers/app';
import { signIn } from '../modules/staff/auth';
import { can } from '../modules/staff/roles';
import { seedDemo } from './demo';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from './staff';
import { addDays, chinaDate, chinaDayStart } from '../lib/time';
import { situationReport } from '../modules/reports/service';
import { computeTrace } from '../modules/tracing/service';
import { listKeyPersons } from '../modules/keypersons/service';
import { myTasks } from '../modules/keypersons/tasks';
import { listCampaigns } from '../modules/households/screening';

describe('demo seed', { timeout: 120_000 }, () => {
  let t: TestApp;
  let lines: string[];
  beforeAll(async () => {
    t = await createTestApp();
    lines = await seedDemo(t.ctx);
  }, 240_000);
  afterAll(async () => { await t?.close(); }, 60_000);

  it('prints one login line per role with its area, and the shared password', () => {
    for (const a of DEMO_ACCOUNTS) expect(lines.some((l) => l.startsWith(a.role) && l.includes(a.username))).toBe(true);
    expect(lines).toContain(`password of every demo account: ${DEMO_PASSWORD}`);
    expect(lines.find((l) => l.includes('demo-district'))).toMatch(/410811 山阳区$/);
    expect(lines.find((l) => l.includes('demo-street'))).toMatch(/410811001 东方红街道$/);
    expect(lines.some((l) => /demo-guard's gate: .+ https:\/\/yiqu\.test\/c\/\S{20,}$/.test(l))).toBe(true);
  });

  it('creates working accounts on the demo path; the guard is posted at a gate of its community', async () => {
    const admin = await signIn(t.ctx, 'demo-admin', DEMO_PASSWORD);
    expect(admin.staff).toMatchObject({ role: 'admin', areaCode: '4108', mustChangePassword: false });
    expect(can(admin.staff.role, 'accounts.manage')).toBe(true);
    const guard = await signIn(t.ctx, 'demo-guard', DEMO_PASSWORD);
    expect(guard.staff.areaCode).toMatch(/^410811001\d{3}$/);
    const post = await t.ctx.db.selectFrom('checkpoints as c').innerJoin('places as p', 'p.id', 'c.place_id')
      .select('p.community_code').where('c.id', '=', guard.staff.checkpointId!).executeTakeFirstOrThrow();
    expect(post.community_code).toBe(guard.staff.areaCode);
    const doctor = await signIn(t.ctx, 'demo-doctor', DEMO_PASSWORD);
    const org = await t.ctx.db.selectFrom('organisations').select(['name', 'area_code']).where('id', '=', doctor.staff.orgId!).executeTakeFirstOrThrow();
    expect(org).toEqual({ name: '东方红街道社区卫生服务中心', area_code: '410811001' });
    const audited = await t.ctx.db.selectFrom('audit_log').select('id').where('action', '=', 'account.create').execute();
    expect(audited).toHaveLength(DEMO_ACCOUNTS.length);
  });

  it('seeds a small outbreak the report and a trace read back (src/seed/outbreak.ts)', async () => {
    const today = chinaDate();
    expect(lines.some((l) => /^demo outbreak: 4 cases \(410811-0001 … 410811-0004\)/.test(l))).toBe(true);
    const r = await situationReport(t.ctx, '410811', today);
    expect(r.figures).toMatchObject({
      newConfirmed: 0, cumulativeConfirmed: 3, currentSuspected: 0, cumulativeSuspected: 2, cumulativeDischarged: 1,
      currentlyHospitalised: 2, imported: 1, local: 2, secondGeneration: 2, cumulativeTraced: 5, cumulativeTracedSecondary: 1,
      released: 1, underObservation: 4, daysWithoutNewConfirmed: 4, clearedOn: null,
    });
    const person = async (name: string) => (await t.ctx.db.selectFrom('persons').select('id').where('name', '=', name).executeTakeFirstOrThrow()).id;
    const trace = await computeTrace(t.ctx, { personId: await person('赵敏'), from: chinaDayStart(addDays(today, -7)), to: new Date(), marginMin: 30 });
    expect(trace.candidates.map((c) => [c.personId, c.overlapMinutes])).toEqual([[await person('周涛'), 40], [await person('吴静'), 20]]);
  });

  it('seeds the community work the key-person list, tasks and screening read back (src/seed/community.ts)', async () => {
    expect(lines.some((l) => l.startsWith('demo community work: 3 arrivals'))).toBe(true);
    const worker = (await signIn(t.ctx, 'demo-community', DEMO_PASSWORD)).staff;
    const police = (await signIn(t.ctx, 'demo-police', DEMO_PASSWORD)).staff;
    const list = await listKeyPersons(t.ctx, worker, { category: 'home_isolation' });
    expect(list).toEqual([expect.objectContaining({ maskedName: '陈*乡', measure: 'home_isolation', day: 3, of: 14, lastTemperature: 37.6 })]);
    expect(list[0]!.team.map((m) => m.role)).toEqual(['street_cadre', 'community_worker', 'doctor', 'police', 'counsellor']);
    const kinds = (await myTasks(t.ctx, police)).map((x) => x.kind).sort();
    expect(kinds).toEqual(['door_open', 'fever']);
    expect((await listKeyPersons(t.ctx, worker, { category: 'returnee' })).map((k) => k.maskedName)).toEqual(['杨*校']);
    const campaigns = await listCampaigns(t.ctx, worker, worker.areaCode);
    expect(campaigns.map((c) => c.completion)).toEqual([{ households: 6, visited: 4, percent: 66.7 }]);
  });

  it('seeds an issued certificate and a declaration waiting for the information officer (src/seed/certificates.ts)', async () => {
    expect(lines).toContain('demo declarations: 1 certificate issued (欧阳·明珠), 1 waiting for demo-info (马𠈌)');
    const rows = await t.ctx.db.selectFrom('declarations as d').innerJoin('persons as p', 'p.id', 'd.person_id').select(['p.name', 'd.state'])
      .orderBy('p.name').execute();
    expect(rows).toEqual([{ name: '欧阳·明珠', state: 'issued' }, { name: '马𠈌', state: 'submitted' }]);
    const cert = await t.ctx.db.selectFrom('certificates').select(['token', 'missing_glyphs']).executeTakeFirstOrThrow();
    expect(decodeJwt(cert.token)).toMatchObject({ nm: '欧阳·明珠', org: '东方红街道社区卫生服务中心' });
    expect(cert.missing_glyphs).toEqual([]);
  });

  it('does nothing once staff exist', async () => {
    expect(await seedDemo(t.ctx)).toEqual([]);
    const n = await t.ctx.db.selectFrom('staff').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(DEMO_ACCOUNTS.length);
  });
});
