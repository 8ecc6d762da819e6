/**
 * A door sensor's timeline (GET /api/sensors/:id/events, newest first, audited by the server): China
 * time as the API gives it, 开门 / 关门, battery %, link quality and the alert of the reading
 * (非约定时段开门 / 电量低) as a red badge.
 */
import { Button, Table, Tag } from 'antd';
import { get, qs } from '../../api';
import { useLang, useT } from '../../i18n';
import { ErrorBanner, useAsync, useEmptyText } from '../common';
import { doorAlertLabel, doorStateLabel, type DoorEvent, type Sensor } from './model';

export function DoorTimeline({ sensorId }: { sensorId: string }) {
  const t = useT();
  const { lang } = useLang();
  const empty = useEmptyText();
  const res = useAsync(() => get<{ sensor: Sensor; events: DoorEvent[] }>(`/api/sensors/${sensorId}/events${qs({ limit: 200 })}`), [sensorId]);
  return (
    <div data-testid="door-timeline">
      <ErrorBanner error={res.error} onRetry={res.reload} />
      <Table<DoorEvent> rowKey="id" size="small" loading={res.loading} dataSource={res.data?.events ?? []} pagination={{ pageSize: 20, hideOnSinglePage: true }}
        locale={{ emptyText: empty(res.error, t('尚未收到门磁信号', 'No reading received yet')) }}
        title={() => <Button size="small" onClick={res.reload}>{t('刷新', 'Refresh')}</Button>}
        columns={[
          { title: t('时间（北京时间）', 'Time (China)'), dataIndex: 'atChina' },
          { title: t('门', 'Door'), dataIndex: 'contact', render: (v: boolean | null) => (v === null ? '—' : <Tag color={v ? 'default' : 'orange'}>{doorStateLabel(v, lang)}</Tag>) },
          { title: t('电量', 'Battery'), dataIndex: 'battery', render: (v: number | null) => (v === null ? '—' : `${v}%`) },
          { title: t('信号质量', 'Link quality'), dataIndex: 'linkquality', render: (v: number | null) => (v === null ? '—' : v) },
          { title: t('预警', 'Alert'), dataIndex: 'alert', render: (v: string | null) => (v ? <Tag color="red">{doorAlertLabel(v, lang)}</Tag> : '') },
        ]} />
    </div>
  );
}
