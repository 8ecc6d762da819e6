/**
 * Demo places of 山阳区 (410811), as registered in its first days (SPEC: 956 checkpoints): every one
 * of its 54 communities and villages gets places of mixed kinds (mostly residential compounds with
 * 2–4 gates; villages with their entrances; supermarkets, malls, clinics, offices, enterprises) and
 * exactly 956 checkpoints in total. Names come from a seeded PRNG, so counts and names are stable
 * from run to run; tokens are random (they are credentials, never predictable).
 */
import type { AppContext } from '../context';
import { kindLabel, type PlaceKind } from '../modules/places/kinds';
import { newToken } from '../modules/places/tokens';

export const DEMO_DISTRICT = '410811';
export const DEMO_CHECKPOINTS = 956;
const SEED = 0x410811;

/** mulberry32: a small deterministic PRNG returning floats in [0, 1). */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ROADS = ['建设路', '解放路', '民主路', '人民路', '塔南路', '丰收路', '焦东路', '山阳路', '工业路', '新华街', '和平街', '太行路',
  '迎宾路', '中原路', '长恩路', '世纪路', '东环路', '站前路', '政二街', '文昌路', '龙源路', '南通路', '塔北路', '焦作路'];
const ESTATE_A = ['东方红', '锦江', '金桂', '翠湖', '阳光', '和谐', '幸福', '怡景', '丹河', '龙源', '太行', '山水', '建业', '凤凰', '华盛',
  '康乐', '春天', '金色', '世纪', '御景', '香樟', '紫荆', '名门', '瑞丰', '鑫苑', '馨园', '绿城', '桂花'];
const ESTATE_B = ['小区', '花园', '家园', '新村', '苑', '佳苑', '华府', '名苑', '公寓', '雅居', '嘉园', '花苑', '小区二期'];
const UNITS = ['焦煤集团', '市一中', '电厂', '铁路', '供电局', '矿务局', '市医院', '水泥厂', '纺织厂', '化工厂', '邮电局', '粮食局'];
const MARKETS = ['丹尼斯超市', '大张超市', '惠万家超市', '万德隆超市', '好又多超市', '世纪华联超市', '家家乐便利店', '美佳超市', '百姓超市', '七彩便利店'];
const MALLS = ['万达广场', '摩登街购物中心', '焦作百货大楼', '新玛特购物中心', '山阳商厦', '人民商场', '丹尼斯百货', '东方红农贸市场'];
const CLINICS = ['仁和诊所', '康宁诊所', '济民诊所', '益康诊所', '同仁大药房', '百姓大药房', '张氏口腔诊所'];
const HOSPITALS = ['山阳区人民医院', '焦作市第二人民医院', '焦作市中医院', '山阳区妇幼保健院'];
const OFFICES = ['山阳区人民政府', '山阳区卫生健康委员会', '山阳区教育局', '山阳区市场监督管理局', '山阳区税务局', '山阳区民政局'];
const GOV_LOCAL = ['警务室', '便民服务中心', '邮政所', '供电所', '司法所', '文化站'];
const FIRM_A = ['恒通', '宏达', '鑫源', '华泰', '永顺', '瑞丰', '金诚', '东升', '长盛', '联创', '太行', '万方'];
const FIRM_B = ['机械', '建材', '物流', '食品', '电子', '纺织', '化工', '印刷', '汽配', '物业'];
const SCHOOLS = ['实验小学', '第二小学', '实验中学', '第一中学', '职业技术学校', '幼儿园'];
const OTHERS = ['人民公园', '龙源湖公园', '文化广场', '公交总站', '体育馆', '老年活动中心'];

const GATES: Record<PlaceKind, string[]> = {
  residential: ['东门', '西门', '南门', '北门', '正门', '侧门', '1号门', '2号门', '3号门', '车行入口', '人行入口'],
  village: ['东村口', '西村口', '南村口', '北村口', '主路口', '村委会路口', '1号路口', '2号路口'],
  supermarket: ['正门', '侧门', '员工通道'],
  mall: ['东门', '西门', '南门', '北门', '正门', '地下车库入口'],
  medical: ['门诊入口', '急诊入口', '发热门诊入口', '正门'],
  government: ['正门', '侧门', '东门', '西门'],
  enterprise: ['正门', '东门', '西门', '物流门', '员工通道'],
  other: ['入口', '正门', '东门', '西门'],
};
/** [kind, weight, min gates, max gates] for a community's places after the first. */
const MIX: [PlaceKind, number, number, number][] = [
  ['residential', 58, 2, 4], ['supermarket', 12, 1, 2], ['medical', 8, 1, 2], ['government', 7, 1, 2],
  ['enterprise', 8, 1, 3], ['mall', 3, 2, 4], ['other', 4, 1, 2],
];

