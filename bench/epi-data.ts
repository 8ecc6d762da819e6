/**
 * Data for the issue 4 benchmarks (bench/epi.ts), generated inside the database in SQL
 * (generate_series, INSERT … SELECT), so 10 million check-ins take minutes, not hours:
 *  - `persons` persons spread over the real communities of 焦作市 (the areas table after migrate +
 *    importDivisions), fake but valid for the constraints (doc_hash unique);
 *  - places (one per 200 persons, at least one per community) with one checkpoint each;
 *  - check-ins over `days` China days ending `endDate`: each visit is a passed entry and its exit
 *    10–120 min later, between 06:00 and 22:00 China time, with the stay it opens and closes; one
 *    visit in 1,000 is a refused fever entry with its fever alert instead; busy places get more
 *    visits (place index ∝ u², u uniform);
 *  - ~2,000 cases (2 % of persons at small sizes) with case_events, and ~50,000 close contacts (half
 *    the persons at small sizes) with their 'created' contact_event;
 *  - the trace subject: case 0's person, with 5 visits at the 5 busiest places in the last 2 days.
 * Ids are md5 of a tag and the index (`md5('pe'||n)::uuid`), so statements agree without lookups.
 * Ends with ANALYZE. Random draws are hashint8 of the index: the same options give the same data.
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../src/db/schema';
import { addDays, chinaDayStart } from '../src/lib/time';

export interface EpiOptions {
  persons: number;
  /** Check-in rows wanted (about; each passed visit is 2 rows, a refused one 1). */
  checkins: number;
  days: number;
  /** Last China date of the data ('YYYY-MM-DD'). */
  endDate: string;
}

export interface EpiData {
  /** Check-in rows written. */
  checkins: number;
  places: number;
  cases: number;
  contacts: number;
  /** The trace subject (a confirmed case's person with 5 visits on endDate − 1 and endDate). */
  subjectPersonId: string;
  /** Busiest district (most places), for the dashboard benchmark. */
  district: string;
}

/** The hash draw `k` (0..2^31−1) of visit `g`: deterministic per (g, k). */
const draw = (k: number) => sql.raw(`(hashint8(g::bigint * 16 + ${k}) & 2147483647)`);

