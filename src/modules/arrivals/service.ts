/**
 * 社区报到 (issue 5 §1, SPEC S3): the arrival rule table and rule changes (reports: ./reports.ts).
 *
 * A report (self from a link/QR via the phone's device cookie, or entered by staff) is matched
 * against the active rules covering its destination community (./rules.ts), stored with the rule it
 * got, opens a key person (category home_isolation / centralized_isolation for those measures,
 * 'returnee' for health monitoring: openKeyPerson, the one way in) and, for isolation measures,
 * sets the person status via ./follow.ts (never relaxing a stricter status such as a case).
 *
 * Rules: `arrival_rules.city_code` holds the area a rule covers: the account's own area when it
 * adds the rule (a city command at 4108 covers the city; an account scoped to a district covers that
 * district). A rule applies to reports whose community lies under it. Rules are never edited: a
 * change adds a row and/or retires rows. A change can be previewed (nothing written) and applied:
 * the reports concerned (still within their measure on `today`, or arriving on/after the notice
 * date) are re-decided under the rules before and after the change, and exactly those whose measure
 * or days differ are updated with their key persons and person statuses, in one transaction.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { AppContext } from '../../context';
import type { Circumstance, DB, Measure } from '../../db/schema';
import { badRequest, conflict, notFound } from '../../lib/errors';
import { maskName } from '../../lib/mask';
import { chinaDate } from '../../lib/time';
import { audit } from '../audit/audit';
import { isPlausibleDay } from '../cases/rules';
import { listArea } from '../cases/queries';
import { ancestorCodes } from '../areas/service';
import { followMeasures } from './follow';
import { staffActor, type StaffUser } from '../staff/auth';
import type { StatusActor } from '../status/service';
import { decideArrival, type ArrivalMeasure, type ArrivalRule } from './rules';

type Db = Kysely<DB> | Transaction<DB>;

/** Most rows a list returns. */
export const ARRIVAL_LIST_MAX = 5000;

const unknownRule = () => notFound('未找到该报到规则', 'Arrival rule not found');

/** The area codes covering `code`: its ancestors (areas/service.ts ancestorCodes) and itself. */
const prefixesOf = (code: string): string[] => [...ancestorCodes(code), code];

// ---------------------------------------------------------------- rules

export interface RuleView {
  id: string; areaCode: string; priority: number; originPrefix: string | null; originLabel: string;
  circumstance: Circumstance | null; measure: Measure; days: number; note: string; createdAt: string; retiredAt: string | null;
}
type RuleRow = { id: string; city_code: string; priority: number; origin_prefix: string | null; origin_label: string;
  circumstance: Circumstance | null; measure: Measure; days: number; note: string; created_at: Date; retired_at: Date | null };

const ruleCols = ['id', 'city_code', 'priority', 'origin_prefix', 'origin_label', 'circumstance', 'measure', 'days', 'note', 'created_at', 'retired_at'] as const;

function ruleView(r: RuleRow): RuleView {
  return {
    id: r.id, areaCode: r.city_code, priority: r.priority, originPrefix: r.origin_prefix, originLabel: r.origin_label,
    circumstance: r.circumstance, measure: r.measure, days: r.days, note: r.note, createdAt: r.created_at.toISOString(),
    retiredAt: r.retired_at ? r.retired_at.toISOString() : null,
  };
}
interface ScopedRule extends ArrivalRule { areaCode: string }
const asRule = (r: RuleRow): ScopedRule => ({
  id: r.id, areaCode: r.city_code, priority: r.priority, originPrefix: r.origin_prefix, originLabel: r.origin_label,
  circumstance: r.circumstance, measure: r.measure, days: r.days, createdAt: r.created_at,
});

/** Active rules covering `communityCode`. */
export async function activeRulesFor(db: Db, communityCode: string): Promise<ScopedRule[]> {
  const rows = await db.selectFrom('arrival_rules').select(ruleCols).where('retired_at', 'is', null)
    .where('city_code', 'in', prefixesOf(communityCode)).execute();
  return rows.map(asRule);
}

/** Active rules that can touch reports in `area`: covering it, or lying inside it. */
async function activeRulesAround(db: Db, area: string): Promise<ScopedRule[]> {
  const rows = await db.selectFrom('arrival_rules').select(ruleCols).where('retired_at', 'is', null)
    .where((eb) => eb.or([eb('city_code', 'in', prefixesOf(area)), eb('city_code', 'like', `${area}%`)])).execute();
  return rows.map(asRule);
}

