/**
 * 病例详情 /console/cases/:id (permission cases.read): the case's facts (GET /api/cases/:id, scoped
 * and audited by the server; masked name and document), its history as a timeline (status,
 * hospitalisation, effective date, reason, who and when), the infector and the cases it infected,
 * the status change form (allowed next statuses only) and corrections (cases.manage,
 * components/epi/CaseForms.tsx), tracing with its stored results (tracing.run,
 * components/epi/TracePanel.tsx) and the case's contacts (contacts.read).
 */
import { useState } from 'react';
import { App, Button, Card, Descriptions, Result, Space, Tag, Timeline, Typography } from 'antd';
import { ApiError, get, qs } from '../api';
import { useLang, useT } from '../i18n';
import { chinaDateTime } from '../format';
import { roleLabel } from '../roles';
import { ErrorBanner, PageTitle, useAsync } from '../components/common';
import { Link, navigate } from '../router';
import { useSession } from '../session';
import { CaseCorrect, CaseStatusForm } from '../components/epi/CaseForms';
import { TracePanel } from '../components/epi/TracePanel';
import { ContactTable } from '../components/epi/ContactTable';
import { ContactDrawer } from '../components/epi/ContactDrawer';
import { caseStatusColour, caseStatusLabel, classificationLabel, type CaseDetail, type CaseLink, type CaseSummary, type ContactView } from '../components/epi/model';

function CaseTag({ l }: { l: CaseLink }) {
  const { lang } = useLang();
  return (
    <Space size={4}>
      <Link to={`/cases/${l.id}`}>{l.number}{l.maskedName ? ` ${l.maskedName}` : ''}</Link>
      {l.status && <Tag color={caseStatusColour(l.status)}>{caseStatusLabel(l.status, lang)}</Tag>}
    </Space>
  );
}

function CaseContacts({ caseId, reloadKey }: { caseId: string; reloadKey: number }) {
  const t = useT();
  const res = useAsync(() => get<{ contacts: ContactView[] }>(`/api/contacts${qs({ caseId, state: 'all' })}`).then((r) => r.contacts), [caseId, reloadKey]);
  const [openId, setOpenId] = useState<string | null>(null);
  return (
    <Card title={t('密切接触者', 'Contacts')} extra={<Link to={`/contacts?caseId=${caseId}`}>{t('在密接页查看', 'Open in Contacts')}</Link>}>
      <ErrorBanner error={res.error} onRetry={res.reload} />
      <ContactTable rows={res.data ?? []} loading={res.loading} showCase={false} onOpen={(c) => setOpenId(c.id)}
        emptyText={res.error ? t('加载失败', 'Failed to load') : t('尚无密切接触者', 'No contacts yet')} />
      <ContactDrawer id={openId} onClose={() => setOpenId(null)} onChanged={res.reload} />
    </Card>
  );
}

