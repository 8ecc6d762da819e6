/**
 * 社区报到 at /arrive?c=<12-digit community code> (issue 5 §1, SPEC S3): the community's link or QR.
 * An unregistered phone first registers (the check-in page's form, ./register.ts), then reports an
 * arrival: who (the phone's own person or a dependent), origin, route, transport, circumstance,
 * arrival date (China date, not in the future) and destination community (default: the link's)
 * → POST /api/r/arrivals; the answer screen is ./arrive-result.ts. Without `c` the community last
 * reported to, or of the last checkpoint scanned, is the default. Loaded as its own chunk.
 */
import './community.css';
import { api, ApiError, NetworkError } from './api';
import { originCode, originFields, newOrigin } from './arrive-origin';
import { showArrival } from './arrive-result';
import { h, mount, type Child } from './dom';
import { t, tr } from './i18n';
import { children, registerForm } from './register';
import { dateText } from './time';
import type { Area, ArrivalView, CheckpointInfo, MeAnswer } from './types';
import { busy, clearFieldErrors, field, message, notice, say, setFieldError, showFieldErrors, topBar } from './ui';

type Dest = Pick<CheckpointInfo, 'district' | 'street' | 'community'>;
const LAST = 'lastCommunity';
const TRANSPORT: Array<[string, string]> = [['飞机', 'Plane'], ['火车', 'Train'], ['汽车', 'Coach / bus'], ['自驾', 'Own car'], ['其他', 'Other']];
const CIRCUMSTANCE: Array<[string, string, string]> = [['work', '返岗', 'Back to work'], ['study', '返校', 'Back to school'],
  ['home', '返乡', 'Coming home'], ['other', '其他', 'Other']];

let dest: Dest | null = null;
let me: MeAnswer | null = null;
let result: ArrivalView | null = null;
let flash = '';
const origin = newOrigin();
const d = { personId: '', route: '', transport: '', circumstance: '', arrivalOn: '', street: '', community: '' };

const store = (k: string, v?: string): string | null => {
  try { if (v === undefined) return localStorage.getItem(k); localStorage.setItem(k, v); } catch { /* storage disabled */ }
  return null;
};

/** The community of `code` with its street and district, or null when the area tree does not know it. */
async function resolve(code: string): Promise<Dest | null> {
  try {
    const [streets, communities] = await Promise.all([children(code.slice(0, 6)), children(code.slice(0, 9))]);
    const street = streets.find((a) => a.code === code.slice(0, 9));
    const community = communities.find((a) => a.code === code);
    return street && community ? { district: { code: code.slice(0, 6), name: '' }, street, community } : null;
  } catch (e) {
    if (e instanceof ApiError && !e.retryable) return null;
    throw e;
  }
}

/** The destination: `?c=`, else the last community reported to, else the last checkpoint's. */
async function findDest(): Promise<Dest | null> {
  const c = new URLSearchParams(location.search).get('c')?.trim() ?? '';
  if (/^\d{12}$/.test(c)) return resolve(c);
  const last = store(LAST);
  if (last && /^\d{12}$/.test(last)) {
    const r = await resolve(last);
    if (r) return r;
  }
  const tok = store('lastCheckpoint');
  if (!tok) return null;
  try {
    const cp = await api<CheckpointInfo>('GET', `/api/r/checkpoint/${encodeURIComponent(tok)}`);
    return { district: cp.district, street: cp.street, community: cp.community };
  } catch (e) {
    if (e instanceof ApiError && !e.retryable) return null;
    throw e;
  }
}

/** Opens /arrive: finds the community and the persons on this phone, then shows the right screen. */
export async function startArrive(): Promise<void> {
  if (!me) mount([topBar(), h('main', { class: 'loading', 'aria-busy': 'true' }, t('loading'))]);
  try {
    if (!dest) dest = await findDest();
    me = await api<MeAnswer>('GET', '/api/r/me');
  } catch (e) {
    mount(notice(t('netErrorPlain'), e instanceof ApiError && !e.retryable ? e.message : '',
      h('button', { type: 'button', class: 'btn btn-primary', onclick: () => void startArrive() }, t('retry'))));
    return;
  }
  if (dest) d.community ||= dest.community.code;
  render();
}

