/** The tracing rule as pure functions (issue 4 §3): overlap with the margin, ranking, windows. */
import { describe, expect, it } from 'vitest';
import { compareCandidates, rankOverlaps, type OtherStay, type VisitStay } from './rank';
import { caseWindow, contactWindow, resolveWindow } from './window';

const T = (hhmm: string, day = '2020-02-10') => new Date(`${day}T${hhmm}:00+08:00`);
const visit = (id: string, placeId: string, from: string, to: string, day?: string): VisitStay =>
  ({ stayId: id, placeId, placeName: `场所${placeId}`, enteredAt: T(from, day), end: T(to, day) });
const stay = (personId: string, placeId: string, from: string, to: string, day?: string): OtherStay =>
  ({ personId, placeId, enteredAt: T(from, day), end: T(to, day) });

describe('rankOverlaps', () => {
  const visits = [visit('v1', 'A', '10:00', '11:00'), visit('v2', 'B', '14:00', '15:00')];
  const rank = (others: OtherStay[], limit = 100) => rankOverlaps(visits, others, { marginMin: 30, subjectPersonId: 'me', limit });

  it('counts the margin after the visit only: left before arrival is out, 25 min after leaving is in, 35 min is out', () => {
    const r = rank([
      stay('before', 'A', '08:00', '09:59'), // left one minute before the case arrived
      stay('at-arrival', 'A', '08:00', '10:00'), // left exactly as the case arrived: no overlap
      stay('plus25', 'A', '11:25', '12:00'), // 5 minutes inside the margin
      stay('plus35', 'A', '11:35', '12:00'), // after the margin
      stay('me', 'A', '10:00', '11:00'), // the subject itself
      stay('elsewhere', 'C', '10:00', '11:00'), // another place
    ]);
    expect(r.candidates.map((c) => [c.personId, c.overlapMinutes])).toEqual([['plus25', 5]]);
    expect(r.total).toBe(1);
    expect(r.overlapsPerVisit).toEqual([1, 0]);
  });

  it('ranks by minutes, then shared visits, then the earliest first overlap, then person id', () => {
    const r = rank([
      stay('p-60', 'A', '09:00', '12:00'), // 10:00–11:30 → 90 min
      stay('q-two', 'A', '10:50', '11:20'), // 30 min
      stay('q-two', 'B', '14:50', '15:20'), // + 30 min = 60 min over 2 visits
      stay('r-one', 'A', '10:00', '11:00'), // 60 min, 1 visit, first 10:00
      stay('s-one', 'B', '14:00', '15:00'), // 60 min, 1 visit, first 14:00
      stay('u-one', 'B', '14:00', '15:00'), // ties s-one exactly: person id decides
      stay('t-short', 'B', '15:29', '16:00'), // 1 min
    ]);
    expect(r.candidates.map((c) => c.personId)).toEqual(['p-60', 'q-two', 'r-one', 's-one', 'u-one', 't-short']);
    const q = r.candidates[1]!;
    expect(q).toEqual({
      personId: 'q-two', overlapMinutes: 60, sharedVisits: 2, firstOverlapAt: T('10:50'), lastOverlapAt: T('15:20'),
      lastExposureOn: '2020-02-10', places: ['场所A', '场所B'],
    });
    expect(r.candidates[0]!.overlapMinutes).toBe(90);
  });

  it('limits the list but counts everyone (truncated)', () => {
    const r = rank([stay('a', 'A', '10:00', '10:30'), stay('b', 'A', '10:00', '10:20'), stay('c', 'A', '10:00', '10:10')], 2);
    expect(r.candidates.map((c) => c.personId)).toEqual(['a', 'b']);
    expect([r.total, r.truncated]).toEqual([3, true]);
  });

  it('never counts the same minutes twice when two visits at one place have touching margins', () => {
    const two = [visit('v1', 'A', '10:00', '10:20'), visit('v2', 'A', '10:40', '11:00')];
    const r = rankOverlaps(two, [stay('x', 'A', '10:00', '11:00')], { marginMin: 30, subjectPersonId: 'me', limit: 10 });
    expect(r.candidates[0]).toMatchObject({ personId: 'x', overlapMinutes: 60, sharedVisits: 2, places: ['场所A'] });
  });

  it('dates the last exposure in China time: an overlap ending at 00:00 belongs to the day before', () => {
    const late = [visit('v', 'A', '23:00', '23:30')];
    const past = { personId: 'y', placeId: 'A', enteredAt: T('23:50'), end: T('00:30', '2020-02-11') }; // cut at 24:00 by the margin
    const r = rankOverlaps(late, [stay('x', 'A', '23:10', '23:59'), past], { marginMin: 30, subjectPersonId: 'me', limit: 10 });
    expect(r.candidates[1]!.lastOverlapAt).toEqual(T('00:00', '2020-02-11'));
    expect(r.candidates.map((c) => c.lastExposureOn)).toEqual(['2020-02-10', '2020-02-10']);
    // 2020-02-10 23:50 CST is 15:50 UTC: the date is China's
    const morning = rankOverlaps([visit('v', 'A', '07:30', '08:00', '2020-02-26')], [stay('z', 'A', '07:00', '07:45', '2020-02-26')],
      { marginMin: 0, subjectPersonId: 'me', limit: 10 });
    expect(morning.candidates[0]!.lastExposureOn).toBe('2020-02-26');
  });

  it('compareCandidates is a total order on equal figures (person id)', () => {
    const base = { overlapMinutes: 5, sharedVisits: 1, firstOverlapAt: T('10:00'), lastOverlapAt: T('10:05'), lastExposureOn: '2020-02-10', places: [] };
    expect(compareCandidates({ ...base, personId: 'a' }, { ...base, personId: 'b' })).toBeLessThan(0);
  });
});

