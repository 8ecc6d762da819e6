/**
 * 变更规则 (arrival_rules.manage): add a rule and/or retire rules of an area, with an optional
 * notice date → 预览 (POST /api/arrival-rules/preview: exactly the reports whose measure changes,
 * nothing written) → 应用 with a required reason (POST /api/arrival-rules/apply: the rule table and
 * those reports in one transaction). Any edit after a preview asks for a new preview.
 */
import { useState } from 'react';
import { Alert, Button, Checkbox, Drawer, Form, Input, InputNumber, Space, Table, Typography } from 'antd';
import { errorMessage, post } from '../../api';
import { useLang, useT } from '../../i18n';
import { AreaSelect } from '../AreaSelect';
import {
  changeBody, CIRCUMSTANCE_KEYS, circumstanceLabel, MEASURE_KEYS, measureLabel, measureText, ruleOrigin,
  type ChangedArrival, type ChangeValues, type RuleView,
} from './model';
import { useAreaNames } from './useAreaNames';

export function RuleChange({ open, rules, onClose, onApplied }: {
  open: boolean; rules: RuleView[]; onClose: () => void; onApplied: (count: number) => void;
}) {
  const t = useT();
  const { lang } = useLang();
  const [form] = Form.useForm<ChangeValues>();
  const adding = Form.useWatch('adding', form);
  const [preview, setPreview] = useState<{ body: ReturnType<typeof changeBody>; changes: ChangedArrival[] } | null>(null);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState<'preview' | 'apply' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const names = useAreaNames(preview?.changes.map((c) => c.communityCode) ?? []);
  const active = rules.filter((r) => !r.retiredAt);

  const runPreview = async (v: ChangeValues) => {
    const body = changeBody(v);
    if (!body.add && !body.retire) { setError(t('请新增一条规则或选择要停用的规则', 'Add a rule or choose rules to retire')); return; }
    setBusy('preview'); setError(null); setPreview(null);
    try {
      const r = await post<{ changes: ChangedArrival[] }>('/api/arrival-rules/preview', body);
      setPreview({ body, changes: r.changes });
    } catch (e) { setError(errorMessage(e)); } finally { setBusy(null); }
  };
  const apply = async () => {
    if (!preview) return;
    if (!reason.trim()) { setError(t('请填写变更原因', 'Give the reason for the change')); return; }
    setBusy('apply'); setError(null);
    try {
      const r = await post<{ changes: ChangedArrival[] }>('/api/arrival-rules/apply', { ...preview.body, reason: reason.trim() });
      form.resetFields(); setPreview(null); setReason('');
      onApplied(r.changes.length);
    } catch (e) { setError(errorMessage(e)); } finally { setBusy(null); }
  };

  return (
    <Drawer open={open} onClose={onClose} size={760} title={t('变更报到规则', 'Change the arrival rules')} destroyOnHidden>
      <Form form={form} name="ruleChange" layout="vertical" onFinish={runPreview} onValuesChange={() => { setPreview(null); setError(null); }}
        initialValues={{ adding: true, measure: 'home_isolation', circumstance: '', retire: [] }} disabled={busy !== null}>
        <Form.Item label={t('规则范围', 'Area covered')} name="areaCode" extra={t('不选则为本账号辖区', 'Empty: your own area')}>
          <AreaSelect style={{ width: 320 }} />
        </Form.Item>
        <Form.Item name="adding" valuePropName="checked" style={{ marginBottom: 8 }}><Checkbox>{t('新增规则', 'Add a rule')}</Checkbox></Form.Item>
        {adding && (
          <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(200px, 1fr))', columnGap: 16 }}>
            <Form.Item label={t('来源地名称', 'Origin label')} name="originLabel" rules={[{ required: true, whitespace: true, message: t('请输入来源地名称', 'Enter the origin label') }]}>
              <Input maxLength={60} placeholder={t('如 武汉市江汉区', 'e.g. Jianghan, Wuhan')} />
            </Form.Item>
            <Form.Item label={t('来源地区划代码前缀', 'Origin code prefix')} name="originPrefix" extra={t('不填则按来源地名称匹配', 'Empty: match by the label')}
              rules={[{ pattern: /^\d{2,12}$/, message: t('2–12 位数字', '2–12 digits') }]}>
              <Input inputMode="numeric" maxLength={12} placeholder="420102" />
            </Form.Item>
            <Form.Item label={t('返回事由', 'Circumstance')} name="circumstance">
              <select className="native-select">
                <option value="">{t('不限', 'Any')}</option>
                {CIRCUMSTANCE_KEYS.map((k) => <option key={k} value={k}>{circumstanceLabel(k, lang)}</option>)}
              </select>
            </Form.Item>
            <Form.Item label={t('管控措施', 'Measure')} name="measure">
              <select className="native-select">{MEASURE_KEYS.map((k) => <option key={k} value={k}>{measureLabel(k, lang)}</option>)}</select>
            </Form.Item>
            <Form.Item label={t('管控天数', 'Days')} name="days" extra={t('不填按系统默认', 'Empty: the default')}><InputNumber min={1} max={60} precision={0} style={{ width: '100%' }} /></Form.Item>
            <Form.Item label={t('优先级', 'Priority')} name="priority" extra={t('数字大者优先，默认 0', 'Higher wins; default 0')}><InputNumber min={-1000} max={1000} precision={0} style={{ width: '100%' }} /></Form.Item>
            <Form.Item label={t('备注', 'Note')} name="note" style={{ gridColumn: '1 / -1' }}><Input maxLength={300} placeholder={t('如 依据的通告文号', 'e.g. the notice it follows')} /></Form.Item>
          </div>
        )}
        <Form.Item label={t('停用规则', 'Retire rules')} name="retire">
          <Checkbox.Group style={{ display: 'flex', flexDirection: 'column', gap: 4 }}
            options={active.map((r) => ({ value: r.id, label: `${ruleOrigin(r)} → ${measureLabel(r.measure, lang)} ${t(`${r.days} 天`, `${r.days} days`)}${r.circumstance ? `（${circumstanceLabel(r.circumstance, lang)}）` : ''}` }))} />
        </Form.Item>
        <Form.Item label={t('通知日期', 'Notice date')} name="noticeOn" extra={t('正在管控中的人员总会按新规则重新判定；此日及以后抵达的其他人员（如无需管控者）也会重新判定。默认今天：通告生效前已抵达且无管控的人员不受影响，如需覆盖请把日期提前。', 'People under a measure are always re-decided; other people who arrived on or after this date (e.g. those with no measure) are too. Default today: set it earlier to cover earlier arrivals without a measure.')}>
          <Input type="date" style={{ width: 170 }} />
        </Form.Item>
        <Button htmlType="submit" type="primary" loading={busy === 'preview'}>{t('预览影响', 'Preview')}</Button>
      </Form>
      {error && <Alert type="error" showIcon role="alert" style={{ marginTop: 16 }} title={error} />}
      {preview && (
        <div style={{ marginTop: 24 }} data-testid="rule-preview">
          <Typography.Title level={5}>{t(`管控措施将改变的人员：${preview.changes.length} 人`, `People whose measure changes: ${preview.changes.length}`)}</Typography.Title>
          {preview.changes.length === 0
            ? <Alert type="info" showIcon title={t('没有人员的管控措施会改变；应用后仅更新规则表', 'Nobody\'s measure changes; applying only updates the rule table')} />
            : (
              <Table<ChangedArrival> rowKey="reportId" size="small" dataSource={preview.changes} pagination={{ pageSize: 20, hideOnSinglePage: true }} scroll={{ x: 680 }}
                columns={[
                  { title: t('姓名', 'Name'), dataIndex: 'maskedName' },
                  { title: t('社区', 'Community'), dataIndex: 'communityCode', render: (c: string) => names[c] ?? c },
                  { title: t('来源地', 'Origin'), dataIndex: 'originText' },
                  { title: t('抵达日期', 'Arrived on'), dataIndex: 'arrivalOn' },
                  { title: t('原措施', 'From'), key: 'from', render: (_: unknown, c) => measureText(c.from, lang) },
                  { title: t('新措施', 'To'), key: 'to', render: (_: unknown, c) => <strong>{measureText(c.to, lang)}</strong> },
                ]} />
            )}
          <Space align="start" wrap style={{ marginTop: 16, width: '100%' }}>
            <Input.TextArea aria-label={t('变更原因', 'Reason')} placeholder={t('变更原因（必填），如 依据市指挥部第12号通告', 'Reason (required), e.g. city notice no. 12')}
              value={reason} onChange={(e) => setReason(e.target.value)} maxLength={300} rows={2} style={{ width: 440 }} />
            <Button type="primary" danger loading={busy === 'apply'} disabled={!reason.trim()} onClick={() => void apply()}>
              {t('应用变更', 'Apply the change')}
            </Button>
          </Space>
        </div>
      )}
    </Drawer>
  );
}
