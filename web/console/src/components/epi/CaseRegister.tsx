/**
 * 登记病例 drawer (permission cases.manage): POST /api/cases with the person picked by search
 * (PersonPicker: masked names only), status suspected or confirmed from a China date (not in the
 * future), onset / isolation dates, hospital, classification (imported needs its source area),
 * infector (another case of the area: a second-generation case), cluster, note and the reason.
 * The server checks every rule (one open case a person, scope, dates) and answers its message.
 */
import { useState } from 'react';
import { Alert, Button, Checkbox, Drawer, Form, Input, Space } from 'antd';
import { errorMessage, post } from '../../api';
import { useLang, useT } from '../../i18n';
import { chinaDate } from '../../format';
import { PersonPicker, type PickedPerson } from './PersonPicker';
import { ClassificationFields } from './ClassificationFields';
import { caseStatusLabel, type CaseSummary } from './model';
import { registerBody, type RegisterValues } from './logic';

type Values = RegisterValues;
export function CaseRegister({ open, onClose, onCreated, cases }: {
  open: boolean; onClose: () => void; onCreated: (id: string, number: string) => void; cases: CaseSummary[];
}) {
  const t = useT();
  const { lang } = useLang();
  const [form] = Form.useForm<Values>();
  const [person, setPerson] = useState<PickedPerson | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const classification = Form.useWatch('classification', form);
  const today = chinaDate();
  const submit = async (v: Values) => {
    if (!person) { setError(t('请先选择人员', 'Choose the person first')); return; }
    setBusy(true); setError(null);
    try {
      const r = await post<{ case: { id: string; number: string } }>('/api/cases', registerBody(person, v));
      form.resetFields(); setPerson(null);
      onCreated(r.case.id, r.case.number);
    } catch (e) { setError(errorMessage(e)); } finally { setBusy(false); }
  };
  const dateRule = { pattern: /^\d{4}-\d{2}-\d{2}$/, message: t('日期格式为 YYYY-MM-DD', 'Date as YYYY-MM-DD') };
  return (
    <Drawer open={open} onClose={onClose} size={560} title={t('登记病例', 'Register a case')} destroyOnHidden
      extra={<Button type="primary" loading={busy} onClick={() => form.submit()}>{t('登记', 'Register')}</Button>}>
      <Form form={form} name="caseRegister" layout="vertical" onFinish={submit} disabled={busy}
        initialValues={{ status: 'confirmed', effectiveOn: today, classification: 'local', hospitalised: true }}>
        <Form.Item label={t('人员', 'Person')} required>
          <PersonPicker value={person} onChange={setPerson} />
        </Form.Item>
        <Space wrap align="start">
          <Form.Item label={t('病例状态', 'Status')} name="status">
            <select className="native-select" style={{ width: 160 }}>
              {(['suspected', 'confirmed'] as const).map((s) => <option key={s} value={s}>{caseStatusLabel(s, lang)}</option>)}
            </select>
          </Form.Item>
          <Form.Item label={t('诊断日期', 'Effective on')} name="effectiveOn" rules={[{ required: true, message: t('请填写日期', 'Enter the date') }, dateRule]}>
            <Input type="date" max={today} style={{ width: 170 }} />
          </Form.Item>
        </Space>
        <Space wrap align="start">
          <Form.Item label={t('发病日期', 'Onset on')} name="onsetOn" rules={[dateRule]}><Input type="date" max={today} style={{ width: 170 }} /></Form.Item>
          <Form.Item label={t('隔离日期', 'Isolated on')} name="isolatedOn" rules={[dateRule]}><Input type="date" max={today} style={{ width: 170 }} /></Form.Item>
        </Space>
        <Space wrap align="start">
          <Form.Item label={t('收治医院', 'Hospital')} name="hospital" rules={[{ max: 100 }]}><Input style={{ width: 260 }} /></Form.Item>
          <Form.Item name="hospitalised" valuePropName="checked" label=" "><Checkbox>{t('正在住院', 'In hospital')}</Checkbox></Form.Item>
        </Space>
        <Space wrap align="start">
          <ClassificationFields imported={classification === 'imported'} />
        </Space>
        <Space wrap align="start">
          <Form.Item label={t('传染源病例', 'Infected by')} name="infectorCaseId" extra={t('二代病例：选择传染给他/她的病例', 'Second generation: the case that infected them')}>
            <select className="native-select" style={{ width: 240 }}>
              <option value="">{t('无 / 不明', 'None / unknown')}</option>
              {cases.map((c) => <option key={c.id} value={c.id}>{`${c.number} ${c.maskedName}`}</option>)}
            </select>
          </Form.Item>
          <Form.Item label={t('聚集性疫情', 'Cluster')} name="cluster" rules={[{ max: 60 }]}><Input placeholder={t('如 张某家庭聚集', 'e.g. a family cluster')} style={{ width: 200 }} /></Form.Item>
        </Space>
        <Form.Item label={t('备注', 'Note')} name="note"><Input.TextArea rows={2} maxLength={500} /></Form.Item>
        <Form.Item label={t('登记原因/依据', 'Reason')} name="reason" rules={[{ required: true, whitespace: true, message: t('请填写登记依据', 'Give the reason') }]}>
          <Input.TextArea rows={2} maxLength={500} placeholder={t('如 核酸检测阳性（市疾控中心）', 'e.g. positive test result')} />
        </Form.Item>
        {error && <Alert type="error" showIcon title={error} />}
      </Form>
    </Drawer>
  );
}
