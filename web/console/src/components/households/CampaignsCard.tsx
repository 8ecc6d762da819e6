/**
 * 排查 / 清零行动 of a community: the list (GET /api/screening/campaigns?communityCode=, newest
 * first), each opening /screening/:id, and 发起排查行动 (POST /api/screening/campaigns: name and
 * start date, a China date not in the future), which opens the new campaign.
 */
import { useState } from 'react';
import { Alert, Button, Card, Form, Input, Modal, Table, Tag } from 'antd';
import { errorMessage, get, post, qs } from '../../api';
import { useT } from '../../i18n';
import { chinaDate } from '../../format';
import { Link, navigate } from '../../router';
import { ErrorBanner, useAsync, useEmptyText } from '../common';
import type { Campaign } from './model';

function CreateCampaign({ open, communityCode, onClose }: { open: boolean; communityCode: string; onClose: () => void }) {
  const t = useT();
  const [form] = Form.useForm<{ name: string; startedOn: string }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (v: { name: string; startedOn: string }) => {
    setBusy(true); setError(null);
    try {
      const r = await post<{ campaign: Campaign }>('/api/screening/campaigns', { communityCode, name: v.name.trim(), startedOn: v.startedOn });
      navigate(`/screening/${r.campaign.id}`);
    } catch (e) { setError(errorMessage(e)); } finally { setBusy(false); }
  };
  const title = t('发起排查行动', 'Start a screening campaign');
  return (
    <Modal open={open} title={title} onCancel={onClose} okText={t('发起', 'Start')} cancelText={t('取消', 'Cancel')} confirmLoading={busy}
      onOk={() => form.submit()} destroyOnHidden>
      <Form form={form} layout="vertical" onFinish={submit} aria-label={title} initialValues={{ name: '', startedOn: chinaDate() }}>
        <Form.Item label={t('行动名称', 'Campaign name')} name="name" rules={[{ required: true, whitespace: true, message: t('请填写排查行动名称', 'Give the campaign a name') }, { max: 60 }]}>
          <Input placeholder={t('如：11月全员入户排查、清零行动', 'e.g. November door-to-door screening')} />
        </Form.Item>
        <Form.Item label={t('开始日期', 'Starts on')} name="startedOn" rules={[{ required: true, message: t('请填写日期', 'Enter the date') }]}>
          <Input type="date" max={chinaDate()} style={{ width: 180 }} />
        </Form.Item>
        <Alert type="info" showIcon title={t('排查覆盖本社区全部住户（行动期间新增的住户也要走访）', 'Covers every household of the community (households added meanwhile too)')} />
      </Form>
      {error && <Alert type="error" showIcon style={{ marginTop: 8 }} title={error} />}
    </Modal>
  );
}

export function CampaignsCard({ communityCode }: { communityCode: string }) {
  const t = useT();
  const empty = useEmptyText();
  const [creating, setCreating] = useState(false);
  const res = useAsync(() => get<{ campaigns: Campaign[] }>(`/api/screening/campaigns${qs({ communityCode })}`).then((r) => r.campaigns), [communityCode]);
  return (
    <Card title={t('排查 / 清零行动', 'Screening campaigns')} extra={<Button type="primary" onClick={() => setCreating(true)}>{t('发起排查行动', 'Start a campaign')}</Button>}>
      <ErrorBanner error={res.error} onRetry={res.reload} />
      <Table<Campaign> rowKey="id" size="small" loading={res.loading} dataSource={res.data ?? []} pagination={{ pageSize: 10, hideOnSinglePage: true }}
        locale={{ emptyText: empty(res.error, t('本社区还没有排查行动', 'No campaign in this community yet')) }}
        columns={[
          { title: t('行动名称', 'Campaign'), dataIndex: 'name', render: (v: string, r) => <Link to={`/screening/${r.id}`}>{v}</Link> },
          { title: t('开始日期', 'Started'), dataIndex: 'startedOn' },
          { title: t('结束日期', 'Ended'), dataIndex: 'endedOn', render: (v: string | null) => v ?? '—' },
          { title: t('状态', 'State'), dataIndex: 'state', render: (v: string) => (v === 'open' ? <Tag color="processing">{t('进行中', 'Open')}</Tag> : <Tag>{t('已结束', 'Closed')}</Tag>) },
        ]} />
      <CreateCampaign open={creating} communityCode={communityCode} onClose={() => setCreating(false)} />
    </Card>
  );
}
