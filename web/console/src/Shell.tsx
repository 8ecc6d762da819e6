/**
 * The signed-in console: header (account, live status, language, sign out), a left menu with
 * only the pages the account's permissions allow (a drawer-like collapse on phones), and the
 * page for the current path, each loaded on demand. Fever alerts pop up on every page as a
 * notification that stays until closed (issue 2 §9: pushed live, no reload).
 */
import { lazy, Suspense, useEffect, useState, type ComponentType, type LazyExoticComponent } from 'react';
import { App, Badge, Button, Grid, Layout, Menu, Result, Space, Tag, Typography } from 'antd';
import { useSession, useStaff } from './session';
import { useT, useLang } from './i18n';
import { EventsProvider, useEvent, useLiveStatus } from './events';
import { NAV, allowed, landingPath, menuFor } from './nav';
import { Link, matchPath, navigate, usePath } from './router';
import { LangSwitch } from './components/LangSwitch';
import { Loading } from './Console';
import { PasswordPage } from './pages/Password';
import { alertText, beep, type FeverAlert } from './components/alerts';
import { roleLabel } from './roles';
import { currentPath } from './router';
import { chinaDateTime } from './format';

type Page = LazyExoticComponent<ComponentType<{ params: Record<string, string> }>>;
const PAGES: Record<string, Page> = {
  '/dashboard': lazy(() => import('./pages/Dashboard')),
  '/report': lazy(() => import('./pages/Report')),
  '/cases': lazy(() => import('./pages/Cases')),
  '/cases/:id': lazy(() => import('./pages/Case')),
  '/contacts': lazy(() => import('./pages/Contacts')),
  '/tasks': lazy(() => import('./pages/Tasks')),
  '/key-persons': lazy(() => import('./pages/KeyPersons')),
  '/key-persons/:id': lazy(() => import('./pages/KeyPerson')),
  '/arrivals': lazy(() => import('./pages/Arrivals')),
  '/arrival-rules': lazy(() => import('./pages/ArrivalRules')),
  '/declarations': lazy(() => import('./pages/Declarations')),
  '/declarations/:id': lazy(() => import('./pages/Declaration')),
  '/households': lazy(() => import('./pages/Households')),
  '/screening/:id': lazy(() => import('./pages/Screening')),
  '/gate': lazy(() => import('./pages/Gate')),
  '/alerts': lazy(() => import('./pages/Alerts')),
  '/checkins': lazy(() => import('./pages/Checkins')),
  '/persons': lazy(() => import('./pages/PersonSearch')),
  '/persons/:id': lazy(() => import('./pages/Person')),
  '/places': lazy(() => import('./pages/Places')),
  '/accounts': lazy(() => import('./pages/Accounts')),
  '/audit': lazy(() => import('./pages/Audit')),
};

function LiveBadge() {
  const t = useT();
  const status = useLiveStatus();
  if (status === 'off') return null;
  const map = {
    live: ['success', t('实时连接正常', 'Live')],
    connecting: ['processing', t('正在连接…', 'Connecting…')],
    offline: ['error', t('实时连接中断，正在重连', 'Live connection lost, reconnecting')],
  } as const;
  const [s, text] = map[status];
  return <span role="status" aria-live="polite"><Badge status={s} text={<span style={{ color: 'inherit' }}>{text}</span>} /></span>;
}

/** Global fever-alert notification; clicking it opens the page where the alert is handled. */
function FeverNotifier() {
  const t = useT();
  const { lang } = useLang();
  const { notification } = App.useApp();
  const { can } = useSession();
  useEvent('fever_alert', (a: FeverAlert & { checkinId?: string }) => {
    beep();
    notification.error({
      key: `fever-${a.checkinId ?? a.id}`,
      title: t('发热预警', 'Fever alert'),
      description: alertText(a, lang),
      // On the gate page the red card stays; the notification only draws the eye there.
      duration: currentPath() === '/gate' ? 8 : 0,
      role: 'status', // the red cards on the gate/alerts pages are the role="alert" regions
      onClick: () => navigate(can('gate.operate') && !can('checkins.read') ? '/gate' : '/alerts'),
      style: { cursor: 'pointer' },
    });
  });
  return null;
}

