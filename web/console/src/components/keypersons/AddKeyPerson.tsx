/**
 * 添加重点人员 drawer (permission keypersons.manage): POST /api/key-persons {personId, category,
 * measure, startOn, endOn?, communityCode?}. The person is picked with the console's person search
 * (components/epi/PersonPicker: masked names only; documents go in the body, never the URL). The
 * community defaults to the person's home community (the server's rule). An open record of the
 * same person and category is updated (the server answers existing: true).
 */
import { useState } from 'react';
import { Alert, Button, Drawer, Form, Input, Space } from 'antd';
import { errorMessage, post } from '../../api';
import { useLang, useT } from '../../i18n';
import { addDays, chinaDate } from '../../format';
import { AreaSelect } from '../AreaSelect';
import { PersonPicker, type PickedPerson } from '../epi/PersonPicker';
import { categoryLabel, MANUAL_CATEGORY_KEYS, MEASURE_KEYS, measureLabel, type KeyPersonView } from './model';

interface Values { category: string; measure: string; startOn: string; endOn: string; communityCode?: string }

export function AddKeyPerson({ open, onClose, onAdded }: { open: boolean; onClose: () => void; onAdded: (k: KeyPersonView, existing: boolean) => void }) {
  const t = useT();
  const { lang } = useLang();
  const [form] = Form.useForm<Values>();
  const [person, setPerson] = useState<PickedPerson | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const today = chinaDate();
  const submit = async (v: Values) => {
    if (!person?.id) { setError(t('请先选择人员', 'Choose the person first')); return; }
    setBusy(true); setError(null);
    try {
      const r = await post<{ keyPerson: KeyPersonView; existing: boolean }>('/api/key-persons', {
        personId: person.id, category: v.category, measure: v.measure, startOn: v.startOn, endOn: v.endOn || null, communityCode: v.communityCode || null,
      });
      form.resetFields(); setPerson(null);
      onAdded(r.keyPerson, r.existing);
    } catch (e) { setError(errorMessage(e)); } finally { setBusy(false); }
  };
  const dateRule = { pattern: /^\d{4}-\d{2}-\d{2}$/, message: t('日期格式为 YYYY-MM-DD', 'Date as YYYY-MM-DD') };
  return (
    <Drawer open={open} onClose={onClose} size={560} title={t('添加重点人员', 'Add a key person')} destroyOnHidden
      extra={<Button type="primary" loading={busy} onClick={() => form.submit()}>{t('添加', 'Add')}</Button>}>
      <Form form={form} name="addKeyPerson" layout="vertical" onFinish={submit} disabled={busy}
        initialValues={{ category: 'home_isolation', measure: 'home_isolation', startOn: today, endOn: addDays(today, 13) }}>
        <Form.Item label={t('人员', 'Person')} required>
          <PersonPicker value={person} onChange={setPerson} />
        </Form.Item>
        <Space wrap align="start">
          <Form.Item label={t('类别', 'Category')} name="category">
            <select className="native-select" style={{ width: 180 }}>
              {MANUAL_CATEGORY_KEYS.map((k) => <option key={k} value={k}>{categoryLabel(k, lang)}</option>)}
            </select>
          </Form.Item>
          <Form.Item label={t('管控措施', 'Measure')} name="measure">
            <select className="native-select" style={{ width: 180 }}>
              {MEASURE_KEYS.map((k) => <option key={k} value={k}>{measureLabel(k, lang)}</option>)}
            </select>
          </Form.Item>
        </Space>
        <Space wrap align="start">
          <Form.Item label={t('开始日期', 'Start')} name="startOn" rules={[{ required: true, message: t('请填写开始日期', 'Enter the start date') }, dateRule]}>
            <Input type="date" style={{ width: 170 }} />
          </Form.Item>
          <Form.Item label={t('截止日期', 'Ends on')} name="endOn" rules={[dateRule]} extra={t('可留空（不定期）', 'Leave empty when open-ended')}>
            <Input type="date" style={{ width: 170 }} />
          </Form.Item>
        </Space>
        <Form.Item label={t('所在社区', 'Community')} name="communityCode" extra={t('留空则为本人现住社区', 'Empty: the person\'s home community')}>
          <AreaSelect communityOnly aria-label={t('所在社区', 'Community')} style={{ width: 320 }} />
        </Form.Item>
        {error && <Alert type="error" showIcon title={error} />}
      </Form>
    </Drawer>
  );
}
