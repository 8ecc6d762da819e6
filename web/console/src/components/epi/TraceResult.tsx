/**
 * One stored trace (GET /api/traces/:id, audited by the server: it lists persons): its window and
 * margin, the subject's visits, and the ranked people who shared a place (overlap minutes, shared
 * visits, first overlap, places, already a contact). Rows are selectable (not those already
 * contacts) and 转为密切接触者 turns the selection into contacts in one action
 * (POST /api/traces/:id/contacts, permission tracing.run; secondary contacts when the subject is
 * a contact). 导出 CSV downloads GET /api/traces/:id/export (formula-safe, audited).
 */
import { useState } from 'react';
import { Alert, App, Button, Card, Descriptions, Space, Table, Tag, Typography } from 'antd';
import { download, errorMessage, get, post } from '../../api';
import { useT } from '../../i18n';
import { chinaDateTime } from '../../format';
import { useSession } from '../../session';
import { ErrorBanner, useAsync } from '../common';
import type { TraceCandidate, TraceDetail } from './model';
import { minutesText } from './logic';

export function TraceResult({ traceId, onContacts }: { traceId: string; onContacts?: () => void }) {
  const t = useT();
  const zh = t('zh', 'en') === 'zh';
  const { can } = useSession();
  const { message } = App.useApp();
  const res = useAsync(() => get<{ trace: TraceDetail }>(`/api/traces/${traceId}`).then((r) => r.trace), [traceId]);
  const [selected, setSelected] = useState<string[]>([]);
  // alreadyContact is stored as of the trace; people turned into contacts here are marked at once.
  const [converted, setConverted] = useState<Set<string>>(new Set());
  const isContact = (c: TraceCandidate) => c.alreadyContact || converted.has(c.personId);
  const [busy, setBusy] = useState<'contacts' | 'export' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const tr = res.data;
  const secondary = !!tr?.subject.contactId;

  const makeContacts = async () => {
    setBusy('contacts'); setError(null);
    try {
      const r = await post<{ created: unknown[]; existing: unknown[] }>(`/api/traces/${traceId}/contacts`, { personIds: selected });
      message.success(t(`已转为密切接触者：新增 ${r.created.length} 人，已是密接 ${r.existing.length} 人`,
        `Contacts: ${r.created.length} added, ${r.existing.length} already contacts`));
      setConverted((s) => new Set([...s, ...selected]));
      setSelected([]);
      onContacts?.();
    } catch (e) { setError(errorMessage(e)); } finally { setBusy(null); }
  };
  const exportCsv = async () => {
    setBusy('export');
    try { await download(`/api/traces/${traceId}/export`, `trace-${traceId}.csv`); message.success(t('导出完成（已记入审计日志）', 'Exported (audited)')); }
    catch (e) { message.error(errorMessage(e)); } finally { setBusy(null); }
  };

  return (
    <Card loading={res.loading && !tr} title={t('追踪结果', 'Trace result')} data-testid="trace-result"
      extra={tr && <Space wrap>
        {can('tracing.run') && (
          <Button type="primary" disabled={!selected.length} loading={busy === 'contacts'} onClick={() => void makeContacts()}>
            {secondary ? t(`转为次密接（${selected.length}）`, `Make secondary contacts (${selected.length})`) : t(`转为密切接触者（${selected.length}）`, `Make close contacts (${selected.length})`)}
          </Button>
        )}
        <Button loading={busy === 'export'} onClick={() => void exportCsv()}>{t('导出 CSV', 'Export CSV')}</Button>
      </Space>}>
      <ErrorBanner error={res.error} onRetry={res.reload} />
      {error && <Alert type="error" showIcon style={{ marginBottom: 12 }} title={error} />}
      {tr && (
        <>
          <Descriptions size="small" column={{ xs: 1, md: 3 }} style={{ marginBottom: 12 }} items={[
            { key: 'w', label: t('追踪时段', 'Window'), children: `${chinaDateTime(tr.from).slice(0, 16)} — ${chinaDateTime(tr.to).slice(0, 16)}` },
            { key: 'm', label: t('离开后时间余量', 'Margin after leaving'), children: t(`${tr.marginMin} 分钟`, `${tr.marginMin} min`) },
            { key: 'r', label: t('追踪原因', 'Reason'), children: tr.reason },
          ]} />
          {tr.result.purgedAt && <Alert type="info" showIcon style={{ marginBottom: 12 }} title={t(
            `病例结案后，打卡记录已于 ${chinaDateTime(tr.result.purgedAt).slice(0, 16)} 按保存期限删除，此次追踪的明细随之删除，只保留人数`,
            `The case closed and its check-ins were deleted at the end of their retention (${chinaDateTime(tr.result.purgedAt).slice(0, 16)}): this trace keeps only its counts`)} />}
          <Typography.Title level={5}>{t(`到访场所（${tr.result.visits.length}）`, `Visits (${tr.result.visits.length})`)}</Typography.Title>
          <Table size="small" rowKey="stayId" dataSource={tr.result.visits} pagination={false} style={{ marginBottom: 16 }}
            locale={{ emptyText: t('追踪时段内没有到访记录', 'No visits in the window') }}
            columns={[
              { title: t('场所', 'Place'), dataIndex: 'placeName' },
              { title: t('进入', 'Entered'), dataIndex: 'enteredAt', render: (v: string) => chinaDateTime(v) },
              { title: t('离开', 'Left'), dataIndex: 'closedAt', render: (v: string | null) => (v ? chinaDateTime(v) : t('未离开', 'Still inside')) },
            ]} />
          <Typography.Title level={5}>
            {t(`同场所人员（${tr.result.totals.candidates}）`, `Shared a place (${tr.result.totals.candidates})`)}
          </Typography.Title>
          {tr.result.totals.truncated && <Alert type="warning" showIcon style={{ marginBottom: 8 }} title={t(`人数过多，只列出前 ${tr.result.candidates.length} 人（按重叠时长排序）`, `Too many: the first ${tr.result.candidates.length} by overlap are listed`)} />}
          <Table<TraceCandidate> size="small" rowKey="personId" dataSource={tr.result.candidates} scroll={{ x: 900 }}
            pagination={{ pageSize: 100, hideOnSinglePage: true }}
            locale={{ emptyText: t('没有与其时间重叠的人员', 'Nobody overlapped') }}
            rowSelection={can('tracing.run') ? {
              selectedRowKeys: selected, onChange: (keys) => setSelected(keys as string[]),
              getCheckboxProps: (r) => ({ disabled: isContact(r), 'aria-label': `${t('选择', 'Select')} ${r.maskedName}` }),
            } : undefined}
            columns={[
              { title: '#', dataIndex: 'rank', width: 48 },
              { title: t('姓名', 'Name'), dataIndex: 'maskedName' },
              { title: t('重叠时长', 'Overlap'), dataIndex: 'overlapMinutes', render: (v: number) => minutesText(v, zh) },
              { title: t('共同到访', 'Shared visits'), dataIndex: 'sharedVisits' },
              { title: t('首次重叠', 'First overlap'), dataIndex: 'firstOverlapAt', render: (v: string) => chinaDateTime(v) },
              { title: t('末次暴露日期', 'Last exposure'), dataIndex: 'lastExposureOn' },
              { title: t('场所', 'Places'), dataIndex: 'places', render: (v: string[]) => v.join('、') },
              { title: t('密接', 'Contact'), key: 'contact', render: (_: unknown, r) => (isContact(r) ? <Tag color="red">{t('已是密接', 'Already')}</Tag> : '—') },
            ]} />
        </>
      )}
    </Card>
  );
}
