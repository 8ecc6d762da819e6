/**
 * A small world for the cross-cutting API tests (test/api): two districts, each with
 * - a staff account of every role (ROLES) scoped inside that district, each with a session cookie;
 * - a residential compound (two gates), a supermarket (one gate), a spare place and checkpoint that
 *   the tests may edit, disable and reissue, and a disabled checkpoint;
 * - registered residents on their own phones (one with dependents), check-ins, a fever alert, a
 *   person in home isolation, a person registered without a phone, and a pending re-binding code;
 * - personal cards (issue 3 §6) of the person without a phone and of the status target;
 * - a checkpoint in screen mode (issue 3 §5) and a card code of the person without a phone, signed
 *   as the cards module signs it, for the guard's scans (`gateCard`);
 * - a spare guard account (the target of account changes) and an account used to change its own
 *   password;
 * - a confirmed and a suspected case, two close contacts and a trace (issue 4; ./outbreak.ts);
 * - issue 5: arrival rules and a report (./arrivals-world.ts), key persons with a five-for-one team
 *   and a task (./keypersons-world.ts; the side's resident is under health monitoring), buildings,
 *   households and screening campaigns (./households-world.ts).
 * - issue 6: households for the resident's phone, a submitted and a returned health declaration and
 *   an eligible person for staff entry (./certificates-world.ts).
 * Side A is 山阳区 (410811): the records. Side B is 解放区 (410802): the outsiders. Every role sits
 * inside its district, including those normally scoped to the city (city_command, industry_authority),
 * so that no B account can see A by its scope.
 *
 * `buildWorld(t)` takes about a second. `identifiers(side)` lists strings (ids, names, tokens, full
 * document and phone numbers) that must never appear in an answer to the other side.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { sha256, STAFF_COOKIE } from '../../../src/modules/staff/auth';
import { ROLES, type Role } from '../../../src/modules/staff/roles';
import { setStatus } from '../../../src/modules/status/service';
import { drainCheckins } from '../../../src/modules/checkin/service';
import { issueToken } from '../../../src/modules/places/tokens';
import { publicJwks, signToken } from '../../../src/modules/tokens/service';
import { maskName } from '../../../src/lib/mask';
import type { TestApp } from '../app';
import { buildCheckpoint, buildPlace } from './places';
import { buildPerson, registerDevice, testPhone, validResidentId, type RegisteredDevice } from './persons';
import { buildStaff, TEST_PASSWORD } from './staff';
import { buildOutbreak, type WorldEpi } from './outbreak';
import { buildArrivalsWorld, type WorldArrivals } from './arrivals-world';
import { buildHouseholdsWorld, type WorldHouseholds } from './households-world';
import { buildKeyPersonsWorld, type WorldKeyPersons } from './keypersons-world';
import { buildSensorsWorld } from './sensors-world';
import { buildCertificatesWorld, type WorldCertificates } from './certificates-world';

export type SideKey = 'A' | 'B';

export interface SideAreas { district: string; street: string; community: string; community2: string }

export const AREAS: Record<SideKey, SideAreas> = {
  A: { district: '410811', street: '410811001', community: '410811001001', community2: '410811001002' }, // 山阳区 东方红街道 文化巷社区 / 广场社区
  B: { district: '410802', street: '410802001', community: '410802001001', community2: '410802001002' }, // 解放区 民生街道 枫华园社区 / 民生街社区
};

/** Which level of its district each role sits at (digits of the area code). */
const ROLE_LEVEL: Record<Role, 6 | 9 | 12> = {
  admin: 6, city_command: 6, district_command: 6, street_office: 9, community_worker: 12, info_officer: 12,
  community_doctor: 12, chief_doctor: 6, police: 9, counsellor: 9, place_manager: 12, guard: 12,
  enterprise: 6, industry_authority: 6,
};

export interface WorldStaff { id: string; username: string; role: Role; areaCode: string; cookie: string }
export interface WorldCheckpoint { id: string; token: string }
export interface WorldPerson { id: string; name: string; docNumber: string; phone: string | null }

