/**
 * Reading cases (issue 4 §1): the scoped list, one case with its history, and the transmission
 * chains for the console graph. Permission 'cases.read'; scope as ./service.ts (a case's
 * community_code in the account's subtree, else 404). Every read is audited: a list as
 * 'cases.list' / 'cases.graph', one case as 'case.read' naming the person.
 */
import type { Kysely, Transaction } from 'kysely';
import type { AppContext } from '../../context';
import type { CaseStatus, DB } from '../../db/schema';
import { notFound } from '../../lib/errors';
import { maskName, auditSearchText } from '../../lib/mask';
import { audit } from '../audit/audit';
import { staffActor, type StaffUser } from '../staff/auth';
import { caseInScope } from './service';

type Db = Kysely<DB> | Transaction<DB>;

/** Most rows a list or graph returns. */
export const CASE_LIST_MAX = 2000;

/** The area a list is for: `areaCode` (default the account's own) inside the account's subtree, else 404. */
export function listArea(staff: StaffUser, areaCode?: string): string {
  const area = areaCode ?? staff.areaCode;
  if (!area.startsWith(staff.areaCode)) throw notFound('该区域不在您的管辖范围', 'Area outside your scope');
  return area;
}

/** `s` for a LIKE pattern, its wildcards escaped. */
export const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export interface CaseSummary {
  id: string; number: string; maskedName: string; status: CaseStatus; hospitalised: boolean; classification: 'imported' | 'local';
  sourceArea: string | null; infectorCaseId: string | null; infectorNumber: string | null; cluster: string | null;
  onsetOn: string | null; confirmedOn: string | null; communityCode: string; communityName: string | null;
}

/** First confirmed day (China date) of each case in `ids`. */
async function confirmedOn(db: Db, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('case_events').select(['case_id', (eb) => eb.fn.min('effective_on').as('on')])
    .where('case_id', 'in', ids).where('status', '=', 'confirmed').groupBy('case_id').execute();
  return new Map(rows.map((r) => [r.case_id, String(r.on)]));
}

function caseRows(db: Db) {
  return db.selectFrom('cases as c').innerJoin('persons as p', 'p.id', 'c.person_id')
    .leftJoin('areas as a', 'a.code', 'c.community_code').leftJoin('cases as inf', 'inf.id', 'c.infector_case_id')
    .select(['c.id', 'c.number', 'c.person_id', 'c.community_code', 'c.status', 'c.hospitalised', 'c.hospital', 'c.onset_on',
      'c.isolated_on', 'c.classification', 'c.source_area', 'c.infector_case_id', 'c.cluster', 'c.note', 'c.created_at',
      'p.name', 'a.name as community_name', 'inf.number as infector_number']);
}
type CaseRow = Awaited<ReturnType<ReturnType<typeof caseRows>['execute']>>[number];

function summary(r: CaseRow, confirmed: Map<string, string>): CaseSummary {
  return {
    id: r.id, number: r.number, maskedName: maskName(r.name), status: r.status, hospitalised: r.hospitalised,
    classification: r.classification, sourceArea: r.source_area, infectorCaseId: r.infector_case_id,
    infectorNumber: r.infector_number ?? null, cluster: r.cluster, onsetOn: r.onset_on, confirmedOn: confirmed.get(r.id) ?? null,
    communityCode: r.community_code, communityName: r.community_name ?? null,
  };
}

export interface CaseListFilter { areaCode?: string; status?: CaseStatus; q?: string }

/**
 * Cases of an area (ordered by number), filtered by status and by `q` (part of the case number or
 * of the person's name). Audits 'cases.list' with the filter and the row count.
 * @throws AppError 404 area outside the account's subtree.
 */
export async function listCases(ctx: AppContext, staff: StaffUser, f: CaseListFilter): Promise<CaseSummary[]> {
  const area = listArea(staff, f.areaCode);
  let q = caseRows(ctx.db).where('c.community_code', 'like', `${area}%`);
  if (f.status) q = q.where('c.status', '=', f.status);
  const text = f.q?.trim();
  if (text) {
    const pat = `%${likeEscape(text)}%`;
    q = q.where((eb) => eb.or([eb('c.number', 'like', pat), eb('p.name', 'like', pat)]));
  }
  const rows = await q.orderBy('c.number').limit(CASE_LIST_MAX).execute();
  const confirmed = await confirmedOn(ctx.db, rows.map((r) => r.id));
  await audit(ctx.db, staffActor(staff), { action: 'cases.list', areaCode: area,
    detail: { status: f.status ?? null, q: text ? auditSearchText(text) : null, rows: rows.length } });
  return rows.map((r) => summary(r, confirmed));
}

/**
 * The full facts of one case (not scoped, not audited: for the answer of a write that checked both).
 * @throws Error when the case does not exist.
 */
export async function caseView(db: Db, caseId: string) {
  const r = (await caseRows(db).where('c.id', '=', caseId).execute())[0];
  if (!r) throw new Error(`case ${caseId} not found`);
  return {
    ...summary(r, await confirmedOn(db, [caseId])), personId: r.person_id, hospital: r.hospital, isolatedOn: r.isolated_on, note: r.note,
    createdAt: r.created_at.toISOString(),
  };
}

/**
 * One case: its facts, the person (name, masked document, home community), its history (every
 * case_events row, oldest first), its infector, the cases it infected, and its contacts counted
 * by state (contacts whose chain leads to it: close and secondary). Audits 'case.read'.
 * @throws AppError 404 unknown or out of scope.
 */