export default function CasePage({ params }: { params: Record<string, string> }) {
  const t = useT();
  const { lang } = useLang();
  const { can } = useSession();
  const { message } = App.useApp();
  const id = params.id ?? '';
  const rec = useAsync(() => get<CaseDetail>(`/api/cases/${encodeURIComponent(id)}`), [id]);
  const [correcting, setCorrecting] = useState(false);
  const [contactsKey, setContactsKey] = useState(0);
  const others = useAsync(() => get<{ cases: CaseSummary[] }>('/api/cases').then((r) => r.cases), [], correcting);
  const d = rec.data;
  const c = d?.case;

  if (rec.error instanceof ApiError && (rec.error.status === 404 || rec.error.status === 400)) {
    return <Result status="404" title={rec.error.message} extra={<Button onClick={() => navigate('/cases')}>{t('返回病例列表', 'Back to cases')}</Button>} />;
  }
  const events = d?.events ?? [];
  const last = events.length ? events[events.length - 1]!.effectiveOn : null;
  return (
    <div>
      <PageTitle title={c ? `${t('病例', 'Case')} ${c.number} · ${d!.person.maskedName}` : t('病例详情', 'Case')}
        extra={<>
          {c && can('cases.manage') && <Button onClick={() => setCorrecting(true)}>{t('更正病例信息', 'Correct')}</Button>}
          {d && can('persons.read') && <Button onClick={() => navigate(`/persons/${d.person.id}`)}>{t('人员档案', 'Person record')}</Button>}
          <Button onClick={() => navigate('/cases')}>{t('返回列表', 'Back')}</Button>
        </>}>
        {t('查看病例将记入审计日志', 'Opening a case is audited')}
      </PageTitle>
      <ErrorBanner error={rec.error} onRetry={rec.reload} />
      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        <Card loading={rec.loading && !d} title={t('病例信息', 'Case')}>
          {c && d && (
            <Descriptions column={{ xs: 1, md: 2 }} bordered size="small" items={[
              { key: 'status', label: t('状态', 'Status'), children: <Tag color={caseStatusColour(c.status)} data-testid="case-status">{caseStatusLabel(c.status, lang)}</Tag> },
              { key: 'hosp', label: t('住院', 'In hospital'), children: c.hospitalised ? `${t('是', 'Yes')}${c.hospital ? ` · ${c.hospital}` : ''}` : t('否', 'No') },
              { key: 'name', label: t('姓名', 'Name'), children: d.person.maskedName },
              { key: 'doc', label: t('证件', 'Document'), children: d.person.docMasked },
              { key: 'comm', label: t('现住社区', 'Home community'), children: d.person.homeCommunityName ?? c.communityName ?? '—' },
              { key: 'class', label: t('分类', 'Classification'), children: `${classificationLabel(c.classification, lang)}${c.sourceArea ? `（${c.sourceArea}）` : ''}` },
              { key: 'onset', label: t('发病日期', 'Onset'), children: c.onsetOn ?? '—' },
              { key: 'iso', label: t('隔离日期', 'Isolated'), children: c.isolatedOn ?? '—' },
              { key: 'conf', label: t('确诊日期', 'Confirmed'), children: c.confirmedOn ?? '—' },
              { key: 'cluster', label: t('聚集性疫情', 'Cluster'), children: c.cluster ?? '—' },
              { key: 'infector', label: t('传染源', 'Infected by'), children: d.infector ? <CaseTag l={d.infector} /> : '—' },
              { key: 'infected', label: t('传染给', 'Infected'), children: d.infected.length ? <Space wrap>{d.infected.map((x) => <CaseTag key={x.id} l={x} />)}</Space> : '—' },
              { key: 'contacts', label: t('密切接触者', 'Contacts'), children: t(`共 ${d.contactCounts.total} 人，观察中 ${d.contactCounts.observing}，已解除 ${d.contactCounts.released}`,
                `${d.contactCounts.total} in all, ${d.contactCounts.observing} observing, ${d.contactCounts.released} released`) },
              { key: 'note', label: t('备注', 'Note'), children: c.note || '—' },
            ]} />
          )}
        </Card>
        {c && can('cases.manage') && (
          <Card title={t('变更病例状态', 'Change the case status')}>
            <CaseStatusForm c={c} lastEffectiveOn={last} onChanged={rec.reload} />
          </Card>
        )}
        {d && (
          <Card title={t('病例记录', 'History')}>
            <Timeline items={events.map((e, i) => ({
              key: i, color: caseStatusColour(e.status),
              title: e.effectiveOn,
              content: (
                <div>
                  <Space wrap size={4}>
                    <Tag color={caseStatusColour(e.status)}>{caseStatusLabel(e.status, lang)}</Tag>
                    <span>{e.hospitalised ? t(`住院${e.hospital ? `（${e.hospital}）` : ''}`, `In hospital${e.hospital ? ` (${e.hospital})` : ''}`) : t('未住院', 'Not in hospital')}</span>
                  </Space>
                  <div>{e.reason}</div>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {`${roleLabel(e.actorRole, lang)} · ${t('记录于', 'recorded')} ${chinaDateTime(e.recordedAt)}`}
                  </Typography.Text>
                </div>
              ),
            }))} />
          </Card>
        )}
        {c && can('tracing.run') && <TracePanel c={c} onContacts={() => { setContactsKey((k) => k + 1); rec.reload(); }} />}
        {c && can('contacts.read') && <CaseContacts caseId={c.id} reloadKey={contactsKey} />}
      </Space>
      {c && can('cases.manage') && (
        <CaseCorrect c={c} open={correcting} cases={others.data ?? []} onClose={() => setCorrecting(false)}
          onSaved={() => { setCorrecting(false); message.success(t('已更正', 'Corrected')); rec.reload(); }} />
      )}
    </div>
  );
}
