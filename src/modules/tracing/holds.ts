/**
 * Retention holds made by traces (issue 4 §3): the check-ins and stays a trace used are kept from
 * the retention purge (src/modules/checkin/retention.ts) while the case is open. A hold names a
 * place and a time range (any person there then), or a person and a time range.
 */
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema';

type Db = Kysely<DB> | Transaction<DB>;

/**
 * Release every active hold of case `caseId` (the case was discharged, excluded or died: SPEC S4).
 * @returns how many holds were released.
 */
export async function releaseCaseHolds(db: Db, caseId: string, at: Date = new Date()): Promise<number> {
  const r = await db.updateTable('retention_holds').set({ released_at: at })
    .where('case_id', '=', caseId).where('released_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows);
}
