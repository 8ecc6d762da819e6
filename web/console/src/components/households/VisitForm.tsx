/**
 * 记录走访 of one household in a screening campaign (POST /api/screening/campaigns/:id/visits): the
 * outcome (正常 / 发现重点人员 / 空置 / 无人应答 / 拒绝配合) and a note. A second visit replaces the
 * first (the server keeps the previous outcome in its audit log), so 重新走访 uses the same form.
 */
import { useEffect, useState } from 'react';
import { Alert, Form, Input, Modal } from 'antd';
import { errorMessage, post } from '../../api';
import { useLang, useT } from '../../i18n';
import { householdAddress, VISIT_OUTCOME_KEYS, visitOutcomeLabel, type CampaignHousehold, type VisitOutcome } from './model';

interface Values { outcome: VisitOutcome; note: string }

export function VisitForm({ campaignId, household, onClose, onSaved }: {
  campaignId: string; household: CampaignHousehold | null; onClose: () => void; onSaved: (replaced: boolean) => void;
}) {
  const t = useT();
  const { lang } = useLang();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (household) { form.setFieldsValue({ outcome: household.outcome ?? 'normal', note: household.note ?? '' }); setError(null); }
  }, [household, form]);
  const submit = async (v: Values) => {
    if (!household) return;
    setBusy(true); setError(null);
    try {
      const r = await post<{ replaced: boolean }>(`/api/screening/campaigns/${campaignId}/visits`,
        { householdId: household.householdId, outcome: v.outcome, note: (v.note ?? '').trim() });
      onSaved(r.replaced);
    } catch (e) { setError(errorMessage(e)); } finally { setBusy(false); }
  };
  const title = household ? `${household.visited ? t('重新走访', 'Visit again') : t('记录走访', 'Record a visit')} · ${householdAddress(household, lang)}` : '';
  return (
    <Modal open={!!household} title={title} onCancel={onClose} okText={t('保存', 'Save')} cancelText={t('取消', 'Cancel')} confirmLoading={busy}
      onOk={() => form.submit()} destroyOnHidden>
      {household?.visited && (
        <Alert type="warning" showIcon style={{ marginBottom: 12 }}
          title={t(`本户已走访（${visitOutcomeLabel(household.outcome, lang)}），保存后以本次为准`, `Already visited (${visitOutcomeLabel(household.outcome, lang)}): this visit replaces it`)} />
      )}
      <Form form={form} layout="vertical" onFinish={submit} aria-label={t('记录走访', 'Record a visit')} initialValues={{ outcome: 'normal', note: '' }}>
        <Form.Item label={t('走访结果', 'Outcome')} name="outcome">
          <select className="native-select">
            {VISIT_OUTCOME_KEYS.map((k) => <option key={k} value={k}>{visitOutcomeLabel(k, lang)}</option>)}
          </select>
        </Form.Item>
        <Form.Item label={t('备注', 'Note')} name="note" rules={[{ max: 300 }]}>
          <Input.TextArea rows={3} maxLength={300} placeholder={t('如：3人在家，均无异常', 'e.g. 3 at home, all well')} />
        </Form.Item>
      </Form>
      {error && <Alert type="error" showIcon title={error} />}
    </Modal>
  );
}
