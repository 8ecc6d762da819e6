/**
 * Choosing the checkpoint to guard, as the console's gate page does
 * (web/console/src/components/CheckpointPicker.tsx): a guard's own post (staff.checkpointId) is
 * fixed; staff who may list places (places.manage or checkins.read) search a place of their area
 * (GET /api/places) and pick one of its open gates (GET /api/places/:id).
 */
import { h } from './dom';
import { api } from './http';
import { t } from './i18n';
import type { Staff } from './types';

export interface PickedCheckpoint { id: string; name: string | null; placeName: string | null }

interface PlaceItem { id: string; name: string; communityName: string }
interface PlaceDetail { id: string; name: string; checkpoints: Array<{ id: string; name: string; disabled: boolean }> }

/** True when `staff` may choose among the places of their area. */
export function mayPick(staff: Staff): boolean {
  return staff.permissions.includes('places.manage') || staff.permissions.includes('checkins.read');
}

/** The place search and gate selects; calls `onPick` once a gate is chosen. */
export function checkpointPicker(onPick: (cp: PickedCheckpoint) => void): HTMLElement {
  const err = h('p', { class: 'err', role: 'status' });
  const search = h('input', { type: 'search', id: 'place-q', placeholder: t('searchPlace'), autocomplete: 'off' });
  const places = h('select', { id: 'place-select' }, h('option', { value: '' }, t('pickPlace')));
  const gates = h('select', { id: 'checkpoint-select', disabled: true }, h('option', { value: '' }, t('pickCheckpoint')));
  let detail: PlaceDetail | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const list = async () => {
    try {
      const r = await api<{ items: PlaceItem[] }>('GET', `/api/places?pageSize=50${search.value.trim() ? `&q=${encodeURIComponent(search.value.trim())}` : ''}`);
      places.replaceChildren(h('option', { value: '' }, t('pickPlace')), ...r.items.map((p) => h('option', { value: p.id }, `${p.name}（${p.communityName}）`)));
      err.textContent = '';
    } catch (e) { err.textContent = (e as Error).message; }
  };
  search.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(() => void list(), 250); });
  places.addEventListener('change', async () => {
    gates.replaceChildren(h('option', { value: '' }, t('pickCheckpoint')));
    gates.disabled = true;
    if (!places.value) return;
    try {
      detail = (await api<{ place: PlaceDetail }>('GET', `/api/places/${encodeURIComponent(places.value)}`)).place;
      const open = detail.checkpoints.filter((c) => !c.disabled);
      gates.append(...open.map((c) => h('option', { value: c.id }, c.name)));
      gates.disabled = false;
      if (open.length === 1) onPick({ id: open[0]!.id, name: open[0]!.name, placeName: detail.name });
    } catch (e) { err.textContent = (e as Error).message; }
  });
  gates.addEventListener('change', () => {
    const c = detail?.checkpoints.find((x) => x.id === gates.value);
    if (c && detail) onPick({ id: c.id, name: c.name, placeName: detail.name });
  });
  void list();
  return h('div', { class: 'picker card' },
    h('label', { for: 'place-q' }, t('place')), search,
    h('label', { for: 'place-select', class: 'sr-only' }, t('pickPlace')), places,
    h('label', { for: 'checkpoint-select' }, t('checkpoint')), gates, err);
}
