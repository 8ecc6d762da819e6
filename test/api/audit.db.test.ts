/**
 * Issue 2 acceptance, over every route of /openapi.json: the normal call of each route succeeds,
 * and every route that returns a person's data (personId, maskedName, documents) or an export file
 * writes an audit row naming the caller, with an area so it shows in that area's audit log.
 * Full document and phone numbers never reach a URL parameter or the audit log.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../helpers/app';
import type { World } from '../helpers/factories/world';
import { drainCheckins } from '../../src/modules/checkin/service';
import { call, coverageGaps, hasPersonData, openWorld, ROUTES, actorsOf, type OpenRoute } from './route-table';

describe('API: audit of person data and exports, on every route', () => {
  let t: TestApp;
  let w: World;
  let routes: OpenRoute[];
  beforeAll(async () => {
    ({ t, w, routes } = await openWorld());
  });
  afterAll(async () => { await t?.close(); });

  it('has a case for every route of /openapi.json, and none for a route that is gone', () => {
    expect(routes.length).toBeGreaterThan(50);
    expect(coverageGaps(routes)).toEqual({ missing: [], stale: [] });
  });

  it('takes no document or phone number in a URL (path or query parameter)', () => {
    const bad = routes.flatMap((r) => ((r.op.parameters ?? []) as { name: string; in: string }[])
      .filter((p) => /doc|phone|mobile|idcard|idnumber/i.test(p.name)).map((p) => `${r.key} ${p.in}:${p.name}`));
    expect(bad).toEqual([]);
  });

  const maxAuditId = async () =>
    Number((await t.ctx.db.selectFrom('audit_log').select((eb) => eb.fn.max('id').as('m')).executeTakeFirstOrThrow()).m ?? 0);

  it.each(Object.entries(ROUTES).filter(([, rc]) => !rc.exempt?.inject))('%s: answers 2xx; person data and exports are audited', async (key, rc) => {
    const before = await maxAuditId();
    const res = await call(w, key, 'A');
    await drainCheckins(t.ctx);
    expect(res.statusCode, res.body.slice(0, 300)).toBeLessThan(300);
    const isExport = /attachment/.test(String(res.headers['content-disposition'] ?? ''));
    const isJson = String(res.headers['content-type'] ?? '').includes('json');
    const personData = isJson && hasPersonData(res.json());
    if (rc.exempt?.audit || (!personData && !isExport)) return;
    const actor = actorsOf(rc)[0]!;
    const actorId = actor === 'passwordUser' ? w.A.passwordUser.id : w.A.staff[actor as keyof World['A']['staff']]?.id;
    expect(actorId, `${key}: a staff route is expected here`).toBeTruthy();
    const rows = await t.ctx.db.selectFrom('audit_log').selectAll().where('id', '>', before).execute();
    const mine = rows.filter((r) => r.actor_kind === 'staff' && r.actor_id === actorId);
    expect(mine.length, `${key} returned ${isExport ? 'an export' : 'person data'} without an audit row`).toBeGreaterThan(0);
    for (const r of mine) expect(r.area_code, `${key}: audit row ${r.action} has no area (invisible in the audit log)`).toMatch(/^4108/);
  });

  it.each(Object.entries(ROUTES).filter(([, rc]) => rc.exempt?.audit).map(([k, rc]) => [k, rc.exempt!.audit!]))(
    '%s writes no audit row of its own: %s', (_key, reason) => { expect(reason.length).toBeGreaterThan(20); });

  it('never writes a full document or phone number into the audit log', async () => {
    const rows = await t.ctx.db.selectFrom('audit_log').select(['action', 'detail']).execute();
    expect(rows.length).toBeGreaterThan(20);
    const secrets = [...w.A.persons, ...w.B.persons].flatMap((p) => [p.docNumber, ...(p.phone ? [p.phone] : [])]);
    const leaks = rows.filter((r) => secrets.some((s) => JSON.stringify(r.detail).includes(s))).map((r) => r.action);
    expect(leaks).toEqual([]);
  });
});
