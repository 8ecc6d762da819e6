/**
 * 重点人员档案 /console/key-persons/:id (permission keypersons.read): GET /api/key-persons/:id (scoped
 * and audited by the server; masked name) → the header (category, measure, 第 N/M 天, start / end),
 * the five-for-one team with its assign form (components/keypersons/TeamCard.tsx), the tasks of every
 * member, the observation reports with "record a visit" (ObservationsCard.tsx), the household's
 * door sensors (SensorsCard.tsx) and 解除管控 with a reason (keypersons.manage; contacts are
 * closed by their release from medical observation instead).
 */
import { useEffect, useState } from 'react';
import { Alert, App, Button, Card, Descriptions, Form, Input, Result, Space, Tag } from 'antd';
import { ApiError, errorMessage, get, post } from '../api';
import { useLang, useT } from '../i18n';
import { ErrorBanner, PageTitle, useAsync } from '../components/common';
import { navigate } from '../router';
import { useSession } from '../session';
import { TeamCard } from '../components/keypersons/TeamCard';
import { TaskTable } from '../components/keypersons/TaskTable';
import { ObservationsCard } from '../components/keypersons/ObservationsCard';
import { SensorsCard } from '../components/keypersons/SensorsCard';
import { categoryLabel, dayOfText, measureLabel, type KeyPersonDetail, type KeyPersonView } from '../components/keypersons/model';

function CloseForm({ kp, onClosed }: { kp: KeyPersonView; onClosed: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (v: { reason: string }) => {
    setBusy(true); setError(null);
    try {
      await post(`/api/key-persons/${encodeURIComponent(kp.id)}/close`, { reason: v.reason.trim() });
      message.success(t('已解除管控', 'Closed'));
      onClosed();
    } catch (e) { setError(errorMessage(e)); } finally { setBusy(false); }
  };
  return (
    <Card title={t('解除管控', 'Close (release from management)')}>
      <Form name="closeKeyPerson" aria-label={t('解除管控', 'Close')} layout="vertical" onFinish={submit} disabled={busy} style={{ maxWidth: 640 }}>
        <Form.Item label={t('原因', 'Reason')} name="reason" rules={[{ required: true, whitespace: true, message: t('请填写解除原因', 'Give the reason') }]}
          extra={t('解除日期为今日（中国标准时间）；原因记入审计日志', 'Closed as of today (China date); the reason is audited')}>
          <Input.TextArea rows={2} maxLength={500} />
        </Form.Item>
        {error && <Alert type="error" showIcon style={{ marginBottom: 12 }} title={error} />}
        <Button danger htmlType="submit" loading={busy}>{t('解除管控', 'Close')}</Button>
      </Form>
    </Card>
  );
}

export default function KeyPersonPage({ params }: { params: Record<string, string> }) {
  const t = useT();
  const { lang } = useLang();
  const { can } = useSession();
  const id = params.id ?? '';
  const rec = useAsync(() => get<KeyPersonDetail>(`/api/key-persons/${encodeURIComponent(id)}`), [id]);
  const d = rec.data;
  const kp = d?.keyPerson;
  // The page may have been opened by a contact id: continue under the key person id once there is one.
  useEffect(() => { if (kp && kp.id !== id && kp.keyPersonId === kp.id) navigate(`/key-persons/${kp.id}`, true); }, [kp, id]);

  if (rec.error instanceof ApiError && (rec.error.status === 404 || rec.error.status === 400)) {
    return <Result status="404" title={rec.error.message} extra={<Button onClick={() => navigate('/key-persons')}>{t('返回重点人员列表', 'Back to key persons')}</Button>} />;
  }
  const tasks = (d?.tasks ?? []).map((x) => ({ ...x, assigneeName: x.assigneeName ?? kp?.team.find((m) => m.staffId === x.assigneeId)?.name ?? null }));
  return (
    <div>
      <PageTitle title={kp ? `${t('重点人员', 'Key person')} · ${kp.maskedName}` : t('重点人员档案', 'Key person')}
        extra={<>
          {kp && can('persons.read') && <Button onClick={() => navigate(`/persons/${kp.personId}`)}>{t('人员档案', 'Person record')}</Button>}
          <Button onClick={() => navigate('/key-persons')}>{t('返回列表', 'Back')}</Button>
        </>}>
        {t('查看重点人员档案将记入审计日志', 'Opening a key person is audited')}
      </PageTitle>
      <ErrorBanner error={rec.error} onRetry={rec.reload} />
      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        <Card loading={rec.loading && !d} title={t('管控信息', 'Management')}>
          {kp && (
            <Descriptions column={{ xs: 1, md: 3 }} bordered size="small" items={[
              { key: 'cat', label: t('类别', 'Category'), children: categoryLabel(kp.category, lang) },
              { key: 'measure', label: t('管控措施', 'Measure'), children: measureLabel(kp.measure, lang) },
              {
                key: 'state', label: t('状态', 'State'), children: kp.state === 'open'
                  ? <Tag color="orange" data-testid="kp-state">{t('管控中', 'Open')}</Tag>
                  : <Tag data-testid="kp-state">{t(`已解除（${kp.closedOn ?? ''}）`, `Closed (${kp.closedOn ?? ''})`)}</Tag>,
              },
              { key: 'day', label: t('进度', 'Progress'), children: <span data-testid="kp-day">{kp.state === 'open' ? dayOfText(kp, lang) : '—'}</span> },
              { key: 'start', label: t('开始日期', 'Start'), children: kp.startOn },
              { key: 'end', label: t('截止日期', 'Ends on'), children: kp.endOn ?? t('未定', 'Open-ended') },
            ]} />
          )}
        </Card>
        {kp && <TeamCard kp={kp} onChanged={rec.reload} />}
        {kp && (
          <Card title={t('小组任务', 'Team tasks')}>
            <TaskTable rows={tasks} loading={rec.loading} showPerson={false} showAssignee emptyText={t('暂无任务', 'No tasks')} />
          </Card>
        )}
        {kp && <ObservationsCard kp={kp} rows={d!.observations} onChanged={rec.reload} />}
        {kp && <SensorsCard rows={d!.sensors} />}
        {kp && kp.state === 'open' && can('keypersons.manage') && (kp.contactId
          ? <Alert type="info" showIcon title={t('密切接触者由医生在密接页解除医学观察后结束管控', 'A contact is closed by its release from medical observation (Contacts page)')} />
          : <CloseForm kp={kp} onClosed={rec.reload} />)}
      </Space>
    </div>
  );
}
