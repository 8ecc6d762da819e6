/** What every test database starts with: the schema and the real divisions of 焦作市 (4108). */
import type { Kysely } from 'kysely';
import type { DB } from '../../src/db/schema';
import { migrate } from '../../src/db/migrate';
import { importDivisions, loadDivisions } from '../../src/modules/areas/divisions';

export async function prepareTemplate(db: Kysely<DB>) {
  await migrate(db);
  await importDivisions(db, loadDivisions('4108'));
}
