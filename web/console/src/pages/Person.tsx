/**
 * 人员档案 /console/persons/:id (permission persons.read): the person's record
 * (GET /api/persons/:id, scoped and audited by the server; full document and phone only when the
 * server says the role may see them), the status with its history, a status change with a
 * required reason (POST /api/persons/:id/status, permission status.set), the personal pass cards
 * with 打印通行卡 and 作废 (components/PersonCards.tsx, permission cards.issue), and who read the
 * record (GET /api/audit?personId=, permission audit.read).
 */
import { useState } from 'react';
import { Alert, App, Button, Card, Descriptions, Form, Input, Result, Space, Table, Tag } from 'antd';
import { ApiError, errorMessage, get, post, qs } from '../api';
import { useLang, useT } from '../i18n';
import { actionLabel, chinaDate, chinaDateTime, STATUS_KEYS, statusColor, statusLabel } from '../format';
import { ErrorBanner, PageTitle, useAsync } from '../components/common';
import { useSession } from '../session';
import { navigate } from '../router';
import { PersonCards } from '../components/PersonCards';

interface Status { code: string; label: string; reason: string; since: string | null }
interface HistoryRow { status: string; label: string; previous: string | null; reason: string; role: string; roleLabel: string; at: string }
interface PersonRecord {
  id: string; name: string; maskedName: string; docType: string; docTypeLabel: string; docNumber: string; docMasked: string;
  fullIdentity: boolean; birthDate: string | null; sex: string | null; phone: string | null; homeCommunityCode: string | null;
  homeCommunityName: string | null; address: string; registeredVia: string; createdAt: string; status: Status; statusHistory: HistoryRow[];
}
interface AuditItem { id: number; at: string; actor: { kind: string; name: string | null; role: string | null }; action: string }

const VIA: Record<string, [string, string]> = { self: ['本人扫码登记', 'Self'], family: ['家属代登记', 'Family'], guard: ['卡点登记', 'At the gate'], staff: ['工作人员登记', 'Staff'] };

function StatusForm({ personId, current, onChanged }: { personId: string; current: string; onChanged: () => void }) {
  const t = useT();
  const { lang } = useLang();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ status: string; reason: string }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (v: { status: string; reason: string }) => {
    setBusy(true); setError(null);
    try {
      await post(`/api/persons/${personId}/status`, { status: v.status, reason: v.reason.trim() });
      message.success(t('状态已变更', 'Status changed'));
      form.resetFields();
      onChanged();
    } catch (e) { setError(errorMessage(e)); } finally { setBusy(false); }
  };
  return (
    <Form form={form} layout="vertical" onFinish={submit} disabled={busy} style={{ maxWidth: 560 }}>
      <Form.Item label={t('新状态', 'New status')} name="status" rules={[{ required: true, message: t('请选择状态', 'Choose a status') }]}>
        <select className="native-select">
          <option value="">{t('请选择', 'Choose…')}</option>
          {STATUS_KEYS.filter((k) => k !== 'fever_pending' && k !== current).map((k) => <option key={k} value={k}>{statusLabel(k, lang)}</option>)}
        </select>
      </Form.Item>
      <Form.Item label={t('原因', 'Reason')} name="reason" rules={[{ required: true, whitespace: true, message: t('请填写变更原因', 'Give the reason') }]}
        extra={t('原因、您的角色和时间将记入状态记录，本人可见', 'The reason, your role and the time are recorded and visible to the person')}>
        <Input.TextArea rows={3} maxLength={500} showCount />
      </Form.Item>
      {error && <Alert type="error" showIcon style={{ marginBottom: 12 }} title={error} />}
      <Button type="primary" htmlType="submit" loading={busy}>{t('变更状态', 'Change status')}</Button>
    </Form>
  );
}

