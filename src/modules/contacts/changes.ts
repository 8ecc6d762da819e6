/**
 * Changes to a contact under observation (issue 4 §2): the exposure date corrected, a symptomatic
 * day recorded, the end date overridden or the override reverted ('contacts.manage'), and the
 * release from medical observation (解除医学观察, 'observation.release': doctors). Each is one
 * transaction: the contact row (locked), its contact_events row, the person status when it
 * changes, and an audit row 'contact.<change>'. End dates always come from the observation rule
 * (./observation.ts) via endColumns. A released contact refuses every change (409 contact_released).
 */
import type { Transaction } from 'kysely';
import type { AppContext } from '../../context';
import type { DB } from '../../db/schema';
import { AppError, badRequest, conflict } from '../../lib/errors';
import { addDays, chinaDate } from '../../lib/time';
import { audit } from '../audit/audit';
import { hasOpenContact, requireReason } from '../cases/service';
import { isPlausibleDay, pastDate } from '../cases/rules';
import { staffActor, type StaffUser } from '../staff/auth';
import { getStatuses, setStatus } from '../status/service';
import { contactRows, contactView, endAfterInputChange, endColumns, EXPOSURE_LABEL, scopedContactRows, unknownContact, type ContactView } from './service';

type ContactEventKind = 'exposure_corrected' | 'symptoms' | 'override' | 'override_reverted' | 'released';
type Locked = { id: string; person_id: string; last_exposure_on: string; symptoms_last_on: string | null; override_end_on: string | null;
  end_on: string; released_on: string | null };

/**
 * Run `change` on a contact in scope, locked, in one transaction, then write its event and audit.
 * `change` returns the columns to set and the event detail.
 */
async function withContact(ctx: AppContext, staff: StaffUser, contactId: string, kind: ContactEventKind, reason: string,
  today: string, change: (c: Locked, trx: Transaction<DB>) => Promise<{ set: Record<string, unknown>; detail: Record<string, unknown> }>,
  opts: { allowReleased?: boolean } = {}): Promise<ContactView> {
  const visible = await scopedContactRows(ctx.db, staff.areaCode).where('c.id', '=', contactId).executeTakeFirst();
  if (!visible) throw unknownContact();
  return ctx.db.transaction().execute(async (trx) => {
    const c = await trx.selectFrom('contacts').select(['id', 'person_id', 'last_exposure_on', 'symptoms_last_on', 'override_end_on', 'end_on', 'released_on'])
      .where('id', '=', contactId).forUpdate().executeTakeFirstOrThrow();
    if (c.released_on && !opts.allowReleased) {
      throw conflict('contact_released', `已于${c.released_on}解除医学观察，不能再更改`, `Released from observation on ${c.released_on}; it can no longer change`);
    }
    const { set, detail } = await change(c, trx);
    await trx.updateTable('contacts').set(set as never).where('id', '=', contactId).execute();
    await trx.insertInto('contact_events').values({ contact_id: contactId, kind, detail: JSON.stringify(detail), reason,
      actor_id: staff.id, actor_role: staff.role }).execute();
    await audit(trx, staffActor(staff), { action: `contact.${kind}`, personId: c.person_id, areaCode: staff.areaCode,
      detail: { contactId, ...detail, reason } });
    return contactView((await contactRows(trx).where('c.id', '=', contactId).execute())[0]!, today);
  });
}

/**
 * Correct the last exposure date; the end date is recomputed and an override that would now end
 * before it is dropped (endAfterInputChange; event 'exposure_corrected', detail.overrideDropped).
 * @throws AppError 404; 400 reason_required, last_exposure_on_invalid / _in_future; 409 no_change, contact_released.
 */
export async function correctExposure(ctx: AppContext, staff: StaffUser, contactId: string, body: { lastExposureOn: string; reason: string }, today = chinaDate()) {
  const reason = requireReason(body.reason);
  const on = pastDate(body.lastExposureOn, today, 'last_exposure_on', EXPOSURE_LABEL);
  return withContact(ctx, staff, contactId, 'exposure_corrected', reason, today, async (c) => {
    if (on === c.last_exposure_on) throw conflict('no_change', `末次暴露日期已是${on}`, `The last exposure date is already ${on}`);
    const { cols, overrideDropped } = endAfterInputChange(ctx, { lastExposureOn: on, symptomsLastOn: c.symptoms_last_on, overrideEndOn: c.override_end_on });
    return {
      set: { last_exposure_on: on, ...cols, ...(overrideDropped ? { override_end_on: null } : {}) },
      detail: { from: c.last_exposure_on, to: on, endOn: cols.end_on, fromEndOn: c.end_on, ...(overrideDropped ? { overrideDropped } : {}) },
    };
  });
}

/**
 * Record a day with symptoms (on or after the last exposure day, not in the future): the
 * computed end becomes that day + OBSERVATION_DAYS if later, and an override that would now end
 * before it is dropped (endAfterInputChange; event 'symptoms', detail.overrideDropped).
 * @throws AppError 404; 400 reason_required, symptoms_on_invalid / _in_future, symptoms_before_start; 409 contact_released.
 */
