/**
 * 追踪 (permission tracing.run): start a trace of a case (POST /api/cases/:id/traces) or of a
 * contact (POST /api/contacts/:id/traces) with a required reason; the window and the margin are
 * the server's defaults unless given (China time: inputs are read as UTC+8 whatever the browser's
 * zone). TracePanel is the case page's section: the form, the case's stored traces
 * (GET /api/cases/:id/traces) and the chosen trace's result (TraceResult).
 */
import { useState } from 'react';
import { Alert, Button, Card, Form, Input, InputNumber, Space, Table, Typography } from 'antd';
import { errorMessage, get, post } from '../../api';
import { useT } from '../../i18n';
import { chinaDateTime } from '../../format';
import { useSession } from '../../session';
import { ErrorBanner, useAsync } from '../common';
import { TraceResult } from './TraceResult';
import type { CaseFacts, TraceSummary } from './model';
import { chinaLocalToIso, defaultWindowText } from './logic';

interface RunValues { reason: string; from?: string; to?: string; marginMin?: number | null }

export function TraceRun({ path, defaults, onDone }: { path: string; defaults: string; onDone: (traceId: string) => void }) {
  const t = useT();
  const [form] = Form.useForm<RunValues>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (v: RunValues) => {
    setBusy(true); setError(null);
    try {
      const r = await post<{ trace: { id: string } }>(path, {
        reason: v.reason.trim(), from: chinaLocalToIso(v.from), to: chinaLocalToIso(v.to),
        ...(v.marginMin !== undefined && v.marginMin !== null ? { marginMin: v.marginMin } : {}),
      });
      form.resetFields();
      onDone(r.trace.id);
    } catch (e) { setError(errorMessage(e)); } finally { setBusy(false); }
  };
  return (
    <Form form={form} name={`trace${path.replace(/\W+/g, '_')}`} layout="vertical" onFinish={submit} disabled={busy} style={{ maxWidth: 720 }}>
      <Typography.Paragraph type="secondary">
        {t(`默认追踪时段：${defaults}；离开后时间余量默认 30 分钟。追踪记入审计日志（谁、追踪了谁、原因）。`,
          `Default window: ${defaults}; margin after leaving 30 min by default. Every trace is audited (who, whom, why).`)}
      </Typography.Paragraph>
      <Space wrap align="start">
        <Form.Item label={t('开始时间（可选）', 'From (optional)')} name="from"><Input type="datetime-local" style={{ width: 220 }} /></Form.Item>
        <Form.Item label={t('结束时间（可选）', 'To (optional)')} name="to"><Input type="datetime-local" style={{ width: 220 }} /></Form.Item>
        <Form.Item label={t('时间余量（分钟）', 'Margin (min)')} name="marginMin"><InputNumber min={0} max={1440} placeholder="30" style={{ width: 140 }} /></Form.Item>
      </Space>
      <Form.Item label={t('追踪原因', 'Reason for the trace')} name="reason" rules={[{ required: true, whitespace: true, message: t('请填写追踪原因', 'Give the reason') }]}>
        <Input.TextArea rows={2} maxLength={500} placeholder={t('如 确诊病例流调', 'e.g. investigation of a confirmed case')} />
      </Form.Item>
      {error && <Alert type="error" showIcon style={{ marginBottom: 12 }} title={error} />}
      <Button type="primary" htmlType="submit" loading={busy}>{t('开始追踪', 'Run the trace')}</Button>
    </Form>
  );
}


export function TracePanel({ c, onContacts }: { c: CaseFacts; onContacts: () => void }) {
  const t = useT();
  const zh = t('zh', 'en') === 'zh';
  const { can } = useSession();
  const list = useAsync(() => get<{ traces: TraceSummary[] }>(`/api/cases/${c.id}/traces`).then((r) => r.traces), [c.id]);
  const [open, setOpen] = useState<string | null>(null);
  const shown = open ?? list.data?.[0]?.id ?? null;
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      {can('tracing.run') && (
        <Card title={t('追踪', 'Trace')}>
          <TraceRun path={`/api/cases/${c.id}/traces`} defaults={defaultWindowText(c, zh)} onDone={(id) => { setOpen(id); list.reload(); }} />
        </Card>
      )}
      <Card title={t('追踪记录', 'Traces')}>
        <ErrorBanner error={list.error} onRetry={list.reload} />
        <Table<TraceSummary> size="small" rowKey="id" loading={list.loading} dataSource={list.data ?? []} pagination={false}
          locale={{ emptyText: t('尚未追踪', 'No trace yet') }}
          rowClassName={(r) => (r.id === shown ? 'ant-table-row-selected' : '')}
          columns={[
            { title: t('追踪时间', 'Traced at'), dataIndex: 'createdAt', render: (v: string) => chinaDateTime(v) },
            { title: t('时段', 'Window'), render: (_: unknown, r) => `${chinaDateTime(r.from).slice(0, 16)} — ${chinaDateTime(r.to).slice(0, 16)}` },
            { title: t('余量', 'Margin'), dataIndex: 'marginMin', render: (v: number) => t(`${v} 分钟`, `${v} min`) },
            { title: t('同场所人数', 'People'), render: (_: unknown, r) => r.counts.candidates },
            { title: t('追踪人', 'By'), dataIndex: 'createdBy' },
            { title: '', render: (_: unknown, r) => <Button size="small" onClick={() => setOpen(r.id)} disabled={r.id === shown}>{t('查看', 'Open')}</Button> },
          ]} />
      </Card>
      {shown && <TraceResult key={shown} traceId={shown} onContacts={onContacts} />}
    </Space>
  );
}
