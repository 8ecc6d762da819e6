/**
 * 场所与卡点 (permission places.manage): places of the account's area with filters and paging
 * (GET /api/places), create (POST /api/places with its gates), open one to edit it and its
 * checkpoints (PlaceDrawer), import from CSV/XLSX and download posters (PlaceTransfer).
 */
import { useState } from 'react';
import { Alert, App, Button, Card, Form, Input, Modal, Select, Space, Table, Tag } from 'antd';
import { errorMessage, get, post, qs } from '../api';
import { useLang, useT } from '../i18n';
import { PLACE_KIND_KEYS, placeKindLabel } from '../format';
import { AreaSelect } from '../components/AreaSelect';
import { ErrorBanner, PageTitle, useAsync } from '../components/common';
import { PlaceDrawer } from './PlaceDrawer';
import { ImportModal, PosterModal } from './PlaceTransfer';

export interface PlaceListItem {
  id: string; name: string; kind: string; kindLabel: string; address: string; communityCode: string; communityName: string;
  streetCode: string | null; streetName: string | null; disabled: boolean; createdAt: string; activeCheckpoints: number; totalCheckpoints: number;
}
interface Filter { areaCode?: string; kind?: string; q: string; disabled: 'false' | 'true' | 'all' }

function CreatePlace({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: (id: string) => void }) {
  const t = useT();
  const { lang } = useLang();
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (v: { communityCode: string; name: string; kind: string; address?: string; gates?: string }) => {
    setBusy(true); setError(null);
    try {
      const checkpoints = (v.gates ?? '').split(/[\n,，、]/).map((s) => s.trim()).filter(Boolean);
      const r = await post<{ place: { id: string } }>('/api/places', { communityCode: v.communityCode, name: v.name.trim(), kind: v.kind,
        address: (v.address ?? '').trim(), ...(checkpoints.length ? { checkpoints } : {}) });
      form.resetFields();
      onCreated(r.place.id);
    } catch (e) { setError(errorMessage(e)); } finally { setBusy(false); }
  };
  return (
    <Modal open={open} title={t('新建场所', 'New place')} onCancel={onClose} okText={t('创建', 'Create')} cancelText={t('取消', 'Cancel')}
      confirmLoading={busy} onOk={() => form.submit()} destroyOnHidden>
      <Form form={form} layout="vertical" onFinish={submit} initialValues={{ kind: 'residential', gates: '' }}>
        <Form.Item label={t('所在社区', 'Community')} name="communityCode" rules={[{ required: true, message: t('请选择社区/村', 'Choose the community') }]}>
          <AreaSelect communityOnly />
        </Form.Item>
        <Form.Item label={t('场所名称', 'Place name')} name="name" rules={[{ required: true, whitespace: true, message: t('请输入场所名称', 'Enter the name') }, { max: 100 }]}>
          <Input />
        </Form.Item>
        <Form.Item label={t('场所类型', 'Kind')} name="kind">
          <Select options={PLACE_KIND_KEYS.map((k) => ({ value: k, label: placeKindLabel(k, lang) }))} />
        </Form.Item>
        <Form.Item label={t('地址', 'Address')} name="address"><Input maxLength={200} /></Form.Item>
        <Form.Item label={t('卡点名称', 'Checkpoints')} name="gates" extra={t('每行一个，例如：东门、西门；每个卡点生成一个二维码', 'One per line, e.g. East gate; each gets its own QR code')}>
          <Input.TextArea rows={3} placeholder={'东门\n西门'} />
        </Form.Item>
      </Form>
      {error && <Alert type="error" showIcon title={error} />}
    </Modal>
  );
}

