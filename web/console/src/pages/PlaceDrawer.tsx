/**
 * One place in a drawer (GET /api/places/:id): edit (PATCH /api/places/:id), disable/enable,
 * its checkpoints with their QR code and URL, add (POST /api/places/:id/checkpoints), rename
 * (PATCH /api/checkpoints/:id), disable/enable, and reissue the code
 * (POST /api/checkpoints/:id/reissue-token: the old poster stops working at once).
 */
import { useEffect, useState } from 'react';
import { Alert, App, Button, Descriptions, Drawer, Form, Input, Modal, Popconfirm, Popover, QRCode, Select, Space, Table, Tag, Typography } from 'antd';
import { errorMessage, get, patch, post } from '../api';
import { useLang, useT } from '../i18n';
import { chinaDateTime, PLACE_KIND_KEYS, placeKindLabel } from '../format';
import { AreaSelect } from '../components/AreaSelect';
import { ErrorBanner, useAsync } from '../components/common';

interface Checkpoint {
  id: string; placeId: string; name: string; mode: 'poster' | 'screen'; disabled: boolean; createdAt: string;
  token: string | null; tokenPrefix: string | null; url: string | null; tokenIssuedAt: string | null;
}
interface Place {
  id: string; name: string; kind: string; address: string; communityCode: string; communityName: string;
  streetName: string | null; disabled: boolean; createdAt: string; checkpoints: Checkpoint[];
}

