/**
 * The table of health declarations (/declarations): masked name linking to the declaration, state
 * tag (short label, the server's long label as tooltip), community (name looked up), submitted by
 * the resident or entered by staff, and the last change in China time.
 */
import { Table, Tag, Tooltip } from 'antd';
import { useLang, useT } from '../../i18n';
import { Link } from '../../router';
import { useAreaNames } from '../arrivals/useAreaNames';
import { stateColor, stateShort, type DeclarationView } from './model';

export function DeclarationTable({ rows, loading, emptyText }: { rows: DeclarationView[]; loading: boolean; emptyText: string }) {
  const t = useT();
  const { lang } = useLang();
  const names = useAreaNames(rows.map((r) => r.communityCode));
  return (
    <div data-testid="declaration-table">
      <Table<DeclarationView> rowKey="id" size="middle" loading={loading} dataSource={rows} scroll={{ x: 900 }}
        locale={{ emptyText }} pagination={{ pageSize: 50, hideOnSinglePage: true, showTotal: (n) => t(`共 ${n} 份`, `${n} declarations`) }}
        columns={[
          { title: t('姓名', 'Name'), dataIndex: 'maskedName', render: (v: string, r) => <Link to={`/declarations/${r.id}`}>{v}</Link> },
          {
            title: t('状态', 'State'), dataIndex: 'state', render: (v: string, r) => (
              <Tooltip title={r.stateLabel[lang]}><Tag color={stateColor(v)}>{stateShort(v, lang)}</Tag></Tooltip>
            ),
          },
          { title: t('社区', 'Community'), dataIndex: 'communityCode', render: (v: string) => names[v] ?? v },
          { title: t('申报方式', 'Submitted via'), dataIndex: 'submittedVia', render: (v: string) => (v === 'staff' ? t('工作人员代报', 'Entered by staff') : t('本人网上申报', 'Online by the resident')) },
          { title: t('提交时间', 'Submitted'), dataIndex: 'createdAtChina' },
          { title: t('更新时间', 'Updated'), dataIndex: 'updatedAtChina' },
        ]} />
    </div>
  );
}
