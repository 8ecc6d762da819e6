/**
 * The check-in page at /c/<token> (issue 2 §6, §8; SPEC S1): an unknown phone registers; a known
 * phone picks who checks in (self + optional 同行人员), types the temperature and taps 进入 or 离开
 * (离开 sends no temperature). One idempotency key per tap, reused on every retry of that tap, so a
 * double tap or a retry after a lost answer never makes two check-ins (LESSONS "Duplicates").
 */
import { api, ApiError, newKey, NetworkError } from './api';
import { h, mount } from './dom';
import { t } from './i18n';
import { isScreenCode } from './code';
import { registerForm } from './register';
import { showResult } from './result';
import type { CheckinAnswer, CheckpointInfo } from './types';
import { busy, field, message, notice, say, setFieldError, topBar } from './ui';

let token = '';
let cp: CheckpointInfo | null = null;
/** Ticked persons (id → checked); the owner is ticked by default, dependents are not. */
const ticked = new Map<string, boolean>();
let temperature = '';
/** The tap whose answer never arrived: same choices → same body, same idempotency key. */
let pending: { sig: string; body: Record<string, unknown> } | null = null;
let pushedAdd = false;
/** The dependent form is open (URL hash #add, so the phone's back button closes it). */
let adding = false;
/** A message to show once at the top of the next screen. */
let flash = '';

const CODE_TITLES: Record<string, 'codeUnknown' | 'codeRevoked' | 'codeDisabled' | 'codeExpired' | 'codeScreen'> = {
  checkpoint_unknown: 'codeUnknown', not_found: 'codeUnknown', checkpoint_revoked: 'codeRevoked', checkpoint_disabled: 'codeDisabled',
  checkpoint_code_expired: 'codeExpired', checkpoint_screen_mode: 'codeScreen',
};

/** Full-screen notice for a checkpoint the server refuses (404 unknown, 410 revoked/disabled). */
function codeNotice(e: ApiError): boolean {
  const key = CODE_TITLES[e.code] ?? (e.status === 404 ? 'codeUnknown' : e.status === 410 ? 'codeRevoked' : null);
  if (!key) return false;
  const title = t(key);
  const same = e.message.replace(/[。.！!]+$/, '') === title;
  mount(notice(title, same || !e.message ? t('codeHint') : e.message));
  return true;
}

/**
 * Opens /c/<token>, or /v#<token> with a checkpoint's screen code (a signed, short-lived token):
 * loads the checkpoint and the persons on this phone, then renders. Only a poster token is kept
 * as the 我的 page's way back (a screen code is dead within minutes).
 */
export async function startCheckin(tok: string): Promise<void> {
  token = tok;
  if (!isScreenCode(tok)) {
    try { localStorage.setItem('lastCheckpoint', tok); } catch { /* storage disabled */ }
  }
  adding = location.hash === '#add';
  window.addEventListener('popstate', () => { pushedAdd = false; adding = location.hash === '#add'; render(); });
  await load();
}

/** Re-fetches the checkpoint (labels in the current language, fresh statuses) and renders. */
export async function load(tickId?: string): Promise<void> {
  if (!cp) mount([topBar(), h('main', { class: 'loading', 'aria-busy': 'true' }, t('loading'))]);
  try {
    cp = await api<CheckpointInfo>('GET', `/api/r/checkpoint/${encodeURIComponent(token)}`);
  } catch (e) {
    if (e instanceof ApiError && codeNotice(e)) return;
    const text = e instanceof ApiError && !e.retryable ? e.message : t('netErrorPlain');
    mount(notice(t('netErrorPlain'), text === t('netErrorPlain') ? '' : text, h('button', { type: 'button', class: 'btn btn-primary', onclick: () => void load(tickId) }, t('retry'))));
    return;
  }
  for (const p of cp.persons) if (!ticked.has(p.id)) ticked.set(p.id, p.relation === 'self');
  if (tickId) ticked.set(tickId, true);
  render();
}

function header(c: CheckpointInfo): HTMLElement {
  return h('div', { class: 'place' },
    h('h1', null, c.place.name),
    h('p', { class: 'gate' }, c.checkpoint.name),
    h('p', { class: 'sub' }, [c.district.name, c.street.name, c.community.name].filter(Boolean).join(' · ')));
}

