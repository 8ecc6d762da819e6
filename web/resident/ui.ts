/**
 * Shared pieces of the resident screens: the top bar, labelled form fields with inline errors,
 * messages and full-screen notices. Labels are real <label for> elements (accessible names are
 * what browser tests and screen readers use).
 */
import { h, type Child } from './dom';
import { langButton, t } from './i18n';
import type { FieldError } from './api';

/** Top bar: product name, optional extra link(s), the language switch. */
export function topBar(...extra: Child[]): HTMLElement {
  return h('header', { class: 'bar' }, h('span', { class: 'brand' }, t('appName')), h('span', { class: 'bar-links' }, extra, langButton()));
}

/**
 * A form row: `<label for=id>` with exactly `label`, an optional hint outside the label (so the
 * accessible name stays exact), the control, and an error slot `id-err` (aria-live).
 */
export function field(id: string, label: string, control: HTMLElement, hint?: Child, after?: Child): HTMLElement {
  control.id = id;
  control.setAttribute('aria-describedby', `${id}-err`);
  return h('div', { class: 'field' },
    h('div', { class: 'label-row' }, h('label', { for: id }, label), hint ? h('span', { class: 'hint' }, hint) : null),
    h('div', { class: 'control-row' }, control, after),
    h('div', { class: 'err', id: `${id}-err`, 'aria-live': 'polite' }));
}

/** Shows `message` under the field `id` (empty clears it) and marks the control invalid. */
export function setFieldError(id: string, message: string): void {
  const slot = document.getElementById(`${id}-err`);
  const control = document.getElementById(id);
  if (slot) slot.textContent = message;
  if (control) {
    if (message) control.setAttribute('aria-invalid', 'true');
    else control.removeAttribute('aria-invalid');
  }
}

/** Clears every field error inside `form`. */
export function clearFieldErrors(form: HTMLElement): void {
  form.querySelectorAll('.err').forEach((e) => { e.textContent = ''; });
  form.querySelectorAll('[aria-invalid]').forEach((e) => e.removeAttribute('aria-invalid'));
}

/**
 * Places server field errors next to their controls (`idOf(field)` gives the control id, null if
 * the field is not on this form). Returns the messages that found no field, for the top message.
 */
export function showFieldErrors(fields: FieldError[], idOf: (field: string) => string | null): string[] {
  const rest: string[] = [];
  let first: HTMLElement | null = null;
  for (const f of fields) {
    const id = idOf(f.field.split('.')[0]);
    if (id && document.getElementById(id)) {
      setFieldError(id, f.message);
      first ??= document.getElementById(id);
    } else rest.push(f.message);
  }
  first?.focus();
  return rest;
}

/** A message box: 'error' (role=alert, read out at once) or 'info' (polite). */
export function message(kind: 'error' | 'info', ...content: Child[]): HTMLElement {
  return h('div', { class: `msg msg-${kind}`, role: kind === 'error' ? 'alert' : 'status' }, content);
}

/** Replaces the contents of the message slot `slot` (empty content clears it). */
export function say(slot: HTMLElement, kind: 'error' | 'info' | null, ...content: Child[]): void {
  slot.textContent = '';
  if (kind) slot.appendChild(message(kind, content));
}

/** A full-screen notice (unknown or revoked code, network failure on load, wrong address). */
export function notice(title: string, text: string, ...actions: Child[]): Child[] {
  return [topBar(), h('main', { class: 'notice', role: 'alert' }, h('div', { class: 'notice-icon', 'aria-hidden': 'true' }, '!'),
    h('h1', null, title), h('p', null, text), actions)];
}

/** Disables or enables every button inside `scope` (while a request is in flight). */
export function busy(scope: HTMLElement, on: boolean): void {
  scope.querySelectorAll('button').forEach((b) => { if (!b.classList.contains('lang')) b.disabled = on; });
  scope.setAttribute('aria-busy', String(on));
}
