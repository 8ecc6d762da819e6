/**
 * One household in a drawer: its facts, 修改 (HouseholdForm), its members (masked names as the API
 * gives them) with 添加成员 (the console's PersonPicker: by name among check-ins or by document;
 * POST /api/households/:id/members) and 移出 (DELETE …/members/:personId), and its door sensors
 * (SensorPanel, permission sensors.manage).
 */
import { useState } from 'react';
import { Alert, App, Button, Card, Descriptions, Drawer, Input, Popconfirm, Space, Table, Tag, Typography } from 'antd';
import { api, errorMessage, post } from '../../api';
import { useLang, useT } from '../../i18n';
import { chinaDate } from '../../format';
import { useSession } from '../../session';
import { PersonPicker, type PickedPerson } from '../epi/PersonPicker';
import { HouseholdForm } from './HouseholdForm';
import { SensorPanel } from './SensorPanel';
import { householdAddress, occupancyColour, occupancyLabel, type Building, type Household, type HouseholdMember } from './model';

function AddMember({ household, onAdded }: { household: Household; onAdded: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const [picked, setPicked] = useState<PickedPerson | null>(null);
  const [since, setSince] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const add = async () => {
    if (!picked) return;
    if (!picked.id) { setError(t('请先按证件查到此人（需要按证件查询的权限）', 'Find the person first (needs the look-up by document permission)')); return; }
    setBusy(true); setError(null);
    try {
      await post(`/api/households/${household.id}/members`, { personId: picked.id, since: since || null });
      message.success(t('已添加成员', 'Member added'));
      setPicked(null); setSince('');
      onAdded();
    } catch (e) { setError(errorMessage(e)); } finally { setBusy(false); }
  };
  return (
    <div role="form" aria-label={t('添加成员', 'Add a member')}>
      <PersonPicker value={picked} onChange={(p) => { setPicked(p); setError(null); }} />
      {picked && (
        <Space wrap style={{ marginTop: 8 }}>
          <span>{t('入住日期', 'Living there since')}</span>
          <Input type="date" aria-label={t('入住日期', 'Living there since')} max={chinaDate()} value={since} onChange={(e) => setSince(e.target.value)} style={{ width: 170 }} />
          <Button type="primary" loading={busy} onClick={() => void add()}>{t('添加为成员', 'Add as member')}</Button>
        </Space>
      )}
      {error && <Alert type="error" showIcon style={{ marginTop: 8 }} title={error} />}
    </div>
  );
}

export function HouseholdDrawer({ household, buildings, onClose, onChanged }: {
  household: Household | null; buildings: Building[]; onClose: () => void; onChanged: () => void;
}) {
  const t = useT();
  const { lang } = useLang();
  const { can } = useSession();
  const { message } = App.useApp();
  const [editing, setEditing] = useState(false);
  const h = household;
  const remove = async (m: HouseholdMember) => {
    try {
      await api('DELETE', `/api/households/${h!.id}/members/${m.personId}`);
      message.success(t('已移出', 'Removed'));
      onChanged();
    } catch (e) { message.error(errorMessage(e)); }
  };
  return (
    <Drawer open={!!h} onClose={onClose} size="min(880px, 100vw)" destroyOnHidden
      title={h ? `${householdAddress(h, lang)} · ${t('住户', 'Household')}` : ''}
      extra={h && <Button onClick={() => setEditing(true)}>{t('修改住户', 'Edit household')}</Button>}>
      {h && (
        <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
          <Descriptions bordered size="small" column={{ xs: 1, md: 2 }} items={[
            { key: 'addr', label: t('门牌', 'Address'), children: householdAddress(h, lang) },
            { key: 'occ', label: t('居住情况', 'Occupancy'), children: <Tag color={occupancyColour(h.occupancy)}>{occupancyLabel(h.occupancy, lang)}</Tag> },
            { key: 'since', label: t('入住日期', 'Living there since'), children: h.residentSince ?? '—' },
            { key: 'tenant', label: t('租户情况', 'Tenant details'), children: h.tenantNote || '—' },
          ]} />
          <Card size="small" title={t(`成员（${h.members.length}）`, `Members (${h.members.length})`)}>
            <Table<HouseholdMember> rowKey="personId" size="small" pagination={false} dataSource={h.members}
              locale={{ emptyText: t('尚未登记成员', 'No members yet') }}
              columns={[
                { title: t('姓名', 'Name'), dataIndex: 'maskedName' },
                { title: t('入住日期', 'Since'), dataIndex: 'since', render: (v: string | null) => v ?? '—' },
                { title: '', width: 90, render: (_: unknown, m) => (
                  <Popconfirm title={t(`将 ${m.maskedName} 移出本户？`, `Remove ${m.maskedName} from this household?`)} okText={t('移出', 'Remove')} cancelText={t('取消', 'Cancel')}
                    onConfirm={() => remove(m)}>
                    <Button size="small" danger aria-label={`${t('移出', 'Remove')} ${m.maskedName}`}>{t('移出', 'Remove')}</Button>
                  </Popconfirm>
                ) },
              ]} />
            <Typography.Title level={5} style={{ marginTop: 12 }}>{t('添加成员', 'Add a member')}</Typography.Title>
            <AddMember household={h} onAdded={onChanged} />
          </Card>
          {can('sensors.manage') && (
            <Card size="small" title={t('电子门磁', 'Door sensors')}>
              <SensorPanel household={h} />
            </Card>
          )}
        </Space>
      )}
      {h && (
        <HouseholdForm open={editing} communityCode={h.communityCode} buildings={buildings} household={h} defaultBuildingId={h.buildingId}
          onClose={() => setEditing(false)} onSaved={() => { setEditing(false); message.success(t('已保存', 'Saved')); onChanged(); }} />
      )}
    </Drawer>
  );
}