/** Rules visible to `staff`: covering its area or inside it; retired ones too when `all`. */
export async function listRules(ctx: AppContext, staff: StaffUser, all = false): Promise<RuleView[]> {
  let q = ctx.db.selectFrom('arrival_rules').select(ruleCols)
    .where((eb) => eb.or([eb('city_code', 'in', prefixesOf(staff.areaCode)), eb('city_code', 'like', `${staff.areaCode}%`)]));
  if (!all) q = q.where('retired_at', 'is', null);
  const rows = await q.orderBy('priority', 'desc').orderBy('created_at', 'desc').orderBy('id').execute();
  return rows.map(ruleView);
}

export interface RuleInput {
  /** The area the rule covers (default: the account's own area; must lie within it). */
  areaCode?: string;
  priority?: number; originPrefix?: string | null; originLabel: string; circumstance?: Circumstance | null;
  measure: Measure; days?: number; note?: string;
}

function checkRule(ctx: AppContext, r: RuleInput) {
  const label = r.originLabel.trim();
  if (label.length < 1 || [...label].length > 60) throw badRequest('origin_label_invalid', '来源地名称须为1至60字', 'The origin label must have 1 to 60 characters');
  if ([...(r.note ?? '')].length > 300) throw badRequest('note_too_long', '备注不能超过300字', 'The note is longer than 300 characters');
  const days = r.days ?? ctx.config.ARRIVAL_MEASURE_DAYS;
  if (!Number.isInteger(days) || days < 1 || days > 60) throw badRequest('days_invalid', '管控天数须为1至60天', 'Days must be 1 to 60');
  return { priority: r.priority ?? 0, origin_prefix: r.originPrefix ?? null, origin_label: label, circumstance: r.circumstance ?? null,
    measure: r.measure, days, note: (r.note ?? '').trim() };
}

/** The area a rule or change covers: `areaCode` (default the account's), an existing area in scope. @throws 404. */
async function ruleArea(db: Db, staff: StaffUser, areaCode?: string): Promise<string> {
  const area = listArea(staff, areaCode);
  const row = await db.selectFrom('areas').select('code').where('code', '=', area).executeTakeFirst();
  if (!row) throw notFound('未找到该区域', 'Area not found');
  return area;
}

/** Rule writes (add, retire, apply) of the whole city run one at a time: a double click cannot write twice. */
const RULES_LOCK = 727011;

/**
 * Take the rule-writing lock of the transaction and refuse a rule identical to an active one of
 * `area` (same origin, circumstance, measure, days and priority). @throws 409 rule_exists.
 */
async function lockAndCheckTwin(trx: Transaction<DB>, area: string, v: ReturnType<typeof checkRule> | null) {
  await sql`SELECT pg_advisory_xact_lock(${sql.lit(RULES_LOCK)})`.execute(trx);
  if (!v) return;
  let q = trx.selectFrom('arrival_rules').select('id').where('city_code', '=', area).where('retired_at', 'is', null)
    .where('origin_label', '=', v.origin_label).where('measure', '=', v.measure).where('days', '=', v.days).where('priority', '=', v.priority);
  q = v.origin_prefix === null ? q.where('origin_prefix', 'is', null) : q.where('origin_prefix', '=', v.origin_prefix);
  q = v.circumstance === null ? q.where('circumstance', 'is', null) : q.where('circumstance', '=', v.circumstance);
  if (await q.executeTakeFirst()) throw conflict('rule_exists', '已有一条相同的有效规则', 'An identical active rule exists already');
}

/** Add a rule covering `r.areaCode` (default the account's area) (arrival_rules.manage); it applies to reports made from now on. Audited. */
export async function addRule(ctx: AppContext, staff: StaffUser, r: RuleInput): Promise<RuleView> {
  const v = checkRule(ctx, r);
  return ctx.db.transaction().execute(async (trx) => {
    const area = await ruleArea(trx, staff, r.areaCode);
    await lockAndCheckTwin(trx, area, v);
    const row = await trx.insertInto('arrival_rules').values({ ...v, city_code: area, created_by: staff.id })
      .returning(ruleCols).executeTakeFirstOrThrow();
    await audit(trx, staffActor(staff), { action: 'arrival_rule.add', areaCode: area, detail: { ruleId: row.id, ...v } });
    return ruleView(row);
  });
}

