/**
 * Buildings, households and who lives there (issue 5 §6, SPEC S3), permission 'households.manage'.
 * Scope: a building or household is visible to an account when its community lies in the account's
 * subtree; anything else answers 404 (its existence is not revealed). Every write and every list is
 * audited ('building.create', 'buildings.list', 'household.create', 'household.update',
 * 'households.list', 'household.member_add', 'household.member_remove' naming the person).
 */
import type { Kysely, Transaction } from 'kysely';
import type { AppContext } from '../../context';
import type { DB } from '../../db/schema';
import { badRequest, conflict, notFound } from '../../lib/errors';
import { maskName } from '../../lib/mask';
import { chinaDate } from '../../lib/time';
import { audit } from '../audit/audit';
import { notBeforeBirth, pastDate } from '../cases/rules';
import { personInScope } from '../persons/service';
import { staffActor, type StaffUser } from '../staff/auth';

type Db = Kysely<DB> | Transaction<DB>;
export type Occupancy = 'occupied' | 'empty' | 'rented';

/** Most households one list returns. */
export const HOUSEHOLD_LIST_MAX = 5000;

export const unknownBuilding = () => notFound('未找到该楼栋', 'Building not found');
export const unknownHousehold = () => notFound('未找到该住户', 'Household not found');
/** A household may have lived here since long before the system existed. */
const RESIDENCE_FROM = '1900-01-01';
const SINCE_LABEL = { zh: '入住日期', en: 'The residence start date' };

/**
 * `code` as a community the account may manage: 12 digits, an existing area, inside the account's
 * subtree. @throws 400 community_invalid (not 12 digits), 404 (outside the scope or unknown).
 */
export async function scopedCommunity(db: Db, staff: StaffUser, code: string): Promise<string> {
  if (!/^\d{12}$/.test(code)) throw badRequest('community_invalid', '请指定社区（12位区划代码）', 'Give a community (a 12-digit area code)');
  if (!code.startsWith(staff.areaCode)) throw notFound('该社区不在您的管辖范围', 'Community outside your scope');
  const a = await db.selectFrom('areas').select('code').where('code', '=', code).executeTakeFirst();
  if (!a) throw notFound('未找到该社区', 'Community not found');
  return code;
}

export interface BuildingView { id: string; communityCode: string; name: string; households: number }

/** Create a building of a community. @throws 409 building_exists (same name in the community). */
export async function createBuilding(ctx: AppContext, staff: StaffUser, b: { communityCode: string; name: string }): Promise<BuildingView> {
  const community = await scopedCommunity(ctx.db, staff, b.communityCode);
  const name = b.name.trim();
  if (!name) throw badRequest('building_name_required', '请填写楼栋名称', 'Give the building a name');
  const dup = await ctx.db.selectFrom('buildings').select('id').where('community_code', '=', community).where('name', '=', name).executeTakeFirst();
  if (dup) throw conflict('building_exists', `本社区已有楼栋「${name}」`, `The community already has a building named "${name}"`);
  return ctx.db.transaction().execute(async (trx) => {
    const row = await trx.insertInto('buildings').values({ community_code: community, name }).returning('id').executeTakeFirstOrThrow();
    await audit(trx, staffActor(staff), { action: 'building.create', areaCode: community, detail: { buildingId: row.id, name } });
    return { id: row.id, communityCode: community, name, households: 0 };
  });
}

/** The buildings of a community with their household counts, by name. Audited 'buildings.list'. */
export async function listBuildings(ctx: AppContext, staff: StaffUser, communityCode: string): Promise<BuildingView[]> {
  const community = await scopedCommunity(ctx.db, staff, communityCode);
  const rows = await ctx.db.selectFrom('buildings as b').leftJoin('households as h', 'h.building_id', 'b.id')
    .select(['b.id', 'b.community_code', 'b.name', (eb) => eb.fn.count<string>('h.id').as('n')])
    .where('b.community_code', '=', community).groupBy(['b.id', 'b.community_code', 'b.name']).orderBy('b.name').execute();
  await audit(ctx.db, staffActor(staff), { action: 'buildings.list', areaCode: community, detail: { rows: rows.length } });
  return rows.map((r) => ({ id: r.id, communityCode: r.community_code, name: r.name, households: Number(r.n) }));
}

export interface HouseholdMemberView { personId: string; maskedName: string; since: string | null }
export interface HouseholdView {
  id: string; communityCode: string; buildingId: string | null; buildingName: string | null; unit: string; room: string;
  occupancy: Occupancy; tenantNote: string; residentSince: string | null; members: HouseholdMemberView[];
}

/** Household rows with their building name. */
function householdRows(db: Db) {
  return db.selectFrom('households as h').leftJoin('buildings as b', 'b.id', 'h.building_id')
    .select(['h.id', 'h.community_code', 'h.building_id', 'b.name as building_name', 'h.unit', 'h.room', 'h.occupancy', 'h.tenant_note', 'h.resident_since']);
}
type HouseholdRow = Awaited<ReturnType<ReturnType<typeof householdRows>['execute']>>[number];

