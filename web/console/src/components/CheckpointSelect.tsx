/** Choose a checkpoint: a place of the area (by name), then one of its gates. Value = checkpoint id. */
import { useEffect, useState } from 'react';
import { Select, Space } from 'antd';
import { get } from '../api';
import { useT } from '../i18n';
import { PlaceSelect } from './PlaceSelect';

interface Place { id: string; name: string; checkpoints: { id: string; name: string; disabled: boolean }[] }

export function CheckpointSelect({ value, onChange, areaCode, currentLabel }: {
  value?: string | null; onChange?: (id: string | null) => void; areaCode?: string; currentLabel?: string | null;
}) {
  const t = useT();
  const [place, setPlace] = useState<Place | null>(null);
  useEffect(() => { setPlace(null); }, [areaCode]);
  const choosePlace = async (id: string | undefined) => {
    if (!id) { setPlace(null); onChange?.(null); return; }
    try { setPlace((await get<{ place: Place }>(`/api/places/${id}`)).place); } catch { setPlace(null); }
  };
  return (
    <Space wrap>
      <PlaceSelect value={place?.id} areaCode={areaCode} onChange={(id) => void choosePlace(id)} style={{ minWidth: 220 }} />
      <Select aria-label={t('卡点', 'Checkpoint')} allowClear style={{ minWidth: 160 }} placeholder={currentLabel ?? t('选择卡点', 'Checkpoint')}
        value={place && value && place.checkpoints.some((c) => c.id === value) ? value : undefined}
        onChange={(v: string | undefined) => onChange?.(v ?? null)} disabled={!place}
        options={(place?.checkpoints ?? []).filter((c) => !c.disabled).map((c) => ({ value: c.id, label: c.name }))} />
    </Space>
  );
}
