/**
 * The dialogs of a declaration's steps, each mounted only while open (a fresh form each time):
 * a reason (退回 return, 作废 revoke with a warning: a confirm dialog) and the doctor's health
 * assessment (temperature °C, 咳嗽, 闷气, other symptoms, conclusion fit / unfit). `onSubmit`
 * answers null when done, else the refusal: its message shows in the dialog, its `fields` next to
 * the form's fields.
 */
import { useState, type ReactNode } from 'react';
import { Alert, Checkbox, Form, Input, Modal, Radio, Space } from 'antd';
import { ApiError, errorMessage } from '../../api';
import { useT } from '../../i18n';
import { parseTemperature } from '../../format';
import { fieldPath } from './model';

export interface AssessmentInput { temperatureC: number; cough: boolean; chestTightness: boolean; otherSymptoms: string; conclusion: 'fit' | 'unfit' }

/** Runs `onSubmit`, shows its refusal; closes through the parent on success. */
function useSubmit<V>(onSubmit: (v: V) => Promise<unknown>) {
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (v: V) => {
    setBusy(true); setError(null);
    const e = await onSubmit(v);
    setBusy(false);
    if (e) {
      setError(errorMessage(e));
      if (e instanceof ApiError && e.fields.length) {
        form.setFields(e.fields.map((f) => ({ name: fieldPath(f.field.replace(/^assessment\./, '')) as never, errors: [f.message] })));
      }
    }
  };
  return { form, busy, error, submit };
}

export function ReasonDialog({ title, label, okText, hint, warning, onCancel, onSubmit }: {
  title: string; label: string; okText: string; hint?: string; warning?: ReactNode; onCancel: () => void; onSubmit: (reason: string) => Promise<unknown>;
}) {
  const t = useT();
  const s = useSubmit<{ reason: string }>((v) => onSubmit(v.reason.trim()));
  return (
    <Modal open title={title} onCancel={onCancel} okText={okText} okButtonProps={{ danger: true, loading: s.busy }} onOk={() => s.form.submit()}>
      {warning && <Alert type="warning" showIcon style={{ marginBottom: 12 }} title={warning} />}
      <Form form={s.form} name="reasonDialog" aria-label={title} layout="vertical" onFinish={s.submit}>
        <Form.Item label={label} name="reason" extra={hint} rules={[{ required: true, whitespace: true, message: t('请填写原因', 'Give the reason') }]}>
          <Input.TextArea rows={3} maxLength={300} showCount />
        </Form.Item>
      </Form>
      {s.error && <Alert type="error" showIcon role="alert" title={s.error} />}
    </Modal>
  );
}

interface AssessValues { temperature: string; cough: boolean; chestTightness: boolean; otherSymptoms: string; conclusion: 'fit' | 'unfit' }

export function AssessDialog({ onCancel, onSubmit }: { onCancel: () => void; onSubmit: (a: AssessmentInput) => Promise<unknown> }) {
  const t = useT();
  const s = useSubmit<AssessValues>(async (v) => {
    const temperatureC = parseTemperature(v.temperature ?? '');
    if (typeof temperatureC === 'string') {
      s.form.setFields([{ name: 'temperature', errors: [t('体温格式不正确，例如 36.5', 'Temperature as a number, e.g. 36.5')] }]);
      return null;
    }
    return onSubmit({ temperatureC, cough: v.cough === true, chestTightness: v.chestTightness === true, otherSymptoms: (v.otherSymptoms ?? '').trim(), conclusion: v.conclusion });
  });
  const title = t('健康评估', 'Health assessment');
  return (
    <Modal open title={title} onCancel={onCancel} okText={t('提交评估', 'Submit')} okButtonProps={{ loading: s.busy }} onOk={() => s.form.submit()}>
      <Form form={s.form} name="assessDeclaration" aria-label={title} layout="vertical" onFinish={s.submit}
        initialValues={{ cough: false, chestTightness: false, otherSymptoms: '', conclusion: 'fit' }}>
        <Form.Item label={t('体温（℃）', 'Temperature (°C)')} name="temperature" rules={[{ required: true, whitespace: true, message: t('请填写体温', 'Enter the temperature') }]}>
          <Input inputMode="decimal" autoComplete="off" placeholder="36.5" style={{ width: 140 }} />
        </Form.Item>
        <Space size="large">
          <Form.Item name="cough" valuePropName="checked"><Checkbox>{t('咳嗽', 'Cough')}</Checkbox></Form.Item>
          <Form.Item name="chestTightness" valuePropName="checked"><Checkbox>{t('闷气', 'Chest tightness')}</Checkbox></Form.Item>
        </Space>
        <Form.Item label={t('其他症状', 'Other symptoms')} name="otherSymptoms">
          <Input maxLength={50} />
        </Form.Item>
        <Form.Item label={t('评估结论', 'Conclusion')} name="conclusion">
          <Radio.Group options={[{ value: 'fit', label: t('符合出具条件', 'Fit') }, { value: 'unfit', label: t('不符合（不予出具）', 'Unfit (refuse)') }]} />
        </Form.Item>
      </Form>
      {s.error && <Alert type="error" showIcon role="alert" title={s.error} />}
    </Modal>
  );
}
