/**
 * Group commit for check-ins. Every check-in is durable before it is acknowledged, but commits are
 * shared: while one transaction is being written, new check-ins queue, and the next transaction
 * takes them all (one multi-row INSERT each). At low load a check-in commits at once; under a surge
 * (LESSONS "Surges") the commit count stays flat while throughput grows.
 */
import { CompiledQuery, type Kysely, type Transaction } from 'kysely';
import type { AppContext } from '../../context';
import type { DB } from '../../db/schema';
import { preparedStatement } from '../../db/index';

export interface CheckinRow {
  id: string; person_id: string; checkpoint_id: string; place_id: string; community_code: string;
  direction: 'in' | 'out'; temperature: number | null; outcome: 'pass' | 'refused'; refusal: string | null;
  source: 'resident' | 'guard'; actor_id: string | null; at: Date;
}
export interface StayInsert {
  id: string; person_id: string; place_id: string; entered_at: Date; entry_checkin_id: string;
  closed_at: Date | null; closed_by: 'exit' | 'other_place' | null; exit_checkin_id: string | null;
}
/** `person_id` finds the open stay through the one-open-stay index (see GROUP_SQL); `id` is the stay's. */
export interface StayClose { id: string; person_id: string; closed_at: Date; closed_by: 'exit' | 'other_place'; exit_checkin_id: string | null }
export interface AlertInsert {
  checkin_id: string; person_id: string; checkpoint_id: string; community_code: string; temperature: number; raised_at: Date;
}

/** What one request writes; the writer merges many into one transaction. */
export interface WriteSet {
  checkins: CheckinRow[];
  stayInserts: StayInsert[];
  stayCloses: StayClose[];
  alerts: AlertInsert[];
  /** Extra statements in the same transaction (status changes on fever). */
  after?: (trx: Transaction<DB>) => Promise<void>;
}

/** Most write sets one statement takes (bounds its size and the time one commit holds the others). */
export const MAX_GROUP = 400;

/**
 * Groups out at once on the embedded database: one running on its thread, the next sent and
 * waiting behind it. With one, the thread sat idle about a third of the time while the server's
 * thread answered the last group and gathered the next (docs/STATUS.md, session 10).
 */
const PIPELINE_DEPTH = 2;

