/**
 * Retention (SPEC S1: check-ins kept 28 days by default, then deleted; LESSONS "Check-in data used
 * for purposes it was not collected for"). Enforced by code: a scheduled job and `npx yiqu purge`.
 * Check-ins covered by an active retention hold (an open investigation, e.g. a trace: issue 4 §3) are
 * kept, and so are the stays that overlap a hold's range.
 */
import { sql } from 'kysely';
import type { AppContext } from '../../context';
import { purgeGateRecords } from '../gatescan/repository';

/**
 * Delete check-ins, stays and resolved fever alerts older than RETENTION_DAYS, except those held,
 * then the gate-scan records and two-way checks whose check-ins are gone (issue 3), and the copied
 * check-in data of traces whose window is past the cutoff and whose holds are released (`traces`:
 * how many results were emptied; the trace row with its parameters and counts stays).
 * @returns counts deleted.
 */
export async function purgeExpired(ctx: AppContext, now = new Date()) {
  const cutoff = new Date(now.getTime() - ctx.config.RETENTION_DAYS * 86_400_000);
  const held = (alias: string, personCol: string, placeCol: string, timeCol: string) => sql<boolean>`EXISTS (
    SELECT 1 FROM retention_holds h WHERE h.released_at IS NULL
      AND (h.person_id IS NULL OR h.person_id = ${sql.ref(`${alias}.${personCol}`)})
      AND (h.place_id IS NULL OR h.place_id = ${sql.ref(`${alias}.${placeCol}`)})
      AND ${sql.ref(`${alias}.${timeCol}`)} BETWEEN h.from_at AND h.to_at)`;
  // a (closed) stay is held when it overlaps the hold's range, even if it began before from_at
  // (a trace's person hold covers the window; the subject's stay may have begun before it)
  const stayHeld = sql<boolean>`EXISTS (
    SELECT 1 FROM retention_holds h WHERE h.released_at IS NULL
      AND (h.person_id IS NULL OR h.person_id = s.person_id)
      AND (h.place_id IS NULL OR h.place_id = s.place_id)
      AND s.entered_at <= h.to_at AND s.closed_at >= h.from_at)`;
  return ctx.db.transaction().execute(async (trx) => {
    const checkins = await trx.deleteFrom('checkins as c').where('c.at', '<', cutoff)
      .where(({ not }) => not(held('c', 'person_id', 'place_id', 'at'))).executeTakeFirst();
    const stays = await trx.deleteFrom('stays as s').where('s.entered_at', '<', cutoff).where('s.closed_at', 'is not', null)
      .where(({ not }) => not(stayHeld)).executeTakeFirst();
    const alerts = await trx.deleteFrom('fever_alerts').where('raised_at', '<', cutoff).where('resolved_at', 'is not', null)
      .executeTakeFirst();
    const gate = await purgeGateRecords(trx, cutoff);
    // a trace's result copies check-ins (visits, check-ins, candidates): it goes with them once its
    // window is past the cutoff and none of its holds is in force; who traced what, when and the
    // counts stay (the investigation's record), marked with purgedAt
    const traces = await trx.updateTable('traces as t')
      .set({ result: sql`jsonb_build_object('parameters', t.result->'parameters', 'totals', t.result->'totals', 'purgedAt', ${now.toISOString()}::text)` })
      .where('t.window_to', '<', cutoff).where(sql<boolean>`NOT (t.result ? 'purgedAt')`)
      .where(({ not, exists, selectFrom }) => not(exists(selectFrom('retention_holds as h').select('h.id')
        .whereRef('h.trace_id', '=', 't.id').where('h.released_at', 'is', null))))
      .executeTakeFirst();
    const counts = { checkins: Number(checkins.numDeletedRows), stays: Number(stays.numDeletedRows), alerts: Number(alerts.numDeletedRows),
      ...gate, traces: Number(traces.numUpdatedRows), cutoff: cutoff.toISOString() };
    const deleted = counts.checkins + counts.stays + counts.alerts + gate.gateScans + gate.twoWayChecks + counts.traces;
    ctx.log[deleted ? 'info' : 'debug'](counts, 'retention purge');
    return counts;
  });
}

/**
 * Close stays with no exit after STAY_MAX_HOURS (closed_by 'timeout', closed_at = entry + limit).
 * @returns the closed stays' person ids, so the in-memory open-stay map can drop them.
 */
export async function closeTimedOutStays(ctx: AppContext, now = new Date()) {
  const limitMs = ctx.config.STAY_MAX_HOURS * 3600_000;
  const rows = await ctx.db.updateTable('stays')
    .set({ closed_at: sql`entered_at + make_interval(secs => ${limitMs / 1000})`, closed_by: 'timeout' })
    .where('closed_at', 'is', null).where('entered_at', '<', new Date(now.getTime() - limitMs))
    .returning(['id', 'person_id']).execute();
  return rows;
}
