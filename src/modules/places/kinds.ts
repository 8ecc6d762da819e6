/**
 * Place kinds (SPEC S1): residential compound, village, government office, enterprise/institution,
 * mall, supermarket, medical institution, other. Keys are stored; labels are what people type and read.
 */
export const PLACE_KINDS = ['residential', 'village', 'government', 'enterprise', 'mall', 'supermarket', 'medical', 'other'] as const;
export type PlaceKind = (typeof PLACE_KINDS)[number];

/** Display labels (zh is the poster and spreadsheet label). */
export const PLACE_KIND_LABELS: Record<PlaceKind, { zh: string; en: string }> = {
  residential: { zh: '住宅小区', en: 'Residential compound' },
  village: { zh: '村', en: 'Village' },
  government: { zh: '机关单位', en: 'Government office' },
  enterprise: { zh: '企事业单位', en: 'Enterprise / institution' },
  mall: { zh: '商场', en: 'Mall' },
  supermarket: { zh: '超市', en: 'Supermarket' },
  medical: { zh: '医疗机构', en: 'Medical institution' },
  other: { zh: '其他', en: 'Other' },
};

/** Other words people write in spreadsheets for a kind (matched after NFKC, trim, lower case). */
const ALIASES: Record<PlaceKind, string[]> = {
  residential: ['小区', '住宅', '居民小区', '住宅区', '家属院', '院落', '楼院'],
  village: ['村庄', '行政村', '自然村', '村组', '村落'],
  government: ['机关', '政府机关', '党政机关', '政府'],
  enterprise: ['企业', '企事业', '事业单位', '公司', '工厂', '单位'],
  mall: ['商场', '购物中心', '商厦', '市场', '农贸市场'],
  supermarket: ['超市', '便利店', '商店'],
  medical: ['医院', '诊所', '卫生院', '卫生室', '卫生服务站', '卫生服务中心', '药店', '医疗'],
  other: ['其它'],
};

const norm = (s: string) => s.normalize('NFKC').trim().toLowerCase();
const LOOKUP = new Map<string, PlaceKind>();
for (const k of PLACE_KINDS) {
  for (const a of [k, PLACE_KIND_LABELS[k].zh, PLACE_KIND_LABELS[k].en, ...ALIASES[k]]) {
    if (!LOOKUP.has(norm(a))) LOOKUP.set(norm(a), k);
  }
}

export function isPlaceKind(v: unknown): v is PlaceKind {
  return typeof v === 'string' && (PLACE_KINDS as readonly string[]).includes(v);
}

/** Kind from a key ('mall'), a label ('商场', 'Mall') or a common alias ('小区', '诊所'); null if unknown. */
export function parseKind(text: string): PlaceKind | null {
  return LOOKUP.get(norm(text)) ?? null;
}

/** Chinese label of a stored kind (the key itself for an unexpected value). */
export function kindLabel(kind: string): string {
  return isPlaceKind(kind) ? PLACE_KIND_LABELS[kind].zh : kind;
}