export interface Side {
  key: SideKey;
  areas: SideAreas;
  staff: Record<Role, WorldStaff>;
  /** Target of account changes (PATCH, disable, enable, reset-password): a guard. */
  spareAccount: WorldStaff;
  /** Changes its own password in the tests. */
  passwordUser: WorldStaff;
  places: { home: string; market: string; spare: string };
  checkpoints: {
    east: WorldCheckpoint; west: WorldCheckpoint; market: WorldCheckpoint; spare: WorldCheckpoint; disabled: WorldCheckpoint;
    /** In screen mode (issue 3 §5): its poster token answers 410, its rotating code is fetched by the guard. */
    screen: WorldCheckpoint;
  };
  /** A token that was replaced by a reissue (answers 410). */
  revokedToken: string;
  /** The phone of `self`, carrying `dependent` and `dependent2` (the one the tests unbind). */
  resident: RegisteredDevice;
  dependent: WorldPerson;
  dependent2: WorldPerson;
  /** Registered on a phone, checked in at the home compound. */
  walker: RegisteredDevice;
  /** Checked in with 37.8 °C at the east gate: fever pending, with `alertId` open. */
  feverish: RegisteredDevice;
  alertId: string;
  /** Status home_isolation (reason 自武汉返焦，居家隔离14天). */
  isolated: RegisteredDevice;
  /** Registered by staff, no phone: the guard checks them in. */
  noPhone: WorldPerson;
  /** A person whose status the tests change. */
  statusTarget: WorldPerson;
  /** A re-binding code a new phone asked for `walker`'s document (redeemable once). */
  rebindCode: string;
  /** Every person of this side. */
  persons: WorldPerson[];
  /** Personal cards printed by the community worker (issue 3 §6): `print` for `noPhone` (never revoked in the tests), `spare` for `statusTarget` (the one the tests revoke). */
  cards: { print: WorldCard; spare: WorldCard };
  /** A card code (signed token, type 'card') of `noPhone`, never revoked: what the guard scans in POST /api/gate/scans. */
  gateCard: string;
  /** Cases, contacts and a trace (issue 4), see ./outbreak.ts. */
  epi: WorldEpi;
  /** Issue 5 records, see the builders' files. */
  arrivals: WorldArrivals;
  keypersons: WorldKeyPersons;
  households: WorldHouseholds;
  /** Issue 6 health declarations, see ./certificates-world.ts. */
  certificates: WorldCertificates;
}

export interface WorldCard { id: string; personId: string }

export interface World { t: TestApp; A: Side; B: Side }

let seq = 0;
const uniq = () => `${process.pid}${(seq += 1)}`;

/** A new session of `staff` (as the sign-in would create), as a Cookie header value. */
export async function newSession(t: TestApp, staffId: string): Promise<string> {
  const sid = randomBytes(32).toString('base64url');
  await t.ctx.db.insertInto('staff_sessions').values({ id_hash: sha256(sid), staff_id: staffId }).execute();
  return `${STAFF_COOKIE}=${sid}`;
}

async function staffAt(t: TestApp, role: Role, areaCode: string, checkpointId: string | null = null): Promise<WorldStaff> {
  const row = await buildStaff(t.ctx, { role, areaCode, checkpointId, username: `w${uniq()}_${role.slice(0, 8)}` });
  return { id: row.id, username: row.username, role, areaCode, cookie: await newSession(t, row.id) };
}

const areaAt = (a: SideAreas, level: 6 | 9 | 12) => (level === 6 ? a.district : level === 9 ? a.street : a.community);

/** A registration body (POST /api/r/register, /api/r/dependents, /api/persons) with a new valid document of `side`. */
export function personForm(side: SideKey, over: Record<string, unknown> = {}) {
  return {
    name: side === 'A' ? '山阳新' : '解放新', docType: 'resident_id', docNumber: validResidentId({ region: AREAS[side].district }),
    phone: testPhone(), communityCode: AREAS[side].community, address: '5号楼1单元101', ...over,
  };
}

async function checkin(t: TestApp, d: RegisteredDevice, token: string, temperature: string | undefined, direction: 'in' | 'out' = 'in') {
  const res = await t.app.inject({ method: 'POST', url: '/api/r/checkins', headers: { cookie: d.cookie },
    payload: { token, direction, temperature, personIds: [d.personId] } });
  if (res.statusCode !== 200) throw new Error(`world check-in failed ${res.statusCode}: ${res.body}`);
}

async function addDependent(t: TestApp, d: RegisteredDevice, side: SideKey, name: string): Promise<WorldPerson> {
  const body = personForm(side, { name, phone: '' });
  const res = await t.app.inject({ method: 'POST', url: '/api/r/dependents', headers: { cookie: d.cookie }, payload: body });
  if (res.statusCode !== 201) throw new Error(`world dependent failed ${res.statusCode}: ${res.body}`);
  return { id: res.json().person.id, name, docNumber: body.docNumber, phone: null };
}

