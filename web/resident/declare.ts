/**
 * 健康申报 at /declare (issue 6 §1–§2, SPEC S6), loaded as its own chunk. For the persons on this
 * phone (GET /api/r/me) and their declarations (GET /api/r/declarations):
 * - the status list, when there are declarations: where each stands (the five steps of `progress`:
 *   done / current 待… / pending / failed), the return reason with 修改后重新提交 (the form again,
 *   prefilled from the `answers` the server keeps, the acknowledgement unticked → POST
 *   /api/r/declarations/:id/resubmit; nothing of the answers is kept on the phone), and the
 *   健康申报证明 when issued (drawn by ./certificate.ts, its own chunk with `qrcode`);
 * - the form (./declare-form.ts) for a person without a declaration in progress → POST
 *   /api/r/declarations. Refusals: field errors next to their field; 400 cert_ineligible_<code>
 *   shows the reason and 可于 YYYY-MM-DD 起申请; 409 declaration_open shows the status list.
 */
import './declare.css';
import { api, ApiError, NetworkError } from './api';
import { h, mount, type Child } from './dom';
import { lang, t, tr } from './i18n';
import { dateText } from './time';
import type { MeAnswer, MePerson } from './types';
import { declarationForm, type SendResult } from './declare-form';
import {
  draftFrom, hasOpen, newDraft, possibleFromText, type Answers, type Draft, type ResidentDeclaration,
} from './declare-model';
import { message, notice, topBar } from './ui';

let me: MeAnswer | null = null;
let list: ResidentDeclaration[] = [];
/** A message shown once at the top of the next render. */
let flash: { kind: 'info' | 'error'; content: Child[] } | null = null;
/** The declaration being corrected (returned), or null for a new declaration. */
let resubmitting: string | null = null;
let draft: Draft | null = null;

const title = () => t('declareTitle');
/** The default place of every day: data read by Chinese-speaking staff, so '本社区' whatever the UI language. */
const home = () => '本社区';
const today = () => dateText(new Date());
/** Removes the copies of the answers an earlier version of this page kept in localStorage ('declaration:<id>'). */
function forgetOldCopies(): void {
  try {
    for (let i = localStorage.length - 1; i >= 0; i--) {
      const k = localStorage.key(i);
      if (k?.startsWith('declaration:')) localStorage.removeItem(k);
    }
  } catch { /* storage disabled */ }
}

/** Opens /declare (and re-opens it after a submission or a language switch). */
export async function startDeclare(): Promise<void> {
  forgetOldCopies();
  if (!me) mount([topBar(), h('main', { class: 'loading', 'aria-busy': 'true' }, t('loading'))]);
  try {
    const [m, l] = await Promise.all([api<MeAnswer>('GET', '/api/r/me'), api<{ declarations: ResidentDeclaration[] }>('GET', '/api/r/declarations')]);
    me = m;
    list = l?.declarations ?? [];
  } catch (e) {
    if (e instanceof ApiError && (e.status === 401 || e.status === 403)) {
      mount(notice(title(), e.message || t('notRegistered'), h('a', { href: '/me', class: 'btn btn-primary' }, t('me'))));
      return;
    }
    mount(notice(t('netErrorPlain'), e instanceof ApiError && !e.retryable ? e.message : '',
      h('button', { type: 'button', class: 'btn btn-primary', onclick: () => void startDeclare() }, t('retry'))));
    return;
  }
  render();
}

/** Re-renders in the current language (the language switch): the server's labels come bilingual. */
export function rerenderDeclare(): void {
  void startDeclare();
}

function render(): void {
  const persons = [...(me?.persons ?? [])].sort((a, b) => (a.relation === b.relation ? 0 : a.relation === 'self' ? -1 : 1));
  if (!persons.length) {
    return mount(notice(title(), t('notRegistered'), h('a', { href: '/me', class: 'btn btn-primary' }, t('me'))));
  }
  const top = h('div', { class: 'top-msg' }, flash ? message(flash.kind, flash.content) : null);
  flash = null;
  const bar = topBar(h('a', { href: '/me', class: 'bar-link' }, t('me')));
  const back = resubmitting ? list.find((d) => d.id === resubmitting) : undefined;
  if (back) {
    const person = persons.find((p) => p.id === back.personId);
    draft ??= draftFrom(back.personId, back.answers ?? {}, today(), home());
    return mount([bar, h('main', { class: 'declare-page' },
      h('h1', { class: 'page-title' }, tr('修改后重新提交', 'Correct and resubmit')), top,
      message('error', h('b', null, tr('退回原因：', 'Reason returned: ')), back.returnReason ?? ''),
      declarationForm({
        draft, persons: person ? [person] : [], fixedPerson: back, submitLabel: tr('重新提交', 'Resubmit'),
        send: (a) => send(`/api/r/declarations/${encodeURIComponent(back.id)}/resubmit`, a, back.id),
      }),
      h('button', { type: 'button', class: 'btn btn-plain', onclick: () => { resubmitting = null; draft = null; render(); } }, t('back')))]);
  }
  resubmitting = null;
  const free = persons.filter((p) => !hasOpen(list, p.id));
  if (draft && !free.some((p) => p.id === draft!.personId)) draft = null;
  if (!draft && free.length) draft = newDraft(free[0]!.id, today(), home());
  const statuses = list.length ? h('section', { class: 'decl-list', 'aria-label': tr('我的申报', 'My declarations') },
    h('h2', null, tr('我的申报', 'My declarations')), list.map((d) => statusCard(d, persons))) : null;
  const form = draft
    ? h('section', { class: 'decl-new' }, h('h2', null, list.length ? tr('新的申报', 'A new declaration') : tr('填写申报', 'Fill in the declaration')),
      h('p', { class: 'sub' }, tr('在本社区居住满14天可申请；免费；证明自出具起5天内有效。', 'For residents of 14 days or more; free; the certificate is valid 5 days from issue.')),
      declarationForm({ draft, persons: free, submitLabel: tr('提交申报', 'Submit'), send: (a) => send('/api/r/declarations', a, null) }))
    : message('info', tr('每人同时只能办理一份申报：请等待上面的申报办理完毕。', 'One declaration per person at a time: wait until the one above is done.'));
  mount([bar, h('main', { class: 'declare-page' }, h('h1', { class: 'page-title' }, title()), top, statuses, form)]);
}

