/**
 * 通行记录 (permission checkins.read): search check-ins by area, place, person name and China
 * dates (GET /api/checkins, audited by the server), and export the same filter as CSV or XLSX
 * (GET /api/checkins/export, permission checkins.export, formula-safe and audited). 仅进入人次
 * (kind=entries) lists exactly the entries the dashboard counts (a two-way check once); the
 * dashboard links here with placeId/areaCode, from, to and kind in the URL. The person's name is
 * the only person filter in the URL; no ID number or phone is ever put there. 双向核验 shows the
 * two-way check a row is half of (issue 3 §3), a readings' gap over TWO_WAY_TEMP_GAP_C in red.
 */
import { useState } from 'react';
import { App, Button, Card, Segmented, Space, Table, Tag } from 'antd';
import { download, errorMessage, get, qs } from '../api';
import { useLang, useT } from '../i18n';
import { chinaDateTime, directionLabel, formatTemp, refusalLabel } from '../format';
import { AreaSelect } from '../components/AreaSelect';
import { PlaceSelect } from '../components/PlaceSelect';
import { DateRange, lastDays, type Range } from '../components/DateRange';
import { ErrorBanner, useEmptyText, PageTitle, useAsync, NameSearch } from '../components/common';
import { Link } from '../router';
import { useSession } from '../session';

interface Row {
  id: string; at: string; personId: string; maskedName: string; docMasked: string; placeName: string; checkpointName: string;
  direction: string; temperature: number | null; outcome: string; refusal: string | null; source: string;
  /** The two-way check this row is half of (the resident's scan + the guard's scan), with the readings' gap. */
  twoWay: { gapC: number | null; flagged: boolean } | null;
}
type Kind = 'all' | 'entries';
interface Filter { areaCode?: string; placeId?: string; q: string; range: Range; kind: Kind }

