/**
 * 社区报到 reports (issue 5 §1, SPEC S3): a report by the resident's phone or entered by staff is
 * matched against the active rules of its destination community (./service.ts, ./rules.ts), stored
 * with the rule it got, and followed by its key person and person status (followMeasures).
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import { originCodeFromText } from './origin';
import type { AppContext } from '../../context';
import type { Circumstance, DB } from '../../db/schema';
import { badRequest, conflict, notFound } from '../../lib/errors';
import { maskName } from '../../lib/mask';
import { chinaDate } from '../../lib/time';
import { audit, type Actor } from '../audit/audit';
import { isPlausibleDay, notBeforeBirth, pastDate } from '../cases/rules';
import { listArea } from '../cases/queries';
import { registerPerson, personInScope } from '../persons/service';
import type { PersonBody } from '../persons/input';
import { staffActor, type StaffUser } from '../staff/auth';
import { decideArrival, type ArrivalMeasure } from './rules';

type Db = Kysely<DB> | Transaction<DB>;

import { activeRulesFor, ARRIVAL_LIST_MAX } from './service';
import { followMeasures } from './follow';
import { MEASURE_LABELS } from './rules';

const unknownReport = () => notFound('未找到该报到记录', 'Arrival report not found');
const unknownPerson = () => notFound('未找到该人员', 'Person not found');

export interface ArrivalInput {
  communityCode: string; householdId?: string | null; originCode?: string | null; originText: string; route?: string;
  transport?: string; circumstance: Circumstance; arrivalOn: string;
}
export interface ArrivalView {
  id: string; personId: string; maskedName: string; communityCode: string; householdId: string | null; originCode: string | null;
  originText: string; route: string; transport: string; circumstance: Circumstance; arrivalOn: string; reportedVia: 'self' | 'staff';
  ruleId: string | null; measure: ArrivalMeasure; measureLabel: string; measureDays: number; measureUntil: string | null; createdAt: string;
  /** When the retention purge removed origin, route and transport (keypersons/retention.ts), or null. */
  detailsPurgedAt: string | null;
}

function reportRows(db: Db) {
  return db.selectFrom('arrival_reports as r').innerJoin('persons as p', 'p.id', 'r.person_id')
    .select(['r.id', 'r.person_id', 'p.name', 'r.community_code', 'r.household_id', 'r.origin_code', 'r.origin_text', 'r.route', 'r.transport',
      'r.circumstance', 'r.arrival_on', 'r.reported_via', 'r.rule_id', 'r.measure', 'r.measure_days', 'r.measure_until', 'r.created_at', 'r.details_purged_at']);
}
type ReportRow = Awaited<ReturnType<ReturnType<typeof reportRows>['execute']>>[number];
function reportView(r: ReportRow): ArrivalView {
  return {
    id: r.id, personId: r.person_id, maskedName: maskName(r.name), communityCode: r.community_code, householdId: r.household_id,
    originCode: r.origin_code, originText: r.origin_text, route: r.route, transport: r.transport, circumstance: r.circumstance,
    arrivalOn: r.arrival_on, reportedVia: r.reported_via, ruleId: r.rule_id, measure: r.measure, measureLabel: MEASURE_LABELS[r.measure],
    measureDays: r.measure_days, measureUntil: r.measure_until, createdAt: r.created_at.toISOString(),
    detailsPurgedAt: r.details_purged_at?.toISOString() ?? null,
  };
}

/** Validate the report fields. @throws 400 with the field's own code. */
async function checkArrival(db: Db, a: ArrivalInput, today: string) {
  pastDate(a.arrivalOn, today, 'arrival_on', { zh: '抵达日期', en: 'The arrival date' });
  const text = a.originText.trim();
  if (!text || [...text].length > 60) throw badRequest('origin_text_invalid', '来源地须为1至60字', 'The origin must have 1 to 60 characters');
  if ([...(a.route ?? '')].length > 300) throw badRequest('route_too_long', '行程不能超过300字', 'The route is longer than 300 characters');
  if ([...(a.transport ?? '')].length > 60) throw badRequest('transport_too_long', '交通方式不能超过60字', 'The transport is longer than 60 characters');
  if (a.originCode != null && !/^\d{2,12}$/.test(a.originCode)) throw badRequest('origin_code_invalid', '来源地区划代码无效', 'The origin area code is invalid');
  if (!/^\d{12}$/.test(a.communityCode)) throw badRequest('community_invalid', '请选择到达的社区', 'Choose the destination community');
  const area = await db.selectFrom('areas').select('code').where('code', '=', a.communityCode).executeTakeFirst();
  if (!area) throw badRequest('community_invalid', '请选择到达的社区', 'Choose the destination community');
  if (a.householdId) {
    const h = await db.selectFrom('households').select('community_code').where('id', '=', a.householdId).executeTakeFirst();
    if (!h || h.community_code !== a.communityCode) throw badRequest('household_mismatch', '该住户不在所选社区', 'The household is not in that community');
  }
  return { text, route: (a.route ?? '').trim(), transport: (a.transport ?? '').trim() };
}

