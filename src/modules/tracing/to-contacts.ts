/**
 * Turn a trace's candidates into contacts (issue 4 §3 "one action turns selected people into close
 * contacts with their exposure date"): close contacts of the case, or secondary contacts when the
 * trace's subject is a contact (contacts of contacts). The exposure date is the candidate's
 * lastExposureOn as stored in the trace. Contact creation itself (observation end date, status
 * register, audit of each contact) is src/modules/contacts/service.ts createContacts.
 */
import type { AppContext } from '../../context';
import { badRequest } from '../../lib/errors';
import { audit } from '../audit/audit';
import { createContacts, type ContactView } from '../contacts/service';
import { staffActor, type StaffUser } from '../staff/auth';
import { traceFor } from './runs';

/** What the action answers of each contact. */
export interface TracedContact { contactId: string; personId: string; maskedName: string; kind: 'close' | 'secondary'; lastExposureOn: string; endOn: string }
const brief = (c: ContactView): TracedContact => ({
  contactId: c.id, personId: c.personId, maskedName: c.maskedName, kind: c.kind, lastExposureOn: c.lastExposureOn, endOn: c.endOn,
});

/** Most persons turned into contacts in one request. */
export const CONTACTS_MAX = 500;

/**
 * Create contacts for `personIds` (each a candidate of trace `traceId`), in one transaction with
 * the audit row 'trace.contacts'.
 * @returns the contacts created and those that already existed (same source), with their exposure
 *   and observation end dates.
 * @throws AppError 404 trace unknown or out of scope; 400 not_in_trace (details.personIds), and
 *   whatever createContacts refuses.
 */
export async function traceToContacts(ctx: AppContext, staff: StaffUser, traceId: string, personIds: string[], note?: string):
  Promise<{ created: TracedContact[]; existing: TracedContact[] }> {
  const t = await traceFor(ctx, staff, traceId);
  const ids = [...new Set(personIds)];
  const byPerson = new Map(t.result.candidates.map((c) => [c.personId, c]));
  const missing = ids.filter((id) => !byPerson.has(id));
  if (missing.length) {
    throw badRequest('not_in_trace', `有 ${missing.length} 人不在本次追踪结果中`, `${missing.length} of these persons are not candidates of this trace`, { personIds: missing });
  }
  const source = t.subject.contactId ? { contactId: t.subject.contactId } : { caseId: t.caseId };
  const inputs = ids.map((personId) => ({
    personId, source, lastExposureOn: byPerson.get(personId)!.lastExposureOn, traceId: t.id, ...(note ? { note } : {}),
  }));
  return ctx.db.transaction().execute(async (trx) => {
    const r = await createContacts(ctx, staff, inputs, trx);
    await audit(trx, staffActor(staff), { action: 'trace.contacts', personId: t.subject.personId, areaCode: t.areaCode,
      detail: { traceId: t.id, caseId: t.caseId, created: r.created.length, existing: r.existing.length } });
    return { created: r.created.map(brief), existing: r.existing.map(brief) };
  });
}
