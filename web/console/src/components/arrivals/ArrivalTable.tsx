/**
 * The arrival reports of an area (社区报到): masked name, community, origin, route, transport,
 * circumstance, arrival date, who reported (本人/代报) and the measure with its days and end date.
 * A row's 详情 button opens the report (ArrivalDrawer).
 */
import { Button, Table, Tag } from 'antd';
import { useLang, useT } from '../../i18n';
import { circumstanceLabel, measureColour, measureLabel, viaLabel, type ArrivalView } from './model';

export function ArrivalTable({ rows, loading, names, emptyText, onOpen }: {
  rows: ArrivalView[]; loading: boolean; names: Record<string, string>; emptyText: string; onOpen: (a: ArrivalView) => void;
}) {
  const t = useT();
  const { lang } = useLang();
  return (
    <Table<ArrivalView> rowKey="id" size="middle" loading={loading} dataSource={rows} scroll={{ x: 1200 }} data-testid="arrival-table"
      locale={{ emptyText }} pagination={{ pageSize: 50, showTotal: (n) => t(`共 ${n} 条`, `${n} reports`) }}
      columns={[
        { title: t('姓名', 'Name'), dataIndex: 'maskedName' },
        { title: t('社区', 'Community'), dataIndex: 'communityCode', render: (c: string) => names[c] ?? c },
        { title: t('来源地', 'Origin'), dataIndex: 'originText', render: (v: string, r) => (r.originCode ? `${v}（${r.originCode}）` : v) },
        { title: t('行程', 'Route'), dataIndex: 'route', ellipsis: true, render: (v: string) => v || '—' },
        { title: t('交通方式', 'Transport'), dataIndex: 'transport', render: (v: string) => v || '—' },
        { title: t('返回事由', 'Circumstance'), dataIndex: 'circumstance', render: (v: string) => circumstanceLabel(v, lang) },
        { title: t('抵达日期', 'Arrived on'), dataIndex: 'arrivalOn' },
        { title: t('报到方式', 'Reported'), dataIndex: 'reportedVia', render: (v: string) => viaLabel(v, lang) },
        {
          title: t('管控措施', 'Measure'), dataIndex: 'measure',
          render: (m: string, r) => <span data-testid="arrival-measure" style={{ whiteSpace: 'nowrap' }}><Tag color={measureColour(m)}>{measureLabel(m, lang)}</Tag>
            {m !== 'none' && t(`${r.measureDays} 天`, `${r.measureDays} days`)}</span>,
        },
        { title: t('截止日期', 'Until'), dataIndex: 'measureUntil', render: (v: string | null) => v ?? '—' },
        { title: '', key: 'open', render: (_: unknown, r) => <Button size="small" aria-label={`${t('详情', 'Details')} ${r.maskedName}`} onClick={() => onOpen(r)}>{t('详情', 'Details')}</Button> },
      ]} />
  );
}
