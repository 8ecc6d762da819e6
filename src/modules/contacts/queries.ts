/**
 * Reading contacts under medical observation (issue 4 §2): the scoped list and one contact with its
 * history and schedule. Permission 'contacts.read'; scope as ./service.ts. Audited: the list as
 * 'contacts.list', one contact as 'contact.read' naming the person.
 */
import type { AppContext } from '../../context';
import { auditSearchText } from '../../lib/mask';
import { chinaDate } from '../../lib/time';
import { audit } from '../audit/audit';
import { likeEscape, listArea } from '../cases/queries';
import { staffActor, type StaffUser } from '../staff/auth';
import { observationSchedule } from './observation';
import { contactView, scopedContactRows, unknownContact, type ContactView } from './service';

/** Most rows a list returns. */
export const CONTACT_LIST_MAX = 5000;

export interface ContactListFilter {
  areaCode?: string;
  /** observing (default): not released; released; all. */
  state?: 'observing' | 'released' | 'all';
  caseId?: string;
  /** Part of the person's name or of the case number. */
  q?: string;
}

/**
 * Contacts of an area (their home community or their chain's case in it), ordered by end date,
 * with day N of M on `today`. Audits 'contacts.list' with the filter and the row count.
 * @throws AppError 404 area outside the account's subtree.
 */
export async function listContacts(ctx: AppContext, staff: StaffUser, f: ContactListFilter, today = chinaDate()): Promise<ContactView[]> {
  const area = listArea(staff, f.areaCode);
  let q = scopedContactRows(ctx.db, staff.areaCode)
    .where((eb) => eb.or([eb('c.community_code', 'like', `${area}%`), eb('cs.community_code', 'like', `${area}%`)]));
  const state = f.state ?? 'observing';
  if (state === 'observing') q = q.where('c.released_on', 'is', null);
  if (state === 'released') q = q.where('c.released_on', 'is not', null);
  if (f.caseId) q = q.where('c.case_id', '=', f.caseId);
  const text = f.q?.trim();
  if (text) {
    const pat = `%${likeEscape(text)}%`;
    q = q.where((eb) => eb.or([eb('p.name', 'like', pat), eb('cs.number', 'like', pat)]));
  }
  const rows = await q.orderBy('c.end_on').orderBy('c.id').limit(CONTACT_LIST_MAX).execute();
  await audit(ctx.db, staffActor(staff), { action: 'contacts.list', areaCode: area,
    detail: { state, caseId: f.caseId ?? null, q: text ? auditSearchText(text) : null, rows: rows.length } });
  return rows.map((r) => contactView(r, today));
}

/**
 * One contact: its view, its events (oldest first: kind, detail, reason, actor role, time) and its
 * schedule (as the observation rule computes it now). Audits 'contact.read'.
 * @throws AppError 404 unknown or out of scope.
 */
export async function contactDetail(ctx: AppContext, staff: StaffUser, contactId: string, today = chinaDate()) {
  const row = await scopedContactRows(ctx.db, staff.areaCode).where('c.id', '=', contactId).executeTakeFirst();
  if (!row) throw unknownContact();
  const events = await ctx.db.selectFrom('contact_events').selectAll().where('contact_id', '=', contactId).orderBy('id').execute();
  await audit(ctx.db, staffActor(staff), { action: 'contact.read', personId: row.person_id, areaCode: staff.areaCode, detail: { contactId } });
  const schedule = observationSchedule({ lastExposureOn: row.last_exposure_on, symptomsLastOn: row.symptoms_last_on,
    overrideEndOn: row.override_end_on, days: ctx.config.OBSERVATION_DAYS });
  return {
    contact: contactView(row, today),
    events: events.map((e) => ({ kind: e.kind, detail: (typeof e.detail === 'string' ? JSON.parse(e.detail) : e.detail) as Record<string, unknown>,
      reason: e.reason, actorRole: e.actor_role, at: e.at.toISOString() })),
    schedule: { ...schedule, days: ctx.config.OBSERVATION_DAYS },
  };
}
