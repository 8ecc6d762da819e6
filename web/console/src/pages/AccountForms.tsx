/**
 * Account forms: create (POST /api/staff/accounts → one-time password shown once), edit
 * (PATCH /api/staff/accounts/:id: display name, checkpoint post), and the one-time password
 * dialog used after create, reset and import.
 */
import { useState } from 'react';
import { Alert, Form, Input, Modal, Select, Typography } from 'antd';
import { errorMessage, patch, post } from '../api';
import { useLang, useT } from '../i18n';
import { useStaff } from '../session';
import { CHECKPOINT_ROLES, creatableRoles, roleLabel } from '../roles';
import { AreaSelect } from '../components/AreaSelect';
import { CheckpointSelect } from '../components/CheckpointSelect';

export interface Account {
  id: string; username: string; displayName: string; role: string; roleLabel: string; areaCode: string; areaName: string;
  checkpointId: string | null; checkpointLabel: string | null; orgId: string | null; orgName: string | null;
  mustChangePassword: boolean; disabled: boolean; disabledAt: string | null; createdAt: string; manageable: boolean;
}

/** Shows a one-time password once, with copy; closing it forgets the password. */
export function PasswordDialog({ value, onClose }: { value: { username: string; password: string } | null; onClose: () => void }) {
  const t = useT();
  return (
    <Modal open={!!value} title={t('初始密码（仅显示一次）', 'One-time password (shown once)')} onCancel={onClose} onOk={onClose}
      okText={t('我已记下', 'Done')} cancelButtonProps={{ style: { display: 'none' } }} mask={{ closable: false }}>
      {value && (
        <>
          <p>{t('用户名', 'Username')}：<Typography.Text strong copyable>{value.username}</Typography.Text></p>
          <p>{t('密码', 'Password')}：<Typography.Text strong copyable code style={{ fontSize: 18 }}>{value.password}</Typography.Text></p>
          <Alert type="warning" showIcon title={t('请当面或通过安全渠道告知本人；首次登录须修改密码。关闭后无法再次查看。', 'Hand it over in person or by a safe channel; it must be changed at first sign-in. It cannot be shown again.')} />
        </>
      )}
    </Modal>
  );
}

interface CreateValues { username: string; displayName: string; role: string; areaCode: string; checkpointId?: string | null }

export function CreateAccount({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: (a: Account, password: string) => void }) {
  const t = useT();
  const { lang } = useLang();
  const staff = useStaff();
  const [form] = Form.useForm<CreateValues>();
  const role = Form.useWatch('role', form);
  const area = Form.useWatch('areaCode', form);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (v: CreateValues) => {
    setBusy(true); setError(null);
    try {
      const r = await post<{ account: Account; password: string }>('/api/staff/accounts', {
        username: v.username.trim(), displayName: v.displayName.trim(), role: v.role, areaCode: v.areaCode,
        ...(CHECKPOINT_ROLES.includes(v.role) && v.checkpointId ? { checkpointId: v.checkpointId } : {}),
      });
      form.resetFields();
      onCreated(r.account, r.password);
    } catch (e) { setError(errorMessage(e)); } finally { setBusy(false); }
  };
  return (
    <Modal open={open} title={t('新建账号', 'New account')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={busy}
      okText={t('创建', 'Create')} cancelText={t('取消', 'Cancel')} destroyOnHidden width={640}>
      <Form form={form} layout="vertical" onFinish={submit} initialValues={{ role: creatableRoles(staff.role).includes('guard') ? 'guard' : undefined }}>
        <Form.Item label={t('用户名', 'Username')} name="username" extra={t('3–40位小写字母、数字、下划线、点或横线', '3–40 lower-case letters, digits, _ . -')}
          rules={[{ required: true, whitespace: true, message: t('请输入用户名', 'Enter a username') }]}>
          <Input autoComplete="off" autoCapitalize="none" />
        </Form.Item>
        <Form.Item label={t('姓名', 'Display name')} name="displayName" rules={[{ required: true, whitespace: true, message: t('请输入姓名', 'Enter the name') }]}>
          <Input maxLength={80} />
        </Form.Item>
        <Form.Item label={t('角色', 'Role')} name="role" rules={[{ required: true, message: t('请选择角色', 'Choose a role') }]}>
          <Select options={creatableRoles(staff.role).map((r) => ({ value: r, label: roleLabel(r, lang) }))} />
        </Form.Item>
        <Form.Item label={t('所属区域', 'Area')} name="areaCode" rules={[{ required: true, message: t('请选择区域', 'Choose the area') }]}
          extra={t('账号只能看到该区域及其下级的数据', 'The account sees only this area and below')}>
          <AreaSelect allowClear={false} />
        </Form.Item>
        {CHECKPOINT_ROLES.includes(role) && (
          <Form.Item label={t('值守卡点', 'Checkpoint post')} name="checkpointId" extra={t('选填：值守人员登录后直接进入该卡点', 'Optional: the guard opens this checkpoint on sign-in')}>
            <CheckpointSelect areaCode={area} />
          </Form.Item>
        )}
      </Form>
      {error && <Alert type="error" showIcon title={error} />}
    </Modal>
  );
}

export function EditAccount({ account, onClose, onSaved }: { account: Account | null; onClose: () => void; onSaved: (a: Account) => void }) {
  const t = useT();
  const [form] = Form.useForm<{ displayName: string; checkpointId?: string | null }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (v: { displayName: string; checkpointId?: string | null }) => {
    if (!account) return;
    setBusy(true); setError(null);
    try {
      const body: Record<string, unknown> = { displayName: v.displayName.trim() };
      if (CHECKPOINT_ROLES.includes(account.role) && v.checkpointId !== undefined) body.checkpointId = v.checkpointId;
      const r = await patch<{ account: Account }>(`/api/staff/accounts/${account.id}`, body);
      onSaved(r.account);
    } catch (e) { setError(errorMessage(e)); } finally { setBusy(false); }
  };
  return (
    <Modal open={!!account} title={t('修改账号', 'Edit account')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={busy}
      okText={t('保存', 'Save')} cancelText={t('取消', 'Cancel')} destroyOnHidden width={640}>
      {account && (
        <Form form={form} layout="vertical" onFinish={submit} initialValues={{ displayName: account.displayName }}>
          <p>{t('用户名', 'Username')}：<b>{account.username}</b> · {account.roleLabel} · {account.areaName}</p>
          <Form.Item label={t('姓名', 'Display name')} name="displayName" rules={[{ required: true, whitespace: true, message: t('请输入姓名', 'Enter the name') }]}>
            <Input maxLength={80} />
          </Form.Item>
          {CHECKPOINT_ROLES.includes(account.role) && (
            <Form.Item label={t('值守卡点', 'Checkpoint post')} name="checkpointId" extra={account.checkpointLabel ? t(`当前：${account.checkpointLabel}`, `Now: ${account.checkpointLabel}`) : t('当前未分配', 'None assigned')}>
              <CheckpointSelect areaCode={account.areaCode} currentLabel={account.checkpointLabel} />
            </Form.Item>
          )}
        </Form>
      )}
      {error && <Alert type="error" showIcon title={error} />}
    </Modal>
  );
}