describe('trace windows', () => {
  const now = new Date('2020-02-20T12:00:00+08:00');
  it('a case: 00:00 two days before onset to 24:00 of the isolation date (China time)', () => {
    const w = caseWindow({ onsetOn: '2020-02-10', isolatedOn: '2020-02-12', createdAt: now }, 2, now);
    expect(w).toEqual({ from: new Date('2020-02-08T00:00:00+08:00'), to: new Date('2020-02-13T00:00:00+08:00') });
    expect(caseWindow({ onsetOn: '2020-03-01', isolatedOn: null, createdAt: now }, 2, now).to).toEqual(now);
    // no onset date: the registration day stands in
    expect(caseWindow({ onsetOn: null, isolatedOn: null, createdAt: now }, 2, now).from).toEqual(new Date('2020-02-18T00:00:00+08:00'));
  });
  it('a contact: 00:00 of its last exposure date to now', () => {
    expect(contactWindow({ lastExposureOn: '2020-02-15' }, now)).toEqual({ from: new Date('2020-02-15T00:00:00+08:00'), to: now });
  });
  it('overrides are validated: from < to, at most 60 days, instants with an offset', () => {
    const d = { from: new Date('2020-02-08T00:00:00+08:00'), to: new Date('2020-02-13T00:00:00+08:00') };
    expect(resolveWindow(d, { from: '2020-02-09T08:00:00+08:00' })).toEqual({ from: new Date('2020-02-09T00:00:00Z'), to: d.to });
    const code = (f: () => unknown) => { try { f(); return 'ok'; } catch (e) { return (e as { code: string }).code; } };
    expect(code(() => resolveWindow(d, { from: '2020-02-13T00:00:00+08:00' }))).toBe('invalid_window');
    expect(code(() => resolveWindow(d, { from: '2019-12-01T00:00:00+08:00' }))).toBe('window_too_long');
    expect(code(() => resolveWindow(d, { to: '2020-02-13' }))).toBe('invalid_time');
    expect(code(() => resolveWindow(d, { to: 'yesterday' }))).toBe('invalid_time');
  });
});