/** Re-renders in the current language (the language switch). */
export function rerenderArrive(): void {
  void startArrive();
}

const title = () => tr('社区报到', 'Arrival report');

function render(): void {
  if (result) return showArrival(result, () => { result = null; render(); });
  const persons = me?.persons ?? [];
  if (!dest) {
    return mount(notice(title(), tr('请扫描社区张贴的报到二维码，或打开社区发送的报到链接。', 'Scan the arrival QR code posted by your community, or open the link it sent you.')));
  }
  const head = h('div', { class: 'place' }, h('h1', null, title()), h('p', { class: 'sub' }, [dest.street.name, dest.community.name].join(' · ')));
  if (!persons.length) {
    return mount([topBar(), h('main', null, head, registerForm(dest, 'self', () => { flash = tr('登记成功，请继续填写报到信息', 'Registered: now fill in your arrival'); void startArrive(); }))]);
  }
  const top = h('div', { class: 'top-msg' }, flash ? message('info', flash) : null);
  flash = '';
  mount([topBar(h('a', { href: '/me', class: 'bar-link' }, t('me'))), h('main', null, head, top, arrivalForm(dest, persons))]);
}

/** Control id of a server field or error code; null when not on this form. */
function idOf(f: string): string | null {
  const byField: Record<string, string> = { personId: 'f-person', originCode: 'f-province', originText: 'f-originText', route: 'f-route',
    transport: 'f-transport', circumstance: 'f-circumstance', arrivalOn: 'f-arrivalOn', communityCode: 'f-community', householdId: 'f-community' };
  if (byField[f]) return byField[f];
  const m = /^(arrival_on|origin_text|origin_code|route|transport|community|household)_/.exec(f);
  if (!m) return f === 'not_found' ? 'f-person' : null;
  return { arrival_on: 'f-arrivalOn', origin_text: 'f-originText', origin_code: 'f-province', route: 'f-route', transport: 'f-transport',
    community: 'f-community', household: 'f-community' }[m[1]]!;
}

function select(name: keyof typeof d, options: Array<[string, string]>, placeholder?: string): HTMLSelectElement {
  const s: HTMLSelectElement = h('select', { onchange: () => { d[name] = s.value; } },
    placeholder ? h('option', { value: '', selected: !d[name] }, placeholder) : null,
    options.map(([v, label]) => h('option', { value: v, selected: v === d[name] }, label)));
  if (!placeholder && !d[name]) d[name] = options[0]?.[0] ?? '';
  return s;
}

function fill(sel: HTMLSelectElement, areas: Area[], want: string, placeholder: string): void {
  sel.textContent = '';
  if (!areas.some((a) => a.code === want)) sel.appendChild(h('option', { value: '' }, placeholder));
  for (const a of areas) sel.appendChild(h('option', { value: a.code, selected: a.code === want }, a.name));
}

/** Street and community selects of the destination, filled from the district's tree. */
function destFields(to: Dest): Child[] {
  d.street ||= d.community.slice(0, 9) || to.street.code;
  const street = h('select', null, h('option', { value: d.street }, to.street.name));
  const community = h('select', { onchange: () => { d.community = community.value; } }, h('option', { value: d.community }, to.community.name));
  const communities = (code: string) => children(code).then((l) => { if (street.value === code) fill(community, l, d.community, tr('请选择社区', 'Choose a community')); }, () => {});
  street.addEventListener('change', () => { d.street = street.value; d.community = ''; fill(community, [], '', t('loading')); void communities(street.value); });
  children(to.district.code).then((l) => { fill(street, l, d.street, tr('请选择街道', 'Choose a street')); void communities(street.value); }, () => {});
  return [field('f-street', tr('到达街道', 'Destination street'), street), field('f-community', tr('到达社区', 'Destination community'), community)];
}

