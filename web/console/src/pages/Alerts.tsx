/**
 * 发热预警 (permission alerts.handle): every open fever alert of the account's area as a red card
 * (live), and the recent history (GET /api/alerts?state=all) with outcomes. Community staff
 * handle alerts here; guards usually on the gate page.
 */
import { Card, Segmented, Table, Tag } from 'antd';
import { useState } from 'react';
import { get } from '../api';
import { useLang, useT } from '../i18n';
import { chinaDateTime, formatTemp, outcomeLabel } from '../format';
import { FeverAlertList, useOpenAlerts, type FeverAlert } from '../components/alerts';
import { ErrorBanner, useEmptyText, PageTitle, useAsync } from '../components/common';
import { useEvent } from '../events';
import { Link } from '../router';
import { useSession } from '../session';

export default function AlertsPage() {
  const t = useT();
  const empty = useEmptyText();
  const { lang } = useLang();
  const { can } = useSession();
  const open = useOpenAlerts();
  const [view, setView] = useState<'open' | 'all'>('open');
  const history = useAsync(() => get<{ alerts: FeverAlert[] }>('/api/alerts?state=all').then((r) => r.alerts), [], view === 'all');
  useEvent('alert_update', () => { if (view === 'all') history.reload(); });

  return (
    <div>
      <PageTitle title={t('发热预警', 'Fever alerts')}
        extra={<Segmented value={view} onChange={(v) => setView(v as 'open' | 'all')}
          options={[{ value: 'open', label: t(`待处置（${open.alerts.length}）`, `Open (${open.alerts.length})`) }, { value: 'all', label: t('全部记录', 'History') }]} />}>
        {t('发热人员在卡点被禁止通行后实时推送至此；超时未确认将上报街道', 'Alerts arrive live when a fever is refused at a gate; unacknowledged ones escalate to the street')}
      </PageTitle>
      {view === 'open' && (
        <>
          <ErrorBanner error={open.error} onRetry={open.reload} />
          <FeverAlertList alerts={open.alerts} onDone={open.reload}
            emptyText={open.loading || open.error ? undefined : t('暂无待处置的发热预警', 'No open fever alerts')} />
        </>
      )}
      {view === 'all' && (
        <Card>
          <ErrorBanner error={history.error} onRetry={history.reload} />
          <Table<FeverAlert> rowKey="id" size="middle" loading={history.loading} dataSource={history.data ?? []}
            locale={{ emptyText: empty(history.error, t('暂无记录', 'No alerts')) }} scroll={{ x: 900 }}
            columns={[
              { title: t('时间', 'Raised'), dataIndex: 'raisedAt', render: (v: string) => chinaDateTime(v) },
              { title: t('姓名', 'Name'), dataIndex: 'maskedName',
                render: (v: string, r) => (can('persons.read') ? <Link to={`/persons/${r.personId}`}>{v}</Link> : v) },
              { title: t('场所 · 卡点', 'Place · gate'), render: (_: unknown, r) => `${r.placeName} · ${r.checkpointName}` },
              { title: t('体温', 'Temp.'), dataIndex: 'temperature', render: (v: number) => <Tag color="red">{formatTemp(v)}</Tag> },
              { title: t('确认时间', 'Acknowledged'), dataIndex: 'acknowledgedAt', render: (v: string | null, r) => (v ? chinaDateTime(v) : r.escalated ? <Tag color="red">{t('超时，已上报街道', 'Escalated')}</Tag> : '—') },
              { title: t('复测', 'Re-measured'), dataIndex: 'remeasuredTemperature', render: (v: number | null) => formatTemp(v) },
              { title: t('处置结果', 'Outcome'), dataIndex: 'outcome', render: (v: string | null) => (v ? outcomeLabel(v, lang) : <Tag color="orange">{t('待处置', 'Open')}</Tag>) },
            ]} />
        </Card>
      )}
    </div>
  );
}
