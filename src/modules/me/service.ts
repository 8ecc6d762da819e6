/**
 * The resident's own page (我的, issue 2 §11): for each person on this phone, the full own data,
 * the current status with its reason and history, the check-ins of the retention period, and who
 * among staff has read the record and when (from the audit log). Plus the privacy notice.
 * Reading one's own record is not a staff read and is not written to the audit log.
 */
import { sql } from 'kysely';
import type { AppContext } from '../../context';
import type { Lang } from '../../lib/errors';
import { maskName } from '../../lib/mask';
import type { DeviceInfo } from '../persons/devices';
import { roleLabel, getStatuses, statusHistory, statusView } from '../status/service';
import { refusalLabel } from '../checkin/refusals';

/** Newest check-ins listed per person. */
export const MY_CHECKINS_LIMIT = 200;
/** Newest staff reads listed per person. */
export const MY_READS_LIMIT = 100;
/** Newest certificate events without a staff account (issue by the center, verifications by scanners) listed per person, apart from the staff reads so they cannot crowd them out. */
export const MY_CERT_EVENTS_LIMIT = 20;
const CERT_EVENTS = ['certificate.issue', 'certificate.verify'];
/** Newest bindings of this record to another phone by its phone number (residents.ts 'phone_match') listed per person. */
export const MY_PHONE_BINDS_LIMIT = 20;

const ACTION_LABELS: Record<string, [string, string]> = {
  'person.read': ['查看了登记信息', 'viewed the record'],
  'person.lookup': ['按证件号码查询', 'looked up by document number'],
  'person.register': ['登记了个人信息', 'registered the person'],
  'status.set': ['变更了状态', 'changed the status'],
  'device.bind': ['为手机绑定了证件', 'bound a phone to the document'],
  'device.unbind': ['解除了手机绑定', 'unbound a phone'],
  'checkins.export': ['导出了打卡记录', 'exported check-ins'],
  'fever_alert.resolve': ['复测体温并处置了发热预警', 're-measured and resolved a fever alert'],
  'gate.checkin': ['在卡点为您登记了出入', 'checked you in or out at a gate'],
  'card.issue': ['为您制作了通行卡', 'issued you a pass card'],
  'card.list': ['查看了您的通行卡', 'viewed your pass cards'],
  'card.print': ['下载了您的通行卡', 'printed your pass card'],
  'card.revoke': ['作废了您的通行卡', 'revoked your pass card'],
  'gate.scan': ['在卡点扫码核验了您的通行码', 'scanned your pass code at a gate'],
  // issue 4: cases, tracing, contacts under medical observation
  'case.register': ['登记了病例信息', 'registered a case'],
  'case.read': ['查看了病例信息', 'viewed the case record'],
  'case.status': ['变更了病例状态', 'changed the case status'],
  'case.correct': ['更正了病例信息', 'corrected the case record'],
  'trace.run': ['依据通行记录开展了流调追踪', 'traced visits from the check-in records'],
  // issue 6: health declarations
  'declaration.submit': ['为您提交了健康申报', 'submitted a health declaration for you'],
  'declaration.read': ['查看了您的健康申报', 'viewed your health declaration'],
  'declaration.step': ['办理了您的健康申报', 'took a step on your health declaration'],
  'certificate.issue': ['为您出具了健康申报证明', 'issued your health declaration certificate'],
  'certificate.print': ['下载了您的健康申报证明', 'printed your health declaration certificate'],
  'certificate.revoke': ['作废了您的健康申报证明', 'revoked your health declaration certificate'],
  'certificate.verify': ['扫码核验了您的健康申报证明', 'verified your health declaration certificate'],
  // issue 5: community reporting, key persons, households
  'arrival.report': ['为您登记了社区报到', 'reported your arrival'],
  'arrival.read': ['查看了您的社区报到信息', 'viewed your arrival report'],
  'arrival.measure_change': ['按新的管控规则调整了您的管控措施', 'changed your measure under new rules'],
  'keyperson.create': ['将您列为重点人员', 'listed you as a key person'],
  'keyperson.read': ['查看了您的重点人员档案', 'viewed your key-person record'],
  'keyperson.team': ['为您安排了“五包一”工作组', 'assigned your five-for-one team'],
  'keyperson.close': ['解除了对您的管控', 'ended your measure'],
  'household.member_add': ['将您登记为住户成员', 'added you to a household'],
  'household.member_remove': ['将您移出住户', 'removed you from a household'],
  'door_events.read': ['查看了门磁记录', 'viewed the door sensor record'],
  'task.create': ['为您安排了服务任务', 'created a task for you'],
  'task.state': ['办理了为您安排的任务', 'worked on a task for you'],
  'trace.read': ['查看了流调追踪结果', 'viewed a trace'],
  'trace.list': ['查看了流调追踪列表', 'listed the traces'],
  'trace.export': ['导出了流调追踪结果', 'exported a trace'],
  'trace.contacts': ['依据流调结果登记了密切接触者', 'registered contacts from a trace'],
  'contact.create': ['登记为密切接触者（医学观察）', 'registered a close contact under medical observation'],
  'contact.read': ['查看了医学观察信息', 'viewed the observation record'],
  'contact.exposure': ['更新了最后接触日期', 'updated the last exposure date'],
  'contact.exposure_corrected': ['更正了最后接触日期', 'corrected the last exposure date'],
  'contact.symptoms': ['记录了症状', 'recorded symptoms'],
  'contact.override': ['调整了医学观察结束日期', 'changed the end of observation'],
  'contact.override_reverted': ['撤销了结束日期调整', 'reverted the end-date change'],
  'contact.released': ['解除了医学观察', 'released from medical observation'],
};

