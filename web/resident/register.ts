/**
 * The registration form (issue 2 §6): first scan on an unknown phone registers its owner; the same
 * form adds a dependent (同行人员: an elderly parent, a child), whose mobile number is optional.
 * Checks here are a convenience (empty fields); the server validates and its messages are shown
 * next to the field they concern.
 */
import { api, ApiError, NetworkError } from './api';
import { h, type Child } from './dom';
import { DOC_TYPES, lang, t, tr } from './i18n';
import type { Area, CheckpointInfo } from './types';
import { busy, clearFieldErrors, field, say, showFieldErrors, setFieldError } from './ui';

type Mode = 'self' | 'dependent';
const FIELDS = ['name', 'docType', 'docNumber', 'phone', 'street', 'communityCode', 'address'] as const;
type Draft = Partial<Record<(typeof FIELDS)[number], string>>;

/** Typed values survive a language switch or a failed submit; never stored on the phone. */
const drafts: Record<Mode, Draft> = { self: {}, dependent: {} };
const areaCache = new Map<string, Promise<Area[]>>();

/** Children of an area code (GET /api/r/areas/:code/children), cached; a failure is not cached. */
export function children(code: string): Promise<Area[]> {
  let p = areaCache.get(code);
  if (!p) {
    p = api<Area[]>('GET', `/api/r/areas/${encodeURIComponent(code)}/children`);
    areaCache.set(code, p);
    p.catch(() => areaCache.delete(code));
  }
  return p;
}

/** Control id of a request field (server `fields[].field` → `f-<field>`); error codes map too. */
function idOf(f: string): string | null {
  if ((FIELDS as readonly string[]).includes(f)) return `f-${f}`;
  const m = /^(name|doc|phone|address|community)_/.exec(f);
  if (!m) return null;
  return `f-${{ name: 'name', doc: 'docNumber', phone: 'phone', address: 'address', community: 'communityCode' }[m[1]]}`;
}

function fill(sel: HTMLSelectElement, areas: Area[], want: string | undefined, placeholder: string): void {
  sel.textContent = '';
  if (!areas.some((a) => a.code === want)) sel.appendChild(h('option', { value: '' }, placeholder));
  for (const a of areas) sel.appendChild(h('option', { value: a.code, selected: a.code === want }, a.name));
}

/**
 * Builds the form (`cp`: a checkpoint, or the community of a 社区报到 link). `done` gets the created person after 201; `cancel` (dependent form only)
 * returns to the check-in screen. Body sent: {name, docType, docNumber, phone?, communityCode,
 * address} to POST /api/r/register (self) or /api/r/dependents (dependent).
 */
export function registerForm(cp: Pick<CheckpointInfo, 'district' | 'street' | 'community'>, mode: Mode, done: (personId: string) => void, cancel?: () => void): Child[] {
  const d = drafts[mode];
  d.street ??= cp.street.code;
  d.communityCode ??= cp.community.code;
  const input = (name: keyof Draft, attrs: Record<string, unknown>) =>
    h('input', { type: 'text', value: d[name] ?? '', oninput: (e: Event) => { d[name] = (e.target as HTMLInputElement).value; }, ...attrs });

  const docType = h('select', { onchange: () => { d.docType = docType.value; } },
    DOC_TYPES.map(([code, zh, en]) => h('option', { value: code, selected: code === (d.docType ?? 'resident_id') }, lang === 'zh' ? zh : en)));
  const street = h('select', null, h('option', { value: cp.street.code }, cp.street.name));
  const community = h('select', { onchange: () => { d.communityCode = community.value; } },
    h('option', { value: cp.community.code }, cp.community.name));
  const loadCommunities = (code: string) => children(code)
    .then((list) => { if (street.value === code) fill(community, list, d.communityCode, tr('请选择社区', 'Choose a community')); })
    .catch(() => {});
  street.addEventListener('change', () => {
    d.street = street.value;
    d.communityCode = undefined;
    community.textContent = '';
    community.appendChild(h('option', { value: '' }, t('loading')));
    void loadCommunities(street.value);
  });
  children(cp.district.code).then((list) => { fill(street, list, d.street, tr('请选择街道', 'Choose a street')); void loadCommunities(street.value); }).catch(() => {});

  const top = h('div', { class: 'top-msg' });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary' }, t('register'));
  const form = h('form', { class: 'card form', novalidate: true, onsubmit: (e: Event) => { e.preventDefault(); void send(); } },
    h('h2', null, mode === 'self' ? t('registerTitle') : t('dependentTitle')),
    mode === 'dependent' ? h('p', { class: 'sub' }, t('dependentHint')) : null,
    top,
    field('f-name', t('name'), input('name', { autocomplete: 'name', maxlength: 64 })),
    field('f-docType', t('docType'), docType),
    field('f-docNumber', t('docNumber'), input('docNumber', { autocomplete: 'off', autocapitalize: 'characters', spellcheck: 'false', maxlength: 40 })),
    field('f-phone', t('phone'), input('phone', { type: 'tel', inputmode: 'numeric', autocomplete: mode === 'self' ? 'tel' : 'off', maxlength: 20 }),
      mode === 'dependent' ? t('optional') : null),
    field('f-street', t('street'), street),
    field('f-communityCode', t('community'), community),
    field('f-address', t('address'), input('address', { placeholder: t('addressPh'), maxlength: 100 })),
    h('p', { class: 'privacy' }, t('privacyLine')),
    submit,
    cancel ? h('button', { type: 'button', class: 'btn btn-plain', onclick: cancel }, t('cancel')) : null);

  async function send(): Promise<void> {
    clearFieldErrors(form);
    say(top, null);
    d.docType = docType.value;
    d.communityCode = community.value;
    const body: Record<string, string> = {
      name: (d.name ?? '').trim(), docType: d.docType, docNumber: (d.docNumber ?? '').trim(),
      phone: (d.phone ?? '').trim(), communityCode: d.communityCode, address: (d.address ?? '').trim(),
    };
    const missing = (['name', 'docNumber', 'phone', 'communityCode', 'address'] as const)
      .filter((k) => !body[k] && !(k === 'phone' && mode === 'dependent'));
    if (missing.length) {
      missing.forEach((k) => setFieldError(`f-${k}`, t('required')));
      document.getElementById(`f-${missing[0]}`)?.focus();
      return;
    }
    if (mode === 'dependent' && !body.phone) delete body.phone;
    busy(form, true);
    submit.textContent = t('sending');
    try {
      const res = await api<{ person: { id: string } }>('POST', mode === 'self' ? '/api/r/register' : '/api/r/dependents', body);
      drafts[mode] = {};
      done(res.person.id);
      return;
    } catch (e) {
      if (e instanceof ApiError) {
        const fields = e.fields.length ? e.fields : idOf(e.code) ? [{ field: e.code, message: e.message }] : [];
        const rest = showFieldErrors(fields, idOf);
        const inline = fields.length > rest.length;
        say(top, 'error', inline && !rest.length ? t('fixErrors') : inline ? rest.join('；') : e.message);
      } else say(top, 'error', e instanceof NetworkError ? t('netErrorPlain') : String(e));
      if (!form.querySelector('[aria-invalid]')) top.scrollIntoView({ block: 'center' });
    }
    busy(form, false);
    submit.textContent = t('register');
  }
  return [form];
}
