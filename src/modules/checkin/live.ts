/**
 * What a committed check-in tells the open consoles: the guard's live list and the community's fever
 * alerts (issue 2 §9, §10), as `checkin` and `fever_alert` events on ctx.events, which the SSE
 * routes forward.
 */
import type { AppContext } from '../../context';
import type { CheckpointInfo, PersonResult } from './service';
import type { WriteSet } from './writer';

/** Emit the new (not re-scan) check-ins of one scan and its fever alerts. Builds nothing when no console listens. */
export function publish(ctx: AppContext, cp: CheckpointInfo, results: PersonResult[], set: WriteSet) {
  const fresh = results.filter((r) => !r.duplicate);
  // no open console: nothing to build (this runs on every scan)
  if (!fresh.length || (ctx.events.listenerCount('checkin') === 0 && ctx.events.listenerCount('fever_alert') === 0)) return;
  const base = { communityCode: cp.community.code, checkpointId: cp.checkpoint.id, placeId: cp.place.id,
    placeName: cp.place.name, checkpointName: cp.checkpoint.name };
  for (const r of fresh) {
    ctx.events.emit('checkin', { ...base, checkinId: r.checkinId, maskedName: r.maskedName, direction: r.direction,
      temperature: r.temperature, outcome: r.outcome, reasonCode: r.reasonCode, at: r.at.toISOString() });
  }
  for (const a of set.alerts) {
    const r = fresh.find((x) => x.checkinId === a.checkin_id)!;
    ctx.events.emit('fever_alert', { ...base, checkinId: a.checkin_id, maskedName: r.maskedName,
      temperature: a.temperature, raisedAt: a.raised_at.toISOString() });
  }
}
