/**
 * Key persons (重点人员, SPEC S3, issue 5 §2–§4): the scoped list, five-for-one teams, manual key
 * persons and closing them. Writes into key_persons go through ./core.ts (openKeyPerson).
 *
 * Contacts under medical observation ARE key persons, read live from the contacts table (never
 * copied): category close_contact / secondary_contact, measure medical_observation, day 1 = the
 * day after the last exposure, end = the contact's end date, open/closed by the situation report's
 * own predicates (FIGURES.underObservation / FIGURES.released of src/modules/reports/figures.ts),
 * over the contact's home community like the report (loadArea). So the list's "traced, released,
 * under observation" equal the report's figures for the same area and day. A contact gets a
 * key_persons row (source_kind 'contact', source_id = the contact) only when something needs one
 * (a team, an observation report): its dates and state still come from the contact.
 *
 * Scope: key_persons.community_code (contacts: contacts.community_code) under the account's area;
 * anything else answers 404. Every list, read and write is audited.
 */
import type { Kysely, Transaction } from 'kysely';
import type { AppContext } from '../../context';
import type { DB, KeyPersonCategory, Measure, TeamRole } from '../../db/schema';
import { badRequest, conflict, notFound } from '../../lib/errors';
import { auditSearchText, maskName } from '../../lib/mask';
import { addDays, chinaDate } from '../../lib/time';
import { audit } from '../audit/audit';
import { isPlausibleDay } from '../cases/rules';
import { likeEscape, listArea } from '../cases/queries';
import { observationDay } from '../contacts/observation';
import { personInScope } from '../persons/service';
import { contactCounts, type ContactFacts } from '../reports/figures';
import { staffActor, type StaffUser } from '../staff/auth';
import type { Role } from '../staff/roles';
import { openKeyPerson } from './core';
import { STATUS_RANK, statusOfMeasure } from '../status/codes';
import { getStatuses, setStatus } from '../status/service';

type Db = Kysely<DB> | Transaction<DB>;

export const unknownKeyPerson = () => notFound('未找到该重点人员', 'Key person not found');
export const TEAM_ROLES: readonly TeamRole[] = ['street_cadre', 'community_worker', 'doctor', 'police', 'counsellor'];
/** Which staff roles may fill each place of a five-for-one team. */
export const TEAM_ROLE_FITS: Record<TeamRole, readonly Role[]> = {
  street_cadre: ['street_office'], community_worker: ['community_worker', 'info_officer'], doctor: ['community_doctor'],
  police: ['police'], counsellor: ['counsellor'],
};
const TEAM_LABEL: Record<TeamRole, string> = { street_cadre: '街道干部', community_worker: '社区工作者', doctor: '社区医生', police: '社区民警', counsellor: '心理咨询师' };

export interface KeyPersonView {
  /** The key person id; for a contact without a key_persons row yet, the contact id (the routes accept both). */
  id: string;
  keyPersonId: string | null;
  contactId: string | null;
  personId: string; maskedName: string; category: KeyPersonCategory; measure: Measure | 'medical_observation';
  communityCode: string; startOn: string; endOn: string | null;
  /** Day N of M on `today` (observationDay); `of` null when open-ended. */
  day: number; of: number | null;
  state: 'open' | 'closed'; closedOn: string | null;
  lastTemperature: number | null; lastReportOn: string | null;
  openTasks: number;
  team: Array<{ role: TeamRole; staffId: string; name: string }>;
}

export interface KeyPersonFilter { areaCode?: string; category?: KeyPersonCategory; state?: 'open' | 'closed'; q?: string }

export const contactCategory = (kind: 'close' | 'secondary'): KeyPersonCategory => (kind === 'close' ? 'close_contact' : 'secondary_contact');

/** Day N of M of a key person (the contacts' rule: day 1 = startOn). */
export function dayOf(startOn: string, endOn: string | null, today: string) {
  if (endOn === null) return { day: observationDay({ startOn, endOn: startOn }, today).day, of: null };
  return observationDay({ startOn, endOn }, today);
}

