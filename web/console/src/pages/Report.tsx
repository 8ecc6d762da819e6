/**
 * 疫情通报 (permission reports.read; issue 4 §4, SPEC S5): for an area of the account's subtree and
 * a China date, the figure cards "as of 24:00" (each opens the list of the records it counts, with
 * a CSV of the same list), the last 30 days as charts (daily new confirmed, cumulative confirmed,
 * under observation) with a CSV of their daily figures, the generated Chinese paragraph with a copy button, and the published
 * revisions with the publish action (reports.publish). Every number comes from the server's one
 * definition of each figure (src/modules/reports/figures.ts), so cards, lists, CSV, charts and the
 * paragraph agree.
 */
import { useMemo, useState } from 'react';
import { Alert, App, Button, Card, Col, DatePicker, Row, Space, Statistic, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { download, errorMessage, get, qs } from '../api';
import { useLang, useT } from '../i18n';
import { addDays, chinaDate } from '../format';
import { useSession } from '../session';
import { AreaSelect } from '../components/AreaSelect';
import { ErrorBanner, PageTitle, useAsync } from '../components/common';
import { EChart, type EChartOption } from '../components/EChart';
import { FigureDrawer } from '../components/report/FigureDrawer';
import { Published } from '../components/report/Published';
import { CARD_GROUPS, type FiguresAnswer, type SeriesDay } from '../components/report/model';

const CHART_DAYS = 30;

export default function ReportPage() {
  const t = useT();
  const { lang } = useLang();
  const { can } = useSession();
  const { message } = App.useApp();
  const today = chinaDate();
  const [area, setArea] = useState<string | undefined>();
  const [date, setDate] = useState(today);
  const [figure, setFigure] = useState<string | null>(null);
  const rep = useAsync(() => get<FiguresAnswer>(`/api/reports/figures${qs({ areaCode: area, date })}`), [area, date]);
  const range = { areaCode: area, from: addDays(date, -(CHART_DAYS - 1)), to: date };
  const series = useAsync(() => get<{ days: SeriesDay[] }>(`/api/reports/series${qs(range)}`), [area, date]);
  const [exporting, setExporting] = useState(false);
  /** The daily figures of the charted range as CSV (GET /api/reports/export?areaCode&from&to, audited). */
  const seriesCsv = async () => {
    setExporting(true);
    try {
      await download(`/api/reports/export${qs(range)}`, `report-${range.from}_${range.to}.csv`);
      message.success(t('导出完成（已记入审计日志）', 'Exported (recorded in the audit log)'));
    } catch (e) { message.error(errorMessage(e)); } finally { setExporting(false); }
  };
  const f = rep.data?.figures;
  const days = series.data?.days ?? [];

  const option = useMemo<EChartOption>(() => ({
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 48, right: 48, top: 40, bottom: 32 },
    xAxis: { type: 'category', data: days.map((d) => d.date.slice(5)) },
    yAxis: [
      { type: 'value', name: t('病例', 'Cases'), minInterval: 1 },
      { type: 'value', name: t('观察人数', 'Observed'), minInterval: 1, splitLine: { show: false } },
    ],
    series: [
      { name: t('新增确诊', 'New confirmed'), type: 'bar', data: days.map((d) => d.newConfirmed), itemStyle: { color: '#cf1322' } },
      { name: t('累计确诊', 'Cumulative confirmed'), type: 'line', data: days.map((d) => d.cumulativeConfirmed), itemStyle: { color: '#a8071a' } },
      { name: t('尚在医学观察', 'Under observation'), type: 'line', yAxisIndex: 1, data: days.map((d) => d.underObservation), itemStyle: { color: '#d46b08' } },
    ],
  }), [days, t]);

  const copy = async () => {
    if (!rep.data) return;
    try {
      await navigator.clipboard.writeText(rep.data.text);
      message.success(t('已复制', 'Copied'));
    } catch { message.error(t('复制失败，请手动选择文字复制', 'Copy failed: select the text and copy it')); }
  };
  const num = (key: string) => (typeof f?.[key] === 'number' ? (f[key] as number) : 0);
  const dayText = (n: number | null | undefined) => (n === null || n === undefined ? '—' : t(`${n} 天`, `${n} days`));

  return (
    <div>
      <PageTitle title={t('疫情通报', 'Situation report')} extra={<>
        <AreaSelect value={area} onChange={setArea} aria-label={t('区域', 'Area')} placeholder={t('全部辖区（可选择区域）', 'Whole area (choose to narrow)')} />
        <DatePicker aria-label={t('日期', 'Date')} allowClear={false} value={dayjs(date)} disabledDate={(d) => d.format('YYYY-MM-DD') > today}
          onChange={(d) => d && setDate(d.format('YYYY-MM-DD'))} />
      </>}>
        {rep.data ? `${rep.data.areaName} · ${rep.data.asOfText}` : t('截至所选日期24时（中国标准时间）', 'As of 24:00 China time on the chosen date')}
      </PageTitle>
      <ErrorBanner error={rep.error} onRetry={rep.reload} />
      {f?.allClear && <Alert type="success" showIcon style={{ marginBottom: 16 }}
        title={t(`已于${f.clearedOn}清零，${f.allClearOn}满28天，达到解除标准`, `Cleared on ${f.clearedOn}; all clear since ${f.allClearOn}`)} />}
      <Row gutter={[16, 16]}>
        {CARD_GROUPS.map((g) => (
          <Col span={24} key={g.zh}>
            <Card size="small" title={lang === 'zh' ? g.zh : g.en} loading={rep.loading && !rep.data}>
              <Row gutter={[12, 12]}>
                {g.cards.map((c) => (
                  <Col key={c.key} xs={12} sm={8} lg={4}>
                    <Card size="small" hoverable onClick={() => setFigure(c.key)} role="button" tabIndex={0}
                      aria-label={t(`${c.zh}：${num(c.key)}，查看名单`, `${c.en}: ${num(c.key)}, show the list`)}
                      onKeyDown={(e) => { if (e.key === 'Enter' || e.key === ' ') setFigure(c.key); }}>
                      <Statistic title={lang === 'zh' ? c.zh : c.en} value={num(c.key)} styles={{ content: { color: c.color } }} />
                    </Card>
                  </Col>
                ))}
                {g.zh === '病例' && f && (<>
                  <Col xs={12} sm={8} lg={4}><Card size="small"><Statistic title={t('连续无新增确诊', 'Days without new confirmed')} value={dayText(f.daysWithoutNewConfirmed)} /></Card></Col>
                  <Col xs={12} sm={8} lg={4}><Card size="small"><Statistic title={t('连续无新增疑似', 'Days without new suspected')} value={dayText(f.daysWithoutNewSuspected)} /></Card></Col>
                  <Col xs={24} sm={16} lg={8}><Card size="small"><Statistic title={t('清零日期 / 解除日期（清零后28天）', 'Cleared / all clear (28 days after)')}
                    value={f.clearedOn ? `${f.clearedOn} / ${f.allClearOn}` : t('未清零', 'Not cleared')} /></Card></Col>
                </>)}
                {g.zh === '确诊病例构成' && f && (
                  <Col xs={24} lg={12}>
                    <Space wrap>
                      {f.importedBySource.map((s) => <Tag key={s.sourceArea}>{s.sourceArea} {s.count}</Tag>)}
                      {f.clusters.map((c) => <Tag key={c.cluster} color="purple">{c.cluster} {c.count}</Tag>)}
                    </Space>
                  </Col>
                )}
              </Row>
            </Card>
          </Col>
        ))}
        <Col span={24}>
          <Card title={t(`近${CHART_DAYS}天趋势`, `Last ${CHART_DAYS} days`)} loading={series.loading && !series.data}
            extra={<Button type="link" onClick={seriesCsv} loading={exporting}>{t('下载每日数据（CSV）', 'Daily figures (CSV)')}</Button>}>
            <ErrorBanner error={series.error} onRetry={series.reload} />
            <EChart option={option} label={t('每日新增确诊柱状图、累计确诊和尚在医学观察人数折线图', 'Bar chart of daily new confirmed cases, lines of cumulative confirmed and contacts under observation')} />
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <Card title={t('通报文字', 'Report text')} extra={<Button onClick={copy} disabled={!rep.data}>{t('复制', 'Copy')}</Button>}>
            <Typography.Paragraph style={{ fontSize: 15, lineHeight: 1.9, margin: 0 }}>{rep.data?.text}</Typography.Paragraph>
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <Published areaCode={area ?? rep.data?.areaCode} date={date} canPublish={can('reports.publish') && date < today /* a day is published once it is over (publish.ts) */} />
        </Col>
      </Row>
      <FigureDrawer areaCode={area} date={date} figure={figure} onClose={() => setFigure(null)} />
    </div>
  );
}
