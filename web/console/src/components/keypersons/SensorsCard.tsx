/**
 * Door sensors (电子门磁) of a key person's household, as GET /api/key-persons/:id gives them (bound
 * first): device, bound / unbound, door state, last seen (China time), battery (red under 20 %),
 * agreed windows. Binding and unbinding happen on the household page (/households).
 */
import { Card, Table, Tag } from 'antd';
import { useT } from '../../i18n';
import { chinaDateTime } from '../../format';
import { Link } from '../../router';
import { useSession } from '../../session';
import type { SensorView } from './model';

export function SensorsCard({ rows }: { rows: SensorView[] }) {
  const t = useT();
  const { can } = useSession();
  return (
    <Card title={t('电子门磁', 'Door sensors')} extra={can('sensors.manage') && <Link to="/households">{t('到住户页绑定门磁', 'Bind on the households page')}</Link>}>
      <div data-testid="kp-sensors">
      <Table<SensorView> rowKey="id" size="small" dataSource={rows} pagination={false}
        locale={{ emptyText: t('该户未绑定门磁', 'No door sensor for this household') }}
        columns={[
          { title: t('设备', 'Device'), dataIndex: 'device' },
          {
            title: t('绑定状态', 'Binding'), key: 'bound', render: (_: unknown, r) => (r.unboundAt
              ? <Tag>{t(`已解绑 ${chinaDateTime(r.unboundAt).slice(0, 16)}`, `Unbound ${chinaDateTime(r.unboundAt).slice(0, 16)}`)}</Tag>
              : <Tag color="green">{t(`已绑定 ${chinaDateTime(r.boundAt).slice(0, 16)}`, `Bound ${chinaDateTime(r.boundAt).slice(0, 16)}`)}</Tag>),
          },
          { title: t('门状态', 'Door'), dataIndex: 'contact', render: (v: boolean | null) => (v === null ? '—' : v ? t('关闭', 'Closed') : <Tag color="orange">{t('开启', 'Open')}</Tag>) },
          { title: t('最后在线', 'Last seen'), dataIndex: 'lastSeenAt', render: (v: string | null) => (v ? chinaDateTime(v) : t('从未上报', 'Never')) },
          { title: t('电量', 'Battery'), dataIndex: 'battery', render: (v: number | null) => (v === null ? '—' : <span style={v < 20 ? { color: '#cf1322' } : undefined}>{`${v}%`}</span>) },
          { title: t('约定开门时段', 'Agreed windows'), dataIndex: 'windows', render: (w: SensorView['windows']) => (w.length ? w.map((x) => `${x.from}–${x.to}${x.note ? ` ${x.note}` : ''}`).join('；') : '—') },
        ]} />
      </div>
    </Card>
  );
}
