/**
 * 卡点值守 (route /console/gate, permission gate.operate): the guard's console on a tablet or
 * phone. Open fever alerts of this checkpoint in a big red panel (live, no reload), the no-phone
 * registration/check-in form, and the live list of entries and exits; a link to the scanner
 * of pass codes and cards (/gate, web/gate/).
 */
import { Alert, Button, Col, Row, Space, Typography } from 'antd';
import { useT } from '../i18n';
import { useSession } from '../session';
import { Link } from '../router';
import { useLiveStatus } from '../events';
import { useCallback, useEffect, useState } from 'react';
import { FeverAlertList, useOpenAlerts } from '../components/alerts';
import { CheckpointPicker, useGateCheckpoint } from '../components/CheckpointPicker';
import { ErrorBanner } from '../components/common';
import { GateLiveList, useLiveCheckins } from './GateLiveList';
import { GateRegister } from './GateRegister';

type Learn = (names: { placeName: string; checkpointName: string }) => void;

function GateBody({ checkpointId, communityCode, onLearn }: { checkpointId: string; communityCode: string | null; onLearn: Learn }) {
  const t = useT();
  const { can } = useSession();
  const alerts = useOpenAlerts(checkpointId);
  const live = useLiveCheckins(checkpointId);
  // A guard's post comes as an id only: the live list's answer names it.
  useEffect(() => { if (live.post) onLearn(live.post); }, [live.post, onLearn]);
  const others = alerts.all.filter((a) => !a.resolvedAt && a.checkpointId !== checkpointId).length;
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} xl={13}>
        <section aria-label={t('发热预警', 'Fever alerts')}>
          {can('alerts.handle') && <ErrorBanner error={alerts.error} onRetry={alerts.reload} />}
          <FeverAlertList alerts={alerts.alerts} onDone={() => { alerts.reload(); live.reload(); }}
            emptyText={alerts.loading || alerts.error ? undefined : t('本卡点暂无待处置的发热预警', 'No open fever alert at this checkpoint')} />
          {others > 0 && (
            <Alert type="warning" showIcon role="status" style={{ marginBottom: 16 }}
              title={<span>{t(`本辖区其他卡点还有 ${others} 条未处置的发热预警`, `${others} open fever alert(s) at other checkpoints`)} <Link to="/alerts">{t('查看', 'View')}</Link></span>} />
          )}
        </section>
        <GateRegister checkpointId={checkpointId} communityCode={communityCode} onCheckedIn={live.add} />
      </Col>
      <Col xs={24} xl={11}>
        <GateLiveList live={live} />
      </Col>
    </Row>
  );
}

export default function GatePage() {
  const t = useT();
  const status = useLiveStatus();
  const { can } = useSession();
  const mayPick = can('places.manage') || can('checkins.read');
  const { checkpoint, fixed, choose } = useGateCheckpoint();
  const [learned, setLearned] = useState<{ placeName: string; checkpointName: string } | null>(null);
  const learn = useCallback<Learn>((n) => setLearned((o) => (o?.placeName === n.placeName && o.checkpointName === n.checkpointName ? o : n)), []);
  const names = checkpoint?.placeName ? { placeName: checkpoint.placeName, checkpointName: checkpoint.name ?? '' } : learned;
  const title = names ? `${names.placeName} · ${names.checkpointName}` : fixed ? t('本岗卡点', 'My checkpoint') : null;
  return (
    <div>
      <div style={{ display: 'flex', flexWrap: 'wrap', alignItems: 'center', justifyContent: 'space-between', gap: 8, marginBottom: 16 }}>
        <div>
          <Typography.Title level={3} style={{ margin: 0 }}>{t('卡点值守', 'Gate')}{title ? ` · ${title}` : ''}</Typography.Title>
          <Typography.Text type="secondary">{t('体温 ≥ 37.3℃ 自动禁止通行并报警；无手机人员可凭身份证登记通行', 'A reading ≥ 37.3 °C is refused and raises an alert; persons without a phone register from their ID card')}</Typography.Text>
        </div>
        {/* the offline scanner of pass codes and cards (web/gate, an installable PWA) */}
        <Button type="primary" size="large" href="/gate">{t('扫码核验（可离线）', 'Scan codes (works offline)')}</Button>
        {!fixed && (
          <Space wrap>
            <CheckpointPicker value={checkpoint} onPick={choose} />
            {checkpoint && <Button onClick={() => choose(null)}>{t('更换卡点', 'Change checkpoint')}</Button>}
          </Space>
        )}
      </div>
      {status === 'offline' && (
        <Alert type="error" showIcon role="status" style={{ marginBottom: 16 }}
          title={t('实时连接中断：新的通行记录和发热预警暂时不会自动出现，正在重连…', 'Live connection lost: new entries and alerts will not appear until it reconnects…')} />
      )}
      {checkpoint
        ? <GateBody key={checkpoint.id} checkpointId={checkpoint.id} communityCode={checkpoint.communityCode} onLearn={learn} />
        : mayPick && <Alert type="info" showIcon role="status" title={t('请先选择要值守的场所和卡点', 'Choose the place and checkpoint you are guarding')} />}
    </div>
  );
}
