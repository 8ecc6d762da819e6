/**
 * Sign-in page: 用户名, 密码, 登录 (POST /api/staff/login). Plain React and CSS (login.css), no
 * antd, so it renders from the small entry chunk. Shows the server's message (wrong password,
 * rate limit …) and "session ended" after an expiry.
 */
import { useState, type FormEvent } from 'react';
import { errorMessage } from '../api';
import { useSession } from '../session';
import { useLang, useT } from '../i18n';

export function LoginPage() {
  const t = useT();
  const { lang, setLang } = useLang();
  const { login, expired, bootError } = useSession();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!username.trim() || !password) { setError(t('请输入用户名和密码', 'Enter your username and password')); return; }
    setBusy(true);
    setError(null);
    try {
      await login(username.trim(), password);
    } catch (err) {
      setError(errorMessage(err));
      setBusy(false);
    }
  };

  return (
    <main className="login">
      <form className="login-card" onSubmit={submit} noValidate aria-labelledby="login-title">
        <div className="login-head">
          <h1 id="login-title">{t('一区一码 · 工作台', 'Yiqu staff console')}</h1>
          <div className="login-lang" role="group" aria-label="语言 Language">
            <button type="button" aria-pressed={lang === 'zh'} onClick={() => setLang('zh')}>中文</button>
            <button type="button" aria-pressed={lang === 'en'} onClick={() => setLang('en')}>EN</button>
          </div>
        </div>
        <p className="login-sub">{t('社区疫情防控工作人员登录', 'Sign in for community epidemic-control staff')}</p>
        {expired && <p className="login-msg warn" role="status">{t('登录已过期，请重新登录', 'Your session ended, please sign in again')}</p>}
        {bootError && <p className="login-msg err" role="alert">{bootError.message}</p>}
        {error && <p className="login-msg err" role="alert">{error}</p>}
        <label htmlFor="login-username">{t('用户名', 'Username')}</label>
        <input id="login-username" name="username" autoComplete="username" autoCapitalize="none" spellCheck={false} autoFocus
          value={username} onChange={(e) => setUsername(e.target.value)} disabled={busy} />
        <label htmlFor="login-password">{t('密码', 'Password')}</label>
        <input id="login-password" name="password" type="password" autoComplete="current-password"
          value={password} onChange={(e) => setPassword(e.target.value)} disabled={busy} />
        <button type="submit" className="login-submit" disabled={busy}>{busy ? t('正在登录…', 'Signing in…') : t('登录', 'Sign in')}</button>
      </form>
    </main>
  );
}
