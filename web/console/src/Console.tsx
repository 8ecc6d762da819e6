/**
 * The antd console, loaded after sign-in: zh_CN locale by default and en_US when English is
 * chosen; the forced password change (mustChangePassword) or the shell with every page.
 */
import { lazy, Suspense } from 'react';
import { App as AntApp, ConfigProvider, Spin } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import enUS from 'antd/locale/en_US';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { useLang, useT } from './i18n';
import { useSession } from './session';
import { PasswordPage } from './pages/Password';
import './console.css';

const Shell = lazy(() => import('./Shell'));

/** antd spinner for page loads inside the console. */
export function Loading() {
  const t = useT();
  return (
    <div style={{ display: 'flex', height: '100%', minHeight: 240, alignItems: 'center', justifyContent: 'center' }}>
      <Spin size="large" description={t('正在加载…', 'Loading…')} />
    </div>
  );
}

export default function Console() {
  const { lang } = useLang();
  const { staff } = useSession();
  dayjs.locale(lang === 'zh' ? 'zh-cn' : 'en');
  return (
    <ConfigProvider locale={lang === 'zh' ? zhCN : enUS} button={{ autoInsertSpace: false }} theme={{ token: { colorPrimary: '#c41d1d', borderRadius: 6 } }}>
      <AntApp style={{ height: '100%' }}>
        {staff?.mustChangePassword
          ? <PasswordPage forced />
          : <Suspense fallback={<Loading />}><Shell /></Suspense>}
      </AntApp>
    </ConfigProvider>
  );
}
