/**
 * Twice-daily observation reports (issue 5 §4): the person reports from the phone (source 'self',
 * device cookie) or the doctor records a visit (source 'doctor', 'observation.record'). One report
 * per key person, China date and slot (am / pm; a second answers 409 already_reported).
 * - fever (temperature ≥ FEVER_THRESHOLD_C) → raiseTeamTasks kind 'fever', causeKey `obs:<reportId>`
 *   (one task per team member);
 * - symptoms (or fever) on a person who is also a contact under observation → recordSymptoms of
 *   src/modules/contacts/changes.ts (the end-date rule), as the recording doctor, or for a self
 *   report as the team's doctor (no team doctor: the fever task is the doctor's prompt instead);
 * - missed reports: the job below raises 'missed_report' tasks once per key person, date and slot
 *   (causeKey `miss:<kp>:<date>:<slot>`) when no report exists by OBSERVATION_AM_DUE / PM_DUE.
 */
import type { Kysely, Transaction } from 'kysely';
import type { AppContext } from '../../context';
import type { DB } from '../../db/schema';
import { AppError, badRequest, conflict } from '../../lib/errors';
import { addDays, chinaDate, chinaDayStart } from '../../lib/time';
import { audit, type Actor } from '../audit/audit';
import { recordSymptoms } from '../contacts/changes';
import { deviceActor, type DeviceInfo } from '../persons/devices';
import { staffActor, type StaffUser } from '../staff/auth';
import type { Role } from '../staff/roles';
import type { Job } from '../system/jobs';
import { isFever } from '../checkin/temperature';
import { raiseTeamTasks } from './core';
import { resolveKeyPerson, unknownKeyPerson, type ResolvedKeyPerson } from './service';

type Db = Kysely<DB> | Transaction<DB>;

export const SYMPTOMS = ['cough', 'sore_throat', 'chest_tightness', 'shortness_of_breath', 'fatigue', 'diarrhoea', 'loss_of_smell', 'other'] as const;
export type Symptom = (typeof SYMPTOMS)[number];
const SYMPTOM_ZH: Record<Symptom, string> = {
  cough: '咳嗽', sore_throat: '咽痛', chest_tightness: '胸闷', shortness_of_breath: '气促', fatigue: '乏力', diarrhoea: '腹泻',
  loss_of_smell: '嗅觉味觉减退', other: '其他症状',
};

export interface ObservationInput { slot: 'am' | 'pm'; temperature: number | null; symptoms: Symptom[] }
export interface ObservationResult { reportId: string; keyPersonId: string; reportOn: string; fever: boolean; tasks: number; contactEndOn: string | null }

function checkInput(ctx: AppContext, o: ObservationInput) {
  if (o.temperature !== null && !(o.temperature >= 34 && o.temperature <= 42.5)) {
    throw badRequest('temperature_implausible', '体温须在34.0–42.5℃之间', 'The temperature must be between 34.0 and 42.5 °C');
  }
  if (o.temperature === null && o.symptoms.length === 0) throw badRequest('observation_empty', '请填写体温或症状', 'Give a temperature or symptoms');
  return o.temperature !== null && isFever(o.temperature, ctx.config);
}

/** Store one report of key person `kpId` and act on it (header). */
async function storeReport(ctx: AppContext, kp: { id: string; personId: string; communityCode: string; contactId: string | null }, o: ObservationInput, reportOn: string,
  by: { actor: Actor; staff: StaffUser | null }, fever: boolean): Promise<ObservationResult> {
  const symptoms = [...new Set(o.symptoms)];
  const r = await ctx.db.transaction().execute(async (trx) => {
    const row = await trx.insertInto('observation_reports').values({
      key_person_id: kp.id, report_on: reportOn, slot: o.slot, temperature: o.temperature === null ? null : Math.round(o.temperature * 10) / 10,
      symptoms: JSON.stringify(symptoms), source: by.staff ? 'doctor' : 'self', staff_id: by.staff?.id ?? null,
    }).onConflict((oc) => oc.columns(['key_person_id', 'report_on', 'slot']).doNothing()).returning('id').executeTakeFirst();
    if (!row) throw conflict('already_reported', `${reportOn}${o.slot === 'am' ? '上午' : '下午'}已报告`, `Already reported for ${reportOn} ${o.slot}`);
    const tasks = fever ? await raiseTeamTasks(trx, { keyPersonId: kp.id, kind: 'fever', causeKey: `obs:${row.id}`, urgent: true,
      title: `重点人员体温${o.temperature}℃（发热），请立即处置`, detail: { reportId: row.id, temperature: o.temperature, symptoms, slot: o.slot, reportOn } }) : [];
    await audit(trx, by.actor, { action: by.staff ? 'observation.record' : 'observation.self', personId: kp.personId, areaCode: by.staff?.areaCode ?? kp.communityCode,
      detail: { keyPersonId: kp.id, reportId: row.id, reportOn, slot: o.slot, temperature: o.temperature, symptoms, fever, tasks: tasks.length } });
    return { reportId: row.id, tasks: tasks.length };
  });
  let contactEndOn: string | null = null;
  if ((fever || symptoms.length > 0) && kp.contactId) {
    const doctor = by.staff ?? (await teamDoctor(ctx, kp.id));
    if (doctor) {
      const c = await ctx.db.selectFrom('contacts').select(['released_on', 'last_exposure_on']).where('id', '=', kp.contactId).executeTakeFirst();
      if (c && !c.released_on && reportOn >= c.last_exposure_on) {
        const words = [...(fever ? [`发热${o.temperature}℃`] : []), ...symptoms.map((s) => SYMPTOM_ZH[s])].join('、');
        const v = await recordSymptoms(ctx, doctor, kp.contactId, { on: reportOn, reason: `观察报告（${by.staff ? '医生随访' : '本人报告'}）：${words}` }, chinaDate());
        contactEndOn = v.endOn;
      }
    }
  }
  return { reportId: r.reportId, keyPersonId: kp.id, reportOn, fever, tasks: r.tasks, contactEndOn };
}

