/**
 * One arrival report in a drawer (GET /api/arrivals/:id, audited by the server): who (masked),
 * where to, from where, how, why, when, how it was reported and the measure it got.
 */
import { Alert, Descriptions, Drawer, Tag } from 'antd';
import { get } from '../../api';
import { useLang, useT } from '../../i18n';
import { chinaDateTime } from '../../format';
import { ErrorBanner, useAsync } from '../common';
import { circumstanceLabel, measureColour, measureText, viaLabel, type ArrivalView } from './model';
import { useAreaNames } from './useAreaNames';

export function ArrivalDrawer({ id, onClose }: { id: string | null; onClose: () => void }) {
  const t = useT();
  const { lang } = useLang();
  const res = useAsync(() => get<{ arrival: ArrivalView }>(`/api/arrivals/${id}`).then((r) => r.arrival), [id], !!id);
  const a = id ? res.data : undefined;
  const names = useAreaNames(a ? [a.communityCode] : []);
  return (
    <Drawer open={!!id} onClose={onClose} size={560} destroyOnHidden
      title={a ? `${a.maskedName} · ${t('社区报到', 'Arrival report')}` : t('社区报到', 'Arrival report')}>
      <ErrorBanner error={res.error} onRetry={res.reload} />
      {a && a.id === id && a.detailsPurgedAt && (
        <Alert type="info" showIcon style={{ marginBottom: 12 }} data-testid="arrival-purged"
          message={t(`来源地、行程和交通方式已于 ${chinaDateTime(a.detailsPurgedAt)} 按保存期限删除`,
            `Origin, route and transport were deleted on ${chinaDateTime(a.detailsPurgedAt)} at the end of their retention period`)} />
      )}
      {a && a.id === id && (
        <Descriptions size="small" column={1} bordered data-testid="arrival-detail" items={[
          { key: 'n', label: t('姓名', 'Name'), children: a.maskedName },
          { key: 'c', label: t('到达社区', 'Community'), children: names[a.communityCode] ?? a.communityCode },
          { key: 'o', label: t('来源地', 'Origin'), children: a.originCode ? `${a.originText}（${a.originCode}）` : a.originText },
          { key: 'r', label: t('行程', 'Route'), children: a.route || '—' },
          { key: 't', label: t('交通方式', 'Transport'), children: a.transport || '—' },
          { key: 's', label: t('返回事由', 'Circumstance'), children: circumstanceLabel(a.circumstance, lang) },
          { key: 'd', label: t('抵达日期', 'Arrived on'), children: a.arrivalOn },
          { key: 'v', label: t('报到方式', 'Reported'), children: viaLabel(a.reportedVia, lang) },
          { key: 'm', label: t('管控措施', 'Measure'), children: <Tag color={measureColour(a.measure)}>{measureText({ measure: a.measure, days: a.measureDays, until: a.measureUntil }, lang)}</Tag> },
          { key: 'at', label: t('报到时间', 'Reported at'), children: chinaDateTime(a.createdAt) },
        ]} />
      )}
    </Drawer>
  );
}
