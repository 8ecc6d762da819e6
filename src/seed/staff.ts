/**
 * Demo staff accounts for `npm start` on an empty database (issue 2 §4): one account per role
 * along the path 焦作市 (4108) → 山阳区 (410811) → 东方红街道 (410811001) → one of its communities,
 * all with one shared demo password, plus the street's health service center. Never used in tests
 * of rules; only for trying the product.
 */
import type { AppContext } from '../context';
import { audit, SYSTEM_ACTOR } from '../modules/audit/audit';
import { hashPassword } from '../modules/staff/auth';
import type { Role } from '../modules/staff/roles';

/** The demo password, printed by npm start (and documented in the README). */
export const DEMO_PASSWORD = 'yiqu-demo-2020';

export const DEMO_CITY = '4108';
export const DEMO_DISTRICT = '410811'; // 山阳区
export const DEMO_STREET = '410811001'; // 东方红街道
export const DEMO_COMMUNITY = '410811001001'; // 文化巷社区, unless the guard's checkpoint is elsewhere in the street

type Level = 'city' | 'district' | 'street' | 'community';

/** The demo accounts: username, role, display name and the level of its node. */
export const DEMO_ACCOUNTS: { username: string; role: Role; displayName: string; level: Level; org?: boolean }[] = [
  { username: 'demo-admin', role: 'admin', displayName: '系统管理员（演示）', level: 'city' },
  { username: 'demo-city', role: 'city_command', displayName: '市指挥部（演示）', level: 'city' },
  { username: 'demo-district', role: 'district_command', displayName: '山阳区指挥部（演示）', level: 'district' },
  { username: 'demo-street', role: 'street_office', displayName: '东方红街道（演示）', level: 'street' },
  { username: 'demo-community', role: 'community_worker', displayName: '社区网格员（演示）', level: 'community' },
  { username: 'demo-info', role: 'info_officer', displayName: '社区信息员（演示）', level: 'community' },
  { username: 'demo-doctor', role: 'community_doctor', displayName: '社区医生（演示）', level: 'community', org: true },
  { username: 'demo-guard', role: 'guard', displayName: '卡点值守（演示）', level: 'community' },
  { username: 'demo-police', role: 'police', displayName: '社区民警（演示）', level: 'street' },
  { username: 'demo-counsellor', role: 'counsellor', displayName: '心理咨询师（演示）', level: 'street' },
  { username: 'demo-chief-doctor', role: 'chief_doctor', displayName: '主检医生（演示）', level: 'street', org: true },
  { username: 'demo-place', role: 'place_manager', displayName: '场所负责人（演示）', level: 'community' },
];

export interface SeedStaffOptions {
  /** Post demo-guard (and demo-place) at this checkpoint; its community becomes the demo community
   * when it lies in 东方红街道. */
  guardCheckpointId?: string;
  /** Override the shared password (default DEMO_PASSWORD). */
  password?: string;
}

/**
 * Create the demo accounts (existing usernames are left alone) and the street's health center.
 * @returns `lines`: one printable line per account, "role  username  area"; and the shared password.
 */
export async function seedDemoStaff(ctx: AppContext, opts: SeedStaffOptions = {}): Promise<{ lines: string[]; password: string }> {
  const password = opts.password ?? DEMO_PASSWORD;
  let community = DEMO_COMMUNITY;
  let checkpointId: string | null = null;
  if (opts.guardCheckpointId) {
    const cp = await ctx.db.selectFrom('checkpoints as cp').innerJoin('places as p', 'p.id', 'cp.place_id')
      .select('p.community_code').where('cp.id', '=', opts.guardCheckpointId).executeTakeFirst();
    if (cp?.community_code.startsWith(DEMO_STREET)) {
      community = cp.community_code;
      checkpointId = opts.guardCheckpointId;
    } else {
      ctx.log.warn('demo guard checkpoint is not in 东方红街道; the guard is not posted');
    }
  }
  const areaOf: Record<Level, string> = { city: DEMO_CITY, district: DEMO_DISTRICT, street: DEMO_STREET, community };
  const hash = await hashPassword(password);
  const names = new Map((await ctx.db.selectFrom('areas').select(['code', 'name']).where('code', 'in', Object.values(areaOf)).execute())
    .map((a) => [a.code, a.name]));

  await ctx.db.transaction().execute(async (trx) => {
    const centerName = `${names.get(DEMO_STREET) ?? ''}社区卫生服务中心`;
    await trx.insertInto('organisations').values({ kind: 'health_center', name: centerName, area_code: DEMO_STREET })
      .onConflict((oc) => oc.columns(['area_code', 'name']).doNothing()).execute();
    const center = await trx.selectFrom('organisations').select('id').where('area_code', '=', DEMO_STREET).where('name', '=', centerName).executeTakeFirstOrThrow();
    const rows = await trx.insertInto('staff').values(DEMO_ACCOUNTS.map((a) => ({
      username: a.username, display_name: a.displayName, role: a.role, area_code: areaOf[a.level],
      org_id: a.org ? center.id : null,
      checkpoint_id: a.role === 'guard' || a.role === 'place_manager' ? checkpointId : null,
      password_hash: hash, must_change_password: false, created_by: null,
    }))).onConflict((oc) => oc.column('username').doNothing()).returning(['id', 'username', 'role', 'area_code']).execute();
    await audit(trx, SYSTEM_ACTOR, ...rows.map((r) => ({
      action: 'account.create', areaCode: r.area_code, detail: { accountId: r.id, username: r.username, role: r.role, via: 'demo_seed' },
    })));
  });
  const lines = DEMO_ACCOUNTS.map((a) => {
    const code = areaOf[a.level];
    return `${a.role.padEnd(18)}${a.username.padEnd(19)}${code} ${names.get(code) ?? ''}`.trimEnd();
  });
  return { lines, password };
}
