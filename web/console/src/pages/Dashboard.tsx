/**
 * 数据看板 (permission checkins.read, issue 4 §5): per China day the entries, exits, refusals, fever
 * readings and fever alerts raised (ECharts), the range's totals, and the 20 busiest places, for an
 * area of the account's subtree and a date range. One source for every figure:
 * GET /api/checkins/dashboard, so the chart, the cards and the table agree (LESSONS "Figures that
 * disagree"). Entries follow the server's one rule (a two-way check counts once); each place's
 * entries link to the check-in list filtered to exactly those entries (kind=entries).
 */
import { useMemo, useState } from 'react';
import { Card, Col, Empty, Row, Space, Statistic, Table } from 'antd';
import { get, qs } from '../api';
import { useLang, useT } from '../i18n';
import { placeKindLabel } from '../format';
import { dashboardTotals, entriesListQuery, type DashboardData, type DashboardPlace } from '../figures';
import { AreaSelect } from '../components/AreaSelect';
import { DateRange, lastDays, type Range } from '../components/DateRange';
import { ErrorBanner, useEmptyText, PageTitle, useAsync } from '../components/common';
import { EChart, type EChartOption } from '../components/EChart';
import { Link } from '../router';

export default function DashboardPage() {
  const t = useT();
  const empty = useEmptyText();
  const { lang } = useLang();
  const [area, setArea] = useState<string | undefined>();
  const [range, setRange] = useState<Range>(() => lastDays(14));
  const res = useAsync(() => get<DashboardData>(`/api/checkins/dashboard${qs({ areaCode: area, from: range.from, to: range.to })}`),
    [area, range.from, range.to]);
  const days = res.data?.days ?? [];
  const places = res.data?.places ?? [];
  const total = useMemo(() => dashboardTotals(days), [days]);
  const loading = res.loading && !res.data;
  const listLink = (placeId?: string) => `/checkins${qs(entriesListQuery({ placeId, areaCode: area, from: range.from, to: range.to }))}`;

  const option = useMemo<EChartOption>(() => ({
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 48, right: 48, top: 40, bottom: 32 },
    xAxis: { type: 'category', data: days.map((d) => d.date.slice(5)) },
    yAxis: [
      { type: 'value', name: t('人次', 'Check-ins'), minInterval: 1 },
      { type: 'value', name: t('发热', 'Fever'), minInterval: 1, splitLine: { show: false } },
    ],
    series: [
      { name: t('进入', 'Entries'), type: 'bar', data: days.map((d) => d.entries), itemStyle: { color: '#1677ff' } },
      { name: t('离开', 'Exits'), type: 'bar', data: days.map((d) => d.exits), itemStyle: { color: '#91caff' } },
      { name: t('发热读数', 'Fever readings'), type: 'line', yAxisIndex: 1, data: days.map((d) => d.feverReadings), itemStyle: { color: '#fa8c16' }, smooth: false },
      { name: t('发热预警', 'Fever alerts'), type: 'line', yAxisIndex: 1, data: days.map((d) => d.feverAlerts), itemStyle: { color: '#cf1322' }, smooth: false },
    ],
  }), [days, t]);

  const noData = !res.loading && !res.error && days.every((d) => d.entries + d.exits + d.refused + d.feverAlerts === 0);
  return (
    <div>
      <PageTitle title={t('数据看板', 'Dashboard')} extra={<>
        <AreaSelect value={area} onChange={setArea} aria-label={t('区域', 'Area')} placeholder={t('全部辖区（可选择区域）', 'Whole area (choose to narrow)')} />
        <DateRange value={range} onChange={setRange} />
      </>}>
        {t('按中国标准时间（UTC+8）统计每日数据', 'Days are China Standard Time (UTC+8)')}
      </PageTitle>
      <ErrorBanner error={res.error} onRetry={res.reload} />
      <Row gutter={[16, 16]}>
        {([
          ['entries', <Space key="e" size={8}>{t('进入人次', 'Entries')}<Link to={listLink()}>{t('明细', 'List')}</Link></Space>, total.entries, undefined],
          ['exits', t('离开人次', 'Exits'), total.exits, undefined],
          ['refused', t('禁止通行', 'Refused'), total.refused, '#d46b08'],
          ['feverReadings', t('发热读数', 'Fever readings'), total.feverReadings, '#d46b08'],
          ['feverAlerts', t('发热预警', 'Fever alerts'), total.feverAlerts, '#cf1322'],
        ] as const).map(([key, label, value, color]) => (
          <Col key={key} xs={12} md={8} xl={4}>
            <Card loading={loading}><Statistic title={label} value={value} styles={{ content: { color } }} /></Card>
          </Col>
        ))}
        <Col span={24}>
          <Card title={t('每日通行与发热', 'Check-ins and fever per day')} loading={loading}>
            {noData
              ? <Empty description={t('所选范围内暂无通行记录', 'No check-ins in this range')} />
              : <EChart option={option} label={t('每日进入、离开人次及发热读数、发热预警数柱状折线图', 'Bar and line chart of entries, exits, fever readings and fever alerts per day')} />}
          </Card>
        </Col>
        <Col span={24}>
          <Card title={t('通行最多的场所（前20）', 'Busiest places (top 20)')}>
            <Table<DashboardPlace> rowKey="placeId" size="middle" loading={res.loading} dataSource={places} pagination={false}
              locale={{ emptyText: empty(res.error, t('暂无数据', 'No data')) }} scroll={{ x: 720 }}
              columns={[
                { title: '#', width: 56, render: (_: unknown, __: DashboardPlace, i: number) => i + 1 },
                { title: t('场所', 'Place'), dataIndex: 'name' },
                { title: t('社区', 'Community'), dataIndex: 'communityName' },
                { title: t('类型', 'Kind'), dataIndex: 'kind', render: (v: string) => placeKindLabel(v, lang) },
                { title: t('进入', 'Entries'), dataIndex: 'entries', align: 'right', render: (v: number, r) => <Link to={listLink(r.placeId)}>{v}</Link> },
                { title: t('离开', 'Exits'), dataIndex: 'exits', align: 'right' },
                { title: t('禁止通行', 'Refused'), dataIndex: 'refused', align: 'right' },
                { title: t('发热', 'Fever'), dataIndex: 'feverReadings', align: 'right', render: (v: number) => (v ? <span style={{ color: '#cf1322', fontWeight: 600 }}>{v}</span> : v) },
              ]} />
            <Space style={{ marginTop: 8 }}><span style={{ color: '#888' }}>{t(
              '统计口径：进入=通行的进入人次，双向核验（居民扫码＋值守扫码）只计一次；禁止通行含发热；发热读数=体温达到发热标准的次数；发热预警=当日发出的预警数',
              'Entries = passed entries, a two-way check (resident scan + guard scan) counted once; refused includes fever; fever readings = readings at or above the threshold; fever alerts = alerts raised that day')}</span></Space>
          </Card>
        </Col>
      </Row>
    </div>
  );
}
