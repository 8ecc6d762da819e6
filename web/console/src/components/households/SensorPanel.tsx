/**
 * 电子门磁 of one household (permission sensors.manage): its sensors (GET /api/sensors?householdId=,
 * bound first), bind one (POST /api/sensors: device id, optionally the household's key person, agreed
 * daily windows), change the windows (PUT /api/sensors/:id/windows), unbind on release
 * (POST /api/sensors/:id/unbind) and open the door timeline (DoorTimeline). The key persons offered
 * are the open ones among the household's members (GET /api/key-persons, keypersons.read).
 */
import { useState } from 'react';
import { Alert, App, Button, Card, Descriptions, Empty, Form, Input, Space, Tag, Typography } from 'antd';
import { api, errorMessage, get, post, qs } from '../../api';
import { useLang, useT } from '../../i18n';
import { chinaDateTime } from '../../format';
import { useSession } from '../../session';
import { ErrorBanner, useAsync } from '../common';
import { DoorTimeline } from './DoorTimeline';
import { WindowsEditor, windowsForApi } from './WindowsEditor';
import { doorStateLabel, windowsText, type DoorWindow, type Household, type Sensor } from './model';

interface KeyPersonOption { keyPersonId: string; personId: string; maskedName: string }

function BindForm({ household, keyPersons, onBound }: { household: Household; keyPersons: KeyPersonOption[]; onBound: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const [device, setDevice] = useState('');
  const [keyPersonId, setKeyPersonId] = useState('');
  const [windows, setWindows] = useState<DoorWindow[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async () => {
    const ws = windowsForApi(windows);
    if (!device.trim()) { setError(t('请填写门磁设备编号', 'Enter the sensor device id')); return; }
    if (!ws) { setError(t('请填写每个约定时段的开始和结束时间', 'Give every window a start and an end')); return; }
    setBusy(true); setError(null);
    try {
      await post('/api/sensors', { device: device.trim(), householdId: household.id, ...(keyPersonId ? { keyPersonId } : {}), windows: ws });
      message.success(t('门磁已绑定', 'Sensor bound'));
      setDevice(''); setKeyPersonId(''); setWindows([]);
      onBound();
    } catch (e) { setError(errorMessage(e)); } finally { setBusy(false); }
  };
  return (
    <Form layout="vertical" onFinish={() => void submit()} aria-label={t('绑定门磁', 'Bind a sensor')} disabled={busy}>
      <Form.Item label={t('门磁设备编号', 'Sensor device id')} extra={t('门磁上标注的编号（Zigbee 设备名），只含字母、数字和 _ . : -', 'The id on the sensor (its Zigbee name): letters, digits and _ . : -')}>
        <Input aria-label={t('门磁设备编号', 'Sensor device id')} value={device} onChange={(e) => setDevice(e.target.value)} maxLength={64} autoComplete="off" spellCheck={false} style={{ maxWidth: 320 }} />
      </Form.Item>
      <Form.Item label={t('关联重点人员（可选）', 'Key person (optional)')}>
        <select className="native-select" aria-label={t('关联重点人员', 'Key person')} style={{ maxWidth: 320 }} value={keyPersonId} onChange={(e) => setKeyPersonId(e.target.value)}>
          <option value="">{keyPersons.length ? t('不指定（预警发给本户在管的重点人员）', 'None (alerts go to the household\'s open key person)') : t('本户暂无在管重点人员', 'No open key person in this household')}</option>
          {keyPersons.map((k) => <option key={k.keyPersonId} value={k.keyPersonId}>{k.maskedName}</option>)}
        </select>
      </Form.Item>
      <Form.Item label={t('约定开门时段（每天，北京时间）', 'Agreed daily times (China time)')}
        extra={t('约定时段外开门会向五包一专班发预警', 'A door opened outside these times alerts the five-for-one team')}>
        <WindowsEditor value={windows} onChange={setWindows} />
      </Form.Item>
      {error && <Alert type="error" showIcon style={{ marginBottom: 8 }} title={error} />}
      <Button type="primary" htmlType="submit" loading={busy}>{t('绑定门磁', 'Bind sensor')}</Button>
    </Form>
  );
}

function SensorCard({ sensor, keyPersonName, onChanged }: { sensor: Sensor; keyPersonName: string | null; onChanged: () => void }) {
  const t = useT();
  const { lang } = useLang();
  const { message, modal } = App.useApp();
  const [editing, setEditing] = useState<DoorWindow[] | null>(null);
  const [showTimeline, setShowTimeline] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const bound = !sensor.unboundAt;
  const saveWindows = async () => {
    const ws = windowsForApi(editing ?? []);
    if (!ws) { setError(t('请填写每个约定时段的开始和结束时间', 'Give every window a start and an end')); return; }
    setBusy(true); setError(null);
    try {
      await api('PUT', `/api/sensors/${sensor.id}/windows`, { windows: ws });
      message.success(t('约定时段已保存', 'Windows saved'));
      setEditing(null);
      onChanged();
    } catch (e) { setError(errorMessage(e)); } finally { setBusy(false); }
  };
  const unbind = () => modal.confirm({
    title: t(`解绑门磁 ${sensor.device}？`, `Unbind sensor ${sensor.device}?`),
    content: t('解除管控后解绑；解绑后不再接收此门磁的信号，已有记录保留', 'Unbind on release: its signals are no longer taken; its records stay'),
    okText: t('解绑', 'Unbind'), cancelText: t('取消', 'Cancel'), okButtonProps: { danger: true },
    onOk: async () => {
      try { await post(`/api/sensors/${sensor.id}/unbind`); message.success(t('门磁已解绑', 'Sensor unbound')); onChanged(); }
      catch (e) { message.error(errorMessage(e)); }
    },
  });
  return (
    <Card size="small" style={{ marginBottom: 12 }} data-testid="sensor-card"
      title={<Space wrap><span>{t('门磁', 'Sensor')} {sensor.device}</span>{bound ? <Tag color="green">{t('使用中', 'Bound')}</Tag> : <Tag>{t('已解绑', 'Unbound')}</Tag>}</Space>}
      extra={<Space wrap>
        <Button size="small" onClick={() => setShowTimeline((v) => !v)}>{showTimeline ? t('收起门磁记录', 'Hide timeline') : t('门磁记录', 'Door timeline')}</Button>
        {bound && !editing && <Button size="small" onClick={() => setEditing(sensor.windows.map((w) => ({ ...w })))}>{t('修改约定时段', 'Edit windows')}</Button>}
        {bound && <Button size="small" danger onClick={unbind}>{t('解绑', 'Unbind')}</Button>}
      </Space>}>
      <Descriptions size="small" column={{ xs: 1, md: 2 }} items={[
        { key: 'kp', label: t('重点人员', 'Key person'), children: keyPersonName ?? (sensor.keyPersonId ? t('（已解除或不在本户）', '(closed or elsewhere)') : t('未指定', 'None')) },
        { key: 'win', label: t('约定时段', 'Agreed times'), children: windowsText(sensor.windows, lang) },
        { key: 'door', label: t('门状态', 'Door'), children: doorStateLabel(sensor.contact, lang) || '—' },
        { key: 'bat', label: t('电量', 'Battery'), children: sensor.battery === null ? '—' : `${sensor.battery}%` },
        { key: 'seen', label: t('最近信号', 'Last signal'), children: sensor.lastSeenAt ? chinaDateTime(sensor.lastSeenAt) : t('尚无', 'None yet') },
        { key: 'bound', label: t('绑定时间', 'Bound at'), children: `${chinaDateTime(sensor.boundAt)}${sensor.unboundAt ? ` → ${chinaDateTime(sensor.unboundAt)}` : ''}` },
      ]} />
      {editing && (
        <div style={{ marginTop: 8 }} role="form" aria-label={t('修改约定时段', 'Edit windows')}>
          <WindowsEditor value={editing} onChange={setEditing} />
          {error && <Alert type="error" showIcon style={{ margin: '8px 0' }} title={error} />}
          <Space style={{ marginTop: 8 }}>
            <Button type="primary" loading={busy} onClick={() => void saveWindows()}>{t('保存约定时段', 'Save windows')}</Button>
            <Button onClick={() => { setEditing(null); setError(null); }}>{t('取消', 'Cancel')}</Button>
          </Space>
        </div>
      )}
      {showTimeline && <div style={{ marginTop: 8 }}><DoorTimeline sensorId={sensor.id} /></div>}
    </Card>
  );
}

export function SensorPanel({ household }: { household: Household }) {
  const t = useT();
  const { can } = useSession();
  const res = useAsync(() => get<{ sensors: Sensor[] }>(`/api/sensors${qs({ householdId: household.id })}`).then((r) => r.sensors), [household.id]);
  const memberIds = household.members.map((m) => m.personId).join(',');
  const kps = useAsync(async () => {
    const r = await get<{ keyPersons: Array<{ keyPersonId: string | null; personId: string; maskedName: string }> }>(
      `/api/key-persons${qs({ areaCode: household.communityCode, state: 'open' })}`);
    const members = new Set(memberIds.split(','));
    return r.keyPersons.filter((k): k is KeyPersonOption => !!k.keyPersonId && members.has(k.personId));
  }, [household.communityCode, memberIds], can('keypersons.read') && household.members.length > 0);
  const keyPersons = kps.data ?? [];
  const sensors = res.data ?? [];
  const anyBound = sensors.some((s) => !s.unboundAt);
  return (
    <div>
      <ErrorBanner error={res.error} onRetry={res.reload} />
      {!res.loading && !res.error && sensors.length === 0 && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('本户未绑定门磁', 'No sensor bound to this household')} />}
      {sensors.map((s) => (
        <SensorCard key={s.id} sensor={s} onChanged={res.reload} keyPersonName={keyPersons.find((k) => k.keyPersonId === s.keyPersonId)?.maskedName ?? null} />
      ))}
      <Typography.Title level={5} style={{ marginTop: 8 }}>{anyBound ? t('再绑定一个门磁', 'Bind another sensor') : t('绑定门磁', 'Bind a sensor')}</Typography.Title>
      <BindForm household={household} keyPersons={keyPersons} onBound={res.reload} />
    </div>
  );
}