/** The doctor of key person `kpId`'s team as a StaffUser (active accounts only), or null. */
async function teamDoctor(ctx: AppContext, kpId: string): Promise<StaffUser | null> {
  const s = await ctx.db.selectFrom('care_team_members as m').innerJoin('staff as s', 's.id', 'm.staff_id')
    .select(['s.id', 's.username', 's.display_name', 's.role', 's.area_code', 's.checkpoint_id', 's.org_id'])
    .where('m.key_person_id', '=', kpId).where('m.team_role', '=', 'doctor').where('s.disabled_at', 'is', null).executeTakeFirst();
  return s ? { id: s.id, username: s.username, displayName: s.display_name, role: s.role as Role, areaCode: s.area_code, checkpointId: s.checkpoint_id,
    orgId: s.org_id, mustChangePassword: false } : null;
}

/**
 * A doctor's visit record for key person `id` (a key_persons id or a contact id) on `reportOn` (today by default).
 * @throws AppError 404; 400 temperature_implausible, observation_empty, report_on_invalid; 409 already_reported, key_person_closed.
 */
export async function recordVisit(ctx: AppContext, staff: StaffUser, id: string, o: ObservationInput & { reportOn?: string | null },
  today = chinaDate()): Promise<ObservationResult> {
  const fever = checkInput(ctx, o);
  const reportOn = o.reportOn ?? today;
  let valid = true;
  try { chinaDayStart(reportOn); } catch { valid = false; }
  if (!valid || reportOn > today || reportOn < addDays(today, -2)) {
    throw badRequest('report_on_invalid', '报告日期须为今天或前两天', 'The report date must be today or one of the two days before');
  }
  const kp = await ctx.db.transaction().execute((trx) => resolveKeyPerson(trx, staff.areaCode, id, { materialise: true, today }));
  if (!kp) throw unknownKeyPerson();
  if (kp.closed) throw conflict('key_person_closed', '该重点人员已解除管控', 'This key person is no longer under management');
  return storeReport(ctx, kp, o, reportOn, { actor: staffActor(staff), staff }, fever);
}

/**
 * The person's own report from the phone: `personId` must be on the device; the report is stored
 * for each open key person record of the person (a contact under observation included).
 * @throws AppError 401 device_unknown; 404 not_key_person; 400 as recordVisit; 409 already_reported.
 */
export async function selfReport(ctx: AppContext, device: DeviceInfo | null, personId: string, o: ObservationInput, today = chinaDate()): Promise<ObservationResult[]> {
  if (!device || device.persons.length === 0) {
    throw new AppError(401, 'device_unknown', { zh: '此手机尚未登记，请先扫描场所门口的二维码登记', en: 'This phone is not registered: scan the code at an entrance to register first' });
  }
  const fever = checkInput(ctx, o);
  const notKeyPerson = () => new AppError(404, 'not_key_person', { zh: '此人不在居家观察或重点人员管理中', en: 'This person is not under observation' });
  if (!device.persons.some((p) => p.id === personId)) throw notKeyPerson();
  const targets = await ctx.db.transaction().execute((trx) => openRecordsOf(trx, personId, today, true));
  if (targets.length === 0) throw notKeyPerson();
  const results: ObservationResult[] = [];
  for (const kp of targets) results.push(await storeReport(ctx, kp, o, today, { actor: deviceActor(device.deviceId), staff: null }, fever));
  return results;
}