export async function recordSymptoms(ctx: AppContext, staff: StaffUser, contactId: string, body: { on: string; reason: string }, today = chinaDate()) {
  const reason = requireReason(body.reason);
  const on = pastDate(body.on, today, 'symptoms_on', { zh: '出现症状日期', en: 'The symptom date' });
  return withContact(ctx, staff, contactId, 'symptoms', reason, today, async (c) => {
    // symptoms on the exposure day itself are reported too (day 0: the doctor hears of them then)
    if (on < c.last_exposure_on) {
      throw badRequest('symptoms_before_start', `症状日期不能早于最后接触日期（${c.last_exposure_on}）`,
        `The symptom date cannot be before the last exposure (${c.last_exposure_on})`);
    }
    const last = c.symptoms_last_on && c.symptoms_last_on > on ? c.symptoms_last_on : on;
    const { cols, overrideDropped } = endAfterInputChange(ctx, { lastExposureOn: c.last_exposure_on, symptomsLastOn: last, overrideEndOn: c.override_end_on });
    return {
      set: { symptoms_last_on: last, ...cols, ...(overrideDropped ? { override_end_on: null } : {}) },
      detail: { on, symptomsLastOn: last, endOn: cols.end_on, fromEndOn: c.end_on, ...(overrideDropped ? { overrideDropped } : {}) },
    };
  });
}

/**
 * Override the end date with a reason (event 'override'); the computed end is kept for a revert.
 * The override must not end before day 1.
 * @throws AppError 404; 400 reason_required, end_on_invalid, override_before_start; 409 no_change, contact_released.
 */
export async function overrideEnd(ctx: AppContext, staff: StaffUser, contactId: string, body: { endOn: string; reason: string }, today = chinaDate()) {
  const reason = requireReason(body.reason);
  if (!isPlausibleDay(body.endOn)) {
    throw badRequest('end_on_invalid', `结束日期不是有效日期：${body.endOn}`, `The end date is not a valid date: "${body.endOn}"`);
  }
  return withContact(ctx, staff, contactId, 'override', reason, today, async (c) => {
    const start = addDays(c.last_exposure_on, 1);
    if (body.endOn < start) {
      throw badRequest('override_before_start', `结束日期不能早于医学观察第1天（${start}）`, `The end date cannot be before day 1 of observation (${start})`);
    }
    if (body.endOn === c.override_end_on) throw conflict('no_change', `结束日期已改为${body.endOn}`, `The end date is already overridden to ${body.endOn}`);
    const cols = endColumns(ctx, { lastExposureOn: c.last_exposure_on, symptomsLastOn: c.symptoms_last_on, overrideEndOn: body.endOn });
    return { set: { override_end_on: body.endOn, ...cols }, detail: { from: c.end_on, to: cols.end_on, computedEndOn: cols.computed_end_on } };
  });
}

/**
 * Revert an override: the computed end is in force again (event 'override_reverted').
 * @throws AppError 404; 400 reason_required; 409 no_override, contact_released.
 */
export async function revertOverride(ctx: AppContext, staff: StaffUser, contactId: string, body: { reason: string }, today = chinaDate()) {
  const reason = requireReason(body.reason);
  return withContact(ctx, staff, contactId, 'override_reverted', reason, today, async (c) => {
    if (!c.override_end_on) throw conflict('no_override', '结束日期未被人工更改，无需恢复', 'The end date is not overridden; nothing to revert');
    const cols = endColumns(ctx, { lastExposureOn: c.last_exposure_on, symptomsLastOn: c.symptoms_last_on, overrideEndOn: null });
    return { set: { override_end_on: null, ...cols }, detail: { from: c.end_on, to: cols.end_on, overrideWas: c.override_end_on } };
  });
}

/**
 * Release from medical observation (解除医学观察), signed off by a doctor ('observation.release',
 * checked by the route): released_on = `today`. Before the day after the end (releasableFrom) a
 * reason is required. Then the person status returns to 'normal' when it is 'medical_observation'
 * and no other contact record of the person is open.
 * @throws AppError 404; 400 reason_required_early, reason_too_long; 409 already_released.
 */
export async function releaseContact(ctx: AppContext, staff: StaffUser, contactId: string, body: { reason?: string | null }, today = chinaDate()) {
  const why = String(body.reason ?? '').trim();
  if ([...why].length > 500) throw badRequest('reason_too_long', '原因不能超过500字', 'The reason is longer than 500 characters');
  return withContact(ctx, staff, contactId, 'released', why, today, async (c, trx) => {
    if (c.released_on) throw conflict('already_released', `已于${c.released_on}解除医学观察`, `Already released from observation on ${c.released_on}`);
    const releasableFrom = addDays(c.end_on, 1);
    const early = today < releasableFrom;
    if (early && !why) {
      throw new AppError(400, 'reason_required_early', {
        zh: `医学观察至${c.end_on}，${releasableFrom}起方可解除；提前解除须填写原因`,
        en: `Observation runs until ${c.end_on} (release from ${releasableFrom}); an early release needs a reason`,
      });
    }
    const status = (await getStatuses(trx, [c.person_id])).get(c.person_id)!.status;
    let personStatus: string = status;
    if (status === 'medical_observation' && !(await hasOpenContact(trx, c.person_id, c.id))) {
      await setStatus(trx, c.person_id, 'normal', why ? `解除医学观察：${why}` : `解除医学观察（观察期至${c.end_on}）`,
        { kind: 'staff', id: staff.id, role: staff.role });
      personStatus = 'normal';
    }
    return { set: { released_on: today, released_by: staff.id, release_reason: why || null },
      detail: { on: today, endOn: c.end_on, early, personStatus } };
  }, { allowReleased: true });
}
