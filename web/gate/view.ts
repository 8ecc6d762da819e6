/**
 * DOM pieces of the gate page: the top bar with network, queue and sync state, the big result
 * panel (masked name, status colour band, 通行 / 禁止通行 and the reason) and the list of this
 * device's recent scans. Plain DOM (dom.ts), big type for a tablet at arm's length.
 */
import { h, type Child } from './dom';
import { chinaDateTime } from '../../src/lib/time';
import { bi, colon, lang, setLang, t } from './i18n';
import { docTypeText } from './doc-types';
import type { Reading, Verdict } from './judge';
import type { OutboxState } from './outbox';
import type { Direction, ScanResult } from './types';

/** 'HH:mm:ss' China time of a device instant (ms). */
export function clock(ms: number): string {
  return chinaDateTime(new Date(ms)).slice(11);
}

/** The language switch: re-renders through `onChange`. */
export function langButton(onChange: () => void): HTMLButtonElement {
  return h('button', { type: 'button', class: 'lang', onclick: () => { setLang(lang === 'zh' ? 'en' : 'zh'); onChange(); } }, t('switchLang'));
}

export interface HeaderState {
  online: boolean;
  outbox: OutboxState;
  syncedAt: number | null;
}

/** The state line under the top bar: 在线/离线, 待上传 N 条, 上次同步 HH:mm:ss. */
export function statusLine(s: HeaderState, onSync: () => void): Child[] {
  return [
    h('span', { class: `net ${s.online ? 'on' : 'off'}`, 'data-testid': 'net', 'data-online': String(s.online) }, s.online ? t('online') : t('offline')),
    h('span', { class: `queue ${s.outbox.length ? 'waiting' : ''}`, 'data-testid': 'queue', 'data-count': String(s.outbox.length) },
      s.outbox.length ? t('queue', s.outbox.length) : t('queueEmpty')),
    h('span', { class: 'synced', 'data-testid': 'synced' }, s.syncedAt ? t('lastSync', clock(s.syncedAt)) : t('neverSynced')),
    h('button', { type: 'button', class: 'link-btn', onclick: onSync }, t('syncNow')),
  ];
}

/** A scan on screen: what was read, the verdict, and where its record is. */
export interface Current {
  key: string;
  reading: Reading;
  scannedAt: number;
  verdict: Verdict;
  /**
   * judging: waiting for the guard; sending; queued (kept on the device); done (server answered);
   * certificate: a certificate shown, verification only (never sent, never queued).
   */
  state: 'judging' | 'sending' | 'queued' | 'done' | 'certificate';
  result: ScanResult | null;
}

/** The result panel's content for `c` (null: waiting for a code). */
export function resultPanel(c: Current | null, direction: Direction, temp: HTMLElement, actions: HTMLElement): Child[] {
  if (!c) return [h('p', { class: 'idle' }, t('waiting'))];
  const r = c.reading;
  const served = c.result && c.result.status !== 'rejected' ? c.result : null;
  const outcome = c.result ? c.result.outcome : c.verdict.outcome;
  const reason = c.result ? c.result.reason : bi(c.verdict.reason);
  const verdictText = outcome === 'pass' ? t('pass') : t('refused');
  return [
    h('p', { class: 'pname', 'data-testid': 'result-name' }, r.maskedName ?? t('unknownPerson')),
    h('p', { class: `band ${r.colour}`, 'data-testid': 'result-status', 'data-status': r.status ?? '' },
      `${t('status')}${colon()}${r.statusLabel ? bi(r.statusLabel) : '—'}`),
    h('p', { class: `verdict ${outcome}`, 'data-testid': 'verdict' },
      c.verdict.needsTemperature && !c.result ? `${verdictText}${lang === 'zh' ? '？' : '?'}` : verdictText),
    reason ? h('p', { class: 'reason', 'data-testid': 'reason' }, reason) : null,
    // a reading is asked for a pass, or to correct a fever reading; not for a code refused as such
    c.state === 'judging' ? [direction === 'in' && (outcome === 'pass' || c.verdict.reasonCode === 'fever') ? temp : null, actions] : null,
    c.state === 'sending' ? h('p', { class: 'note' }, '…') : null,
    c.state === 'queued' ? h('p', { class: 'note queued', role: 'status' }, t('queued')) : null,
    c.state === 'done' && c.result ? h('p', { class: `note ${c.result.status}`, role: 'status' },
      c.result.status === 'rejected' ? t('rejected', c.result.reason ?? '') : c.result.status === 'duplicate' ? t('duplicate') : t('recorded'),
      served && served.outcome !== c.verdict.outcome ? ` · ${t('serverSays', served.outcome === 'pass' ? t('pass') : t('refused'))}` : '') : null,
    c.result?.twoWay?.flagged ? h('p', { class: 'note warn', role: 'alert' }, t('twoWayGap', c.result.twoWay.gapC ?? '')) : null,
  ];
}

