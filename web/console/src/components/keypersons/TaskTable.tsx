/**
 * Team tasks as a table: kind (登记建档, 发热处置 …; system-raised kinds in red), title, masked name
 * linking to the key person (optional), assignee (optional), due and created in China time, state
 * and outcome; with `actions`, the assignee's buttons: 开始处理 / 完成 / 取消 (POST
 * /api/tasks/:id/state). Completing asks for the outcome (required for a living service, e.g.
 * "已送达"); cancelling asks for the reason (the server requires one).
 */
import { useState } from 'react';
import { Alert, App, Button, Input, Modal, Space, Table, Tag } from 'antd';
import { errorMessage, post } from '../../api';
import { useLang, useT } from '../../i18n';
import { chinaDateTime } from '../../format';
import { Link } from '../../router';
import { ALERT_KINDS, taskKindLabel, taskStateColour, taskStateLabel, type TaskView } from './model';

type Target = 'done' | 'cancelled';

function OutcomeModal({ task, target, onClose, onDone }: { task: TaskView; target: Target; onClose: () => void; onDone: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const required = target === 'cancelled' || task.kind === 'living_service';
  const submit = async () => {
    if (required && !text.trim()) { setError(target === 'cancelled' ? t('请填写取消原因', 'Give the reason') : t('请填写送达情况', 'Say what was delivered')); return; }
    setBusy(true); setError(null);
    try {
      await post(`/api/tasks/${task.id}/state`, { state: target, outcome: text.trim() || null });
      message.success(target === 'done' ? t('任务已完成', 'Task done') : t('任务已取消', 'Task cancelled'));
      onDone();
    } catch (e) { setError(errorMessage(e)); } finally { setBusy(false); }
  };
  const label = target === 'cancelled' ? t('取消原因', 'Reason')
    : task.kind === 'living_service' ? t('送达情况（如：已送达）', 'Outcome (e.g. delivered)') : t('处置结果（可选）', 'Outcome (optional)');
  return (
    <Modal open title={`${target === 'done' ? t('完成任务', 'Complete the task') : t('取消任务', 'Cancel the task')} · ${task.title}`}
      onCancel={onClose} onOk={() => void submit()} confirmLoading={busy} okText={t('确定', 'OK')} cancelText={t('返回', 'Back')} destroyOnHidden>
      <label htmlFor="task-outcome" style={{ display: 'block', marginBottom: 6 }}>{label}</label>
      <Input.TextArea id="task-outcome" aria-label={label} rows={2} maxLength={500} value={text} onChange={(e) => setText(e.target.value)}
        placeholder={task.kind === 'living_service' && target === 'done' ? t('已送达', 'Delivered') : undefined} />
      {error && <Alert type="error" showIcon style={{ marginTop: 12 }} title={error} />}
    </Modal>
  );
}

function Actions({ task, onChanged }: { task: TaskView; onChanged: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const [target, setTarget] = useState<Target | null>(null);
  const [busy, setBusy] = useState(false);
  if (task.state === 'done' || task.state === 'cancelled') return null;
  const start = async () => {
    setBusy(true);
    try { await post(`/api/tasks/${task.id}/state`, { state: 'in_progress' }); message.success(t('已开始处理', 'Started')); onChanged(); }
    catch (e) { message.error(errorMessage(e)); } finally { setBusy(false); }
  };
  return (
    <Space size={4} wrap>
      {task.state === 'open' && <Button size="small" loading={busy} onClick={() => void start()}>{t('开始处理', 'Start')}</Button>}
      <Button size="small" type="primary" onClick={() => setTarget('done')}>{t('完成', 'Done')}</Button>
      <Button size="small" danger onClick={() => setTarget('cancelled')}>{t('取消', 'Cancel')}</Button>
      {target && <OutcomeModal task={task} target={target} onClose={() => setTarget(null)} onDone={() => { setTarget(null); onChanged(); }} />}
    </Space>
  );
}

export function TaskTable({ rows, loading, emptyText, showPerson = true, showAssignee = false, actions = false, onChanged }: {
  rows: TaskView[]; loading: boolean; emptyText: string; showPerson?: boolean; showAssignee?: boolean; actions?: boolean; onChanged?: () => void;
}) {
  const t = useT();
  const { lang } = useLang();
  return (
    <div data-testid="task-table">
    <Table<TaskView> rowKey="id" size="middle" loading={loading} dataSource={rows} scroll={{ x: 1000 }}
      locale={{ emptyText }} pagination={{ pageSize: 50, hideOnSinglePage: true, showTotal: (n) => t(`共 ${n} 条`, `${n} tasks`) }}
      columns={[
        { title: t('类型', 'Kind'), dataIndex: 'kind', render: (v: string) => <Tag color={ALERT_KINDS.includes(v) ? 'red' : 'blue'}>{taskKindLabel(v, lang)}</Tag> },
        { title: t('任务', 'Task'), dataIndex: 'title' },
        ...(showPerson ? [{ title: t('重点人员', 'Key person'), dataIndex: 'maskedName', render: (v: string, r: TaskView) => <Link to={`/key-persons/${r.keyPersonId}`}>{v}</Link> }] : []),
        ...(showAssignee ? [{ title: t('负责人', 'Assignee'), key: 'assignee', render: (_: unknown, r: TaskView) => r.assigneeName ?? '—' }] : []),
        { title: t('截止时间', 'Due'), dataIndex: 'dueAt', render: (v: string | null) => (v ? chinaDateTime(v).slice(0, 16) : '—') },
        { title: t('创建时间', 'Created'), dataIndex: 'createdAt', render: (v: string) => chinaDateTime(v).slice(0, 16) },
        { title: t('状态', 'State'), dataIndex: 'state', render: (v: string) => <Tag color={taskStateColour(v)}>{taskStateLabel(v, lang)}</Tag> },
        { title: t('结果', 'Outcome'), dataIndex: 'outcome', render: (v: string | null) => v ?? '—' },
        ...(actions ? [{ title: '', key: 'actions', render: (_: unknown, r: TaskView) => <Actions task={r} onChanged={() => onChanged?.()} /> }] : []),
      ]} />
    </div>
  );
}