/** A door-sensor alert of the area (电子门磁): a notification that opens the task list. */
function SensorNotifier() {
  const t = useT();
  const { notification } = App.useApp();
  const { can } = useSession();
  useEvent('sensor_alert', (a: { kind: 'door_open' | 'battery_low' | 'sensor_silent'; sensorId: string; eventId?: string; at: string }) => {
    if (a.kind === 'door_open') beep();
    const title = a.kind === 'door_open' ? t('门磁告警：非约定时段开门', 'Door opened outside the agreed windows')
      : a.kind === 'battery_low' ? t('门磁电量低', 'Door sensor battery low') : t('门磁失联', 'Door sensor silent');
    notification.warning({
      key: `sensor-${a.kind}-${a.eventId ?? a.sensorId}`,
      title,
      description: `${t('时间', 'Time')} ${chinaDateTime(a.at)} · ${t('点击查看任务', 'Open the task list')}`,
      duration: a.kind === 'door_open' ? 0 : 10,
      role: 'status',
      onClick: () => navigate(can('tasks.work') ? '/tasks' : '/households'),
      style: { cursor: 'pointer' },
    });
  });
  return null;
}

function Content() {
  const t = useT();
  const path = usePath();
  const staff = useStaff();
  useEffect(() => {
    if (path === '/' || path === '/login') navigate(landingPath(staff.permissions), true);
  }, [path, staff.permissions]);
  if (path === '/password') return <PasswordPage />;
  for (const item of NAV) {
    const params = matchPath(item.path, path);
    if (!params) continue;
    const Page = PAGES[item.path];
    if (!Page) break;
    if (!allowed(item, staff.permissions)) {
      return <Result status="403" title={t('无权访问', 'Not allowed')} subTitle={t('您的账号没有此页面的权限', 'Your account may not open this page')} />;
    }
    return <Suspense fallback={<Loading />}><Page params={params} /></Suspense>;
  }
  if (path === '/' || path === '/login') return <Loading />;
  return <Result status="404" title={t('页面不存在', 'Page not found')} extra={<Button onClick={() => navigate('/')}>{t('返回首页', 'Home')}</Button>} />;
}

export default function Shell() {
  const t = useT();
  const { lang } = useLang();
  const staff = useStaff();
  const { logout, can } = useSession();
  const path = usePath();
  const wide = Grid.useBreakpoint().md !== false;
  const [collapsed, setCollapsed] = useState(!wide);
  const items = menuFor(staff.permissions);
  const selected = items.find((i) => path === i.path || path.startsWith(i.path + '/'))?.path ?? '';
  const live = can('gate.operate') || can('alerts.handle') || can('tasks.work') || can('sensors.manage');
  return (
    <EventsProvider enabled={live}>
      {(can('gate.operate') || can('alerts.handle')) && <FeverNotifier />}
      {(can('tasks.work') || can('sensors.manage')) && <SensorNotifier />}
      <Layout style={{ minHeight: '100%' }}>
        <Layout.Sider breakpoint="lg" collapsedWidth={0} width={200} theme="dark" aria-label={t('导航', 'Navigation')}
          collapsed={collapsed} onCollapse={setCollapsed} zeroWidthTriggerStyle={{ top: 12 }}
          style={wide ? undefined : { position: 'fixed', height: '100%', zIndex: 1000, left: 0, top: 0 }}>
          <div style={{ color: '#fff', fontWeight: 600, fontSize: 16, padding: '16px 20px' }}>{t('一区一码', 'Yiqu')}</div>
          <Menu theme="dark" mode="inline" selectedKeys={[selected]} onClick={() => { if (!wide) setCollapsed(true); }}
            items={[...items, ...(wide ? [] : [{ path: '/password', zh: '修改密码', en: 'Change password' }])]
              .map((i) => ({ key: i.path, label: <Link to={i.path}>{t(i.zh, i.en)}</Link> }))} />
        </Layout.Sider>
        <Layout>
          <Layout.Header style={{ background: '#fff', padding: wide ? '0 16px' : '8px 8px 8px 56px', display: 'flex', alignItems: 'center', justifyContent: 'flex-end', columnGap: 12, rowGap: 4, flexWrap: 'wrap', height: 'auto', minHeight: 56, lineHeight: wide ? '56px' : '32px' }}>
            <LiveBadge />
            <Space size={4} wrap>
              <Typography.Text strong>{staff.displayName}</Typography.Text>
              {wide && <Tag>{roleLabel(staff.role, lang) || staff.roleLabel}</Tag>}
            </Space>
            <LangSwitch />
            {wide && <Button type="link" onClick={() => navigate('/password')}>{t('修改密码', 'Change password')}</Button>}
            <Button size={wide ? 'middle' : 'small'} onClick={() => void logout()}>{t('退出登录', 'Sign out')}</Button>
          </Layout.Header>
          <Layout.Content style={{ padding: 16, minWidth: 0 }}>
            <Content />
          </Layout.Content>
        </Layout>
      </Layout>
    </EventsProvider>
  );
}
