/**
 * A small demo outbreak in 山阳区 for `npm start` (issue 4), so the situation report, the case
 * graph and the observation list show something on a fresh install. Dates are relative to the
 * China date of seeding (T):
 * - 王建国, imported from 湖北武汉: suspected T−20, confirmed T−19, discharged T−3;
 * - 王丽, his wife (family cluster, second generation): confirmed T−15, in hospital;
 * - 李强, from 信阳: suspected T−6, excluded T−5;
 * - 赵敏, local: confirmed T−4, in hospital; she shopped at a demo supermarket on T−6 at 10:00
 *   for 40 minutes, where two other residents overlapped with her (a trace finds them);
 * - contacts: of 王建国, 王小明 (released T−5 by the demo doctor) and 王芳 (end date passed,
 *   awaiting release); of 赵敏, 周涛 and 吴静 under observation; of 周涛, 郑浩 (secondary).
 * Everything goes through the services (events, status register, audit), as the command office
 * and the doctor would do it; only the supermarket visits are written as raw check-ins and stays.
 */
import type { AppContext } from '../context';
import { timeOrderedId } from '../lib/ids';
import { addDays, chinaDate, chinaDayStart } from '../lib/time';
import { changeCaseStatus, registerCase } from '../modules/cases/service';
import { createContacts } from '../modules/contacts/service';
import { releaseContact } from '../modules/contacts/changes';
import { gb11643CheckChar } from '../modules/persons/identity';
import { registerPerson } from '../modules/persons/service';
import { staffActor, type StaffUser } from '../modules/staff/auth';
import type { Role } from '../modules/staff/roles';
import { firstCheckpointOf } from './places';

const HOSPITAL = '焦作市第五人民医院';

/** A demo resident ID of 山阳区 (valid check character), numbered `n`, born `birth` (YYYYMMDD). */
export function demoId(n: number, birth: string): string {
  const body = `410811${birth}${String(100 + n * 2).padStart(3, '0')}`;
  return body + gb11643CheckChar(body);
}

export async function staffAs(ctx: AppContext, username: string): Promise<StaffUser | null> {
  const s = await ctx.db.selectFrom('staff').select(['id', 'username', 'display_name', 'role', 'area_code', 'org_id'])
    .where('username', '=', username).executeTakeFirst();
  return s ? { id: s.id, username: s.username, displayName: s.display_name, role: s.role as Role, areaCode: s.area_code,
    checkpointId: null, orgId: s.org_id, mustChangePassword: false } : null;
}

/**
 * Seed the outbreak above into `community` (a community of 山阳区) with the demo district command
 * and doctor accounts. @returns a printable summary line, or null when the accounts are missing.
 */
