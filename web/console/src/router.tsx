/**
 * A minimal history router for the console (no router dependency): paths live under /console,
 * pages call `navigate('/gate')` and read `usePath()` ('/gate', '/persons/<id>' …, without the
 * /console prefix). The server answers every /console/* with the console page.
 */
import { useSyncExternalStore, type AnchorHTMLAttributes, type MouseEvent } from 'react';

export const BASE = '/console';
const EVENT = 'yiqu:navigate';

function subscribe(cb: () => void) {
  window.addEventListener('popstate', cb);
  window.addEventListener(EVENT, cb);
  return () => { window.removeEventListener('popstate', cb); window.removeEventListener(EVENT, cb); };
}

/** The path below /console ('/' for the root), e.g. '/persons/3f…'. Query strings excluded. */
export function currentPath(): string {
  const p = window.location.pathname;
  const rest = p.startsWith(BASE) ? p.slice(BASE.length) : p;
  return rest === '' ? '/' : rest.replace(/\/+$/, '') || '/';
}

/** Re-renders the caller when the path changes. */
export function usePath(): string {
  return useSyncExternalStore(subscribe, currentPath, () => '/');
}

/** Go to a console path ('/gate'); `replace` avoids a history entry (redirects). */
export function navigate(to: string, replace = false) {
  const url = BASE + (to.startsWith('/') ? to : `/${to}`);
  if (replace) window.history.replaceState(null, '', url);
  else window.history.pushState(null, '', url);
  window.dispatchEvent(new Event(EVENT));
  window.scrollTo(0, 0);
}

/** Match '/persons/:id' against a path; returns the params or null. */
export function matchPath(pattern: string, path: string): Record<string, string> | null {
  const a = pattern.split('/').filter(Boolean);
  const b = path.split('/').filter(Boolean);
  if (a.length !== b.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < a.length; i++) {
    if (a[i]!.startsWith(':')) params[a[i]!.slice(1)] = decodeURIComponent(b[i]!);
    else if (a[i] !== b[i]) return null;
  }
  return params;
}

/** An <a> that navigates inside the console without a reload (ctrl/cmd-click still opens a tab). */
export function Link({ to, onClick, ...rest }: AnchorHTMLAttributes<HTMLAnchorElement> & { to: string }) {
  const go = (e: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(e);
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey) return;
    e.preventDefault();
    navigate(to);
  };
  return <a href={BASE + to} onClick={go} {...rest} />;
}
