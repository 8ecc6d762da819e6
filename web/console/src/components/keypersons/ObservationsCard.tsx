/**
 * Observation reports of a key person (twice daily: date, am/pm, temperature red when the server
 * flags a fever, symptoms in words, self / doctor, reported at China time), and for
 * observation.record a "record a visit" form: POST /api/key-persons/:id/observations {slot,
 * temperature, symptoms}. A fever raises one task per team member (the server says how many).
 */
import { useState } from 'react';
import { Alert, App, Button, Card, Checkbox, Form, Input, Space, Table, Tag } from 'antd';
import { errorMessage, post } from '../../api';
import { useLang, useT } from '../../i18n';
import { chinaDateTime, formatTemp, parseTemperature } from '../../format';
import { useSession } from '../../session';
import { slotLabel, sourceLabel, SYMPTOM_KEYS, symptomLabel, type KeyPersonView, type Observation } from './model';

interface Values { slot: 'am' | 'pm'; temperature: string; symptoms: string[] }

function VisitForm({ kp, onSaved }: { kp: KeyPersonView; onSaved: () => void }) {
  const t = useT();
  const { lang } = useLang();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const amNow = Number(chinaDateTime(new Date()).slice(11, 13)) < 12;
  const submit = async (v: Values) => {
    const raw = (v.temperature ?? '').trim();
    const temperature = raw ? parseTemperature(raw) : null;
    if (typeof temperature === 'string') { setError(t('体温格式不正确，例如 36.5', 'Temperature as a number, e.g. 36.5')); return; }
    setBusy(true); setError(null);
    try {
      const r = await post<{ fever: boolean; tasks: number; contactEndOn: string | null }>(`/api/key-persons/${encodeURIComponent(kp.id)}/observations`,
        { slot: v.slot, temperature, symptoms: v.symptoms ?? [] });
      if (r.fever) message.warning(t(`已记录：发热，已为小组生成 ${r.tasks} 条处置任务`, `Recorded: fever, ${r.tasks} team tasks raised`));
      else message.success(t('随访已记录', 'Visit recorded'));
      form.resetFields(['temperature', 'symptoms']);
      onSaved();
    } catch (e) { setError(errorMessage(e)); } finally { setBusy(false); }
  };
  return (
    <Form form={form} name="recordVisit" aria-label={t('记录随访', 'Record a visit')} layout="vertical" onFinish={submit} disabled={busy}
      initialValues={{ slot: amNow ? 'am' : 'pm', symptoms: [] }} style={{ marginBottom: 16 }}>
      <Space wrap align="start">
        <Form.Item label={t('时段', 'Slot')} name="slot">
          <select className="native-select" style={{ width: 100 }}>
            <option value="am">{slotLabel('am', lang)}</option>
            <option value="pm">{slotLabel('pm', lang)}</option>
          </select>
        </Form.Item>
        <Form.Item label={t('体温（℃）', 'Temperature (°C)')} name="temperature">
          <Input inputMode="decimal" autoComplete="off" style={{ width: 120 }} placeholder="36.5" />
        </Form.Item>
      </Space>
      <Form.Item label={t('症状', 'Symptoms')} name="symptoms">
        <Checkbox.Group options={SYMPTOM_KEYS.map((s) => ({ value: s, label: symptomLabel(s, lang) }))} />
      </Form.Item>
      {error && <Alert type="error" showIcon style={{ marginBottom: 12 }} title={error} />}
      <Button type="primary" htmlType="submit" loading={busy}>{t('记录随访', 'Record the visit')}</Button>
    </Form>
  );
}

export function ObservationsCard({ kp, rows, onChanged }: { kp: KeyPersonView; rows: Observation[]; onChanged: () => void }) {
  const t = useT();
  const { lang } = useLang();
  const { can } = useSession();
  const [recording, setRecording] = useState(false);
  const may = can('observation.record') && kp.state === 'open';
  return (
    <Card title={t('健康观察报告', 'Observation reports')}
      extra={may && <Button onClick={() => setRecording((v) => !v)}>{recording ? t('收起', 'Hide') : t('记录随访', 'Record a visit')}</Button>}>
      {may && recording && <VisitForm kp={kp} onSaved={() => { setRecording(false); onChanged(); }} />}
      <div data-testid="kp-observations">
      <Table<Observation> rowKey="id" size="small" dataSource={rows} pagination={{ pageSize: 20, hideOnSinglePage: true }}
        locale={{ emptyText: t('尚无观察报告', 'No reports yet') }}
        columns={[
          { title: t('日期', 'Date'), dataIndex: 'reportOn' },
          { title: t('时段', 'Slot'), dataIndex: 'slot', render: (v: string) => slotLabel(v, lang) },
          {
            title: t('体温', 'Temperature'), dataIndex: 'temperature', render: (v: number | null, r) => (
              <span style={r.fever ? { color: '#cf1322', fontWeight: 600 } : undefined}>{formatTemp(v)}{r.fever && <Tag color="red" style={{ marginLeft: 6 }}>{t('发热', 'Fever')}</Tag>}</span>
            ),
          },
          { title: t('症状', 'Symptoms'), dataIndex: 'symptoms', render: (v: string[]) => (v.length ? v.map((s) => symptomLabel(s, lang)).join(t('、', ', ')) : t('无', 'None')) },
          { title: t('来源', 'Source'), dataIndex: 'source', render: (v: string) => sourceLabel(v, lang) },
          { title: t('报告时间', 'Reported at'), dataIndex: 'reportedAtChina' },
        ]} />
      </div>
    </Card>
  );
}