/** Members (masked names) of the households `ids`, by household. */
async function membersOf(db: Db, ids: string[]): Promise<Map<string, HouseholdMemberView[]>> {
  const out = new Map<string, HouseholdMemberView[]>();
  if (ids.length === 0) return out;
  const rows = await db.selectFrom('household_members as m').innerJoin('persons as p', 'p.id', 'm.person_id')
    .select(['m.household_id', 'm.person_id', 'm.since', 'p.name']).where('m.household_id', 'in', ids).orderBy('m.since').orderBy('m.person_id').execute();
  for (const r of rows) {
    const list = out.get(r.household_id) ?? [];
    list.push({ personId: r.person_id, maskedName: maskName(r.name), since: r.since });
    out.set(r.household_id, list);
  }
  return out;
}

function householdView(r: HouseholdRow, members: HouseholdMemberView[]): HouseholdView {
  return {
    id: r.id, communityCode: r.community_code, buildingId: r.building_id, buildingName: r.building_name ?? null, unit: r.unit, room: r.room,
    occupancy: r.occupancy, tenantNote: r.tenant_note, residentSince: r.resident_since, members,
  };
}

/** One household in the account's scope. @throws 404. */
export async function scopedHousehold(db: Db, staff: StaffUser, id: string): Promise<HouseholdView> {
  const r = await householdRows(db).where('h.id', '=', id).where('h.community_code', 'like', `${staff.areaCode}%`).executeTakeFirst();
  if (!r) throw unknownHousehold();
  return householdView(r, (await membersOf(db, [id])).get(id) ?? []);
}

export interface HouseholdInput {
  buildingId?: string | null; unit?: string; room: string; occupancy?: Occupancy; tenantNote?: string; residentSince?: string | null;
}

const addressTaken = () => conflict('household_exists', '该楼栋已有此单元门牌的住户', 'That building already has a household at this unit and room');

async function checkAddressFree(db: Db, buildingId: string | null, unit: string, room: string, except?: string) {
  if (!buildingId) return;
  let q = db.selectFrom('households').select('id').where('building_id', '=', buildingId).where('unit', '=', unit).where('room', '=', room);
  if (except) q = q.where('id', '!=', except);
  if (await q.executeTakeFirst()) throw addressTaken();
}

function cleanRoom(room: string): string {
  const r = room.trim();
  if (!r) throw badRequest('room_required', '请填写门牌号', 'Give the room number');
  return r;
}

/**
 * Create a household in a building of the account's scope (its community is the building's), or
 * without a building in `communityCode`. @throws 400 building_or_community_required,
 * resident_since_invalid/_in_future; 404 building; 409 household_exists.
 */
export async function createHousehold(ctx: AppContext, staff: StaffUser, h: HouseholdInput & { communityCode?: string },
  today = chinaDate()): Promise<HouseholdView> {
  let community: string;
  let buildingId: string | null = null;
  if (h.buildingId) {
    const b = await ctx.db.selectFrom('buildings').select(['id', 'community_code']).where('id', '=', h.buildingId)
      .where('community_code', 'like', `${staff.areaCode}%`).executeTakeFirst();
    if (!b) throw unknownBuilding();
    if (h.communityCode && h.communityCode !== b.community_code) {
      throw badRequest('building_community_mismatch', '楼栋不属于该社区', 'The building is not in that community');
    }
    community = b.community_code;
    buildingId = b.id;
  } else if (h.communityCode) {
    community = await scopedCommunity(ctx.db, staff, h.communityCode);
  } else {
    throw badRequest('building_or_community_required', '请指定楼栋或社区', 'Give a building (buildingId) or a community (communityCode)');
  }
  const room = cleanRoom(h.room);
  const unit = (h.unit ?? '').trim();
  const since = h.residentSince ? pastDate(h.residentSince, today, 'resident_since', SINCE_LABEL, RESIDENCE_FROM) : null;
  await checkAddressFree(ctx.db, buildingId, unit, room);
  const id = await ctx.db.transaction().execute(async (trx) => {
    const row = await trx.insertInto('households').values({
      community_code: community, building_id: buildingId, unit, room, occupancy: h.occupancy ?? 'occupied',
      tenant_note: h.tenantNote ?? '', resident_since: since,
    }).returning('id').executeTakeFirstOrThrow();
    await audit(trx, staffActor(staff), { action: 'household.create', areaCode: community,
      detail: { householdId: row.id, buildingId, unit, room, occupancy: h.occupancy ?? 'occupied' } });
    return row.id;
  });
  return scopedHousehold(ctx.db, staff, id);
}

/**
 * Change a household's unit, room, occupancy, tenant note or residence start. @throws 404; 409
 * household_exists; 400 resident_since_invalid/_in_future, nothing_to_change.
 */
