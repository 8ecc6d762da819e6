import { describe, expect, it } from 'vitest';
import { decide, isTokenRefusal, presetDecision, stayChange } from './rules';

const rules = { FEVER_THRESHOLD_C: 37.3, TEMP_MIN_C: 34, TEMP_MAX_C: 42.5 };
const BARRING = ['fever_pending', 'medical_observation', 'home_isolation', 'centralized_isolation', 'case'];
const normal = { status: 'normal', statusLabel: { zh: '正常', en: 'Normal' }, statusReason: '' };
const isolated = { status: 'home_isolation', statusLabel: { zh: '居家隔离', en: 'Home isolation' }, statusReason: '武汉返焦' };

describe('decide', () => {
  it('passes a normal person at 36.5', () => {
    expect(decide(normal, 'in', 36.5, BARRING, rules)).toMatchObject({ outcome: 'pass', fever: false });
  });
  it('refuses 37.3 and above as fever and flags an alert', () => {
    const d = decide(normal, 'in', 37.3, BARRING, rules);
    expect(d).toMatchObject({ outcome: 'refused', refusal: 'fever', fever: true });
    expect(d.reason?.zh).toContain('37.3℃');
    expect(decide(normal, 'in', 37.2, BARRING, rules).outcome).toBe('pass');
  });
  it('refuses a person in home isolation in both directions with the reason', () => {
    for (const dir of ['in', 'out'] as const) {
      const d = decide(isolated, dir, 36.5, BARRING, rules);
      expect(d.outcome).toBe('refused');
      expect(d.refusal).toBe('status_barred');
      expect(d.reason?.zh).toContain('居家隔离');
      expect(d.reason?.zh).toContain('武汉返焦');
      expect(d.fever).toBe(false);
    }
  });
  it('raises the alert for a barred person with a fever on entry (SPEC S1), but not twice for fever pending', () => {
    const d = decide(isolated, 'in', 38.2, BARRING, rules);
    expect(d).toMatchObject({ outcome: 'refused', refusal: 'status_barred', fever: true });
    expect(decide(isolated, 'out', 38.2, BARRING, rules).fever).toBe(false);
    expect(decide({ ...isolated, status: 'fever_pending' }, 'in', 38.2, BARRING, rules).fever).toBe(false);
  });
  it('lets a normal person leave without a temperature', () => {
    expect(decide(normal, 'out', null, BARRING, rules).outcome).toBe('pass');
  });
});

describe('stayChange', () => {
  const t0 = new Date('2020-02-26T00:00:00Z');
  const t1 = new Date('2020-02-26T01:00:00Z');
  it('opens a stay on entry', () => {
    expect(stayChange(undefined, { id: 'c1', placeId: 'A', direction: 'in', at: t0, newStayId: 's1' }))
      .toEqual({ open: { id: 's1', placeId: 'A', enteredAt: t0 }, opened: true });
  });
  it('keeps the stay when entering the same place by another gate', () => {
    const cur = { id: 's1', placeId: 'A', enteredAt: t0 };
    expect(stayChange(cur, { id: 'c2', placeId: 'A', direction: 'in', at: t1, newStayId: 's2' })).toEqual({ open: cur, opened: false });
  });
  it('closes the old stay as other_place when entering elsewhere', () => {
    const cur = { id: 's1', placeId: 'A', enteredAt: t0 };
    const ch = stayChange(cur, { id: 'c2', placeId: 'B', direction: 'in', at: t1, newStayId: 's2' });
    expect(ch.close).toEqual({ id: 's1', closedBy: 'other_place', at: t1, exitCheckinId: null });
    expect(ch.open).toEqual({ id: 's2', placeId: 'B', enteredAt: t1 });
  });
  it('closes with exit at the same place and records the exit check-in', () => {
    const cur = { id: 's1', placeId: 'A', enteredAt: t0 };
    expect(stayChange(cur, { id: 'c9', placeId: 'A', direction: 'out', at: t1, newStayId: 'x' }))
      .toEqual({ close: { id: 's1', closedBy: 'exit', at: t1, exitCheckinId: 'c9' }, opened: false });
  });
  it('an exit with no open stay changes nothing', () => {
    expect(stayChange(undefined, { id: 'c9', placeId: 'A', direction: 'out', at: t1, newStayId: 'x' })).toEqual({ opened: false });
  });
  it('a late offline record older than the open stay changes nothing, in either direction', () => {
    const cur = { id: 's2', placeId: 'B', enteredAt: t1 };
    for (const direction of ['in', 'out'] as const) {
      for (const placeId of ['A', 'B']) {
        expect(stayChange(cur, { id: 'c1', placeId, direction, at: t0, newStayId: 's3' })).toEqual({ open: cur, opened: false });
      }
    }
  });
});

describe('presetDecision (a decision made by the offline gate or a refused token)', () => {
  it('records a pass as a pass, and a refusal with its code and reason', () => {
    expect(presetDecision({ outcome: 'pass', refusal: 'ignored', reason: null }, 'in')).toEqual({ outcome: 'pass', refusal: null, reason: null, fever: false });
    const why = { zh: '二维码已过期', en: 'expired' };
    expect(presetDecision({ outcome: 'refused', refusal: 'token_expired', reason: why }, 'in'))
      .toEqual({ outcome: 'refused', refusal: 'token_expired', reason: why, fever: false });
  });
  it('a fever refusal on entry raises the alert like decide does; on exit it does not', () => {
    expect(presetDecision({ outcome: 'refused', refusal: 'fever', reason: null }, 'in').fever).toBe(true);
    expect(presetDecision({ outcome: 'refused', refusal: 'fever', reason: null }, 'out').fever).toBe(false);
  });
  it('knows token refusals by their code', () => {
    expect(isTokenRefusal('token_revoked')).toBe(true);
    expect(isTokenRefusal('fever')).toBe(false);
    expect(isTokenRefusal(null)).toBe(false);
  });
});
