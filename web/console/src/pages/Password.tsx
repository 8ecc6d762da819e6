/**
 * Password change (POST /api/staff/password {oldPassword, newPassword}). Forced after a reset or
 * for a new account (mustChangePassword): nothing else is reachable until it is done.
 * Rule shown up front: 8+ characters with letters and digits (server: passwordProblem()).
 */
import { useState } from 'react';
import { Alert, App, Button, Card, Form, Input, Space, Typography } from 'antd';
import { errorMessage, post } from '../api';
import { useSession } from '../session';
import { useT } from '../i18n';
import { navigate } from '../router';

interface Values { oldPassword: string; newPassword: string; confirm: string }

export function PasswordPage({ forced = false }: { forced?: boolean }) {
  const t = useT();
  const { message } = App.useApp();
  const { reload, logout, staff } = useSession();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<Values>();

  const submit = async (v: Values) => {
    setBusy(true);
    setError(null);
    try {
      await post('/api/staff/password', { oldPassword: v.oldPassword, newPassword: v.newPassword });
      message.success(t('密码已修改', 'Password changed'));
      form.resetFields();
      await reload();
      if (!forced) navigate('/');
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  const card = (
    <Card style={{ width: 440, maxWidth: '100%' }} title={t('修改密码', 'Change password')}>
      {forced && (
        <Alert type="info" showIcon style={{ marginBottom: 16 }}
          title={t(`${staff?.displayName ?? ''}，首次登录或密码被重置后须先修改密码`, `${staff?.displayName ?? ''}, please set a new password before continuing`)} />
      )}
      {error && <Alert type="error" showIcon role="alert" style={{ marginBottom: 16 }} title={error} />}
      <Form form={form} layout="vertical" size="large" onFinish={submit} disabled={busy} requiredMark={false}>
        <Form.Item label={t('原密码', 'Current password')} name="oldPassword" rules={[{ required: true, message: t('请输入原密码', 'Enter the current password') }]}>
          <Input.Password autoComplete="current-password" />
        </Form.Item>
        <Form.Item label={t('新密码', 'New password')} name="newPassword" extra={t('至少8位，须同时包含字母和数字', '8+ characters with letters and digits')}
          rules={[
            { required: true, message: t('请输入新密码', 'Enter a new password') },
            { pattern: /^(?=.*[A-Za-z])(?=.*\d).{8,}$/, message: t('密码至少8位，且须同时包含字母和数字', 'Password needs 8+ characters with letters and digits') },
          ]}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item label={t('确认新密码', 'Confirm new password')} name="confirm" dependencies={['newPassword']}
          rules={[
            { required: true, message: t('请再次输入新密码', 'Repeat the new password') },
            ({ getFieldValue }) => ({
              validator: (_, v) => (!v || v === getFieldValue('newPassword') ? Promise.resolve()
                : Promise.reject(new Error(t('两次输入的新密码不一致', 'The new passwords do not match')))),
            }),
          ]}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Space>
          <Button type="primary" htmlType="submit" loading={busy}>{t('修改密码', 'Change password')}</Button>
          {forced && <Button onClick={() => void logout()}>{t('退出登录', 'Sign out')}</Button>}
        </Space>
      </Form>
    </Card>
  );
  if (!forced) return card;
  return (
    <main style={{ minHeight: '100%', display: 'flex', alignItems: 'center', justifyContent: 'center', padding: 16 }}>
      <div>
        <Typography.Title level={3} style={{ textAlign: 'center' }}>{t('一区一码 · 工作台', 'Yiqu staff console')}</Typography.Title>
        {card}
      </div>
    </main>
  );
}
