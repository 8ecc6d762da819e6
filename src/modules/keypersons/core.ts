/**
 * The two writes other modules make into the key-person register (issue 5): open a key person
 * (community reporting, fever alerts, door sensors' households) and raise a task for each member
 * of a key person's five-for-one team (a fever report, a missed report, a door opened, a silent
 * sensor, a low battery). Kept here, in one place, so every source opens and alerts the same way.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { CareTaskKind, DB, KeyPersonCategory, Measure } from '../../db/schema';
import { ancestorCodes } from '../areas/service';

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
 * Open key persons, or update the open record of the same person and category (new measure, dates
 * and source: a later report or rule change replaces the earlier one); one statement a 5,000. When
 * a person and category appear twice in `ks`, the last one counts (as if opened one after another).
 * @returns for each of `ks`, in order, the key person id and whether it was created.
 */
export async function openKeyPersons(db: Db, ks: readonly OpenKeyPerson[]): Promise<Array<{ id: string; created: boolean }>> {
  const last = new Map<string, OpenKeyPerson>();
  for (const k of ks) last.set(`${k.personId}|${k.category}`, k);
  const got = new Map<string, { id: string; created: boolean }>();
  const rows = [...last.values()];
  for (let i = 0; i < rows.length; i += 5000) {
    const part = rows.slice(i, i + 5000);
    const out = await db.insertInto('key_persons').values(part.map((k) => ({
      person_id: k.personId, category: k.category, community_code: k.communityCode, measure: k.measure, start_on: k.startOn, end_on: k.endOn,
      source_kind: k.sourceKind, source_id: k.sourceId, household_id: k.householdId ?? null,
    }))).onConflict((oc) => oc.columns(['person_id', 'category']).where('closed_on', 'is', null).doUpdateSet((eb) => ({
      community_code: eb.ref('excluded.community_code'), measure: eb.ref('excluded.measure'), start_on: eb.ref('excluded.start_on'),
      end_on: eb.ref('excluded.end_on'), source_kind: eb.ref('excluded.source_kind'), source_id: eb.ref('excluded.source_id'),
      household_id: eb.ref('excluded.household_id'),
    }))).returning(['id', 'person_id', 'category', sql<boolean>`(xmax = 0)`.as('created')]).execute();
    for (const r of out) got.set(`${r.person_id}|${r.category}`, { id: r.id, created: r.created });
  }
  return ks.map((k) => got.get(`${k.personId}|${k.category}`)!);
}

/** openKeyPersons for one. */
export async function openKeyPerson(db: Db, k: OpenKeyPerson): Promise<{ id: string; created: boolean }> {
  return (await openKeyPersons(db, [k]))[0]!;
}

/**
 * When a measure changes the category of a key person (a new record opens, the old one closes),
 * the new record keeps what hung on the old one: its five-for-one team (when the new record has
 * none yet) and the door sensors still bound to it. Without this, alerts of the household would
 * reach no one. `pairs` are [from, to] key person ids; a pair with from = to is skipped.
 */
export async function carryOver(db: Db, pairs: ReadonlyArray<readonly [string, string]>): Promise<void> {
  const moves = pairs.filter(([a, b]) => a !== b);
  if (moves.length === 0) return;
  const from = moves.map((m) => m[0]);
  const to = moves.map((m) => m[1]);
  await sql`INSERT INTO care_team_members (key_person_id, team_role, staff_id)
    SELECT v.t, m.team_role, m.staff_id FROM unnest(${from}::uuid[], ${to}::uuid[]) AS v(f, t)
    JOIN care_team_members m ON m.key_person_id = v.f
    WHERE NOT EXISTS (SELECT 1 FROM care_team_members x WHERE x.key_person_id = v.t)
    ON CONFLICT DO NOTHING`.execute(db);
  await sql`UPDATE door_sensors s SET key_person_id = v.t FROM unnest(${from}::uuid[], ${to}::uuid[]) AS v(f, t)
    WHERE s.key_person_id = v.f AND s.unbound_at IS NULL`.execute(db);
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
  const covering = [...ancestorCodes(community), community];
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
