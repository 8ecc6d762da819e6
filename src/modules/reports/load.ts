/**
 * Reading an area's records for the situation report: one query each for its cases, their events
 * and its contacts (grouped by the fields the contact figures read), all by prefix match of
 * community_code on the area code (the subtree, SPEC "Area tree"). A few thousand rows at city
 * level; the figures are computed in TypeScript (compute.ts). The lists read full rows with the
 * person's name (masked here, never returned in full).
 */
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { CaseStatus, DB } from '../../db/schema';
import { maskName } from '../../lib/mask';
import type { AreaRecords } from './compute';
import type { CaseEventFact, CaseFacts, ContactFacts } from './figures';

/** LIKE pattern of an area's subtree (codes are digits; validated by the routes). */
const subtree = (areaCode: string) => `${areaCode.replace(/[^0-9]/g, '')}%`;

/** The case facts (events sorted by effectiveOn, id) and contact groups of the area `areaCode`. */
export async function loadArea(db: Kysely<DB>, areaCode: string): Promise<AreaRecords> {
  const like = subtree(areaCode);
  const [cases, events, contacts] = await Promise.all([
    db.selectFrom('cases').select(['id', 'community_code', 'classification', 'source_area', 'infector_case_id', 'cluster'])
      .where('community_code', 'like', like).execute(),
    db.selectFrom('case_events as e').innerJoin('cases as c', 'c.id', 'e.case_id')
      .select(['e.id', 'e.case_id', 'e.status', 'e.hospitalised', 'e.effective_on'])
      .where('c.community_code', 'like', like).orderBy('e.case_id').orderBy('e.effective_on').orderBy('e.id').execute(),
    db.selectFrom('contacts').select(['kind', 'traced_on', 'released_on', sql<number>`count(*)::int`.as('n')])
      .where('community_code', 'like', like).groupBy(['kind', 'traced_on', 'released_on']).execute(),
  ]);
  const byCase = new Map<string, CaseEventFact[]>();
  for (const e of events) {
    let list = byCase.get(e.case_id);
    if (!list) byCase.set(e.case_id, (list = []));
    list.push({ id: Number(e.id), status: e.status, hospitalised: e.hospitalised, effectiveOn: e.effective_on });
  }
  for (const list of byCase.values()) list.sort((a, b) => (a.effectiveOn < b.effectiveOn ? -1 : a.effectiveOn > b.effectiveOn ? 1 : a.id - b.id));
  return {
    cases: cases.map((c) => ({
      id: c.id, communityCode: c.community_code, classification: c.classification, sourceArea: c.source_area,
      infectorCaseId: c.infector_case_id, cluster: c.cluster, events: byCase.get(c.id) ?? [],
    })),
    contacts: contacts.map((g) => ({ kind: g.kind, tracedOn: g.traced_on, releasedOn: g.released_on, n: Number(g.n) })),
  };
}

/** A case of a figure's list: the facts plus what a list shows (masked name, number). */
export interface CaseListRecord extends CaseFacts {
  number: string; personId: string; maskedName: string; hospital: string; onsetOn: string | null;
}

/** A contact of a figure's list. */
export interface ContactListRecord extends ContactFacts {
  id: string; personId: string; maskedName: string; communityCode: string; caseNumber: string;
  lastExposureOn: string; endOn: string;
}

/** Every case of the area with its events and list fields, ordered by case number. */
export async function loadCaseList(db: Kysely<DB>, areaCode: string): Promise<CaseListRecord[]> {
  const like = subtree(areaCode);
  const rows = await db.selectFrom('cases as c').innerJoin('persons as p', 'p.id', 'c.person_id')
    .select(['c.id', 'c.number', 'c.person_id', 'p.name', 'c.community_code', 'c.classification', 'c.source_area', 'c.infector_case_id',
      'c.cluster', 'c.hospital', 'c.onset_on'])
    .where('c.community_code', 'like', like).orderBy('c.number').execute();
  const events = await db.selectFrom('case_events as e').innerJoin('cases as c', 'c.id', 'e.case_id')
    .select(['e.id', 'e.case_id', 'e.status', 'e.hospitalised', 'e.effective_on'])
    .where('c.community_code', 'like', like).orderBy('e.effective_on').orderBy('e.id').execute();
  const byCase = new Map<string, CaseEventFact[]>();
  for (const e of events) {
    const list = byCase.get(e.case_id) ?? [];
    list.push({ id: Number(e.id), status: e.status as CaseStatus, hospitalised: e.hospitalised, effectiveOn: e.effective_on });
    byCase.set(e.case_id, list);
  }
  return rows.map((r) => ({
    id: r.id, number: r.number, personId: r.person_id, maskedName: maskName(r.name), communityCode: r.community_code,
    classification: r.classification, sourceArea: r.source_area, infectorCaseId: r.infector_case_id, cluster: r.cluster,
    hospital: r.hospital, onsetOn: r.onset_on, events: byCase.get(r.id) ?? [],
  }));
}

/** Every contact of the area with list fields, ordered by traced_on then id. */
export async function loadContactList(db: Kysely<DB>, areaCode: string): Promise<ContactListRecord[]> {
  const rows = await db.selectFrom('contacts as k').innerJoin('persons as p', 'p.id', 'k.person_id').innerJoin('cases as c', 'c.id', 'k.case_id')
    .select(['k.id', 'k.person_id', 'p.name', 'k.community_code', 'k.kind', 'c.number', 'k.last_exposure_on', 'k.end_on', 'k.traced_on', 'k.released_on'])
    .where('k.community_code', 'like', subtree(areaCode)).orderBy('k.traced_on').orderBy('k.id').execute();
  return rows.map((r) => ({
    id: r.id, personId: r.person_id, maskedName: maskName(r.name), communityCode: r.community_code, kind: r.kind, caseNumber: r.number,
    lastExposureOn: r.last_exposure_on, endOn: r.end_on, tracedOn: r.traced_on, releasedOn: r.released_on,
  }));
}