export default function PersonPage({ params }: { params: Record<string, string> }) {
  const t = useT();
  const { lang } = useLang();
  const { can } = useSession();
  const id = params.id ?? '';
  const rec = useAsync(() => get<{ person: PersonRecord }>(`/api/persons/${encodeURIComponent(id)}`).then((r) => r.person), [id]);
  const reads = useAsync(() => get<{ total: number; items: AuditItem[] }>(`/api/audit${qs({ personId: id, limit: 20 })}`), [id], can('audit.read') && !!rec.data);
  const p = rec.data;

  if (rec.error instanceof ApiError && (rec.error.status === 404 || rec.error.status === 400)) {
    return <Result status="404" title={rec.error.message} extra={<Button onClick={() => navigate('/persons')}>{t('返回人员查询', 'Back to search')}</Button>} />;
  }
  return (
    <div>
      <PageTitle title={p ? `${t('人员档案', 'Person')} · ${p.fullIdentity ? p.name : p.maskedName}` : t('人员档案', 'Person')}>
        {t('查看人员档案将记入审计日志，本人可查询谁在何时查看过', 'Opening a record is audited; the person can see who read it and when')}
      </PageTitle>
      <ErrorBanner error={rec.error} onRetry={rec.reload} />
      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        <Card loading={rec.loading && !p} title={t('基本信息', 'Record')}>
          {p && (
            <Descriptions column={{ xs: 1, md: 2 }} bordered size="small" items={[
              { key: 'name', label: t('姓名', 'Name'), children: p.fullIdentity ? p.name : p.maskedName },
              { key: 'status', label: t('当前状态', 'Status'), children: <Space><Tag color={statusColor(p.status.code)}>{p.status.label || statusLabel(p.status.code, lang)}</Tag>{p.status.since && chinaDateTime(p.status.since)}</Space> },
              { key: 'doc', label: p.docTypeLabel, children: p.fullIdentity ? p.docNumber : p.docMasked },
              { key: 'birth', label: t('出生日期 / 性别', 'Birth date / sex'), children: `${p.birthDate ?? '—'} / ${p.sex === 'M' ? t('男', 'M') : p.sex === 'F' ? t('女', 'F') : '—'}` },
              { key: 'phone', label: t('手机号码', 'Mobile'), children: p.phone ?? '—' },
              { key: 'community', label: t('所在社区', 'Community'), children: p.homeCommunityName ?? p.homeCommunityCode ?? '—' },
              { key: 'address', label: t('住址', 'Address'), children: p.address || '—' },
              { key: 'via', label: t('登记方式', 'Registered'), children: `${VIA[p.registeredVia] ? t(...VIA[p.registeredVia]!) : p.registeredVia} · ${chinaDate(p.createdAt)}` },
              { key: 'reason', label: t('状态原因', 'Status reason'), span: 2, children: p.status.reason || '—' },
            ]} />
          )}
        </Card>
        {p && can('status.set') && (
          <Card title={t('变更状态', 'Change status')}>
            {p.status.code === 'fever_pending'
              ? <Alert type="info" showIcon title={t('“发热待复测”只能由卡点复测体温后解除', '"Fever, awaiting re-measurement" is cleared only by a re-measurement at the gate')} style={{ marginBottom: 12 }} />
              : null}
            <StatusForm personId={p.id} current={p.status.code} onChanged={rec.reload} />
          </Card>
        )}
        {p && can('cards.issue') && <PersonCards personId={p.id} />}
        {p && (
          <Card title={t('状态记录', 'Status history')}>
            <Table<HistoryRow> rowKey={(r) => `${r.at}-${r.status}`} size="small" dataSource={p.statusHistory} pagination={false}
              locale={{ emptyText: t('暂无状态变更', 'No changes') }}
              columns={[
                { title: t('时间', 'Time'), dataIndex: 'at', render: (v: string) => chinaDateTime(v) },
                { title: t('状态', 'Status'), dataIndex: 'status', render: (v: string, r) => <Tag color={statusColor(v)}>{r.label || statusLabel(v, lang)}</Tag> },
                { title: t('原因', 'Reason'), dataIndex: 'reason' },
                { title: t('操作角色', 'By role'), dataIndex: 'roleLabel' },
              ]} />
          </Card>
        )}
        {p && can('audit.read') && (
          <Card title={t('查阅记录', 'Who read this record')}>
            <ErrorBanner error={reads.error} onRetry={reads.reload} />
            <Table<AuditItem> rowKey="id" size="small" loading={reads.loading} dataSource={reads.data?.items ?? []} pagination={false}
              locale={{ emptyText: t('暂无记录', 'None') }}
              columns={[
                { title: t('时间', 'Time'), dataIndex: 'at', render: (v: string) => chinaDateTime(v) },
                { title: t('操作者', 'By'), render: (_: unknown, r) => r.actor.name ?? r.actor.kind },
                { title: t('操作', 'Action'), dataIndex: 'action', render: (v: string) => actionLabel(v, lang) },
              ]} />
          </Card>
        )}
      </Space>
    </div>
  );
}