export async function seedDemoOutbreak(ctx: AppContext, community: string, today = chinaDate()): Promise<string | null> {
  const cmd = await staffAs(ctx, 'demo-district');
  const doctor = await staffAs(ctx, 'demo-doctor');
  if (!cmd || !doctor) return null;
  const T = (d: number) => addDays(today, d);
  const names = ['王建国', '王丽', '李强', '赵敏', '王小明', '王芳', '周涛', '吴静', '郑浩'];
  const people: string[] = [];
  for (const [i, name] of names.entries()) {
    const p = await registerPerson(ctx, { name, docType: 'resident_id', docNumber: demoId(i, `19${60 + i * 3}0${1 + (i % 9)}1${i % 9}`),
      birthDate: null, sex: null, phone: null, communityCode: community, address: `${i + 1}号楼1单元${101 + i}` },
    'staff', staffActor(cmd));
    people.push(p.id);
  }
  const [jianguo, li, qiang, min, xiaoming, fang, tao, jing, hao] = people as [string, string, string, string, string, string, string, string, string];
  const base = { hospital: HOSPITAL, hospitalised: true };
  const c1 = await registerCase(ctx, cmd, { ...base, personId: jianguo, status: 'suspected', effectiveOn: T(-20), onsetOn: T(-21), isolatedOn: T(-20),
    classification: 'imported', sourceArea: '湖北武汉', reason: '自武汉返焦，发热伴咳嗽' }, today);
  await changeCaseStatus(ctx, cmd, c1.id, { status: 'confirmed', effectiveOn: T(-19), reason: '核酸检测阳性' }, today);
  await changeCaseStatus(ctx, cmd, c1.id, { status: 'discharged', effectiveOn: T(-3), hospitalised: false, reason: '连续两次核酸阴性，治愈出院' }, today);
  const c2 = await registerCase(ctx, cmd, { ...base, personId: li, status: 'confirmed', effectiveOn: T(-15), onsetOn: T(-16), isolatedOn: T(-15),
    classification: 'local', infectorCaseId: c1.id, cluster: '王某某家庭聚集', reason: '密切接触者转确诊' }, today);
  const c3 = await registerCase(ctx, cmd, { ...base, personId: qiang, status: 'suspected', effectiveOn: T(-6), onsetOn: T(-7), isolatedOn: T(-6),
    classification: 'imported', sourceArea: '信阳', reason: '发热，有信阳旅居史' }, today);
  await changeCaseStatus(ctx, cmd, c3.id, { status: 'excluded', effectiveOn: T(-5), hospitalised: false, reason: '两次核酸阴性，排除' }, today);
  const c4 = await registerCase(ctx, cmd, { ...base, personId: min, status: 'confirmed', effectiveOn: T(-4), onsetOn: T(-5), isolatedOn: T(-4),
    classification: 'local', infectorCaseId: c2.id, reason: '核酸检测阳性' }, today);

  const [released] = (await createContacts(ctx, cmd, [
    { personId: xiaoming, source: { caseId: c1.id }, lastExposureOn: T(-20) },
    { personId: fang, source: { caseId: c1.id }, lastExposureOn: T(-19) },
  ], undefined, T(-19))).created;
  const [taoContact] = (await createContacts(ctx, cmd, [
    { personId: tao, source: { caseId: c4.id }, lastExposureOn: T(-5) },
    { personId: jing, source: { caseId: c4.id }, lastExposureOn: T(-5) },
  ], undefined, T(-4))).created;
  await createContacts(ctx, cmd, [{ personId: hao, source: { contactId: taoContact!.id }, lastExposureOn: T(-4) }], undefined, T(-3));
  await releaseContact(ctx, doctor, released!.id, {}, T(-5)); // 王芳 (the second) stays: end date passed, awaiting release
  await seedSupermarketVisits(ctx, community, T(-6), [min, tao, jing]);
  return `demo outbreak: 4 cases (${c1.number} … ${c4.number}), 5 contacts in ${community}; trace ${c4.number} to find 2 people`;
}

/**
 * Visits at the community's supermarket (or its first place) on `date`: the first person 10:00–
 * 10:40, the others 10:20–11:00 and 10:50–11:10 (inside the 30-minute margin after she left).
 */
async function seedSupermarketVisits(ctx: AppContext, community: string, date: string, personIds: string[]) {
  const cp = await firstCheckpointOf(ctx, community, 'supermarket') ?? await firstCheckpointOf(ctx, community);
  if (!cp) return;
  const day = chinaDayStart(date).getTime();
  const at = (h: number, m: number) => new Date(day + (h * 60 + m) * 60_000);
  const times: Array<[Date, Date]> = [[at(10, 0), at(10, 40)], [at(10, 20), at(11, 0)], [at(10, 50), at(11, 10)]];
  for (const [i, personId] of personIds.entries()) {
    const [inAt, outAt] = times[i]!;
    const row = (id: string, direction: 'in' | 'out', when: Date) => ({ id, person_id: personId, checkpoint_id: cp.checkpointId,
      place_id: cp.placeId, community_code: cp.communityCode, direction, temperature: direction === 'in' ? 36.5 : null, outcome: 'pass' as const,
      refusal: null, source: 'resident' as const, actor_id: null, at: when });
    const entry = timeOrderedId();
    const exit = timeOrderedId();
    await ctx.db.insertInto('checkins').values([row(entry, 'in', inAt), row(exit, 'out', outAt)]).execute();
    await ctx.db.insertInto('stays').values({ id: timeOrderedId(), person_id: personId, place_id: cp.placeId, entered_at: inAt,
      entry_checkin_id: entry, closed_at: outAt, closed_by: 'exit', exit_checkin_id: exit }).execute();
  }
}
