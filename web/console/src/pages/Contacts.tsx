/**
 * 密接医学观察 /console/contacts (permission contacts.read): the contacts of an area of the
 * account's subtree (GET /api/contacts?areaCode&state&caseId&q, audited by the server as a list of
 * persons; names masked), filtered by state (under observation / released / all), case and name,
 * with "第 N / 14 天" progress, end date (已调整 when overridden) and releasable date. A row opens
 * the contact's drawer with the actions the account may take (components/epi/ContactDrawer.tsx).
 * `?caseId=` in the URL pre-filters one case (links from a case's page).
 */
import { useState } from 'react';
import { Card, Space, Statistic } from 'antd';
import { get, qs } from '../api';
import { useT } from '../i18n';
import { chinaDate } from '../format';
import { AreaSelect } from '../components/AreaSelect';
import { ErrorBanner, PageTitle, useAsync, useEmptyText, NameSearch } from '../components/common';
import { ContactTable } from '../components/epi/ContactTable';
import { ContactDrawer } from '../components/epi/ContactDrawer';
import type { CaseSummary, ContactView } from '../components/epi/model';
import { useSession } from '../session';

interface Filter { areaCode?: string; state: 'observing' | 'released' | 'all'; caseId?: string; q: string }

export default function ContactsPage() {
  const t = useT();
  const empty = useEmptyText();
  const { can } = useSession();
  const [filter, setFilter] = useState<Filter>(() => ({ state: 'observing', q: '', caseId: new URLSearchParams(window.location.search).get('caseId') ?? undefined }));
  const [q, setQ] = useState('');
  const [openId, setOpenId] = useState<string | null>(null);
  const res = useAsync(() => get<{ contacts: ContactView[] }>(`/api/contacts${qs({ areaCode: filter.areaCode, state: filter.state, caseId: filter.caseId, q: filter.q || undefined })}`),
    [filter.areaCode, filter.state, filter.caseId, filter.q]);
  // The case filter offers the area's cases (only for accounts that may read cases).
  const cases = useAsync(() => get<{ cases: CaseSummary[] }>(`/api/cases${qs({ areaCode: filter.areaCode })}`).then((r) => r.cases), [filter.areaCode], can('cases.read'));
  const set = (p: Partial<Filter>) => setFilter((f) => ({ ...f, ...p }));
  const rows = res.data?.contacts ?? [];
  const today = chinaDate();
  const observing = rows.filter((r) => !r.releasedOn).length;
  const due = rows.filter((r) => !r.releasedOn && r.releasableFrom <= today).length;

  return (
    <div>
      <PageTitle title={t('密接医学观察', 'Contacts under medical observation')}>
        {t('观察期为末次暴露后 14 天（中国标准时间日期）；密接归属其现住社区；查看名单记入审计日志',
          'Observation lasts 14 days after the last exposure (China dates); contacts belong to their home community; lists are audited')}
      </PageTitle>
      <Card style={{ marginBottom: 16 }}>
        <Space wrap>
          <AreaSelect value={filter.areaCode} onChange={(v) => set({ areaCode: v })} aria-label={t('区域', 'Area')} />
          <select className="native-select" aria-label={t('观察状态', 'State')} style={{ width: 140 }} value={filter.state}
            onChange={(e) => set({ state: e.target.value as Filter['state'] })}>
            <option value="observing">{t('观察中', 'Observing')}</option>
            <option value="released">{t('已解除', 'Released')}</option>
            <option value="all">{t('全部', 'All')}</option>
          </select>
          {can('cases.read') && (
            <select className="native-select" aria-label={t('关联病例', 'Case')} style={{ width: 220 }} value={filter.caseId ?? ''}
              onChange={(e) => set({ caseId: e.target.value || undefined })}>
              <option value="">{t('全部病例', 'All cases')}</option>
              {(cases.data ?? []).map((c) => <option key={c.id} value={c.id}>{`${c.number} ${c.maskedName}`}</option>)}
              {filter.caseId && !(cases.data ?? []).some((c) => c.id === filter.caseId) && <option value={filter.caseId}>{t('所选病例', 'Chosen case')}</option>}
            </select>
          )}
          <NameSearch text={q} onText={setQ} onSearch={(v) => set({ q: v })} />
        </Space>
      </Card>
      <ErrorBanner error={res.error} onRetry={res.reload} />
      <Space size="large" wrap style={{ marginBottom: 16 }}>
        <Statistic title={t('列表人数', 'Listed')} value={rows.length} />
        <Statistic title={t('观察中', 'Under observation')} value={observing} />
        <Statistic title={t('今日可解除', 'Releasable today')} value={due} styles={{ content: { color: due ? '#389e0d' : undefined } }} />
      </Space>
      <Card>
        <ContactTable rows={rows} loading={res.loading} onOpen={(c) => setOpenId(c.id)}
          emptyText={empty(res.error, filter.state === 'observing' ? t('当前没有观察中的密切接触者', 'Nobody under observation') : t('没有符合条件的密切接触者', 'No contact matches'))} />
      </Card>
      <ContactDrawer id={openId} onClose={() => setOpenId(null)} onChanged={res.reload} />
    </div>
  );
}
