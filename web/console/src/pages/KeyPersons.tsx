/**
 * 重点人员 /console/key-persons (permission keypersons.read): the key persons of an area of the
 * account's subtree (GET /api/key-persons?areaCode&category&state&q, audited by the server; names
 * masked; contacts under medical observation included live), filtered by community, category,
 * state (open / closed / all: "all" asks for both) and name, with counts above the table. A
 * manager (keypersons.manage) adds a key person by hand (components/keypersons/AddKeyPerson.tsx).
 */
import { useState } from 'react';
import { App, Button, Card, Space, Statistic } from 'antd';
import { get, qs } from '../api';
import { useLang, useT } from '../i18n';
import { AreaSelect } from '../components/AreaSelect';
import { ErrorBanner, PageTitle, useAsync, useEmptyText, NameSearch } from '../components/common';
import { KeyPersonTable } from '../components/keypersons/KeyPersonTable';
import { AddKeyPerson } from '../components/keypersons/AddKeyPerson';
import { CATEGORY_KEYS, categoryLabel, teamComplete, type KeyPersonView } from '../components/keypersons/model';
import { navigate } from '../router';
import { useSession } from '../session';

type State = 'open' | 'closed' | 'all';
interface Filter { areaCode?: string; category?: string; state: State; q: string }

export default function KeyPersonsPage() {
  const t = useT();
  const { lang } = useLang();
  const empty = useEmptyText();
  const { can } = useSession();
  const { message } = App.useApp();
  const [filter, setFilter] = useState<Filter>({ state: 'open', q: '' });
  const [q, setQ] = useState('');
  const [adding, setAdding] = useState(false);
  const set = (p: Partial<Filter>) => setFilter((f) => ({ ...f, ...p }));
  const load = (state: 'open' | 'closed') => get<{ keyPersons: KeyPersonView[] }>(`/api/key-persons${qs({
    areaCode: filter.areaCode, category: filter.category, state, q: filter.q || undefined,
  })}`).then((r) => r.keyPersons);
  const res = useAsync(async () => (filter.state === 'all' ? [...(await load('open')), ...(await load('closed'))] : load(filter.state)),
    [filter.areaCode, filter.category, filter.state, filter.q]);
  const rows = res.data ?? [];
  const open = rows.filter((r) => r.state === 'open');
  const noTeam = open.filter((r) => !teamComplete(r.team)).length;
  const tasks = open.reduce((n, r) => n + r.openTasks, 0);

  return (
    <div>
      <PageTitle title={t('重点人员', 'Key persons')}
        extra={can('keypersons.manage') && <Button type="primary" onClick={() => setAdding(true)}>{t('添加重点人员', 'Add a key person')}</Button>}>
        {t('第 N/M 天按中国标准时间日期计算；密切接触者随医学观察自动列入；查看名单记入审计日志',
          'Day N of M counts China dates; contacts under observation are listed automatically; lists are audited')}
      </PageTitle>
      <Card style={{ marginBottom: 16 }}>
        <Space wrap>
          <AreaSelect value={filter.areaCode} onChange={(v) => set({ areaCode: v })} aria-label={t('社区', 'Community')} />
          <select className="native-select" aria-label={t('类别', 'Category')} style={{ width: 160 }} value={filter.category ?? ''}
            onChange={(e) => set({ category: e.target.value || undefined })}>
            <option value="">{t('全部类别', 'All categories')}</option>
            {CATEGORY_KEYS.map((k) => <option key={k} value={k}>{categoryLabel(k, lang)}</option>)}
          </select>
          <select className="native-select" aria-label={t('管控状态', 'State')} style={{ width: 130 }} value={filter.state}
            onChange={(e) => set({ state: e.target.value as State })}>
            <option value="open">{t('管控中', 'Open')}</option>
            <option value="closed">{t('已解除', 'Closed')}</option>
            <option value="all">{t('全部', 'All')}</option>
          </select>
          <NameSearch text={q} onText={setQ} onSearch={(v) => set({ q: v })} />
        </Space>
      </Card>
      <ErrorBanner error={res.error} onRetry={res.reload} />
      <Space size="large" wrap style={{ marginBottom: 16 }}>
        <Statistic title={t('列表人数', 'Listed')} value={rows.length} />
        <Statistic title={t('管控中', 'Open')} value={open.length} />
        <Statistic title={t('五包一未落实', 'Team incomplete')} value={noTeam} styles={{ content: { color: noTeam ? '#cf1322' : undefined } }} />
        <Statistic title={t('待办任务', 'Open tasks')} value={tasks} />
      </Space>
      <Card>
        <KeyPersonTable rows={rows} loading={res.loading}
          emptyText={empty(res.error, filter.state === 'open' ? t('当前没有管控中的重点人员', 'No key person under management') : t('没有符合条件的重点人员', 'No key person matches'))} />
      </Card>
      {can('keypersons.manage') && (
        <AddKeyPerson open={adding} onClose={() => setAdding(false)} onAdded={(k, existing) => {
          setAdding(false);
          message.success(existing ? t('已更新该人员的管控记录', 'The open record was updated') : t('已添加重点人员', 'Key person added'));
          navigate(`/key-persons/${k.id}`);
        }} />
      )}
    </div>
  );
}