/**
 * The open key-person records of `personId` on China date `today` that expect observation reports:
 * contacts under observation (their key_persons row made when `materialise`; else the contact id
 * stands in) and other open key persons from their day 0 (the day before day 1: an arrival's own day).
 */
export async function openRecordsOf(db: Db, personId: string, today: string, materialise: boolean): Promise<ResolvedKeyPerson[]> {
  const out = new Map<string, ResolvedKeyPerson>();
  const contacts = await db.selectFrom('contacts').select('id').where('person_id', '=', personId).where('released_on', 'is', null).execute();
  for (const c of contacts) {
    const kp = await resolveKeyPerson(db, '', c.id, { materialise, today });
    if (kp && !kp.closed) out.set(kp.id, kp);
  }
  const kps = await db.selectFrom('key_persons').select(['id']).where('person_id', '=', personId).where('source_kind', '<>', 'contact')
    .where((eb) => eb.or([eb('closed_on', 'is', null), eb('closed_on', '>', today)])).where('start_on', '<=', addDays(today, 1)).execute(); // from day 0, like a contact
  for (const k of kps) {
    const kp = await resolveKeyPerson(db, '', k.id, { materialise: false, today });
    if (kp && !kp.closed) out.set(kp.id, kp);
  }
  return [...out.values()];
}

/** Minutes after 00:00 of 'HH:MM'. */
const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * Raise 'missed_report' tasks for every slot due by `now` (today's am/pm when past due, and
 * yesterday's pm) on which a key person under observation, with a team, has no report. A key person
 * counts on a date when that date lies within its start..end (a contact: day 1..end, not released by
 * then) and it existed at the due time. At most once per key person, date and slot (causeKey).
 * @returns the number of tasks created now.
 */
export async function raiseMissedReports(ctx: AppContext, now: Date): Promise<number> {
  const today = chinaDate(now);
  const slots: Array<{ date: string; slot: 'am' | 'pm'; due: Date }> = [];
  const dueOf = (date: string, hhmm: string) => new Date(chinaDayStart(date).getTime() + minutesOf(hhmm) * 60_000);
  const yesterday = addDays(today, -1);
  slots.push({ date: yesterday, slot: 'pm', due: dueOf(yesterday, ctx.config.OBSERVATION_PM_DUE) });
  for (const [slot, hhmm] of [['am', ctx.config.OBSERVATION_AM_DUE], ['pm', ctx.config.OBSERVATION_PM_DUE]] as const) {
    const due = dueOf(today, hhmm);
    if (now.getTime() >= due.getTime()) slots.push({ date: today, slot, due });
  }
  let created = 0;
  for (const s of slots) {
    const rows = await ctx.db.selectFrom('key_persons as k')
      .leftJoin('contacts as c', (j) => j.onRef('c.id', '=', 'k.source_id').on('k.source_kind', '=', 'contact'))
      .select(['k.id'])
      .where('k.created_at', '<=', s.due)
      .where((eb) => eb.exists(eb.selectFrom('care_team_members as m').select('m.key_person_id').whereRef('m.key_person_id', '=', 'k.id')))
      .where((eb) => eb.not(eb.exists(eb.selectFrom('observation_reports as r').select('r.id').whereRef('r.key_person_id', '=', 'k.id')
        .where('r.report_on', '=', s.date).where('r.slot', '=', s.slot))))
      .where((eb) => eb.or([
        eb.and([eb('k.source_kind', '<>', 'contact'), eb('k.start_on', '<=', s.date),
          eb.or([eb('k.end_on', 'is', null), eb('k.end_on', '>=', s.date)]),
          eb.or([eb('k.closed_on', 'is', null), eb('k.closed_on', '>', s.date)])]),
        eb.and([eb('k.source_kind', '=', 'contact'), eb('c.last_exposure_on', '<', s.date), eb('c.end_on', '>=', s.date),
          eb.or([eb('c.released_on', 'is', null), eb('c.released_on', '>', s.date)])]),
      ]))
      .execute();
    for (const r of rows) {
      const ids = await raiseTeamTasks(ctx.db, { keyPersonId: r.id, kind: 'missed_report', causeKey: `miss:${r.id}:${s.date}:${s.slot}`,
        title: `${s.date}${s.slot === 'am' ? '上午' : '下午'}未报告体温，请联系核实`, detail: { date: s.date, slot: s.slot }, dueAt: null });
      created += ids.length;
    }
  }
  if (created > 0) ctx.log.info({ created }, 'missed observation reports: tasks raised');
  return created;
}

/** The scheduled job (src/modules/system/jobs.ts). */
export const MISSED_REPORT_JOB: Job = { name: 'keypersons.missed_reports', run: (ctx, now) => raiseMissedReports(ctx, now).then(() => undefined) };