export interface DemoPlacesSummary {
  seeded: boolean; // false when 410811 already had places (nothing was added)
  communities: number;
  places: number;
  checkpoints: number;
  byKind: Record<string, { label: string; places: number; checkpoints: number }>;
}

export interface Plan { community: string; name: string; kind: PlaceKind; address: string; gates: string[] }

/** The deterministic plan of places and gates for the given communities (same input → same plan). */
export function planDemoPlaces(communities: { code: string; name: string }[]): Plan[] {
  const rnd = prng(SEED);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  // Checkpoints per community: weights 0.6–1.4, largest remainder so the total is exact.
  const w = communities.map(() => 0.6 + rnd() * 0.8);
  const sum = w.reduce((s, x) => s + x, 0);
  const raw = w.map((x) => (x / sum) * DEMO_CHECKPOINTS);
  const quota = raw.map(Math.floor);
  const order = raw.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0]);
  for (let k = 0; quota.reduce((s, x) => s + x, 0) < DEMO_CHECKPOINTS; k++) quota[order[k]![1]]! += 1;

  const plans: Plan[] = [];
  const landmarks = new Set<string>(); // malls, hospitals, district offices: one of each in the district
  const once = (list: string[], otherwise: () => string) => {
    const free = list.filter((n) => !landmarks.has(n));
    if (free.length === 0) return otherwise();
    const n = pick(free);
    landmarks.add(n);
    return n;
  };
  communities.forEach((c, ci) => {
    const village = Number(c.code.slice(9)) >= 200; // NBS: 001–199 neighbourhood committees, 200+ villages
    const short = c.name.replace(/(社区|村)$/, '');
    const used = new Set<string>();
    const unique = (make: () => string) => {
      for (let i = 0; i < 20; i++) { const n = make(); if (!used.has(n)) { used.add(n); return n; } }
      let n = 2;
      const base = make();
      while (used.has(`${base}${n}`)) n++;
      used.add(`${base}${n}`);
      return `${base}${n}`;
    };
    const name = (kind: PlaceKind): string => {
      switch (kind) {
        case 'residential': {
          const r = rnd();
          if (r < 0.45) return `${pick(ROADS)}${int(1, 180)}号院`;
          if (r < 0.85) return `${pick(ESTATE_A)}${pick(ESTATE_B)}`;
          return `${pick(UNITS)}家属院`;
        }
        case 'village': return `${c.name}${c.name.endsWith('村') ? '' : '村'}`;
        case 'supermarket': return `${pick(MARKETS)}（${short}店）`;
        case 'mall': return once(MALLS, () => `${short}${pick(['购物广场', '商业中心', '商贸城'])}`);
        case 'medical': {
          const local = `${short}${village ? '村卫生室' : '社区卫生服务站'}`;
          return rnd() < 0.5 ? local : rnd() < 0.8 ? pick(CLINICS) : once(HOSPITALS, () => local);
        }
        case 'government': {
          const local = rnd() < 0.5 ? `${short}${village ? '村村委会' : '社区居委会'}` : `${short}${pick(GOV_LOCAL)}`;
          return rnd() < 0.6 ? local : once(OFFICES, () => local);
        }
        case 'enterprise': return rnd() < 0.7 ? `焦作${pick(FIRM_A)}${pick(FIRM_B)}有限公司` : `山阳区${pick(SCHOOLS)}`;
        default: return pick(OTHERS);
      }
    };
    let left = quota[ci]!;
    let first = true;
    while (left > 0) {
      let kind: PlaceKind; let lo: number; let hi: number;
      if (first && village) [kind, lo, hi] = ['village', 3, 6];
      else {
        let t = rnd() * MIX.reduce((s, m) => s + m[1], 0);
        const m = MIX.find((x) => (t -= x[1]) < 0) ?? MIX[0]!;
        [kind, lo, hi] = [m[0], m[2], m[3]];
        if (village && kind === 'mall') [kind, lo, hi] = ['supermarket', 1, 2]; // no malls in villages
        // Too few gates left for this kind (a compound needs 2): finish with a one-gate shop or clinic.
        if (left < lo) [kind, lo, hi] = [rnd() < 0.6 ? 'supermarket' : 'medical', 1, 1];
      }
      first = false;
      const n = Math.min(left, int(lo, hi));
      const gates = GATES[kind].slice(0, n);
      while (gates.length < n) gates.push(`${gates.length + 1}号门`);
      const placeName = unique(() => name(kind));
      const onRoad = /^(.+[路街])(\d+)号院$/.exec(placeName); // 建设路12号院 is at 建设路12号
      const address = onRoad ? `焦作市山阳区${onRoad[1]}${onRoad[2]}号` : `焦作市山阳区${pick(ROADS)}${int(1, 300)}号`;
      plans.push({ community: c.code, name: placeName, kind, address, gates });
      left -= n;
    }
  });
  return plans;
}