/**
 * Store a report and follow its measure (header). `who` is the reporting phone or staff account.
 * @throws AppError 400 arrival_on_invalid / _in_future / _before_birth, origin_text_invalid, origin_code_invalid,
 *   community_invalid, household_mismatch, route_too_long, transport_too_long; 409 arrival_exists.
 */
export async function storeReport(ctx: AppContext, trx: Transaction<DB>, personId: string, a: ArrivalInput,
  who: { via: 'self'; actor: Actor } | { via: 'staff'; staff: StaffUser }, today: string): Promise<ArrivalView> {
  const v = await checkArrival(trx, a, today);
  const born = await trx.selectFrom('persons').select('birth_date').where('id', '=', personId).executeTakeFirst();
  notBeforeBirth(a.arrivalOn, born?.birth_date, 'arrival_on', { zh: '抵达日期', en: 'The arrival date' });
  // an origin typed as text gets its area code, so code-keyed rules match it (./origin.ts)
  const originCode = a.originCode ?? originCodeFromText(v.text);
  // one report a person, arrival day, origin and community: a double submit is refused, not stored twice
  await sql`SELECT pg_advisory_xact_lock(hashtext(${`arrival:${personId}`}))`.execute(trx);
  const twin = await trx.selectFrom('arrival_reports').select('id').where('person_id', '=', personId).where('arrival_on', '=', a.arrivalOn)
    .where('community_code', '=', a.communityCode)
    // a report whose origin the retention purge removed may have been this one: refused as well
    .where((eb) => eb.or([eb('origin_text', '=', v.text), eb('details_purged_at', 'is not', null)])).executeTakeFirst();
  if (twin) throw conflict('arrival_exists', '此人当日自该地的报到已登记', 'This arrival (same person, day and origin) is reported already');
  const decision = decideArrival(await activeRulesFor(trx, a.communityCode),
    { originCode, originText: v.text, circumstance: a.circumstance, arrivalOn: a.arrivalOn });
  const row = await trx.insertInto('arrival_reports').values({
    person_id: personId, community_code: a.communityCode, household_id: a.householdId ?? null, origin_code: originCode,
    origin_text: v.text, route: v.route, transport: v.transport, circumstance: a.circumstance, arrival_on: a.arrivalOn,
    reported_via: who.via, reported_by: who.via === 'staff' ? who.staff.id : null, rule_id: decision.ruleId, measure: decision.measure,
    measure_days: decision.days, measure_until: decision.until,
  }).returning('id').executeTakeFirstOrThrow();
  const actor: Actor = who.via === 'staff' ? staffActor(who.staff) : who.actor;
  await followMeasures(trx, [{ reportId: row.id, personId, communityCode: a.communityCode, householdId: a.householdId ?? null,
    arrivalOn: a.arrivalOn, from: null, to: decision }], `社区报到：自${v.text}抵达（${a.arrivalOn}）`,
  who.via === 'staff' ? { kind: 'staff', id: who.staff.id, role: who.staff.role } : { kind: 'system', id: null, role: 'system' }, today);
  await audit(trx, actor, { action: 'arrival.report', personId, areaCode: a.communityCode,
    detail: { reportId: row.id, via: who.via, measure: decision.measure, ruleId: decision.ruleId, until: decision.until } });
  return reportView(await reportRows(trx).where('r.id', '=', row.id).executeTakeFirstOrThrow());
}

