/**
 * /v#<token> (issue 3 §1, §5): the page a phone camera opens from a signed code's QR
 * (`PUBLIC_URL/v#<token>`). The token is read from the fragment, which never reaches the server
 * in the URL, and is removed from the address bar at once (kept in sessionStorage so a reload in
 * the same tab works while the code lives). Its header `typ` is decoded without verifying (the
 * server verifies): a checkpoint's screen code opens the normal check-in flow with that token; a
 * personal pass code or card is explained (the guard's scanner reads those); a 健康申报证明
 * (yq-cert) is checked by the server and the result shown big (./certificate-verify.ts, loaded on
 * demand, no login); anything else is a clear error.
 */
import { load, startCheckin } from './checkin';
import { codeKind, tokenFromFragment, type CodeKind } from './code';
import { h, mount } from './dom';
import { t } from './i18n';
import { notice } from './ui';

const STORE = 'screenCode';
let kind: CodeKind | null = null;

function stored(): string {
  try { return sessionStorage.getItem(STORE) ?? ''; } catch { return ''; }
}

/** Opens /v: takes the token from the fragment (or the tab's last one) and routes it by kind. */
export function startVisit(): void {
  const fromHash = tokenFromFragment(location.hash);
  let token = fromHash;
  if (fromHash) {
    try { sessionStorage.setItem(STORE, fromHash); } catch { /* storage disabled: a reload needs a new scan */ }
    history.replaceState(null, '', location.pathname + location.search);
  } else token = stored();
  kind = codeKind(token);
  show(token);
}

/** Loads the certificate check's chunk and shows the result; a failed load offers a retry. */
function checkCertificate(token: string): void {
  import('./certificate-verify').then((m) => m.showCertificateCheck(token), () => mount(notice(t('netErrorPlain'), '',
    h('button', { type: 'button', class: 'btn btn-primary', onclick: () => checkCertificate(token) }, t('retry')))));
}

function show(token: string): void {
  if (kind === 'checkpoint') void startCheckin(token);
  else if (kind === 'certificate') checkCertificate(token);
  else if (kind === 'personal') mount(notice(t('personalTitle'), t('personalHint'), h('a', { href: '/pass', class: 'btn btn-primary' }, t('passTitle'))));
  else mount(notice(t('badCode'), t('badCodeHint')));
}

/** Re-renders in the new language (the check-in flow reloads its checkpoint). */
export function relangVisit(): void {
  if (kind === 'checkpoint') void load();
  else show(stored());
}

/** A new code scanned while this page is open changes only the fragment: route it too (not '#add'). */
export function watchVisitHash(): void {
  window.addEventListener('hashchange', () => {
    const tok = tokenFromFragment(location.hash);
    if (tok && tok !== 'add') startVisit();
  });
}