/**
 * Seed the demo places of 山阳区 (bulk inserts in one transaction; well under a second on PGlite).
 * Does nothing when 410811 already has places. @returns counts of what 410811 now holds.
 * @throws Error when the area tree lacks 410811's communities (load the 4108 divisions first).
 */
export async function seedDemoPlaces(ctx: AppContext): Promise<DemoPlacesSummary> {
  const existing = await ctx.db.selectFrom('places').select('id').where('community_code', 'like', `${DEMO_DISTRICT}%`).limit(1).executeTakeFirst();
  if (!existing) {
    const communities = await ctx.db.selectFrom('areas').select(['code', 'name'])
      .where('code', 'like', `${DEMO_DISTRICT}%`).where('level', '=', 5).orderBy('code').execute();
    if (communities.length === 0) throw new Error(`no communities of ${DEMO_DISTRICT} in the area tree`);
    const plans = planDemoPlaces(communities);
    await ctx.db.transaction().execute(async (trx) => {
      for (let i = 0; i < plans.length; i += 500) {
        const chunk = plans.slice(i, i + 500);
        const rows = await trx.insertInto('places')
          .values(chunk.map((p) => ({ community_code: p.community, name: p.name, kind: p.kind, address: p.address, created_by: null })))
          .returning(['id', 'community_code', 'name']).execute();
        const ids = new Map(rows.map((r) => [`${r.community_code}/${r.name}`, r.id]));
        const gates = chunk.flatMap((p) => p.gates.map((g) => ({ place_id: ids.get(`${p.community}/${p.name}`)!, name: g })));
        for (let j = 0; j < gates.length; j += 1000) {
          const cps = await trx.insertInto('checkpoints').values(gates.slice(j, j + 1000)).returning('id').execute();
          await trx.insertInto('checkpoint_tokens').values(cps.map((c) => ({ token: newToken(), checkpoint_id: c.id }))).execute();
        }
      }
    });
    ctx.log.info({ district: DEMO_DISTRICT, places: plans.length }, 'demo places seeded');
  }
  const rows = await ctx.db.selectFrom('places as p').leftJoin('checkpoints as c', 'c.place_id', 'p.id')
    .select(['p.kind', 'p.community_code', 'p.id', 'c.id as cid'])
    .where('p.community_code', 'like', `${DEMO_DISTRICT}%`).execute();
  const byKind: DemoPlacesSummary['byKind'] = {};
  const places = new Set<string>();
  for (const r of rows) {
    const k = (byKind[r.kind] ??= { label: kindLabel(r.kind), places: 0, checkpoints: 0 });
    if (!places.has(r.id)) { places.add(r.id); k.places += 1; }
    if (r.cid) k.checkpoints += 1;
  }
  return {
    seeded: !existing, communities: new Set(rows.map((r) => r.community_code)).size, places: places.size,
    checkpoints: rows.filter((r) => r.cid).length, byKind,
  };
}

/** A checkpoint for demo staff (a guard's post) and demos: its ids, names and active token. */
export interface DemoCheckpoint {
  checkpointId: string; checkpointName: string; placeId: string; placeName: string; kind: string; communityCode: string; token: string;
}

/**
 * The first active checkpoint (by place name, then gate) of a community, optionally of one kind,
 * e.g. `firstCheckpointOf(ctx, '410811001001', 'supermarket')`; null when there is none.
 */
export async function firstCheckpointOf(ctx: AppContext, communityCode: string, kind?: PlaceKind): Promise<DemoCheckpoint | null> {
  let q = ctx.db.selectFrom('checkpoints as c').innerJoin('places as p', 'p.id', 'c.place_id')
    .innerJoin('checkpoint_tokens as t', (j) => j.onRef('t.checkpoint_id', '=', 'c.id').on('t.revoked_at', 'is', null))
    .select(['c.id as checkpointId', 'c.name as checkpointName', 'p.id as placeId', 'p.name as placeName', 'p.kind',
      'p.community_code as communityCode', 't.token'])
    .where('p.community_code', '=', communityCode).where('c.disabled_at', 'is', null).where('p.disabled_at', 'is', null);
  if (kind) q = q.where('p.kind', '=', kind);
  return (await q.orderBy('p.name').orderBy('c.created_at').orderBy('c.name').limit(1).executeTakeFirst()) ?? null;
}
