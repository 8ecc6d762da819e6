/**
 * One contact in a drawer (GET /api/contacts/:id, audited by the server): the observation schedule
 * and its history, and the actions the account's permissions allow, each with its reason:
 * - contacts.manage: 更正暴露日期 (POST …/exposure), 记录症状 (…/symptoms: extends the end date),
 *   调整解除日期 (…/override) and 恢复计算日期 (…/override/revert);
 * - observation.release (doctors): 解除医学观察 (…/release): before the releasable date the
 *   reason is required (the server refuses otherwise: reason_required_early);
 * - tracing.run: 追踪此密接 (POST /api/contacts/:id/traces, contacts of contacts) and its result.
 */
import { useState } from 'react';
import { Alert, App, Button, Descriptions, Drawer, Form, Input, Space, Table, Tag, Typography } from 'antd';
import { errorMessage, get, post } from '../../api';
import { useLang, useT } from '../../i18n';
import { chinaDate, chinaDateTime } from '../../format';
import { roleLabel } from '../../roles';
import { useSession } from '../../session';
import { ErrorBanner, useAsync } from '../common';
import { TraceRun } from './TracePanel';
import { TraceResult } from './TraceResult';
import { actionRequest, contactEventDetailText, dayText, type ContactAction } from './logic';
import { contactEventLabel, contactKindLabel, type ContactEvent, type ContactView } from './model';

type Action = ContactAction;

function ActionForm({ contact, action, onDone }: { contact: ContactView; action: Action; onDone: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ date: string; reason: string }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const today = chinaDate();
  const early = action === 'release' && today < contact.releasableFrom;
  const reasonRequired = action !== 'release' || early;
  const dateLabel: Partial<Record<Action, string>> = {
    exposure: t('末次暴露日期', 'Last exposure on'), symptoms: t('出现症状日期', 'Symptoms on'), override: t('新的观察截止日期', 'New end date'),
  };
  const button: Record<Action, string> = {
    exposure: t('更正暴露日期', 'Correct exposure'), symptoms: t('记录症状', 'Record symptoms'), override: t('调整解除日期', 'Override end date'),
    revert: t('恢复计算日期', 'Revert to computed date'), release: t('解除医学观察', 'Release from observation'),
  };
  const submit = async (v: { date: string; reason: string }) => {
    setBusy(true); setError(null);
    try {
      const req = actionRequest(action, v.date ?? '', v.reason ?? '');
      await post(`/api/contacts/${contact.id}/${req.path}`, req.body);
      message.success(t('已保存', 'Saved'));
      form.resetFields();
      onDone();
    } catch (e) { setError(errorMessage(e)); } finally { setBusy(false); }
  };
  return (
    <Form form={form} name={`contact_${action}`} layout="vertical" onFinish={submit} disabled={busy} aria-label={button[action]}>
      {early && <Alert type="warning" showIcon style={{ marginBottom: 8 }} title={t(`未到可解除日期（${contact.releasableFrom}），提前解除须填写原因`, `Before ${contact.releasableFrom}: an early release needs a reason`)} />}
      {dateLabel[action] && (
        <Form.Item label={dateLabel[action]} name="date" rules={[{ required: true, message: t('请填写日期', 'Enter the date') }]}>
          <Input type="date" max={action === 'override' ? undefined : today} style={{ width: 180 }} />
        </Form.Item>
      )}
      <Form.Item label={reasonRequired ? t('原因', 'Reason') : t('原因（可选）', 'Reason (optional)')} name="reason"
        rules={reasonRequired ? [{ required: true, whitespace: true, message: t('请填写原因', 'Give the reason') }] : []}>
        <Input.TextArea rows={2} maxLength={500} />
      </Form.Item>
      {error && <Alert type="error" showIcon style={{ marginBottom: 8 }} title={error} />}
      <Button htmlType="submit" type={action === 'release' ? 'primary' : 'default'} loading={busy}>{button[action]}</Button>
    </Form>
  );
}

