/**
 * The facts `decideEligibility` (./eligibility.ts) decides on, read from the register for one
 * person on one China date (SPEC S6, issue 6 §1):
 * - community: where the person resides: the household of their latest membership (by since,
 *   then the household's resident_since), else their home community (persons.home_community_code);
 * - residentSince: household_members.since, else households.resident_since, of that household;
 * - arrivals: the person's arrival_reports to that community (an arrival restarts the count);
 * - activeMeasures: open key persons (closed_on null or after today; not those made for a contact)
 *   whose measure bars (home / centralized isolation, medical observation; health monitoring does
 *   not), with their end_on; contacts under observation on `today` (traced, not released) with
 *   their end_on; open cases (suspected, confirmed) without a date;
 * - status: the person's register status (src/modules/status).
 * Measures and cases count whatever community they were recorded in: a measure anywhere bars.
 */
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import { contactCounts } from '../reports/figures';
import { getStatuses } from '../status/service';
import type { ActiveMeasure, ArrivalFact, EligibilityFacts } from './eligibility';

type Db = Kysely<DB> | Transaction<DB>;

export interface PersonResidence {
  /** The community where the person resides (12 digits), or null when the register knows none. */
  communityCode: string | null;
  residentSince: string | null;
  householdId: string | null;
}

/** Where person `personId` resides (header), or nulls. */
export async function residenceOfPerson(db: Db, personId: string): Promise<PersonResidence> {
  const hh = await db.selectFrom('household_members as m').innerJoin('households as h', 'h.id', 'm.household_id')
    .select(['h.id', 'h.community_code', 'm.since', 'h.resident_since'])
    .where('m.person_id', '=', personId).execute();
  const best = hh.map((r) => ({ ...r, start: r.since ?? r.resident_since }))
    .sort((a, b) => (b.start ?? '').localeCompare(a.start ?? ''))[0];
  if (best) return { communityCode: best.community_code, residentSince: best.start, householdId: best.id };
  const p = await db.selectFrom('persons').select('home_community_code').where('id', '=', personId).executeTakeFirst();
  const c = p?.home_community_code ?? null;
  return { communityCode: c && /^\d{12}$/.test(c) ? c : null, residentSince: null, householdId: null };
}

const BARRING: Record<string, ActiveMeasure['kind']> = {
  home_isolation: 'home_isolation', centralized_isolation: 'centralized_isolation', medical_observation: 'observation',
};

/**
 * EligibilityFacts of `personId` on China date `today` in `community` (header).
 * `community` null: no residence and no arrivals (refused residence_unknown by the rule).
 */
export async function gatherEligibilityFacts(db: Db, personId: string, community: string | null, residentSince: string | null,
  today: string): Promise<EligibilityFacts> {
  const arrivals: ArrivalFact[] = community === null ? [] : (await db.selectFrom('arrival_reports')
    .select(['arrival_on', 'measure', 'measure_until']).where('person_id', '=', personId).where('community_code', '=', community)
    .where('arrival_on', '<=', today).execute()).map((a) => ({ arrivalOn: a.arrival_on, measure: a.measure, until: a.measure_until }));

  const activeMeasures: ActiveMeasure[] = [];
  const kps = await db.selectFrom('key_persons').select(['measure', 'end_on', 'start_on']).where('person_id', '=', personId)
    .where('source_kind', '<>', 'contact').where('start_on', '<=', today)
    .where((eb) => eb.or([eb('closed_on', 'is', null), eb('closed_on', '>', today)])).execute();
  for (const k of kps) {
    const kind = BARRING[k.measure];
    if (kind) activeMeasures.push({ kind, until: k.end_on });
  }
  const contacts = await db.selectFrom('contacts').select(['kind', 'traced_on', 'released_on', 'end_on']).where('person_id', '=', personId).execute();
  for (const c of contacts) {
    if (contactCounts('underObservation', { kind: c.kind, tracedOn: c.traced_on, releasedOn: c.released_on }, today)) {
      activeMeasures.push({ kind: 'observation', until: c.end_on });
    }
  }
  const cases = await db.selectFrom('cases').select('id').where('person_id', '=', personId).where('status', 'in', ['suspected', 'confirmed']).execute();
  if (cases.length > 0) activeMeasures.push({ kind: 'case', until: null });

  const status = (await getStatuses(db, [personId])).get(personId)!.status;
  return { today, residentSince, arrivals, activeMeasures, status };
}
