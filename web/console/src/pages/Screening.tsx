/**
 * 排查行动 /console/screening/:id (permission households.manage): one campaign (GET
 * /api/screening/campaigns/:id, audited): completion for the community and each building
 * (components/households/Completion), every household visited or not with the outcome and note,
 * filtered to 未走访 on demand; 记录走访 (VisitForm), 结束行动 (POST …/close) and 导出 CSV
 * (GET …/export, downloaded under the server's file name). Times are China time.
 */
import { useState } from 'react';
import { App, Button, Card, Descriptions, Radio, Result, Space, Table, Tag } from 'antd';
import { ApiError, download, errorMessage, get, post } from '../api';
import { useLang, useT } from '../i18n';
import { chinaDateTime } from '../format';
import { navigate } from '../router';
import { ErrorBanner, PageTitle, useAsync, useEmptyText } from '../components/common';
import { Completion } from '../components/households/Completion';
import { VisitForm } from '../components/households/VisitForm';
import {
  householdAddress, occupancyLabel, visitOutcomeColour, visitOutcomeLabel, type CampaignDetail, type CampaignHousehold,
} from '../components/households/model';

type Show = 'all' | 'todo' | 'done';

export default function ScreeningPage({ params }: { params: Record<string, string> }) {
  const t = useT();
  const { lang } = useLang();
  const { message, modal } = App.useApp();
  const empty = useEmptyText();
  const id = params.id ?? '';
  const res = useAsync(() => get<CampaignDetail>(`/api/screening/campaigns/${encodeURIComponent(id)}`), [id]);
  const [show, setShow] = useState<Show>('all');
  const [visiting, setVisiting] = useState<CampaignHousehold | null>(null);
  const [exporting, setExporting] = useState(false);
  const d = res.data;
  const c = d?.campaign;
  const open = c?.state === 'open';
  const back = () => navigate(c ? `/households?community=${c.communityCode}` : '/households');

  if (res.error instanceof ApiError && (res.error.status === 404 || res.error.status === 400)) {
    return <Result status="404" title={res.error.message} extra={<Button onClick={() => navigate('/households')}>{t('返回住户与排查', 'Back to households')}</Button>} />;
  }
  const all = d?.households ?? [];
  const rows = all.filter((h) => (show === 'todo' ? !h.visited : show === 'done' ? h.visited : true));
  const todo = all.filter((h) => !h.visited).length;

  const close = () => modal.confirm({
    title: t('结束此排查行动？', 'Close this campaign?'),
    content: t(`还有 ${todo} 户未走访。结束后不能再记录走访。`, `${todo} households not visited yet. No visit can be recorded after closing.`),
    okText: t('结束行动', 'Close'), cancelText: t('取消', 'Cancel'), okButtonProps: { danger: true },
    onOk: async () => {
      try { await post(`/api/screening/campaigns/${id}/close`); message.success(t('排查行动已结束', 'Campaign closed')); }
      catch (e) { message.error(errorMessage(e)); }
      res.reload();
    },
  });
  const exportCsv = async () => {
    setExporting(true);
    try { await download(`/api/screening/campaigns/${id}/export`, `screening-${id.slice(0, 8)}.csv`); }
    catch (e) { message.error(errorMessage(e)); } finally { setExporting(false); }
  };

  return (
    <div>
      <PageTitle title={c ? `${t('排查行动', 'Screening')} · ${c.name}` : t('排查行动', 'Screening campaign')}
        extra={<>
          {d && <Button loading={exporting} onClick={() => void exportCsv()}>{t('导出 CSV', 'Export CSV')}</Button>}
          {open && <Button danger onClick={close}>{t('结束行动', 'Close campaign')}</Button>}
          <Button onClick={back}>{t('返回', 'Back')}</Button>
        </>}>
        {t('每户一条走访记录，再次走访以最后一次为准；查看名单记入审计日志', 'One visit per household; a revisit replaces it; opening the list is audited')}
      </PageTitle>
      <ErrorBanner error={res.error} onRetry={res.reload} />
      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        <Card loading={res.loading && !d}>
          {c && (
            <Descriptions size="small" column={{ xs: 1, md: 4 }} items={[
              { key: 'comm', label: t('社区/村', 'Community'), children: c.communityName ?? c.communityCode },
              { key: 'start', label: t('开始日期', 'Started'), children: c.startedOn },
              { key: 'end', label: t('结束日期', 'Ended'), children: c.endedOn ?? '—' },
              { key: 'state', label: t('状态', 'State'), children: open ? <Tag color="processing" data-testid="campaign-state">{t('进行中', 'Open')}</Tag>
                : <Tag data-testid="campaign-state">{t('已结束', 'Closed')}</Tag> },
            ]} />
          )}
        </Card>
        {d && <Completion community={d.completion} buildings={d.buildings} />}
        <Card title={t('住户走访', 'Households')} extra={
          <Radio.Group value={show} onChange={(e) => setShow(e.target.value)} optionType="button" aria-label={t('显示', 'Show')}
            options={[
              { value: 'all', label: t(`全部（${all.length}）`, `All (${all.length})`) },
              { value: 'todo', label: t(`未走访（${todo}）`, `Not visited (${todo})`) },
              { value: 'done', label: t(`已走访（${all.length - todo}）`, `Visited (${all.length - todo})`) },
            ]} />
        }>
          <Table<CampaignHousehold> rowKey="householdId" size="middle" loading={res.loading} dataSource={rows} scroll={{ x: 860 }}
            pagination={{ pageSize: 50, hideOnSinglePage: true }}
            locale={{ emptyText: empty(res.error, show === 'todo' ? t('全部住户已走访', 'Every household has been visited') : t('本社区没有住户', 'No households in this community')) }}
            columns={[
              { title: t('门牌', 'Address'), render: (_: unknown, r) => householdAddress(r, lang) },
              { title: t('居住情况', 'Occupancy'), dataIndex: 'occupancy', render: (v: string) => occupancyLabel(v, lang) },
              { title: t('走访', 'Visited'), render: (_: unknown, r) => (r.visited
                ? <Tag color={visitOutcomeColour(r.outcome)}>{visitOutcomeLabel(r.outcome, lang)}</Tag>
                : <Tag color="default">{t('未走访', 'Not visited')}</Tag>) },
              { title: t('走访时间', 'Visited at'), dataIndex: 'visitedAt', render: (v: string | null) => (v ? chinaDateTime(v).slice(0, 16) : '—') },
              { title: t('备注', 'Note'), dataIndex: 'note', ellipsis: true, render: (v: string) => v || '—' },
              ...(open ? [{ title: '', width: 110, render: (_: unknown, r: CampaignHousehold) => (
                <Button size="small" type={r.visited ? 'default' : 'primary'} aria-label={`${r.visited ? t('重新走访', 'Visit again') : t('记录走访', 'Record a visit')} ${householdAddress(r, lang)}`}
                  onClick={() => setVisiting(r)}>{r.visited ? t('重新走访', 'Visit again') : t('记录走访', 'Record visit')}</Button>
              ) }] : []),
            ]} />
        </Card>
      </Space>
      <VisitForm campaignId={id} household={visiting} onClose={() => setVisiting(null)}
        onSaved={(replaced) => { setVisiting(null); message.success(replaced ? t('已更新走访记录', 'Visit replaced') : t('已记录走访', 'Visit recorded')); res.reload(); }} />
    </div>
  );
}
