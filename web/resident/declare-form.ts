/**
 * The 健康申报 form (issue 6 §1, SPEC S6) of /declare: who (a person on this phone) with the
 * registered personal data, masked; where the person stayed on each of the last 14 days (China
 * dates today − 13 … today, each 本社区 by default and editable); travel; contact with cases and
 * with people from named areas (是/否, never preset; a note for 是); symptoms now (发热 咳嗽 乏力 闷气
 * 腹泻 其他, or 无); destination; purpose; and the acknowledgement, which must be ticked. Every
 * control has a real <label>; errors show next to their control, the rest at the top.
 */
import type { FieldError } from './api';
import { h, type Child } from './dom';
import { DOC_TYPES, lang, t, tr } from './i18n';
import type { MePerson } from './types';
import { answersOf, controlOf, missing, NONE, SYMPTOMS, toggleSymptom, type Answers, type Draft, type ResidentDeclaration } from './declare-model';
import { busy, clearFieldErrors, field, say, setFieldError } from './ui';

/** What a refused send shows: field errors (server paths or codes) and the top message; null when done. */
export type SendResult = { fields: FieldError[]; top: Child[] } | null;

export interface FormOptions {
  draft: Draft;
  /** Persons who may declare now (a new declaration), or the one person of a resubmission. */
  persons: MePerson[];
  /** A resubmission: the person is fixed. */
  fixedPerson?: ResidentDeclaration;
  submitLabel: string;
  send: (a: Answers) => Promise<SendResult>;
}

export const ACK_TEXT = ['本人承诺以上信息真实，如有虚假申报，愿承担相应法律责任', 'I promise that the above is true; I accept legal responsibility for any false declaration'] as const;

/** Element id of a control key ('residence.3.place' → 'd-residence-3-place'). */
export const idOf = (key: string) => `d-${key.replace(/\./g, '-')}`;

const docLabel = (code: string) => {
  const d = DOC_TYPES.find((x) => x[0] === code);
  return d ? (lang === 'zh' ? d[1] : d[2]) : code;
};

const WEEK: Array<[string, string]> = [['日', 'Sun'], ['一', 'Mon'], ['二', 'Tue'], ['三', 'Wed'], ['四', 'Thu'], ['五', 'Fri'], ['六', 'Sat']];
/** '周二' / 'Tue' of a calendar date. */
function weekday(on: string): string {
  const [y, m, d] = on.split('-').map(Number);
  const w = WEEK[new Date(Date.UTC(y!, m! - 1, d!)).getUTCDay()]!;
  return tr(`周${w[0]}`, w[1]);
}

/** A fieldset of choices with its error slot (`id-err`); the fieldset carries `id` (focus, aria-invalid). */
function group(id: string, legend: string, content: Child[], cls = ''): HTMLFieldSetElement {
  const fs = h('fieldset', { id, class: `people ${cls}`, tabindex: '-1', 'aria-describedby': `${id}-err` }, h('legend', null, legend), content,
    h('div', { class: 'err', id: `${id}-err`, 'aria-live': 'polite' }));
  return fs;
}

function yesNo(key: 'contactWithCases' | 'contactWithAreas', legend: string, d: Draft, after?: () => void): HTMLFieldSetElement {
  const id = idOf(key);
  const choice = (v: boolean) => h('label', { class: 'choice' },
    h('input', { type: 'radio', name: id, value: String(v), checked: d[key] === v, onchange: () => { d[key] = v; setFieldError(id, ''); after?.(); } }),
    v ? tr('是', 'Yes') : tr('否', 'No'));
  return group(id, legend, [h('div', { class: 'yesno' }, choice(true), choice(false))]);
}

