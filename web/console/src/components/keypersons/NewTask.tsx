/**
 * 新建任务 drawer (permission tasks.work): a task for a key person of the caller's own team
 * (the open key persons of GET /api/key-persons whose team includes the caller), kind 登记建档 /
 * 就医送诊 / 上门随访 / 生活服务, title, note, due (typed as China time), assignee (a member of
 * that team; default the caller). POST /api/tasks; the server checks membership.
 */
import { useState } from 'react';
import { Alert, Button, Drawer, Form, Input, Space } from 'antd';
import { errorMessage, get, post } from '../../api';
import { useLang, useT } from '../../i18n';
import { useStaff } from '../../session';
import { useAsync } from '../common';
import { chinaLocalToIso, MEMBER_TASK_KINDS, taskKindLabel, teamRoleLabel, type KeyPersonView } from './model';

interface Values { keyPersonId: string; kind: string; title: string; note?: string; due?: string; assigneeId?: string }

export function NewTask({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: () => void }) {
  const t = useT();
  const { lang } = useLang();
  const me = useStaff();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const mine = useAsync(() => get<{ keyPersons: KeyPersonView[] }>('/api/key-persons?state=open')
    .then((r) => r.keyPersons.filter((k) => k.keyPersonId && k.team.some((m) => m.staffId === me.id))), [me.id], open);
  const kpId = Form.useWatch('keyPersonId', form);
  const team = (mine.data ?? []).find((k) => k.id === kpId)?.team ?? [];
  const submit = async (v: Values) => {
    const dueAt = v.due ? chinaLocalToIso(v.due) : null;
    if (v.due && !dueAt) { setError(t('截止时间格式不正确', 'The due time is not valid')); return; }
    setBusy(true); setError(null);
    try {
      await post('/api/tasks', { keyPersonId: v.keyPersonId, kind: v.kind, title: v.title.trim(), note: v.note?.trim() || null, dueAt, assigneeId: v.assigneeId || null });
      form.resetFields();
      onCreated();
    } catch (e) { setError(errorMessage(e)); } finally { setBusy(false); }
  };
  return (
    <Drawer open={open} onClose={onClose} size={520} title={t('新建任务', 'New task')} destroyOnHidden
      extra={<Button type="primary" loading={busy} onClick={() => form.submit()}>{t('创建', 'Create')}</Button>}>
      <Form form={form} name="newTask" layout="vertical" onFinish={submit} disabled={busy} initialValues={{ kind: 'visit', keyPersonId: '', assigneeId: '' }}>
        <Form.Item label={t('重点人员（本人所在五包一小组）', 'Key person (of your team)')} name="keyPersonId"
          rules={[{ required: true, message: t('请选择重点人员', 'Choose the key person') }]}
          extra={mine.data && !mine.data.length ? t('您目前不在任何重点人员的五包一小组中', 'You are on no key person\'s team') : undefined}>
          <select className="native-select" style={{ width: '100%' }} onChange={() => form.setFieldValue('assigneeId', '')}>
            <option value="">{mine.loading ? t('加载中…', 'Loading…') : t('请选择', 'Choose…')}</option>
            {(mine.data ?? []).map((k) => <option key={k.id} value={k.id}>{`${k.maskedName}（${k.startOn}${k.endOn ? ` ~ ${k.endOn}` : ''}）`}</option>)}
          </select>
        </Form.Item>
        {mine.error ? <Alert type="error" showIcon style={{ marginBottom: 12 }} title={errorMessage(mine.error)} /> : null}
        <Space wrap align="start">
          <Form.Item label={t('任务类型', 'Kind')} name="kind">
            <select className="native-select" style={{ width: 160 }}>
              {MEMBER_TASK_KINDS.map((k) => <option key={k} value={k}>{taskKindLabel(k, lang)}</option>)}
            </select>
          </Form.Item>
          <Form.Item label={t('负责人', 'Assignee')} name="assigneeId">
            <select className="native-select" style={{ width: 220 }}>
              <option value="">{t('本人', 'Myself')}</option>
              {team.filter((m) => m.staffId !== me.id).map((m) => <option key={m.staffId} value={m.staffId}>{`${m.name}（${teamRoleLabel(m.role, lang)}）`}</option>)}
            </select>
          </Form.Item>
        </Space>
        <Form.Item label={t('任务内容', 'Task')} name="title" rules={[{ required: true, whitespace: true, message: t('请填写任务内容', 'Describe the task') }, { max: 200 }]}>
          <Input maxLength={200} placeholder={t('如：代购蔬菜和降压药', 'e.g. buy vegetables and blood-pressure medicine')} />
        </Form.Item>
        <Form.Item label={t('备注', 'Note')} name="note"><Input.TextArea rows={2} maxLength={1000} /></Form.Item>
        <Form.Item label={t('截止时间（北京时间）', 'Due (China time)')} name="due"><Input type="datetime-local" style={{ width: 240 }} /></Form.Item>
        {error && <Alert type="error" showIcon title={error} />}
      </Form>
    </Drawer>
  );
}
