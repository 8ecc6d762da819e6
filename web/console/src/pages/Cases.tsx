/**
 * 病例与传播链 /console/cases (permission cases.read): the cases of an area of the account's
 * subtree, filtered by status and a search on the case number or part of the name
 * (GET /api/cases, audited by the server as a list of persons; names masked), the 登记病例 drawer
 * (cases.manage, components/epi/CaseRegister.tsx) and the 传播链 tab (components/epi/ChainGraph.tsx,
 * GET /api/cases/graph). A row opens the case (/cases/:id).
 */
import { useState } from 'react';
import { App, Button, Card, Input, Space, Table, Tabs, Tag } from 'antd';
import { get, qs } from '../api';
import { useLang, useT } from '../i18n';
import { AreaSelect } from '../components/AreaSelect';
import { ErrorBanner, PageTitle, useAsync, useEmptyText } from '../components/common';
import { Link, navigate } from '../router';
import { useSession } from '../session';
import { CaseRegister } from '../components/epi/CaseRegister';
import { ChainGraph } from '../components/epi/ChainGraph';
import { CASE_STATUS_KEYS, caseStatusColour, caseStatusLabel, classificationLabel, type CaseSummary } from '../components/epi/model';

interface Filter { areaCode?: string; status?: string; q: string }

export default function CasesPage() {
  const t = useT();
  const { lang } = useLang();
  const empty = useEmptyText();
  const { can } = useSession();
  const { message } = App.useApp();
  const [filter, setFilter] = useState<Filter>({ q: '' });
  const [q, setQ] = useState('');
  const [tab, setTab] = useState('list');
  const [registering, setRegistering] = useState(false);
  const res = useAsync(() => get<{ cases: CaseSummary[] }>(`/api/cases${qs({ areaCode: filter.areaCode, status: filter.status, q: filter.q || undefined })}`),
    [filter.areaCode, filter.status, filter.q]);
  const set = (p: Partial<Filter>) => setFilter((f) => ({ ...f, ...p }));
  const cases = res.data?.cases ?? [];

  return (
    <div>
      <PageTitle title={t('病例与传播链', 'Cases and transmission chains')}
        extra={can('cases.manage') && <Button type="primary" onClick={() => setRegistering(true)}>{t('登记病例', 'Register a case')}</Button>}>
        {t('病例按现住社区统计；查看病例名单记入审计日志', 'Cases count in their home community; every list is audited')}
      </PageTitle>
      <Card style={{ marginBottom: 16 }}>
        <Space wrap>
          <AreaSelect value={filter.areaCode} onChange={(v) => set({ areaCode: v })} aria-label={t('区域', 'Area')} />
          <select className="native-select" aria-label={t('病例状态', 'Case status')} style={{ width: 160 }} value={filter.status ?? ''}
            onChange={(e) => set({ status: e.target.value || undefined })}>
            <option value="">{t('全部状态', 'All statuses')}</option>
            {CASE_STATUS_KEYS.map((s) => <option key={s} value={s}>{caseStatusLabel(s, lang)}</option>)}
          </select>
          <Input.Search aria-label={t('病例编号或姓名', 'Case number or name')} placeholder={t('病例编号或姓名', 'Case number or name')} allowClear style={{ width: 240 }}
            value={q} onChange={(e) => { setQ(e.target.value); if (!e.target.value) set({ q: '' }); }} onSearch={(v) => set({ q: v.trim() })} enterButton={t('查询', 'Search')} />
        </Space>
      </Card>
      <Tabs activeKey={tab} onChange={setTab} items={[
        {
          key: 'list', label: t('病例列表', 'Cases'), children: (
            <>
              <ErrorBanner error={res.error} onRetry={res.reload} />
              <Card>
                <Table<CaseSummary> rowKey="id" size="middle" loading={res.loading} dataSource={cases} scroll={{ x: 1100 }}
                  locale={{ emptyText: empty(res.error, filter.q || filter.status ? t('没有符合条件的病例', 'No case matches') : t('本辖区暂无病例', 'No cases in this area')) }}
                  pagination={{ pageSize: 50, showTotal: (n) => t(`共 ${n} 例`, `${n} cases`) }}
                  onRow={(r) => ({ onDoubleClick: () => navigate(`/cases/${r.id}`) })}
                  columns={[
                    { title: t('病例编号', 'Number'), dataIndex: 'number', render: (v: string, r) => <Link to={`/cases/${r.id}`}>{v}</Link> },
                    { title: t('姓名', 'Name'), dataIndex: 'maskedName' },
                    { title: t('状态', 'Status'), dataIndex: 'status', render: (v: string) => <Tag color={caseStatusColour(v)}>{caseStatusLabel(v, lang)}</Tag> },
                    { title: t('住院', 'In hospital'), dataIndex: 'hospitalised', render: (v: boolean) => (v ? t('是', 'Yes') : t('否', 'No')) },
                    { title: t('分类', 'Classification'), dataIndex: 'classification',
                      render: (v: string, r) => `${classificationLabel(v, lang)}${r.sourceArea ? `（${r.sourceArea}）` : ''}` },
                    { title: t('传染源', 'Infected by'), dataIndex: 'infectorNumber',
                      render: (v: string | null, r) => (v ? (r.infectorCaseId ? <Link to={`/cases/${r.infectorCaseId}`}>{v}</Link> : v) : '—') },
                    { title: t('聚集性疫情', 'Cluster'), dataIndex: 'cluster', render: (v: string | null) => v ?? '—' },
                    { title: t('发病日期', 'Onset'), dataIndex: 'onsetOn', render: (v: string | null) => v ?? '—' },
                    { title: t('确诊日期', 'Confirmed'), dataIndex: 'confirmedOn', render: (v: string | null) => v ?? '—' },
                    { title: t('社区', 'Community'), dataIndex: 'communityName', render: (v: string | null | undefined) => v ?? '—' },
                  ]} />
              </Card>
            </>
          ),
        },
        { key: 'chains', label: t('传播链', 'Transmission chains'), children: tab === 'chains' ? <ChainGraph areaCode={filter.areaCode} /> : null },
      ]} />
      {can('cases.manage') && (
        <CaseRegister open={registering} cases={cases} onClose={() => setRegistering(false)}
          onCreated={(id, number) => { setRegistering(false); message.success(t(`已登记病例 ${number}`, `Case ${number} registered`)); navigate(`/cases/${id}`); }} />
      )}
    </div>
  );
}