const STEP_MARK = { done: '✓', current: '●', pending: '○', failed: '✕' } as const;

function statusCard(d: ResidentDeclaration, persons: MePerson[]): HTMLElement {
  const person = persons.find((p) => p.id === d.personId);
  const certSlot = d.certificate ? h('div', { class: 'cert-slot' }, t('loading')) : null;
  if (d.certificate && certSlot) {
    const cert = d.certificate;
    import('./certificate').then((m) => certSlot.replaceChildren(m.certificateCard(cert, person?.name)),
      () => certSlot.replaceChildren(message('error', t('netErrorPlain'))));
  }
  return h('article', { class: 'card decl', 'data-testid': 'declaration', 'data-state': d.state, 'aria-label': d.maskedName },
    h('h3', null, h('span', { class: 'pname' }, d.maskedName), ' ', h('span', { class: `tag st-${d.state}` }, tr(d.stateLabel.zh, d.stateLabel.en))),
    h('p', { class: 'sub' }, tr(`提交于 ${d.createdAtChina}`, `Submitted ${d.createdAtChina}`)),
    h('ol', { class: 'steps', 'aria-label': tr('办理进度', 'Progress') }, d.progress.map((s) => {
      const label = tr(s.step.zh, s.step.en);
      const text = s.state === 'current' ? tr(`待${label}`, `Waiting for ${label}`)
        : s.state === 'failed' ? (d.state === 'returned' ? tr(`${label}：已退回`, `${label}: returned`) : tr(`${label}：未通过`, `${label}: not passed`))
          : label;
      return h('li', { class: `step step-${s.state}`, 'data-state': s.state }, h('span', { class: 'step-mark', 'aria-hidden': 'true' }, STEP_MARK[s.state]), text);
    })),
    d.state === 'returned' ? [
      message('error', h('b', null, tr('退回原因：', 'Reason returned: ')), d.returnReason ?? ''),
      h('button', { type: 'button', class: 'btn btn-primary', onclick: () => { resubmitting = d.id; draft = null; render(); } }, tr('修改后重新提交', 'Correct and resubmit')),
    ] : null,
    d.state === 'refused' ? message('error', d.returnReason
      ? [h('b', null, tr('不予出具：', 'Not issued: ')), d.returnReason, tr('。情况变化后可重新申请。', '. You may apply again when this changes.')]
      : tr('未通过社区医生的健康评估，不能出具证明。如有疑问请联系社区卫生服务中心。',
        'The community doctor\'s assessment was not passed: no certificate can be issued. Ask the health service center if in doubt.')) : null,
    (d.state === 'issued' || d.state === 'revoked') && !d.certificate ? h('p', { class: 'sub' }, tr('证明信息暂不可用，请稍后刷新', 'The certificate is not available yet: refresh later')) : null,
    certSlot);
}

/** Sends the answers; returns what the form shows when refused (field errors, top message), or null once done. */
async function send(path: string, a: Answers, resubmitId: string | null): Promise<SendResult> {
  try {
    await api<{ declaration: { id: string } }>('POST', path, resubmitId ? a : { personId: draft!.personId, ...a });
    flash = { kind: 'info', content: [resubmitId ? tr('已重新提交，请等待社区核实。', 'Resubmitted: the community will check it.')
      : tr('申报已提交，请等待社区核实。', 'Declaration submitted: the community will check it.')] };
    resubmitting = null;
    draft = null;
    await startDeclare();
    return null;
  } catch (e) {
    if (e instanceof ApiError) {
      if (e.code === 'declaration_open') {
        flash = { kind: 'info', content: [e.message] };
        resubmitting = null;
        draft = null;
        await startDeclare();
        return null;
      }
      if (e.status === 401) { me = null; await startDeclare(); return null; }
      if (e.code.startsWith('cert_ineligible_')) {
        const from = e.details.possibleFrom;
        // the server's message usually names the date already: the extra line only when it does not
        const when = typeof from === 'string' && e.message.includes(from) ? '' : possibleFromText(from, lang === 'zh');
        return { fields: [], top: [h('div', { 'data-testid': 'ineligible' }, h('b', null, e.message), when ? h('div', { class: 'possible-from' }, when) : null)] };
      }
      return { fields: e.fields.length ? e.fields : [{ field: e.code, message: e.message }], top: [e.message] };
    }
    return { fields: [], top: [e instanceof NetworkError ? t('netErrorPlain') : String(e)] };
  }
}