interface Pending {
  set: WriteSet;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/** Columns and their SQL types: the keys of each JSON row, and the order of each INSERT's columns. */
const CHECKIN_COLS = [['id', 'uuid'], ['person_id', 'uuid'], ['checkpoint_id', 'uuid'], ['place_id', 'uuid'],
  ['community_code', 'text'], ['direction', 'text'], ['temperature', 'numeric'], ['outcome', 'text'], ['refusal', 'text'],
  ['source', 'text'], ['actor_id', 'text'], ['at', 'timestamptz']] as const;
const STAY_COLS = [['id', 'uuid'], ['person_id', 'uuid'], ['place_id', 'uuid'], ['entered_at', 'timestamptz'],
  ['entry_checkin_id', 'uuid'], ['closed_at', 'timestamptz'], ['closed_by', 'text'], ['exit_checkin_id', 'uuid']] as const;
const CLOSE_COLS = [['id', 'uuid'], ['closed_at', 'timestamptz'], ['closed_by', 'text'], ['exit_checkin_id', 'uuid']] as const;
const ALERT_COLS = [['checkin_id', 'uuid'], ['person_id', 'uuid'], ['checkpoint_id', 'uuid'], ['community_code', 'text'],
  ['temperature', 'numeric'], ['raised_at', 'timestamptz']] as const;

type Cols = readonly (readonly [string, string])[];

/** `json_to_recordset($n::json) AS v(col type, …)`: the rows of one table as one JSON parameter. */
const recordsetOf = (n: number, cols: Cols) => `json_to_recordset($${n}::json) AS v(${cols.map(([c, t]) => `${c} ${t}`).join(', ')})`;
const colList = (cols: Cols) => cols.map(([c]) => c).join(', ');

/**
 * The group statement: data-modifying CTEs, so a whole group is one round trip and one implicit
 * transaction, which matters most for the embedded database where every round trip crosses to its
 * thread and back (src/db/pglite-thread.ts). Each table's rows travel as one JSON parameter
 * (`json_to_recordset`): the text is the same for every group, built once here, and the rows are
 * serialised by one native JSON.stringify instead of per-value conversions in the driver. The
 * one-open-stay-a-person rule is an exclusion constraint checked at the end of the statement, so a
 * close and a new open for the same person may sit in the same group. Every text column holds codes
 * and ids the server made, never typed text: PostgreSQL's json refuses a lone UTF-16 surrogate,
 * which free text could carry.
 * The stays to close are found by their persons, `$5` (an array, so the planner knows how many):
 * the one-open-stay index then reads those persons' entries only. Matched by `s.id = v.id` alone,
 * the planner read the whole of that index for every group, and a closed stay stays in it until
 * VACUUM (daily on the embedded database): 42,000 entries made a group of 32 cost 11 ms instead
 * of 5 ms (docs/STATUS.md, session 10).
 */
const GROUP_SQL = preparedStatement('checkin_group', `WITH closed AS (UPDATE stays AS s SET closed_at = v.closed_at, closed_by = v.closed_by, exit_checkin_id = v.exit_checkin_id
      FROM ${recordsetOf(1, CLOSE_COLS)} WHERE s.person_id = ANY($5::uuid[]) AND s.closed_at IS NULL AND s.id = v.id RETURNING 1),
    new_checkins AS (INSERT INTO checkins (${colList(CHECKIN_COLS)}) SELECT * FROM ${recordsetOf(2, CHECKIN_COLS)} RETURNING 1),
    new_stays AS (INSERT INTO stays (${colList(STAY_COLS)}) SELECT * FROM ${recordsetOf(3, STAY_COLS)} RETURNING 1),
    new_alerts AS (INSERT INTO fever_alerts (${colList(ALERT_COLS)}) SELECT * FROM ${recordsetOf(4, ALERT_COLS)} RETURNING 1)
    SELECT 1`);

/** All the sets as one statement, or null when there is nothing to write. Dates travel as ISO 8601 (UTC). */
export function groupStatement(sets: WriteSet[]): CompiledQuery | null {
  const closes = sets.flatMap((s) => s.stayCloses);
  const inserts = sets.flatMap((s) => s.stayInserts);
  const checkins = sets.flatMap((s) => s.checkins);
  const alerts = sets.flatMap((s) => s.alerts);
  if (!closes.length && !inserts.length && !checkins.length && !alerts.length) return null;
  const rows = [closes, checkins, inserts, alerts].map((r) => JSON.stringify(r));
  return CompiledQuery.raw(GROUP_SQL, [...rows, closes.map((c) => c.person_id)]);
}

async function writeAll(db: Kysely<DB> | Transaction<DB>, sets: WriteSet[]) {
  const stmt = groupStatement(sets);
  const after = sets.filter((s) => s.after);
  if (!after.length) {
    if (stmt) await db.executeQuery(stmt);
    return;
  }
  // status changes on fever: the same group inside an explicit transaction
  const run = async (trx: Transaction<DB>) => {
    if (stmt) await trx.executeQuery(stmt);
    for (const s of after) await s.after!(trx);
  };
  if (db.isTransaction) await run(db as Transaction<DB>);
  else await (db as Kysely<DB>).transaction().execute(run);
}

/**
 * A writer bound to one database. `write(set)` resolves once the set is committed.
 * `onFailure` runs after a failed group so callers can reload in-memory state. `serverLanes`
 * groups may commit at once on a PostgreSQL server (CHECKIN_COMMIT_LANES; config.ts says why one
 * is the default); the embedded database always has PIPELINE_DEPTH out (one running, one waiting
 * on its single connection). A person is never in two lanes at once: the check-in service lets a
 * person's next check-in start only after the previous one is committed.
 */
export function createWriter(ctx: AppContext, onFailure: () => Promise<void>, serverLanes = 1) {
  const lanes = ctx.database.pipeline ? PIPELINE_DEPTH : serverLanes;
  let queue: Pending[] = [];
  let running = 0;

  async function commit(group: Pending[]) {
    await writeAll(ctx.db, group.map((p) => p.set));
  }

  const takeGroup = () => {
    const group = queue.slice(0, MAX_GROUP);
    queue = queue.slice(group.length);
    return group;
  };
  const failure = (err: unknown, group: Pending[]) => Object.assign(new Error('group commit failed'), { cause: err, group });

  /**
   * Embedded database: send the group in the connection's turn without holding it until the group
   * has run, so the database's thread finds the next group waiting (PIPELINE_DEPTH lanes). A group
   * with status changes (`after`) needs a transaction of its own and takes the connection as usual.
   */
  async function pipelineNextGroup(pipeline: NonNullable<AppContext['database']['pipeline']>): Promise<Pending[]> {
    let group: Pending[] = [];
    let alone = false;
    try {
      await pipeline(() => {
        group = takeGroup();
        alone = group.some((p) => p.set.after);
        const stmt = alone ? null : groupStatement(group.map((p) => p.set));
        return stmt && { sql: stmt.sql, params: stmt.parameters };
      });
      if (alone) await commit(group);
    } catch (err) {
      throw failure(err, group);
    }
    return group;
  }

  /** Take the group only once a connection is ours, so it holds all that queued meanwhile. */
  async function commitNextGroup(): Promise<Pending[]> {
    if (ctx.database.pipeline) return pipelineNextGroup(ctx.database.pipeline);
    return ctx.db.connection().execute(async (conn) => {
      const group = takeGroup();
      try {
        if (group.length) await writeAll(conn, group.map((p) => p.set));
      } catch (err) {
        throw failure(err, group);
      }
      return group;
    });
  }

  /**
   * `group` failed as a whole: commit its halves, and split again each half that fails, until a bad
   * set stands alone and is refused. One bad set among n costs about 2·log2(n) commits, not n,
   * while the lane (often the only one) waits. A group of one is tried once more alone.
   */
  async function retryInHalves(group: Pending[]): Promise<void> {
    const mid = Math.ceil(group.length / 2);
    const halves = group.length === 1 ? [group] : [group.slice(0, mid), group.slice(mid)];
    for (const half of halves) {
      try {
        await commit(half);
        for (const p of half) p.resolve();
      } catch (err) {
        if (half.length === 1) half[0]!.reject(err);
        else await retryInHalves(half);
      }
    }
  }

  async function failed(e: unknown) {
    const err = (e as { cause?: unknown }).cause ?? e;
    const group = (e as { group?: Pending[] }).group;
    if (!group) {
      // no connection at all: fail everything waiting rather than spin
      ctx.log.error({ err }, 'check-in writer has no database connection');
      const waiting = queue;
      queue = [];
      for (const p of waiting) p.reject(err);
      return;
    }
    // one bad set must not fail its neighbours
    ctx.log.warn({ err, size: group.length }, 'check-in group commit failed; retrying in halves');
    await retryInHalves(group);
    await onFailure().catch((e2) => ctx.log.error({ err: e2 }, 'reloading check-in state failed'));
  }

  /** One lane: commit groups until the queue is empty. */
  async function lane() {
    running += 1;
    while (queue.length) {
      // let check-ins that already arrived join this group (see batch-loader.ts on the embedded database)
      await new Promise((r) => setImmediate(r));
      try {
        for (const p of await commitNextGroup()) p.resolve();
      } catch (e) {
        await failed(e);
      }
    }
    running -= 1;
  }

  return {
    write(set: WriteSet): Promise<void> {
      return new Promise((resolve, reject) => {
        queue.push({ set, resolve, reject });
        if (running < lanes) void lane();
      });
    },
    /** Resolves when everything queued so far is committed (for shutdown and tests). */
    async drain() {
      while (running || queue.length) await new Promise((r) => setTimeout(r, 5));
    },
  };
}
