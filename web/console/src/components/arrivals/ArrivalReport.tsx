/**
 * 代报 (arrivals.report): staff enter an arrival report (POST /api/arrivals) for a registered
 * person (PersonPicker: masked names only) or a person registered on the spot by document (the
 * `person` body: name, document, phone, home community, address). The server decides the measure
 * by the rules; its refusals are shown next to the field they concern (model.ts fieldErrors).
 * Document numbers go in the request body only.
 */
import { useState } from 'react';
import { Alert, Button, Drawer, Form, Input, Radio, Space } from 'antd';
import { ApiError, errorMessage, post } from '../../api';
import { useLang, useT } from '../../i18n';
import { chinaDate, DOC_TYPE_KEYS, docTypeLabel } from '../../format';
import { useStaff } from '../../session';
import { AreaSelect } from '../AreaSelect';
import { PersonPicker, type PickedPerson } from '../epi/PersonPicker';
import { CIRCUMSTANCE_KEYS, circumstanceLabel, fieldErrors, reportBody, type ArrivalView, type ReportValues } from './model';

function NativeSelect({ id, value, onChange, options, width }: {
  id?: string; value?: string; onChange?: (v: string) => void; options: { value: string; label: string }[]; width?: number;
}) {
  return (
    <select id={id} className="native-select" style={{ width }} value={value} onChange={(e) => onChange?.(e.target.value)}>
      {options.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
    </select>
  );
}

export function ArrivalReport({ open, onClose, onCreated }: {
  open: boolean; onClose: () => void; onCreated: (a: ArrivalView, personCreated: boolean) => void;
}) {
  const t = useT();
  const { lang } = useLang();
  const staff = useStaff();
  const [form] = Form.useForm<ReportValues>();
  const [mode, setMode] = useState<'picked' | 'register'>('picked');
  const [person, setPerson] = useState<PickedPerson | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const today = chinaDate();
  const ownCommunity = staff.areaCode.length === 12 ? staff.areaCode : undefined;
  const required = (zh: string, en: string) => [{ required: true, whitespace: true, message: t(zh, en) }];

  const submit = async (v: ReportValues) => {
    setError(null);
    if (mode === 'picked' && (!person || !person.id)) { setError(t('请先查找并选择人员，或改用“现场证件登记”', 'Find and choose the person first, or register them by document')); return; }
    setBusy(true);
    try {
      const r = await post<{ arrival: ArrivalView; personCreated: boolean }>('/api/arrivals', reportBody(v, mode === 'register' ? 'register' : { personId: person!.id }));
      form.resetFields(); setPerson(null);
      onCreated(r.arrival, r.personCreated);
    } catch (e) {
      const fields = e instanceof ApiError ? fieldErrors(e) : [];
      if (fields.length) form.setFields(fields.map((f) => ({ name: f.name as never, errors: [f.message] })));
      else setError(errorMessage(e));
    } finally { setBusy(false); }
  };

  return (
    <Drawer open={open} onClose={onClose} size={640} title={t('代为报到', 'Enter an arrival report')} destroyOnHidden
      extra={<Button type="primary" loading={busy} onClick={() => form.submit()}>{t('提交报到', 'Submit report')}</Button>}>
      {error && <Alert type="error" showIcon role="alert" style={{ marginBottom: 16 }} title={error} />}
      <Form form={form} name="arrivalReport" layout="vertical" onFinish={submit} disabled={busy}
        initialValues={{ communityCode: ownCommunity, circumstance: 'home', arrivalOn: today, person: { docType: 'resident_id', communityCode: ownCommunity } }}>
        <Form.Item label={t('到达社区', 'Destination community')} name="communityCode" rules={[{ required: true, message: t('请选择到达的社区', 'Choose the destination community') }]}>
          <AreaSelect communityOnly allowClear={false} style={{ width: 320 }} />
        </Form.Item>
        <Form.Item label={t('报到人员', 'Person')} required>
          <Radio.Group value={mode} onChange={(e) => { setMode(e.target.value); setError(null); }} style={{ marginBottom: 8 }}
            options={[{ value: 'picked', label: t('已登记人员', 'Registered person') }, { value: 'register', label: t('现场证件登记', 'Register by document') }]} />
          {mode === 'picked' && <PersonPicker value={person} onChange={setPerson} />}
        </Form.Item>
        {mode === 'register' && (
          <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(240px, 1fr))', columnGap: 16 }}>
            <Form.Item label={t('姓名', 'Name')} name={['person', 'name']} rules={required('请输入姓名', 'Enter the name')}><Input autoComplete="off" /></Form.Item>
            <Form.Item label={t('证件类型', 'Document type')} name={['person', 'docType']}>
              <NativeSelect options={DOC_TYPE_KEYS.map((k) => ({ value: k, label: docTypeLabel(k, lang) }))} />
            </Form.Item>
            <Form.Item label={t('证件号码', 'Document number')} name={['person', 'docNumber']} rules={required('请输入证件号码', 'Enter the document number')}>
              <Input autoComplete="off" autoCapitalize="characters" spellCheck={false} />
            </Form.Item>
            <Form.Item label={t('手机号码', 'Mobile number')} name={['person', 'phone']} extra={t('选填', 'Optional')}><Input inputMode="tel" autoComplete="off" /></Form.Item>
            <Form.Item label={t('现住社区', 'Home community')} name={['person', 'communityCode']} rules={[{ required: true, message: t('请选择现住社区', 'Choose the home community') }]}>
              <AreaSelect communityOnly allowClear={false} />
            </Form.Item>
            <Form.Item label={t('住址', 'Address')} name={['person', 'address']} extra={t('楼栋/单元/门牌号', 'Building / unit / room')} rules={required('请输入住址', 'Enter the address')}>
              <Input autoComplete="off" />
            </Form.Item>
          </div>
        )}
        <Space wrap align="start">
          <Form.Item label={t('来源地', 'Origin')} name="originText" rules={required('请输入来源地', 'Enter where the person came from')} extra={t('如 湖北武汉', 'e.g. Wuhan, Hubei')}>
            <Input maxLength={60} style={{ width: 220 }} />
          </Form.Item>
          <Form.Item label={t('来源地区划代码', 'Origin area code')} name="originCode" extra={t('选填，2–12 位数字，如 420102', 'Optional, 2–12 digits, e.g. 420102')}
            rules={[{ pattern: /^\d{2,12}$/, message: t('区划代码为 2–12 位数字', 'The area code has 2–12 digits') }]}>
            <Input inputMode="numeric" maxLength={12} style={{ width: 200 }} />
          </Form.Item>
        </Space>
        <Space wrap align="start">
          <Form.Item label={t('返回事由', 'Circumstance')} name="circumstance">
            <NativeSelect width={140} options={CIRCUMSTANCE_KEYS.map((k) => ({ value: k, label: circumstanceLabel(k, lang) }))} />
          </Form.Item>
          <Form.Item label={t('抵达日期', 'Arrived on')} name="arrivalOn" rules={[{ required: true, message: t('请填写抵达日期', 'Enter the arrival date') }]}>
            <Input type="date" max={today} style={{ width: 170 }} />
          </Form.Item>
          <Form.Item label={t('交通方式', 'Transport')} name="transport"><Input maxLength={60} style={{ width: 200 }} placeholder={t('如 G1234 次列车', 'e.g. train G1234')} /></Form.Item>
        </Space>
        <Form.Item label={t('行程', 'Route')} name="route"><Input.TextArea maxLength={300} rows={2} placeholder={t('途经地点', 'Places passed through')} /></Form.Item>
      </Form>
    </Drawer>
  );
}
