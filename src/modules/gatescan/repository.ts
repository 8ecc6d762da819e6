/**
 * Queries of the gatescan module: gate-scan records (one per idempotency key), two-way checks and
 * the status list a gate syncs. Tables from migration 0008_gate_scans.sql.
 */
import { sql, type Insertable, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { DB, GateScansTable } from '../../db/schema';

type Db = Kysely<DB> | Transaction<DB>;

export type GateScanRow = Selectable<GateScansTable>;
export type NewGateScan = Insertable<GateScansTable>;

/** Stored scans by idempotency key (the keys found). */
export async function scansByKey(db: Db, keys: string[]): Promise<Map<string, GateScanRow>> {
  if (!keys.length) return new Map();
  const rows = await db.selectFrom('gate_scans').selectAll().where('idempotency_key', 'in', keys).execute();
  return new Map(rows.map((r) => [r.idempotency_key, r]));
}

/** Store one scan's record (in the check-in's transaction when there is one). */
export async function insertScan(db: Db, row: NewGateScan): Promise<void> {
  await db.insertInto('gate_scans').values(row).execute();
}

/** Every person whose status is not 'normal' (ids and codes only), for a gate's offline sync. */
export async function nonNormalStatuses(db: Db): Promise<{ personId: string; status: string }[]> {
  const rows = await db.selectFrom('person_status').select(['person_id', 'status']).where('status', '<>', 'normal')
    .orderBy('person_id').execute();
  return rows.map((r) => ({ personId: r.person_id, status: r.status }));
}

/** A guard check-in, as the two-way linking needs it. */
export interface GuardCheckin {
  id: string; personId: string; placeId: string; checkpointId: string; communityCode: string;
  direction: 'in' | 'out'; at: Date; temperature: number | null;
}

/**
 * The person's own check-in at the same place, same direction, within `windowS` of the guard's
 * (before or after) and not yet in a two-way check; the nearest in time.
 */
export async function residentMatch(db: Db, g: GuardCheckin, windowS: number) {
  return db.selectFrom('checkins as r').select(['r.id', 'r.at', 'r.temperature'])
    .where('r.person_id', '=', g.personId).where('r.place_id', '=', g.placeId).where('r.direction', '=', g.direction)
    .where('r.source', '=', 'resident')
    .where('r.at', '>=', new Date(g.at.getTime() - windowS * 1000)).where('r.at', '<=', new Date(g.at.getTime() + windowS * 1000))
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('two_way_checks as t').select('t.id').whereRef('t.resident_checkin_id', '=', 'r.id'))))
    .orderBy(sql`abs(extract(epoch from (r.at - ${g.at}::timestamptz)))`).orderBy('r.id')
    .limit(1).executeTakeFirst();
}

/**
 * Guard check-ins at or after `since` not in a two-way check, each with its nearest unlinked
 * resident check-in (same person, place, direction, within `windowS`). Token refusals are left out:
 * they verified nobody.
 */
export async function unlinkedPairs(db: Db, since: Date, windowS: number) {
  const rows = await sql<{
    guard_id: string; person_id: string; place_id: string; checkpoint_id: string; community_code: string; direction: 'in' | 'out';
    guard_at: Date; guard_t: number | null; resident_id: string; resident_at: Date; resident_t: number | null;
  }>`SELECT g.id AS guard_id, g.person_id, g.place_id, g.checkpoint_id, g.community_code, g.direction, g.at AS guard_at,
      g.temperature AS guard_t, r.id AS resident_id, r.at AS resident_at, r.temperature AS resident_t
    FROM checkins g
    CROSS JOIN LATERAL (
      SELECT r.id, r.at, r.temperature FROM checkins r
      WHERE r.person_id = g.person_id AND r.place_id = g.place_id AND r.direction = g.direction AND r.source = 'resident'
        AND r.at BETWEEN g.at - make_interval(secs => ${windowS}) AND g.at + make_interval(secs => ${windowS})
        AND NOT EXISTS (SELECT 1 FROM two_way_checks t WHERE t.resident_checkin_id = r.id)
      ORDER BY abs(extract(epoch FROM (r.at - g.at))), r.id LIMIT 1) r
    WHERE g.source = 'guard' AND g.at >= ${since} AND (g.refusal IS NULL OR g.refusal NOT LIKE 'token\\_%')
      AND NOT EXISTS (SELECT 1 FROM two_way_checks t WHERE t.guard_checkin_id = g.id)
    ORDER BY g.at`.execute(db);
  return rows.rows;
}

export interface NewTwoWay {
  guard: GuardCheckin;
  resident: { id: string; at: Date; temperature: number | null };
  gapC: number | null;
  flagged: boolean;
}

/** Insert a two-way check; false when either check-in is already linked (someone was faster). */
export async function insertTwoWay(db: Db, t: NewTwoWay): Promise<boolean> {
  const r = await db.insertInto('two_way_checks').values({
    person_id: t.guard.personId, place_id: t.guard.placeId, checkpoint_id: t.guard.checkpointId, community_code: t.guard.communityCode,
    direction: t.guard.direction, guard_checkin_id: t.guard.id, resident_checkin_id: t.resident.id, guard_at: t.guard.at,
    resident_at: t.resident.at, guard_temperature: t.guard.temperature, resident_temperature: t.resident.temperature,
    gap_c: t.gapC, flagged: t.flagged,
  }).onConflict((oc) => oc.doNothing()).returning('id').executeTakeFirst();
  return !!r;
}

/** Two-way checks of these guard check-ins, by guard check-in id. */
export async function twoWayByGuard(db: Db, guardCheckinIds: string[]) {
  if (!guardCheckinIds.length) return new Map<string, never>();
  const rows = await db.selectFrom('two_way_checks')
    .select(['guard_checkin_id', 'resident_checkin_id', 'guard_temperature', 'resident_temperature', 'gap_c', 'flagged'])
    .where('guard_checkin_id', 'in', guardCheckinIds).execute();
  return new Map(rows.map((r) => [r.guard_checkin_id, r]));
}

/**
 * Retention (SPEC S1, docs/SECURITY.md T7): delete gate-scan records and two-way checks older than
 * `cutoff` whose check-ins are gone (purged, or none: a rejected scan). A held check-in keeps its
 * records. Runs inside the check-in purge's transaction (checkin/retention.ts).
 */
export async function purgeGateRecords(db: Db, cutoff: Date): Promise<{ gateScans: number; twoWayChecks: number }> {
  const scans = await db.deleteFrom('gate_scans as s').where('s.at', '<', cutoff)
    .where((eb) => eb.or([
      eb('s.checkin_id', 'is', null),
      eb.not(eb.exists(eb.selectFrom('checkins as c').select('c.id').whereRef('c.id', '=', 's.checkin_id'))),
    ])).executeTakeFirst();
  const links = await db.deleteFrom('two_way_checks as t').where('t.guard_at', '<', cutoff)
    .where(({ or, not, exists, selectFrom }) => or([
      not(exists(selectFrom('checkins as c').select('c.id').whereRef('c.id', '=', 't.guard_checkin_id'))),
      not(exists(selectFrom('checkins as c').select('c.id').whereRef('c.id', '=', 't.resident_checkin_id'))),
    ])).executeTakeFirst();
  return { gateScans: Number(scans.numDeletedRows), twoWayChecks: Number(links.numDeletedRows) };
}
