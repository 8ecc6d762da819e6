/**
 * Two-way checks (SPEC S2 三双向, issue 3 §3): the resident scans the checkpoint, the guard scans the
 * resident's pass code and measures too; when both scans of one person at one place in one direction
 * lie within TWO_WAY_WINDOW_S they become one record with both temperatures, flagged when the
 * readings differ by more than TWO_WAY_TEMP_GAP_C.
 *
 * Linked from both sides: when the guard's scan is recorded (looking back, and forward for a queued
 * offline scan older than the resident's), and by the scheduled job `gatescan.two-way` for a resident
 * who scans after the guard. A guard check-in refused for its token is never linked: it verified nobody.
 */
import type { AppContext } from '../../context';
import { JOBS } from '../system/jobs';
import { insertTwoWay, residentMatch, twoWayByGuard, unlinkedPairs, type GuardCheckin } from './repository';
import { temperatureGap } from './rules';

/** A two-way check as a gate scan's answer shows it (temperatures °C). */
export interface TwoWay {
  residentCheckinId: string;
  residentTemperature: number | null;
  guardTemperature: number | null;
  gapC: number | null;
  flagged: boolean;
}

/**
 * Link a guard check-in just recorded with the person's own check-in, if there is one in the window.
 * @returns the two-way check (also one made meanwhile by the job), or null.
 */
export async function linkGuardCheckin(ctx: AppContext, g: GuardCheckin): Promise<TwoWay | null> {
  const r = await residentMatch(ctx.db, g, ctx.config.TWO_WAY_WINDOW_S);
  if (r) {
    const { gapC, flagged } = temperatureGap(g.temperature, r.temperature, ctx.config.TWO_WAY_TEMP_GAP_C);
    await insertTwoWay(ctx.db, { guard: g, resident: { id: r.id, at: r.at, temperature: r.temperature }, gapC, flagged });
  }
  return (await twoWayOf(ctx, [g.id])).get(g.id) ?? null;
}

/** Two-way checks of guard check-ins, by guard check-in id (those without one are absent). */
export async function twoWayOf(ctx: AppContext, guardCheckinIds: string[]): Promise<Map<string, TwoWay>> {
  const rows = await twoWayByGuard(ctx.db, guardCheckinIds);
  return new Map([...rows].map(([id, r]) => [id, {
    residentCheckinId: r.resident_checkin_id, residentTemperature: r.resident_temperature, guardTemperature: r.guard_temperature,
    gapC: r.gap_c, flagged: r.flagged,
  }]));
}

/**
 * Link guard check-ins of the last `lookbackS` seconds (default: the window plus three job
 * intervals) with resident check-ins that arrived after them. A resident's check-in is recorded at
 * the time it is made, so a pair can only be missed at the guard's scan when the resident scanned
 * later, within the window: the look-back covers that with room for a late job.
 * @returns how many two-way checks were made.
 */
export async function linkRecent(ctx: AppContext, now = new Date(), lookbackS?: number): Promise<number> {
  const w = ctx.config.TWO_WAY_WINDOW_S;
  const back = lookbackS ?? w + ctx.config.JOB_INTERVAL_MIN * 60 * 3 + 60;
  const pairs = await unlinkedPairs(ctx.db, new Date(now.getTime() - back * 1000), w);
  let made = 0;
  for (const p of pairs) {
    const { gapC, flagged } = temperatureGap(p.guard_t, p.resident_t, ctx.config.TWO_WAY_TEMP_GAP_C);
    const guard: GuardCheckin = { id: p.guard_id, personId: p.person_id, placeId: p.place_id, checkpointId: p.checkpoint_id,
      communityCode: p.community_code, direction: p.direction, at: p.guard_at, temperature: p.guard_t };
    // two guard scans may have picked the same resident check-in: the unique key keeps the first
    if (await insertTwoWay(ctx.db, { guard, resident: { id: p.resident_id, at: p.resident_at, temperature: p.resident_t }, gapC, flagged })) made += 1;
  }
  if (made) ctx.log.info({ made }, 'two-way checks linked');
  return made;
}

export const TWO_WAY_JOB = { name: 'gatescan.two-way', run: (ctx: AppContext, now: Date) => linkRecent(ctx, now).then(() => undefined) };

let registered = false;
/** Add the linking job to the scheduled jobs (once per process). */
export function registerTwoWayJob() {
  if (registered) return;
  registered = true;
  JOBS.push(TWO_WAY_JOB);
}
