/**
 * 健康观察上报 at /observe (issue 5 §4): for each person on this phone who must report twice daily
 * (GET /api/r/observations): day N of M, today's morning and afternoon reports done or due (by
 * amDue / pmDue, China time), and a form: slot (by the current China time), temperature, symptoms
 * → POST /api/r/observations. A fever tells the person that the team has been told and to stay
 * home. Nobody to report: a plain message. Loaded as its own chunk.
 */
import './community.css';
import { api, ApiError, NetworkError } from './api';
import { h, mount } from './dom';
import { t, tr } from './i18n';
import { clockText } from './time';
import type { ObservationPerson, ObservationReport, ObservationsAnswer } from './types';
import { busy, field, message, notice, say, setFieldError, topBar } from './ui';

/** Symptom codes (src/modules/keypersons/observations.ts SYMPTOMS) with their labels. */
const SYMPTOMS: Array<[string, string, string]> = [
  ['cough', '咳嗽', 'Cough'], ['sore_throat', '咽痛', 'Sore throat'], ['chest_tightness', '胸闷', 'Chest tightness'],
  ['shortness_of_breath', '气促', 'Short of breath'], ['fatigue', '乏力', 'Fatigue'], ['diarrhoea', '腹泻', 'Diarrhoea'],
  ['loss_of_smell', '嗅觉味觉减退', 'Loss of smell or taste'], ['other', '其他症状', 'Other symptoms'],
];
const MEASURES: Record<string, [string, string]> = {
  home_isolation: ['居家隔离', 'Home isolation'], centralized_isolation: ['集中隔离', 'Centralised isolation'],
  health_monitoring: ['健康监测', 'Health monitoring'], medical_observation: ['医学观察', 'Medical observation'],
};

let answer: ObservationsAnswer | null = null;
/** The outcome of the last report, shown once at the top: a fever is an alert. */
let flash: { alert: boolean; text: string } | null = null;
/** Typed values per person, kept across a re-render (language switch, failed submit). */
const drafts = new Map<string, { slot?: 'am' | 'pm'; temp: string; symptoms: Set<string> }>();

/** Opens /observe (and re-opens it after a report or a language switch). */
export async function startObserve(): Promise<void> {
  if (!answer) mount([topBar(), h('main', { class: 'loading', 'aria-busy': 'true' }, t('loading'))]);
  try {
    answer = await api<ObservationsAnswer>('GET', '/api/r/observations');
  } catch (e) {
    if (e instanceof ApiError && (e.status === 401 || e.status === 403)) {
      mount(notice(title(), e.message || t('notRegistered'), h('a', { href: '/me', class: 'btn btn-primary' }, t('me'))));
      return;
    }
    mount(notice(t('netErrorPlain'), e instanceof ApiError && !e.retryable ? e.message : '',
      h('button', { type: 'button', class: 'btn btn-primary', onclick: () => void startObserve() }, t('retry'))));
    return;
  }
  render();
}

export function rerenderObserve(): void {
  void startObserve();
}

const title = () => tr('健康观察上报', 'Health report');

function render(): void {
  const persons = answer?.persons ?? [];
  const top = flash ? message(flash.alert ? 'error' : 'info', flash.text) : null;
  flash = null;
  const body = persons.length ? persons.map(card)
    : h('section', { class: 'card' }, h('p', { 'data-testid': 'observe-none' }, tr('您和同行人员目前都无需报告健康观察情况。', 'Nobody on this phone needs to send health reports at the moment.')));
  mount([topBar(h('a', { href: '/me', class: 'bar-link' }, t('me'))), h('main', null, h('h1', { class: 'page-title' }, title()),
    h('div', { class: 'top-msg' }, top), body)]);
}

/** The slot to preselect: the morning before its due time unless done, else the afternoon; null when both are done. */
function defaultSlot(p: ObservationPerson): 'am' | 'pm' | null {
  const now = clockText(new Date()).slice(0, 5);
  const want = now < p.amDue ? 'am' : 'pm';
  if (!p.slots[want]) return want;
  const other = want === 'am' ? 'pm' : 'am';
  return p.slots[other] ? null : other;
}

function slotText(p: ObservationPerson, slot: 'am' | 'pm'): HTMLElement {
  const done = p.slots[slot];
  const name = slot === 'am' ? tr('上午', 'Morning') : tr('下午', 'Afternoon');
  const due = slot === 'am' ? p.amDue : p.pmDue;
  return h('li', { class: done ? 'slot-done' : 'slot-due', 'data-slot': slot, 'data-done': String(done) }, h('b', null, name), ' ',
    done ? tr('已报告 ✓', 'reported ✓') : tr(`待报告（${due} 前）`, `due by ${due}`));
}

