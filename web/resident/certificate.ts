/**
 * 健康申报证明 on the resident's phone (issue 6, SPEC S6): loaded on demand by /declare (its own
 * chunk, with `qrcode` through ./qr-canvas.ts) when a declaration carries its certificate (GET
 * /api/r/declarations, CertificateView of the issue 6 contract). Shows the holder's full name, the masked document
 * number, the issuing center, issued / valid until in China time, the state (有效 green, 已过期 grey,
 * 已作废 red with the reason), the QR of `${location.origin}/v#<token>` while valid (a checkpoint or
 * an employer scans it: the /v page or the gate verifies the signature), the 下载 PDF link, and the
 * characters the PDF prints as □ when its fonts lack them.
 */
import './certificate.css';
import { h, type Child } from './dom';
import { t, tr } from './i18n';
import { tokenClaims } from './code';
import { drawQr } from './qr-canvas';
import type { CertificateView } from './declare-model';

const STATE: Record<CertificateView['state'], [string, string]> = { valid: ['有效', 'Valid'], expired: ['已过期', 'Expired'], revoked: ['已作废', 'Revoked'] };

/** The full name to show: the view's, else the phone's record of the person, else the token's claim, else the masked name. */
function fullName(c: CertificateView, personName?: string): string {
  const nm = tokenClaims(c.token ?? '')?.nm;
  return c.name || personName || (typeof nm === 'string' && nm ? nm : c.maskedName);
}

/** The certificate card for `c`; `personName` is the person's full name as /api/r/me gives it. */
export function certificateCard(c: CertificateView, personName?: string): HTMLElement {
  const row = (label: string, value: Child, cls = '') => [h('dt', null, label), h('dd', { class: cls }, value)];
  const valid = c.state === 'valid';
  const canvas = valid ? h('canvas', { class: 'qr', role: 'img', 'aria-label': tr('健康申报证明二维码', 'QR code of the certificate'), 'data-testid': 'cert-qr' }) : null;
  const card = h('section', { class: `cert cert-${c.state}`, 'data-testid': 'certificate', 'data-state': c.state, 'aria-label': t('certTitle') },
    h('div', { class: 'cert-band' }, h('div', { class: 'cert-title' }, t('certTitle')),
      h('div', { class: 'cert-state', 'data-testid': 'cert-state' }, tr(...STATE[c.state]))),
    h('dl', { class: 'cert-facts' },
      row(t('name'), fullName(c, personName), 'cert-name'),
      row(tr('证件号码', 'Document number'), c.docMasked),
      row(tr('出具单位', 'Issued by'), c.orgName),
      row(tr('出具时间', 'Issued'), [c.issuedAtChina, h('span', { class: 'tz' }, t('chinaTime'))]),
      row(t('validUntil'), [c.notAfterChina, h('span', { class: 'tz' }, t('chinaTime'))])),
    c.state === 'revoked' ? h('p', { class: 'cert-why', role: 'alert' },
      tr('此证明已作废', 'This certificate has been revoked'), c.revokedAtChina ? tr(`（${c.revokedAtChina}）`, ` (${c.revokedAtChina})`) : '',
      c.revokeReason ? [h('br'), tr(`原因：${c.revokeReason}`, `Reason: ${c.revokeReason}`)] : null) : null,
    c.state === 'expired' ? h('p', { class: 'cert-note' }, tr('此证明已过有效期，如需出行请重新申报', 'This certificate has expired: declare again if you need one')) : null,
    canvas ? h('div', { class: 'cert-qr' }, canvas, h('p', { class: 'sub' }, tr('请向卡点或单位出示，对方扫码核验；请同时出示身份证件', 'Show it at the checkpoint or to your employer, who scan it; show your ID card too'))) : null,
    c.state !== 'revoked' ? h('a', { class: 'btn btn-primary cert-pdf', href: `/api/r/certificates/${encodeURIComponent(c.id)}/pdf`, download: true }, tr('下载 PDF', 'Download PDF')) : null,
    c.missingGlyphs?.length ? h('p', { class: 'cert-glyphs', 'data-testid': 'cert-glyphs' },
      tr(`证明上以□代替的字：${c.missingGlyphs.join(' ')}`, `Characters printed as □ on the certificate: ${c.missingGlyphs.join(' ')}`)) : null);
  if (canvas) requestAnimationFrame(() => drawQr(canvas, `${location.origin}/v#${c.token}`, Math.min(card.clientWidth - 32 || 300, 320)));
  return card;
}
