/**
 * 我的, the resident's own page at /me (issue 2 §11; LESSONS "Privacy and trust"): the way to
 * 我的通行码 (/pass, issue 3 §2), and to 健康观察上报 (/observe, issue 5 §4) when someone on this phone
 * must report (asked of GET /api/r/observations after the page shows), to 健康申报 / 我的证明
 * (/declare, issue 6); for each person on this phone, the status with its reason and history, the check-ins, who read the record and when
 * (from the audit log); the privacy notice (purpose, retention); the dependents, removable.
 */
import { api, ApiError } from './api';
import { h, mount, type Child } from './dom';
import { DOC_TYPES, lang, t, tr } from './i18n';
import { colon, tempText } from './result';
import { dateTimeText } from './time';
import type { MeAnswer, MePerson, ObservationsAnswer } from './types';
import { busy, message, notice, topBar } from './ui';

function backLink(): Child {
  let tok: string | null = null;
  try { tok = localStorage.getItem('lastCheckpoint'); } catch { /* storage disabled */ }
  return tok ? h('a', { href: `/c/${encodeURIComponent(tok)}`, class: 'bar-link' }, t('backToCheckin')) : null;
}

const docLabel = (code: string) => {
  const d = DOC_TYPES.find((x) => x[0] === code);
  return d ? (lang === 'zh' ? d[1] : d[2]) : code;
};

/** A titled list; `t('none')` when empty. */
function list<T>(title: string, items: T[], row: (x: T) => Child): HTMLElement {
  return h('section', { class: 'sect' }, h('h3', null, title),
    items.length ? h('ul', { class: 'rows' }, items.map((x) => h('li', null, row(x)))) : h('p', { class: 'sub' }, t('none')));
}

function personCard(p: MePerson): HTMLElement {
  const s = p.status;
  return h('section', { class: 'card', 'aria-label': p.name },
    h('h2', null, p.name, ' ', h('span', { class: 'tag' }, p.relation === 'self' ? t('self') : t('dependent'))),
    h('p', { class: 'sub' }, `${docLabel(p.docType)} ${p.docMasked}`),
    h('div', { class: `status-box${s.code === 'normal' ? '' : ' warn'}` },
      h('div', { class: 'sub' }, t('status')),
      h('div', { class: 'status-label' }, s.label),
      s.reason ? h('div', null, s.reason) : null,
      s.since ? h('div', { class: 'sub' }, `${t('since')} ${dateTimeText(s.since)}`) : null),
    list(t('statusHistory'), p.statusHistory ?? [], (x) => [h('time', null, dateTimeText(x.at)), ' ', h('b', null, x.label),
      x.reason ? tr(`（${x.reason}）`, ` (${x.reason})`) : '', x.roleLabel ? h('span', { class: 'sub' }, ` · ${x.roleLabel}`) : null]),
    list(t('myCheckins'), p.checkins ?? [], (x) => [h('time', null, dateTimeText(x.at)), ' ',
      h('b', null, x.direction === 'out' ? t('leave') : t('enter')), ` ${x.placeName} · ${x.checkpointName}`,
      tempText(x.temperature) ? ` · ${tempText(x.temperature)}` : '',
      x.outcome === 'refused' ? h('span', { class: 'bad' }, ` · ${t('refused')}${(x.refusalLabel ?? x.refusal) ? tr(`（${x.refusalLabel ?? x.refusal}）`, ` (${x.refusalLabel ?? x.refusal})`) : ''}`) : null]),
    list(t('reads'), p.reads ?? [], (x) => [h('time', null, dateTimeText(x.at)), ' ', h('b', null, x.actorRoleLabel), ` ${x.actionLabel || x.action}`]));
}

/** Opens /me: GET /api/r/me; a phone with nobody registered is told how to register. */
export async function startMe(info?: string): Promise<void> {
  let me: MeAnswer;
  try {
    me = await api<MeAnswer>('GET', '/api/r/me');
  } catch (e) {
    if (e instanceof ApiError && [401, 403, 404].includes(e.status)) return mount(notice(t('myTitle'), t('notRegistered'), backLink()));
    const text = e instanceof ApiError && !e.retryable ? e.message : '';
    return mount(notice(t('netErrorPlain'), text, h('button', { type: 'button', class: 'btn btn-primary', onclick: () => void startMe() }, t('retry'))));
  }
  const pv = me.privacy;
  const privacy = pv ? h('section', { class: 'card privacy-card' }, h('h2', null, t('privacy')), pv.text ? h('p', null, pv.text) : null,
    pv.purpose ? h('p', null, h('b', null, t('purpose') + colon()), pv.purpose) : null,
    pv.retentionDays ? h('p', null, h('b', null, t('retention') + colon()), t('days', pv.retentionDays)) : null) : null;
  if (!me.persons?.length) return mount([topBar(backLink()), h('main', null, h('h1', { class: 'page-title' }, t('myTitle')), message('info', t('notRegistered')), privacy)]);
  const persons = [...me.persons].sort((a, b) => (a.relation === b.relation ? 0 : a.relation === 'self' ? -1 : 1));
  const deps = persons.filter((p) => p.relation === 'dependent');
  const slot = h('div', { class: 'top-msg' }, info ? message('info', info) : null);
  const depSection = h('section', { class: 'card' }, h('h2', null, t('myDependents')),
    deps.length ? h('ul', { class: 'rows' }, deps.map((p) => h('li', { class: 'dep' }, h('span', { class: 'pname' }, p.maskedName),
      h('button', { type: 'button', class: 'btn btn-small', 'aria-label': `${t('remove')} ${p.maskedName}`, onclick: () => void remove(p) }, t('remove')))))
      : h('p', { class: 'sub' }, t('none')));
  const passLink = h('a', { href: '/pass', class: 'btn btn-primary pass-link' }, t('passTitle'));
  const declareLink = h('a', { href: '/declare', class: 'btn pass-link' }, t('myDeclarations'));
  const observeSlot = h('div');
  mount([topBar(backLink()), h('main', null, h('h1', { class: 'page-title' }, t('myTitle')), slot, passLink, observeSlot, declareLink,
    persons.map(personCard), depSection, privacy)]);
  api<ObservationsAnswer>('GET', '/api/r/observations').then((o) => {
    if (o?.persons?.length) observeSlot.appendChild(h('a', { href: '/observe', class: 'btn pass-link' }, tr('健康观察上报', 'Report my health')));
  }, () => { /* no link: the page works without it */ });

  async function remove(p: MePerson): Promise<void> {
    busy(depSection, true);
    try {
      await api('DELETE', `/api/r/dependents/${encodeURIComponent(p.id)}`);
      await startMe(`${t('removed')} ${p.maskedName}`);
      return;
    } catch (e) {
      slot.textContent = '';
      slot.appendChild(message('error', e instanceof ApiError ? e.message : t('netErrorPlain')));
    }
    busy(depSection, false);
  }
}
