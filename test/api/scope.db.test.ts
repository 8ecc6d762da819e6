/**
 * Issue 2 acceptance, over every route of /openapi.json: staff of 解放区 (410802), of every role,
 * calling a route with 山阳区 (410811) records (ids, codes, bodies of the world fixture) get 403 or
 * 404, or an answer that holds none of 山阳区's identifiers, and change nothing but the audit log.
 * A resident phone of 解放区 stands in for the outsider on resident routes. Every staff route
 * refuses a request without a session, and the live event stream only carries the account's area.
 */
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../helpers/app';
import { identifiers, personForm, type World } from '../helpers/factories/world';
import { drainCheckins } from '../../src/modules/checkin/service';
import { ROLES } from '../../src/modules/staff/roles';
import { changedTables, dbState } from './db-state';
import { actorsOf, call, coverageGaps, openWorld, ROUTES, type Actor, type OpenRoute, type RouteCase } from './route-table';

describe('API: staff outside the record\'s subtree', () => {
  let t: TestApp;
  let w: World;
  let routes: OpenRoute[];
  let idsOfA: string[];
  beforeAll(async () => {
    ({ t, w, routes } = await openWorld());
    idsOfA = await identifiers(w, 'A');
  });
  afterAll(async () => { await t?.close(); });

  it('has a case for every route of /openapi.json', () => {
    expect(coverageGaps(routes)).toEqual({ missing: [], stale: [] });
  });

  /** Why an outsider's answer is not acceptable, or null. */
  const outsiderProblem = (who: string, res: LightMyRequestResponse, rc: RouteCase): string | null => {
    if (res.statusCode === 403 || res.statusCode === 404) return null;
    if (rc.outsider?.status.includes(res.statusCode) && res.json().error?.code === rc.outsider.code) return null;
    if (res.statusCode >= 300) return `${who}: ${res.statusCode} ${res.body.slice(0, 160)}`;
    const leaked = idsOfA.filter((id) => res.body.includes(id));
    return leaked.length ? `${who}: ${res.statusCode} and the answer holds 山阳区 data ${leaked.slice(0, 3).join(', ')}` : null;
  };

  const scoped = Object.entries(ROUTES).filter(([, rc]) => !rc.exempt?.scope && !rc.exempt?.inject);

  it.each(scoped)('%s: 解放区 callers get 403/404 or nothing of 山阳区, and change nothing', async (key, rc) => {
    const first = actorsOf(rc)[0]!;
    const callers: Actor[] = first === 'resident' ? ['resident'] : [...ROLES];
    const start = await dbState(t.ctx.db);
    const problems: string[] = [];
    for (const actor of callers) {
      const res = await call(w, key, 'B', { data: 'A', actor });
      const p = outsiderProblem(actor, res, rc);
      if (p) problems.push(p);
    }
    await drainCheckins(t.ctx);
    const changed = changedTables(start, await dbState(t.ctx.db), ['audit_log']);
    if (changed.length) problems.push(`changed ${changed.join(', ')}`);
    expect(problems).toEqual([]);
    if (key.startsWith('GET ')) {
      // the same request from 山阳区 is answered: the refusals above are about scope, not the request
      const own = await call(w, key, 'A', { actor: first });
      expect(own.statusCode, own.body.slice(0, 200)).toBe(200);
    }
  });

  it.each(Object.entries(ROUTES).filter(([, rc]) => rc.exempt?.scope).map(([k, rc]) => [k, rc.exempt!.scope!]))(
    '%s is not area-scoped: %s', (_key, reason) => { expect(reason.length).toBeGreaterThan(20); });

  it.each(Object.entries(ROUTES).filter(([, rc]) => !['public', 'resident'].includes(actorsOf(rc)[0]!) && !rc.exempt?.inject && !rc.exempt?.auth))(
    '%s: refuses a request without a staff session (401)', async (key) => {
      const res = await call(w, key, 'A', { anonymous: true });
      expect(res.statusCode, res.body.slice(0, 200)).toBe(401);
      expect(res.json().error.message).toBe('请先登录');
    });

  it('the live event stream carries 山阳区 check-ins and fever alerts to 山阳区 staff only', async () => {
    const url = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const open = async (cookie: string) => {
      const ctl = new AbortController();
      const res = await fetch(`${url}/api/events`, { headers: { cookie }, signal: ctl.signal });
      expect(res.status).toBe(200);
      let text = '';
      const reader = res.body!.getReader();
      const done = (async () => {
        try {
          for (;;) {
            const { value, done: end } = await reader.read();
            if (end) break;
            text += Buffer.from(value).toString();
          }
        } catch { /* aborted */ }
      })();
      return { get text() { return text; }, close: async () => { ctl.abort(); await done; } };
    };
    const inA = await open(w.A.staff.guard.cookie);
    const inB = await open(w.B.staff.guard.cookie);
    const commandB = await open(w.B.staff.district_command.cookie);
    const reg = await t.app.inject({ method: 'POST', url: '/api/r/register', payload: personForm('A', { name: '山阳庚' }) });
    expect(reg.statusCode).toBe(201);
    const cookie = String(reg.headers['set-cookie']).split(';')[0]!;
    const ci = await t.app.inject({ method: 'POST', url: '/api/r/checkins', headers: { cookie },
      payload: { token: w.A.checkpoints.east.token, direction: 'in', temperature: '38.2', personIds: [reg.json().person.id] } });
    expect(ci.json().results[0].outcome).toBe('refused');
    for (let i = 0; i < 50 && !inA.text.includes('event: fever_alert'); i++) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 200));
    await Promise.all([inA.close(), inB.close(), commandB.close()]);
    expect(inA.text).toContain('event: checkin');
    expect(inA.text).toContain('event: fever_alert');
    expect(inA.text).toContain('38.2');
    for (const other of [inB.text, commandB.text]) {
      expect(other).toContain(': connected');
      expect(other).not.toContain('event:');
    }
  });
});