export function PlaceDrawer({ id, onClose, onChanged }: { id: string | null; onClose: () => void; onChanged: () => void }) {
  const t = useT();
  const { lang } = useLang();
  const { message } = App.useApp();
  const res = useAsync(() => get<{ place: Place }>(`/api/places/${id}`).then((r) => r.place), [id], !!id);
  const [form] = Form.useForm();
  const [gate, setGate] = useState('');
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [renaming, setRenaming] = useState<{ id: string; name: string } | null>(null);
  const p = res.data;
  useEffect(() => { if (p) form.setFieldsValue({ name: p.name, kind: p.kind, address: p.address, communityCode: p.communityCode }); }, [p, form]);
  useEffect(() => { setError(null); setGate(''); }, [id]);

  /** Run a change; the server answers the updated place. */
  const act = async (key: string, fn: () => Promise<{ place: Place }>, done: string) => {
    setBusy(key); setError(null);
    try {
      const r = await fn();
      res.setData(r.place);
      onChanged();
      message.success(done);
      return true;
    } catch (e) { setError(errorMessage(e)); return false; } finally { setBusy(null); }
  };

  const save = (v: { name: string; kind: string; address: string; communityCode: string }) =>
    act('save', () => patch(`/api/places/${id}`, { name: v.name.trim(), kind: v.kind, address: (v.address ?? '').trim(), communityCode: v.communityCode }), t('已保存', 'Saved'));

  return (
    <Drawer open={!!id} onClose={onClose} size={720} title={p ? p.name : t('场所', 'Place')} destroyOnHidden
      extra={p && (p.disabled
        ? <Button loading={busy === 'enable'} onClick={() => void act('enable', () => post(`/api/places/${p.id}/enable`), t('场所已启用', 'Place enabled'))}>{t('启用场所', 'Enable')}</Button>
        : <Popconfirm title={t('停用后该场所所有卡点的二维码将立即失效，确定停用？', 'All its QR codes stop working at once. Disable?')}
            okText={t('停用', 'Disable')} cancelText={t('取消', 'Cancel')} onConfirm={() => void act('disable', () => post(`/api/places/${p.id}/disable`), t('场所已停用', 'Place disabled'))}>
            <Button danger loading={busy === 'disable'}>{t('停用场所', 'Disable')}</Button>
          </Popconfirm>)}>
      <ErrorBanner error={res.error} onRetry={res.reload} />
      {error && <Alert type="error" showIcon style={{ marginBottom: 16 }} title={error} />}
      {p && (
        <>
          {p.disabled && <Alert type="warning" showIcon style={{ marginBottom: 16 }} title={t('该场所已停用', 'This place is disabled')} />}
          <Descriptions size="small" column={2} style={{ marginBottom: 16 }} items={[
            { key: 'c', label: t('社区', 'Community'), children: `${p.streetName ?? ''} ${p.communityName}` },
            { key: 't', label: t('创建时间', 'Created'), children: chinaDateTime(p.createdAt) },
          ]} />
          <Form form={form} layout="vertical" onFinish={save}>
            <Space wrap align="start">
              <Form.Item label={t('场所名称', 'Place name')} name="name" rules={[{ required: true, whitespace: true, message: t('请输入场所名称', 'Enter the name') }]}>
                <Input style={{ width: 260 }} maxLength={100} />
              </Form.Item>
              <Form.Item label={t('场所类型', 'Kind')} name="kind">
                <Select style={{ width: 160 }} options={PLACE_KIND_KEYS.map((k) => ({ value: k, label: placeKindLabel(k, lang) }))} />
              </Form.Item>
            </Space>
            <Space wrap align="start">
              <Form.Item label={t('所在社区', 'Community')} name="communityCode"><AreaSelect communityOnly allowClear={false} style={{ width: 260 }} /></Form.Item>
              <Form.Item label={t('地址', 'Address')} name="address"><Input style={{ width: 300 }} maxLength={200} /></Form.Item>
            </Space>
            <Button htmlType="submit" loading={busy === 'save'}>{t('保存', 'Save')}</Button>
          </Form>
          <Typography.Title level={5} style={{ marginTop: 24 }}>{t('卡点', 'Checkpoints')}</Typography.Title>
          <Table<Checkpoint> rowKey="id" size="small" dataSource={p.checkpoints} pagination={false} scroll={{ x: 640 }}
            locale={{ emptyText: t('还没有卡点', 'No checkpoints yet') }}
            columns={[
              { title: t('卡点名称', 'Name'), dataIndex: 'name' },
              { title: t('状态', 'State'), dataIndex: 'disabled', render: (v: boolean) => (v ? <Tag>{t('已停用', 'Disabled')}</Tag> : <Tag color="green">{t('启用', 'Active')}</Tag>) },
              { title: t('二维码', 'QR code'), render: (_: unknown, c) => (c.url
                ? <Popover trigger="click" content={<Space orientation="vertical" align="center"><QRCode value={c.url} size={200} /><Typography.Text copyable={{ text: c.url }} style={{ fontSize: 12 }}>{c.url}</Typography.Text></Space>}>
                    <Button size="small">{t('查看', 'Show')} {c.tokenPrefix}</Button>
                  </Popover>
                : <span>{c.tokenPrefix ?? '—'}</span>) },
              { title: t('生成时间', 'Issued'), dataIndex: 'tokenIssuedAt', render: (v: string | null) => chinaDateTime(v) },
              {
                // screen mode (issue 3 §5): the guard's tablet shows a code that changes every 30 s; the poster stops working
                title: t('扫码方式', 'Code'), dataIndex: 'mode', render: (m: Checkpoint['mode'], c) => (
                  <Popconfirm
                    title={m === 'poster'
                      ? t('改为屏幕动态码：张贴的二维码立即失效，值守平板的“屏幕码”页显示每 30 秒更新的二维码。确定？', 'Switch to the on-screen code: the poster stops working at once and the guard\'s tablet shows a code that changes every 30 s. Switch?')
                      : t('改回张贴二维码：屏幕上的动态码立即失效。确定？', 'Back to the printed poster: the on-screen code stops working at once. Switch?')}
                    okText={t('切换', 'Switch')} cancelText={t('取消', 'Cancel')}
                    onConfirm={() => void act(`md-${c.id}`, () => post(`/api/checkpoints/${c.id}/mode`, { mode: m === 'poster' ? 'screen' : 'poster' }),
                      m === 'poster' ? t('已改为屏幕动态码', 'Now shows an on-screen code') : t('已改回张贴二维码', 'Back to the printed poster'))}>
                    <Button size="small" loading={busy === `md-${c.id}`}>{m === 'screen' ? t('屏幕动态码', 'On-screen') : t('张贴二维码', 'Poster')}</Button>
                  </Popconfirm>
                ),
              },
              {
                title: t('操作', 'Actions'), render: (_: unknown, c) => (
                  <Space size={4} wrap>
                    <Button size="small" onClick={() => setRenaming({ id: c.id, name: c.name })}>{t('改名', 'Rename')}</Button>
                    {c.disabled
                      ? <Button size="small" onClick={() => void act(`cp-${c.id}`, () => post(`/api/checkpoints/${c.id}/enable`), t('卡点已启用', 'Checkpoint enabled'))}>{t('启用', 'Enable')}</Button>
                      : <Popconfirm title={t('停用后该卡点二维码立即失效，确定？', 'Its QR code stops working at once. Disable?')} okText={t('停用', 'Disable')} cancelText={t('取消', 'Cancel')}
                          onConfirm={() => void act(`cp-${c.id}`, () => post(`/api/checkpoints/${c.id}/disable`), t('卡点已停用', 'Checkpoint disabled'))}>
                          <Button size="small" danger>{t('停用', 'Disable')}</Button>
                        </Popconfirm>}
                    <Popconfirm title={t('重新生成后旧海报立即失效，需重新打印。确定？', 'The old poster stops working at once and must be reprinted. Reissue?')}
                      okText={t('重新生成', 'Reissue')} cancelText={t('取消', 'Cancel')}
                      onConfirm={() => void act(`tk-${c.id}`, () => post(`/api/checkpoints/${c.id}/reissue-token`), t('已生成新二维码，请重新打印海报', 'New code issued: reprint the poster'))}>
                      <Button size="small" loading={busy === `tk-${c.id}`}>{t('重新生成二维码', 'Reissue code')}</Button>
                    </Popconfirm>
                  </Space>
                ),
              },
            ]} />
          <Space style={{ marginTop: 12 }} wrap>
            <Input aria-label={t('新卡点名称', 'New checkpoint name')} placeholder={t('新卡点名称，如 北门', 'New checkpoint, e.g. North gate')} value={gate}
              maxLength={60} onChange={(e) => setGate(e.target.value)} style={{ width: 240 }} />
            <Button disabled={!gate.trim()} loading={busy === 'add'}
              onClick={() => void act('add', () => post(`/api/places/${p.id}/checkpoints`, { name: gate.trim() }), t('卡点已添加', 'Checkpoint added')).then((ok) => ok && setGate(''))}>
              {t('添加卡点', 'Add checkpoint')}
            </Button>
          </Space>
        </>
      )}
      <RenameModal value={renaming} onClose={() => setRenaming(null)}
        onSave={(cid, name) => act(`rn-${cid}`, () => patch(`/api/checkpoints/${cid}`, { name }), t('已改名', 'Renamed')).then((ok) => { if (ok) setRenaming(null); })} />
    </Drawer>
  );
}

function RenameModal({ value, onClose, onSave }: { value: { id: string; name: string } | null; onClose: () => void; onSave: (id: string, name: string) => void }) {
  const t = useT();
  const [name, setName] = useState('');
  useEffect(() => { setName(value?.name ?? ''); }, [value]);
  return (
    <Modal open={!!value} title={t('卡点改名', 'Rename checkpoint')} onCancel={onClose} okText={t('保存', 'Save')} cancelText={t('取消', 'Cancel')} destroyOnHidden
      onOk={() => { if (value && name.trim()) onSave(value.id, name.trim()); }}>
      <Input aria-label={t('卡点名称', 'Checkpoint name')} value={name} maxLength={60} onChange={(e) => setName(e.target.value)} />
    </Modal>
  );
}
