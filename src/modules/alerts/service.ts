/**
 * Fever alerts (SPEC S1 "发现发热人员及时隔离管控", issue 2 §9): raised by the check-in writer,
 * acknowledged and re-measured by the guard, resolved with an outcome; unacknowledged alerts
 * escalate to the street after FEVER_ESCALATION_MIN minutes.
 */
import type { AppContext } from '../../context';
import { badRequest, conflict, notFound } from '../../lib/errors';
import { maskName } from '../../lib/mask';
import { audit } from '../audit/audit';
import { staffActor, type StaffUser } from '../staff/auth';
import { setStatus } from '../status/service';
import { isFever } from '../checkin/temperature';
import { checkIn, checkpointInfoById } from '../checkin/service';

export const OUTCOMES = ['cleared', 'referred', 'escorted_home'] as const;
export type AlertOutcome = (typeof OUTCOMES)[number];
export const OUTCOME_LABELS: Record<AlertOutcome, { zh: string; en: string }> = {
  cleared: { zh: '解除（复测正常）', en: 'Cleared (normal on re-measure)' },
  referred: { zh: '送发热门诊', en: 'Referred to the fever clinic' },
  escorted_home: { zh: '护送回家', en: 'Escorted home' },
};

/** Alerts in the account's subtree (a guard: its own checkpoint's community). */
export async function listAlerts(ctx: AppContext, staff: StaffUser, state: 'open' | 'all', limit = 200) {
  let q = ctx.db.selectFrom('fever_alerts as a')
    .innerJoin('persons as p', 'p.id', 'a.person_id')
    .innerJoin('checkpoints as c', 'c.id', 'a.checkpoint_id')
    .innerJoin('places as pl', 'pl.id', 'c.place_id')
    .select(['a.id', 'a.person_id', 'a.temperature', 'a.raised_at', 'a.acknowledged_at', 'a.remeasured_temperature',
      'a.outcome', 'a.resolved_at', 'a.escalated_at', 'a.community_code', 'a.checkpoint_id', 'p.name',
      'c.name as checkpoint_name', 'pl.name as place_name'])
    .where('a.community_code', 'like', `${staff.areaCode}%`)
    .orderBy('a.raised_at', 'desc')
    .limit(limit);
  if (state === 'open') q = q.where('a.resolved_at', 'is', null);
  const rows = await q.execute();
  return rows.map((r) => ({
    id: r.id, personId: r.person_id, maskedName: maskName(r.name), temperature: r.temperature,
    raisedAt: r.raised_at.toISOString(), acknowledgedAt: r.acknowledged_at?.toISOString() ?? null,
    remeasuredTemperature: r.remeasured_temperature, outcome: r.outcome, resolvedAt: r.resolved_at?.toISOString() ?? null,
    escalated: r.escalated_at !== null, communityCode: r.community_code, checkpointId: r.checkpoint_id,
    checkpointName: r.checkpoint_name, placeName: r.place_name,
  }));
}

async function alertInScope(ctx: AppContext, staff: StaffUser, id: string) {
  const a = await ctx.db.selectFrom('fever_alerts').selectAll().where('id', '=', id).executeTakeFirst();
  if (!a || !a.community_code.startsWith(staff.areaCode)) throw notFound();
  return a;
}

/** The guard has seen the alert and is with the person. */
export async function acknowledgeAlert(ctx: AppContext, staff: StaffUser, id: string) {
  const a = await alertInScope(ctx, staff, id);
  if (a.acknowledged_at) return;
  await ctx.db.updateTable('fever_alerts').set({ acknowledged_at: new Date(), acknowledged_by: staff.id })
    .where('id', '=', id).where('acknowledged_at', 'is', null).execute();
  ctx.events.emit('alert_update', { id, communityCode: a.community_code, state: 'acknowledged' });
}

/**
 * Resolve with a re-measured temperature (°C) and an outcome. 'cleared' needs a normal reading:
 * the person's "fever pending" status returns to normal and the guard's entry is recorded at the
 * same checkpoint (a cold-gate false reading is cleared only this way); any other status (a case,
 * isolation, observation) stays, so that entry is refused as the status says. 'referred' and
 * 'escorted_home' keep "fever pending" for the doctor.
 * @throws 400 when 'cleared' comes with a fever reading; 409 when already resolved.
 */
export async function resolveAlert(ctx: AppContext, staff: StaffUser, id: string, remeasured: number, outcome: AlertOutcome) {
  const a = await alertInScope(ctx, staff, id);
  if (a.resolved_at) throw conflict('alert_resolved', '该预警已处置', 'This alert was already resolved');
  if (outcome === 'cleared' && isFever(remeasured, ctx.config))
    throw badRequest('still_fever', `复测体温 ${remeasured.toFixed(1)}℃ 仍达到发热标准，不能解除`, `Re-measured ${remeasured.toFixed(1)} °C is still a fever`);
  const now = new Date();
  await ctx.db.transaction().execute(async (trx) => {
    const n = await trx.updateTable('fever_alerts').set({
      acknowledged_at: a.acknowledged_at ?? now, acknowledged_by: a.acknowledged_by ?? staff.id,
      remeasured_temperature: remeasured, outcome, resolved_at: now, resolved_by: staff.id,
    }).where('id', '=', id).where('resolved_at', 'is', null).executeTakeFirst();
    if (Number(n.numUpdatedRows) !== 1) throw conflict('alert_resolved', '该预警已处置', 'This alert was already resolved');
    const label = OUTCOME_LABELS[outcome].zh;
    // only "fever pending" ends here: a case, an isolation or an observation set meanwhile (or
    // before: a barred person's fever raises an alert too) is not for a guard to lift
    const current = await trx.selectFrom('person_status').select('status').where('person_id', '=', a.person_id).forUpdate().executeTakeFirst();
    if (outcome === 'cleared' && current?.status === 'fever_pending')
      await setStatus(trx, a.person_id, 'normal', `复测体温 ${remeasured.toFixed(1)}℃，${label}`, { kind: 'staff', id: staff.id, role: staff.role });
    await audit(trx, staffActor(staff), { action: 'fever_alert.resolve', personId: a.person_id, areaCode: a.community_code,
      detail: { alertId: id, remeasured, outcome } });
  });
  ctx.events.emit('alert_update', { id, communityCode: a.community_code, state: 'resolved', outcome });
  if (outcome === 'cleared') {
    const cp = await checkpointInfoById(ctx, a.checkpoint_id);
    if (cp && cp.state === 'active') {
      await checkIn(ctx, { checkpoint: cp, personIds: [a.person_id], direction: 'in', temperature: remeasured, source: 'guard', actorId: staff.id, ignoreRescan: true });
    }
  }
}

/** Escalate alerts unacknowledged for FEVER_ESCALATION_MIN minutes (to the street: SPEC S1). */
export async function escalateAlerts(ctx: AppContext, now = new Date()) {
  const before = new Date(now.getTime() - ctx.config.FEVER_ESCALATION_MIN * 60_000);
  const rows = await ctx.db.updateTable('fever_alerts').set({ escalated_at: now })
    .where('acknowledged_at', 'is', null).where('escalated_at', 'is', null).where('raised_at', '<=', before)
    .returning(['id', 'community_code']).execute();
  for (const r of rows) ctx.events.emit('alert_update', { id: r.id, communityCode: r.community_code, state: 'escalated' });
  if (rows.length) ctx.log.warn({ count: rows.length }, 'fever alerts escalated to the street');
  return rows.length;
}