/** Builds the form for `o.draft` (typed values stay in the draft across re-renders). */
export function declarationForm(o: FormOptions): HTMLFormElement {
  const d = o.draft;
  const text = (key: 'travel' | 'destination' | 'purpose' | 'contactNote', attrs: Record<string, unknown> = {}) =>
    h('input', { type: 'text', value: d[key], oninput: (e: Event) => { d[key] = (e.target as HTMLInputElement).value; }, ...attrs });

  // who
  const person = o.persons.find((p) => p.id === d.personId) ?? o.persons[0];
  const facts = h('dl', { class: 'pfacts' });
  const showFacts = (p: MePerson | undefined) => {
    facts.replaceChildren(...(p ? [h('dt', null, t('name')), h('dd', null, p.maskedName),
      h('dt', null, docLabel(p.docType)), h('dd', null, p.docMasked)] : []));
  };
  let who: HTMLElement;
  if (o.fixedPerson) {
    who = h('div', { class: 'field' }, h('div', { class: 'label-row' }, h('span', { class: 'flabel' }, tr('申报人', 'Who is declaring'))),
      h('div', { class: 'pname' }, o.fixedPerson.maskedName));
  } else {
    const sel: HTMLSelectElement = h('select', { onchange: () => { d.personId = sel.value; showFacts(o.persons.find((p) => p.id === sel.value)); } },
      o.persons.map((p) => h('option', { value: p.id, selected: p.id === d.personId }, tr(`${p.maskedName}（${p.relation === 'self' ? t('self') : t('dependent')}）`, `${p.maskedName} (${p.relation === 'self' ? t('self') : t('dependent')})`))));
    if (person) d.personId = person.id;
    who = field(idOf('personId'), tr('申报人', 'Who is declaring'), sel);
  }
  showFacts(person);

  // residence, 14 days
  const days = Object.keys(d.places).sort();
  const residence = group(idOf('residence'), tr('近14天每日居住地', 'Where you stayed on each of the last 14 days'), [
    h('p', { class: 'sub' }, tr('已按“本社区”填好，如有外出居住请修改当天', 'Filled in as “本社区” (this community): change any day you stayed elsewhere')),
    h('div', { class: 'res-days' }, days.map((on, i) => {
      const id = idOf(`residence.${i}.place`);
      return h('div', { class: 'res-day' },
        h('label', { for: id }, on.slice(5), h('span', { class: 'wk' }, ` ${weekday(on)}`)),
        h('input', { type: 'text', id, maxlength: 100, value: d.places[on], 'aria-describedby': `${id}-err`,
          oninput: (e: Event) => { d.places[on] = (e.target as HTMLInputElement).value; } }),
        h('div', { class: 'err', id: `${id}-err`, 'aria-live': 'polite' }));
    })),
  ], 'res');

  // contacts
  const note = field(idOf('contactNote'), tr('接触情况说明', 'Details of the contact'),
    text('contactNote', { maxlength: 300, placeholder: tr('如：2月3日 接触自湖北武汉返回的亲属', 'e.g. 3 Feb: a relative back from Wuhan, Hubei') }));
  note.hidden = d.contactWithAreas !== true;
  const areas = yesNo('contactWithAreas', tr('近14天是否接触过来自重点地区的人员', 'Contact with people from named areas in the last 14 days'), d,
    () => { note.hidden = d.contactWithAreas !== true; });

  // symptoms: 无 excludes the others
  const boxes: HTMLInputElement[] = [];
  const sync = () => { for (const b of boxes) b.checked = d.symptoms.includes(b.value); };
  const box = (key: string, label: string) => {
    const b = h('input', { type: 'checkbox', value: key, checked: d.symptoms.includes(key), onchange: () => {
      d.symptoms = toggleSymptom(d.symptoms, key, b.checked);
      sync();
      setFieldError(idOf('symptoms'), '');
    } });
    boxes.push(b);
    return h('label', { class: 'choice' }, b, label);
  };
  const symptoms = group(idOf('symptoms'), tr('目前有无以下症状', 'Any of these symptoms now?'),
    [h('div', { class: 'checks' }, SYMPTOMS.map(([k, zh, en]) => box(k, tr(zh, en))), box(NONE, tr('无', 'None')))]);

  // acknowledgement
  const ackId = idOf('acknowledged');
  const ack = h('div', { class: 'ack' },
    h('div', { class: 'ack-row' },
      h('input', { type: 'checkbox', id: ackId, checked: d.acknowledged, 'aria-describedby': `${ackId}-err`,
        onchange: (e: Event) => { d.acknowledged = (e.target as HTMLInputElement).checked; if (d.acknowledged) setFieldError(ackId, ''); } }),
      h('label', { for: ackId }, tr(ACK_TEXT[0], ACK_TEXT[1]))),
    h('div', { class: 'err', id: `${ackId}-err`, 'aria-live': 'polite' }));

  const top = h('div', { class: 'top-msg' });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary' }, o.submitLabel);
  const form = h('form', { class: 'card form decl-form', novalidate: true, onsubmit: (e: Event) => { e.preventDefault(); void go(); } },
    who, facts,
    residence,
    field(idOf('travel'), tr('近14天旅行史', 'Travel in the last 14 days'), text('travel', { maxlength: 500, placeholder: tr('如无外出可不填', 'Leave empty if none') }), t('optional')),
    yesNo('contactWithCases', tr('近14天是否接触过确诊或疑似病例', 'Contact with confirmed or suspected cases in the last 14 days'), d),
    areas, note,
    symptoms,
    field(idOf('destination'), tr('目的地', 'Destination'), text('destination', { maxlength: 60, placeholder: tr('如：郑州市金水区', 'e.g. Jinshui District, Zhengzhou') })),
    field(idOf('purpose'), tr('事由', 'Purpose'), text('purpose', { maxlength: 100, placeholder: tr('如：返岗复工', 'e.g. returning to work') })),
    ack, top, submit,
    h('p', { class: 'privacy' }, tr('信息仅用于疫情防控，由社区信息员、社区医生和主检医生办理', 'Used for epidemic control only, by the community information officer and doctors')));

  const show = (fields: FieldError[]): string[] => {
    const rest: string[] = [];
    let first: HTMLElement | null = null;
    for (const f of fields) {
      const key = controlOf(f.field);
      const el = key ? document.getElementById(idOf(key)) : null;
      if (el && !el.closest('[hidden]')) {
        if (!document.getElementById(`${idOf(key!)}-err`)?.textContent) setFieldError(idOf(key!), f.message);
        first ??= el;
      } else rest.push(f.message);
    }
    first?.focus();
    if (first && first.tagName === 'FIELDSET') first.scrollIntoView({ block: 'center' });
    return rest;
  };

  async function go(): Promise<void> {
    clearFieldErrors(form);
    say(top, null);
    const miss = missing(d);
    if (miss.length) {
      show(miss.map((m) => ({ field: m.key, message: tr(m.message.zh, m.message.en) })));
      say(top, 'error', t('fixErrors'));
      return;
    }
    busy(form, true);
    submit.textContent = t('sending');
    const r = await o.send(answersOf(d));
    if (r === null) return; // the page moved on
    busy(form, false);
    submit.textContent = o.submitLabel;
    const rest = show(r.fields);
    const placed = r.fields.length - rest.length;
    say(top, 'error', ...(placed > 0 ? (rest.length ? [rest.join('；')] : [t('fixErrors')]) : r.top));
    if (!placed) top.scrollIntoView({ block: 'center' });
  }
  return form;
}
