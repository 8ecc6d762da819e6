/**
 * Personal cards for people without phones (issue 3 §6), permission cards.issue (guard and
 * community roles): 打印通行卡 issues a new card (POST /api/persons/:id/cards, which revokes the
 * card in force) and downloads its wallet-size PDF (GET /api/cards/:id/pdf); the list of the
 * person's cards (GET /api/persons/:id/cards) with 作废 and a required reason
 * (POST /api/cards/:id/revoke). Every call is audited by the server.
 */
import { useState } from 'react';
import { Alert, App, Button, Card, Input, Modal, Table, Tag } from 'antd';
import { download, errorMessage, get, post } from '../api';
import { useT } from '../i18n';
import { chinaDateTime } from '../format';
import { ErrorBanner, useAsync } from './common';

export interface PersonCard {
  id: string; number: string; personId: string; issuedAt: string; expiresAt: string; validUntil: string;
  state: 'active' | 'revoked' | 'expired'; revokedAt: string | null; revokeReason: string | null; issuedBy: string;
}

/** Issue a new card for `personId` and download its PDF. @throws ApiError from either call. */
export async function printNewCard(personId: string): Promise<PersonCard> {
  const r = await post<{ card: PersonCard; pdfUrl: string }>(`/api/persons/${encodeURIComponent(personId)}/cards`);
  await download(r.pdfUrl, `yiqu-card-${r.card.id.slice(0, 8)}.pdf`);
  return r.card;
}

/** The 打印通行卡 button alone (the guard's gate page). */
export function PrintCardButton({ personId, onPrinted }: { personId: string; onPrinted?: (c: PersonCard) => void }) {
  const t = useT();
  const { message, modal } = App.useApp();
  const [busy, setBusy] = useState(false);
  const run = async () => {
    setBusy(true);
    try {
      const card = await printNewCard(personId);
      message.success(t(`通行卡 ${card.number} 已生成，有效期至 ${card.validUntil}`, `Card ${card.number} issued, valid until ${card.validUntil}`));
      onPrinted?.(card);
    } catch (e) { message.error(errorMessage(e)); } finally { setBusy(false); }
  };
  const confirm = () => modal.confirm({
    title: t('打印通行卡', 'Print a pass card'),
    content: t('将生成新的通行卡（钱包大小PDF）；此人之前的通行卡立即作废。', 'A new card (wallet-size PDF) is issued; this person\'s previous card stops working at once.'),
    okText: t('生成并下载', 'Issue and download'), cancelText: t('取消', 'Cancel'), onOk: run,
  });
  return <Button onClick={confirm} loading={busy} data-testid="print-card">{t('打印通行卡', 'Print pass card')}</Button>;
}

function StateTag({ c }: { c: PersonCard }) {
  const t = useT();
  if (c.state === 'active') return <Tag color="green">{t('有效', 'Valid')}</Tag>;
  if (c.state === 'expired') return <Tag>{t('已过期', 'Expired')}</Tag>;
  return <Tag color="red">{t('已作废', 'Revoked')}</Tag>;
}

/** The person page's card section: print, list, re-download, revoke. */
export function PersonCards({ personId }: { personId: string }) {
  const t = useT();
  const { message } = App.useApp();
  const cards = useAsync(() => get<{ cards: PersonCard[] }>(`/api/persons/${encodeURIComponent(personId)}/cards`).then((r) => r.cards), [personId]);
  const [revoking, setRevoking] = useState<PersonCard | null>(null);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const revoke = async () => {
    if (!revoking) return;
    if (!reason.trim()) { setError(t('请填写作废原因', 'Give the reason')); return; }
    setBusy(true); setError(null);
    try {
      await post(`/api/cards/${revoking.id}/revoke`, { reason: reason.trim() });
      message.success(t(`通行卡 ${revoking.number} 已作废`, `Card ${revoking.number} revoked`));
      setRevoking(null); setReason('');
      cards.reload();
    } catch (e) { setError(errorMessage(e)); } finally { setBusy(false); }
  };

  return (
    <Card title={t('通行卡（无手机人员）', 'Pass cards (people without phones)')} extra={<PrintCardButton personId={personId} onPrinted={cards.reload} />}>
      <ErrorBanner error={cards.error} onRetry={cards.reload} />
      <Table<PersonCard> rowKey="id" size="small" loading={cards.loading} dataSource={cards.data ?? []} pagination={false}
        locale={{ emptyText: t('尚未制卡', 'No card yet') }}
        columns={[
          { title: t('卡号', 'Card'), dataIndex: 'number' },
          { title: t('状态', 'State'), render: (_: unknown, c) => <StateTag c={c} /> },
          { title: t('制卡时间', 'Issued'), dataIndex: 'issuedAt', render: (v: string) => chinaDateTime(v) },
          { title: t('有效期至', 'Valid until'), dataIndex: 'validUntil' },
          { title: t('制卡人', 'By'), dataIndex: 'issuedBy' },
          { title: t('作废原因', 'Revoked because'), render: (_: unknown, c) => c.revokeReason ? `${c.revokeReason}（${chinaDateTime(c.revokedAt!)}）` : '—' },
          {
            title: t('操作', 'Actions'), render: (_: unknown, c) => c.state !== 'active' ? null : (
              <span style={{ whiteSpace: 'nowrap' }}>
                <Button size="small" type="link" onClick={() => void download(`/api/cards/${c.id}/pdf`, `yiqu-card-${c.id.slice(0, 8)}.pdf`).catch((e) => message.error(errorMessage(e)))}>{t('下载', 'Download')}</Button>
                <Button size="small" danger type="link" onClick={() => { setRevoking(c); setReason(''); setError(null); }}>{t('作废', 'Revoke')}</Button>
              </span>
            ),
          },
        ]} />
      <Modal open={!!revoking} title={t(`作废通行卡 ${revoking?.number ?? ''}`, `Revoke card ${revoking?.number ?? ''}`)} onCancel={() => setRevoking(null)}
        okText={t('作废', 'Revoke')} okButtonProps={{ danger: true, loading: busy }} cancelText={t('取消', 'Cancel')} onOk={() => void revoke()}>
        <p>{t('作废后此卡立即无法通行，离线核验设备在下次同步后拒绝。', 'The card stops working at once; offline gate devices refuse it after their next sync.')}</p>
        <label htmlFor="revoke-reason">{t('作废原因', 'Reason')}</label>
        <Input.TextArea id="revoke-reason" rows={2} maxLength={200} showCount value={reason} onChange={(e) => setReason(e.target.value)}
          placeholder={t('如：卡片遗失', 'e.g. card lost')} />
        {error && <Alert type="error" showIcon style={{ marginTop: 12 }} title={error} />}
      </Modal>
    </Card>
  );
}
