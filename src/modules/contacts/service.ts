/**
 * Close and secondary contacts under medical observation (issue 4 §2, SPEC S4): creating them (by
 * hand, or from a trace's results in one action: src/modules/tracing), and the view every answer
 * uses. A contact of a case is 'close', a contact of a contact is 'secondary'; `case_id` is the
 * case the chain leads to. Contacts go to their home community (`community_code`).
 *
 * Scope: a contact is visible to an account when its community OR its chain's case lies in the
 * account's subtree (the command office that registered the case follows its contacts living
 * elsewhere); anything else answers 404. Every write is one transaction with its contact_events row,
 * its person status change (setStatus) and its audit row.
 */
import type { Kysely, Transaction } from 'kysely';
import type { AppContext } from '../../context';
import type { DB } from '../../db/schema';
import { badRequest, conflict, notFound } from '../../lib/errors';
import { maskName } from '../../lib/mask';
import { addDays, chinaDate } from '../../lib/time';
import { audit } from '../audit/audit';
import { notBeforeBirth, pastDate } from '../cases/rules';
import { personInScope } from '../persons/service';
import { staffActor, type StaffUser } from '../staff/auth';
import { getStatuses, setStatus, type PersonStatus } from '../status/service';
import { observationDay, observationSchedule } from './observation';

type Db = Kysely<DB> | Transaction<DB>;

export const unknownContact = () => notFound('未找到该密切接触者记录', 'Contact not found');
export const EXPOSURE_LABEL = { zh: '末次暴露日期', en: 'The last exposure date' };
/** Statuses not replaced by 'medical_observation' when a person becomes a contact (already as strict or stricter). */
export const KEEP_STATUSES: readonly PersonStatus[] = ['case', 'centralized_isolation', 'home_isolation', 'medical_observation'];

/** The contact rows with what a view shows (person, community, case and source labels). */
export function contactRows(db: Db) {
  return db.selectFrom('contacts as c').innerJoin('persons as p', 'p.id', 'c.person_id')
    .innerJoin('cases as cs', 'cs.id', 'c.case_id')
    .leftJoin('areas as a', 'a.code', 'c.community_code')
    .leftJoin('cases as sc', 'sc.id', 'c.source_case_id')
    .leftJoin('contacts as src', 'src.id', 'c.source_contact_id')
    .leftJoin('persons as sp', 'sp.id', 'src.person_id')
    .select(['c.id', 'c.person_id', 'c.community_code', 'c.kind', 'c.source_case_id', 'c.source_contact_id', 'c.case_id', 'c.trace_id',
      'c.last_exposure_on', 'c.symptoms_last_on', 'c.computed_end_on', 'c.override_end_on', 'c.end_on', 'c.traced_on',
      'c.released_on', 'c.release_reason', 'c.note', 'p.name', 'a.name as community_name', 'cs.number as case_number',
      'cs.community_code as case_community', 'sc.number as source_case_number', 'sp.name as source_person_name']);
}
export type ContactRow = Awaited<ReturnType<ReturnType<typeof contactRows>['execute']>>[number];

/** contactRows limited to what `scope` may see (rule in the header). */
export function scopedContactRows(db: Db, scope: string) {
  return contactRows(db).where((eb) => eb.or([eb('c.community_code', 'like', `${scope}%`), eb('cs.community_code', 'like', `${scope}%`)]));
}

export interface ContactView {
  id: string; personId: string; maskedName: string; kind: 'close' | 'secondary';
  caseId: string; caseNumber: string;
  /** The source: a case (close contact) or a contact (secondary), with a label (case number or masked name). */
  source: { caseId: string | null; contactId: string | null; label: string };
  traceId: string | null;
  lastExposureOn: string; symptomsLastOn: string | null;
  startOn: string; computedEndOn: string; endOn: string; releasableFrom: string; overridden: boolean;
  /** Day N of M on `today` (observationDay: 0 before day 1, not capped). */
  day: number; of: number;
  state: 'observing' | 'released'; tracedOn: string; releasedOn: string | null; releaseReason: string | null;
  communityCode: string; communityName: string | null; note: string;
}