/**
 * The result panel for a health declaration certificate (issue 6): 健康申报证明 有效 (green) with
 * the full name, masked document, center and 有效至, or 无效 and the reason (red); always the note
 * that it is a verification only (no check-in, nothing queued), and `done` to clear it.
 */
export function certificatePanel(c: Current, done: HTMLElement): Child[] {
  const cert = c.reading.certificate;
  const valid = !!cert?.valid && c.verdict.outcome === 'pass';
  const line = (label: string, value: string | null, testId: string) =>
    value ? h('p', { class: 'cert-line', 'data-testid': testId }, h('span', { class: 'cert-label' }, `${label}${colon()}`), value) : null;
  return [
    h('p', { class: `cert-verdict ${valid ? 'pass' : 'refused'}`, 'data-testid': 'verdict', 'data-kind': 'certificate' },
      h('span', { class: 'cert-title' }, t('certTitle')), ' ', h('span', { class: 'cert-word' }, valid ? t('certValid') : t('certInvalid'))),
    cert?.name ? h('p', { class: 'pname cert-name', 'data-testid': 'result-name' }, cert.name) : null,
    line(t('certDoc'), cert?.docMasked ? `${cert.docType ? `${docTypeText(cert.docType, lang)} ` : ''}${cert.docMasked}` : null, 'cert-doc'),
    line(t('certOrg'), cert?.orgName ?? null, 'cert-org'),
    line(t('certNotAfter'), cert?.notAfterChina ? t('certNotAfterZone', cert.notAfterChina) : null, 'cert-not-after'),
    c.verdict.reason ? h('p', { class: 'reason', 'data-testid': 'reason' }, bi(c.verdict.reason)) : null,
    h('p', { class: 'note cert-only', role: 'status', 'data-testid': 'cert-only' }, t('certOnly')),
    h('div', { class: 'actions cert-actions' }, done),
  ];
}

/** A line of the recent list. */
export interface RecentItem {
  key: string;
  maskedName: string | null;
  direction: Direction;
  temperature: number | null;
  outcome: 'pass' | 'refused';
  reason: string | null;
  at: number;
  state: 'pending' | ScanResult['status'];
}

/** The device's recent scans, newest first. */
export function recentList(items: RecentItem[]): HTMLElement {
  return h('ul', { class: 'recent', 'data-testid': 'recent' }, items.map((i) =>
    h('li', { 'data-key': i.key, 'data-state': i.state, 'data-outcome': i.outcome, class: i.outcome },
      h('span', { class: 'r-time' }, clock(i.at)),
      h('span', { class: 'r-name' }, i.maskedName ?? '—'),
      h('span', { class: 'r-dir' }, i.direction === 'in' ? t('dirIn') : t('dirOut')),
      h('span', { class: 'r-temp' }, i.temperature !== null ? `${i.temperature.toFixed(1)}℃` : ''),
      h('span', { class: 'r-out' }, i.outcome === 'pass' ? t('pass') : t('refused'), i.reason ? `${colon()}${i.reason}` : ''),
      h('span', { class: 'r-state' }, i.state === 'pending' ? t('pending') : t('uploaded')))));
}

/** A full-page message (sign-in needed, no permission, not https …) with an optional link. */
export function notice(title: string, text: string, link?: { href: string; label: string }, extra?: Child): Child[] {
  return [h('main', { class: 'notice' }, h('h1', null, title), h('p', null, text), extra,
    link ? h('a', { class: 'btn', href: link.href }, link.label) : null)];
}
