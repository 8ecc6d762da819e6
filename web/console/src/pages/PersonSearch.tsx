/**
 * 人员查询 /console/persons (permission persons.read): find a person by ID document
 * (POST /api/persons/lookup, permission persons.lookup_by_document, rate-limited and audited; the
 * number goes in the body, never the URL) and open the record; or re-bind a resident's phone with
 * the one-time code they show with their ID card (POST /api/persons/rebind, persons.register).
 */
import { useState } from 'react';
import { Alert, Button, Card, Form, Input, Space, Tag, Typography } from 'antd';
import { errorMessage, post } from '../api';
import { useLang, useT } from '../i18n';
import { DOC_TYPE_KEYS, docTypeLabel, statusColor } from '../format';
import { PageTitle } from '../components/common';
import { navigate } from '../router';
import { useSession } from '../session';
import type { GatePerson } from './GateRegister';

function Lookup() {
  const t = useT();
  const { lang } = useLang();
  const { can } = useSession();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [found, setFound] = useState<GatePerson | null>(null);
  const submit = async (v: { docType: string; docNumber: string }) => {
    setBusy(true); setError(null); setFound(null);
    try {
      const r = await post<{ person: GatePerson }>('/api/persons/lookup', { docType: v.docType, docNumber: v.docNumber.trim() });
      setFound(r.person);
    } catch (e) { setError(errorMessage(e)); } finally { setBusy(false); }
  };
  return (
    <Card title={t('按证件查询', 'Find by document')}>
      <Form layout="inline" onFinish={submit} initialValues={{ docType: 'resident_id' }} disabled={busy} style={{ rowGap: 12 }}>
        <Form.Item label={t('证件类型', 'Document type')} name="docType">
          <select className="native-select" style={{ width: 240 }}>
            {DOC_TYPE_KEYS.map((k) => <option key={k} value={k}>{docTypeLabel(k, lang)}</option>)}
          </select>
        </Form.Item>
        <Form.Item label={t('证件号码', 'Document number')} name="docNumber" rules={[{ required: true, whitespace: true, message: t('请输入证件号码', 'Enter the document number') }]}>
          <Input autoComplete="off" spellCheck={false} style={{ width: 240 }} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy}>{t('查询', 'Look up')}</Button>
      </Form>
      {error && <Alert type="error" showIcon style={{ marginTop: 16 }} title={error} />}
      {found && (
        <Space style={{ marginTop: 16 }} wrap>
          <Typography.Text strong>{found.maskedName}</Typography.Text>
          <Typography.Text type="secondary">{found.docMasked}</Typography.Text>
          <Tag color={statusColor(found.status.code)}>{found.status.label}</Tag>
          {can('persons.read') && <Button onClick={() => navigate(`/persons/${found.id}`)}>{t('查看档案', 'Open record')}</Button>}
        </Space>
      )}
    </Card>
  );
}

function Rebind() {
  const t = useT();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const submit = async (v: { code: string }) => {
    setBusy(true); setError(null); setDone(null);
    try {
      const r = await post<{ person: { maskedName: string; docMasked: string } }>('/api/persons/rebind', { code: v.code.trim() });
      setDone(t(`已为 ${r.person.maskedName}（${r.person.docMasked}）绑定新手机`, `Phone bound for ${r.person.maskedName} (${r.person.docMasked})`));
    } catch (e) { setError(errorMessage(e)); } finally { setBusy(false); }
  };
  return (
    <Card title={t('居民手机换绑', 'Re-bind a resident\'s phone')}>
      <Typography.Paragraph type="secondary">{t('居民在新手机上申请换绑码后，请核对其身份证件，再输入换绑码。', 'Check the resident\'s ID card, then enter the code shown on their new phone.')}</Typography.Paragraph>
      <Form layout="inline" onFinish={submit} disabled={busy}>
        <Form.Item label={t('换绑码', 'Re-bind code')} name="code" rules={[{ required: true, whitespace: true, message: t('请输入换绑码', 'Enter the code') }]}>
          <Input inputMode="numeric" autoComplete="off" style={{ width: 160 }} />
        </Form.Item>
        <Button htmlType="submit" loading={busy}>{t('绑定', 'Bind')}</Button>
      </Form>
      {error && <Alert type="error" showIcon style={{ marginTop: 16 }} title={error} />}
      {done && <Alert type="success" showIcon role="status" style={{ marginTop: 16 }} title={done} />}
    </Card>
  );
}

export default function PersonSearchPage() {
  const t = useT();
  const { can } = useSession();
  return (
    <div>
      <PageTitle title={t('人员查询', 'Persons')}>
        {t('每次查询均记入审计日志。也可从通行记录、发热预警中打开人员档案。', 'Every look-up is audited. Records also open from check-ins and alerts.')}
      </PageTitle>
      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        {can('persons.lookup_by_document')
          ? <Lookup />
          : <Alert type="info" showIcon title={t('您的角色不能按证件号码查询人员，请从通行记录或发热预警中打开人员档案', 'Your role cannot look up by document; open records from check-ins or alerts')} />}
        {can('persons.register') && <Rebind />}
      </Space>
    </div>
  );
}