function arrivalForm(to: Dest, persons: MeAnswer['persons']): HTMLElement {
  const today = dateText(new Date());
  d.arrivalOn ||= today;
  if (!persons.some((p) => p.id === d.personId)) d.personId = (persons.find((p) => p.relation === 'self') ?? persons[0]).id;
  const input = (name: keyof typeof d, attrs: Record<string, unknown>) =>
    h('input', { type: 'text', value: d[name], oninput: (e: Event) => { d[name] = (e.target as HTMLInputElement).value; }, ...attrs });
  const top = h('div', { class: 'top-msg' });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary' }, tr('提交报到', 'Submit'));
  const form = h('form', { class: 'card form', novalidate: true, onsubmit: (e: Event) => { e.preventDefault(); void send(); } },
    top,
    field('f-person', tr('报到人员', 'Who arrived'), select('personId', persons.map((p) => [p.id, `${p.maskedName}（${p.relation === 'self' ? t('self') : t('dependent')}）`]))),
    originFields(origin),
    field('f-route', tr('行程', 'Route'), input('route', { maxlength: 300, placeholder: tr('如 G1234次 武汉—郑州—焦作', 'e.g. train G1234 Wuhan–Zhengzhou–Jiaozuo') }), t('optional')),
    field('f-transport', tr('交通方式', 'Transport'), select('transport', TRANSPORT.map(([zh, en]) => [zh, tr(zh, en)]), tr('请选择', 'Choose'))),
    field('f-circumstance', tr('返回情形', 'Reason'), select('circumstance', CIRCUMSTANCE.map(([v, zh, en]) => [v, tr(zh, en)]), tr('请选择', 'Choose'))),
    field('f-arrivalOn', tr('抵达日期', 'Arrival date'), input('arrivalOn', { type: 'date', max: today, required: true })),
    destFields(to),
    h('p', { class: 'privacy' }, tr('信息仅用于疫情防控，由所在社区核实并安排防控措施', 'Used for epidemic control only: your community checks it and arranges what is needed')),
    submit);

  async function send(): Promise<void> {
    clearFieldErrors(form);
    say(top, null);
    const missing: Array<[string, string]> = [];
    if (!origin.text.trim()) missing.push(['f-originText', tr('请选择或填写来源地', 'Choose or type where you came from')]);
    if (!d.transport) missing.push(['f-transport', t('required')]);
    if (!d.circumstance) missing.push(['f-circumstance', t('required')]);
    if (!d.arrivalOn) missing.push(['f-arrivalOn', t('required')]);
    else if (d.arrivalOn > today) missing.push(['f-arrivalOn', tr('抵达日期不能晚于今天', 'The arrival date cannot be after today')]);
    if (!/^\d{12}$/.test(d.community)) missing.push(['f-community', tr('请选择到达的社区', 'Choose the destination community')]);
    if (missing.length) {
      missing.forEach(([id, msg]) => setFieldError(id, msg));
      document.getElementById(missing[0][0])?.focus();
      return;
    }
    const body = { personId: d.personId, communityCode: d.community, originCode: originCode(origin), originText: origin.text.trim(),
      route: d.route.trim(), transport: d.transport, circumstance: d.circumstance, arrivalOn: d.arrivalOn };
    busy(form, true);
    submit.textContent = t('sending');
    try {
      result = (await api<{ arrival: ArrivalView }>('POST', '/api/r/arrivals', body)).arrival;
      store(LAST, result.communityCode);
      Object.assign(origin, newOrigin());
      d.route = '';
      render();
      return;
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) { me = null; flash = ''; void startArrive(); return; }
      if (e instanceof ApiError) {
        const fields = e.fields.length ? e.fields : idOf(e.code) ? [{ field: e.code, message: e.message }] : [];
        const rest = showFieldErrors(fields, idOf);
        say(top, 'error', fields.length > rest.length ? (rest.length ? rest.join('；') : t('fixErrors')) : e.message);
      } else say(top, 'error', e instanceof NetworkError ? t('netErrorPlain') : String(e));
      if (!form.querySelector('[aria-invalid]')) top.scrollIntoView({ block: 'center' });
    }
    busy(form, false);
    submit.textContent = tr('提交报到', 'Submit');
  }
  return form;
}
