/**
 * The two writes other modules make into the key-person register (issue 5): open a key person
 * (community reporting, fever alerts, door sensors' households) and raise a task for each member
 * of a key person's five-for-one team (a fever report, a missed report, a door opened, a silent
 * sensor, a low battery). Kept here, in one place, so every source opens and alerts the same way.
 */
import type { Kysely, Transaction } from 'kysely';
import type { CareTaskKind, DB, KeyPersonCategory, Measure } from '../../db/schema';

type Db = Kysely<DB> | Transaction<DB>;

export interface OpenKeyPerson {
  personId: string;
  communityCode: string;
  category: KeyPersonCategory;
  measure: Measure | 'medical_observation';
  /** China dates 'YYYY-MM-DD'; endOn null when open-ended. */
  startOn: string;
  endOn: string | null;
  sourceKind: 'arrival' | 'contact' | 'fever_alert' | 'manual';
  sourceId: string | null;
  householdId?: string | null;
}

/**
 * Open a key person, or update the open record of the same person and category (new measure,
 * dates and source: a later report or rule change replaces the earlier one).
 * @returns the key person id and whether it was created.
 */
export async function openKeyPerson(db: Db, k: OpenKeyPerson): Promise<{ id: string; created: boolean }> {
  const existing = await db.selectFrom('key_persons').select('id').where('person_id', '=', k.personId)
    .where('category', '=', k.category).where('closed_on', 'is', null).forUpdate().executeTakeFirst();
  const values = {
    community_code: k.communityCode, measure: k.measure, start_on: k.startOn, end_on: k.endOn,
    source_kind: k.sourceKind, source_id: k.sourceId, household_id: k.householdId ?? null,
  };
  if (existing) {
    await db.updateTable('key_persons').set(values).where('id', '=', existing.id).execute();
    return { id: existing.id, created: false };
  }
  const row = await db.insertInto('key_persons').values({ person_id: k.personId, category: k.category, ...values })
    .onConflict((oc) => oc.columns(['person_id', 'category']).where('closed_on', 'is', null).doUpdateSet(values))
    .returning('id').executeTakeFirstOrThrow();
  return { id: row.id, created: true };
}

export interface TeamTask {
  keyPersonId: string;
  kind: CareTaskKind;
  /** Short zh title shown in each member's list, e.g. '居家隔离户门磁在约定时段外开启'. */
  title: string;
  detail?: Record<string, unknown>;
  /** The event that raised it (e.g. `door:<eventId>`, `obs:<reportId>`): one task per member and cause. */
  causeKey: string;
  dueAt?: Date | null;
}

/**
 * One task for every member of the key person's team (care_team_members), at most once per
 * member and `causeKey` (a repeated event raises nothing new). A key person without a team gets
 * none: the caller decides whether that is an error.
 * @returns the ids of the tasks created now.
 */
export async function raiseTeamTasks(db: Db, t: TeamTask): Promise<string[]> {
  const kp = await db.selectFrom('key_persons').select(['community_code']).where('id', '=', t.keyPersonId).executeTakeFirst();
  if (!kp) return [];
  const members = await db.selectFrom('care_team_members').select('staff_id').where('key_person_id', '=', t.keyPersonId).execute();
  const ids: string[] = [];
  for (const m of [...new Set(members.map((x) => x.staff_id))]) {
    const row = await db.insertInto('care_tasks').values({
      key_person_id: t.keyPersonId, community_code: kp.community_code, kind: t.kind, assignee_id: m, title: t.title,
      detail: JSON.stringify(t.detail ?? {}), due_at: t.dueAt ?? null, cause_key: t.causeKey,
    }).onConflict((oc) => oc.columns(['cause_key', 'assignee_id']).where('cause_key', 'is not', null).doNothing())
      .returning('id').executeTakeFirst();
    if (row) ids.push(row.id);
  }
  return ids;
}
