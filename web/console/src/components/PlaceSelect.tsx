/** Choose one place of the account's area by name (GET /api/places?q=). */
import { useEffect, useState } from 'react';
import { Select } from 'antd';
import { get, qs } from '../api';
import { useT } from '../i18n';

interface PlaceItem { id: string; name: string; communityName: string }

export function PlaceSelect({ value, onChange, areaCode, style }: { value?: string; onChange: (id: string | undefined) => void; areaCode?: string; style?: React.CSSProperties }) {
  const t = useT();
  const [q, setQ] = useState('');
  const [items, setItems] = useState<PlaceItem[]>([]);
  const [chosen, setChosen] = useState<PlaceItem | null>(null);
  useEffect(() => {
    let live = true;
    const timer = setTimeout(() => {
      get<{ items: PlaceItem[] }>(`/api/places${qs({ q: q.trim(), areaCode, pageSize: 30, disabled: 'all' })}`)
        .then((r) => { if (live) setItems(r.items); }).catch(() => { if (live) setItems([]); });
    }, 250);
    return () => { live = false; clearTimeout(timer); };
  }, [q, areaCode]);
  useEffect(() => {
    if (!value || chosen?.id === value || items.some((i) => i.id === value)) return;
    get<{ place: PlaceItem }>(`/api/places/${value}`).then((r) => setChosen(r.place)).catch(() => {});
  }, [value]); // eslint-disable-line react-hooks/exhaustive-deps
  const options = [...(chosen && !items.some((i) => i.id === chosen.id) ? [chosen] : []), ...items];
  return (
    <Select showSearch allowClear filterOption={false} onSearch={setQ} value={value} aria-label={t('场所', 'Place')}
      onChange={(v: string | undefined) => { setChosen(items.find((i) => i.id === v) ?? null); onChange(v); }}
      placeholder={t('全部场所（输入名称搜索）', 'All places (type to search)')} style={{ minWidth: 240, ...style }}
      options={options.map((p) => ({ value: p.id, label: `${p.name}（${p.communityName}）` }))}
      notFoundContent={t('没有匹配的场所', 'No matching place')} />
  );
}