export default function PlacesPage() {
  const t = useT();
  const { lang } = useLang();
  const { message } = App.useApp();
  const [filter, setFilter] = useState<Filter>({ q: '', disabled: 'false' });
  const [q, setQ] = useState('');
  const [page, setPage] = useState({ current: 1, pageSize: 50 });
  const [openId, setOpenId] = useState<string | null>(null);
  const [modal, setModal] = useState<'create' | 'import' | 'posters' | null>(null);
  const res = useAsync(() => get<{ items: PlaceListItem[]; total: number }>(`/api/places${qs({ ...filter, q: filter.q || undefined, page: page.current, pageSize: page.pageSize })}`),
    [JSON.stringify(filter), page.current, page.pageSize]);
  const set = (p: Partial<Filter>) => { setFilter((f) => ({ ...f, ...p })); setPage((x) => ({ ...x, current: 1 })); };

  return (
    <div>
      <PageTitle title={t('场所与卡点', 'Places & checkpoints')} extra={<>
        <Button type="primary" onClick={() => setModal('create')}>{t('新建场所', 'New place')}</Button>
        <Button onClick={() => setModal('import')}>{t('批量导入', 'Import')}</Button>
        <Button onClick={() => setModal('posters')}>{t('下载海报', 'Posters')}</Button>
      </>}>
        {t('每个卡点有独立的二维码；重新生成后旧海报立即失效', 'Each checkpoint has its own QR code; reissuing it voids the old poster at once')}
      </PageTitle>
      <Card style={{ marginBottom: 16 }}>
        <Space wrap>
          <AreaSelect value={filter.areaCode} onChange={(v) => set({ areaCode: v })} aria-label={t('区域', 'Area')} />
          <Select allowClear aria-label={t('场所类型', 'Kind')} placeholder={t('全部类型', 'All kinds')} style={{ width: 160 }} value={filter.kind}
            onChange={(v) => set({ kind: v })} options={PLACE_KIND_KEYS.map((k) => ({ value: k, label: placeKindLabel(k, lang) }))} />
          <Select aria-label={t('状态', 'State')} style={{ width: 120 }} value={filter.disabled} onChange={(v) => set({ disabled: v })}
            options={[{ value: 'false', label: t('启用中', 'Active') }, { value: 'true', label: t('已停用', 'Disabled') }, { value: 'all', label: t('全部', 'All') }]} />
          <Input.Search aria-label={t('场所名称', 'Place name')} placeholder={t('场所名称', 'Place name')} allowClear style={{ width: 220 }} value={q}
            onChange={(e) => { setQ(e.target.value); if (!e.target.value) set({ q: '' }); }} onSearch={(v) => set({ q: v.trim() })} enterButton={t('查询', 'Search')} />
        </Space>
      </Card>
      <ErrorBanner error={res.error} onRetry={res.reload} />
      <Card>
        <Table<PlaceListItem> rowKey="id" size="middle" loading={res.loading} dataSource={res.data?.items ?? []} scroll={{ x: 900 }}
          locale={{ emptyText: res.error ? t('加载失败', 'Failed to load') : filter.q || filter.kind ? t('没有符合条件的场所', 'No place matches') : t('还没有场所，请新建或批量导入', 'No places yet: create or import them') }}
          onRow={(r) => ({ onClick: () => setOpenId(r.id), style: { cursor: 'pointer' } })}
          pagination={{ ...page, total: res.data?.total ?? 0, showSizeChanger: true, showTotal: (n) => t(`共 ${n} 个场所`, `${n} places`),
            onChange: (current, pageSize) => setPage({ current, pageSize }) }}
          columns={[
            { title: t('场所名称', 'Place'), dataIndex: 'name', render: (v: string, r) => <Button type="link" style={{ padding: 0 }} onClick={(e) => { e.stopPropagation(); setOpenId(r.id); }}>{v}</Button> },
            { title: t('类型', 'Kind'), dataIndex: 'kind', render: (v: string) => placeKindLabel(v, lang) },
            { title: t('街道', 'Street'), dataIndex: 'streetName' },
            { title: t('社区/村', 'Community'), dataIndex: 'communityName' },
            { title: t('卡点', 'Gates'), render: (_: unknown, r) => `${r.activeCheckpoints} / ${r.totalCheckpoints}` },
            { title: t('状态', 'State'), dataIndex: 'disabled', render: (v: boolean) => (v ? <Tag>{t('已停用', 'Disabled')}</Tag> : <Tag color="green">{t('启用', 'Active')}</Tag>) },
          ]} />
      </Card>
      <CreatePlace open={modal === 'create'} onClose={() => setModal(null)}
        onCreated={(id) => { setModal(null); message.success(t('场所已创建', 'Place created')); res.reload(); setOpenId(id); }} />
      <ImportModal open={modal === 'import'} onClose={() => setModal(null)} onImported={() => res.reload()} />
      <PosterModal open={modal === 'posters'} onClose={() => setModal(null)} defaultArea={filter.areaCode} />
      <PlaceDrawer id={openId} onClose={() => setOpenId(null)} onChanged={res.reload} />
    </div>
  );
}
