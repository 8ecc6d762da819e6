/**
 * 代为申报 drawer (permission declarations.enter; the workflow lets the health service center's
 * doctors enter): POST /api/declarations {personId, residence[14], travel, contactWithCases,
 * contactWithAreas, contactNote, symptoms, destination, purpose, acknowledged}. The person is
 * picked with the console's person search (components/epi/PersonPicker: masked names only). The
 * same answers as the resident's form, including the acknowledgement, which must be ticked.
 * Refusals show the server's message; `fields` go next to their form field.
 */
import { useState } from 'react';
import { Alert, Button, Checkbox, Drawer, Form, Input, Radio, Table } from 'antd';
import { ApiError, errorMessage, post } from '../../api';
import { useLang, useT } from '../../i18n';
import { addDays, chinaDate } from '../../format';
import { PersonPicker, type PickedPerson } from '../epi/PersonPicker';
import { fieldPath, last14Days, SYMPTOM_KEYS, symptomLabel, type DeclarationView } from './model';

interface Values {
  residence: Array<{ place: string }>; travel: string; contactWithCases: boolean; contactWithAreas: boolean; contactNote: string;
  symptoms: string[]; destination: string; purpose: string; acknowledged: boolean;
}

export function EntryForm({ open, onClose, onEntered }: { open: boolean; onClose: () => void; onEntered: (d: DeclarationView) => void }) {
  const t = useT();
  const { lang } = useLang();
  const [form] = Form.useForm<Values>();
  const [person, setPerson] = useState<PickedPerson | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const days = last14Days(chinaDate(), addDays);
  const fillAll = () => {
    const first = form.getFieldValue(['residence', 0, 'place']) ?? '';
    form.setFieldValue('residence', days.map(() => ({ place: first })));
  };
  const submit = async (v: Values) => {
    if (!person?.id) { setError(t('请先按姓名选择已登记的人员', 'Choose a registered person by name first')); return; }
    setBusy(true); setError(null);
    try {
      const r = await post<{ declaration: DeclarationView }>('/api/declarations', {
        personId: person.id,
        residence: days.map((on, i) => ({ on, place: (v.residence?.[i]?.place ?? '').trim() })),
        travel: (v.travel ?? '').trim(), contactWithCases: v.contactWithCases === true, contactWithAreas: v.contactWithAreas === true,
        contactNote: (v.contactNote ?? '').trim(), symptoms: v.symptoms ?? [], destination: (v.destination ?? '').trim(),
        purpose: (v.purpose ?? '').trim(), acknowledged: v.acknowledged === true,
      });
      form.resetFields(); setPerson(null);
      onEntered(r.declaration);
    } catch (e) {
      setError(errorMessage(e));
      if (e instanceof ApiError && e.fields.length) {
        form.setFields(e.fields.filter((f) => f.field !== 'personId').map((f) => ({ name: fieldPath(f.field) as never, errors: [f.message] })));
      }
    } finally { setBusy(false); }
  };
  const required = (zh: string, en: string) => [{ required: true, whitespace: true, message: t(zh, en) }];
  return (
    <Drawer open={open} onClose={onClose} size={720} title={t('代为申报', 'Enter a declaration')} destroyOnHidden
      extra={<Button type="primary" loading={busy} onClick={() => form.submit()}>{t('提交申报', 'Submit')}</Button>}>
      <Form form={form} name="enterDeclaration" aria-label={t('代为申报', 'Enter a declaration')} layout="vertical" onFinish={submit} disabled={busy}
        initialValues={{ residence: days.map(() => ({ place: '本社区' })), contactWithCases: false, contactWithAreas: false, symptoms: [], acknowledged: false }}>
        <Form.Item label={t('申报人', 'Applicant')} required extra={t('为无法网上申报的居民代为填写；只能选择已登记的人员', 'For residents who cannot apply online; registered persons only')}>
          <PersonPicker value={person} onChange={setPerson} />
        </Form.Item>
        <Form.Item label={t('近 14 天居住地', 'Residence, last 14 days')} required
          extra={<Button size="small" type="link" style={{ padding: 0 }} onClick={fillAll}>{t('全部按第一天填写', 'Copy the first day to all')}</Button>}>
          <Table size="small" pagination={false} rowKey="on" dataSource={days.map((on, i) => ({ on, i }))}
            columns={[
              { title: t('日期', 'Date'), dataIndex: 'on', width: 130 },
              {
                title: t('居住地点', 'Place'), key: 'place', render: (_: unknown, r) => (
                  <Form.Item name={['residence', r.i, 'place']} noStyle={false} style={{ margin: 0 }} rules={required('请填写居住地点', 'Enter the place')}>
                    <Input aria-label={`${t('居住地点', 'Place')} ${r.on}`} maxLength={100} />
                  </Form.Item>
                ),
              },
            ]} />
        </Form.Item>
        <Form.Item label={t('近 14 天旅行史', 'Travel, last 14 days')} name="travel" extra={t('未离开本社区可留空', 'Leave empty if none')}>
          <Input.TextArea rows={2} maxLength={500} />
        </Form.Item>
        <Form.Item label={t('是否接触过确诊或疑似病例', 'Contact with confirmed or suspected cases')} name="contactWithCases">
          <Radio.Group options={[{ value: false, label: t('否', 'No') }, { value: true, label: t('是', 'Yes') }]} />
        </Form.Item>
        <Form.Item label={t('是否接触过来自疫情重点地区的人员', 'Contact with people from named areas')} name="contactWithAreas">
          <Radio.Group options={[{ value: false, label: t('否', 'No') }, { value: true, label: t('是', 'Yes') }]} />
        </Form.Item>
        <Form.Item label={t('接触情况说明', 'Contact note')} name="contactNote">
          <Input maxLength={300} />
        </Form.Item>
        <Form.Item label={t('目前症状（无则不选）', 'Symptoms now (none: leave empty)')} name="symptoms">
          <Checkbox.Group options={SYMPTOM_KEYS.map((k) => ({ value: k, label: symptomLabel(k, lang) }))} />
        </Form.Item>
        <Form.Item label={t('目的地', 'Destination')} name="destination" rules={required('请填写目的地', 'Enter the destination')}>
          <Input maxLength={60} />
        </Form.Item>
        <Form.Item label={t('出行事由', 'Purpose')} name="purpose" rules={required('请填写出行事由', 'Enter the purpose')}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="acknowledged" valuePropName="checked"
          rules={[{ validator: (_, v) => (v ? Promise.resolve() : Promise.reject(new Error(t('请确认承诺', 'Confirm the statement')))) }]}>
          <Checkbox>{t('本人承诺以上信息真实，如有虚假申报，愿承担相应法律责任', 'I confirm this is true; a false declaration carries legal responsibility')}</Checkbox>
        </Form.Item>
        {error && <Alert type="error" showIcon role="alert" title={error} />}
      </Form>
    </Drawer>
  );
}
