/**
 * /v#<token> for a 健康申报证明 (typ yq-cert, issue 6): anyone who scans the certificate's QR (a
 * checkpoint, an employer) sees at once whether it holds. No login: POST /api/certificates/verify
 * {token} (public; the server checks signature, kind, expiry without tolerance, revocation) →
 * 证明有效 in green with the full name, masked document number, center and valid-until (China
 * time), and the reminder to compare the holder's ID card; or 证明无效 in red with the server's
 * refusal (expired, revoked, altered, unknown key …) in the chosen language. Loaded on demand by
 * ./visit.ts, so the check-in entry stays light.
 */
import './certificate.css';
import { api, ApiError, NetworkError } from './api';
import { h, mount } from './dom';
import { DOC_TYPES, lang, t } from './i18n';
import { colon } from './result';
import { notice, topBar } from './ui';

/** The verify answer (issue 6 contract). */
interface Verified {
  certificate: { name: string; docMasked: string; docTypeLabel: string; orgName: string; issuedAtChina: string; notAfterChina: string; state: 'valid' };
}

/** The server's document type label (Chinese) in the page's language, when it is a known type. */
function docTypeText(label: string): string {
  return lang === 'zh' ? label : DOC_TYPES.find((d) => d[1] === label)?.[2] ?? label;
}

/** Checks `token` with the server and shows the result full screen. */
export async function showCertificateCheck(token: string): Promise<void> {
  mount([topBar(), h('main', { class: 'loading', 'aria-busy': 'true' }, t('loading'))]);
  let ok: Verified['certificate'] | null = null;
  let refusal = '';
  let code = '';
  try {
    ok = (await api<Verified>('POST', '/api/certificates/verify', { token })).certificate;
  } catch (e) {
    if (e instanceof ApiError && !e.retryable) {
      refusal = e.message;
      code = e.code;
    } else {
      const text = e instanceof NetworkError || e instanceof ApiError ? '' : String(e);
      mount(notice(t('netErrorPlain'), text, h('button', { type: 'button', class: 'btn btn-primary', onclick: () => void showCertificateCheck(token) }, t('retry'))));
      return;
    }
  }
  const pass = ok !== null;
  mount([topBar(), h('main', { class: `result cert-check ${pass ? 'pass' : 'refused'}`, 'data-testid': 'cert-check', 'data-outcome': pass ? 'valid' : 'refused', 'data-code': code || null },
    h('p', { class: 'sub', style: 'color:inherit' }, t('certVerifyTitle')),
    h('div', { class: 'verdict', role: 'status' }, h('span', { class: 'mark', 'aria-hidden': 'true' }, pass ? '✓' : '✕'),
      h('span', { class: 'verdict-text' }, pass ? t('certValid') : t('certInvalid'))),
    ok ? [
      h('span', { class: 'rname', 'data-testid': 'cert-name' }, ok.name),
      h('div', { class: 'facts' },
        h('span', null, `${docTypeText(ok.docTypeLabel)}${colon()}${ok.docMasked}`),
        h('span', null, ok.orgName),
        h('span', null, `${t('validUntil')}${colon()}${ok.notAfterChina}`, h('span', { class: 'tz' }, t('chinaTime')))),
      h('p', { class: 'id-note' }, t('certCheckId')),
    ] : h('p', { class: 'reason', 'data-testid': 'cert-refusal' }, refusal))]);
}