/**
 * Staff enter a report (arrivals.report) for a person in scope (`personId`) or one registered on the
 * spot by document (`person`, via registerPerson). The destination community must lie in scope.
 * An existing document binds only when the name matches (else 409 document_name_mismatch, nothing written).
 * @throws AppError 404 person / community out of scope; 400 person_required and storeReport's; 409 document_name_mismatch.
 */
export async function reportByStaff(ctx: AppContext, staff: StaffUser, body: ArrivalInput & { personId?: string; person?: PersonBody },
  today = chinaDate()): Promise<{ arrival: ArrivalView; personCreated: boolean }> {
  if (Boolean(body.personId) === Boolean(body.person)) {
    throw badRequest('person_required', '请指定其一：已登记人员（personId）或证件登记（person）', 'Give exactly one: a registered person (personId) or a person to register (person)');
  }
  if (!body.communityCode.startsWith(staff.areaCode)) throw notFound('该社区不在您的管辖范围', 'Community outside your scope');
  return ctx.db.transaction().execute(async (trx) => {
    let personId: string;
    let personCreated = false;
    if (body.personId) {
      if (!(await personInScope(trx, staff.areaCode, body.personId))) throw unknownPerson();
      personId = body.personId;
    } else {
      const reg = await registerPerson(ctx, body.person!, 'staff', staffActor(staff), trx);
      if (!reg.created) {
        // an existing document: only the person it belongs to (same name as on the card in hand)
        const known = await trx.selectFrom('persons').select('name').where('id', '=', reg.id).executeTakeFirstOrThrow();
        if (known.name.normalize('NFC').trim() !== body.person!.name.normalize('NFC').trim()) {
          throw conflict('document_name_mismatch', '该证件号码已登记在另一姓名下，请核对证件', 'This document is registered under another name: check the document');
        }
      }
      personId = reg.id;
      personCreated = reg.created;
    }
    const arrival = await storeReport(ctx, trx, personId, body, { via: 'staff', staff }, today);
    return { arrival, personCreated };
  });
}

/** The resident reports for a person on this phone (`persons` from the device). @throws 404 person not on the phone. */
export async function reportBySelf(ctx: AppContext, device: { deviceId: string; persons: { id: string }[] }, actor: Actor,
  body: ArrivalInput & { personId?: string }, today = chinaDate()): Promise<ArrivalView> {
  const personId = body.personId ?? device.persons[0]?.id;
  if (!personId || !device.persons.some((p) => p.id === personId)) throw unknownPerson();
  return ctx.db.transaction().execute((trx) => storeReport(ctx, trx, personId, body, { via: 'self', actor }, today));
}

export interface ArrivalFilter { areaCode?: string; from?: string; to?: string; measure?: ArrivalMeasure }

/** Reports of an area by arrival date (audited 'arrivals.list'). @throws 404 area out of scope, 400 dates. */
export async function listArrivals(ctx: AppContext, staff: StaffUser, f: ArrivalFilter): Promise<ArrivalView[]> {
  const area = listArea(staff, f.areaCode);
  for (const d of [f.from, f.to]) if (d !== undefined && !isPlausibleDay(d)) throw badRequest('date_invalid', '日期无效', 'Invalid date');
  let q = reportRows(ctx.db).where('r.community_code', 'like', `${area}%`);
  if (f.from) q = q.where('r.arrival_on', '>=', f.from);
  if (f.to) q = q.where('r.arrival_on', '<=', f.to);
  if (f.measure) q = q.where('r.measure', '=', f.measure);
  const rows = await q.orderBy('r.arrival_on', 'desc').orderBy('r.id').limit(ARRIVAL_LIST_MAX).execute();
  await audit(ctx.db, staffActor(staff), { action: 'arrivals.list', areaCode: area,
    detail: { from: f.from ?? null, to: f.to ?? null, measure: f.measure ?? null, rows: rows.length } });
  return rows.map(reportView);
}

/** One report (audited 'arrival.read'). @throws 404 unknown or out of scope. */
export async function arrivalDetail(ctx: AppContext, staff: StaffUser, id: string): Promise<ArrivalView> {
  const row = await reportRows(ctx.db).where('r.id', '=', id).where('r.community_code', 'like', `${staff.areaCode}%`).executeTakeFirst();
  if (!row) throw unknownReport();
  await audit(ctx.db, staffActor(staff), { action: 'arrival.read', personId: row.person_id, areaCode: row.community_code, detail: { reportId: id } });
  return reportView(row);
}

