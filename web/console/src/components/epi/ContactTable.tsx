/**
 * The table of contacts under medical observation (shared by /contacts and a case's page): masked
 * name, kind, case, last exposure, "第 N / M 天" progress (China today, from the server), end date
 * with 已调整 when an override is in force, releasable from, released on. A row's 详情 opens the
 * contact's drawer (ContactDrawer) where the actions are.
 */
import { Button, Progress, Space, Table, Tag, Tooltip } from 'antd';
import { useLang, useT } from '../../i18n';
import { chinaDate } from '../../format';
import { Link } from '../../router';
import { useSession } from '../../session';
import { contactKindLabel, type ContactView } from './model';
import { dayText } from './logic';

export function ContactTable({ rows, loading, emptyText, onOpen, showCase = true }: {
  rows: ContactView[]; loading: boolean; emptyText: string; onOpen: (c: ContactView) => void; showCase?: boolean;
}) {
  const t = useT();
  const { lang } = useLang();
  const { can } = useSession();
  const zh = lang === 'zh';
  const today = chinaDate();
  return (
    <Table<ContactView> rowKey="id" size="middle" loading={loading} dataSource={rows} scroll={{ x: 1100 }}
      locale={{ emptyText }} pagination={{ pageSize: 50, hideOnSinglePage: true, showTotal: (n) => t(`共 ${n} 人`, `${n} contacts`) }}
      columns={[
        { title: t('姓名', 'Name'), dataIndex: 'maskedName' },
        { title: t('类别', 'Kind'), dataIndex: 'kind', render: (v: string) => contactKindLabel(v, lang) },
        ...(showCase ? [{ title: t('关联病例', 'Case'), dataIndex: 'caseNumber', render: (v: string, r: ContactView) => (can('cases.read') ? <Link to={`/cases/${r.caseId}`}>{v}</Link> : v) }] : []),
        { title: t('末次暴露', 'Last exposure'), dataIndex: 'lastExposureOn' },
        {
          title: t('观察进度', 'Observation'), key: 'day', width: 170, render: (_: unknown, r) => (
            <div data-testid="observation-day">
              <span>{dayText(r, zh)}</span>
              {!r.releasedOn && r.day > 0 && <Progress size="small" showInfo={false} percent={Math.min(100, Math.round((r.day / r.of) * 100))} />}
            </div>
          ),
        },
        {
          title: t('观察截止', 'Ends on'), dataIndex: 'endOn', render: (v: string, r) => (
            <Space size={4}>{v}{r.overridden && <Tooltip title={t('人工调整的日期，可恢复为计算日期', 'Set by hand; can be reverted')}><Tag color="purple">{t('已调整', 'Overridden')}</Tag></Tooltip>}</Space>
          ),
        },
        { title: t('可解除日期', 'Releasable from'), dataIndex: 'releasableFrom', render: (v: string, r) => (!r.releasedOn && v <= today ? <Tag color="green">{v}</Tag> : v) },
        { title: t('解除日期', 'Released on'), dataIndex: 'releasedOn', render: (v: string | null) => v ?? '—' },
        { title: t('社区', 'Community'), dataIndex: 'communityName', render: (v: string | null | undefined) => v ?? '—' },
        { title: '', key: 'open', render: (_: unknown, r) => <Button size="small" onClick={() => onOpen(r)} aria-label={`${t('详情', 'Details')} ${r.maskedName}`}>{t('详情', 'Details')}</Button> },
      ]} />
  );
}
