/**
 * Fever alerts (issue 2 §9): the open list (GET /api/alerts?state=open) kept current by live
 * events, and the big red card the guard works through: 确认 (POST /api/alerts/:id/ack), then
 * 复测体温 + 处置结果 + 提交 (POST /api/alerts/:id/resolve {remeasuredTemperature, outcome}).
 * 提交 acknowledges first when 确认 was skipped. Times are China time.
 */
import { useCallback, useId, useState } from 'react';
import { Alert, App, Button, Input, Space, Tag } from 'antd';
import { errorMessage, get, post } from '../api';
import { useEvent } from '../events';
import { useLang, useT, type Lang } from '../i18n';
import { chinaDateTime, chinaTime, formatTemp, OUTCOME_KEYS, outcomeLabel, parseTemperature } from '../format';
import { useAsync } from './common';

/** An alert as GET /api/alerts lists it (temperatures °C, times ISO). */
export interface FeverAlert {
  id: string;
  personId: string;
  maskedName: string;
  temperature: number | string;
  raisedAt: string;
  acknowledgedAt: string | null;
  remeasuredTemperature: number | string | null;
  outcome: string | null;
  resolvedAt: string | null;
  escalated: boolean;
  communityCode: string;
  checkpointId: string;
  checkpointName: string;
  placeName: string;
}

/** One line for a notification: '张*三 37.8 ℃ · 幸福小区 东门 · 08:15:02'. */
export function alertText(a: Partial<FeverAlert>, lang: Lang): string {
  const where = [a.placeName, a.checkpointName].filter(Boolean).join(' ');
  const parts = [`${a.maskedName ?? ''} ${formatTemp(a.temperature)}`.trim(), where, a.raisedAt ? chinaTime(a.raisedAt) : ''];
  return (lang === 'zh' ? '体温异常：' : 'Fever: ') + parts.filter(Boolean).join(' · ');
}