/** The active rules `ids`, locked, each inside the account's area. @throws 404 unknown/out of scope, 409 rule_retired. */
async function rulesToRetire(db: Db, area: string, ids: readonly string[]) {
  const uniq = [...new Set(ids)];
  if (uniq.length === 0) return [];
  const rows = await db.selectFrom('arrival_rules').select(ruleCols).where('id', 'in', uniq)
    .where('city_code', 'like', `${area}%`).forUpdate().execute();
  if (rows.length !== uniq.length) throw unknownRule();
  if (rows.some((r) => r.retired_at)) throw conflict('rule_retired', '该规则已停用', 'The rule is already retired');
  return rows;
}

/** Retire a rule alone (no re-evaluation of reports: use apply for that). Audited. */
export async function retireRule(ctx: AppContext, staff: StaffUser, id: string): Promise<RuleView> {
  return ctx.db.transaction().execute(async (trx) => {
    await lockAndCheckTwin(trx, staff.areaCode, null);
    await rulesToRetire(trx, staff.areaCode, [id]);
    const row = await trx.updateTable('arrival_rules').set({ retired_at: new Date() }).where('id', '=', id).returning(ruleCols).executeTakeFirstOrThrow();
    await audit(trx, staffActor(staff), { action: 'arrival_rule.retire', areaCode: staff.areaCode, detail: { ruleId: id } });
    return ruleView(row);
  });
}

/** A change of the rules of `areaCode` (default the account's area): the added rule covers it; retired rules lie in it. */
export interface RuleChange { areaCode?: string; add?: Omit<RuleInput, 'areaCode'>; retire?: string[]; noticeOn?: string }
export interface ChangedArrival {
  reportId: string; personId: string; maskedName: string; communityCode: string; originText: string; arrivalOn: string;
  from: { measure: ArrivalMeasure; days: number; until: string | null; ruleId: string | null };
  to: { measure: ArrivalMeasure; days: number; until: string | null; ruleId: string | null };
}

const NEW_RULE_ID = '00000000-0000-0000-0000-000000000000';

/**
 * The reports whose measure a change would change (rule in the header), computed in `db`.
 * The added rule carries NEW_RULE_ID until written.
 */
async function changedArrivals(ctx: AppContext, db: Db, staff: StaffUser, change: RuleChange, today: string) {
  if (!change.add && !(change.retire?.length)) throw badRequest('change_empty', '请指定新增或停用的规则', 'Give a rule to add or rules to retire');
  const noticeOn = change.noticeOn ?? today;
  if (!isPlausibleDay(noticeOn)) throw badRequest('notice_on_invalid', '通知日期不是有效日期', 'The notice date is not a valid date');
  const added = change.add ? checkRule(ctx, change.add) : null;
  const area = await ruleArea(db, staff, change.areaCode);
  const retiring = await rulesToRetire(db, area, change.retire ?? []);
  const before = await activeRulesAround(db, area);
  const retiredIds = new Set(retiring.map((r) => r.id));
  const after: ScopedRule[] = before.filter((r) => !retiredIds.has(r.id));
  if (added) {
    after.push({ id: NEW_RULE_ID, areaCode: area, priority: added.priority, originPrefix: added.origin_prefix, originLabel: added.origin_label,
      circumstance: added.circumstance, measure: added.measure, days: added.days, createdAt: new Date(8.64e15) });
  }
  const reports = await db.selectFrom('arrival_reports as r').innerJoin('persons as p', 'p.id', 'r.person_id')
    .select(['r.id', 'r.person_id', 'r.community_code', 'r.household_id', 'r.origin_code', 'r.origin_text', 'r.circumstance', 'r.arrival_on',
      'r.measure', 'r.measure_days', 'r.measure_until', 'r.rule_id', 'p.name'])
    .where('r.community_code', 'like', `${area}%`)
    // a report whose origin the retention purge removed keeps the measure it had (it ended long ago)
    .where('r.details_purged_at', 'is', null)
    .where((eb) => eb.or([eb('r.measure_until', '>=', today), eb('r.arrival_on', '>=', noticeOn)]))
    .orderBy('r.arrival_on').orderBy('r.id').execute();
  const covering = (rules: ScopedRule[], community: string) => rules.filter((r) => community.startsWith(r.areaCode));
  const out: Array<ChangedArrival & { householdId: string | null }> = [];
  for (const r of reports) {
    const facts = { originCode: r.origin_code, originText: r.origin_text, circumstance: r.circumstance, arrivalOn: r.arrival_on };
    const b = decideArrival(covering(before, r.community_code), facts);
    const a = decideArrival(covering(after, r.community_code), facts);
    if (a.measure === b.measure && a.days === b.days) continue;
    out.push({
      reportId: r.id, personId: r.person_id, maskedName: maskName(r.name), communityCode: r.community_code, originText: r.origin_text,
      arrivalOn: r.arrival_on, householdId: r.household_id,
      from: { measure: r.measure, days: r.measure_days, until: r.measure_until, ruleId: r.rule_id },
      to: { measure: a.measure, days: a.days, until: a.until, ruleId: a.ruleId },
    });
  }
  return { changed: out, added, retiring, noticeOn, area };
}

