/**
 * 我的任务 /console/tasks (permission tasks.work): the caller's own team tasks (GET
 * /api/tasks/mine?state=active|done|all, audited by the server), each with kind, title, masked
 * name linking to the key person, due (China time) and state, and the assignee's actions
 * (start / done with the outcome / cancel with a reason; components/keypersons/TaskTable.tsx).
 * 新建任务 creates a task for a key person of the caller's team (NewTask.tsx).
 */
import { useState } from 'react';
import { App, Button, Card, Space, Statistic } from 'antd';
import { get } from '../api';
import { useEvent } from '../events';
import { useT } from '../i18n';
import { ErrorBanner, PageTitle, useAsync, useEmptyText } from '../components/common';
import { TaskTable } from '../components/keypersons/TaskTable';
import { NewTask } from '../components/keypersons/NewTask';
import { ALERT_KINDS, type TaskView } from '../components/keypersons/model';

type State = 'active' | 'done' | 'all';

export default function TasksPage() {
  const t = useT();
  const empty = useEmptyText();
  const { message } = App.useApp();
  const [state, setState] = useState<State>('active');
  const [creating, setCreating] = useState(false);
  const res = useAsync(() => get<{ tasks: TaskView[] }>(`/api/tasks/mine?state=${state}`).then((r) => r.tasks), [state]);
  // a door-sensor alert raises tasks for the team: show them without waiting for 刷新
  useEvent('sensor_alert', () => res.reload());
  const rows = res.data ?? [];
  const active = rows.filter((r) => r.state === 'open' || r.state === 'in_progress');
  const urgent = active.filter((r) => ALERT_KINDS.includes(r.kind)).length;
  return (
    <div>
      <PageTitle title={t('我的任务', 'My tasks')} extra={<Button type="primary" onClick={() => setCreating(true)}>{t('新建任务', 'New task')}</Button>}>
        {t('五包一小组分派给本人的任务；时间均为北京时间', 'Tasks of your five-for-one teams assigned to you; times are China time')}
      </PageTitle>
      <Card style={{ marginBottom: 16 }}>
        <Space wrap>
          <select className="native-select" aria-label={t('任务状态', 'Task state')} style={{ width: 140 }} value={state} onChange={(e) => setState(e.target.value as State)}>
            <option value="active">{t('待办', 'Active')}</option>
            <option value="done">{t('已办结', 'Finished')}</option>
            <option value="all">{t('全部', 'All')}</option>
          </select>
          <Button onClick={res.reload}>{t('刷新', 'Refresh')}</Button>
        </Space>
      </Card>
      <ErrorBanner error={res.error} onRetry={res.reload} />
      <Space size="large" wrap style={{ marginBottom: 16 }}>
        <Statistic title={t('列表条数', 'Listed')} value={rows.length} />
        <Statistic title={t('待办', 'Active')} value={active.length} />
        <Statistic title={t('告警类待办', 'Alerts to handle')} value={urgent} styles={{ content: { color: urgent ? '#cf1322' : undefined } }} />
      </Space>
      <Card>
        <TaskTable rows={rows} loading={res.loading} actions onChanged={res.reload}
          emptyText={empty(res.error, state === 'active' ? t('当前没有待办任务', 'Nothing to do') : t('没有任务', 'No tasks'))} />
      </Card>
      <NewTask open={creating} onClose={() => setCreating(false)} onCreated={() => { setCreating(false); message.success(t('任务已创建', 'Task created')); res.reload(); }} />
    </div>
  );
}
