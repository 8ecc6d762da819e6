/**
 * 账号管理 (permission accounts.manage): accounts of the area subtree (GET /api/staff/accounts),
 * create, edit, disable/enable, reset password (one-time password shown once), bulk import of
 * guards, and organisations (health service centers) on a second tab.
 */
import { useState } from 'react';
import { App, Button, Card, Input, Popconfirm, Select, Space, Table, Tabs, Tag } from 'antd';
import { errorMessage, get, post, qs } from '../api';
import { useLang, useT } from '../i18n';
import { chinaDate } from '../format';
import { ROLE_KEYS, roleLabel } from '../roles';
import { AreaSelect } from '../components/AreaSelect';
import { ErrorBanner, useEmptyText, PageTitle, useAsync } from '../components/common';
import { CreateAccount, EditAccount, PasswordDialog, type Account } from './AccountForms';
import { GuardImport, Organisations } from './AccountImport';

interface Filter { role?: string; areaCode?: string; q: string; disabled?: 'true' | 'false' }

function AccountList() {
  const t = useT();
  const empty = useEmptyText();
  const { lang } = useLang();
  const { message } = App.useApp();
  const [filter, setFilter] = useState<Filter>({ q: '' });
  const [q, setQ] = useState('');
  const [page, setPage] = useState({ current: 1, pageSize: 50 });
  const [modal, setModal] = useState<'create' | 'import' | null>(null);
  const [editing, setEditing] = useState<Account | null>(null);
  const [password, setPassword] = useState<{ username: string; password: string } | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const res = useAsync(() => get<{ total: number; items: Account[] }>(`/api/staff/accounts${qs({ ...filter, q: filter.q || undefined, limit: page.pageSize, offset: (page.current - 1) * page.pageSize })}`),
    [JSON.stringify(filter), page.current, page.pageSize]);
  const set = (p: Partial<Filter>) => { setFilter((f) => ({ ...f, ...p })); setPage((x) => ({ ...x, current: 1 })); };

  const act = async (key: string, path: string, done: string) => {
    setBusy(key);
    try {
      const r = await post<{ account: Account; password?: string }>(path);
      if (r.password) setPassword({ username: r.account.username, password: r.password });
      message.success(done);
      res.reload();
    } catch (e) { message.error(errorMessage(e)); } finally { setBusy(null); }
  };

  return (
    <>
      <Space wrap style={{ marginBottom: 16, justifyContent: 'space-between', width: '100%' }}>
        <Space wrap>
          <AreaSelect value={filter.areaCode} onChange={(v) => set({ areaCode: v })} aria-label={t('区域', 'Area')} />
          <Select allowClear aria-label={t('角色', 'Role')} placeholder={t('全部角色', 'All roles')} style={{ width: 200 }} value={filter.role}
            onChange={(v) => set({ role: v })} options={ROLE_KEYS.map((r) => ({ value: r, label: roleLabel(r, lang) }))} />
          <Select allowClear aria-label={t('状态', 'State')} placeholder={t('全部状态', 'All states')} style={{ width: 120 }} value={filter.disabled}
            onChange={(v) => set({ disabled: v })} options={[{ value: 'false', label: t('启用', 'Active') }, { value: 'true', label: t('已停用', 'Disabled') }]} />
          <Input.Search aria-label={t('用户名或姓名', 'Username or name')} placeholder={t('用户名或姓名', 'Username or name')} allowClear style={{ width: 220 }}
            value={q} onChange={(e) => { setQ(e.target.value); if (!e.target.value) set({ q: '' }); }} onSearch={(v) => set({ q: v.trim() })} enterButton={t('查询', 'Search')} />
        </Space>
        <Space>
          <Button type="primary" onClick={() => setModal('create')}>{t('新建账号', 'New account')}</Button>
          <Button onClick={() => setModal('import')}>{t('批量导入值守人员', 'Import guards')}</Button>
        </Space>
      </Space>
      <ErrorBanner error={res.error} onRetry={res.reload} />
      <Table<Account> rowKey="id" size="middle" loading={res.loading} dataSource={res.data?.items ?? []} scroll={{ x: 1000 }}
        locale={{ emptyText: empty(res.error, t('没有符合条件的账号', 'No accounts match')) }}
        pagination={{ ...page, total: res.data?.total ?? 0, showSizeChanger: true, showTotal: (n) => t(`共 ${n} 个账号`, `${n} accounts`),
          onChange: (current, pageSize) => setPage({ current, pageSize }) }}
        columns={[
          { title: t('用户名', 'Username'), dataIndex: 'username' },
          { title: t('姓名', 'Name'), dataIndex: 'displayName' },
          { title: t('角色', 'Role'), dataIndex: 'role', render: (v: string) => roleLabel(v, lang) },
          { title: t('区域', 'Area'), dataIndex: 'areaName' },
          { title: t('值守卡点 / 机构', 'Post / organisation'), render: (_: unknown, r) => r.checkpointLabel ?? r.orgName ?? '—' },
          { title: t('状态', 'State'), render: (_: unknown, r) => (r.disabled ? <Tag>{t('已停用', 'Disabled')}</Tag>
            : r.mustChangePassword ? <Tag color="orange">{t('待改密码', 'Must change password')}</Tag> : <Tag color="green">{t('启用', 'Active')}</Tag>) },
          { title: t('创建', 'Created'), dataIndex: 'createdAt', render: (v: string) => chinaDate(v) },
          {
            title: t('操作', 'Actions'), render: (_: unknown, r) => (r.manageable ? (
              <Space size={4} wrap>
                <Button size="small" onClick={() => setEditing(r)}>{t('修改', 'Edit')}</Button>
                <Popconfirm title={t('重置后原密码立即失效，并退出其所有登录。确定？', 'The old password stops working and its sessions end. Reset?')}
                  okText={t('重置', 'Reset')} cancelText={t('取消', 'Cancel')} onConfirm={() => void act(`rs-${r.id}`, `/api/staff/accounts/${r.id}/reset-password`, t('密码已重置', 'Password reset'))}>
                  <Button size="small" loading={busy === `rs-${r.id}`}>{t('重置密码', 'Reset password')}</Button>
                </Popconfirm>
                {r.disabled
                  ? <Button size="small" loading={busy === `en-${r.id}`} onClick={() => void act(`en-${r.id}`, `/api/staff/accounts/${r.id}/enable`, t('账号已启用', 'Enabled'))}>{t('启用', 'Enable')}</Button>
                  : <Popconfirm title={t('停用后该账号立即退出且不能登录。确定？', 'The account is signed out and cannot sign in. Disable?')}
                      okText={t('停用', 'Disable')} cancelText={t('取消', 'Cancel')} onConfirm={() => void act(`ds-${r.id}`, `/api/staff/accounts/${r.id}/disable`, t('账号已停用', 'Disabled'))}>
                      <Button size="small" danger loading={busy === `ds-${r.id}`}>{t('停用', 'Disable')}</Button>
                    </Popconfirm>}
              </Space>
            ) : <span style={{ color: '#999' }}>{t('无权管理', 'Not yours to manage')}</span>),
          },
        ]} />
      <CreateAccount open={modal === 'create'} onClose={() => setModal(null)}
        onCreated={(a, pw) => { setModal(null); setPassword({ username: a.username, password: pw }); res.reload(); }} />
      <EditAccount account={editing} onClose={() => setEditing(null)} onSaved={() => { setEditing(null); message.success(t('已保存', 'Saved')); res.reload(); }} />
      <GuardImport open={modal === 'import'} onClose={() => setModal(null)} onImported={res.reload} />
      <PasswordDialog value={password} onClose={() => setPassword(null)} />
    </>
  );
}

export default function AccountsPage() {
  const t = useT();
  return (
    <div>
      <PageTitle title={t('账号管理', 'Accounts')}>{t('每个账号只能看到所属区域及其下级的数据', 'Each account sees only its area and below')}</PageTitle>
      <Card>
        <Tabs items={[
          { key: 'accounts', label: t('账号', 'Accounts'), children: <AccountList /> },
          { key: 'orgs', label: t('机构', 'Organisations'), children: <Organisations /> },
        ]} />
      </Card>
    </div>
  );
}
