/**
 * The case's write forms (permission cases.manage):
 * - CaseStatusForm: POST /api/cases/:id/status {status, effectiveOn, reason, hospitalised?,
 *   hospital?}: only the statuses the state machine allows next (or the same status for a change
 *   of hospitalisation alone); the effective date defaults to China today and may not be earlier
 *   than the state in force (the server checks and answers its message).
 * - CaseCorrect: PATCH /api/cases/:id {onsetOn?, isolatedOn?, classification?, sourceArea?,
 *   infectorCaseId?, cluster?, note?, reason}: corrections of the facts, audited with before/after.
 */
import { useEffect, useState } from 'react';
import { Alert, App, Button, Checkbox, Form, Input, Modal, Space } from 'antd';
import { errorMessage, patch, post } from '../../api';
import { useLang, useT } from '../../i18n';
import { chinaDate } from '../../format';
import { caseStatusLabel, offeredStatuses, type CaseFacts, type CaseStatus, type CaseSummary } from './model';
import { correctionBody, type CorrectValues } from './logic';
import { ClassificationFields } from './ClassificationFields';

interface StatusValues { status: CaseStatus | ''; effectiveOn: string; hospitalised: boolean; hospital: string; reason: string }

export function CaseStatusForm({ c, lastEffectiveOn, onChanged }: { c: CaseFacts; lastEffectiveOn: string | null; onChanged: () => void }) {
  const t = useT();
  const { lang } = useLang();
  const { message } = App.useApp();
  const [form] = Form.useForm<StatusValues>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const offered = offeredStatuses(c.status);
  const status = Form.useWatch('status', form);
  const closing = status === 'discharged' || status === 'excluded' || status === 'deceased';
  const today = chinaDate();
  useEffect(() => { form.setFieldsValue({ status: '', hospitalised: c.hospitalised, hospital: c.hospital ?? '' }); }, [c]); // eslint-disable-line react-hooks/exhaustive-deps
  if (!offered.length) return <Alert type="info" showIcon title={t('病例已结案，状态不能再变更；如需更正事实请使用“更正”', 'The case is closed; its status cannot change (use Correct for its facts)')} />;
  const submit = async (v: StatusValues) => {
    setBusy(true); setError(null);
    try {
      await post(`/api/cases/${c.id}/status`, {
        status: v.status, effectiveOn: v.effectiveOn, reason: v.reason.trim(),
        ...(closing ? {} : { hospitalised: !!v.hospitalised }), hospital: (v.hospital ?? '').trim(),
      });
      message.success(t('病例状态已变更', 'Case status changed'));
      form.resetFields(['reason']);
      onChanged();
    } catch (e) { setError(errorMessage(e)); } finally { setBusy(false); }
  };
  return (
    <Form form={form} name="caseStatus" layout="vertical" onFinish={submit} disabled={busy} initialValues={{ effectiveOn: today }} style={{ maxWidth: 640 }}>
      <Space wrap align="start">
        <Form.Item label={t('新状态', 'New status')} name="status" rules={[{ required: true, message: t('请选择新状态', 'Choose the new status') }]}>
          <select className="native-select" style={{ width: 240 }}>
            <option value="">{t('请选择', 'Choose…')}</option>
            {offered.map((s) => <option key={s} value={s}>{s === c.status ? `${caseStatusLabel(s, lang)}（${t('仅变更住院情况', 'hospitalisation only')}）` : caseStatusLabel(s, lang)}</option>)}
          </select>
        </Form.Item>
        <Form.Item label={t('生效日期', 'Effective on')} name="effectiveOn" rules={[{ required: true, message: t('请填写日期', 'Enter the date') }]}
          extra={lastEffectiveOn ? t(`不早于 ${lastEffectiveOn}`, `Not before ${lastEffectiveOn}`) : undefined}>
          <Input type="date" min={lastEffectiveOn ?? undefined} max={today} style={{ width: 170 }} />
        </Form.Item>
      </Space>
      {!closing && (
        <Space wrap align="start">
          <Form.Item name="hospitalised" valuePropName="checked" label=" "><Checkbox>{t('正在住院', 'In hospital')}</Checkbox></Form.Item>
          <Form.Item label={t('收治医院', 'Hospital')} name="hospital" rules={[{ max: 100 }]}><Input style={{ width: 260 }} /></Form.Item>
        </Space>
      )}
      <Form.Item label={t('原因', 'Reason')} name="reason" rules={[{ required: true, whitespace: true, message: t('请填写变更原因', 'Give the reason') }]}
        extra={t('变更人角色、时间和原因记入病例记录；人员状态随之更新', 'Your role, the time and the reason are recorded; the person\'s status follows')}>
        <Input.TextArea rows={2} maxLength={500} />
      </Form.Item>
      {error && <Alert type="error" showIcon style={{ marginBottom: 12 }} title={error} />}
      <Button type="primary" htmlType="submit" loading={busy}>{t('变更状态', 'Change status')}</Button>
    </Form>
  );
}


