/**
 * 数据看板 (permission checkins.read): entries per China day and fever readings per day (ECharts),
 * totals, and the busiest places, for an area of the account's subtree and a date range. One
 * source for every figure: GET /api/checkins/counts (per place per day), so chart, table and
 * totals always agree (LESSONS "Figures that disagree").
 */
import { useMemo, useState } from 'react';
import { Card, Col, Empty, Row, Space, Statistic, Table } from 'antd';
import { get, qs } from '../api';
import { useLang, useT } from '../i18n';
import { placeKindLabel } from '../format';
import { sumByDay, sumByPlace, type CountRow, type PlaceSum } from '../figures';
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
  const counts = useAsync(() => get<{ from: string; to: string; rows: CountRow[] }>(`/api/checkins/counts${qs({ areaCode: area, from: range.from, to: range.to })}`),
    [area, range.from, range.to]);
  const rows = counts.data?.rows ?? [];
  const days = useMemo(() => sumByDay(rows, range), [rows, range]);
  const places = useMemo(() => sumByPlace(rows), [rows]);
  const total = days.reduce((a, d) => ({ entries: a.entries + d.entries, exits: a.exits + d.exits, refused: a.refused + d.refused, fevers: a.fevers + d.fevers }),
    { entries: 0, exits: 0, refused: 0, fevers: 0 });

  const option = useMemo<EChartOption>(() => ({
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 48, right: 48, top: 40, bottom: 32 },
    xAxis: { type: 'category', data: days.map((d) => d.day.slice(5)) },
    yAxis: [
      { type: 'value', name: t('人次', 'Check-ins'), minInterval: 1 },
      { type: 'value', name: t('发热', 'Fever'), minInterval: 1, splitLine: { show: false } },
    ],
    series: [
      { name: t('进入', 'Entries'), type: 'bar', data: days.map((d) => d.entries), itemStyle: { color: '#1677ff' } },
      { name: t('离开', 'Exits'), type: 'bar', data: days.map((d) => d.exits), itemStyle: { color: '#91caff' } },
      { name: t('发热预警', 'Fever alerts'), type: 'line', yAxisIndex: 1, data: days.map((d) => d.fevers), itemStyle: { color: '#cf1322' }, smooth: false },
    ],
  }), [days, t]);

  return (
    <div>
      <PageTitle title={t('数据看板', 'Dashboard')} extra={<>
        <AreaSelect value={area} onChange={setArea} aria-label={t('区域', 'Area')} placeholder={t('全部辖区（可选择区域）', 'Whole area (choose to narrow)')} />
        <DateRange value={range} onChange={setRange} />
      </>}>
        {t('按中国标准时间（UTC+8）统计每日数据', 'Days are China Standard Time (UTC+8)')}
      </PageTitle>
      <ErrorBanner error={counts.error} onRetry={counts.reload} />
      <Row gutter={[16, 16]}>
        {[
          [t('进入人次', 'Entries'), total.entries, undefined],
          [t('离开人次', 'Exits'), total.exits, undefined],
          [t('禁止通行', 'Refused'), total.refused, '#d46b08'],
          [t('发热预警', 'Fever alerts'), total.fevers, '#cf1322'],
        ].map(([label, value, color]) => (
          <Col key={label as string} xs={12} md={6}>
            <Card loading={counts.loading && !counts.data}><Statistic title={label as string} value={value as number} styles={{ content: { color: color as string | undefined } }} /></Card>
          </Col>
        ))}
        <Col span={24}>
          <Card title={t('每日通行与发热预警', 'Check-ins and fever alerts per day')} loading={counts.loading && !counts.data}>
            {rows.length === 0 && !counts.loading && !counts.error
              ? <Empty description={t('所选范围内暂无通行记录', 'No check-ins in this range')} />
              : <EChart option={option} label={t('每日进入、离开人次及发热预警数柱状折线图', 'Bar and line chart of entries, exits and fever alerts per day')} />}
          </Card>
        </Col>
        <Col span={24}>
          <Card title={t('通行最多的场所', 'Busiest places')}>
            <Table<PlaceSum> rowKey="placeId" size="middle" loading={counts.loading} dataSource={places} pagination={{ pageSize: 20, showSizeChanger: false }}
              locale={{ emptyText: empty(counts.error, t('暂无数据', 'No data')) }} scroll={{ x: 640 }}
              columns={[
                { title: '#', width: 56, render: (_: unknown, __: PlaceSum, i: number) => i + 1 },
                { title: t('场所', 'Place'), dataIndex: 'placeName', render: (v: string, r) => <Link to={`/checkins?placeId=${r.placeId}`}>{v}</Link> },
                { title: t('类型', 'Kind'), dataIndex: 'placeKind', render: (v: string) => placeKindLabel(v, lang) },
                { title: t('进入', 'Entries'), dataIndex: 'entries', align: 'right' },
                { title: t('离开', 'Exits'), dataIndex: 'exits', align: 'right' },
                { title: t('禁止通行', 'Refused'), dataIndex: 'refused', align: 'right' },
                { title: t('发热', 'Fever'), dataIndex: 'fevers', align: 'right', render: (v: number) => (v ? <span style={{ color: '#cf1322', fontWeight: 600 }}>{v}</span> : v) },
              ]} />
            <Space style={{ marginTop: 8 }}><span style={{ color: '#888' }}>{t('统计口径：进入=通行的进入人次；禁止通行含发热；发热=体温达到发热标准的次数', 'Entries = passed entries; refused includes fever; fever = readings at or above the threshold')}</span></Space>
          </Card>
        </Col>
      </Row>
    </div>
  );
}
