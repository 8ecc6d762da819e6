/**
 * The table of key persons (/key-persons): masked name linking to the key person's page, category,
 * measure, "第 N/M 天", start and end dates, last temperature (red only when the server flags it a
 * fever: the threshold is the server's), open tasks and whether the five-for-one team is complete.
 */
import { Table, Tag, Tooltip } from 'antd';
import { useLang, useT } from '../../i18n';
import { formatTemp } from '../../format';
import { Link } from '../../router';
import { categoryLabel, dayOfText, measureLabel, teamComplete, teamRoleLabel, type KeyPersonView } from './model';

export function KeyPersonTable({ rows, loading, emptyText }: { rows: KeyPersonView[]; loading: boolean; emptyText: string }) {
  const t = useT();
  const { lang } = useLang();
  return (
    <Table<KeyPersonView> rowKey="id" size="middle" loading={loading} dataSource={rows} scroll={{ x: 1100 }}
      locale={{ emptyText }} pagination={{ pageSize: 50, hideOnSinglePage: true, showTotal: (n) => t(`共 ${n} 人`, `${n} persons`) }}
      columns={[
        { title: t('姓名', 'Name'), dataIndex: 'maskedName', render: (v: string, r) => <Link to={`/key-persons/${r.id}`}>{v}</Link> },
        { title: t('类别', 'Category'), dataIndex: 'category', render: (v: string) => categoryLabel(v, lang) },
        { title: t('管控措施', 'Measure'), dataIndex: 'measure', render: (v: string) => measureLabel(v, lang) },
        {
          title: t('进度', 'Progress'), key: 'day', render: (_: unknown, r) => (
            <span data-testid="kp-day">{r.state === 'closed' ? t(`已解除（${r.closedOn ?? ''}）`, `Closed (${r.closedOn ?? ''})`) : dayOfText(r, lang)}</span>
          ),
        },
        { title: t('开始日期', 'Start'), dataIndex: 'startOn' },
        { title: t('截止日期', 'Ends on'), dataIndex: 'endOn', render: (v: string | null) => v ?? t('未定', 'Open-ended') },
        {
          title: t('最近体温', 'Last temperature'), key: 'temp', render: (_: unknown, r) => (
            r.lastTemperature === null ? '—' : (
              <Tooltip title={r.lastReportOn}>
                <span data-testid="kp-temp" style={r.lastFever ? { color: '#cf1322', fontWeight: 600 } : undefined}>{formatTemp(r.lastTemperature)}</span>
              </Tooltip>
            )
          ),
        },
        { title: t('待办任务', 'Open tasks'), dataIndex: 'openTasks', render: (v: number) => <span data-testid="kp-open-tasks">{v ? <Tag color="orange">{v}</Tag> : 0}</span> },
        {
          title: t('五包一', 'Team of five'), key: 'team', render: (_: unknown, r) => {
            const missing = ['street_cadre', 'community_worker', 'doctor', 'police', 'counsellor'].filter((x) => !r.team.some((m) => m.role === x));
            return teamComplete(r.team) ? <Tag color="green">{t('已落实', 'Complete')}</Tag> : (
              <Tooltip title={`${t('缺', 'Missing')}: ${missing.map((m) => teamRoleLabel(m, lang)).join(t('、', ', '))}`}>
                <Tag color="red">{r.team.length ? t(`缺 ${missing.length} 人`, `${missing.length} missing`) : t('未分配', 'None')}</Tag>
              </Tooltip>
            );
          },
        },
      ]} />
  );
}
