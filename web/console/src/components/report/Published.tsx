/**
 * Published reports of an area and date (GET /api/reports/published) with what each revision
 * changed, and the publish action (POST /api/reports/publish, permission reports.publish): the
 * first issue needs no note, a correction (订正) needs one; the server refuses an unchanged one.
 */
import { useState } from 'react';
import { App, Button, Card, Empty, Input, Modal, Space, Spin, Tag, Typography } from 'antd';
import { errorMessage, get, post, qs } from '../../api';
import { chinaDateTime } from '../../format';
import { useLang, useT } from '../../i18n';
import { ErrorBanner, useAsync } from '../common';
import { changeLabel, type PublishedReport } from './model';

const show = (v: unknown, lang: 'zh' | 'en') => (v === null || v === undefined ? '—'
  : typeof v === 'boolean' ? (lang === 'zh' ? (v ? '是' : '否') : (v ? 'yes' : 'no')) : String(v));

export function Published({ areaCode, date, canPublish }: { areaCode: string | undefined; date: string; canPublish: boolean }) {
  const t = useT();
  const { lang } = useLang();
  const { message } = App.useApp();
  const revs = useAsync(() => get<{ revisions: PublishedReport[] }>(`/api/reports/published${qs({ areaCode, date })}`), [areaCode, date]);
  const [open, setOpen] = useState(false);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const list = revs.data?.revisions ?? [];
  const needsNote = list.length > 0;
  const publish = async () => {
    setBusy(true);
    try {
      const r = await post<PublishedReport>('/api/reports/publish', { areaCode, date, note: note.trim() || undefined });
      message.success(t(`已发布第 ${r.revision} 版`, `Published revision ${r.revision}`));
      setOpen(false);
      setNote('');
      revs.reload();
    } catch (e) { message.error(errorMessage(e)); } finally { setBusy(false); }
  };
  return (
    <Card title={t('已发布的通报', 'Published reports')} extra={canPublish && (
      <Button type="primary" onClick={() => setOpen(true)} disabled={!areaCode}>
        {needsNote ? t('发布订正版本', 'Publish a correction') : t('发布通报', 'Publish')}
      </Button>)}>
      <ErrorBanner error={revs.error} onRetry={revs.reload} />
      {revs.loading && !revs.data && <Spin />}
      {list.length === 0 && !revs.loading
        ? <Empty description={t('该日尚未发布通报', 'Not published for this date yet')} />
        : [...list].reverse().map((r) => (
            <div key={r.id} style={{ padding: '10px 0', borderBottom: '1px solid #f0f0f0' }}>
              <Space orientation="vertical" style={{ width: '100%' }}>
                <Space wrap>
                  <Tag color={r.revision === list.length ? 'blue' : undefined}>{t(`第 ${r.revision} 版`, `Revision ${r.revision}`)}</Tag>
                  <Typography.Text type="secondary">{chinaDateTime(r.publishedAt)} · {r.publishedBy}</Typography.Text>
                  {r.note && <Typography.Text>{t('说明：', 'Note: ')}{r.note}</Typography.Text>}
                </Space>
                {r.changes.length > 0 && (
                  <Typography.Text>{t('变更：', 'Changes: ')}{r.changes.map((c) => `${changeLabel(c.figure, lang)} ${show(c.old, lang)} → ${show(c.new, lang)}`).join('；')}</Typography.Text>
                )}
                <Typography.Paragraph style={{ margin: 0 }} type="secondary" ellipsis={{ rows: 2, expandable: true }}>{r.text}</Typography.Paragraph>
              </Space>
            </div>
          ))}
      <Modal open={open} title={needsNote ? t('发布订正版本', 'Publish a correction') : t('发布通报', 'Publish the report')} onCancel={() => setOpen(false)}
        onOk={publish} confirmLoading={busy} okText={t('发布', 'Publish')} cancelText={t('取消', 'Cancel')} okButtonProps={{ disabled: needsNote && !note.trim() }}>
        <Typography.Paragraph>{t(`将按当前数据发布 ${date} 的通报，发布后不可修改，只能发布订正版本。`,
          `The report of ${date} is stored as computed now; it cannot be edited afterwards, only corrected by a new revision.`)}</Typography.Paragraph>
        <Input.TextArea value={note} onChange={(e) => setNote(e.target.value)} maxLength={500} rows={3} aria-label={t('说明', 'Note')}
          placeholder={needsNote ? t('订正原因（必填），如：订正：补报密切接触者1人', 'Why (required), e.g. correction: one contact added') : t('说明（可选）', 'Note (optional)')} />
      </Modal>
    </Card>
  );
}
