/**
 * 审计日志 (permission audit.read): who read or exported what, in the account's area, newest
 * first (GET /api/audit), with filters and an export (GET /api/audit/export, itself audited).
 */
import { useState } from 'react';
import { App, Button, Card, Select, Space, Table, Typography } from 'antd';
import { download, errorMessage, get, qs } from '../api';
import { useLang, useT } from '../i18n';
import { ACTION_KEYS, actionLabel, chinaDateTime } from '../format';
import { AreaSelect } from '../components/AreaSelect';
import { DateRange, lastDays, type Range } from '../components/DateRange';
import { ErrorBanner, useEmptyText, PageTitle, useAsync } from '../components/common';
import { Link } from '../router';
import { roleLabel } from '../roles';

interface Entry {
  id: number; at: string; actor: { kind: string; id: string | null; role: string | null; name: string | null };
  action: string; personId: string | null; areaCode: string | null; detail: Record<string, unknown>;
}

export default function AuditPage() {
  const t = useT();
  const empty = useEmptyText();
  const { lang } = useLang();
  const { message } = App.useApp();
  const [area, setArea] = useState<string | undefined>();
  const [action, setAction] = useState<string | undefined>();
  const [range, setRange] = useState<Range>(() => lastDays(7));
  const [page, setPage] = useState({ current: 1, pageSize: 50 });
  const [exporting, setExporting] = useState(false);
  const filter = { areaCode: area, action, from: range.from, to: range.to };
  const res = useAsync(() => get<{ total: number; items: Entry[] }>(`/api/audit${qs({ ...filter, limit: page.pageSize, offset: (page.current - 1) * page.pageSize })}`),
    [JSON.stringify(filter), page.current, page.pageSize]);
  const reset = <T,>(set: (v: T) => void) => (v: T) => { set(v); setPage((p) => ({ ...p, current: 1 })); };

  const exportCsv = async () => {
    setExporting(true);
    try { await download(`/api/audit/export${qs({ ...filter, format: 'xlsx' })}`, 'audit.xlsx'); } catch (e) { message.error(errorMessage(e)); } finally { setExporting(false); }
  };

  return (
    <div>
      <PageTitle title={t('审计日志', 'Audit log')} extra={<Button loading={exporting} onClick={() => void exportCsv()}>{t('导出 Excel', 'Export XLSX')}</Button>}>
        {t('查看人员档案、查询、导出等操作的记录（导出本身也会记录）', 'Reads, look-ups and exports (exports are themselves recorded)')}
      </PageTitle>
      <Card style={{ marginBottom: 16 }}>
        <Space wrap>
          <AreaSelect value={area} onChange={reset(setArea)} aria-label={t('区域', 'Area')} />
          <Select allowClear showSearch aria-label={t('操作', 'Action')} placeholder={t('全部操作', 'All actions')} style={{ minWidth: 200 }}
            value={action} onChange={reset(setAction)} optionFilterProp="label"
            options={ACTION_KEYS.map((k) => ({ value: k, label: actionLabel(k, lang) }))} />
          <DateRange value={range} onChange={reset(setRange)} maxDays={366} />
        </Space>
      </Card>
      <ErrorBanner error={res.error} onRetry={res.reload} />
      <Card>
        <Table<Entry> rowKey="id" size="middle" loading={res.loading} dataSource={res.data?.items ?? []} scroll={{ x: 1000 }} tableLayout="fixed"
          locale={{ emptyText: empty(res.error, t('没有符合条件的记录', 'No entries match')) }}
          pagination={{ ...page, total: res.data?.total ?? 0, showSizeChanger: true, showTotal: (n) => t(`共 ${n} 条`, `${n} in total`),
            onChange: (current, pageSize) => setPage({ current, pageSize }) }}
          columns={[
            { title: t('时间', 'Time'), dataIndex: 'at', width: 170, render: (v: string) => chinaDateTime(v) },
            { title: t('操作者', 'Actor'), width: 170, ellipsis: true, render: (_: unknown, r) => (r.actor.kind === 'resident' ? t('居民本人', 'Resident')
              : `${r.actor.name ?? r.actor.kind}${r.actor.role && r.actor.kind === 'staff' ? `（${roleLabel(r.actor.role, lang)}）` : ''}`) },
            { title: t('操作', 'Action'), dataIndex: 'action', width: 160, render: (v: string) => actionLabel(v, lang) },
            { title: t('人员', 'Person'), dataIndex: 'personId', width: 80, render: (v: string | null) => (v ? <Link to={`/persons/${v}`}>{t('查看', 'Open')}</Link> : '—') },
            { title: t('区域', 'Area'), dataIndex: 'areaCode', width: 130 },
            { title: t('详情', 'Detail'), dataIndex: 'detail', ellipsis: true, render: (v: Record<string, unknown>) => (
              <Typography.Text type="secondary" style={{ fontSize: 12 }} ellipsis={{ tooltip: JSON.stringify(v) }}>{JSON.stringify(v)}</Typography.Text>) },
          ]} />
      </Card>
    </div>
  );
}
