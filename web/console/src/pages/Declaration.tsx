/**
 * 健康申报详情 /console/declarations/:id (permission declarations.read): GET /api/declarations/:id
 * (scoped and audited by the server; masked name) → the state, the answers and the eligibility
 * stored (components/certificates/AnswersCard.tsx), the buttons of the caller's next step
 * (ActionBar.tsx, from `actions`), the steps (StepsTimeline.tsx) and, once issued, the certificate
 * (CertificatePanel.tsx).
 */
import { Alert, Button, Card, Descriptions, Result, Space, Tag } from 'antd';
import { ApiError, get } from '../api';
import { useLang, useT } from '../i18n';
import { ErrorBanner, PageTitle, useAsync } from '../components/common';
import { navigate } from '../router';
import { useAreaNames } from '../components/arrivals/useAreaNames';
import { ActionBar } from '../components/certificates/ActionBar';
import { AnswersCard } from '../components/certificates/AnswersCard';
import { CertificatePanel } from '../components/certificates/CertificatePanel';
import { StepsTimeline } from '../components/certificates/StepsTimeline';
import { stateColor, stateShort, type DeclarationDetail } from '../components/certificates/model';

export default function DeclarationPage({ params }: { params: Record<string, string> }) {
  const t = useT();
  const { lang } = useLang();
  const id = params.id ?? '';
  const rec = useAsync(() => get<DeclarationDetail>(`/api/declarations/${encodeURIComponent(id)}`), [id]);
  const d = rec.data;
  const decl = d?.declaration;
  const names = useAreaNames(decl ? [decl.communityCode] : []);
  const back = <Button onClick={() => navigate('/declarations')}>{t('返回列表', 'Back')}</Button>;

  if (rec.error instanceof ApiError && (rec.error.status === 404 || rec.error.status === 400)) {
    return <Result status="404" title={rec.error.message} extra={back} />;
  }
  return (
    <div>
      <PageTitle title={decl ? `${t('健康申报', 'Health declaration')} · ${decl.maskedName}` : t('健康申报', 'Health declaration')} extra={back}>
        {t('查看申报记入审计日志', 'Opening a declaration is audited')}
      </PageTitle>
      <ErrorBanner error={rec.error} onRetry={rec.reload} />
      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        <Card loading={rec.loading && !d} title={t('办理状态', 'State')}>
          {decl && (
            <>
              <Descriptions column={{ xs: 1, md: 3 }} bordered size="small" style={{ marginBottom: 16 }} items={[
                {
                  key: 'state', label: t('状态', 'State'), children: (
                    <span><Tag color={stateColor(decl.state)} data-testid="declaration-state">{stateShort(decl.state, lang)}</Tag>
                      {decl.stateLabel[lang] !== stateShort(decl.state, lang) && decl.stateLabel[lang]}</span>
                  ),
                },
                { key: 'community', label: t('社区', 'Community'), children: names[decl.communityCode] ?? decl.communityCode },
                { key: 'updated', label: t('更新时间', 'Updated'), children: decl.updatedAtChina },
              ]} />
              {(decl.state === 'returned' || decl.state === 'refused') && decl.returnReason && (
                <Alert type="warning" showIcon style={{ marginBottom: 16 }} title={decl.state === 'returned'
                  ? t(`已退回：${decl.returnReason}`, `Returned: ${decl.returnReason}`) : t(`不予出具：${decl.returnReason}`, `Not issued: ${decl.returnReason}`)} />
              )}
              <ActionBar detail={d!} onDone={(next) => (next ? rec.setData(next) : rec.reload())} />
            </>
          )}
        </Card>
        {d?.certificate && <CertificatePanel cert={d.certificate} />}
        {decl && <AnswersCard d={decl} />}
        {d && <StepsTimeline steps={d.steps} />}
      </Space>
    </div>
  );
}
