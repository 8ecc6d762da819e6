/**
 * One key person's page (issue 5 §2–§5): the record, every task of its team, its observation
 * reports and the door sensors of its household; and the staff who may fill each place of its
 * five-for-one team. Scoped like the list (404 outside the account's area); the page read is audited.
 */
import type { Kysely, Transaction } from 'kysely';
import type { AppContext } from '../../context';
import type { DB, TeamRole } from '../../db/schema';
import { maskName } from '../../lib/mask';
import { addDays, chinaDate, chinaDateTime } from '../../lib/time';
import { ancestorCodes } from '../areas/service';
import { audit } from '../audit/audit';
import { isFever, type TemperatureRules } from '../checkin/temperature';
import { sensorViews, type SensorView } from '../sensors/service';
import { staffActor, type StaffUser } from '../staff/auth';
import { contactCategory, contactState, dayOf, resolveKeyPerson, TEAM_ROLE_FITS, TEAM_ROLES, unknownKeyPerson, viewOf,
  type KeyPersonView, type ResolvedKeyPerson } from './service';
import { tasksOfKeyPerson, type TaskView } from './tasks';

type Db = Kysely<DB> | Transaction<DB>;

export interface ObservationView {
  id: string; reportOn: string; slot: 'am' | 'pm'; temperature: number | null; symptoms: string[]; fever: boolean;
  source: 'self' | 'doctor'; reportedAtChina: string;
}
export interface KeyPersonDetail { keyPerson: KeyPersonView; tasks: TaskView[]; observations: ObservationView[]; sensors: SensorView[] }
export interface TeamCandidate { staffId: string; name: string; role: string; areaCode: string }

/**
 * The view of a resolved key person: its key_persons row, or a contact that has none yet (dates
 * from the contact, no team, no reports).
 */
export async function resolvedView(db: Db, kp: ResolvedKeyPerson, today: string): Promise<KeyPersonView> {
  if (kp.id !== kp.contactId) return viewOf(db, kp.id, today);
  const c = await db.selectFrom('contacts as c').innerJoin('persons as p', 'p.id', 'c.person_id')
    .select(['c.id', 'c.person_id', 'p.name', 'c.kind', 'c.community_code', 'c.last_exposure_on', 'c.end_on', 'c.traced_on', 'c.released_on'])
    .where('c.id', '=', kp.contactId).executeTakeFirstOrThrow();
  const startOn = addDays(c.last_exposure_on, 1);
  const state = contactState({ kind: c.kind, tracedOn: c.traced_on, releasedOn: c.released_on }, today) === 'closed' ? 'closed' : 'open';
  return { id: c.id, keyPersonId: null, contactId: c.id, personId: c.person_id, maskedName: maskName(c.name), category: contactCategory(c.kind),
    measure: 'medical_observation', communityCode: c.community_code, startOn, endOn: c.end_on, ...dayOf(startOn, c.end_on, today), state,
    closedOn: state === 'closed' ? c.released_on : null, lastTemperature: null, lastReportOn: null, openTasks: 0, team: [] };
}

/** Observation reports of key person `kpId`, newest first; fever by isFever (SPEC S1 threshold). */
export async function observationsOf(db: Db, kpId: string, rules: TemperatureRules): Promise<ObservationView[]> {
  const rows = await db.selectFrom('observation_reports').selectAll().where('key_person_id', '=', kpId)
    .orderBy('report_on', 'desc').orderBy('slot', 'desc').orderBy('reported_at', 'desc').limit(200).execute();
  return rows.map((r) => {
    const t = r.temperature === null ? null : Number(r.temperature);
    return { id: r.id, reportOn: r.report_on, slot: r.slot, temperature: t, symptoms: r.symptoms, fever: t !== null && isFever(t, rules),
      source: r.source, reportedAtChina: chinaDateTime(r.reported_at) };
  });
}

/**
 * Key person `id` (key_persons id or contact id) with its tasks, observations and door sensors.
 * Audits 'keyperson.read'. @throws AppError 404 unknown or outside the account's area.
 */
export async function keyPersonDetail(ctx: AppContext, staff: StaffUser, id: string, today = chinaDate()): Promise<KeyPersonDetail> {
  const kp = await resolveKeyPerson(ctx.db, staff.areaCode, id, { materialise: false, today });
  if (!kp) throw unknownKeyPerson();
  const keyPerson = await resolvedView(ctx.db, kp, today);
  const hasRow = keyPerson.keyPersonId !== null;
  const tasks = hasRow ? await tasksOfKeyPerson(ctx.db, kp.id) : [];
  const observations = hasRow ? await observationsOf(ctx.db, kp.id, ctx.config) : [];
  const household = hasRow ? (await ctx.db.selectFrom('key_persons').select('household_id').where('id', '=', kp.id).executeTakeFirst())?.household_id ?? null : null;
  const sensors = hasRow ? await sensorViews(ctx.db, (q) => q.where((eb) => eb.or([
    eb('s.key_person_id', '=', kp.id), ...(household ? [eb('s.household_id', '=', household)] : []),
  ]))) : [];
  await audit(ctx.db, staffActor(staff), { action: 'keyperson.read', personId: kp.personId, areaCode: kp.communityCode,
    detail: { keyPersonId: keyPerson.keyPersonId, contactId: kp.contactId } });
  return { keyPerson, tasks, observations, sensors };
}

/**
 * Active staff accounts that may fill each place of key person `id`'s team: role fits
 * (TEAM_ROLE_FITS) and area covers its community. @throws AppError 404.
 */
export async function teamCandidates(ctx: AppContext, staff: StaffUser, id: string, today = chinaDate()): Promise<Record<TeamRole, TeamCandidate[]>> {
  const kp = await resolveKeyPerson(ctx.db, staff.areaCode, id, { materialise: false, today });
  if (!kp) throw unknownKeyPerson();
  const covering = [...ancestorCodes(kp.communityCode), kp.communityCode];
  const roles = [...new Set(Object.values(TEAM_ROLE_FITS).flat())];
  const rows = await ctx.db.selectFrom('staff').select(['id', 'display_name', 'role', 'area_code'])
    .where('disabled_at', 'is', null).where('role', 'in', roles).where('area_code', 'in', covering)
    .orderBy('area_code', 'desc').orderBy('display_name').limit(2000).execute();
  const out = Object.fromEntries(TEAM_ROLES.map((r) => [r, [] as TeamCandidate[]])) as Record<TeamRole, TeamCandidate[]>;
  for (const r of rows) {
    for (const place of TEAM_ROLES) {
      if ((TEAM_ROLE_FITS[place] as readonly string[]).includes(r.role)) out[place].push({ staffId: r.id, name: r.display_name, role: r.role, areaCode: r.area_code });
    }
  }
  return out;
}
