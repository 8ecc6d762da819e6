/**
 * Team tasks (issue 5 §3): each member sees only their own tasks ('tasks.work'); a member creates
 * registration / referral (就医送诊) / visit / living-service tasks for a key person of their own
 * team (for themselves or another member); only the assignee moves a task on. A living service
 * (groceries, medicine) is done only with an outcome (what was delivered). Audited.
 *
 * States: open → in_progress | done | cancelled; in_progress → done | cancelled; done and
 * cancelled are final (409 task_finished).
 */
import type { Kysely, Transaction } from 'kysely';
import type { AppContext } from '../../context';
import type { CareTaskKind, DB } from '../../db/schema';
import { badRequest, conflict, forbidden, notFound } from '../../lib/errors';
import { maskName } from '../../lib/mask';
import { chinaDate } from '../../lib/time';
import { audit } from '../audit/audit';
import { staffActor, type StaffUser } from '../staff/auth';
import { resolveKeyPerson, unknownKeyPerson } from './service';

type Db = Kysely<DB> | Transaction<DB>;
export type TaskState = 'open' | 'in_progress' | 'done' | 'cancelled';
export const MEMBER_TASK_KINDS = ['registration', 'referral', 'visit', 'living_service'] as const;

export interface TaskView {
  id: string; keyPersonId: string; personId: string; maskedName: string; communityCode: string; kind: CareTaskKind; title: string;
  detail: Record<string, unknown>; state: TaskState; dueAt: string | null; createdAt: string; doneAt: string | null; outcome: string | null;
  assigneeId: string | null; assigneeName: string | null;
}

const unknownTask = () => notFound('未找到该任务', 'Task not found');

function taskRows(db: Db) {
  return db.selectFrom('care_tasks as t').innerJoin('key_persons as k', 'k.id', 't.key_person_id').innerJoin('persons as p', 'p.id', 'k.person_id')
    .leftJoin('staff as a', 'a.id', 't.assignee_id')
    .select(['a.display_name as assignee_name', 't.id', 't.key_person_id', 'k.person_id', 'p.name', 't.community_code', 't.kind', 't.title', 't.detail', 't.state', 't.due_at',
      't.created_at', 't.done_at', 't.outcome', 't.assignee_id']);
}
type TaskRow = Awaited<ReturnType<ReturnType<typeof taskRows>['execute']>>[number];
const view = (r: TaskRow): TaskView => ({
  id: r.id, keyPersonId: r.key_person_id, personId: r.person_id, maskedName: maskName(r.name), communityCode: r.community_code, kind: r.kind,
  title: r.title, detail: (typeof r.detail === 'string' ? JSON.parse(r.detail) : r.detail) as Record<string, unknown>, state: r.state,
  dueAt: r.due_at ? r.due_at.toISOString() : null, createdAt: r.created_at.toISOString(), doneAt: r.done_at ? r.done_at.toISOString() : null,
  outcome: r.outcome, assigneeId: r.assignee_id, assigneeName: r.assignee_name,
});

/** The caller's own tasks (open and in progress by default), newest first. Audits 'tasks.list'. */
export async function myTasks(ctx: AppContext, staff: StaffUser, state: 'active' | 'done' | 'all' = 'active'): Promise<TaskView[]> {
  let q = taskRows(ctx.db).where('t.assignee_id', '=', staff.id);
  if (state === 'active') q = q.where('t.state', 'in', ['open', 'in_progress']);
  if (state === 'done') q = q.where('t.state', 'in', ['done', 'cancelled']);
  const rows = await q.orderBy('t.created_at', 'desc').orderBy('t.id').limit(2000).execute();
  await audit(ctx.db, staffActor(staff), { action: 'tasks.list', areaCode: staff.areaCode, detail: { state, rows: rows.length } });
  return rows.map(view);
}

/** Every task of key person `kpId` (all members), newest first; the caller has checked scope. */
export async function tasksOfKeyPerson(db: Db, kpId: string): Promise<TaskView[]> {
  return (await taskRows(db).where('t.key_person_id', '=', kpId).orderBy('t.created_at', 'desc').orderBy('t.id').limit(500).execute()).map(view);
}

/**
 * A task created by a team member for a key person of their team, assigned to themselves or to
 * `assigneeId` (another member of that team). Audits 'task.create'.
 * @throws AppError 404 key person; 403 not_team_member; 400 assignee_not_member, title_required; 409 key_person_closed.
 */
