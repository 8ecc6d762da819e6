/**
 * The chosen language, shared by every page (resident pages, gate page): kept in localStorage and
 * in the `lang` cookie, which the server reads to answer errors and labels in the same language
 * (src/lib/errors.ts pickLang). zh-CN is the default (SPEC "Language").
 */
export type Lang = 'zh' | 'en';

/** The language chosen earlier on this device (localStorage, else the cookie), or null. */
export function savedLang(): Lang | null {
  try {
    const v = localStorage.getItem('lang');
    if (v === 'zh' || v === 'en') return v;
  } catch { /* storage disabled (private mode) */ }
  const m = /(?:^|;\s*)lang=(zh|en)/.exec(document.cookie);
  return m ? (m[1] as Lang) : null;
}

/** Persists `l` (localStorage + `lang` cookie, one year) and sets <html lang>. */
export function persistLang(l: Lang): void {
  try { localStorage.setItem('lang', l); } catch { /* storage disabled */ }
  document.cookie = `lang=${l}; path=/; max-age=31536000; samesite=lax`;
  document.documentElement.lang = l === 'zh' ? 'zh-CN' : 'en';
}