/** Whether a contact counts as an open (under observation) or closed (released) key person on `today`. */
export function contactState(k: ContactFacts, today: string): 'open' | 'closed' | null {
  if (contactCounts('underObservation', k, today)) return 'open';
  if (contactCounts('released', k, today)) return 'closed';
  return null; // not traced yet on `today`
}

/**
 * The key persons of an area on China date `today` (rules in the header), open ones by default.
 * Audits 'keypersons.list'. @throws AppError 404 area outside the account's subtree.
 */
export async function listKeyPersons(ctx: AppContext, staff: StaffUser, f: KeyPersonFilter, today = chinaDate()): Promise<KeyPersonView[]> {
  const area = listArea(staff, f.areaCode);
  const state = f.state ?? 'open';
  const text = f.q?.trim();
  const pat = text ? `%${likeEscape(text)}%` : null;
  const out: Array<Omit<KeyPersonView, 'lastTemperature' | 'lastReportOn' | 'openTasks' | 'team'>> = [];

  if (!f.category || f.category === 'close_contact' || f.category === 'secondary_contact') {
    let q = ctx.db.selectFrom('contacts as c').innerJoin('persons as p', 'p.id', 'c.person_id')
      .select(['c.id', 'c.person_id', 'p.name', 'c.kind', 'c.community_code', 'c.last_exposure_on', 'c.end_on', 'c.traced_on', 'c.released_on'])
      .where('c.community_code', 'like', `${area}%`);
    if (f.category) q = q.where('c.kind', '=', f.category === 'close_contact' ? 'close' : 'secondary');
    if (pat) q = q.where('p.name', 'like', pat);
    const rows = await q.orderBy('c.end_on').orderBy('c.id').execute();
    const links = rows.length ? await ctx.db.selectFrom('key_persons').select(['id', 'source_id']).where('source_kind', '=', 'contact')
      .where('source_id', 'in', rows.map((r) => r.id)).orderBy('created_at').execute() : [];
    const kpOf = new Map(links.map((l) => [l.source_id!, l.id]));
    for (const r of rows) {
      const s = contactState({ kind: r.kind, tracedOn: r.traced_on, releasedOn: r.released_on }, today);
      if (s !== state) continue;
      const startOn = addDays(r.last_exposure_on, 1);
      const kp = kpOf.get(r.id) ?? null;
      out.push({ id: kp ?? r.id, keyPersonId: kp, contactId: r.id, personId: r.person_id, maskedName: maskName(r.name),
        category: contactCategory(r.kind), measure: 'medical_observation', communityCode: r.community_code, startOn, endOn: r.end_on,
        ...dayOf(startOn, r.end_on, today), state: s, closedOn: s === 'closed' ? r.released_on : null });
    }
  }
  if (f.category !== 'close_contact' && f.category !== 'secondary_contact') {
    let q = ctx.db.selectFrom('key_persons as k').innerJoin('persons as p', 'p.id', 'k.person_id')
      .select(['k.id', 'k.person_id', 'p.name', 'k.category', 'k.measure', 'k.community_code', 'k.start_on', 'k.end_on', 'k.closed_on'])
      .where('k.community_code', 'like', `${area}%`).where('k.source_kind', '<>', 'contact');
    if (f.category) q = q.where('k.category', '=', f.category);
    if (pat) q = q.where('p.name', 'like', pat);
    q = state === 'open' ? q.where((eb) => eb.or([eb('k.closed_on', 'is', null), eb('k.closed_on', '>', today)]))
      : q.where('k.closed_on', '<=', today);
    for (const r of await q.orderBy('k.start_on').orderBy('k.id').execute()) {
      out.push({ id: r.id, keyPersonId: r.id, contactId: null, personId: r.person_id, maskedName: maskName(r.name), category: r.category,
        measure: r.measure, communityCode: r.community_code, startOn: r.start_on, endOn: r.end_on, ...dayOf(r.start_on, r.end_on, today),
        state, closedOn: state === 'closed' ? r.closed_on : null });
    }
  }
  const extras = await keyPersonExtras(ctx.db, out.map((o) => o.keyPersonId).filter((x): x is string => x !== null));
  await audit(ctx.db, staffActor(staff), { action: 'keypersons.list', areaCode: area,
    detail: { state, category: f.category ?? null, q: text ? auditSearchText(text) : null, rows: out.length } });
  return out.map((o) => ({ ...o, ...(o.keyPersonId ? extras.get(o.keyPersonId)! : { lastTemperature: null, lastReportOn: null, openTasks: 0, team: [] }) }));
}

