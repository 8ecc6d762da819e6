/**
 * The gate page's checkpoint: a guard's post (staff.checkpointId) or, for community staff, one
 * picked from the places of their area (GET /api/places, GET /api/places/:id). The choice is
 * remembered on this device.
 */
import { useEffect, useState } from 'react';
import { Alert, Select, Space } from 'antd';
import { errorMessage, get, qs } from '../api';
import { useSession } from '../session';
import { useT } from '../i18n';

export interface GateCheckpoint {
  id: string;
  name: string | null;
  placeName: string | null;
  communityCode: string | null;
}

interface PlaceItem { id: string; name: string; communityCode: string; communityName: string }
interface PlaceDetail extends PlaceItem { checkpoints: { id: string; name: string; disabled: boolean }[] }

const KEY = 'yiqu.console.gate.checkpoint';

function remembered(): GateCheckpoint | null {
  try { const v = JSON.parse(localStorage.getItem(KEY) ?? 'null'); return v && typeof v.id === 'string' ? v : null; } catch { return null; }
}

/** The checkpoint the gate page works on; null until chosen. */
export function useGateCheckpoint() {
  const { staff } = useSession();
  const own = staff?.checkpointId
    ? { id: staff.checkpointId, name: null, placeName: null, communityCode: staff.areaCode.length === 12 ? staff.areaCode : null }
    : null;
  const [picked, setPicked] = useState<GateCheckpoint | null>(() => (own ? null : remembered()));
  const choose = (cp: GateCheckpoint | null) => {
    setPicked(cp);
    try { if (cp) localStorage.setItem(KEY, JSON.stringify(cp)); else localStorage.removeItem(KEY); } catch { /* ignore */ }
  };
  return { checkpoint: own ?? picked, fixed: !!own, choose };
}

/** Place + gate selects; calls `onPick` with the chosen gate. */
export function CheckpointPicker({ value, onPick }: { value: GateCheckpoint | null; onPick: (cp: GateCheckpoint | null) => void }) {
  const t = useT();
  const { can } = useSession();
  const [q, setQ] = useState('');
  const [places, setPlaces] = useState<PlaceItem[]>([]);
  const [place, setPlace] = useState<PlaceDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const mayList = can('places.manage') || can('checkins.read');

  useEffect(() => {
    if (!mayList) return;
    let live = true;
    const timer = setTimeout(() => {
      get<{ items: PlaceItem[] }>(`/api/places${qs({ q: q.trim(), pageSize: 50 })}`)
        .then((r) => { if (live) { setPlaces(r.items); setError(null); } })
        .catch((e) => { if (live) setError(errorMessage(e)); });
    }, 250);
    return () => { live = false; clearTimeout(timer); };
  }, [q, mayList]);

  const pickPlace = async (id: string) => {
    try {
      const r = await get<{ place: PlaceDetail }>(`/api/places/${id}`);
      setPlace(r.place);
      const open = r.place.checkpoints.filter((c) => !c.disabled);
      if (open.length === 1) onPick({ id: open[0]!.id, name: open[0]!.name, placeName: r.place.name, communityCode: r.place.communityCode });
    } catch (e) { setError(errorMessage(e)); }
  };

  if (!mayList) {
    return <Alert type="warning" showIcon role="status" title={t('您的账号未分配值守卡点，请联系社区管理员在账号管理中设置', 'No checkpoint is assigned to your account; ask your administrator')} />;
  }
  return (
    <Space wrap>
      <Select showSearch aria-label={t('选择场所', 'Place')} placeholder={t('选择场所（输入名称搜索）', 'Place (type to search)')}
        style={{ minWidth: 260 }} size="large" filterOption={false} onSearch={setQ}
        value={place?.id ?? undefined} onChange={(id: string) => void pickPlace(id)}
        options={places.map((p) => ({ value: p.id, label: `${p.name}（${p.communityName}）` }))}
        notFoundContent={t('没有匹配的场所', 'No matching place')} />
      {place && (
        <Select aria-label={t('选择卡点', 'Checkpoint')} placeholder={t('选择卡点', 'Checkpoint')} style={{ minWidth: 180 }} size="large"
          value={value && place.checkpoints.some((c) => c.id === value.id) ? value.id : undefined}
          onChange={(id: string) => {
            const c = place.checkpoints.find((x) => x.id === id)!;
            onPick({ id, name: c.name, placeName: place.name, communityCode: place.communityCode });
          }}
          options={place.checkpoints.filter((c) => !c.disabled).map((c) => ({ value: c.id, label: c.name }))} />
      )}
      {error && <Alert type="error" showIcon role="status" title={error} />}
    </Space>
  );
}
