/**
 * The arrival rule table (GET /api/arrival-rules): area covered, priority, origin (prefix / label),
 * circumstance (不限 when any), measure, days, note, created and retired (China time).
 */
import { Table, Tag } from 'antd';
import { useLang, useT } from '../../i18n';
import { chinaDateTime } from '../../format';
import { circumstanceLabel, measureColour, measureLabel, ruleOrigin, type RuleView } from './model';

export function RuleTable({ rules, loading, names, emptyText }: { rules: RuleView[]; loading: boolean; names: Record<string, string>; emptyText: string }) {
  const t = useT();
  const { lang } = useLang();
  return (
    <Table<RuleView> rowKey="id" size="middle" loading={loading} dataSource={rules} scroll={{ x: 1100 }} data-testid="rule-table"
      locale={{ emptyText }} pagination={{ pageSize: 50, hideOnSinglePage: true }}
      columns={[
        { title: t('适用区域', 'Area'), dataIndex: 'areaCode', render: (c: string) => names[c] ?? c },
        { title: t('优先级', 'Priority'), dataIndex: 'priority' },
        { title: t('来源地', 'Origin'), key: 'origin', render: (_: unknown, r) => ruleOrigin(r) },
        { title: t('返回事由', 'Circumstance'), dataIndex: 'circumstance', render: (v: string | null) => (v ? circumstanceLabel(v, lang) : t('不限', 'Any')) },
        { title: t('管控措施', 'Measure'), dataIndex: 'measure', render: (m: string) => <Tag color={measureColour(m)}>{measureLabel(m, lang)}</Tag> },
        { title: t('天数', 'Days'), dataIndex: 'days' },
        { title: t('备注', 'Note'), dataIndex: 'note', ellipsis: true, render: (v: string) => v || '—' },
        { title: t('创建时间', 'Created'), dataIndex: 'createdAt', render: (v: string) => chinaDateTime(v) },
        { title: t('停用时间', 'Retired'), dataIndex: 'retiredAt', render: (v: string | null) => (v ? <Tag>{chinaDateTime(v)}</Tag> : '—') },
      ]} />
  );
}
