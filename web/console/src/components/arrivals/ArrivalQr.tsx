/**
 * The 社区报到 link and QR code of a community for residents (`<origin>/arrive?c=<12-digit code>`),
 * drawn with the `qrcode` package (loaded when the dialog opens), with the link to copy and the
 * code to download as a PNG for posters and WeChat groups.
 */
import { useEffect, useState } from 'react';
import { Alert, Button, Modal, Space, Typography } from 'antd';
import { useT } from '../../i18n';
import { AreaSelect } from '../AreaSelect';
import { arriveUrl } from './model';
import { useAreaNames } from './useAreaNames';

export function ArrivalQr({ open, initialCode, onClose }: { open: boolean; initialCode?: string; onClose: () => void }) {
  const t = useT();
  const [code, setCode] = useState<string | undefined>(initialCode);
  const [png, setPng] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  const names = useAreaNames(code ? [code] : []);
  useEffect(() => { if (open) setCode(initialCode); }, [open, initialCode]);
  const url = code ? arriveUrl(window.location.origin, code) : null;
  useEffect(() => {
    setPng(null); setFailed(false);
    if (!url || !open) return;
    let live = true;
    import('qrcode')
      .then(({ default: QRCode }) => QRCode.toDataURL(url, { width: 480, margin: 2, errorCorrectionLevel: 'M' }))
      .then((d) => { if (live) setPng(d); }, () => { if (live) setFailed(true); });
    return () => { live = false; };
  }, [url, open]);
  const name = code ? (names[code] ?? code) : '';
  return (
    <Modal open={open} onCancel={onClose} footer={null} width={520} destroyOnHidden title={t('社区报到二维码', 'Arrival report QR code')}>
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Typography.Text type="secondary">
          {t('返回人员用微信扫码即可自行报到；报到信息进入本社区名单并按报到规则确定管控措施。',
            'Returning residents scan it in WeChat to report themselves; reports join this community\'s list and get a measure by the rules.')}
        </Typography.Text>
        <AreaSelect communityOnly allowClear={false} value={code} onChange={setCode} aria-label={t('报到社区', 'Community')} style={{ width: '100%' }} />
        {!code && <Alert type="info" showIcon title={t('请选择社区（村）', 'Choose a community or village')} />}
        {failed && <Alert type="error" showIcon title={t('二维码生成失败，请刷新页面重试', 'The QR code could not be drawn; reload and retry')} />}
        {url && (
          <div style={{ textAlign: 'center' }} data-testid="arrival-qr">
            {png && <img src={png} width={240} height={240} alt={t(`${name} 社区报到二维码`, `Arrival QR code of ${name}`)} />}
            <div><Typography.Text strong>{name}</Typography.Text></div>
            <Typography.Text copyable={{ text: url }} style={{ fontSize: 12 }} data-testid="arrival-url">{url}</Typography.Text>
            <div style={{ marginTop: 12 }}>
              <Button type="primary" disabled={!png} href={png ?? undefined} download={`${t('社区报到', 'arrivals')}-${name || code}.png`}>
                {t('下载二维码图片', 'Download PNG')}
              </Button>
            </div>
          </div>
        )}
      </Space>
    </Modal>
  );
}