/**
 * The view of a contact row on China date `today`: stored end dates (written by the observation
 * rule), day 1 = exposure + 1, releasable from end + 1, masked name.
 */
export function contactView(row: ContactRow, today: string): ContactView {
  const startOn = addDays(row.last_exposure_on, 1);
  const { day, of } = observationDay({ startOn, endOn: row.end_on }, today);
  return {
    id: row.id, personId: row.person_id, maskedName: maskName(row.name), kind: row.kind, caseId: row.case_id, caseNumber: row.case_number,
    source: {
      caseId: row.source_case_id, contactId: row.source_contact_id,
      label: row.source_case_number ?? (row.source_person_name ? maskName(row.source_person_name) : ''),
    },
    traceId: row.trace_id, lastExposureOn: row.last_exposure_on, symptomsLastOn: row.symptoms_last_on, startOn,
    computedEndOn: row.computed_end_on, endOn: row.end_on, releasableFrom: addDays(row.end_on, 1), overridden: row.override_end_on !== null,
    day, of, state: row.released_on ? 'released' : 'observing', tracedOn: row.traced_on, releasedOn: row.released_on,
    releaseReason: row.release_reason, communityCode: row.community_code, communityName: row.community_name ?? null, note: row.note,
  };
}

/** The stored end-date columns for these inputs (observationSchedule with OBSERVATION_DAYS). */
export function endColumns(ctx: AppContext, v: { lastExposureOn: string; symptomsLastOn: string | null; overrideEndOn: string | null }) {
  const s = observationSchedule({ ...v, days: ctx.config.OBSERVATION_DAYS });
  return { computed_end_on: s.computedEndOn, end_on: s.endOn };
}

/**
 * The end columns after an input (last exposure, symptoms) changed. An override ending before the
 * new computed end shortened the observation on the old inputs and is dropped (`overrideDropped`,
 * then set override_end_on to null), so the end follows its inputs (LESSONS "Derived dates that do
 * not follow their inputs"); one ending on or after it (an extension) stays. Dates YYYY-MM-DD.
 */
export function endAfterInputChange(ctx: AppContext, v: { lastExposureOn: string; symptomsLastOn: string | null; overrideEndOn: string | null }) {
  const computed = endColumns(ctx, { ...v, overrideEndOn: null });
  const keep = v.overrideEndOn !== null && v.overrideEndOn >= computed.computed_end_on;
  return { cols: keep ? endColumns(ctx, v) : computed, overrideDropped: v.overrideEndOn !== null && !keep ? v.overrideEndOn : null };
}

export interface ContactInput {
  personId: string;
  source: { caseId: string } | { contactId: string };
  /** China date of the last exposure (not in the future). */
  lastExposureOn: string;
  traceId?: string | null;
  note?: string | null;
}

const sourceCaseExcluded = () => conflict('source_case_excluded', '该病例已排除，不能登记其密切接触者', 'The case was excluded; it has no contacts to register');
const sourceIsPerson = () => badRequest('contact_is_source', '密切接触者不能是其传染来源本人', 'A contact cannot be the person they were exposed to');

/** The source's chain: kind, case, the source ids, the source's person. @throws 404 / 409 source_case_excluded. */
async function resolveSource(trx: Db, staff: StaffUser, source: ContactInput['source']) {
  if ('caseId' in source) {
    const c = await trx.selectFrom('cases').select(['id', 'person_id', 'status', 'number']).where('id', '=', source.caseId)
      .where('community_code', 'like', `${staff.areaCode}%`).executeTakeFirst();
    if (!c) throw notFound('未找到该病例', 'Case not found');
    if (c.status === 'excluded') throw sourceCaseExcluded();
    return { kind: 'close' as const, caseId: c.id, caseNumber: c.number, sourceCaseId: c.id, sourceContactId: null, sourcePersonId: c.person_id };
  }
  const s = await scopedContactRows(trx, staff.areaCode).where('c.id', '=', source.contactId).executeTakeFirst();
  if (!s) throw unknownContact();
  // the same rule down the chain: a contact of an excluded case has no contacts of its own
  const chain = await trx.selectFrom('cases').select('status').where('id', '=', s.case_id).executeTakeFirstOrThrow();
  if (chain.status === 'excluded') throw sourceCaseExcluded();
  return { kind: 'secondary' as const, caseId: s.case_id, caseNumber: s.case_number, sourceCaseId: null, sourceContactId: s.id, sourcePersonId: s.person_id };
}

