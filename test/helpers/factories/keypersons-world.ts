/**
 * The world's key persons (issue 5 §2–§4), written directly (no route, no audit), so route-table
 * entries (test/api/routes/keypersons.ts) have of each side:
 * - `keyPersonId`: a person in home isolation (`persons[0]`) with a full five-for-one team of the
 *   side's staff (street_office, community_worker, community_doctor, police, counsellor);
 * - `residentKeyPersonId`: the side's resident (`side.resident`, the 'resident' actor's phone) under
 *   health monitoring with the same team, so POST /api/r/observations has someone to report for;
 * - `spareKeyPersonId`: a returnee (`persons[1]`) the tests close;
 * - `taskId`: an open visit task of the community_worker on `keyPersonId` (the state route moves it).
 */
import type { AppContext } from '../../../src/context';
import { addDays, chinaDate } from '../../../src/lib/time';
import { buildPerson, validResidentId } from './persons';

export interface WorldKeyPersons {
  keyPersonId: string; residentKeyPersonId: string; spareKeyPersonId: string; taskId: string;
  persons: Array<{ id: string; name: string; docNumber: string; phone: string | null }>;
}

/** The five staff ids of a team, from the side's staff accounts. */
export interface WorldTeamStaff { street_office: string; community_worker: string; community_doctor: string; police: string; counsellor: string }

/** Insert the records above for the side whose district is `district` and community `community`. */
export async function buildKeyPersonsWorld(ctx: AppContext, o: {
  district: string; community: string; label: string; residentPersonId: string; team: WorldTeamStaff;
}): Promise<WorldKeyPersons> {
  const today = chinaDate();
  const person = async (suffix: string) => {
    const p = await buildPerson(ctx, { name: `${o.label}${suffix}`, homeCommunityCode: o.community, docNumber: validResidentId({ region: o.district }) });
    return { id: p.id, name: p.name, docNumber: p.docNumber, phone: p.phone };
  };
  const [isolated, returnee] = [await person('居家隔离'), await person('返乡')];
  const kp = async (personId: string, category: 'home_isolation' | 'health_monitoring' | 'returnee') => (await ctx.db.insertInto('key_persons').values({
    person_id: personId, community_code: o.community, category: category === 'health_monitoring' ? 'returnee' : category,
    measure: category === 'returnee' ? 'health_monitoring' : category, start_on: addDays(today, -1), end_on: addDays(today, 12),
    source_kind: 'manual', source_id: null,
  }).returning('id').executeTakeFirstOrThrow()).id;
  const keyPersonId = await kp(isolated.id, 'home_isolation');
  const residentKeyPersonId = await kp(o.residentPersonId, 'health_monitoring');
  const spareKeyPersonId = await kp(returnee.id, 'returnee');
  const t = o.team;
  for (const id of [keyPersonId, residentKeyPersonId]) {
    await ctx.db.insertInto('care_team_members').values([
      { key_person_id: id, team_role: 'street_cadre', staff_id: t.street_office }, { key_person_id: id, team_role: 'community_worker', staff_id: t.community_worker },
      { key_person_id: id, team_role: 'doctor', staff_id: t.community_doctor }, { key_person_id: id, team_role: 'police', staff_id: t.police },
      { key_person_id: id, team_role: 'counsellor', staff_id: t.counsellor },
    ]).execute();
  }
  const task = await ctx.db.insertInto('care_tasks').values({
    key_person_id: keyPersonId, community_code: o.community, kind: 'visit', assignee_id: t.community_worker, title: '上门查看居家隔离情况',
    detail: JSON.stringify({ note: '' }),
  }).returning('id').executeTakeFirstOrThrow();
  return { keyPersonId, residentKeyPersonId, spareKeyPersonId, taskId: task.id, persons: [isolated, returnee] };
}
