/**
 * The buttons of a declaration, only those the server lists in `actions` (the workflow decides by
 * role and state; the server still refuses a stale click with its own message):
 *   核实通过 verify_residence · 退回 return {reason} (info officer) · 健康评估 assess (community doctor)
 *   · 签字出具 sign (chief doctor, after a Popconfirm: the server issues in the same step) · 出具证明 issue (repair) ·
 *   重新提交 resubmit · 不予出具 refuse (reason) · 作废 revoke (POST /api/certificates/:id/revoke {reason}, in a confirm dialog).
 * Steps post to /api/declarations/:id/steps, which answers the new detail (`onDone(detail)`;
 * null: reload). A refusal shows the server's message (in a dialog when one is open).
 */
import { useState } from 'react';
import { Alert, App, Button, Popconfirm, Space } from 'antd';
import { ApiError, errorMessage, post } from '../../api';
import { useT } from '../../i18n';
import { AssessDialog, ReasonDialog } from './Dialogs';
import type { ActionType, DeclarationDetail } from './model';

type Dialog = 'return' | 'assess' | 'refuse' | 'revoke' | null;

export function ActionBar({ detail, onDone }: { detail: DeclarationDetail; onDone: (d: DeclarationDetail | null) => void }) {
  const t = useT();
  const { message } = App.useApp();
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [dialog, setDialog] = useState<Dialog>(null);
  const id = detail.declaration.id;
  const cert = detail.certificate ?? null;

  /** Run a call; null when done, else the refusal (shown as a message too). */
  const run = async (key: string, call: () => Promise<DeclarationDetail | null>, done: string): Promise<unknown> => {
    setBusy(key); setError(null);
    try {
      const d = await call();
      message.success(done);
      setDialog(null);
      onDone(d);
      return null;
    } catch (e) {
      message.error(errorMessage(e));
      if (!dialog) setError(errorMessage(e));
      if (e instanceof ApiError && e.status === 409) { setDialog(null); setError(errorMessage(e)); onDone(null); } // moved on: reload
      return e;
    } finally { setBusy(null); }
  };
  const step = (body: Record<string, unknown>) => () => post<DeclarationDetail>(`/api/declarations/${encodeURIComponent(id)}/steps`, body);

  const has = (a: ActionType) => detail.actions.includes(a);
  const revocable = has('revoke') && cert !== null && cert.state !== 'revoked';
  const buttons = has('verify_residence') || has('return') || has('assess') || has('sign') || has('issue') || has('resubmit') || has('refuse') || revocable;
  if (!buttons && !error) return null;
  const open = (d: Dialog) => { setError(null); setDialog(d); };

  return (
    <div data-testid="declaration-actions">
      <Space wrap>
        {has('verify_residence') && <Button type="primary" loading={busy === 'verify'}
          onClick={() => void run('verify', step({ action: 'verify_residence' }), t('居住情况已核实', 'Residence verified'))}>{t('核实通过', 'Verify residence')}</Button>}
        {has('return') && <Button danger onClick={() => open('return')}>{t('退回', 'Return')}</Button>}
        {has('assess') && <Button type="primary" onClick={() => open('assess')}>{t('健康评估', 'Assess')}</Button>}
        {has('sign') && (
          <Popconfirm title={t('签字后将立即出具证明，确定？', 'Signing issues the certificate at once. Continue?')}
            okText={t('确认签字', 'Sign')} cancelText={t('取消', 'Cancel')}
            onConfirm={() => run('sign', step({ action: 'sign' }), t('已签字并出具证明', 'Signed and issued'))}>
            <Button type="primary" loading={busy === 'sign'}>{t('签字出具', 'Sign and issue')}</Button>
          </Popconfirm>
        )}
        {has('issue') && <Button loading={busy === 'issue'}
          onClick={() => void run('issue', step({ action: 'issue' }), t('证明已出具', 'Certificate issued'))}>{t('出具证明', 'Issue')}</Button>}
        {has('resubmit') && <Button loading={busy === 'resubmit'}
          onClick={() => void run('resubmit', step({ action: 'resubmit' }), t('已重新提交', 'Resubmitted'))}>{t('重新提交', 'Resubmit')}</Button>}
        {has('refuse') && <Button danger onClick={() => open('refuse')}>{t('不予出具', 'Refuse')}</Button>}
        {revocable && <Button danger onClick={() => open('revoke')}>{t('作废', 'Revoke')}</Button>}
      </Space>
      {error && <Alert type="error" showIcon role="alert" style={{ marginTop: 12 }} title={error} />}

      {dialog === 'return' && (
        <ReasonDialog title={t('退回申请', 'Return the application')} label={t('退回原因', 'Reason')} okText={t('退回', 'Return')}
          hint={t('申请人将看到此原因，修改后可重新提交', 'The applicant sees it and may resubmit')} onCancel={() => setDialog(null)}
          onSubmit={(reason) => run('return', step({ action: 'return', reason }), t('已退回申请人', 'Returned to the applicant'))} />
      )}
      {dialog === 'refuse' && (
        <ReasonDialog title={t('不予出具', 'Refuse the certificate')} label={t('不予出具的原因', 'Reason')} okText={t('不予出具', 'Refuse')}
          hint={t('申请结束，申请人将看到此原因；情况变化后可重新申请', 'The application ends and the applicant sees the reason; they may apply again later')}
          onCancel={() => setDialog(null)}
          onSubmit={(reason) => run('refuse', step({ action: 'refuse', reason }), t('已作出不予出具的决定', 'Refused'))} />
      )}
      {dialog === 'assess' && (
        <AssessDialog onCancel={() => setDialog(null)}
          onSubmit={(assessment) => run('assess', step({ action: 'assess', assessment }), t('健康评估已记录', 'Assessment recorded'))} />
      )}
      {dialog === 'revoke' && cert && (
        <ReasonDialog title={t('作废证明', 'Revoke the certificate')} label={t('作废原因', 'Reason')} okText={t('确认作废', 'Revoke')}
          warning={t('作废后证明立即失效，卡点离线核验也将拒绝；此操作不可撤销', 'The certificate stops being valid at once, also at offline gates; this cannot be undone')}
          onCancel={() => setDialog(null)}
          onSubmit={(reason) => run('revoke', async () => {
            await post(`/api/certificates/${encodeURIComponent(cert.id)}/revoke`, { reason });
            return null;
          }, t('证明已作废', 'Certificate revoked'))} />
      )}
    </div>
  );
}
