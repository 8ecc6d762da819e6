/**
 * What a report's measure does to its person (issue 5 §1, SPEC S3): the key person and the person
 * status follow the measure decided by the rule table, for one new report or for every report a
 * rule change re-decides, in a few statements for the whole set (a change over thousands of
 * arrivals must not hold the embedded database for long: check-ins wait behind it).
 */
import { sql, type Transaction } from 'kysely';
import type { DB, Measure } from '../../db/schema';
import { addDays } from '../../lib/time';
import { carryOver, openKeyPersons } from '../keypersons/core';
import { STATUS_RANK, type PersonStatus } from '../status/codes';
import { getStatuses, setStatuses, type StatusActor } from '../status/service';
import { categoryForMeasure, MEASURE_LABELS, statusForMeasure, type ArrivalDecision, type ArrivalMeasure } from './rules';

export interface MeasureChange {
  reportId: string; personId: string; communityCode: string; householdId: string | null; arrivalOn: string;
  /** The measure the report had (null for a new report). */
  from: ArrivalMeasure | null;
  to: ArrivalDecision;
}

/**
 * Bring each report's key person and its person's status in line with its measure `to` (was `from`):
 * - a measure whose until date is before `today` is over and sets nothing (no key person, no status);
 * - otherwise the key person of the measure's category opens (openKeyPersons; day 1 = the day after
 *   arrival, ./rules.ts), and it keeps the team and door sensors of the report's record it replaces
 *   (carryOver); the report's other open records close with `reason`;
 * - an isolation measure raises the status (never relaxing a stricter one: a case stays a case);
 *   when the status in force is the one the old measure set, it moves to the new measure's (or normal).
 * Changes are applied in order; a person's status is written once, as it ends.
 */
export async function followMeasures(trx: Transaction<DB>, changes: readonly MeasureChange[], reason: string, actor: StatusActor, today: string) {
  if (changes.length === 0) return;
  const reportIds = changes.map((c) => c.reportId);
  const category = (c: MeasureChange) => (c.to.until !== null && c.to.until < today ? null : categoryForMeasure(c.to.measure));
  const previous = await trx.selectFrom('key_persons').select(['id', 'source_id']).where('source_kind', '=', 'arrival')
    .where('source_id', 'in', reportIds).where('closed_on', 'is', null).execute();

  const opening = changes.filter((c) => category(c) !== null);
  const opened = await openKeyPersons(trx, opening.map((c) => ({
    personId: c.personId, communityCode: c.communityCode, category: category(c)!, measure: c.to.measure as Measure,
    startOn: addDays(c.arrivalOn, 1), endOn: c.to.until, sourceKind: 'arrival' as const, sourceId: c.reportId, householdId: c.householdId,
  })));
  const openedIds = new Set(opened.map((o) => o.id));
  const openedOf = new Map(opening.map((c, i) => [c.reportId, opened[i]!.id]));
  const closing = previous.filter((p) => !openedIds.has(p.id));
  await carryOver(trx, closing.filter((p) => openedOf.has(p.source_id!)).map((p) => [p.id, openedOf.get(p.source_id!)!] as const));
  if (closing.length) {
    await sql`UPDATE key_persons SET closed_on = ${today}::date, close_reason = ${reason.slice(0, 300)}
      WHERE id = ANY(${closing.map((p) => p.id)}::uuid[])`.execute(trx);
  }

  const statuses = new Map([...(await getStatuses(trx, changes.map((c) => c.personId)))].map(([id, st]) => [id, st.status as PersonStatus]));
  const writes = new Map<string, { status: PersonStatus; reason: string }>();
  for (const c of changes) {
    const next = category(c) === null ? null : statusForMeasure(c.to.measure);
    const prev = c.from ? statusForMeasure(c.from) : null;
    const current = statuses.get(c.personId) ?? 'normal';
    let to: PersonStatus | null = null;
    if (next && STATUS_RANK[next] > STATUS_RANK[current]) to = next;
    else if (prev && current === prev && next !== prev) to = next ?? 'normal';
    if (!to) continue;
    statuses.set(c.personId, to);
    writes.set(c.personId, { status: to, reason: next ? `${reason.slice(0, 200)}：${MEASURE_LABELS[c.to.measure]}至 ${c.to.until}` : reason.slice(0, 300) });
  }
  await setStatuses(trx, [...writes].map(([personId, w]) => ({ personId, ...w })), actor);
}
