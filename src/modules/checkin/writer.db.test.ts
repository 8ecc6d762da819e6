import { randomUUID } from 'node:crypto';
import { CompiledQuery, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app';
import { buildCheckpoint, buildPlace } from '../../../test/helpers/factories/places';
import { registerDevice } from '../../../test/helpers/factories/persons';
import { createWriter, groupStatement, type WriteSet } from './writer';

// The group commit on its own (writer.ts): what one statement writes, how a group with a bad set is
// retried, and a connection whose prepared statement the server has forgotten.
describe('check-in group commit', () => {
  let t: TestApp;
  let place: string; let checkpoint: string; let person: string;
  beforeAll(async () => {
    t = await createTestApp();
    place = (await buildPlace(t.ctx, { name: '写入小区' })).id;
    checkpoint = (await buildCheckpoint(t.ctx, place)).checkpoint.id;
    person = (await registerDevice(t)).personId;
  });
  afterAll(async () => { await t?.close(); });

  const set = (over: Partial<WriteSet['checkins'][number]> = {}): WriteSet => ({
    checkins: [{ id: randomUUID(), person_id: person, checkpoint_id: checkpoint, place_id: place, community_code: '410811001001',
      direction: 'out', temperature: null, outcome: 'pass', refusal: null, source: 'guard', actor_id: null, at: new Date(), ...over }],
    stayInserts: [], stayCloses: [], alerts: [],
  });
  const stored = (ids: string[]) => t.ctx.db.selectFrom('checkins').selectAll().where('id', 'in', ids).execute();

  it('refuses only the bad set of a group, commits the others, and retries in halves', async () => {
    let commits = 0;
    // the database handle with its group statements counted (on the lane's connection and on retries)
    const counting = <T extends object>(db: T): T => new Proxy(db, {
      get(o, k) {
        const v = Reflect.get(o, k) as unknown;
        if (k === 'executeQuery') return (...a: unknown[]) => { commits += 1; return (v as (...x: unknown[]) => unknown).apply(o, a); };
        if (k === 'connection') {
          return () => {
            const c = (v as () => { execute: (f: (conn: object) => unknown) => unknown }).call(o);
            return { execute: (f: (conn: object) => unknown) => c.execute((conn) => f(counting(conn))) };
          };
        }
        return typeof v === 'function' ? (v as (...x: unknown[]) => unknown).bind(o) : v;
      },
    });
    // the embedded database sends groups pipelined (not through the handle): count those too
    const pipeline = t.ctx.database.pipeline;
    const database = { ...t.ctx.database, pipeline: pipeline && ((take: Parameters<typeof pipeline>[0]) => pipeline(() => {
      const stmt = take();
      if (stmt) commits += 1;
      return stmt;
    })) };
    const counted = { ...t.ctx, database, db: counting(t.ctx.db) };
    let reloads = 0;
    const w = createWriter(counted as typeof t.ctx, async () => { reloads += 1; }, 1);
    const taken = set();
    await w.write(taken);
    commits = 0;
    const good = Array.from({ length: 15 }, () => set());
    const bad = set({ id: taken.checkins[0]!.id }); // the same id again: the primary key refuses it
    const all = [...good.slice(0, 7), bad, ...good.slice(7)];
    const outcomes = await Promise.allSettled(all.map((s) => w.write(s)));
    expect(outcomes.map((o) => o.status)).toEqual(all.map((s) => (s === bad ? 'rejected' : 'fulfilled')));
    expect(await stored(good.map((s) => s.checkins[0]!.id))).toHaveLength(15);
    // 1 group of 16, then halves 8+8, 4+4, 2+2, 1+1 down to the bad one: 9 commits, not 1 + 16
    expect(commits).toBe(9);
    expect(reloads).toBe(1);
  });

  it('stores codes and temperatures through the JSON rows exactly', async () => {
    const w = createWriter(t.ctx, async () => undefined, 1);
    const odd = set({ direction: 'in', temperature: 37.25, outcome: 'refused', refusal: `it's "q" \\ 𠈌 😷`, actor_id: '张·三\n', at: new Date('2026-11-30T15:59:59.999Z') });
    await w.write(odd);
    const [row] = await stored([odd.checkins[0]!.id]);
    expect(row).toMatchObject({ refusal: `it's "q" \\ 𠈌 😷`, actor_id: '张·三\n', temperature: 37.3, direction: 'in' });
    expect(row!.at.toISOString()).toBe('2026-11-30T15:59:59.999Z');
  });

  it('commits after the server forgot its prepared statements (DEALLOCATE ALL on the same connections)', async () => {
    const w = createWriter(t.ctx, async () => undefined, 1);
    await w.write(set()); // prepares the group statement on the connection it used (PostgreSQL)
    // the pool hands out the connection released last first: hold three so that one is among them
    // (the embedded database has one connection)
    const everywhere = async (n: number): Promise<void> => {
      if (n) await t.ctx.db.connection().execute(async (c) => { await sql`DEALLOCATE ALL`.execute(c); await everywhere(n - 1); });
    };
    await everywhere(t.ctx.database.kind === 'postgres' ? 3 : 1);
    const after = [set(), set()];
    await Promise.all(after.map((s) => w.write(s)));
    await w.write(set());
    expect(await stored(after.map((s) => s.checkins[0]!.id))).toHaveLength(2);
  });

  it('plans the group statement for the stays table as it is, not as it was when first run', async () => {
    // PostgreSQL caches a generic plan of a named statement after five runs. Cached while stays was
    // small, it kept reading the whole table for every group (a sequential scan) as the table grew.
    // The embedded database runs it as a named statement only when pipelined (pglite-pool.ts).
    const piped = createWriter(t.ctx, async () => undefined, 1);
    for (let i = 0; i < 8; i++) await piped.write(set());
    await t.ctx.db.connection().execute(async (conn) => {
      // on this connection only: not pipelined (the embedded database's turn is this test's)
      const w = createWriter({ ...t.ctx, db: conn, database: { ...t.ctx.database, pipeline: undefined } } as typeof t.ctx, async () => undefined, 1);
      for (let i = 0; i < 8; i++) await w.write(set());
      if (t.ctx.database.kind === 'pglite') {
        // planned once for all calls (PostgreSQL's choice after five): the statement's gain there
        const { rows } = await sql<{ n: number }>`SELECT generic_plans::int AS n FROM pg_prepared_statements WHERE name = 'checkin_group'`.execute(conn);
        expect(rows[0]!.n).toBeGreaterThan(0);
      }
      await sql`BEGIN`.execute(conn);
      try {
        await sql`INSERT INTO stays (id, person_id, place_id, entered_at, entry_checkin_id, closed_at, closed_by)
          SELECT gen_random_uuid(), gen_random_uuid(), ${place}, now(), gen_random_uuid(), now(), 'exit'
          FROM generate_series(1, 100000)`.execute(conn);
        const { rows } = await sql<{ 'QUERY PLAN': string }>`EXPLAIN EXECUTE checkin_group('[]', '[]', '[]', '[]', '{}')`.execute(conn);
        const plan = rows.map((r) => r['QUERY PLAN']).join('\n');
        expect(plan).toMatch(/Index Scan using stays_one_open on stays/);
        expect(plan).not.toMatch(/Seq Scan on stays/);
      } finally {
        await sql`ROLLBACK`.execute(conn);
      }
    });
  });

  it('finds the stays to close through their persons, however many closed stays the index still holds', async () => {
    // A closed stay's entry stays in the one-open-stay index until VACUUM (daily on the embedded
    // database). Matched by stay id alone, every group read all of those entries (11 ms a group).
    await t.ctx.db.connection().execute(async (conn) => {
      await sql`BEGIN`.execute(conn);
      try {
        await sql`INSERT INTO stays (id, person_id, place_id, entered_at, entry_checkin_id)
          SELECT gen_random_uuid(), gen_random_uuid(), ${place}, now(), gen_random_uuid() FROM generate_series(1, 3000)`.execute(conn);
        await sql`UPDATE stays SET closed_at = now(), closed_by = 'exit' WHERE closed_at IS NULL`.execute(conn);
        const stay = randomUUID();
        await sql`INSERT INTO stays (id, person_id, place_id, entered_at, entry_checkin_id) VALUES (${stay}, ${person}, ${place}, now(), gen_random_uuid())`.execute(conn);
        const exit = set();
        exit.stayCloses.push({ id: stay, person_id: person, closed_at: new Date(), closed_by: 'exit', exit_checkin_id: exit.checkins[0]!.id });
        const stmt = groupStatement([exit])!;
        const { rows } = await conn.executeQuery<{ 'QUERY PLAN': unknown }>(CompiledQuery.raw(`EXPLAIN (ANALYZE, FORMAT JSON) ${stmt.sql}`, [...stmt.parameters]));
        const raw = rows[0]!['QUERY PLAN'];
        type Node = { 'Relation Name'?: string; 'Index Name'?: string; 'Actual Rows': number; Plans?: Node[] };
        const nodes: Node[] = [];
        const walk = (n: Node) => { nodes.push(n); n.Plans?.forEach(walk); };
        walk((typeof raw === 'string' ? JSON.parse(raw) : raw)[0].Plan);
        const onStays = nodes.filter((n) => n['Relation Name'] === 'stays' || n['Index Name']?.startsWith('stays'));
        expect(onStays.length).toBeGreaterThan(0);
        expect(Math.max(...onStays.map((n) => n['Actual Rows']))).toBeLessThanOrEqual(1);
        const closed = await sql<{ closed_by: string }>`SELECT closed_by FROM stays WHERE id = ${stay}`.execute(conn);
        expect(closed.rows).toEqual([{ closed_by: 'exit' }]);
      } finally {
        await sql`ROLLBACK`.execute(conn);
      }
    });
  });
});
