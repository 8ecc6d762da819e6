/**
 * The buildings of a community (GET /api/buildings, with household counts) as a pick list: 全部 or
 * one building filters the households beside it; 新增楼栋 adds one (POST /api/buildings).
 */
import { useState } from 'react';
import { Alert, App, Button, Card, Input, Menu, Space } from 'antd';
import { errorMessage, post } from '../../api';
import { useT } from '../../i18n';
import type { Building } from './model';

export function BuildingsCard({ communityCode, buildings, loading, selected, onSelect, onAdded }: {
  communityCode: string; buildings: Building[]; loading: boolean; selected: string | null;
  onSelect: (id: string | null) => void; onAdded: (b: Building) => void;
}) {
  const t = useT();
  const { message } = App.useApp();
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const add = async () => {
    if (!name.trim()) return;
    setBusy(true); setError(null);
    try {
      const r = await post<{ building: Building }>('/api/buildings', { communityCode, name: name.trim() });
      setName('');
      message.success(t('楼栋已添加', 'Building added'));
      onAdded(r.building);
    } catch (e) { setError(errorMessage(e)); } finally { setBusy(false); }
  };
  const total = buildings.reduce((n, b) => n + b.households, 0);
  return (
    <Card title={t('楼栋', 'Buildings')} loading={loading && !buildings.length} styles={{ body: { padding: 8 } }}>
      <Menu mode="inline" selectedKeys={[selected ?? '*']} onClick={(e) => onSelect(e.key === '*' ? null : e.key)} style={{ borderInlineEnd: 'none' }}
        items={[
          { key: '*', label: t('全部住户', 'All households') },
          ...buildings.map((b) => ({ key: b.id, label: `${b.name}（${t(`${b.households} 户`, `${b.households}`)}）` })),
        ]} />
      {buildings.length > 0 && total === 0 && <div style={{ padding: '0 16px', color: '#888', fontSize: 12 }}>{t('楼栋里还没有住户', 'No households in the buildings yet')}</div>}
      <Space.Compact style={{ width: '100%', marginTop: 8 }}>
        <Input aria-label={t('新楼栋名称', 'New building name')} placeholder={t('如：3号楼', 'e.g. Building 3')} maxLength={60} value={name}
          onChange={(e) => setName(e.target.value)} onPressEnter={() => void add()} />
        <Button loading={busy} onClick={() => void add()}>{t('新增楼栋', 'Add building')}</Button>
      </Space.Compact>
      {error && <Alert type="error" showIcon style={{ marginTop: 8 }} title={error} />}
    </Card>
  );
}
