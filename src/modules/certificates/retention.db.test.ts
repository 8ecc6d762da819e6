/**
 * Retention of health declarations (./retention.ts): closed declarations past
 * DECLARATION_RETENTION_DAYS go with their steps and certificate; open ones, recent ones and one
 * whose certificate is still valid stay; the steps stay append-only outside the purge.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app';
import { buildPerson } from '../../../test/helpers/factories/persons';
import { purgeDeclarations } from './retention';

const COMMUNITY = '410811001001';
const DAY = 86_400_000;

describe('declaration retention', () => {
  let t: TestApp;
  let org = '';
  beforeAll(async () => {
    t = await createTestApp();
    org = (await t.ctx.db.insertInto('organisations').values({ kind: 'health_center', name: '保留期测试中心', area_code: '410811' })
      .returning('id').executeTakeFirstOrThrow()).id;
  });
  afterAll(async () => { await t?.close(); });

  /** A declaration in `state`, last changed `ageDays` ago, with a certificate valid until `certEndsDaysAgo` ago when given. */
  const declaration = async (label: string, state: 'submitted' | 'returned' | 'refused' | 'issued' | 'revoked', ageDays: number, certEndsDaysAgo?: number) => {
    const p = await buildPerson(t.ctx, { name: label, homeCommunityCode: COMMUNITY });
    const at = new Date(Date.now() - ageDays * DAY);
    const d = await t.ctx.db.insertInto('declarations').values({
      person_id: p.id, community_code: COMMUNITY, state, submitted_via: 'self', answers: '{}', acknowledged_at: at, created_at: at, updated_at: at,
    }).returning('id').executeTakeFirstOrThrow();
    await t.ctx.db.insertInto('declaration_steps').values({ declaration_id: d.id, action: 'submit', to_state: 'submitted', actor_kind: 'resident', actor_role: 'resident', at }).execute();
    if (certEndsDaysAgo !== undefined) {
      const notAfter = new Date(Date.now() - certEndsDaysAgo * DAY);
      await t.ctx.db.insertInto('certificates').values({
        declaration_id: d.id, person_id: p.id, org_id: org, issued_at: new Date(notAfter.getTime() - 5 * DAY), not_after: notAfter, token: `x.${'y'.repeat(30)}.z`,
      }).execute();
    }
    return d.id;
  };
  const exists = async (id: string) => Boolean(await t.ctx.db.selectFrom('declarations').select('id').where('id', '=', id).executeTakeFirst());

  it('deletes closed declarations past DECLARATION_RETENTION_DAYS with their steps and certificates, and nothing else', async () => {
    const days = t.ctx.config.DECLARATION_RETENTION_DAYS;
    const old = {
      refused: await declaration('旧不予', 'refused', days + 1),
      returned: await declaration('旧退回', 'returned', days + 1),
      issued: await declaration('旧出具', 'issued', days + 6, days + 1),
      revoked: await declaration('旧作废', 'revoked', days + 2, days + 3),
    };
    const kept = {
      open: await declaration('旧待核实', 'submitted', days + 30),
      recent: await declaration('近不予', 'refused', days - 1),
      certStillRecent: await declaration('证刚过期', 'issued', days + 1, days - 2),
    };
    const r = await purgeDeclarations(t.ctx);
    expect(r).toMatchObject({ declarations: 4, certificates: 2 });
    for (const id of Object.values(old)) expect(await exists(id)).toBe(false);
    for (const id of Object.values(kept)) expect(await exists(id)).toBe(true);
    const steps = await t.ctx.db.selectFrom('declaration_steps').select('declaration_id').execute();
    expect(steps.map((s) => s.declaration_id).sort()).toEqual(Object.values(kept).sort());
    expect(await purgeDeclarations(t.ctx)).toMatchObject({ declarations: 0, certificates: 0 });
  });

  it('keeps the steps append-only outside the purge', async () => {
    const id = await declaration('仍只追加', 'refused', 1);
    await expect(t.ctx.db.deleteFrom('declaration_steps').where('declaration_id', '=', id).execute()).rejects.toThrow(/never changed or deleted/);
    await expect(t.ctx.db.updateTable('declaration_steps').set({ reason: 'x' }).where('declaration_id', '=', id).execute()).rejects.toThrow();
  });
});
