/**
 * The five-for-one team (五包一) of a key person: the five places and who fills them, and for
 * keypersons.manage an "assign team" form of five selects filled from
 * GET /api/key-persons/:id/team-candidates (active accounts whose role fits the place and whose
 * area covers the community), saved with PUT /api/key-persons/:id/team (replaces the team).
 */
import { useEffect, useState } from 'react';
import { Alert, App, Button, Card, Descriptions, Form, Space, Tag } from 'antd';
import { api, errorMessage, get } from '../../api';
import { useLang, useT } from '../../i18n';
import { roleLabel } from '../../roles';
import { useSession } from '../../session';
import { ErrorBanner, useAsync } from '../common';
import { TEAM_ROLE_KEYS, teamComplete, teamRoleLabel, type Candidates, type KeyPersonView, type TeamRole } from './model';

function AssignForm({ kp, onSaved, onCancel }: { kp: KeyPersonView; onSaved: () => void; onCancel: () => void }) {
  const t = useT();
  const { lang } = useLang();
  const { message } = App.useApp();
  const [form] = Form.useForm<Record<TeamRole, string>>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const cands = useAsync(() => get<{ candidates: Candidates }>(`/api/key-persons/${encodeURIComponent(kp.id)}/team-candidates`).then((r) => r.candidates), [kp.id]);
  useEffect(() => {
    form.setFieldsValue(Object.fromEntries(TEAM_ROLE_KEYS.map((r) => [r, kp.team.find((m) => m.role === r)?.staffId ?? ''])) as Record<TeamRole, string>);
  }, [kp]); // eslint-disable-line react-hooks/exhaustive-deps
  const submit = async (v: Record<TeamRole, string>) => {
    setBusy(true); setError(null);
    try {
      await api('PUT', `/api/key-persons/${encodeURIComponent(kp.id)}/team`, v);
      message.success(t('五包一小组已保存', 'Team saved'));
      onSaved();
    } catch (e) { setError(errorMessage(e)); } finally { setBusy(false); }
  };
  return (
    <Form form={form} name="assignTeam" aria-label={t('分配五包一小组', 'Assign the team')} layout="vertical" onFinish={submit} disabled={busy || cands.loading}>
      <ErrorBanner error={cands.error} onRetry={cands.reload} />
      <Space wrap align="start">
        {TEAM_ROLE_KEYS.map((r) => {
          const list = cands.data?.[r] ?? [];
          const mixed = new Set(list.map((c) => c.role)).size > 1; // e.g. community workers and information officers
          return (
            <Form.Item key={r} label={teamRoleLabel(r, lang)} name={r} rules={[{ required: true, message: t('请选择', 'Choose one') }]}
              extra={cands.data && !list.length ? t('本社区没有符合条件的账号', 'No fitting account for this community') : undefined}>
              <select className="native-select" style={{ width: 190 }} aria-label={teamRoleLabel(r, lang)}>
                <option value="">{t('请选择', 'Choose…')}</option>
                {list.map((s) => <option key={s.staffId} value={s.staffId}>{mixed ? `${s.name}（${roleLabel(s.role, lang)}）` : s.name}</option>)}
              </select>
            </Form.Item>
          );
        })}
      </Space>
      {error && <Alert type="error" showIcon style={{ marginBottom: 12 }} title={error} />}
      <Space>
        <Button type="primary" htmlType="submit" loading={busy}>{t('保存小组', 'Save the team')}</Button>
        <Button onClick={onCancel}>{t('取消', 'Cancel')}</Button>
      </Space>
    </Form>
  );
}

export function TeamCard({ kp, onChanged }: { kp: KeyPersonView; onChanged: () => void }) {
  const t = useT();
  const { lang } = useLang();
  const { can } = useSession();
  const [editing, setEditing] = useState(false);
  const mayAssign = can('keypersons.manage') && kp.state === 'open';
  return (
    <Card title={t('五包一小组', 'Team of five (五包一)')}
      extra={mayAssign && !editing && <Button onClick={() => setEditing(true)}>{kp.team.length ? t('调整小组', 'Change the team') : t('分配小组', 'Assign the team')}</Button>}>
      {!teamComplete(kp.team) && !editing && kp.state === 'open' && (
        <Alert type="warning" showIcon style={{ marginBottom: 12 }} title={t('五包一小组尚未落实', 'The team of five is not complete')} />
      )}
      {editing ? <AssignForm kp={kp} onCancel={() => setEditing(false)} onSaved={() => { setEditing(false); onChanged(); }} /> : (
        <div data-testid="kp-team"><Descriptions column={{ xs: 1, md: 3, xl: 5 }} size="small" bordered styles={{ label: { whiteSpace: 'nowrap' } }} items={TEAM_ROLE_KEYS.map((r) => {
          const m = kp.team.find((x) => x.role === r);
          return { key: r, label: teamRoleLabel(r, lang), children: m ? m.name : <Tag>{t('未分配', 'Unassigned')}</Tag> };
        })} /></div>
      )}
    </Card>
  );
}
