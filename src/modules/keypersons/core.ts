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

/**
 * When a measure changes the category of a key person (a new record opens, the old one closes),
 * the new record keeps what hung on the old one: its five-for-one team (when the new record has
 * none yet) and the door sensors still bound to it. Without this, alerts of the household would
 * reach no one. No-op when `fromId` equals `toId`.
 */
export async function carryOver(db: Db, fromId: string, toId: string): Promise<void> {
  if (fromId === toId) return;
  const has = await db.selectFrom('care_team_members').select('staff_id').where('key_person_id', '=', toId).limit(1).executeTakeFirst();
  if (!has) {
    const team = await db.selectFrom('care_team_members').select(['team_role', 'staff_id']).where('key_person_id', '=', fromId).execute();
    if (team.length) await db.insertInto('care_team_members').values(team.map((m) => ({ key_person_id: toId, team_role: m.team_role, staff_id: m.staff_id }))).execute();
  }
  await db.updateTable('door_sensors').set({ key_person_id: toId }).where('key_person_id', '=', fromId).where('unbound_at', 'is', null).execute();
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
  /**
   * An urgent event (fever, a door opened) must reach someone: with no team assigned yet, the task
   * goes to the community's own staff instead (community workers, information officers and doctors
   * of the deepest area covering the community), who are the ones to assign the team.
   */
  urgent?: boolean;
}

/** Roles that stand in for a missing team on an urgent task. */
const UNTENDED_ROLES = ['community_worker', 'info_officer', 'community_doctor'];

/** Active accounts of UNTENDED_ROLES at the deepest area covering `community` (the community itself first). */
async function communityStaff(db: Db, community: string): Promise<string[]> {
  const covering = Array.from({ length: community.length }, (_, i) => community.slice(0, i + 1));
  const rows = await db.selectFrom('staff').select(['id', 'area_code']).where('disabled_at', 'is', null)
    .where('role', 'in', UNTENDED_ROLES).where('area_code', 'in', covering).orderBy('area_code', 'desc').limit(50).execute();
  const deepest = rows[0]?.area_code;
  return rows.filter((r) => r.area_code === deepest).map((r) => r.id);
}

/**
 * One task for every member of the key person's team (care_team_members), at most once per
 * member and `causeKey` (a repeated event raises nothing new). A key person without a team gets
 * none, unless the task is `urgent` (then the community's staff get it: communityStaff).
 * @returns the ids of the tasks created now.
 */
export async function raiseTeamTasks(db: Db, t: TeamTask): Promise<string[]> {
  const kp = await db.selectFrom('key_persons').select(['community_code']).where('id', '=', t.keyPersonId).executeTakeFirst();
  if (!kp) return [];
  const members = (await db.selectFrom('care_team_members').select('staff_id').where('key_person_id', '=', t.keyPersonId).execute()).map((x) => x.staff_id);
  const assignees = members.length === 0 && t.urgent ? await communityStaff(db, kp.community_code) : members;
  const ids: string[] = [];
  for (const m of [...new Set(assignees)]) {
    const row = await db.insertInto('care_tasks').values({
      key_person_id: t.keyPersonId, community_code: kp.community_code, kind: t.kind, assignee_id: m, title: t.title,
      detail: JSON.stringify(t.detail ?? {}), due_at: t.dueAt ?? null, cause_key: t.causeKey,
    }).onConflict((oc) => oc.columns(['cause_key', 'assignee_id']).where('cause_key', 'is not', null).doNothing())
      .returning('id').executeTakeFirst();
    if (row) ids.push(row.id);
  }
  return ids;
}