export async function caseDetail(ctx: AppContext, staff: StaffUser, caseId: string) {
  await caseInScope(ctx.db, staff.areaCode, caseId);
  const r = (await caseRows(ctx.db).where('c.id', '=', caseId).execute())[0]!;
  const person = await ctx.db.selectFrom('persons as p').leftJoin('areas as a', 'a.code', 'p.home_community_code')
    .select(['p.id', 'p.name', 'p.doc_masked', 'p.home_community_code', 'a.name as community_name'])
    .where('p.id', '=', r.person_id).executeTakeFirstOrThrow();
  const events = await ctx.db.selectFrom('case_events').selectAll().where('case_id', '=', caseId)
    .orderBy('effective_on').orderBy('id').execute();
  const infector = r.infector_case_id
    ? (await caseRows(ctx.db).where('c.id', '=', r.infector_case_id).where('c.community_code', 'like', `${staff.areaCode}%`).execute())[0]
    : undefined;
  const infectedRows = await caseRows(ctx.db).where('c.infector_case_id', '=', caseId)
    .where('c.community_code', 'like', `${staff.areaCode}%`).orderBy('c.number').execute();
  const counts = await ctx.db.selectFrom('contacts').select([
    (eb) => eb.fn.countAll<string>().as('total'),
    (eb) => eb.fn.count<string>('released_on').as('released'),
  ]).where('case_id', '=', caseId).executeTakeFirstOrThrow();
  const total = Number(counts.total);
  const released = Number(counts.released);
  const linked = await confirmedOn(ctx.db, [...(infector ? [infector.id] : []), ...infectedRows.map((x) => x.id)]);
  await audit(ctx.db, staffActor(staff), { action: 'case.read', personId: r.person_id, areaCode: staff.areaCode, detail: { caseId, number: r.number } });
  return {
    case: await caseView(ctx.db, caseId),
    person: {
      id: person.id, name: person.name, maskedName: maskName(person.name), docMasked: person.doc_masked,
      homeCommunityCode: person.home_community_code, homeCommunityName: person.community_name ?? null,
    },
    events: events.map((e) => ({
      status: e.status, hospitalised: e.hospitalised, hospital: e.hospital, effectiveOn: e.effective_on, reason: e.reason,
      actorRole: e.actor_role, recordedAt: e.recorded_at.toISOString(),
    })),
    // an infector outside the account's subtree shows as its number only
    infector: infector ? summary(infector, linked)
      : r.infector_case_id ? { id: r.infector_case_id, number: r.infector_number ?? '' } : null,
    infected: infectedRows.map((x) => summary(x, linked)),
    contactCounts: { total, observing: total - released, released },
  };
}

export interface GraphNode {
  id: string; number: string; status: CaseStatus | null; classification: 'imported' | 'local' | null; sourceArea: string | null;
  cluster: string | null; maskedName: string | null; contacts: number; outside: boolean;
}

/**
 * The transmission chains of an area for the console graph: a node per case in the area, edges
 * infector → case. An infector outside the account's subtree is a node with its number only
 * (`outside`: no name, status or facts). Audits 'cases.graph'.
 * @throws AppError 404 area outside the account's subtree.
 */
export async function caseGraph(ctx: AppContext, staff: StaffUser, areaCode?: string) {
  const area = listArea(staff, areaCode);
  const rows = await caseRows(ctx.db).where('c.community_code', 'like', `${area}%`).orderBy('c.number').limit(CASE_LIST_MAX).execute();
  const ids = rows.map((r) => r.id);
  const counts = ids.length === 0 ? [] : await ctx.db.selectFrom('contacts').select(['case_id', (eb) => eb.fn.countAll<string>().as('n')])
    .where('case_id', 'in', ids).groupBy('case_id').execute();
  const contactsOf = new Map(counts.map((c) => [c.case_id, Number(c.n)]));
  const nodes: GraphNode[] = rows.map((r) => ({
    id: r.id, number: r.number, status: r.status, classification: r.classification, sourceArea: r.source_area, cluster: r.cluster,
    maskedName: maskName(r.name), contacts: contactsOf.get(r.id) ?? 0, outside: false,
  }));
  const known = new Set(ids);
  const missing = [...new Set(rows.map((r) => r.infector_case_id).filter((x): x is string => Boolean(x) && !known.has(x!)))];
  // infectors in the account's subtree but outside the chosen area are shown in full
  const nearby = missing.length === 0 ? [] : await caseRows(ctx.db).where('c.id', 'in', missing)
    .where('c.community_code', 'like', `${staff.areaCode}%`).execute();
  for (const r of nearby) {
    known.add(r.id);
    nodes.push({ id: r.id, number: r.number, status: r.status, classification: r.classification, sourceArea: r.source_area,
      cluster: r.cluster, maskedName: maskName(r.name), contacts: 0, outside: false });
  }
  const edges: Array<{ from: string; to: string }> = [];
  for (const r of rows) {
    if (!r.infector_case_id) continue;
    edges.push({ from: r.infector_case_id, to: r.id });
    if (!known.has(r.infector_case_id)) {
      known.add(r.infector_case_id);
      nodes.push({ id: r.infector_case_id, number: r.infector_number ?? '', status: null, classification: null, sourceArea: null,
        cluster: null, maskedName: null, contacts: 0, outside: true });
    }
  }
  await audit(ctx.db, staffActor(staff), { action: 'cases.graph', areaCode: area, detail: { nodes: nodes.length, edges: edges.length } });
  return { nodes, edges };
}
