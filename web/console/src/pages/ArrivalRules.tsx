/**
 * 报到管控规则 /console/arrival-rules (permission arrival_rules.manage): the rule table covering or
 * inside the account's area (GET /api/arrival-rules, retired rules too on request) and 变更规则
 * (components/arrivals/RuleChange.tsx: preview exactly whose measure changes, then apply with a
 * reason). Rules are never edited: a change adds a rule and/or retires rules.
 */
import { useState } from 'react';
import { Alert, Button, Card, Checkbox, Space } from 'antd';
import { get, qs } from '../api';
import { useT } from '../i18n';
import { ErrorBanner, PageTitle, useAsync, useEmptyText } from '../components/common';
import { RuleTable } from '../components/arrivals/RuleTable';
import { RuleChange } from '../components/arrivals/RuleChange';
import type { RuleView } from '../components/arrivals/model';
import { useAreaNames } from '../components/arrivals/useAreaNames';
import { useSession } from '../session';

export default function ArrivalRulesPage() {
  const t = useT();
  const empty = useEmptyText();
  const { can } = useSession();
  const [all, setAll] = useState(false);
  const [changing, setChanging] = useState(false);
  const [applied, setApplied] = useState<number | null>(null);
  const res = useAsync(() => get<{ rules: RuleView[] }>(`/api/arrival-rules${qs({ all: all ? 'true' : undefined })}`).then((r) => r.rules), [all]);
  const rules = res.data ?? [];
  const names = useAreaNames(rules.map((r) => r.areaCode));

  return (
    <div>
      <PageTitle title={t('报到管控规则', 'Arrival rules')}
        extra={can('arrival_rules.manage') && <Button type="primary" onClick={() => { setApplied(null); setChanging(true); }}>{t('变更规则', 'Change rules')}</Button>}>
        {t('按来源地、返回事由确定报到人员的管控措施；优先级高者优先，其次区划代码前缀更长者、更新者优先',
          'A report gets the measure of the matching rule: highest priority first, then the longest origin prefix, then the newest')}
      </PageTitle>
      {applied !== null && (
        <Alert type="success" showIcon closable style={{ marginBottom: 16 }} role="status" onClose={() => setApplied(null)}
          title={t(`规则变更已应用，${applied} 人的管控措施已调整`, `The change is applied: ${applied} people's measures changed`)} />
      )}
      <ErrorBanner error={res.error} onRetry={res.reload} />
      <Card>
        <Space style={{ marginBottom: 12 }}>
          <Checkbox checked={all} onChange={(e) => setAll(e.target.checked)}>{t('显示已停用的规则', 'Show retired rules')}</Checkbox>
        </Space>
        <RuleTable rules={rules} loading={res.loading} names={names} emptyText={empty(res.error, t('还没有报到规则：报到人员均为“无需管控”', 'No rules yet: every report gets “no measure”'))} />
      </Card>
      <RuleChange open={changing} rules={rules} onClose={() => setChanging(false)}
        onApplied={(n) => { setChanging(false); setApplied(n); res.reload(); }} />
    </div>
  );
}
