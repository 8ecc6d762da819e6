/**
 * 健康申报 /console/declarations (permission declarations.read): the health declarations of an area
 * of the account's subtree (GET /api/declarations?areaCode&state, audited by the server; names
 * masked), filtered by community and state, newest change first; a row opens the declaration. The
 * health service center's doctors (declarations.enter) enter one for a resident who cannot apply
 * online (代为申报, components/certificates/EntryForm.tsx).
 */
import { useState } from 'react';
import { App, Button, Card, Space, Statistic } from 'antd';
import { get, qs } from '../api';
import { useLang, useT } from '../i18n';
import { AreaSelect } from '../components/AreaSelect';
import { ErrorBanner, PageTitle, useAsync, useEmptyText } from '../components/common';
import { DeclarationTable } from '../components/certificates/DeclarationTable';
import { EntryForm } from '../components/certificates/EntryForm';
import { STATE_KEYS, stateShort, type DeclarationView } from '../components/certificates/model';
import { navigate } from '../router';
import { useSession } from '../session';

interface Filter { areaCode?: string; state?: string }

export default function DeclarationsPage() {
  const t = useT();
  const { lang } = useLang();
  const empty = useEmptyText();
  const { can } = useSession();
  const { message } = App.useApp();
  const [filter, setFilter] = useState<Filter>({});
  const [entering, setEntering] = useState(false);
  const res = useAsync(() => get<{ declarations: DeclarationView[] }>(`/api/declarations${qs({ areaCode: filter.areaCode, state: filter.state })}`)
    .then((r) => r.declarations), [filter.areaCode, filter.state]);
  const rows = res.data ?? [];
  const count = (...s: string[]) => rows.filter((r) => s.includes(r.state)).length;

  return (
    <div>
      <PageTitle title={t('健康申报', 'Health declarations')}
        extra={can('declarations.enter') && <Button type="primary" onClick={() => setEntering(true)}>{t('代为申报', 'Enter a declaration')}</Button>}>
        {t('居民申请健康申报证明：信息员核实 → 社区医生评估 → 主检医生签字出具；查看记入审计日志',
          'Residents apply for a health certificate: verification → assessment → signature and issue; reads are audited')}
      </PageTitle>
      <Card style={{ marginBottom: 16 }}>
        <Space wrap>
          <AreaSelect value={filter.areaCode} onChange={(v) => setFilter((f) => ({ ...f, areaCode: v }))} aria-label={t('社区', 'Community')} />
          <select className="native-select" aria-label={t('办理状态', 'State')} style={{ width: 150 }} value={filter.state ?? ''}
            onChange={(e) => setFilter((f) => ({ ...f, state: e.target.value || undefined }))}>
            <option value="">{t('全部状态', 'All states')}</option>
            {STATE_KEYS.map((k) => <option key={k} value={k}>{stateShort(k, lang)}</option>)}
          </select>
        </Space>
      </Card>
      <ErrorBanner error={res.error} onRetry={res.reload} />
      <Space size="large" wrap style={{ marginBottom: 16 }}>
        <Statistic title={t('列表份数', 'Listed')} value={rows.length} />
        <Statistic title={t('办理中', 'In progress')} value={count('submitted', 'residence_verified', 'assessed', 'signed')} />
        <Statistic title={t('已退回', 'Returned')} value={count('returned')} />
        <Statistic title={t('已出具', 'Issued')} value={count('issued')} />
      </Space>
      <Card>
        <DeclarationTable rows={rows} loading={res.loading}
          emptyText={empty(res.error, filter.state ? t('没有该状态的申报', 'No declaration in this state') : t('暂无健康申报', 'No declarations yet'))} />
      </Card>
      {can('declarations.enter') && (
        <EntryForm open={entering} onClose={() => setEntering(false)} onEntered={(d) => {
          setEntering(false);
          message.success(t('已代为提交申报', 'Declaration entered'));
          navigate(`/declarations/${d.id}`);
        }} />
      )}
    </div>
  );
}