/** Renders the screen the current state calls for: registration, dependent form or check-in. */
function render(): void {
  if (!cp) return;
  const c = cp;
  const top = flash ? message('error', flash) : null;
  flash = '';
  if (c.persons.length === 0) {
    mount([topBar(), h('main', null, header(c), top, registerForm(c, 'self', (id) => void load(id)))]);
  } else if (adding) {
    mount([topBar(), h('main', null, header(c), registerForm(c, 'dependent', (id) => { leaveAdd(); void load(id); }, () => { leaveAdd(); render(); }))]);
  } else {
    mount([topBar(), h('main', null, header(c), top, checkinCard(c))]);
  }
}

/** Closes the dependent form: back over the #add entry we pushed, else drop the hash in place. */
function leaveAdd(): void {
  adding = false;
  if (pushedAdd) { pushedAdd = false; history.back(); } else history.replaceState(null, '', location.pathname + location.search);
}

function checkinCard(c: CheckpointInfo): HTMLElement {
  const slot = h('div', { class: 'top-msg' });
  const people = h('fieldset', { class: 'people' }, h('legend', null, t('persons')),
    c.persons.map((p) => h('div', { class: `person${p.status === 'normal' ? '' : ' warn'}` },
      h('input', { type: 'checkbox', id: `p-${p.id}`, checked: ticked.get(p.id) ?? false,
        onchange: (e: Event) => { ticked.set(p.id, (e.target as HTMLInputElement).checked); } }),
      h('label', { for: `p-${p.id}` }, h('span', { class: 'pname' }, p.maskedName),
        h('span', { class: 'tag' }, p.relation === 'self' ? t('self') : t('dependent')),
        h('span', { class: 'status' }, p.statusLabel)))));
  const temp = h('input', { type: 'text', inputmode: 'decimal', placeholder: '36.5', autocomplete: 'off', maxlength: 8, value: temperature,
    oninput: (e: Event) => { temperature = (e.target as HTMLInputElement).value; } });
  const card = h('form', { class: 'card', novalidate: true, onsubmit: (e: Event) => { e.preventDefault(); void tap('in'); } },
    people,
    field('temp', t('temperature'), temp, null, h('span', { class: 'unit', 'aria-hidden': 'true' }, '℃')),
    slot,
    h('div', { class: 'actions' },
      h('button', { type: 'submit', class: 'btn btn-go' }, t('enter')),
      h('button', { type: 'button', class: 'btn btn-out', onclick: () => void tap('out') }, t('leave'))),
    h('p', { class: 'sub center' }, t('leaveNoTemp')),
    h('p', { class: 'links' },
      h('a', { href: '#add', onclick: (e: Event) => { e.preventDefault(); pushedAdd = adding = true; history.pushState(null, '', '#add'); render(); } }, t('addDependent')),
      h('a', { href: '/me' }, t('me'))));

  async function tap(direction: 'in' | 'out'): Promise<void> {
    say(slot, null);
    setFieldError('temp', '');
    const personIds = c.persons.filter((p) => ticked.get(p.id)).map((p) => p.id);
    if (!personIds.length) return say(slot, 'error', t('needPerson'));
    const reading = temperature.trim();
    if (direction === 'in' && !reading) {
      setFieldError('temp', t('needTemp'));
      temp.focus();
      return;
    }
    const sig = JSON.stringify([direction, direction === 'in' ? reading : null, personIds]);
    if (!pending || pending.sig !== sig) {
      const body: Record<string, unknown> = { token, direction, personIds, idempotencyKey: newKey() };
      if (direction === 'in') body.temperature = reading;
      pending = { sig, body };
    }
    await send(pending.body);
  }

  async function send(body: Record<string, unknown>): Promise<void> {
    busy(card, true);
    say(slot, 'info', t('sending'));
    try {
      const res = await api<CheckinAnswer>('POST', '/api/r/checkins', body);
      pending = null;
      temperature = '';
      showResult(res, () => void load());
      return;
    } catch (e) {
      say(slot, null);
      if (e instanceof NetworkError || (e instanceof ApiError && e.retryable)) {
        say(slot, 'error', h('span', null, e instanceof NetworkError ? t('netError') : t('busy')),
          h('button', { type: 'button', class: 'btn btn-retry', onclick: () => void send(body) }, t('retry')));
      } else if (e instanceof ApiError) {
        pending = null;
        if (codeNotice(e)) return;
        if (e.status === 401 || e.status === 403) {
          // The device cookie was lost or a person was removed elsewhere: show the phone's real state.
          flash = e.message;
          return load();
        }
        if (e.code.startsWith('temperature') || e.fields.some((f) => f.field === 'temperature')) {
          setFieldError('temp', e.fields.find((f) => f.field === 'temperature')?.message ?? e.message);
          temp.focus();
        } else say(slot, 'error', e.message);
      }
    }
    busy(card, false);
  }
  return card;
}
