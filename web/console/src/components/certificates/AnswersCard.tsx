/**
 * The answers of a health declaration (the resident's form or the staff entry): residence for the
 * last 14 days as a table, travel, contacts, symptoms, destination and purpose, the
 * acknowledgement's time, and the eligibility the server stored when it was submitted.
 */
import { Card, Descriptions, Table, Tag } from 'antd';
import { useLang, useT } from '../../i18n';
import { readAnswers, symptomLabel, type DeclarationDetail } from './model';

export function AnswersCard({ d }: { d: DeclarationDetail['declaration'] }) {
  const t = useT();
  const { lang } = useLang();
  const a = readAnswers(d.answers);
  const e = d.eligibility;
  const yesNo = (v: boolean) => (v ? <Tag color="red">{t('是', 'Yes')}</Tag> : t('否', 'No'));
  return (
    <Card title={t('申报内容', 'Answers')} data-testid="declaration-answers">
      <Descriptions column={{ xs: 1, md: 2 }} bordered size="small" style={{ marginBottom: 16 }} items={[
        { key: 'dest', label: t('目的地', 'Destination'), children: a.destination || '—' },
        { key: 'purpose', label: t('出行事由', 'Purpose'), children: a.purpose || '—' },
        { key: 'travel', label: t('近 14 天旅行史', 'Travel, last 14 days'), children: a.travel || t('无', 'None'), span: 2 },
        { key: 'cases', label: t('接触确诊或疑似病例', 'Contact with cases'), children: yesNo(a.contactWithCases) },
        { key: 'areas', label: t('接触重点地区人员', 'Contact with people from named areas'), children: yesNo(a.contactWithAreas) },
        { key: 'note', label: t('接触情况说明', 'Contact note'), children: a.contactNote || '—', span: 2 },
        {
          key: 'sym', label: t('目前症状', 'Symptoms now'), span: 2,
          children: a.symptoms.length ? a.symptoms.map((s) => <Tag key={s} color="orange">{symptomLabel(s, lang)}</Tag>) : t('无', 'None'),
        },
        { key: 'via', label: t('申报方式', 'Submitted via'), children: d.submittedVia === 'staff' ? t('工作人员代报', 'Entered by staff') : t('本人网上申报', 'Online by the resident') },
        { key: 'ack', label: t('承诺时间', 'Acknowledged at'), children: d.acknowledgedAtChina },
        {
          key: 'elig', label: t('申报资格', 'Eligibility'), span: 2, children: (
            <span data-testid="declaration-eligibility">
              {typeof e.residenceDays === 'number'
                ? t(`网格居住 ${e.residenceDays} 天（自 ${String(e.residenceStartOn ?? '—')} 起），${String(e.checkedOn ?? '')} 核验符合条件`,
                  `${e.residenceDays} days under grid management (since ${String(e.residenceStartOn ?? '—')}), eligible on ${String(e.checkedOn ?? '')}`)
                : '—'}
            </span>
          ),
        },
      ]} />
      <Table size="small" rowKey={(r) => `${r.on}-${r.place}`} pagination={false} dataSource={a.residence}
        title={() => t('近 14 天居住地', 'Residence, last 14 days')} locale={{ emptyText: t('未填写', 'Not given') }}
        columns={[
          { title: t('日期', 'Date'), dataIndex: 'on', width: 140 },
          { title: t('居住地点', 'Place'), dataIndex: 'place' },
        ]} />
    </Card>
  );
}
