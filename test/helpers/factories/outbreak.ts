/**
 * The world's epidemiology records (issue 4), written directly (no route, no audit, no status
 * register change), so route-table entries have a case, a contact and a trace of each side:
 * - `caseId`: a confirmed local case (hospitalised) of `casePerson`, onset two days ago;
 * - `spareCaseId`: a suspected case of `sparePerson`, the one the tests change;
 * - `contactId`: a close contact of the confirmed case (`contactPerson`, exposed yesterday);
 * - `spareContactId`: a second close contact, the one the tests release or override;
 * - `traceId`: a stored trace of the confirmed case, its one candidate the spare contact's person.
 */
import type { AppContext } from '../../../src/context';
import { addDays, chinaDate } from '../../../src/lib/time';
import { buildPerson, validResidentId } from './persons';

export interface WorldEpi {
  caseId: string; spareCaseId: string; contactId: string; spareContactId: string; traceId: string;
  persons: Array<{ id: string; name: string; docNumber: string; phone: string | null }>;
}

/** Insert the records above for the side whose district is `district` and community `community`. */
export async function buildOutbreak(ctx: AppContext, o: { district: string; community: string; label: string; staffId: string }): Promise<WorldEpi> {
  const today = chinaDate();
  const person = async (suffix: string) => {
    const p = await buildPerson(ctx, { name: `${o.label}${suffix}`, homeCommunityCode: o.community, docNumber: validResidentId({ region: o.district }) });
    return { id: p.id, name: p.name, docNumber: p.docNumber, phone: p.phone };
  };
  const [casePerson, sparePerson, contactPerson, spareContactPerson] = [await person('病例'), await person('疑似'), await person('密接'), await person('密接二')];
  const seq = Math.floor(Math.random() * 1e6);
  const addCase = async (personId: string, status: 'confirmed' | 'suspected', n: number) => {
    const row = await ctx.db.insertInto('cases').values({
      number: `${o.district}-W${seq}-${n}`, person_id: personId, community_code: o.community, status, hospitalised: true,
      hospital: '焦作市第五人民医院', onset_on: addDays(today, -2), isolated_on: addDays(today, -1), classification: 'local',
      created_by: o.staffId,
    }).returning('id').executeTakeFirstOrThrow();
    await ctx.db.insertInto('case_events').values({ case_id: row.id, status, hospitalised: true, hospital: '焦作市第五人民医院',
      effective_on: addDays(today, -1), reason: '测试病例', actor_id: o.staffId, actor_role: 'district_command' }).execute();
    return row.id;
  };
  const caseId = await addCase(casePerson.id, 'confirmed', 1);
  const spareCaseId = await addCase(sparePerson.id, 'suspected', 2);
  const trace = await ctx.db.insertInto('traces').values({
    case_id: caseId, subject_person_id: casePerson.id, window_from: new Date(Date.now() - 4 * 86_400_000), window_to: new Date(),
    margin_min: 30, reason: '测试追踪', result: JSON.stringify({ visits: [], checkins: [], candidates: [{ rank: 1, personId: spareContactPerson.id, maskedName: '', homeCommunityCode: o.community,
      overlapMinutes: 30, sharedVisits: 1, firstOverlapAt: new Date().toISOString(), lastOverlapAt: new Date().toISOString(),
      lastExposureOn: addDays(today, -1), places: [], alreadyContact: true }] }), created_by: o.staffId,
  }).returning('id').executeTakeFirstOrThrow();
  const addContact = async (personId: string) => {
    const exposure = addDays(today, -1);
    const row = await ctx.db.insertInto('contacts').values({
      person_id: personId, community_code: o.community, kind: 'close', source_case_id: caseId, case_id: caseId, trace_id: trace.id,
      last_exposure_on: exposure, computed_end_on: addDays(exposure, 14), end_on: addDays(exposure, 14), traced_on: today, created_by: o.staffId,
    }).returning('id').executeTakeFirstOrThrow();
    await ctx.db.insertInto('contact_events').values({ contact_id: row.id, kind: 'created', detail: JSON.stringify({ lastExposureOn: exposure }),
      actor_id: o.staffId, actor_role: 'district_command' }).execute();
    return row.id;
  };
  const contactId = await addContact(contactPerson.id);
  const spareContactId = await addContact(spareContactPerson.id);
  return { caseId, spareCaseId, contactId, spareContactId, traceId: trace.id, persons: [casePerson, sparePerson, contactPerson, spareContactPerson] };
}
