/**
 * `node --import tsx bench/rules.ts [--json] [--persons N]`: a rule change of community reporting
 * (issue 5 §1) on the embedded database. Generates N (default 10,000) persons of 焦作市, each with an
 * arrival report of the last 10 days (a quarter from 湖北武汉 4201 → home isolation, a quarter from
 * 河南郑州 4101 → health monitoring, half from elsewhere → none) decided by the city's two rules,
 * then times previewRuleChange + applyRuleChange (src/modules/arrivals/service.ts) of one change: a
 * new notice putting arrivals from 郑州 in home isolation (about a quarter of the reports change:
 * report, key person, status). Prints {"bench":"rules","db":"pglite","persons":N,"ms":M,"changed":C,...}.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { sql } from 'kysely';
import { loadConfig } from '../src/config';
import { newEvents, type AppContext } from '../src/context';
import { openDatabase } from '../src/db/index';
import { migrate } from '../src/db/migrate';
import { addDays, chinaDate } from '../src/lib/time';
import { importDivisions, loadDivisions } from '../src/modules/areas/divisions';
import { ensureSecret } from '../src/modules/system/secrets';
import type { StaffUser } from '../src/modules/staff/auth';

const argv = process.argv.slice(2);
const opt = (name: string): number | undefined => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? Number(argv[i + 1]) : undefined;
};
const JSON_ONLY = argv.includes('--json');
const PERSONS = opt('persons') ?? 10_000;
const log = (...a: unknown[]) => { if (!JSON_ONLY) process.stderr.write(`${a.join(' ')}\n`); };

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yiqu-bench-rules-'));
try {
  const database = await openDatabase({ dataDir: dir });
  await migrate(database.db);
  await importDivisions(database.db, loadDivisions('4108'));
  const ctx: AppContext = { config: loadConfig({ LOG_LEVEL: 'silent', SEED_DEMO: '0', DATA_DIR: dir }), database, db: database.db,
    log: pino({ level: 'silent' }), events: newEvents(), secrets: { docPepper: await ensureSecret(database.db, 'doc_pepper') } };
  const { addRule, applyRuleChange, previewRuleChange } = await import('../src/modules/arrivals/service');
  const db = database.db;
  const row = await db.insertInto('staff').values({ username: 'bench_city', display_name: '市指挥部', role: 'city_command', area_code: '4108',
    checkpoint_id: null, org_id: null, password_hash: 'x', must_change_password: false, created_by: null }).returning('id').executeTakeFirstOrThrow();
  const staff: StaffUser = { id: row.id, username: 'bench_city', displayName: '市指挥部', role: 'city_command', areaCode: '4108', checkpointId: null, orgId: null, mustChangePassword: false };
  const today = chinaDate();
  const wuhan = await addRule(ctx, staff, { originPrefix: '4201', originLabel: '湖北武汉', measure: 'home_isolation', days: 14 });
  const zz = await addRule(ctx, staff, { originPrefix: '4101', originLabel: '河南郑州', measure: 'health_monitoring', days: 14 });
  const t0 = Date.now();
  // persons over the city's communities, one report each (decided as the rules above would)
  await sql`INSERT INTO persons (id, name, doc_type, doc_hash, doc_number, doc_masked, phone, home_community_code, registered_via)
    SELECT md5('ar' || g)::uuid, '报到' || g, 'resident_id', md5('ard' || g), 'X' || g, 'X****', NULL, c.code, 'staff'
    FROM generate_series(0, ${PERSONS - 1}::int) g
    JOIN (SELECT code, row_number() OVER (ORDER BY code) - 1 AS i, count(*) OVER () AS n FROM areas WHERE length(code) = 12) c ON c.i = g % c.n`.execute(db);
  await sql`INSERT INTO arrival_reports (person_id, community_code, origin_code, origin_text, circumstance, arrival_on, reported_via,
      rule_id, measure, measure_days, measure_until)
    SELECT p.id, p.home_community_code, o.code, o.label, 'home', (${today}::date - (g % 10))::date, 'self',
      o.rule, o.measure, o.days, CASE WHEN o.days > 0 THEN (${today}::date - (g % 10) + o.days)::date END
    FROM generate_series(0, ${PERSONS - 1}::int) g JOIN persons p ON p.id = md5('ar' || g)::uuid
    JOIN (VALUES (0, '420102', '湖北武汉', ${wuhan.id}::uuid, 'home_isolation', 14), (1, '410105', '河南郑州', ${zz.id}::uuid, 'health_monitoring', 14),
                 (2, '110105', '北京朝阳', NULL::uuid, 'none', 0), (3, '310115', '上海浦东', NULL::uuid, 'none', 0))
      AS o(k, code, label, rule, measure, days) ON o.k = g % 4`.execute(db);
  await sql`INSERT INTO key_persons (person_id, community_code, category, measure, start_on, end_on, source_kind, source_id)
    SELECT r.person_id, r.community_code, CASE r.measure WHEN 'home_isolation' THEN 'home_isolation' ELSE 'returnee' END, r.measure,
      r.arrival_on, r.measure_until, 'arrival', r.id FROM arrival_reports r WHERE r.measure <> 'none'`.execute(db);
  await sql`INSERT INTO person_status (person_id, status, reason, since)
    SELECT person_id, 'home_isolation', '社区报到：居家隔离', now() FROM arrival_reports WHERE measure = 'home_isolation'`.execute(db);
  await sql`ANALYZE`.execute(db);
  log(`generated ${PERSONS} persons and reports in ${Date.now() - t0} ms`);

  const change = { add: { originPrefix: '4101', originLabel: '河南郑州', measure: 'home_isolation' as const, days: 14, priority: 1 }, noticeOn: addDays(today, -10) };
  const t1 = performance.now();
  const preview = await previewRuleChange(ctx, staff, change, today);
  const t2 = performance.now();
  const applied = await applyRuleChange(ctx, staff, { ...change, reason: '市指挥部通告：郑州来焦人员居家隔离' }, today);
  const t3 = performance.now();
  if (applied.changes.length !== preview.length) throw new Error(`apply changed ${applied.changes.length}, preview listed ${preview.length}`);
  console.log(JSON.stringify({ bench: 'rules', db: 'pglite', persons: PERSONS, ms: Math.round(t3 - t1), changed: preview.length,
    previewMs: Math.round(t2 - t1), applyMs: Math.round(t3 - t2) }));
  await database.close();
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
