/**
 * Live list of entries and exits at one checkpoint (GET /api/gate/checkins?checkpointId=, last
 * 12 hours, newest first), extended by 'checkin' live events without a reload. Names are masked
 * by the server; times China time.
 */
import { useCallback, useState } from 'react';
import { Card, Empty, Grid, Space, Statistic, Table, Tag, Typography } from 'antd';
import { get, qs } from '../api';
import { useEvent } from '../events';
import { useLang, useT } from '../i18n';
import { chinaTime, directionLabel, formatTemp, refusalLabel } from '../format';
import { ErrorBanner, useAsync } from '../components/common';
import { mergeLive, type LiveCheckin } from '../figures';

export type { LiveCheckin };

export function useLiveCheckins(checkpointId: string) {
  const [extra, setExtra] = useState<LiveCheckin[]>([]);
  const [post, setPost] = useState<{ placeName: string; checkpointName: string } | null>(null);
  const base = useAsync(async () => {
    const r = await get<{ checkins: LiveCheckin[]; checkpoint: { name: string; placeName: string } }>(`/api/gate/checkins${qs({ checkpointId })}`);
    setExtra([]);
    setPost({ placeName: r.checkpoint.placeName, checkpointName: r.checkpoint.name });
    return r.checkins;
  }, [checkpointId]);
  const add = useCallback((rows: LiveCheckin[]) => setExtra((e) => mergeLive(e, rows)), []);
  useEvent('checkin', (ev: { checkpointId?: string; checkinId: string; at: string; maskedName: string; direction: string;
    temperature: number | null; outcome: string; reasonCode: string | null }) => {
    if (ev.checkpointId !== checkpointId) return;
    add([{ id: ev.checkinId, at: ev.at, maskedName: ev.maskedName, direction: ev.direction, temperature: ev.temperature,
      outcome: ev.outcome, refusal: ev.reasonCode }]);
  });
  useEvent('reconnect', () => base.reload());
  return { ...base, rows: mergeLive(base.data ?? [], extra), add, post };
}

export function GateLiveList({ live }: { live: ReturnType<typeof useLiveCheckins> }) {
  const t = useT();
  const { lang } = useLang();
  const rows = live.rows;
  const entries = rows.filter((r) => r.direction === 'in' && r.outcome === 'pass').length;
  const exits = rows.filter((r) => r.direction === 'out').length;
  const refused = rows.filter((r) => r.outcome === 'refused').length;
  const narrow = Grid.useBreakpoint().sm === false;
  const result = (r: LiveCheckin) => (r.outcome === 'pass'
    ? <Tag color="green">{t('通行', 'Pass')}</Tag>
    : <Tag color="red">{t('禁止通行', 'Refused')}{r.refusal ? `·${refusalLabel(r.refusal, lang)}` : ''}</Tag>);
  return (
    <Card title={<span>{t('实时通行记录', 'Live entries and exits')} <Typography.Text type="secondary" style={{ fontSize: 13 }}>{t('（近12小时）', '(last 12 h)')}</Typography.Text></span>}
      styles={{ body: { padding: 12 } }}>
      <Space size="large" style={{ marginBottom: 12 }}>
        <Statistic title={t('进入', 'In')} value={entries} />
        <Statistic title={t('离开', 'Out')} value={exits} />
        <Statistic title={t('禁止通行', 'Refused')} value={refused} styles={{ content: { color: refused ? '#cf1322' : undefined } }} />
      </Space>
      <ErrorBanner error={live.error} onRetry={live.reload} />
      {narrow && rows.length === 0 && !live.loading && !live.error && <Empty description={t('暂无通行记录', 'No entries yet')} />}
      {narrow ? (
        <ul aria-label={t('实时通行记录', 'Live entries and exits')} className="live-list">
          {rows.map((r) => (
            <li key={r.id} className={r.outcome === 'refused' ? 'refused' : ''}>
              <span className="time">{chinaTime(r.at)}</span>
              <span className="name">{r.maskedName}</span>
              <span>{directionLabel(r.direction, lang)} {r.temperature !== null ? formatTemp(r.temperature) : ''}</span>
              {result(r)}
            </li>
          ))}
        </ul>
      ) : (
        <Table<LiveCheckin>
        aria-label={t('实时通行记录', 'Live entries and exits')}
        size="middle" rowKey="id" loading={live.loading && !live.data} dataSource={rows} pagination={false}
        scroll={{ y: 520 }}
        rowClassName={(r) => (r.outcome === 'refused' ? 'live-row-refused' : '')}
        locale={{ emptyText: live.error ? t('加载失败', 'Failed to load') : t('暂无通行记录', 'No entries yet') }}
        columns={[
          { title: t('时间', 'Time'), dataIndex: 'at', width: 96, render: (v: string) => chinaTime(v) },
          { title: t('姓名', 'Name'), dataIndex: 'maskedName' },
          { title: t('方向', 'Direction'), dataIndex: 'direction', width: 72, render: (v: string) => <Tag color={v === 'in' ? 'blue' : 'default'}>{directionLabel(v, lang)}</Tag> },
          { title: t('体温', 'Temp.'), dataIndex: 'temperature', width: 90, render: (v: number | null) => formatTemp(v) },
          {
            title: t('结果', 'Result'), dataIndex: 'outcome',
            render: (_: string, r) => result(r),
          },
        ]}
      />
      )}
    </Card>
  );
}
