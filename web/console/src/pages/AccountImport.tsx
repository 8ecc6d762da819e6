/**
 * Bulk import of guards from a spreadsheet (POST /api/staff/accounts/import, raw file body; all
 * or nothing, per-row errors in details.errors) with the one-time passwords shown once and
 * savable as a CSV; and organisations (GET/POST /api/staff/organisations).
 */
import { useEffect, useState } from 'react';
import { Alert, App, Button, Form, Input, Modal, Select, Space, Table } from 'antd';
import { ApiError, download, errorMessage, get, post, upload } from '../api';
import { useLang, useT } from '../i18n';
import { chinaDate } from '../format';
import { ORG_KINDS } from '../roles';
import { AreaSelect } from '../components/AreaSelect';
import { ErrorBanner, useEmptyText, useAsync } from '../components/common';
import { csvCell } from '../figures';

interface Imported { line: number; username: string; displayName: string; areaName: string; checkpointLabel: string | null; password: string }
interface RowError { line: number; column?: string; message: string }

function savePasswords(rows: Imported[]) {
  const lines = [['行号', '用户名', '姓名', '社区', '卡点', '初始密码'], ...rows.map((r) => [String(r.line), r.username, r.displayName, r.areaName, r.checkpointLabel ?? '', r.password])];
  const text = '\uFEFF' + lines.map((l) => l.map(csvCell).join(',')).join('\r\n') + '\r\n';
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url; a.download = '值守人员初始密码.csv'; a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function GuardImport({ open, onClose, onImported }: { open: boolean; onClose: () => void; onImported: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [errors, setErrors] = useState<RowError[]>([]);
  const [done, setDone] = useState<{ accounts: Imported[]; ignoredColumns: string[] } | null>(null);
  useEffect(() => { if (!open) { setError(null); setErrors([]); setDone(null); } }, [open]);

  const pick = async (f: File | null) => {
    if (!f) return;
    setBusy(true); setError(null); setErrors([]); setDone(null);
    try {
      const r = await upload<{ created: number; ignoredColumns: string[]; accounts: Imported[] }>('/api/staff/accounts/import', f);
      setDone(r); onImported();
    } catch (e) {
      setError(errorMessage(e));
      setErrors(e instanceof ApiError ? ((e.details?.errors as RowError[] | undefined) ?? []) : []);
    } finally { setBusy(false); }
  };

  return (
    <Modal open={open} onCancel={onClose} width={820} title={t('批量导入值守人员', 'Import guards')} destroyOnHidden
      footer={<Space>{done && <Button type="primary" onClick={() => savePasswords(done.accounts)}>{t('下载密码清单', 'Save passwords (CSV)')}</Button>}<Button onClick={onClose}>{t('关闭', 'Close')}</Button></Space>}>
      <p>{t('列：姓名、用户名（选填）、社区编码或社区名称、卡点（选填，如“幸福小区 东门”）。全部无误才会创建；初始密码只显示这一次。',
        'Columns: name, username (optional), community code or name, checkpoint (optional). All rows must be valid; passwords are shown only this once.')}
        {' '}<Button type="link" style={{ padding: 0 }} onClick={() => void download('/api/staff/accounts/import-template', 'guards-template.csv').catch((e) => message.error(errorMessage(e)))}>{t('下载模板', 'Template')}</Button></p>
      <label htmlFor="guard-import-file" style={{ fontWeight: 600, marginRight: 8 }}>{t('选择文件', 'Choose file')}</label>
      <input id="guard-import-file" type="file" accept=".csv,.xlsx,.xls" disabled={busy || !!done} onChange={(e) => void pick(e.target.files?.[0] ?? null)} />
      {busy && <Alert type="info" showIcon role="status" style={{ marginTop: 12 }} title={t('正在导入…', 'Importing…')} />}
      {error && <Alert type="error" showIcon style={{ marginTop: 12 }} title={error} />}
      {errors.length > 0 && (
        <Table<RowError> size="small" style={{ marginTop: 12 }} rowKey={(r) => `${r.line}-${r.column ?? ''}-${r.message}`} dataSource={errors} pagination={{ pageSize: 10 }}
          columns={[{ title: t('行号', 'Line'), dataIndex: 'line', width: 70 }, { title: t('列', 'Column'), dataIndex: 'column', width: 120 }, { title: t('问题', 'Problem'), dataIndex: 'message' }]} />
      )}
      {done && (
        <>
          <Alert type="success" showIcon style={{ marginTop: 12 }} title={t(`已创建 ${done.accounts.length} 个账号。请立即下载或记下初始密码，关闭后无法再次查看。`, `${done.accounts.length} accounts created. Save the passwords now: they cannot be shown again.`)}
            description={done.ignoredColumns.length ? t(`已忽略的列：${done.ignoredColumns.join('、')}`, `Ignored columns: ${done.ignoredColumns.join(', ')}`) : undefined} />
          <Table<Imported> size="small" style={{ marginTop: 12 }} rowKey="username" dataSource={done.accounts} pagination={{ pageSize: 10 }}
            columns={[
              { title: t('用户名', 'Username'), dataIndex: 'username' }, { title: t('姓名', 'Name'), dataIndex: 'displayName' },
              { title: t('社区', 'Community'), dataIndex: 'areaName' }, { title: t('卡点', 'Checkpoint'), dataIndex: 'checkpointLabel' },
              { title: t('初始密码', 'Password'), dataIndex: 'password', render: (v: string) => <code>{v}</code> },
            ]} />
        </>
      )}
    </Modal>
  );
}

interface Org { id: string; kind: string; name: string; areaCode: string; areaName: string; createdAt: string }

export function Organisations() {
  const t = useT();
  const empty = useEmptyText();
  const { lang } = useLang();
  const { message } = App.useApp();
  const list = useAsync(() => get<{ items: Org[] }>('/api/staff/organisations').then((r) => r.items), []);
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const kindLabel = (k: string) => (ORG_KINDS[k] ? ORG_KINDS[k]![lang === 'zh' ? 0 : 1] : k);
  const submit = async (v: { name: string; kind: string; areaCode: string }) => {
    setBusy(true); setError(null);
    try {
      await post('/api/staff/organisations', { name: v.name.trim(), kind: v.kind, areaCode: v.areaCode });
      form.resetFields(); message.success(t('机构已创建', 'Organisation created')); list.reload();
    } catch (e) { setError(errorMessage(e)); } finally { setBusy(false); }
  };
  return (
    <>
      <Form form={form} layout="inline" onFinish={submit} initialValues={{ kind: 'health_center' }} style={{ marginBottom: 16, rowGap: 8 }}>
        <Form.Item label={t('机构名称', 'Name')} name="name" rules={[{ required: true, whitespace: true, message: t('请输入机构名称', 'Enter the name') }]}><Input style={{ width: 220 }} maxLength={100} /></Form.Item>
        <Form.Item label={t('类型', 'Kind')} name="kind"><Select style={{ width: 180 }} options={Object.keys(ORG_KINDS).map((k) => ({ value: k, label: kindLabel(k) }))} /></Form.Item>
        <Form.Item label={t('所属区域', 'Area')} name="areaCode" rules={[{ required: true, message: t('请选择区域', 'Choose the area') }]}><AreaSelect /></Form.Item>
        <Button type="primary" htmlType="submit" loading={busy}>{t('新建机构', 'Create')}</Button>
      </Form>
      {error && <Alert type="error" showIcon style={{ marginBottom: 12 }} title={error} />}
      <ErrorBanner error={list.error} onRetry={list.reload} />
      <Table<Org> rowKey="id" size="middle" loading={list.loading} dataSource={list.data ?? []} locale={{ emptyText: empty(list.error, t('暂无机构', 'No organisations')) }}
        columns={[
          { title: t('机构名称', 'Name'), dataIndex: 'name' }, { title: t('类型', 'Kind'), dataIndex: 'kind', render: kindLabel },
          { title: t('所属区域', 'Area'), dataIndex: 'areaName' }, { title: t('创建', 'Created'), dataIndex: 'createdAt', render: (v: string) => chinaDate(v) },
        ]} />
    </>
  );
}
