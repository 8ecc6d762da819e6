/**
 * The certificate of an issued declaration (certificate contract: CertificateView): its state
 * (有效 / 已过期 / 已作废, with the revocation's time and reason), number, issued and valid-until
 * China times, the issuing center, the doctors, 下载 PDF (GET /api/certificates/:id/pdf through
 * fetch, so a refusal shows the server's message) and a warning when the PDF font lacks some
 * characters of the name (printed as □).
 */
import { useState } from 'react';
import { Alert, App, Button, Card, Descriptions, Tag, Typography } from 'antd';
import { download, errorMessage } from '../../api';
import { useLang, useT } from '../../i18n';
import { certStateColor, certStateLabel, type CertificateView } from './model';

export function CertificatePanel({ cert }: { cert: CertificateView }) {
  const t = useT();
  const { lang } = useLang();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const pdf = async () => {
    setBusy(true);
    try { await download(`/api/certificates/${encodeURIComponent(cert.id)}/pdf`, `health-certificate-${cert.id.slice(0, 8)}.pdf`); }
    catch (e) { message.error(errorMessage(e)); } finally { setBusy(false); }
  };
  return (
    <Card title={t('健康申报证明', 'Health certificate')} data-testid="certificate-panel"
      extra={<Button type="primary" loading={busy} onClick={() => void pdf()}>{t('下载 PDF', 'Download PDF')}</Button>}>
      {cert.missingGlyphs.length > 0 && (
        <Alert type="warning" showIcon style={{ marginBottom: 12 }} data-testid="certificate-missing-glyphs"
          title={t(`证明字体缺少以下字符，打印时以□代替：${cert.missingGlyphs.join(' ')}`, `The certificate's font lacks these characters, printed as □: ${cert.missingGlyphs.join(' ')}`)} />
      )}
      <Descriptions column={{ xs: 1, md: 2 }} bordered size="small" items={[
        { key: 'state', label: t('状态', 'State'), children: <Tag color={certStateColor(cert.state)} data-testid="certificate-state">{certStateLabel(cert.state, lang)}</Tag> },
        { key: 'no', label: t('证明编号', 'Number'), children: <Typography.Text copyable code>{cert.id}</Typography.Text> },
        { key: 'holder', label: t('持证人', 'Holder'), children: t(`${cert.name ?? cert.maskedName}（${cert.docMasked}）`, `${cert.name ?? cert.maskedName} (${cert.docMasked})`) },
        { key: 'org', label: t('出具单位', 'Issued by'), children: cert.orgName },
        { key: 'issued', label: t('出具时间', 'Issued at'), children: cert.issuedAtChina },
        { key: 'until', label: t('有效期至', 'Valid until'), children: <span data-testid="certificate-until">{cert.notAfterChina}</span> },
        { key: 'doctor', label: t('评估医生', 'Assessed by'), children: cert.doctorName ?? '—' },
        { key: 'chief', label: t('主检医生', 'Chief doctor'), children: cert.chiefDoctorName ?? '—' },
        ...(cert.state === 'revoked' ? [
          { key: 'revokedAt', label: t('作废时间', 'Revoked at'), children: cert.revokedAtChina ?? '—' },
          { key: 'reason', label: t('作废原因', 'Reason'), children: cert.revokeReason ?? '—' },
        ] : []),
      ]} />
      <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
        {t('时间均为北京时间；有效期内持证人应到达目的地，证明二维码可离线核验', 'Times are China Standard Time; the QR code verifies offline')}
      </Typography.Paragraph>
    </Card>
  );
}