/** A short two-tone beep (the gate is noisy); silently nothing when audio is not allowed. */
export function beep() {
  try {
    const Ctx = window.AudioContext ?? (window as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
    if (!Ctx) return;
    const ac = new Ctx();
    [0, 0.35].forEach((start, i) => {
      const o = ac.createOscillator();
      const g = ac.createGain();
      o.frequency.value = i ? 660 : 880;
      g.gain.value = 0.2;
      o.connect(g).connect(ac.destination);
      o.start(ac.currentTime + start);
      o.stop(ac.currentTime + start + 0.25);
    });
    setTimeout(() => void ac.close(), 1000);
  } catch { /* no audio */ }
}

/**
 * Open alerts in the account's area, refreshed on 'fever_alert' / 'alert_update' events and after
 * every reconnection. `checkpointId` narrows the list to one gate.
 */
export function useOpenAlerts(checkpointId?: string | null) {
  const list = useAsync(() => get<{ alerts: FeverAlert[] }>('/api/alerts?state=open').then((r) => r.alerts), []);
  const { setData, reload } = list;
  const onNew = useCallback((a: Partial<FeverAlert>) => {
    if (a && typeof a.id === 'string' && a.maskedName !== undefined) {
      setData((list.data ?? []).some((x) => x.id === a.id) ? list.data : [a as FeverAlert, ...(list.data ?? [])]);
    }
    reload();
  }, [list.data, setData, reload]);
  useEvent('fever_alert', onNew);
  useEvent('alert_update', () => reload());
  useEvent('reconnect', () => reload());
  const alerts = (list.data ?? []).filter((a) => !a.resolvedAt && (!checkpointId || a.checkpointId === checkpointId));
  return { ...list, alerts, all: list.data ?? [] };
}

/** The red card for one open alert, with acknowledge, re-measure and outcome. */
export function FeverAlertCard({ alert, onDone }: { alert: FeverAlert; onDone: () => void }) {
  const t = useT();
  const { lang } = useLang();
  const { message } = App.useApp();
  const uid = useId();
  const [acked, setAcked] = useState<string | null>(alert.acknowledgedAt);
  const [temp, setTemp] = useState('');
  const [outcome, setOutcome] = useState('');
  const [busy, setBusy] = useState<'ack' | 'resolve' | null>(null);
  const [error, setError] = useState<string | null>(null);

  const ack = async () => {
    setBusy('ack');
    setError(null);
    try {
      await post(`/api/alerts/${alert.id}/ack`);
      setAcked(new Date().toISOString());
    } catch (e) { setError(errorMessage(e)); } finally { setBusy(null); }
  };

  const submit = async () => {
    const value = parseTemperature(temp);
    if (typeof value !== 'number') { setError(t('请输入复测体温，例如 36.5', 'Enter the re-measured temperature, e.g. 36.5')); return; }
    if (!outcome) { setError(t('请选择处置结果', 'Choose the outcome')); return; }
    setBusy('resolve');
    setError(null);
    try {
      if (!acked) { await post(`/api/alerts/${alert.id}/ack`); setAcked(new Date().toISOString()); }
      await post(`/api/alerts/${alert.id}/resolve`, { remeasuredTemperature: value, outcome });
      message.success(t(`已处置：${outcomeLabel(outcome, 'zh')}`, `Resolved: ${outcomeLabel(outcome, 'en')}`));
      onDone();
    } catch (e) { setError(errorMessage(e)); } finally { setBusy(null); }
  };

  return (
    <section className="fever-alert" role="alert" data-testid="fever-alert" aria-labelledby={`${uid}-h`}>
      <h2 id={`${uid}-h`}>{t('发热预警', 'Fever alert')} · {alert.maskedName}</h2>
      <div className="fever-temp">{formatTemp(alert.temperature)}</div>
      <p style={{ fontSize: 16, margin: '4px 0 12px' }}>
        {alert.placeName} {alert.checkpointName} · {chinaDateTime(alert.raisedAt)}
        {alert.escalated && <Tag color="red" style={{ marginLeft: 8 }}>{t('已上报街道', 'Escalated to street')}</Tag>}
      </p>
      <p style={{ margin: '0 0 12px' }}>{t('禁止通行，请引导至临时留观区，复测体温后登记处置结果。', 'Entry refused. Take the person aside, re-measure, then record the outcome.')}</p>
      <Space wrap align="end" size="middle" style={{ width: '100%' }}>
        {acked
          ? <Tag color="orange" style={{ fontSize: 16, padding: '8px 12px' }}>{t('已确认', 'Acknowledged')} {chinaTime(acked)}</Tag>
          : <Button danger type="primary" size="large" loading={busy === 'ack'} onClick={() => void ack()}>{t('确认', 'Acknowledge')}</Button>}
        <div>
          <label htmlFor={`${uid}-t`}>{t('复测体温', 'Re-measured temperature')}</label>
          <Input id={`${uid}-t`} size="large" inputMode="decimal" autoComplete="off" suffix="℃" style={{ width: 160 }}
            value={temp} onChange={(e) => setTemp(e.target.value)} placeholder="36.5" />
        </div>
        <div>
          <label htmlFor={`${uid}-o`}>{t('处置结果', 'Outcome')}</label>
          <select id={`${uid}-o`} className="native-select" style={{ minWidth: 200 }} value={outcome} onChange={(e) => setOutcome(e.target.value)}>
            <option value="">{t('请选择', 'Choose…')}</option>
            {OUTCOME_KEYS.map((k) => <option key={k} value={k}>{outcomeLabel(k, lang)}</option>)}
          </select>
        </div>
        <Button type="primary" size="large" loading={busy === 'resolve'} onClick={() => void submit()}>{t('提交', 'Submit')}</Button>
      </Space>
      {error && <Alert type="error" showIcon role="status" style={{ marginTop: 12 }} title={error} />}
    </section>
  );
}

/** Every open alert as a card; an empty-state line when there are none. */
export function FeverAlertList({ alerts, onDone, emptyText }: { alerts: FeverAlert[]; onDone: () => void; emptyText?: string }) {
  if (alerts.length === 0) return emptyText ? <Alert type="success" showIcon role="status" title={emptyText} style={{ marginBottom: 16 }} /> : null;
  return <>{alerts.map((a) => <FeverAlertCard key={a.id} alert={a} onDone={onDone} />)}</>;
}