const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** The filter a link opened the page with (the dashboard's entry figures), else the last 7 days. */
function filterFromUrl(): Filter {
  const u = new URLSearchParams(window.location.search);
  const from = u.get('from'); const to = u.get('to');
  return {
    placeId: u.get('placeId') ?? undefined, areaCode: u.get('areaCode') ?? undefined, q: '',
    range: from && to && DATE.test(from) && DATE.test(to) ? { from, to } : lastDays(7),
    kind: u.get('kind') === 'entries' ? 'entries' : 'all',
  };
}

export default function CheckinsPage() {
  const t = useT();
  const empty = useEmptyText();
  const { lang } = useLang();
  const { can } = useSession();
  const { message } = App.useApp();
  const [filter, setFilter] = useState<Filter>(filterFromUrl);
  const [name, setName] = useState('');
  const [page, setPage] = useState({ current: 1, pageSize: 50 });
  const [exporting, setExporting] = useState<string | null>(null);
  const params = { areaCode: filter.areaCode, placeId: filter.placeId, q: filter.q || undefined, from: filter.range.from, to: filter.range.to,
    kind: filter.kind === 'entries' ? 'entries' : undefined };
  const res = useAsync(() => get<{ total: number; rows: Row[] }>(`/api/checkins${qs({ ...params, limit: page.pageSize, offset: (page.current - 1) * page.pageSize })}`),
    [JSON.stringify(params), page.current, page.pageSize]);
  const set = (patch: Partial<Filter>) => { setFilter((f) => ({ ...f, ...patch })); setPage((p) => ({ ...p, current: 1 })); };

  const exportAs = async (format: 'csv' | 'xlsx') => {
    setExporting(format);
    try {
      await download(`/api/checkins/export${qs({ ...params, format })}`, `checkins.${format}`);
      message.success(t('导出完成（已记入审计日志）', 'Exported (recorded in the audit log)'));
    } catch (e) { message.error(errorMessage(e)); } finally { setExporting(null); }
  };

  return (
    <div>
      <PageTitle title={t('通行记录', 'Check-ins')}
        extra={can('checkins.export') && <>
          <Button loading={exporting === 'xlsx'} onClick={() => void exportAs('xlsx')}>{t('导出 Excel', 'Export XLSX')}</Button>
          <Button loading={exporting === 'csv'} onClick={() => void exportAs('csv')}>{t('导出 CSV', 'Export CSV')}</Button>
        </>}>
        {t('每次查询和导出均记入审计日志；时间为中国标准时间', 'Every search and export is audited; times are China Standard Time')}
      </PageTitle>
      <Card style={{ marginBottom: 16 }}>
        <Space wrap>
          <AreaSelect value={filter.areaCode} onChange={(v) => set({ areaCode: v, placeId: undefined })} aria-label={t('区域', 'Area')} />
          <PlaceSelect value={filter.placeId} areaCode={filter.areaCode} onChange={(v) => set({ placeId: v })} />
          <NameSearch text={name} onText={setName} onSearch={(v) => set({ q: v })} width={220} />
          <DateRange value={filter.range} onChange={(range) => set({ range })} />
          <Segmented<Kind> aria-label={t('记录范围', 'Records')} value={filter.kind} onChange={(kind) => set({ kind })}
            options={[{ value: 'all', label: t('全部记录', 'All records') }, { value: 'entries', label: t('仅进入人次', 'Entries only') }]} />
        </Space>
      </Card>
      <ErrorBanner error={res.error} onRetry={res.reload} />
      <Card>
        <Table<Row> rowKey="id" size="middle" loading={res.loading} dataSource={res.data?.rows ?? []} scroll={{ x: 1000 }}
          locale={{ emptyText: empty(res.error, t('没有符合条件的通行记录', 'No check-ins match')) }}
          pagination={{ ...page, total: res.data?.total ?? 0, showSizeChanger: true, pageSizeOptions: [20, 50, 100, 200],
            showTotal: (n) => t(`共 ${n} 条`, `${n} in total`), onChange: (current, pageSize) => setPage({ current, pageSize }) }}
          columns={[
            { title: t('时间', 'Time'), dataIndex: 'at', width: 170, render: (v: string) => chinaDateTime(v) },
            { title: t('姓名', 'Name'), dataIndex: 'maskedName', render: (v: string, r) => (can('persons.read') ? <Link to={`/persons/${r.personId}`}>{v}</Link> : v) },
            { title: t('证件号码', 'Document'), dataIndex: 'docMasked' },
            { title: t('场所', 'Place'), dataIndex: 'placeName' },
            { title: t('卡点', 'Gate'), dataIndex: 'checkpointName' },
            { title: t('方向', 'Direction'), dataIndex: 'direction', render: (v: string) => directionLabel(v, lang) },
            { title: t('体温', 'Temp.'), dataIndex: 'temperature', render: (v: number | null) => formatTemp(v) },
            { title: t('结果', 'Result'), dataIndex: 'outcome', render: (v: string, r) => (v === 'pass' ? <Tag color="green">{t('通行', 'Pass')}</Tag>
              : <Tag color="red">{t('禁止通行', 'Refused')}{r.refusal ? `·${refusalLabel(r.refusal, lang)}` : ''}</Tag>) },
            { title: t('来源', 'Source'), dataIndex: 'source', render: (v: string) => (v === 'guard' ? t('值守登记', 'Guard') : t('扫码', 'Scan')) },
            { title: t('双向核验', 'Two-way'), dataIndex: 'twoWay', render: (v: Row['twoWay']) => (!v ? '—' : v.flagged
              ? <Tag color="red" data-testid="two-way-flagged">{t(`温差 ${v.gapC}℃，需复测`, `Gap ${v.gapC} °C: re-measure`)}</Tag>
              : <Tag color="blue">{v.gapC === null ? t('已双向核验', 'Checked both ways') : t(`已双向核验（温差 ${v.gapC}℃）`, `Both ways (gap ${v.gapC} °C)`)}</Tag>) },
          ]} />
      </Card>
    </div>
  );
}
