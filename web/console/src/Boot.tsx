/**
 * Top of the console: waits for the session, then shows the plain sign-in form or the antd
 * console (lazy: forced password change or the signed-in shell).
 */
import { lazy, Suspense, useEffect } from 'react';
import { useSession } from './session';
import { useT } from './i18n';
import { LoginPage } from './pages/Login';

const loadConsole = () => import('./Console');
const Console = lazy(loadConsole);

/** A plain centred "loading" line (no antd, usable before it has loaded). */
export function PlainLoading() {
  const t = useT();
  return <div className="boot" role="status">{t('正在加载…', 'Loading…')}</div>;
}

export function Boot() {
  const { staff } = useSession();
  // Fetch the console code while the sign-in form is on screen.
  useEffect(() => { if (staff === null) void loadConsole().catch(() => {}); }, [staff]);
  if (staff === undefined) return <PlainLoading />;
  if (staff === null) return <LoginPage />;
  return (
    <Suspense fallback={<PlainLoading />}>
      <Console />
    </Suspense>
  );
}
