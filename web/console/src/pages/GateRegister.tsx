/**
 * 无手机人员登记/查询 (issue 2 §10): the guard finds a person by ID document
 * (POST /api/persons/lookup {docType, docNumber}) or registers them from the card
 * (POST /api/persons {name, docType, docNumber, phone?, communityCode, address}), then checks
 * them in or out (POST /api/gate/checkins {checkpointId, personId, direction, temperature}), and
 * may print the person a pass card (issue 3 §6, components/PersonCards.tsx).
 * The full document number is only in request bodies, never in a URL.
 */
import { useState } from 'react';
import { Alert, Button, Card, Form, Input, Space, Tag, Typography } from 'antd';
import { ApiError, errorMessage, post } from '../api';
import { useLang, useT } from '../i18n';
import { chinaTime, DOC_TYPE_KEYS, docTypeLabel, parseTemperature, statusColor, statusLabel } from '../format';
import { AreaSelect } from '../components/AreaSelect';
import type { LiveCheckin } from './GateLiveList';
import { PrintCardButton } from '../components/PersonCards';
import { useSession } from '../session';

/** A person as lookup/registration answer it (masked). */
export interface GatePerson {
  id: string; maskedName: string; docMasked: string; created?: boolean;
  status: { code: string; label: string; reason: string; since: string | null };
}
interface CheckinResult { personId: string; maskedName: string; outcome: 'pass' | 'refused'; reasonCode: string | null; reason: string | null; checkinId: string; at: string; direction: 'in' | 'out'; temperature: number | null }
interface Values { docType: string; docNumber: string; name?: string; phone?: string; communityCode?: string; address?: string }