/** An action without a label of its own: said plainly, never as a code. */
const OTHER_ACTION: [string, string] = ['处理了您的信息', 'handled your record'];
/** Who verifies a certificate: whoever scanned it (a checkpoint, an employer), no account. */
const VERIFIER: [string, string] = ['扫码核验方', 'someone scanning it'];
/** The center issuing a certificate (the server acting for it on the chief doctor's signature). */
const CENTER: [string, string] = ['社区卫生服务中心', 'the health service center'];
/** A phone that bound this record by giving its document, name and phone number (no account). */
const PHONE: [string, string] = ['一部手机', 'a phone'];
const PHONE_BIND: [string, string] = ['用您的证件和手机号码绑定了您的信息', 'bound your record with your document and phone number'];

/** The privacy notice of the resident pages (SPEC "Rules worth knowing": purpose and retention). */
export function privacyNotice(retentionDays: number, lang: Lang) {
  return lang === 'zh'
    ? {
      purpose: '仅用于疫情防控：出入登记、体温监测和密切接触者排查。',
      retentionDays,
      text: `您的出入记录保存${retentionDays}天后自动删除（正在进行的流调所需记录除外）。工作人员只能查看其负责区域内的人员信息，每次查看都会记录，您可以在本页看到谁在何时查看了您的信息。证件号码和手机号码不会出现在二维码或网址中。`,
    }
    : {
      purpose: 'Used for epidemic control only: entry registration, temperature checks and contact tracing.',
      retentionDays,
      text: `Your check-ins are deleted automatically after ${retentionDays} days (except those an open investigation needs). Staff see only persons of the area they are responsible for; every read is recorded, and this page shows who read your record and when. Document and phone numbers never appear in a QR code or a web address.`,
    };
}

/**
 * Everything the 我的 page shows for the persons of `device` ('self' first, then dependents).
 * Times are Date (serialized ISO, UTC); temperatures °C; labels in `lang`.
 */
export async function myPage(ctx: AppContext, device: DeviceInfo, lang: Lang) {
  const ids = device.persons.map((p) => p.id);
  if (ids.length === 0) return [];
  const li = lang === 'zh' ? 0 : 1;
  const rows = await ctx.db.selectFrom('persons').select(['id', 'name', 'doc_type', 'doc_masked']).where('id', 'in', ids).execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  const statuses = await getStatuses(ctx.db, ids);
  const since = new Date(Date.now() - ctx.config.RETENTION_DAYS * 86_400_000);
  return Promise.all(device.persons.filter((p) => byId.has(p.id)).map(async (dp) => {
    const p = byId.get(dp.id)!;
    const auditOf = () => ctx.db.selectFrom('audit_log').select(['at', 'actor_role', 'action']).where('person_id', '=', p.id);
    const [history, checkins, staffReads, certEvents, phoneBinds] = await Promise.all([
      statusHistory(ctx.db, p.id, lang),
      ctx.db.selectFrom('checkins as c').innerJoin('places as pl', 'pl.id', 'c.place_id')
        .innerJoin('checkpoints as cp', 'cp.id', 'c.checkpoint_id')
        .select(['c.id', 'c.at', 'pl.name as placeName', 'cp.name as checkpointName', 'c.direction', 'c.temperature',
          'c.outcome', 'c.refusal'])
        .where('c.person_id', '=', p.id).where('c.at', '>=', since)
        .orderBy('c.at', 'desc').limit(MY_CHECKINS_LIMIT).execute(),
      auditOf().where('actor_kind', '=', 'staff')
        .orderBy('at', 'desc').orderBy(sql`id`, 'desc').limit(MY_READS_LIMIT).execute(),
      auditOf().where('actor_kind', '=', 'system').where('action', 'in', CERT_EVENTS)
        .orderBy('at', 'desc').orderBy(sql`id`, 'desc').limit(MY_CERT_EVENTS_LIMIT).execute(),
      // a phone binding the record (LESSONS: a record taken over from another phone must show)
      auditOf().where('actor_kind', '=', 'resident').where('action', '=', 'device.bind').where(sql<boolean>`detail->>'via' = 'phone_match'`)
        .orderBy('at', 'desc').orderBy(sql`id`, 'desc').limit(MY_PHONE_BINDS_LIMIT).execute(),
    ]);
    const reads = [...staffReads, ...certEvents, ...phoneBinds].sort((a, b) => b.at.getTime() - a.at.getTime());
    return {
      id: p.id, name: p.name, maskedName: maskName(p.name), docType: p.doc_type, docMasked: p.doc_masked,
      relation: dp.relation,
      status: statusView(statuses.get(p.id)!, lang),
      statusHistory: history.map((h) => ({ status: h.status, label: h.label, reason: h.reason, role: h.role, roleLabel: h.roleLabel, at: h.at })),
      checkins: checkins.map((c) => ({
        ...c, temperature: c.temperature === null ? null : Number(c.temperature),
        refusalLabel: c.refusal ? refusalLabel(c.refusal, lang) : null,
      })),
      reads: reads.map((r) => ({
        at: r.at, actorRoleLabel: r.action === 'certificate.verify' ? VERIFIER[li] : r.action === 'certificate.issue' && r.actor_role === 'system' ? CENTER[li]
          : r.actor_role === 'resident' ? PHONE[li] : roleLabel(r.actor_role, lang), action: r.action,
        actionLabel: r.actor_role === 'resident' && r.action === 'device.bind' ? PHONE_BIND[li] : ACTION_LABELS[r.action]?.[li] ?? OTHER_ACTION[li],
      })),
    };
  }));
}