export function CaseCorrect({ c, open, onClose, onSaved, cases }: { c: CaseFacts; open: boolean; onClose: () => void; onSaved: () => void; cases: CaseSummary[] }) {
  const t = useT();
  const [form] = Form.useForm<CorrectValues>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const classification = Form.useWatch('classification', form);
  useEffect(() => {
    if (open) form.setFieldsValue({ onsetOn: c.onsetOn ?? '', isolatedOn: c.isolatedOn ?? '', classification: c.classification, sourceArea: c.sourceArea ?? '',
      infectorCaseId: c.infectorCaseId ?? '', cluster: c.cluster ?? '', note: c.note ?? '', reason: '' });
    setError(null);
  }, [open, c, form]);
  const submit = async (v: CorrectValues) => {
    setBusy(true); setError(null);
    try { await patch(`/api/cases/${c.id}`, correctionBody(c, v)); onSaved(); } catch (e) { setError(errorMessage(e)); } finally { setBusy(false); }
  };
  return (
    <Modal open={open} title={t('更正病例信息', 'Correct the case')} onCancel={onClose} okText={t('保存更正', 'Save')} cancelText={t('取消', 'Cancel')}
      confirmLoading={busy} onOk={() => form.submit()} destroyOnHidden width={600}>
      <Form form={form} name="caseCorrect" layout="vertical" onFinish={submit}>
        <Space wrap align="start">
          <Form.Item label={t('发病日期', 'Onset on')} name="onsetOn"><Input type="date" max={chinaDate()} style={{ width: 170 }} /></Form.Item>
          <Form.Item label={t('隔离日期', 'Isolated on')} name="isolatedOn"><Input type="date" max={chinaDate()} style={{ width: 170 }} /></Form.Item>
        </Space>
        <Space wrap align="start">
          <ClassificationFields imported={classification === 'imported'} />
        </Space>
        <Space wrap align="start">
          <Form.Item label={t('传染源病例', 'Infected by')} name="infectorCaseId">
            <select className="native-select" style={{ width: 240 }}>
              <option value="">{t('无 / 不明', 'None / unknown')}</option>
              {cases.filter((x) => x.id !== c.id).map((x) => <option key={x.id} value={x.id}>{`${x.number} ${x.maskedName}`}</option>)}
            </select>
          </Form.Item>
          <Form.Item label={t('聚集性疫情', 'Cluster')} name="cluster"><Input style={{ width: 200 }} maxLength={60} /></Form.Item>
        </Space>
        <Form.Item label={t('备注', 'Note')} name="note"><Input.TextArea rows={2} maxLength={500} /></Form.Item>
        <Form.Item label={t('更正原因', 'Reason for the correction')} name="reason" rules={[{ required: true, whitespace: true, message: t('请填写更正原因', 'Give the reason') }]}>
          <Input.TextArea rows={2} maxLength={500} />
        </Form.Item>
      </Form>
      {error && <Alert type="error" showIcon title={error} />}
    </Modal>
  );
}