/** Last temperature, open task count and team of each key person id. */
async function keyPersonExtras(db: Db, ids: string[]) {
  const m = new Map<string, Pick<KeyPersonView, 'lastTemperature' | 'lastReportOn' | 'openTasks' | 'team'>>();
  for (const id of ids) m.set(id, { lastTemperature: null, lastReportOn: null, openTasks: 0, team: [] });
  if (ids.length === 0) return m;
  const reports = await db.selectFrom('observation_reports').select(['key_person_id', 'temperature', 'report_on'])
    .where('key_person_id', 'in', ids).where('temperature', 'is not', null)
    .orderBy('report_on', 'desc').orderBy('reported_at', 'desc').execute(); // the latest day, its latest report (a late am after pm)
  for (const r of reports) {
    const e = m.get(r.key_person_id)!;
    if (e.lastReportOn === null) { e.lastTemperature = Number(r.temperature); e.lastReportOn = r.report_on; }
  }
  const tasks = await db.selectFrom('care_tasks').select(['key_person_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('key_person_id', 'in', ids).where('state', 'in', ['open', 'in_progress']).groupBy('key_person_id').execute();
  for (const t of tasks) m.get(t.key_person_id)!.openTasks = Number(t.n);
  const team = await db.selectFrom('care_team_members as m').innerJoin('staff as s', 's.id', 'm.staff_id')
    .select(['m.key_person_id', 'm.team_role', 'm.staff_id', 's.display_name']).where('m.key_person_id', 'in', ids).execute();
  for (const t of team.sort((a, b) => TEAM_ROLES.indexOf(a.team_role) - TEAM_ROLES.indexOf(b.team_role))) {
    m.get(t.key_person_id)!.team.push({ role: t.team_role, staffId: t.staff_id, name: t.display_name });
  }
  return m;
}

export interface ResolvedKeyPerson { id: string; personId: string; communityCode: string; contactId: string | null; closed: boolean }

/**
 * The key person `id` in `scope`: a key_persons row, or a contact (its linked key_persons row, made
 * by openKeyPerson when `materialise` and the contact is under observation). Null when unknown/out of scope.
 */
export async function resolveKeyPerson(db: Db, scope: string, id: string, opts: { materialise: boolean; today: string }): Promise<ResolvedKeyPerson | null> {
  const kp = await db.selectFrom('key_persons').select(['id', 'person_id', 'community_code', 'source_kind', 'source_id', 'closed_on'])
    .where('id', '=', id).where('community_code', 'like', `${scope}%`).executeTakeFirst();
  if (kp) {
    if (kp.source_kind === 'contact' && kp.source_id) {
      const c = await db.selectFrom('contacts').select(['released_on']).where('id', '=', kp.source_id).executeTakeFirst();
      return { id: kp.id, personId: kp.person_id, communityCode: kp.community_code, contactId: kp.source_id, closed: Boolean(c?.released_on) };
    }
    return { id: kp.id, personId: kp.person_id, communityCode: kp.community_code, contactId: null, closed: kp.closed_on !== null && kp.closed_on <= opts.today };
  }
  const c = await db.selectFrom('contacts').select(['id', 'person_id', 'kind', 'community_code', 'last_exposure_on', 'end_on', 'released_on'])
    .where('id', '=', id).where('community_code', 'like', `${scope}%`).executeTakeFirst();
  if (!c) return null;
  const linked = await db.selectFrom('key_persons').select(['id']).where('source_kind', '=', 'contact').where('source_id', '=', c.id)
    .orderBy('created_at', 'desc').executeTakeFirst();
  if (linked) return { id: linked.id, personId: c.person_id, communityCode: c.community_code, contactId: c.id, closed: c.released_on !== null };
  if (c.released_on !== null) return { id: c.id, personId: c.person_id, communityCode: c.community_code, contactId: c.id, closed: true };
  if (!opts.materialise) return { id: c.id, personId: c.person_id, communityCode: c.community_code, contactId: c.id, closed: false };
  const made = await openKeyPerson(db, { personId: c.person_id, communityCode: c.community_code, category: contactCategory(c.kind),
    measure: 'medical_observation', startOn: addDays(c.last_exposure_on, 1), endOn: c.end_on, sourceKind: 'contact', sourceId: c.id });
  return { id: made.id, personId: c.person_id, communityCode: c.community_code, contactId: c.id, closed: false };
}

const keyPersonClosed = () => conflict('key_person_closed', '该重点人员已解除管控', 'This key person is no longer under management');

/** The one view of key person `id` (after a write), from the list rules, or its open/closed record. */
export async function viewOf(db: Db, kpId: string, today: string): Promise<KeyPersonView> {
  const k = await db.selectFrom('key_persons as k').innerJoin('persons as p', 'p.id', 'k.person_id')
    .leftJoin('contacts as c', (j) => j.onRef('c.id', '=', 'k.source_id').on('k.source_kind', '=', 'contact'))
    .select(['k.id', 'k.person_id', 'p.name', 'k.category', 'k.measure', 'k.community_code', 'k.start_on', 'k.end_on', 'k.closed_on',
      'c.id as contact_id', 'c.last_exposure_on', 'c.end_on as contact_end_on', 'c.released_on'])
    .where('k.id', '=', kpId).executeTakeFirstOrThrow();
  const fromContact = k.contact_id !== null;
  const startOn = fromContact ? addDays(k.last_exposure_on!, 1) : k.start_on;
  const endOn = fromContact ? k.contact_end_on : k.end_on;
  const closedOn = fromContact ? k.released_on : k.closed_on;
  const closed = closedOn !== null && closedOn <= today;
  const extras = (await keyPersonExtras(db, [k.id])).get(k.id)!;
  return { id: k.id, keyPersonId: k.id, contactId: k.contact_id, personId: k.person_id, maskedName: maskName(k.name), category: k.category,
    measure: k.measure, communityCode: k.community_code, startOn, endOn, ...dayOf(startOn, endOn, today), state: closed ? 'closed' : 'open',
    closedOn: closed ? closedOn : null, ...extras };
}

/**
 * Assign the five-for-one team (五包一) of key person `id`: one active staff account per place whose
 * role fits (TEAM_ROLE_FITS) and whose area covers the key person's community. Replaces the earlier
 * team. Audits 'keyperson.team'.
 * @throws AppError 404; 400 team_member_unknown / _disabled / _role / _area; 409 key_person_closed.
 */
export async function assignTeam(ctx: AppContext, staff: StaffUser, id: string, team: Record<TeamRole, string>, today = chinaDate()): Promise<KeyPersonView> {
  return ctx.db.transaction().execute(async (trx) => {
    const kp = await resolveKeyPerson(trx, staff.areaCode, id, { materialise: true, today });
    if (!kp) throw unknownKeyPerson();
    if (kp.closed) throw keyPersonClosed();
    const ids = [...new Set(Object.values(team))];
    const rows = await trx.selectFrom('staff').select(['id', 'role', 'area_code', 'disabled_at']).where('id', 'in', ids).execute();
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const role of TEAM_ROLES) {
      const s = byId.get(team[role]);
      const label = TEAM_LABEL[role];
      if (!s) throw badRequest('team_member_unknown', `${label}：未找到该工作人员账号`, `${role}: no such staff account`, { role });
      if (s.disabled_at) throw badRequest('team_member_disabled', `${label}：该账号已停用`, `${role}: the account is disabled`, { role });
      if (!(TEAM_ROLE_FITS[role] as readonly string[]).includes(s.role)) {
        throw badRequest('team_member_role', `${label}：该账号的角色不符`, `${role}: the account's role (${s.role}) does not fit`, { role });
      }
      if (!kp.communityCode.startsWith(s.area_code)) {
        throw badRequest('team_member_area', `${label}：该账号的管辖区域不包括此人所在社区`, `${role}: the account's area does not cover the key person's community`, { role });
      }
    }
    await trx.deleteFrom('care_team_members').where('key_person_id', '=', kp.id).execute();
    await trx.insertInto('care_team_members').values(TEAM_ROLES.map((r) => ({ key_person_id: kp.id, team_role: r, staff_id: team[r] }))).execute();
    await audit(trx, staffActor(staff), { action: 'keyperson.team', personId: kp.personId, areaCode: staff.areaCode,
      detail: { keyPersonId: kp.id, contactId: kp.contactId, team } });
    return viewOf(trx, kp.id, today);
  });
}

/** Categories a key person may be entered with by hand (contacts come from the contacts module). */
export const MANUAL_CATEGORIES = ['returnee', 'fever', 'home_isolation', 'centralized_isolation', 'medical_observation'] as const;

/**
 * A key person entered by hand (source 'manual') in the person's home community (or `communityCode`),
 * which must lie in the account's area. A barring measure already started raises the person status
 * (statusOfMeasure; never relaxes a stricter one). Audits 'keyperson.create'.
 * @throws AppError 404 person / community out of scope; 400 start_on_invalid, start_on_in_future, end_before_start, community_invalid.
 */
export async function createKeyPerson(ctx: AppContext, staff: StaffUser, b: {
  personId: string; category: (typeof MANUAL_CATEGORIES)[number]; measure: Measure | 'medical_observation';
  startOn: string; endOn?: string | null; communityCode?: string | null;
}, today = chinaDate()): Promise<{ keyPerson: KeyPersonView; created: boolean }> {
  if (!isPlausibleDay(b.startOn)) throw badRequest('start_on_invalid', `开始日期不是有效日期：${b.startOn}`, `The start date is not a valid date: "${b.startOn}"`);
  // nothing starts a measure later (its status is set here or never): a planned one is entered on its day
  if (b.startOn > today) throw badRequest('start_on_in_future', `开始日期不能晚于今天（${today}）`, `The start date cannot be after today (${today})`);
  if (b.endOn != null && (!isPlausibleDay(b.endOn) || b.endOn < b.startOn)) {
    throw badRequest('end_before_start', '结束日期须为有效日期且不早于开始日期', 'The end date must be a valid date, not before the start date');
  }
  return ctx.db.transaction().execute(async (trx) => {
    if (!(await personInScope(trx, staff.areaCode, b.personId))) throw notFound('未找到该人员', 'Person not found');
    const person = await trx.selectFrom('persons').select(['home_community_code']).where('id', '=', b.personId).executeTakeFirstOrThrow();
    const community = b.communityCode ?? person.home_community_code;
    if (!community || !/^\d{12}$/.test(community)) {
      throw badRequest('community_invalid', '请指定重点人员所在社区（12位编码）', 'Give the key person\'s community (a 12-digit code)');
    }
    if (!community.startsWith(staff.areaCode)) throw notFound('该社区不在您的管辖范围', 'Community outside your scope');
    const area = await trx.selectFrom('areas').select('code').where('code', '=', community).executeTakeFirst();
    if (!area) throw badRequest('community_invalid', `未找到社区：${community}`, `No such community: ${community}`);
    const r = await openKeyPerson(trx, { personId: b.personId, communityCode: community, category: b.category, measure: b.measure,
      startOn: b.startOn, endOn: b.endOn ?? null, sourceKind: 'manual', sourceId: null });
    const barring = statusOfMeasure(b.measure);
    const current = (await getStatuses(trx, [b.personId])).get(b.personId)!.status;
    if (barring && b.startOn <= today && STATUS_RANK[barring] > STATUS_RANK[current]) {
      await setStatus(trx, b.personId, barring, `重点人员管控：${b.startOn} 起${b.endOn ? `至 ${b.endOn}` : ''}`, { kind: 'staff', id: staff.id, role: staff.role });
    }
    await audit(trx, staffActor(staff), { action: 'keyperson.create', personId: b.personId, areaCode: staff.areaCode,
      detail: { keyPersonId: r.id, created: r.created, category: b.category, measure: b.measure, startOn: b.startOn, endOn: b.endOn ?? null } });
    return { keyPerson: await viewOf(trx, r.id, today), created: r.created };
  });
}

/**
 * On closing key person `kpId`: when the person's status is the one its measure set (statusOfMeasure)
 * and no other open key person of theirs sets that status, the status returns to normal (the same
 * reason). A stricter status (a case) or one another record holds is left alone.
 */
async function relaxStatusOnClose(trx: Transaction<DB>, staff: StaffUser, kpId: string, personId: string, reason: string) {
  const kp = await trx.selectFrom('key_persons').select('measure').where('id', '=', kpId).executeTakeFirstOrThrow();
  const held = statusOfMeasure(kp.measure);
  if (!held) return;
  const current = (await getStatuses(trx, [personId])).get(personId)!.status;
  if (current !== held) return;
  const others = await trx.selectFrom('key_persons').select(['measure']).where('person_id', '=', personId).where('id', '!=', kpId)
    .where('closed_on', 'is', null).execute();
  if (others.some((o) => statusOfMeasure(o.measure) === held)) return;
  await setStatus(trx, personId, 'normal', `解除管控：${reason}`.slice(0, 300), { kind: 'staff', id: staff.id, role: staff.role });
}

/**
 * Close a key person (解除管控) with a reason: closed_on = `today`; the status its measure set returns
 * to normal (relaxStatusOnClose). A contact closes by its release
 * (POST /api/contacts/:id/release), not here. Audits 'keyperson.close'.
 * @throws AppError 404; 400 reason_required; 409 key_person_closed, close_via_release.
 */
export async function closeKeyPerson(ctx: AppContext, staff: StaffUser, id: string, reason: string, today = chinaDate()): Promise<KeyPersonView> {
  const why = reason.trim();
  if (!why) throw badRequest('reason_required', '请填写原因', 'A reason is required');
  return ctx.db.transaction().execute(async (trx) => {
    const kp = await resolveKeyPerson(trx, staff.areaCode, id, { materialise: false, today });
    if (!kp) throw unknownKeyPerson();
    if (kp.contactId) {
      throw conflict('close_via_release', '密切接触者由医生解除医学观察后结束管控', 'A contact is closed by its release from medical observation (doctors)');
    }
    const row = await trx.selectFrom('key_persons').select(['closed_on']).where('id', '=', kp.id).forUpdate().executeTakeFirstOrThrow();
    if (row.closed_on !== null) throw keyPersonClosed();
    await trx.updateTable('key_persons').set({ closed_on: today, close_reason: why }).where('id', '=', kp.id).execute();
    await relaxStatusOnClose(trx, staff, kp.id, kp.personId, why);
    await audit(trx, staffActor(staff), { action: 'keyperson.close', personId: kp.personId, areaCode: staff.areaCode, detail: { keyPersonId: kp.id, on: today, reason: why } });
    return viewOf(trx, kp.id, today);
  });
}
