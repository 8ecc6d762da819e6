/**
 * 社区报到 /console/arrivals (permission arrivals.read): the arrival reports of an area of the
 * account's subtree by arrival date (China dates) and measure (GET /api/arrivals, audited by the
 * server; names masked), counts by measure, a report's drawer (GET /api/arrivals/:id), 代为报到
 * (arrivals.report, components/arrivals/ArrivalReport.tsx) and the community's 社区报到 link and QR
 * code for residents (components/arrivals/ArrivalQr.tsx).
 */
import { useState } from 'react';
import { App, Button, Card, Space, Statistic } from 'antd';
import { get, qs } from '../api';
import { useLang, useT } from '../i18n';
import { AreaSelect } from '../components/AreaSelect';
import { DateRange, lastDays, type Range } from '../components/DateRange';
import { ErrorBanner, PageTitle, useAsync, useEmptyText } from '../components/common';
import { ArrivalTable } from '../components/arrivals/ArrivalTable';
import { ArrivalDrawer } from '../components/arrivals/ArrivalDrawer';
import { ArrivalReport } from '../components/arrivals/ArrivalReport';
import { ArrivalQr } from '../components/arrivals/ArrivalQr';
import { ARRIVAL_MEASURE_KEYS, measureLabel, measureText, type ArrivalView } from '../components/arrivals/model';
import { useAreaNames } from '../components/arrivals/useAreaNames';
import { useSession, useStaff } from '../session';

interface Filter { areaCode?: string; range: Range; measure?: string }

export default function ArrivalsPage() {
  const t = useT();
  const { lang } = useLang();
  const empty = useEmptyText();
  const { can } = useSession();
  const staff = useStaff();
  const { message } = App.useApp();
  const [filter, setFilter] = useState<Filter>({ range: lastDays(28) });
  const [openId, setOpenId] = useState<string | null>(null);
  const [reporting, setReporting] = useState(false);
  const [qr, setQr] = useState(false);
  const res = useAsync(() => get<{ arrivals: ArrivalView[] }>(`/api/arrivals${qs({ areaCode: filter.areaCode, from: filter.range.from, to: filter.range.to, measure: filter.measure })}`),
    [filter.areaCode, filter.range.from, filter.range.to, filter.measure]);
  const set = (p: Partial<Filter>) => setFilter((f) => ({ ...f, ...p }));
  const rows = res.data?.arrivals ?? [];
  const names = useAreaNames(rows.map((r) => r.communityCode));
  const count = (m: string) => rows.filter((r) => r.measure === m).length;
  const qrCommunity = filter.areaCode?.length === 12 ? filter.areaCode : staff.areaCode.length === 12 ? staff.areaCode : undefined;

  return (
    <div>
      <PageTitle title={t('社区报到', 'Arrival reports')}
        extra={<>
          <Button onClick={() => setQr(true)}>{t('报到二维码', 'Report QR code')}</Button>
          {can('arrivals.report') && <Button type="primary" onClick={() => setReporting(true)}>{t('代为报到', 'Enter a report')}</Button>}
        </>}>
        {t('返回人员按报到规则确定管控措施；日期为中国标准时间；查看名单记入审计日志',
          'Returning people get a measure by the arrival rules; China dates; every list is audited')}
      </PageTitle>
      <Card style={{ marginBottom: 16 }}>
        <Space wrap>
          <AreaSelect value={filter.areaCode} onChange={(v) => set({ areaCode: v })} aria-label={t('区域', 'Area')} />
          <DateRange value={filter.range} onChange={(range) => set({ range })} maxDays={180} />
          <select className="native-select" aria-label={t('管控措施', 'Measure')} style={{ width: 160 }} value={filter.measure ?? ''}
            onChange={(e) => set({ measure: e.target.value || undefined })}>
            <option value="">{t('全部措施', 'All measures')}</option>
            {ARRIVAL_MEASURE_KEYS.map((m) => <option key={m} value={m}>{measureLabel(m, lang)}</option>)}
          </select>
        </Space>
      </Card>
      <ErrorBanner error={res.error} onRetry={res.reload} />
      <Space size="large" wrap style={{ marginBottom: 16 }}>
        <Statistic title={t('报到人次', 'Reports')} value={rows.length} />
        {ARRIVAL_MEASURE_KEYS.map((m) => <Statistic key={m} title={measureLabel(m, lang)} value={count(m)} />)}
      </Space>
      <Card>
        <ArrivalTable rows={rows} loading={res.loading} names={names} onOpen={(a) => setOpenId(a.id)}
          emptyText={empty(res.error, t('所选日期内没有报到记录', 'No reports in these dates'))} />
      </Card>
      <ArrivalDrawer id={openId} onClose={() => setOpenId(null)} />
      <ArrivalQr open={qr} initialCode={qrCommunity} onClose={() => setQr(false)} />
      {can('arrivals.report') && (
        <ArrivalReport open={reporting} onClose={() => setReporting(false)}
          onCreated={(a, created) => {
            setReporting(false);
            message.success(`${created ? t('已登记人员并报到：', 'Registered and reported: ') : t('已报到：', 'Reported: ')}${a.maskedName} · ${measureText({ measure: a.measure, days: a.measureDays, until: a.measureUntil }, lang)}`);
            res.reload();
          }} />
      )}
    </div>
  );
}
