/**
 * 住户与排查 /console/households (permission households.manage): pick a community (the account's
 * own when it is one; kept in `?community=` so 返回 from a campaign lands here again), its buildings
 * (components/households/BuildingsCard), the households of the chosen building or of all
 * (GET /api/households?communityCode&buildingId; members masked by the server), 新增住户
 * (HouseholdForm), a household's drawer with members and door sensors (HouseholdDrawer), and the
 * community's screening campaigns (CampaignsCard → /screening/:id).
 */
import { useState } from 'react';
import { App, Alert, Button, Card, Col, Row, Space, Table, Tag } from 'antd';
import { get, qs } from '../api';
import { useLang, useT } from '../i18n';
import { useStaff } from '../session';
import { AreaSelect } from '../components/AreaSelect';
import { ErrorBanner, PageTitle, useAsync, useEmptyText } from '../components/common';
import { BuildingsCard } from '../components/households/BuildingsCard';
import { CampaignsCard } from '../components/households/CampaignsCard';
import { HouseholdDrawer } from '../components/households/HouseholdDrawer';
import { HouseholdForm } from '../components/households/HouseholdForm';
import { householdAddress, occupancyColour, occupancyLabel, type Building, type Household } from '../components/households/model';

const isCommunity = (c: string | null | undefined): c is string => !!c && /^\d{12}$/.test(c);

function initialCommunity(own: string): string | undefined {
  const fromUrl = new URLSearchParams(window.location.search).get('community');
  if (isCommunity(fromUrl)) return fromUrl;
  return isCommunity(own) ? own : undefined;
}

export default function HouseholdsPage() {
  const t = useT();
  const { lang } = useLang();
  const { message } = App.useApp();
  const empty = useEmptyText();
  const staff = useStaff();
  const [community, setCommunity] = useState<string | undefined>(() => initialCommunity(staff.areaCode));
  const [buildingId, setBuildingId] = useState<string | null>(null);
  const [openId, setOpenId] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const buildings = useAsync(() => get<{ buildings: Building[] }>(`/api/buildings${qs({ communityCode: community })}`).then((r) => r.buildings), [community], !!community);
  const households = useAsync(() => get<{ households: Household[] }>(`/api/households${qs({ communityCode: community, buildingId })}`).then((r) => r.households),
    [community, buildingId], !!community);
  const pickCommunity = (c: string | undefined) => {
    setCommunity(c); setBuildingId(null); setOpenId(null);
    const url = new URL(window.location.href);
    if (c) url.searchParams.set('community', c); else url.searchParams.delete('community');
    window.history.replaceState(null, '', url.pathname + url.search);
  };
  const changed = () => { households.reload(); buildings.reload(); };
  const rows = households.data ?? [];
  const open = rows.find((h) => h.id === openId) ?? null;
  const bs = buildings.data ?? [];

  return (
    <div>
      <PageTitle title={t('住户与排查', 'Households & screening')}>
        {t('楼栋、住户与成员，电子门磁，排查/清零行动；住户名单的查看和修改记入审计日志',
          'Buildings, households and members, door sensors, screening campaigns; reading and changing households is audited')}
      </PageTitle>
      <Card style={{ marginBottom: 16 }}>
        <Space wrap>
          <span>{t('社区/村', 'Community')}</span>
          <AreaSelect communityOnly value={community} onChange={pickCommunity} allowClear={false} aria-label={t('社区/村', 'Community')} style={{ minWidth: 280 }} />
        </Space>
      </Card>
      {!community ? (
        <Alert type="info" showIcon title={t('请先选择一个社区/村', 'Choose a community first')} />
      ) : (
        <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
          <ErrorBanner error={buildings.error} onRetry={buildings.reload} />
          <Row gutter={[16, 16]}>
            <Col xs={24} lg={6}>
              <BuildingsCard communityCode={community} buildings={bs} loading={buildings.loading} selected={buildingId}
                onSelect={setBuildingId} onAdded={(b) => { buildings.reload(); setBuildingId(b.id); }} />
            </Col>
            <Col xs={24} lg={18}>
              <Card title={buildingId ? bs.find((b) => b.id === buildingId)?.name ?? t('住户', 'Households') : t('全部住户', 'All households')}
                extra={<Button type="primary" onClick={() => setCreating(true)}>{t('新增住户', 'New household')}</Button>}>
                <ErrorBanner error={households.error} onRetry={households.reload} />
                <Table<Household> rowKey="id" size="middle" loading={households.loading} dataSource={rows} scroll={{ x: 760 }}
                  pagination={{ pageSize: 50, hideOnSinglePage: true, showTotal: (n) => t(`共 ${n} 户`, `${n} households`) }}
                  locale={{ emptyText: empty(households.error, t('还没有住户，请新增', 'No households yet: add one')) }}
                  onRow={(r) => ({ onClick: () => setOpenId(r.id), style: { cursor: 'pointer' } })}
                  columns={[
                    { title: t('门牌', 'Address'), render: (_: unknown, r) => (
                      <Button type="link" style={{ padding: 0 }} onClick={(e) => { e.stopPropagation(); setOpenId(r.id); }}>{householdAddress(r, lang)}</Button>
                    ) },
                    { title: t('居住情况', 'Occupancy'), dataIndex: 'occupancy', render: (v: string) => <Tag color={occupancyColour(v)}>{occupancyLabel(v, lang)}</Tag> },
                    { title: t('成员', 'Members'), render: (_: unknown, r) => r.members.map((m) => m.maskedName).join('、') || '—' },
                    { title: t('租户情况', 'Tenant details'), dataIndex: 'tenantNote', ellipsis: true, render: (v: string) => v || '—' },
                    { title: t('入住日期', 'Since'), dataIndex: 'residentSince', render: (v: string | null) => v ?? '—' },
                  ]} />
              </Card>
            </Col>
          </Row>
          <CampaignsCard communityCode={community} />
        </Space>
      )}
      {community && (
        <HouseholdForm open={creating} communityCode={community} buildings={bs} household={null} defaultBuildingId={buildingId}
          onClose={() => setCreating(false)}
          onSaved={() => { setCreating(false); message.success(t('住户已添加', 'Household added')); changed(); }} />
      )}
      <HouseholdDrawer household={open} buildings={bs} onClose={() => setOpenId(null)} onChanged={changed} />
    </div>
  );
}
