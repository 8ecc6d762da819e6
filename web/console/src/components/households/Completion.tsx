/**
 * Completion of a screening campaign: one progress bar for the community and one per building,
 * "visited / households" beside each (figures from the server, see src/modules/households/completion.ts).
 */
import { Card, Col, Progress, Row, Typography } from 'antd';
import { useT } from '../../i18n';
import { shownPercent, type BuildingFigure, type Figure } from './model';

function Bar({ label, f, testId, big }: { label: string; f: Figure; testId: string; big?: boolean }) {
  const t = useT();
  const p = shownPercent(f);
  return (
    <div data-testid={testId} style={{ marginBottom: 12 }}>
      <div style={{ display: 'flex', justifyContent: 'space-between', gap: 8 }}>
        <Typography.Text strong={big}>{label}</Typography.Text>
        <Typography.Text type="secondary">{t(`已走访 ${f.visited} / ${f.households} 户`, `${f.visited} of ${f.households} visited`)}</Typography.Text>
      </div>
      <Progress percent={p} format={() => `${p}%`} status={p === 100 ? 'success' : 'active'} size={big ? 'default' : 'small'}
        aria-label={`${label} ${p}%`} />
    </div>
  );
}

export function Completion({ community, buildings }: { community: Figure; buildings: BuildingFigure[] }) {
  const t = useT();
  return (
    <Card title={t('完成情况', 'Completion')}>
      <Bar label={t('全社区', 'Whole community')} f={community} testId="completion-community" big />
      <Row gutter={24}>
        {buildings.map((b) => (
          <Col key={b.buildingId ?? 'none'} xs={24} md={12} xl={8}>
            <Bar label={b.buildingName ?? t('无楼栋住户', 'Households without a building')} f={b} testId="completion-building" />
          </Col>
        ))}
      </Row>
    </Card>
  );
}