async function buildSide(t: TestApp, key: SideKey): Promise<Side> {
  const a = AREAS[key];
  const label = key === 'A' ? '山阳' : '解放';
  const ctx = t.ctx;
  const home = await buildPlace(ctx, { communityCode: a.community, kind: 'residential', name: `${label}建业小区${uniq()}` });
  const market = await buildPlace(ctx, { communityCode: a.community2, kind: 'supermarket', name: `${label}丹尼斯超市${uniq()}` });
  const spare = await buildPlace(ctx, { communityCode: a.community, kind: 'other', name: `${label}备用场所${uniq()}` });
  const cp = async (placeId: string, name: string, disabled = false) => {
    const c = await buildCheckpoint(ctx, placeId, { name, disabled });
    return { id: c.checkpoint.id, token: c.token };
  };
  const east = await cp(home.id, '东门');
  const west = await cp(home.id, '西门');
  const marketGate = await cp(market.id, '正门');
  const spareGate = await cp(spare.id, '侧门');
  const disabled = await cp(home.id, '北门（停用）', true);
  const screenGate = await buildCheckpoint(ctx, home.id, { name: '屏幕门', mode: 'screen' });
  const screen = { id: screenGate.checkpoint.id, token: screenGate.token };
  const revoked = await cp(home.id, '南门');
  await issueToken(ctx.db, revoked.id); // the poster's old code now answers 410

  const staff = {} as Record<Role, WorldStaff>;
  for (const role of ROLES) {
    const post = role === 'guard' || role === 'place_manager' ? east.id : null;
    staff[role] = await staffAt(t, role, areaAt(a, ROLE_LEVEL[role]), post);
  }
  const spareAccount = await staffAt(t, 'guard', a.community, spareGate.id);
  const passwordUser = await staffAt(t, 'counsellor', a.street);

  const region = a.district;
  const resident = await registerDevice(t, { name: `${label}甲`, docNumber: validResidentId({ region }), communityCode: a.community });
  const dependent = await addDependent(t, resident, key, `${label}老人`);
  const dependent2 = await addDependent(t, resident, key, `${label}小孩`);
  const walker = await registerDevice(t, { name: `${label}乙`, docNumber: validResidentId({ region }), communityCode: a.community });
  const feverish = await registerDevice(t, { name: `${label}丙`, docNumber: validResidentId({ region }), communityCode: a.community });
  const isolated = await registerDevice(t, { name: `${label}丁`, docNumber: validResidentId({ region }), communityCode: a.community });
  await checkin(t, resident, east.token, '36.5');
  await checkin(t, walker, east.token, '36,6');
  await checkin(t, walker, marketGate.token, '36.4');
  await checkin(t, feverish, east.token, '37.8');
  await setStatus(ctx.db, isolated.personId, 'home_isolation', '自武汉返焦，居家隔离14天', { kind: 'system', id: null, role: 'system' });
  await drainCheckins(ctx);
  const alert = await ctx.db.selectFrom('fever_alerts').select('id').where('person_id', '=', feverish.personId).executeTakeFirstOrThrow();

  const np = await buildPerson(ctx, { name: `${label}戊`, phone: null, homeCommunityCode: a.community, registeredVia: 'guard',
    docNumber: validResidentId({ region }) });
  const st = await buildPerson(ctx, { name: `${label}己`, homeCommunityCode: a.community, docNumber: validResidentId({ region }) });
  const noPhone = { id: np.id, name: np.name, docNumber: np.docNumber, phone: null };
  const statusTarget = { id: st.id, name: st.name, docNumber: st.docNumber, phone: st.phone };

  const code = await t.app.inject({ method: 'POST', url: '/api/r/rebind-code', headers: { 'x-forwarded-for': `10.9.${key === 'A' ? 1 : 2}.1` },
    payload: { docType: 'resident_id', docNumber: walker.docNumber } });
  if (code.statusCode !== 201) throw new Error(`world rebind code failed ${code.statusCode}: ${code.body}`);

  const asPerson = (d: RegisteredDevice): WorldPerson => ({ id: d.personId, name: d.name, docNumber: d.docNumber, phone: d.phone });
  const card = async (personId: string): Promise<WorldCard> => {
    const res = await t.app.inject({ method: 'POST', url: `/api/persons/${personId}/cards`, headers: { cookie: staff.community_worker.cookie } });
    if (res.statusCode !== 201) throw new Error(`world card failed ${res.statusCode}: ${res.body}`);
    return { id: res.json().card.id, personId };
  };
  const cards = { print: await card(noPhone.id), spare: await card(statusTarget.id) };
  const epi = await buildOutbreak(ctx, { district: a.district, community: a.community, label, staffId: staff.district_command.id });
  const arrivals = await buildArrivalsWorld(ctx, { district: a.district, community: a.community, label, staffId: staff.city_command.id });
  const keypersons = await buildKeyPersonsWorld(ctx, { district: a.district, community: a.community, label, residentPersonId: resident.personId,
    team: { street_office: staff.street_office.id, community_worker: staff.community_worker.id, community_doctor: staff.community_doctor.id,
      police: staff.police.id, counsellor: staff.counsellor.id } });
  const households = await buildHouseholdsWorld(ctx, { district: a.district, community: a.community, label, staffId: staff.community_worker.id });
  const certificates = await buildCertificatesWorld(ctx, { district: a.district, community: a.community, label, residentPersonId: resident.personId,
    dependentPersonIds: [dependent.id, dependent2.id], infoOfficerId: staff.info_officer.id, chiefDoctorId: staff.chief_doctor.id });
  return {
    key, areas: a, staff, spareAccount, passwordUser,
    places: { home: home.id, market: market.id, spare: spare.id },
    checkpoints: { east, west, market: marketGate, spare: spareGate, disabled, screen }, revokedToken: revoked.token,
    resident, dependent, dependent2, walker, feverish, alertId: alert.id, isolated, noPhone, statusTarget,
    rebindCode: code.json().code,
    persons: [asPerson(resident), dependent, dependent2, asPerson(walker), asPerson(feverish), asPerson(isolated), noPhone, statusTarget, ...epi.persons,
      ...arrivals.persons, ...keypersons.persons, ...households.persons, ...certificates.persons],
    cards, epi, arrivals, keypersons, households, certificates,
    gateCard: (await signToken(ctx, 'card', noPhone.id, ctx.config.CARD_VALID_DAYS * 86_400, { nm: maskName(noPhone.name) },
      { jti: randomUUID() })).token,
  };
}

