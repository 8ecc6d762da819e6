/**
 * Console language: zh-CN by default, English switchable (SPEC "Language"). The choice is kept in
 * localStorage and in a `lang` cookie, so the server answers errors and downloads in the same
 * language (`pickLang` in src/lib/errors.ts reads `?lang=`, the cookie, then Accept-Language).
 * Strings live where they are used: `t('用户名', 'Username')`.
 */
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';

export type Lang = 'zh' | 'en';
const KEY = 'yiqu.console.lang';

function initialLang(): Lang {
  try {
    const saved = localStorage.getItem(KEY);
    if (saved === 'en' || saved === 'zh') return saved;
  } catch { /* storage blocked: default */ }
  return 'zh';
}

let current: Lang = initialLang();
/** The language in force, for code outside React (the API client's Accept-Language). */
export const currentLang = (): Lang => current;

function persist(lang: Lang) {
  current = lang;
  try { localStorage.setItem(KEY, lang); } catch { /* ignore */ }
  document.cookie = `lang=${lang}; path=/; max-age=31536000; samesite=strict`;
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
}

interface LangState { lang: Lang; setLang: (l: Lang) => void }
const LangContext = createContext<LangState>({ lang: 'zh', setLang: () => {} });

/** Provides the language to the tree; children re-render when it changes. */
export function LangProvider({ children }: { children: ReactNode }) {
  const [lang, setState] = useState<Lang>(() => { persist(current); return current; });
  const setLang = useCallback((l: Lang) => { persist(l); setState(l); }, []);
  const value = useMemo(() => ({ lang, setLang }), [lang, setLang]);
  return <LangContext.Provider value={value}>{children}</LangContext.Provider>;
}

export const useLang = () => useContext(LangContext);

/** `t(zh, en)`: the string of the current language. */
export function useT() {
  const { lang } = useContext(LangContext);
  return useCallback((zh: string, en: string) => (lang === 'zh' ? zh : en), [lang]);
}