function NativeSelect({ id, value, onChange, options }: { id?: string; value?: string; onChange?: (v: string) => void; options: { value: string; label: string }[] }) {
  return (
    <select id={id} className="native-select" value={value} onChange={(e) => onChange?.(e.target.value)}>
      {options.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
    </select>
  );
}

export function GateRegister({ checkpointId, communityCode, onCheckedIn }: {
  checkpointId: string; communityCode: string | null; onCheckedIn: (rows: LiveCheckin[]) => void;
}) {
  const t = useT();
  const { lang } = useLang();
  const { can } = useSession();
  const [form] = Form.useForm<Values>();
  const [person, setPerson] = useState<GatePerson | null>(null);
  const [notFound, setNotFound] = useState<string | null>(null);
  const [info, setInfo] = useState<string | null>(null);
  const [temp, setTemp] = useState('');
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<CheckinResult | null>(null);

  const reset = () => {
    form.resetFields();
    setPerson(null); setNotFound(null); setInfo(null); setTemp(''); setError(null); setResult(null);
  };

  const lookup = async () => {
    let v: Values;
    try { v = await form.validateFields(['docType', 'docNumber']); } catch { return; }
    setBusy('lookup'); setError(null); setResult(null); setNotFound(null); setInfo(null); setPerson(null);
    try {
      const r = await post<{ person: GatePerson }>('/api/persons/lookup', { docType: v.docType, docNumber: v.docNumber.trim() });
      setPerson(r.person);
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) setNotFound(e.message);
      else setError(errorMessage(e));
    } finally { setBusy(null); }
  };

  const register = async () => {
    let v: Values;
    try { v = await form.validateFields(); } catch { return; }
    setBusy('register'); setError(null); setResult(null);
    try {
      const r = await post<{ person: GatePerson }>('/api/persons', {
        name: v.name!.trim(), docType: v.docType, docNumber: v.docNumber.trim(),
        ...(v.phone?.trim() ? { phone: v.phone.trim() } : {}),
        communityCode: v.communityCode, address: (v.address ?? '').trim(),
      });
      setPerson(r.person); setNotFound(null);
      setInfo(r.person.created ? t('登记成功', 'Registered') : t('该证件此前已登记，已调出其登记信息', 'This document was already registered: showing that person'));
    } catch (e) { setError(errorMessage(e)); } finally { setBusy(null); }
  };

  const checkin = async (direction: 'in' | 'out') => {
    if (!person) return;
    if (direction === 'in' && !temp.trim()) { setError(t('进入时请填写体温', 'Enter the temperature to let the person in')); return; }
    setBusy(direction); setError(null); setResult(null);
    try {
      const r = await post<{ results: CheckinResult[] }>('/api/gate/checkins', {
        checkpointId, personId: person.id, direction, ...(direction === 'in' ? { temperature: parseTemperature(temp) } : {}),
      });
      const first = r.results[0] ?? null;
      setResult(first);
      setInfo(null);
      // A fever reading sets "fever pending" at once (issue 2 §9); show it without another look-up.
      if (first?.reasonCode === 'fever') setPerson((p) => p && { ...p, status: { code: 'fever_pending', label: statusLabel('fever_pending', lang), reason: first.reason ?? '', since: first.at } });
      onCheckedIn(r.results.map((x) => ({ id: x.checkinId, at: x.at, maskedName: x.maskedName, direction: x.direction,
        temperature: x.temperature, outcome: x.outcome, refusal: x.outcome === 'refused' ? (x.reason ?? '') : null, source: 'guard' })));
      setTemp('');
    } catch (e) { setError(errorMessage(e)); } finally { setBusy(null); }
  };

  const required = (zh: string, en: string) => [{ required: true, whitespace: true, message: t(zh, en) }];
  return (
    <Card title={t('无手机人员登记/查询', 'Person without a phone: look up / register')} className="gate-big"
      extra={<Button onClick={reset}>{t('下一位', 'Next person')}</Button>}>
      <Form form={form} layout="vertical" requiredMark={false} initialValues={{ docType: 'resident_id', communityCode: communityCode ?? undefined }}
>
        <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(220px, 1fr))', columnGap: 16 }}>
          <Form.Item label={t('证件类型', 'Document type')} name="docType">
            <NativeSelect options={DOC_TYPE_KEYS.map((k) => ({ value: k, label: docTypeLabel(k, lang) }))} />
          </Form.Item>
          <Form.Item label={t('证件号码', 'Document number')} name="docNumber" rules={required('请输入证件号码', 'Enter the document number')}>
            <Input autoComplete="off" autoCapitalize="characters" spellCheck={false} onPressEnter={() => void lookup()} />
          </Form.Item>
        </div>
        <Space wrap style={{ marginBottom: 16 }}>
          <Button type="primary" loading={busy === 'lookup'} onClick={() => void lookup()}>{t('查询', 'Look up')}</Button>
        </Space>
        {notFound && <Alert type="info" showIcon role="status" style={{ marginBottom: 16 }} title={notFound}
          description={t('请填写以下信息后点击“登记”', 'Fill in the fields below and press Register')} />}
        {!person && (
          <>
            <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(220px, 1fr))', columnGap: 16 }}>
              <Form.Item label={t('姓名', 'Name')} name="name" rules={required('请输入姓名', 'Enter the name')}>
                <Input autoComplete="off" />
              </Form.Item>
              <Form.Item label={t('手机号码', 'Mobile number')} name="phone" extra={t('选填', 'Optional')}>
                <Input inputMode="tel" autoComplete="off" />
              </Form.Item>
              <Form.Item label={t('所在社区', 'Community')} name="communityCode" rules={[{ required: true, message: t('请选择所在社区', 'Choose the community') }]}>
                <AreaSelect communityOnly size="large" allowClear={false} />
              </Form.Item>
              <Form.Item label={t('住址', 'Address')} name="address" extra={t('楼栋/单元/门牌号', 'Building / unit / room')} rules={required('请输入住址', 'Enter the address')}>
                <Input autoComplete="off" />
              </Form.Item>
            </div>
            <Button onClick={() => void register()} loading={busy === 'register'}>{t('登记', 'Register')}</Button>
          </>
        )}
      </Form>
      {error && <Alert type="error" showIcon role="status" style={{ marginTop: 16 }} title={error} />}
      {person && (
        <div style={{ marginTop: 8 }}>
          <Space wrap align="center" style={{ fontSize: 20, marginBottom: 12 }} data-testid="gate-person">
            <Typography.Text strong style={{ fontSize: 24 }}>{person.maskedName}</Typography.Text>
            <Typography.Text type="secondary">{person.docMasked}</Typography.Text>
            <Tag color={statusColor(person.status.code)} style={{ fontSize: 16, padding: '4px 8px' }}>{person.status.label || statusLabel(person.status.code, lang)}</Tag>
          </Space>
          {info && <div style={{ color: '#389e0d', marginBottom: 8 }} role="status">{info}</div>}
          {person.status.code !== 'normal' && person.status.reason && (
            <Alert type="warning" showIcon role="status" style={{ marginBottom: 12 }} title={person.status.reason} />
          )}
          <Space wrap align="end">
            <div>
              <label htmlFor="gate-temp" style={{ display: 'block', fontSize: 18, marginBottom: 4 }}>{t('体温', 'Temperature')}</label>
              <Input id="gate-temp" inputMode="decimal" autoComplete="off" suffix="℃" style={{ width: 160 }} placeholder="36.5"
                value={temp} onChange={(e) => setTemp(e.target.value)} onPressEnter={() => void checkin('in')} />
            </div>
            <Button type="primary" loading={busy === 'in'} onClick={() => void checkin('in')}>{t('进入', 'Enter')}</Button>
            <Button loading={busy === 'out'} onClick={() => void checkin('out')}>{t('离开', 'Leave')}</Button>
            {can('cards.issue') && <PrintCardButton personId={person.id} />}
          </Space>
        </div>
      )}
      {result && (
        <div className={`pass-result ${result.outcome === 'pass' ? 'pass-ok' : 'pass-refused'}`} role="status" aria-live="assertive" style={{ marginTop: 16 }}>
          <div className="big">{result.outcome === 'pass' ? t('通行', 'PASS') : t('禁止通行', 'REFUSED')}</div>
          <div style={{ fontSize: 18 }}>{result.maskedName} · {result.direction === 'in' ? t('进入', 'In') : t('离开', 'Out')} · {chinaTime(result.at)}</div>
          {result.reason && <div style={{ fontSize: 18, marginTop: 4 }}>{result.reason}</div>}
        </div>
      )}
    </Card>
  );
}