function card(p: ObservationPerson): HTMLElement {
  const m = MEASURES[p.measure];
  // day 0 is the day of arrival or exposure: day 1 is tomorrow (the server's count, contacts/observation.ts)
  const days = p.day < 1
    ? (p.of ? tr(`共 ${p.of} 天，明天为第 1 天`, `${p.of} days, day 1 is tomorrow`) : tr('明天为第 1 天', 'Day 1 is tomorrow'))
    : p.of ? tr(`第 ${p.day} 天 / 共 ${p.of} 天`, `Day ${p.day} of ${p.of}`) : tr(`第 ${p.day} 天`, `Day ${p.day}`);
  const slot = defaultSlot(p);
  return h('section', { class: 'card observe-card', 'aria-label': p.maskedName, 'data-testid': 'observe-person' },
    h('h2', null, h('span', { class: 'pname' }, p.maskedName), ' ', m ? h('span', { class: 'tag' }, tr(m[0], m[1])) : null),
    h('p', { class: 'obs-days' }, days, p.endOn ? h('span', { class: 'sub' }, tr(`（至 ${p.endOn}）`, ` (until ${p.endOn})`)) : null),
    h('p', { class: 'sub' }, tr(`今天 ${p.todayOn}`, `Today ${p.todayOn}`)),
    h('ul', { class: 'slots' }, slotText(p, 'am'), slotText(p, 'pm')),
    slot ? reportForm(p, slot) : message('info', tr('今天的两次报告都已完成，谢谢！', 'Both of today\'s reports are done. Thank you!')));
}

function reportForm(p: ObservationPerson, first: 'am' | 'pm'): HTMLElement {
  let dr = drafts.get(p.personId);
  if (!dr) drafts.set(p.personId, dr = { temp: '', symptoms: new Set() });
  const draft = dr;
  if (!draft.slot || p.slots[draft.slot]) draft.slot = first;
  const id = (x: string) => `o-${p.personId}-${x}`;
  const slots = h('fieldset', { class: 'people obs-slots' }, h('legend', null, tr('报告时段', 'Which report')),
    (['am', 'pm'] as const).map((s) => h('label', { class: 'choice' },
      h('input', { type: 'radio', name: id('slot'), value: s, checked: draft.slot === s, disabled: p.slots[s], onchange: () => { draft.slot = s; } }),
      s === 'am' ? tr('上午', 'Morning') : tr('下午', 'Afternoon'))));
  const temp = h('input', { type: 'text', inputmode: 'decimal', placeholder: '36.5', autocomplete: 'off', maxlength: 5, value: draft.temp, class: 'obs-temp',
    oninput: () => { draft.temp = temp.value; } });
  const symptoms = h('fieldset', { class: 'people obs-symptoms' }, h('legend', null, tr('今天有无以下症状（可多选）', 'Any of these today? (tick all that apply)')),
    h('div', { class: 'checks' }, SYMPTOMS.map(([code, zh, en]) => h('label', { class: 'choice' },
      h('input', { type: 'checkbox', value: code, checked: draft.symptoms.has(code),
        onchange: (e: Event) => { if ((e.target as HTMLInputElement).checked) draft.symptoms.add(code); else draft.symptoms.delete(code); } }),
      tr(zh, en)))));
  const top = h('div', { class: 'top-msg' });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary' }, tr('提交报告', 'Send report'));
  const form = h('form', { class: 'obs-form', novalidate: true, onsubmit: (e: Event) => { e.preventDefault(); void send(); } },
    slots,
    field(id('temp'), tr('体温', 'Temperature'), temp, tr('如 36.5', 'e.g. 36.5'), h('span', { class: 'unit', 'aria-hidden': 'true' }, '℃')),
    symptoms, top, submit);

  async function send(): Promise<void> {
    say(top, null);
    setFieldError(id('temp'), '');
    const raw = draft.temp.trim().replace(/[，,]/, '.');
    const value = raw ? Number(raw) : null;
    if (value === null && draft.symptoms.size === 0) { setFieldError(id('temp'), t('needTemp')); temp.focus(); return; }
    if (value !== null && !Number.isFinite(value)) { setFieldError(id('temp'), t('needTemp')); temp.focus(); return; }
    busy(form, true);
    submit.textContent = t('sending');
    try {
      const res = await api<{ reports: ObservationReport[] }>('POST', '/api/r/observations',
        { personId: p.personId, slot: draft.slot, temperature: value, symptoms: [...draft.symptoms] });
      const fever = res.reports.some((r) => r.fever);
      const slotName = draft.slot === 'am' ? tr('上午', 'morning') : tr('下午', 'afternoon');
      flash = fever
        ? { alert: true, text: tr(`体温 ${value}℃，属于发热。已通知您的社区防控团队，请留在家中、不要外出，等候医生联系；如呼吸困难等症状加重，请拨打 120。`,
          `${value} °C is a fever. Your community care team has been told. Stay at home, do not go out, and wait for the doctor to contact you; if breathing gets hard, call 120.`) }
        : { alert: false, text: tr(`${p.maskedName} ${slotName}报告已提交，谢谢！`, `${p.maskedName}: ${slotName} report sent. Thank you!`) };
      drafts.delete(p.personId);
      await startObserve();
      return;
    } catch (e) {
      if (e instanceof ApiError) {
        const onTemp = e.code.startsWith('temperature') || e.code === 'observation_empty' || e.fields.some((f) => f.field === 'temperature');
        if (onTemp) { setFieldError(id('temp'), e.fields.find((f) => f.field === 'temperature')?.message ?? e.message); temp.focus(); }
        else if (e.code === 'already_reported') { flash = { alert: true, text: e.message }; await startObserve(); return; } else say(top, 'error', e.message);
      } else say(top, 'error', e instanceof NetworkError ? t('netErrorPlain') : String(e));
    }
    busy(form, false);
    submit.textContent = tr('提交报告', 'Send report');
  }
  return form;
}
