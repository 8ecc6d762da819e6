import { describe, expect, it } from 'vitest';
import { allowed, landingPath, menuFor, NAV } from './nav';
import { matchPath } from './router';

// Permissions per role as src/modules/staff/roles.ts gives them (the server sends them at sign-in).
const GUARD = ['gate.operate', 'alerts.handle', 'persons.lookup_by_document', 'persons.register', 'cards.issue'];
const COMMUNITY = ['places.manage', 'checkins.read', 'checkins.export', 'persons.read', 'persons.lookup_by_document',
  'persons.register', 'alerts.handle', 'gate.operate', 'cards.issue', 'accounts.manage'];
const CITY = ['accounts.manage', 'places.manage', 'checkins.read', 'checkins.export', 'persons.read', 'alerts.handle', 'status.set', 'audit.read'];

describe('menu by permission', () => {
  it('shows a guard only the gate and alerts, landing on the gate', () => {
    expect(menuFor(GUARD).map((n) => n.path)).toEqual(['/gate', '/alerts']);
    expect(landingPath(GUARD)).toBe('/gate');
  });
  it('lands a community worker on the dashboard and hides the audit log', () => {
    const paths = menuFor(COMMUNITY).map((n) => n.path);
    expect(landingPath(COMMUNITY)).toBe('/dashboard');
    expect(paths).toContain('/gate');
    expect(paths).not.toContain('/audit');
  });
  it('gives the command office the audit log but not the gate', () => {
    const paths = menuFor(CITY).map((n) => n.path);
    expect(paths).toContain('/audit');
    expect(paths).not.toContain('/gate');
  });
  it('sends an account with no pages to the password page, and never lists hidden pages', () => {
    expect(landingPath([])).toBe('/password');
    expect(menuFor(CITY).some((n) => n.hidden)).toBe(false);
  });
  it('lists 健康申报 for the declaration roles (information officer, doctors, command offices) only', () => {
    const CHIEF = ['checkins.read', 'persons.read', 'status.set', 'cases.read', 'declarations.read', 'declarations.step', 'declarations.enter'];
    const INFO = [...COMMUNITY.filter((p) => p !== 'accounts.manage'), 'declarations.read', 'declarations.step'];
    for (const perms of [CHIEF, INFO, [...CITY, 'declarations.read']]) expect(menuFor(perms).map((n) => n.path)).toContain('/declarations');
    for (const perms of [GUARD, COMMUNITY]) expect(menuFor(perms).map((n) => n.path)).not.toContain('/declarations');
    const detail = NAV.find((n) => n.path === '/declarations/:id')!;
    expect(detail.hidden).toBe(true);
    expect(allowed(detail, CHIEF)).toBe(true);
    expect(allowed(detail, COMMUNITY)).toBe(false);
    expect(landingPath(CHIEF)).toBe('/dashboard');
  });
  it('guards the person page by persons.read', () => {
    const person = NAV.find((n) => n.path === '/persons/:id')!;
    expect(allowed(person, GUARD)).toBe(false);
    expect(allowed(person, COMMUNITY)).toBe(true);
  });
});

describe('matchPath', () => {
  it('matches parameters and nothing else', () => {
    expect(matchPath('/persons/:id', '/persons/3f2a')).toEqual({ id: '3f2a' });
    expect(matchPath('/persons/:id', '/persons')).toBeNull();
    expect(matchPath('/persons', '/persons/3f2a')).toBeNull();
    expect(matchPath('/gate', '/gate')).toEqual({});
  });
});
