/**
 * The agreed daily windows of a door sensor (约定时段, China time HH:MM–HH:MM, may cross midnight),
 * each with a note such as 送菜 (a delivery): a controlled list of rows with add and remove. The
 * server checks them (an empty window is refused with its message).
 */
import { Button, Input, Space } from 'antd';
import { useT } from '../../i18n';
import type { DoorWindow } from './model';

export const MAX_WINDOWS = 12;

export function WindowsEditor({ value, onChange }: { value: DoorWindow[]; onChange: (w: DoorWindow[]) => void }) {
  const t = useT();
  const set = (i: number, p: Partial<DoorWindow>) => onChange(value.map((w, j) => (j === i ? { ...w, ...p } : w)));
  return (
    <div>
      {value.map((w, i) => (
        <Space key={i} wrap style={{ marginBottom: 8 }} role="group" aria-label={t(`约定时段 ${i + 1}`, `Agreed window ${i + 1}`)}>
          <Input type="time" aria-label={t('开始', 'From')} value={w.from} onChange={(e) => set(i, { from: e.target.value })} style={{ width: 120 }} />
          <span>–</span>
          <Input type="time" aria-label={t('结束', 'To')} value={w.to} onChange={(e) => set(i, { to: e.target.value })} style={{ width: 120 }} />
          <Input aria-label={t('说明', 'Note')} placeholder={t('如：送菜、倒垃圾', 'e.g. delivery, rubbish')} maxLength={60} value={w.note ?? ''}
            onChange={(e) => set(i, { note: e.target.value })} style={{ width: 200 }} />
          <Button size="small" onClick={() => onChange(value.filter((_, j) => j !== i))}>{t('删除', 'Remove')}</Button>
        </Space>
      ))}
      {value.length < MAX_WINDOWS && (
        <Button size="small" onClick={() => onChange([...value, { from: '08:00', to: '08:30', note: '' }])}>{t('添加约定时段', 'Add a window')}</Button>
      )}
    </div>
  );
}

/** The windows as the API takes them: HH:MM, trimmed notes (left out when empty); null when a time is missing. */
export function windowsForApi(ws: DoorWindow[]): DoorWindow[] | null {
  const out: DoorWindow[] = [];
  for (const w of ws) {
    const from = w.from.slice(0, 5);
    const to = w.to.slice(0, 5);
    if (!/^\d{2}:\d{2}$/.test(from) || !/^\d{2}:\d{2}$/.test(to)) return null;
    const note = (w.note ?? '').trim();
    out.push(note ? { from, to, note } : { from, to });
  }
  return out;
}