export async function createTask(ctx: AppContext, staff: StaffUser, b: {
  keyPersonId: string; kind: (typeof MEMBER_TASK_KINDS)[number]; title: string; note?: string | null; dueAt?: string | null; assigneeId?: string | null;
}, today = chinaDate()): Promise<TaskView> {
  const title = b.title.trim();
  if (!title || [...title].length > 200) throw badRequest('title_required', '请填写任务内容（不超过200字）', 'Give the task a title (at most 200 characters)');
  const due = b.dueAt ? new Date(b.dueAt) : null;
  if (due && Number.isNaN(due.getTime())) throw badRequest('due_at_invalid', '截止时间无效', 'The due time is not valid');
  return ctx.db.transaction().execute(async (trx) => {
    const kp = await resolveKeyPerson(trx, staff.areaCode, b.keyPersonId, { materialise: false, today });
    if (!kp) throw unknownKeyPerson();
    const members = await trx.selectFrom('care_team_members').select('staff_id').where('key_person_id', '=', kp.id).execute();
    const ids = new Set(members.map((m) => m.staff_id));
    if (!ids.has(staff.id)) throw forbidden('只有此人的五包一小组成员可以为其创建任务', 'Only a member of this person\'s team can create tasks for them');
    if (kp.closed) throw conflict('key_person_closed', '该重点人员已解除管控', 'This key person is no longer under management');
    const assignee = b.assigneeId ?? staff.id;
    if (!ids.has(assignee)) throw badRequest('assignee_not_member', '任务只能分派给此人的五包一小组成员', 'A task can only be assigned to a member of the team');
    const row = await trx.insertInto('care_tasks').values({
      key_person_id: kp.id, community_code: kp.communityCode, kind: b.kind, assignee_id: assignee, title,
      detail: JSON.stringify({ note: String(b.note ?? '').trim(), createdBy: staff.id }), due_at: due,
    }).returning('id').executeTakeFirstOrThrow();
    await audit(trx, staffActor(staff), { action: 'task.create', personId: kp.personId, areaCode: staff.areaCode,
      detail: { taskId: row.id, keyPersonId: kp.id, kind: b.kind, assigneeId: assignee } });
    return view(await taskRows(trx).where('t.id', '=', row.id).executeTakeFirstOrThrow());
  });
}

const NEXT: Record<TaskState, readonly TaskState[]> = { open: ['in_progress', 'done', 'cancelled'], in_progress: ['done', 'cancelled'], done: [], cancelled: [] };

/**
 * Move the caller's own task on (rules in the header). Audits 'task.state'.
 * @throws AppError 404 not the caller's task; 400 outcome_required (living service done without an
 *   outcome; also a cancel needs one); 409 task_finished, no_change.
 */
export async function setTaskState(ctx: AppContext, staff: StaffUser, taskId: string, b: { state: Exclude<TaskState, 'open'>; outcome?: string | null },
  now = new Date()): Promise<TaskView> {
  const outcome = String(b.outcome ?? '').trim();
  return ctx.db.transaction().execute(async (trx) => {
    const t = await trx.selectFrom('care_tasks').select(['id', 'state', 'kind', 'assignee_id', 'key_person_id']).where('id', '=', taskId)
      .forUpdate().executeTakeFirst();
    if (!t || t.assignee_id !== staff.id) throw unknownTask();
    if (t.state === b.state) throw conflict('no_change', '任务已是该状态', 'The task is already in that state');
    if (!NEXT[t.state].includes(b.state)) throw conflict('task_finished', '任务已完成或已取消', 'The task is already done or cancelled');
    if (b.state === 'done' && t.kind === 'living_service' && !outcome) {
      throw badRequest('outcome_required', '生活服务完成时须填写送达情况', 'A living service is done only with its outcome (what was delivered)');
    }
    if (b.state === 'cancelled' && !outcome) throw badRequest('outcome_required', '取消任务须填写原因', 'Cancelling a task needs a reason');
    const finished = b.state === 'done' || b.state === 'cancelled';
    await trx.updateTable('care_tasks').set({ state: b.state, ...(finished ? { done_at: now, done_by: staff.id } : {}), outcome: outcome || null })
      .where('id', '=', taskId).execute();
    const kp = await trx.selectFrom('key_persons').select('person_id').where('id', '=', t.key_person_id).executeTakeFirstOrThrow();
    await audit(trx, staffActor(staff), { action: 'task.state', personId: kp.person_id, areaCode: staff.areaCode,
      detail: { taskId, from: t.state, to: b.state, outcome: outcome || null } });
    return view(await taskRows(trx).where('t.id', '=', taskId).executeTakeFirstOrThrow());
  });
}