/** Generate the data described above into a migrated database with the 4108 divisions. @returns what was written. */
export async function generateEpiData(db: Kysely<DB>, o: EpiOptions, log: (m: string) => void = () => undefined): Promise<EpiData> {
  const startDate = addDays(o.endDate, -(o.days - 1));
  const comm = sql`(SELECT code, (row_number() OVER (ORDER BY code) - 1)::int AS i FROM areas WHERE level = 5 AND code LIKE '4108%')`;
  const communities = (await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${comm} c`.execute(db)).rows[0]!.n;
  const places = Math.max(communities, Math.round(o.persons / 200));
  const cases = Math.min(2000, Math.max(1, Math.floor(o.persons / 50)));
  const contacts = Math.min(50_000, Math.floor(o.persons / 2));

  const staff = await db.insertInto('staff').values({ username: 'bench_epi', display_name: '压测指挥部', role: 'city_command', area_code: '4108',
    password_hash: 'x', must_change_password: false, created_by: null, org_id: null, checkpoint_id: null }).returning('id').executeTakeFirstOrThrow();

  log(`persons ${o.persons}, places ${places} over ${communities} communities…`);
  for (let lo = 0; lo < o.persons; lo += 200_000) {
    const hi = Math.min(o.persons, lo + 200_000);
    await sql`INSERT INTO persons (id, name, doc_type, doc_hash, doc_number, doc_masked, phone, home_community_code, registered_via)
      SELECT md5('pe' || g)::uuid, '压测' || g, 'passport', md5('doc' || g), 'E' || lpad(g::text, 8, '0'), 'E0****00', NULL, c.code, 'self'
      FROM generate_series(${lo}::int, ${hi - 1}::int) g JOIN ${comm} c ON c.i = g % ${communities}`.execute(db);
  }
  await sql`INSERT INTO places (id, community_code, name, kind, created_by)
    SELECT md5('pl' || g)::uuid, c.code, '压测场所' || g,
      (ARRAY['residential','supermarket','mall','enterprise','government','medical','village','other'])[1 + g % 8], NULL
    FROM generate_series(0, ${places - 1}::int) g JOIN ${comm} c ON c.i = g % ${communities}`.execute(db);
  await sql`INSERT INTO checkpoints (id, place_id, name) SELECT md5('cp' || g)::uuid, md5('pl' || g)::uuid, '正门'
    FROM generate_series(0, ${places - 1}::int) g`.execute(db);

  // visits, one China day per statement (bounded memory, on PGlite too)
  const visits = Math.round(o.checkins / 2);
  const perDay = Math.ceil(visits / o.days);
  for (let d = 0; d < o.days; d++) {
    const lo = d * perDay;
    const hi = Math.min(visits, lo + perDay);
    if (hi <= lo) break;
    const dayStart = chinaDayStart(addDays(startDate, d));
    await sql`WITH v AS MATERIALIZED (
        SELECT g, md5('pe' || (${draw(1)} % ${o.persons}))::uuid AS person,
          floor(${places}::float8 * power(${draw(2)}::float8 / 2147483648, 2))::int AS pl,
          ${dayStart}::timestamptz + make_interval(mins => (360 + ${draw(3)} % 960)::int, secs => (${draw(4)} % 60)::int) AS t_in,
          (10 + ${draw(5)} % 111)::int AS dur, ${draw(6)} % 1000 = 0 AS fever
        FROM generate_series(${lo}::int, ${hi - 1}::int) g),
      w AS MATERIALIZED (SELECT v.*, p.id AS place_id, p.community_code FROM v JOIN places p ON p.id = md5('pl' || v.pl)::uuid),
      ci AS (INSERT INTO checkins (id, person_id, checkpoint_id, place_id, community_code, direction, temperature, outcome, refusal, source, actor_id, at)
        SELECT md5('in' || g)::uuid, person, md5('cp' || pl)::uuid, place_id, community_code, 'in', CASE WHEN fever THEN 37.8 ELSE 36.5 END,
          CASE WHEN fever THEN 'refused' ELSE 'pass' END, CASE WHEN fever THEN 'fever' END, 'resident', NULL, t_in FROM w
        UNION ALL
        SELECT md5('out' || g)::uuid, person, md5('cp' || pl)::uuid, place_id, community_code, 'out', NULL, 'pass', NULL, 'resident', NULL,
          t_in + make_interval(mins => dur) FROM w WHERE NOT fever),
      st AS (INSERT INTO stays (id, person_id, place_id, entered_at, entry_checkin_id, closed_at, closed_by, exit_checkin_id)
        SELECT md5('st' || g)::uuid, person, place_id, t_in, md5('in' || g)::uuid, t_in + make_interval(mins => dur), 'exit', md5('out' || g)::uuid
        FROM w WHERE NOT fever)
      INSERT INTO fever_alerts (checkin_id, person_id, checkpoint_id, community_code, temperature, raised_at, acknowledged_at, remeasured_temperature, outcome, resolved_at)
        SELECT md5('in' || g)::uuid, person, md5('cp' || pl)::uuid, community_code, 37.8, t_in, t_in + interval '2 minutes', 37.9, 'referred', t_in + interval '10 minutes'
        FROM w WHERE fever`.execute(db);
    log(`  day ${d + 1}/${o.days}: visits ${lo}–${hi - 1}`);
  }

  // the trace subject: case 0's person, 5 visits at the 5 busiest places on the last 2 days
  const subjectPersonId = (await sql<{ id: string }>`SELECT md5('pe0')::uuid::text AS id`.execute(db)).rows[0]!.id;
  const visitsOf = [[-1, 10 * 60], [-1, 18 * 60], [0, 9 * 60], [0, 12 * 60], [0, 15 * 60]] as const;
  for (const [k, [dd, min]] of visitsOf.entries()) {
    const tIn = new Date(chinaDayStart(addDays(o.endDate, dd)).getTime() + min * 60_000);
    const tOut = new Date(tIn.getTime() + 45 * 60_000);
    const tag = `subject${k}`;
    await sql`WITH p AS (SELECT id, community_code FROM places WHERE id = md5('pl' || ${k}::int)::uuid),
      ci AS (INSERT INTO checkins (id, person_id, checkpoint_id, place_id, community_code, direction, temperature, outcome, refusal, source, actor_id, at)
        SELECT md5(${`${tag}in`})::uuid, ${subjectPersonId}::uuid, md5('cp' || ${k}::int)::uuid, p.id, p.community_code, 'in', 36.6, 'pass', NULL, 'resident', NULL, ${tIn}::timestamptz FROM p
        UNION ALL
        SELECT md5(${`${tag}out`})::uuid, ${subjectPersonId}::uuid, md5('cp' || ${k}::int)::uuid, p.id, p.community_code, 'out', NULL, 'pass', NULL, 'resident', NULL, ${tOut}::timestamptz FROM p)
      INSERT INTO stays (id, person_id, place_id, entered_at, entry_checkin_id, closed_at, closed_by, exit_checkin_id)
        SELECT md5(${`${tag}st`})::uuid, ${subjectPersonId}::uuid, p.id, ${tIn}::timestamptz, md5(${`${tag}in`})::uuid, ${tOut}::timestamptz, 'exit', md5(${`${tag}out`})::uuid FROM p`.execute(db);
  }

  log(`cases ${cases}, contacts ${contacts}…`);
  // status by i % 20: 0–11 confirmed, 12–15 suspected, 16–18 discharged, 19 excluded; onset early enough that
  // every event (onset + 1, + 2, + 10) is on or before endDate
  const onsetSpan = Math.max(1, o.days - 12);
  await sql`INSERT INTO cases (id, number, person_id, community_code, status, hospitalised, hospital, onset_on, isolated_on, classification, source_area, created_by)
    SELECT md5('ca' || g)::uuid, '4108-' || lpad(g::text, 5, '0'), pe.id, pe.home_community_code, s.status, s.status IN ('confirmed', 'suspected'),
      CASE WHEN s.status IN ('confirmed', 'suspected') THEN '焦作市人民医院' ELSE '' END,
      ${startDate}::date + g % ${onsetSpan}, ${startDate}::date + g % ${onsetSpan} + 1,
      CASE WHEN g % 3 = 0 THEN 'imported' ELSE 'local' END, CASE WHEN g % 3 = 0 THEN '湖北武汉' END, ${staff.id}::uuid
    FROM generate_series(0, ${cases - 1}::int) g JOIN persons pe ON pe.id = md5('pe' || g)::uuid,
      LATERAL (SELECT CASE WHEN g % 20 < 12 THEN 'confirmed' WHEN g % 20 < 16 THEN 'suspected' WHEN g % 20 < 19 THEN 'discharged' ELSE 'excluded' END AS status) s`.execute(db);
  await sql`INSERT INTO case_events (case_id, status, hospitalised, hospital, effective_on, reason, actor_id, actor_role)
    SELECT c.id, e.status, e.status IN ('confirmed', 'suspected'), CASE WHEN e.status IN ('confirmed', 'suspected') THEN '焦作市人民医院' ELSE '' END,
      c.onset_on + e.after, e.reason, ${staff.id}::uuid, 'city_command'
    FROM cases c, LATERAL (VALUES
      ('suspected', 1, '初筛疑似', true),
      (CASE WHEN c.status = 'excluded' THEN 'excluded' ELSE 'confirmed' END, 2, '核酸检测结果', c.status <> 'suspected'),
      ('discharged', 10, '治愈出院', c.status = 'discharged')) AS e(status, after, reason, keep)
    WHERE e.keep ORDER BY c.id, e.after`.execute(db);
  await sql`INSERT INTO contacts (id, person_id, community_code, kind, source_case_id, case_id, last_exposure_on, computed_end_on, end_on, traced_on,
      released_on, released_by, release_reason, created_by)
    SELECT md5('co' || g)::uuid, pe.id, pe.home_community_code, 'close', md5('ca' || (g % ${cases}))::uuid, md5('ca' || (g % ${cases}))::uuid,
      x.exposed, x.exposed + 14, x.exposed + 14, x.exposed + 1,
      CASE WHEN x.exposed + 15 <= ${o.endDate}::date THEN x.exposed + 15 END,
      CASE WHEN x.exposed + 15 <= ${o.endDate}::date THEN ${staff.id}::uuid END,
      CASE WHEN x.exposed + 15 <= ${o.endDate}::date THEN '医学观察期满' END, ${staff.id}::uuid
    FROM generate_series(0, ${contacts - 1}::int) g JOIN persons pe ON pe.id = md5('pe' || (${cases} + g))::uuid,
      LATERAL (SELECT ${startDate}::date + g % ${Math.max(1, o.days - 1)} AS exposed) x`.execute(db);
  await sql`INSERT INTO contact_events (contact_id, kind, actor_id, actor_role) SELECT id, 'created', ${staff.id}::uuid, 'city_command' FROM contacts`.execute(db);

  log('ANALYZE…');
  await sql`ANALYZE`.execute(db);
  const n = (await sql<{ n: number }>`SELECT count(*)::int AS n FROM checkins`.execute(db)).rows[0]!.n;
  const district = (await sql<{ d: string }>`SELECT left(community_code, 6) AS d FROM places GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1`.execute(db)).rows[0]!.d;
  return { checkins: n, places, cases, contacts, subjectPersonId, district };
}
