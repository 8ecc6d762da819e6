/**
 * The pass screen (SPEC S1, issue 2 §8): full screen, green 通行 or red 禁止通行 with the reason,
 * place, checkpoint, masked name(s), direction, temperature, and a live clock with seconds in China
 * time driven by the server's clock, so a screenshot or a replayed photo is visibly stale
 * (LESSONS "Pretend scanning"). A mixed group shows each person's own result.
 */
import { h, mount, onLeave } from './dom';
import { lang, t } from './i18n';
import { clockText, dateText } from './time';
import type { CheckinAnswer } from './types';

/** '36.5℃' for a reading, '' for none (exits). */
export function tempText(v: number | string | null | undefined): string {
  if (v == null || v === '') return '';
  const n = typeof v === 'number' ? v : Number(String(v).replace(',', '.'));
  return `${Number.isFinite(n) ? n.toFixed(1) : String(v)}℃`;
}

/**
 * Shows the result of POST /api/r/checkins. `data-testid="result"` carries `data-outcome` =
 * 'pass' when every person passed, else 'refused'; each person row carries its own outcome.
 * `back` (button 返回) returns to the check-in screen.
 */
export function showResult(res: CheckinAnswer, back: () => void): void {
  const results = res.results ?? [];
  const pass = results.length > 0 && results.every((r) => r.outcome === 'pass');
  const outcome = pass ? 'pass' : 'refused';
  const first = results[0];
  const server = Date.parse(res.serverTime);
  const skew = Number.isNaN(server) ? 0 : server - Date.now();
  const clock = h('div', { class: 'clock', 'aria-live': 'off' });
  const date = h('div', { class: 'date' });
  const tick = () => {
    const now = new Date(Date.now() + skew);
    clock.textContent = clockText(now);
    date.textContent = dateText(now, lang);
  };

  const single = results.length === 1;
  const dir = first?.direction === 'out' ? t('leave') : t('enter');
  const temps = new Set(results.map((r) => tempText(r.temperature)));
  const temp = temps.size === 1 ? tempText(first?.temperature) : '';
  mount([h('main', { class: `result ${outcome}`, 'data-testid': 'result', 'data-outcome': outcome },
    h('div', { class: 'verdict', role: 'status' }, h('span', { class: 'mark', 'aria-hidden': 'true' }, pass ? '✓' : '✕'),
      h('span', { class: 'verdict-text' }, pass ? t('pass') : t('refused'))),
    single && first.outcome === 'refused' && first.reason ? h('p', { class: 'reason' }, first.reason) : null,
    h('div', { class: 'live' }, h('span', { class: 'pulse', 'aria-hidden': 'true' }), clock), date,
    h('div', { class: 'where' }, h('div', { class: 'rplace' }, res.place?.name ?? ''), h('div', null, res.checkpoint?.name ?? '')),
    h('ul', { class: 'who' }, results.map((r) => h('li', { 'data-testid': 'result-person', 'data-outcome': r.outcome },
      h('span', { class: 'rname' }, r.maskedName),
      single ? null : h('span', { class: `badge ${r.outcome}` }, r.outcome === 'pass' ? t('pass') : t('refused')),
      temps.size > 1 && tempText(r.temperature) ? h('span', { class: 'rtemp' }, tempText(r.temperature)) : null,
      r.duplicate ? h('div', { class: 'dup' }, t('duplicate', clockText(new Date(r.at)))) : null,
      !single && r.outcome === 'refused' && r.reason ? h('div', { class: 'reason small' }, r.reason) : null))),
    h('div', { class: 'facts' }, h('span', null, `${t('direction')}${colon()}${dir}`), temp ? h('span', null, `${t('temperature')}${colon()}${temp}`) : null),
    h('button', { type: 'button', class: 'btn btn-back', onclick: back }, t('back')))]);
  // After mount: mount() runs the previous screen's cleanups, which must not include this one.
  tick();
  let timer = 0;
  const schedule = () => { timer = window.setTimeout(() => { tick(); schedule(); }, 1000 - (((Date.now() + skew) % 1000) + 1000) % 1000 + 5); };
  schedule();
  onLeave(() => clearTimeout(timer));
}

/** The label separator of the current language ('：' or ': '). */
export function colon(): string {
  return lang === 'zh' ? '：' : ': ';
}