/** Build both districts on the app `t` (call once per test file, in beforeAll). */
export async function buildWorld(t: TestApp): Promise<World> {
  const A = await buildSide(t, 'A');
  const B = await buildSide(t, 'B');
  for (const side of [A, B]) await buildSensorsWorld(t, side); // door sensors (issue 5 §5): ./sensors-world.ts
  await publicJwks(t.ctx); // signing keys exist before any test: a first signature would add them mid-test
  return { t, A, B };
}

/**
 * Strings that identify side `s`'s records: ids of persons, places, checkpoints, the alert and staff,
 * names of persons and places, tokens, usernames, full document and phone numbers. An answer to the
 * other side's staff must contain none of them.
 */
export async function identifiers(w: World, s: SideKey): Promise<string[]> {
  const side = w[s];
  const places = await w.t.ctx.db.selectFrom('places').select(['id', 'name']).where('community_code', 'like', `${side.areas.district}%`).execute();
  const out = new Set<string>([
    ...side.persons.flatMap((p) => [p.id, p.name, p.docNumber, ...(p.phone ? [p.phone] : [])]),
    ...places.flatMap((p) => [p.id, p.name]),
    ...Object.values(side.checkpoints).flatMap((c) => [c.id, c.token]), side.revokedToken, side.alertId,
    ...Object.values(side.cards).map((c) => c.id),
    side.epi.caseId, side.epi.spareCaseId, side.epi.contactId, side.epi.spareContactId, side.epi.traceId,
    side.arrivals.ruleId, side.arrivals.spareRuleId, side.arrivals.reportId,
    side.keypersons.keyPersonId, side.keypersons.residentKeyPersonId, side.keypersons.spareKeyPersonId, side.keypersons.taskId,
    side.households.buildingId, side.households.householdId, side.households.campaignId, side.households.spareCampaignId,
    side.certificates.declarationId, side.certificates.returnedId, side.certificates.certificateId, side.certificates.spareCertificateId,
    side.certificates.certificateToken,
    ...[...Object.values(side.staff), side.spareAccount, side.passwordUser].flatMap((x) => [x.id, x.username]),
  ]);
  return [...out];
}

export { TEST_PASSWORD };