const strip = (c: ChangedArrival & { householdId?: string | null }): ChangedArrival => {
  const { householdId: _h, ...rest } = c;
  return rest;
};

/** Preview a rule change: the reported arrivals whose measure would change (old → new). Nothing is written but the audit row. */
export async function previewRuleChange(ctx: AppContext, staff: StaffUser, change: RuleChange, today = chinaDate()): Promise<ChangedArrival[]> {
  const r = await changedArrivals(ctx, ctx.db, staff, change, today);
  await audit(ctx.db, staffActor(staff), { action: 'arrival_rules.preview', areaCode: r.area,
    detail: { add: r.added, retire: change.retire ?? [], noticeOn: r.noticeOn, rows: r.changed.length } });
  return r.changed.map(strip);
}

/**
 * Apply a rule change: write the rule (added row, retired rows) and update exactly the reports the
 * preview lists (measure, days, until, rule), their key persons and person statuses (with `reason`),
 * in one transaction, audited. @returns the new rule (if any) and the changed arrivals.
 */
export async function applyRuleChange(ctx: AppContext, staff: StaffUser, change: RuleChange & { reason: string }, today = chinaDate()) {
  const reason = change.reason.trim();
  if (!reason || [...reason].length > 300) throw badRequest('reason_required', '请填写变更原因（不超过300字）', 'Please give a reason (at most 300 characters)');
  const actor: StatusActor = { kind: 'staff', id: staff.id, role: staff.role };
  return ctx.db.transaction().execute(async (trx) => {
    await lockAndCheckTwin(trx, await ruleArea(trx, staff, change.areaCode), change.add ? checkRule(ctx, change.add) : null);
    const r = await changedArrivals(ctx, trx, staff, change, today);
    let rule: RuleView | null = null;
    if (r.added) {
      const row = await trx.insertInto('arrival_rules').values({ ...r.added, city_code: r.area, created_by: staff.id })
        .returning(ruleCols).executeTakeFirstOrThrow();
      rule = ruleView(row);
    }
    if (r.retiring.length) {
      await trx.updateTable('arrival_rules').set({ retired_at: new Date() }).where('id', 'in', r.retiring.map((x) => x.id)).execute();
    }
    const changed = r.changed.map((c) => (c.to.ruleId === NEW_RULE_ID ? { ...c, to: { ...c.to, ruleId: rule!.id } } : c));
    if (changed.length) {
      // the reports in one statement (a row of arrays, one array a column)
      await sql`UPDATE arrival_reports r SET measure = v.m, measure_days = v.d, measure_until = v.u, rule_id = v.rule
        FROM (SELECT unnest(${changed.map((c) => c.reportId)}::uuid[]) AS id, unnest(${changed.map((c) => c.to.measure)}::text[]) AS m,
                     unnest(${changed.map((c) => c.to.days)}::int[]) AS d, unnest(${changed.map((c) => c.to.until)}::date[]) AS u,
                     unnest(${changed.map((c) => c.to.ruleId)}::uuid[]) AS rule) v
        WHERE r.id = v.id`.execute(trx);
    }
    await followMeasures(trx, changed.map((c) => ({ reportId: c.reportId, personId: c.personId, communityCode: c.communityCode,
      householdId: c.householdId, arrivalOn: c.arrivalOn, from: c.from.measure, to: { ...c.to } })), `报到规则变更：${reason}`, actor, today);
    const entries = changed.map((c) => ({ action: 'arrival.measure_change', personId: c.personId, areaCode: c.communityCode,
      detail: { reportId: c.reportId, from: c.from, to: c.to, reason } }));
    // in chunks: a statement carries at most 65,535 parameters (8 a row)
    for (let i = 0; i < entries.length; i += 1000) await audit(trx, staffActor(staff), ...entries.slice(i, i + 1000));
    await audit(trx, staffActor(staff), { action: 'arrival_rules.apply', areaCode: r.area,
      detail: { added: rule?.id ?? null, retired: r.retiring.map((x) => x.id), noticeOn: r.noticeOn, rows: changed.length, reason } });
    return { rule, changes: changed.map(strip) };
  });
}

// ---------------------------------------------------------------- reports

