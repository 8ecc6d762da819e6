/**
 * The steps of a health declaration, oldest first: the action, who took it (name and role label),
 * when (China time), the reason of a return or revocation and the doctor's assessment.
 */
import { Card, Timeline, Typography } from 'antd';
import { useLang, useT } from '../../i18n';
import { roleLabel } from '../../roles';
import { actionLabel, actorLabel, assessmentText, type StepView } from './model';

const COLORS: Record<string, string> = { return: 'orange', revoke: 'red', issue: 'green', sign: 'green' };

export function StepsTimeline({ steps }: { steps: StepView[] }) {
  const t = useT();
  const { lang } = useLang();
  return (
    <Card title={t('办理过程', 'Steps')}>
      <div data-testid="declaration-steps">
        <Timeline items={steps.map((s, i) => {
          const refused = s.action === 'assess' && s.assessment?.conclusion === 'unfit';
          return {
            key: i,
            color: refused ? 'red' : COLORS[s.action] ?? 'blue',
            title: s.atChina,
            content: (
              <div>
                <Typography.Text strong>{actionLabel(s.action, lang)}</Typography.Text>
                <Typography.Text style={{ marginLeft: 8 }}>
                  {s.actorName ? (lang === 'zh' ? `${s.actorName}（${actorLabel(s.actorRole, lang, roleLabel)}）` : `${s.actorName} (${actorLabel(s.actorRole, lang, roleLabel)})`) : actorLabel(s.actorRole, lang, roleLabel)}
                </Typography.Text>
                {s.reason && <div><Typography.Text type="secondary">{t('原因：', 'Reason: ')}</Typography.Text>{s.reason}</div>}
                {s.assessment && <div data-testid="step-assessment">{assessmentText(s.assessment, lang)}</div>}
              </div>
            ),
          };
        })} />
      </div>
    </Card>
  );
}
