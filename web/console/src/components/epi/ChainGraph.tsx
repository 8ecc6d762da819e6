/**
 * 传播链: the transmission chains of the area (GET /api/cases/graph, permission cases.read) as an
 * ECharts force-layout graph: one node a case coloured by its status, an arrow infector → case,
 * clusters as categories (legend), node size by its number of contacts. Clicking a case opens it;
 * an infector outside the account's scope is shown by its number only and does not open.
 * A table of the same edges follows the graph for screen readers.
 */
import { useEffect, useMemo, useRef } from 'react';
import * as echarts from 'echarts/core';
import { GraphChart } from 'echarts/charts';
import { LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { Card, Empty, Space, Table, Tag, Typography } from 'antd';
import { get, qs } from '../../api';
import { useLang, useT } from '../../i18n';
import { ErrorBanner, useAsync } from '../common';
import { Link, navigate } from '../../router';
import { CASE_STATUS_KEYS, caseStatusColour, caseStatusLabel, type CaseGraph, type GraphNode } from './model';
import { graphOption } from './logic';

echarts.use([GraphChart, LegendComponent, TooltipComponent, CanvasRenderer]);

function GraphCanvas({ graph, label }: { graph: CaseGraph; label: string }) {
  const { lang } = useLang();
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const openable = useMemo(() => new Set(graph.nodes.filter((n) => !n.outside && n.maskedName !== null).map((n) => n.id)), [graph]);
  const openRef = useRef(openable);
  openRef.current = openable;
  useEffect(() => {
    if (!el.current) return;
    const c = echarts.init(el.current);
    chart.current = c;
    c.on('click', (p) => {
      const id = (p.data as { id?: string } | undefined)?.id;
      if (p.dataType === 'node' && id && openRef.current.has(id)) navigate(`/cases/${id}`);
    });
    const ro = new ResizeObserver(() => c.resize());
    ro.observe(el.current);
    return () => { ro.disconnect(); c.dispose(); chart.current = null; };
  }, []);
  useEffect(() => { chart.current?.setOption(graphOption(graph, lang), true); }, [graph, lang]);
  return <div ref={el} role="img" aria-label={label} data-testid="chain-graph" style={{ width: '100%', height: 520 }} />;
}

export function ChainGraph({ areaCode }: { areaCode?: string }) {
  const t = useT();
  const { lang } = useLang();
  const res = useAsync(() => get<CaseGraph>(`/api/cases/graph${qs({ areaCode })}`), [areaCode]);
  const g = res.data;
  const byId = useMemo(() => new Map((g?.nodes ?? []).map((n) => [n.id, n])), [g]);
  const links = (g?.edges ?? []).map((e) => ({ key: `${e.from}-${e.to}`, from: byId.get(e.from), to: byId.get(e.to) }));
  return (
    <Card loading={res.loading && !g}>
      <ErrorBanner error={res.error} onRetry={res.reload} />
      <Space wrap style={{ marginBottom: 8 }}>
        {CASE_STATUS_KEYS.map((s) => <Tag key={s} color={caseStatusColour(s)}>{caseStatusLabel(s, lang)}</Tag>)}
        <Typography.Text type="secondary">{t('箭头由传染源指向被传染者；点击病例查看详情', 'Arrows point from infector to case; click a case to open it')}</Typography.Text>
      </Space>
      {g && g.nodes.length === 0
        ? <Empty description={t('本辖区暂无病例', 'No cases in this area')} />
        : g && <GraphCanvas graph={g} label={t(`传播链图：${g.nodes.length} 个病例，${g.edges.length} 条传播关系`, `Chain graph: ${g.nodes.length} cases, ${g.edges.length} links`)} />}
      {g && g.edges.length > 0 && (
        <Table size="small" rowKey="key" style={{ marginTop: 12 }} dataSource={links} pagination={false} title={() => t('传播关系', 'Transmission links')}
          columns={[
            { title: t('传染源', 'Infector'), render: (_: unknown, r) => <NodeLink n={r.from} /> },
            { title: t('被传染者', 'Case'), render: (_: unknown, r) => <NodeLink n={r.to} /> },
          ]} />
      )}
    </Card>
  );
}

function NodeLink({ n }: { n: GraphNode | undefined }) {
  const { lang } = useLang();
  if (!n) return <span>—</span>;
  const text = `${n.number}${n.maskedName ? ` ${n.maskedName}` : ''}`;
  return (
    <Space size={4}>
      {!n.outside && n.maskedName !== null ? <Link to={`/cases/${n.id}`}>{text}</Link> : <span>{text}</span>}
      {n.status && <Tag color={caseStatusColour(n.status)}>{caseStatusLabel(n.status, lang)}</Tag>}
    </Space>
  );
}
