/**
 * The records one figure counts (GET /api/reports/list, audited on the server), in a drawer with
 * the count and a CSV download (GET /api/reports/export, the same predicate: one line per row).
 * Names are masked by the server.
 */
import { App, Button, Drawer, Space, Table, Tag, Typography } from 'antd';
import { download, errorMessage, get, qs } from '../../api';
import { useLang, useT } from '../../i18n';
import { ErrorBanner, useAsync, useEmptyText } from '../common';
import { Link } from '../../router';
import type { CaseRow, ContactRow, ListAnswer } from './model';

export function FigureDrawer({ areaCode, date, figure, onClose }: { areaCode: string | undefined; date: string; figure: string | null; onClose: () => void }) {
  const t = useT();
  const { lang } = useLang();
  const empty = useEmptyText();
  const { message } = App.useApp();
  const params = { areaCode, date, figure: figure ?? undefined };
  const list = useAsync(() => get<ListAnswer>(`/api/reports/list${qs(params)}`), [areaCode, date, figure], figure !== null);
  const data = list.data;
  const title = data ? (lang === 'zh' ? data.figure.zh : data.figure.en) : t('记录', 'Records');
  const csv = async () => {
    try {
      await download(`/api/reports/export${qs(params)}`, `report-${figure}.csv`);
      message.success(t('导出完成（已记入审计日志）', 'Exported (recorded in the audit log)'));
    } catch (e) { message.error(errorMessage(e)); }
  };
  const caseColumns = [
    { title: t('病例编号', 'Case no.'), dataIndex: 'number', render: (v: string, r: CaseRow) => <Link to={`/cases/${r.id}`}>{v}</Link> },
    { title: t('姓名', 'Name'), dataIndex: 'maskedName' },
    { title: t('状态', 'Status'), dataIndex: 'statusLabel' },
    { title: t('确诊日期', 'Confirmed'), dataIndex: 'confirmedOn', render: (v: string | null) => v ?? '—' },
    { title: t('住院', 'Hospital'), dataIndex: 'hospital', render: (v: string, r: CaseRow) => (r.hospitalised ? v || t('住院', 'Yes') : '—') },
    {
      title: t('分类', 'Class'), dataIndex: 'classification',
      render: (v: string, r: CaseRow) => (<Space size={4} wrap>
        <Tag>{v === 'imported' ? `${t('输入', 'Imported')}${r.sourceArea ? `·${r.sourceArea}` : ''}` : t('本地', 'Local')}</Tag>
        {r.secondGeneration && <Tag color="orange">{t('二代', '2nd gen')}</Tag>}
        {r.cluster && <Tag color="purple">{r.cluster}</Tag>}
      </Space>),
    },
  ];
  const contactColumns = [
    { title: t('姓名', 'Name'), dataIndex: 'maskedName' },
    { title: t('类别', 'Kind'), dataIndex: 'kind', render: (v: string) => (v === 'close' ? t('密接', 'Close') : t('次密接', 'Secondary')) },
    { title: t('关联病例', 'Case'), dataIndex: 'caseNumber' },
    { title: t('末次暴露', 'Last exposure'), dataIndex: 'lastExposureOn' },
    { title: t('观察截止', 'Ends'), dataIndex: 'endOn' },
    { title: t('解除日期', 'Released'), dataIndex: 'releasedOn', render: (v: string | null) => v ?? '—' },
  ];
  return (
    <Drawer open={figure !== null} onClose={onClose} size={860} destroyOnHidden
      title={<Space wrap>{title}<Typography.Text type="secondary">{date}</Typography.Text></Space>}
      extra={<Button onClick={csv} disabled={!data}>{t('下载CSV', 'Download CSV')}</Button>}>
      <ErrorBanner error={list.error} onRetry={list.reload} />
      {data && <Typography.Paragraph>{t(`共 ${data.count} 条，与统计数一致`, `${data.count} records, the same as the figure`)}</Typography.Paragraph>}
      {data?.figure.subject === 'contact'
        ? <Table<ContactRow> rowKey="id" size="small" loading={list.loading} dataSource={data.rows as ContactRow[]} columns={contactColumns}
            pagination={{ pageSize: 50, showSizeChanger: false }} scroll={{ x: 640 }} locale={{ emptyText: empty(list.error, t('无记录', 'No records')) }} />
        : <Table<CaseRow> rowKey="id" size="small" loading={list.loading} dataSource={(data?.rows ?? []) as CaseRow[]} columns={caseColumns}
            pagination={{ pageSize: 50, showSizeChanger: false }} scroll={{ x: 640 }} locale={{ emptyText: empty(list.error, t('无记录', 'No records')) }} />}
    </Drawer>
  );
}