/**
 * Turn people into contacts in one action (used by tracing and by POST /api/contacts): per input,
 * a new contact (kind 'close' for a case source, 'secondary' for a contact source; community = the
 * person's home community; traced_on = `today`; end dates by the observation rule), its 'created'
 * event, the person status 'medical_observation' unless already one of KEEP_STATUSES, and an audit
 * row 'contact.create'. A person already a contact of the same source is returned as existing; a
 * later exposure moves theirs (event 'exposure_corrected', audit 'contact.exposure') unless released,
 * dropping an override that ends before the new computed end (detail.overrideDropped). The person
 * row is locked (FOR NO KEY UPDATE) so concurrent registrations of one person serialise. A source
 * contact whose case was excluded is refused like the excluded case itself. All inputs in one transaction (`trx` when given): one refusal and nothing is written.
 * @param today China date of the action (tests pass one).
 * @throws AppError 404 person / case / contact / trace not found or out of scope; 400
 *   no_home_community, contact_is_source, last_exposure_on_invalid / _in_future / _before_birth, trace_mismatch,
 *   note_too_long; 409 source_case_excluded.
 */
export async function createContacts(ctx: AppContext, staff: StaffUser, inputs: ContactInput[], trx?: Transaction<DB>,
  today = chinaDate()): Promise<{ created: ContactView[]; existing: ContactView[] }> {
  for (const i of inputs) {
    pastDate(i.lastExposureOn, today, 'last_exposure_on', EXPOSURE_LABEL);
    if ([...(i.note ?? '')].length > 500) throw badRequest('note_too_long', '备注不能超过500字', 'The note is longer than 500 characters');
  }
  const actor = { kind: 'staff' as const, id: staff.id, role: staff.role };
  const run = async (t: Transaction<DB>) => {
    const created: string[] = [];
    const existing: string[] = [];
    const personIds = [...new Set(inputs.map((i) => i.personId))];
    const births = new Map(personIds.length ? (await t.selectFrom('persons').select(['id', 'birth_date']).where('id', 'in', personIds).execute())
      .map((r) => [r.id, r.birth_date]) : []);
    for (const i of inputs) {
      notBeforeBirth(i.lastExposureOn, births.get(i.personId), 'last_exposure_on', EXPOSURE_LABEL);
      const src = await resolveSource(t, staff, i.source);
      if (src.sourcePersonId === i.personId) throw sourceIsPerson();
      if (!(await personInScope(t, staff.areaCode, i.personId))) throw notFound('未找到该人员', 'Person not found');
      // locked: concurrent registrations of the same person (two clicks, two traces) wait here and then
      // find the first one's contact below, instead of failing on contacts_case_person (a 500)
      const person = await t.selectFrom('persons').select(['id', 'home_community_code']).where('id', '=', i.personId)
        .forNoKeyUpdate().executeTakeFirstOrThrow();
      if (!person.home_community_code) {
        throw badRequest('no_home_community', '此人未登记居住社区，密切接触者须交由居住社区管理：请先补充居住社区',
          'This person has no home community; contacts are followed by their home community, so record it first');
      }
      if (i.traceId) {
        const tr = await t.selectFrom('traces').select('case_id').where('id', '=', i.traceId).executeTakeFirst();
        if (!tr || tr.case_id !== src.caseId) throw badRequest('trace_mismatch', '该追踪记录不属于此病例的传播链', 'The trace does not belong to this case\'s chain');
      }
      let q = t.selectFrom('contacts').select(['id', 'last_exposure_on', 'symptoms_last_on', 'override_end_on', 'released_on'])
        .where('person_id', '=', i.personId);
      q = src.sourceCaseId ? q.where('source_case_id', '=', src.sourceCaseId) : q.where('source_contact_id', '=', src.sourceContactId!);
      const old = await q.forUpdate().executeTakeFirst();
      if (old) {
        existing.push(old.id);
        if (!old.released_on && i.lastExposureOn > old.last_exposure_on) {
          // a new exposure restarts the count: an override ending before the new computed end (set for
          // the earlier exposure) is dropped, else it could end the observation before its new day 1
          const { cols, overrideDropped } = endAfterInputChange(ctx, { lastExposureOn: i.lastExposureOn, symptomsLastOn: old.symptoms_last_on, overrideEndOn: old.override_end_on });
          await t.updateTable('contacts').set({ last_exposure_on: i.lastExposureOn, ...cols, ...(overrideDropped ? { override_end_on: null } : {}) })
            .where('id', '=', old.id).execute();
          const detail = { from: old.last_exposure_on, to: i.lastExposureOn, endOn: cols.end_on, traceId: i.traceId ?? null, ...(overrideDropped ? { overrideDropped } : {}) };
          await t.insertInto('contact_events').values({ contact_id: old.id, kind: 'exposure_corrected', detail: JSON.stringify(detail),
            reason: '再次接触，末次暴露日期延后', actor_id: staff.id, actor_role: staff.role }).execute();
          await audit(t, staffActor(staff), { action: 'contact.exposure', personId: i.personId, areaCode: staff.areaCode, detail: { contactId: old.id, ...detail } });
        }
        continue;
      }
      const cols = endColumns(ctx, { lastExposureOn: i.lastExposureOn, symptomsLastOn: null, overrideEndOn: null });
      const row = await t.insertInto('contacts').values({
        person_id: i.personId, community_code: person.home_community_code, kind: src.kind, source_case_id: src.sourceCaseId,
        source_contact_id: src.sourceContactId, case_id: src.caseId, trace_id: i.traceId ?? null, last_exposure_on: i.lastExposureOn,
        ...cols, traced_on: today, note: String(i.note ?? '').trim(), created_by: staff.id,
      }).returning('id').executeTakeFirstOrThrow();
      created.push(row.id);
      const detail = { kind: src.kind, caseId: src.caseId, sourceCaseId: src.sourceCaseId, sourceContactId: src.sourceContactId,
        lastExposureOn: i.lastExposureOn, endOn: cols.end_on, traceId: i.traceId ?? null };
      await t.insertInto('contact_events').values({ contact_id: row.id, kind: 'created', detail: JSON.stringify(detail),
        actor_id: staff.id, actor_role: staff.role }).execute();
      const current = (await getStatuses(t, [i.personId])).get(i.personId)!.status;
      if (!KEEP_STATUSES.includes(current)) {
        await setStatus(t, i.personId, 'medical_observation',
          `${src.kind === 'close' ? '密切接触者' : '次密切接触者'}（病例 ${src.caseNumber}），医学观察至 ${cols.end_on}`, actor);
      }
      await audit(t, staffActor(staff), { action: 'contact.create', personId: i.personId, areaCode: staff.areaCode, detail: { contactId: row.id, ...detail } });
    }
    const ids = [...created, ...existing];
    const rows = ids.length ? await contactRows(t).where('c.id', 'in', ids).execute() : [];
    const byId = new Map(rows.map((r) => [r.id, contactView(r, today)]));
    return { created: created.map((id) => byId.get(id)!), existing: [...new Set(existing)].filter((id) => !created.includes(id)).map((id) => byId.get(id)!) };
  };
  return trx ? run(trx) : ctx.db.transaction().execute(run);
}