export function ContactDrawer({ id, onClose, onChanged }: { id: string | null; onClose: () => void; onChanged: () => void }) {
  const t = useT();
  const { lang } = useLang();
  const { can } = useSession();
  const res = useAsync(() => get<{ contact: ContactView; events: ContactEvent[] }>(`/api/contacts/${id}`), [id], !!id);
  const [action, setAction] = useState<Action | null>(null);
  const [traceId, setTraceId] = useState<string | null>(null);
  const c = res.data?.contact;
  const open = !c?.releasedOn;
  const actions: Array<[Action, string, boolean]> = [
    ['exposure', t('更正暴露日期', 'Correct exposure'), can('contacts.manage') && open],
    ['symptoms', t('记录症状', 'Record symptoms'), can('contacts.manage') && open],
    ['override', t('调整解除日期', 'Override end date'), can('contacts.manage') && open],
    ['revert', t('恢复计算日期', 'Revert override'), can('contacts.manage') && open && !!c?.overridden],
    ['release', t('解除医学观察', 'Release'), can('observation.release') && open],
  ];
  const done = () => { setAction(null); res.reload(); onChanged(); };
  return (
    <Drawer open={!!id} onClose={() => { setAction(null); setTraceId(null); onClose(); }} size="min(880px, 100vw)" destroyOnHidden
      title={c ? `${c.maskedName} · ${contactKindLabel(c.kind, lang)}` : t('密切接触者', 'Contact')}>
      <ErrorBanner error={res.error} onRetry={res.reload} />
      {c && (
        <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
          <Descriptions size="small" bordered column={{ xs: 1, md: 2 }} items={[
            { key: 'case', label: t('关联病例', 'Case'), children: c.caseNumber },
            { key: 'src', label: t('来源', 'Source'), children: `${contactKindLabel(c.kind, lang)} · ${c.source.label || c.caseNumber}` },
            { key: 'exp', label: t('末次暴露', 'Last exposure'), children: c.lastExposureOn },
            { key: 'sym', label: t('症状最近日期', 'Symptoms last on'), children: c.symptomsLastOn ?? '—' },
            { key: 'start', label: t('观察第 1 天', 'Day 1'), children: c.startOn },
            { key: 'day', label: t('观察进度', 'Progress'), children: dayText(c, lang === 'zh') },
            { key: 'end', label: t('观察截止', 'Ends on'), children: <Space size={4}>{c.endOn}{c.overridden && <Tag color="purple">{t(`已调整（计算日期 ${c.computedEndOn ?? '—'}）`, `Overridden (computed ${c.computedEndOn ?? '—'})`)}</Tag>}</Space> },
            { key: 'rel', label: t('可解除日期', 'Releasable from'), children: c.releasableFrom },
            { key: 'released', label: t('解除日期', 'Released on'), children: c.releasedOn ?? '—' },
            { key: 'comm', label: t('社区', 'Community'), children: c.communityName ?? '—' },
          ]} />
          {actions.some(([, , ok]) => ok) && (
            <div>
              <Space wrap style={{ marginBottom: 12 }}>
                {actions.filter(([, , ok]) => ok).map(([a, label]) => (
                  <Button key={a} type={action === a ? 'primary' : 'default'} ghost={action === a} onClick={() => setAction(action === a ? null : a)}>{label}</Button>
                ))}
              </Space>
              {action && <ActionForm key={action} contact={c} action={action} onDone={done} />}
            </div>
          )}
          <div>
            <Typography.Title level={5}>{t('记录', 'History')}</Typography.Title>
            <Table<ContactEvent> size="small" rowKey={(e) => `${e.at}-${e.kind}`} dataSource={res.data?.events ?? []} pagination={false} scroll={{ x: 760 }}
              columns={[
                { title: t('时间', 'Time'), dataIndex: 'at', width: 150, onCell: () => ({ style: { whiteSpace: 'nowrap' } }), render: (v: string) => chinaDateTime(v) },
                { title: t('事项', 'Event'), dataIndex: 'kind', width: 120, onHeaderCell: () => ({ style: { whiteSpace: 'nowrap' } }), onCell: () => ({ style: { whiteSpace: 'nowrap' } }), render: (v: string) => contactEventLabel(v, lang) },
                { title: t('内容', 'Detail'), dataIndex: 'detail', render: (v: Record<string, unknown> | undefined, e: ContactEvent) => contactEventDetailText(e.kind, v, lang) },
                { title: t('原因', 'Reason'), dataIndex: 'reason', width: 160, onHeaderCell: () => ({ style: { whiteSpace: 'nowrap' } }) },
                { title: t('操作角色', 'By role'), dataIndex: 'actorRole', width: 100, onHeaderCell: () => ({ style: { whiteSpace: 'nowrap' } }), render: (v: string) => roleLabel(v, lang) },
              ]} />
          </div>
          {can('tracing.run') && open && (
            <div>
              <Typography.Title level={5}>{t('追踪此密接（次密接）', 'Trace this contact (secondary contacts)')}</Typography.Title>
              <TraceRun path={`/api/contacts/${c.id}/traces`} defaults={t(`末次暴露日 ${c.lastExposureOn} 起至现在`, `from the exposure day ${c.lastExposureOn} to now`)} onDone={setTraceId} />
            </div>
          )}
          {traceId && <TraceResult key={traceId} traceId={traceId} onContacts={onChanged} />}
        </Space>
      )}
    </Drawer>
  );
}