export async function updateHousehold(ctx: AppContext, staff: StaffUser, id: string,
  p: Partial<Omit<HouseholdInput, 'buildingId'>>, today = chinaDate()): Promise<HouseholdView> {
  const cur = await scopedHousehold(ctx.db, staff, id);
  const set: { unit?: string; room?: string; occupancy?: Occupancy; tenant_note?: string; resident_since?: string | null } = {};
  if (p.unit !== undefined) set.unit = p.unit.trim();
  if (p.room !== undefined) set.room = cleanRoom(p.room);
  if (p.occupancy !== undefined) set.occupancy = p.occupancy;
  if (p.tenantNote !== undefined) set.tenant_note = p.tenantNote;
  if (p.residentSince !== undefined) set.resident_since = p.residentSince === null ? null : pastDate(p.residentSince, today, 'resident_since', SINCE_LABEL, RESIDENCE_FROM);
  if (Object.keys(set).length === 0) throw badRequest('nothing_to_change', '没有要修改的内容', 'Nothing to change');
  await checkAddressFree(ctx.db, cur.buildingId, set.unit ?? cur.unit, set.room ?? cur.room, id);
  await ctx.db.transaction().execute(async (trx) => {
    await trx.updateTable('households').set(set).where('id', '=', id).execute();
    await audit(trx, staffActor(staff), { action: 'household.update', areaCode: cur.communityCode,
      detail: { householdId: id, changed: Object.keys(set), occupancy: set.occupancy ?? cur.occupancy } });
  });
  return scopedHousehold(ctx.db, staff, id);
}

/**
 * Households of a community (optionally one building) with their members (masked), ordered by
 * building, unit, room. Audited 'households.list'. @throws 404 community or building out of scope.
 */
export async function listHouseholds(ctx: AppContext, staff: StaffUser, f: { communityCode: string; buildingId?: string }): Promise<HouseholdView[]> {
  const community = await scopedCommunity(ctx.db, staff, f.communityCode);
  let q = householdRows(ctx.db).where('h.community_code', '=', community);
  if (f.buildingId) {
    const b = await ctx.db.selectFrom('buildings').select('id').where('id', '=', f.buildingId).where('community_code', '=', community).executeTakeFirst();
    if (!b) throw unknownBuilding();
    q = q.where('h.building_id', '=', f.buildingId);
  }
  const rows = await q.orderBy('b.name').orderBy('h.unit').orderBy('h.room').orderBy('h.id').limit(HOUSEHOLD_LIST_MAX).execute();
  const members = await membersOf(ctx.db, rows.map((r) => r.id));
  await audit(ctx.db, staffActor(staff), { action: 'households.list', areaCode: community,
    detail: { buildingId: f.buildingId ?? null, rows: rows.length } });
  return rows.map((r) => householdView(r, members.get(r.id) ?? []));
}

/**
 * Link a person to a household (or change the date they live there since). The person must be in
 * the account's scope (home community or a check-in there), else 404. Returns the household and
 * whether the link is new. Audited 'household.member_add' naming the person.
 */
export async function addMember(ctx: AppContext, staff: StaffUser, householdId: string, m: { personId: string; since?: string | null },
  today = chinaDate()): Promise<{ household: HouseholdView; created: boolean }> {
  const h = await scopedHousehold(ctx.db, staff, householdId);
  if (!(await personInScope(ctx.db, staff.areaCode, m.personId))) throw notFound('未找到该人员', 'Person not found');
  const since = m.since ? pastDate(m.since, today, 'since', SINCE_LABEL, RESIDENCE_FROM) : null;
  const born = await ctx.db.selectFrom('persons').select('birth_date').where('id', '=', m.personId).executeTakeFirst();
  notBeforeBirth(since, born?.birth_date, 'since', SINCE_LABEL);
  const created = await ctx.db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom('household_members').select('since').where('household_id', '=', householdId)
      .where('person_id', '=', m.personId).executeTakeFirst();
    if (existing) await trx.updateTable('household_members').set({ since }).where('household_id', '=', householdId).where('person_id', '=', m.personId).execute();
    else await trx.insertInto('household_members').values({ household_id: householdId, person_id: m.personId, since }).execute();
    await audit(trx, staffActor(staff), { action: 'household.member_add', personId: m.personId, areaCode: h.communityCode,
      detail: { householdId, since, previousSince: existing ? existing.since : undefined, existing: Boolean(existing) } });
    return !existing;
  });
  return { household: await scopedHousehold(ctx.db, staff, householdId), created };
}

/** Unlink a person from a household. Audited 'household.member_remove'. @throws 404 household or not a member. */
export async function removeMember(ctx: AppContext, staff: StaffUser, householdId: string, personId: string): Promise<HouseholdView> {
  const h = await scopedHousehold(ctx.db, staff, householdId);
  await ctx.db.transaction().execute(async (trx) => {
    const gone = await trx.deleteFrom('household_members').where('household_id', '=', householdId).where('person_id', '=', personId)
      .returning('person_id').executeTakeFirst();
    if (!gone) throw notFound('该人员不是此住户的成员', 'That person is not a member of this household');
    await audit(trx, staffActor(staff), { action: 'household.member_remove', personId, areaCode: h.communityCode, detail: { householdId } });
  });
  return scopedHousehold(ctx.db, staff, householdId);
}
