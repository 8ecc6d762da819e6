/**
 * Import places from CSV/XLSX (POST /api/places/import: ?dryRun=1 previews with every row's
 * errors; the real import is all or nothing, 422 with details.errors) and download posters
 * (GET /api/posters/check, then GET /api/posters?areaCode= as a PDF; characters the fonts cannot
 * draw are listed before printing, never silently dropped).
 */
import { useEffect, useState } from 'react';
import { Alert, App, Button, Descriptions, Modal, Space, Table, Tag, Typography } from 'antd';
import { ApiError, download, errorMessage, get, qs, upload } from '../api';
import { useT } from '../i18n';
import { AreaSelect } from '../components/AreaSelect';
import { useStaff } from '../session';

interface RowError { line: number; field: string; message: string }
interface ImportResult {
  dryRun: boolean; ok: boolean; rows: number; placesNew: number; placesExisting: number; checkpointsNew: number; checkpointsExisting: number;
  errors: RowError[]; errorCount: number;
  places: { line: number; communityName: string; name: string; kindLabel: string; isNew: boolean; newCheckpoints: string[]; existingCheckpoints: string[] }[];
}

const FIELD_LABELS: Record<string, [string, string]> = {
  communityCode: ['社区编码', 'Community code'], communityName: ['社区名称', 'Community name'], streetName: ['街道', 'Street'],
  placeName: ['场所名称', 'Place name'], kind: ['场所类型', 'Kind'], address: ['地址', 'Address'], checkpointName: ['卡点名称', 'Checkpoint'],
};

const TEMPLATE = '\uFEFF社区编码,社区名称,街道,场所名称,场所类型,地址,卡点名称\r\n410811001001,,,幸福小区,住宅小区,解放路1号,东门\r\n410811001001,,,幸福小区,住宅小区,解放路1号,西门\r\n';

/** Save the import template (UTF-8 with BOM so Excel shows the Chinese headers). */
function saveTemplate() {
  const url = URL.createObjectURL(new Blob([TEMPLATE], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url; a.download = '场所导入模板.csv'; a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function ImportModal({ open, onClose, onImported }: { open: boolean; onClose: () => void; onImported: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const [file, setFile] = useState<File | null>(null);
  const [result, setResult] = useState<ImportResult | null>(null);
  const [errors, setErrors] = useState<RowError[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<'check' | 'commit' | null>(null);
  const [done, setDone] = useState(false);
  useEffect(() => { if (!open) { setFile(null); setResult(null); setErrors([]); setError(null); setDone(false); } }, [open]);

  const run = async (f: File, dryRun: boolean) => {
    setBusy(dryRun ? 'check' : 'commit'); setError(null);
    try {
      const r = await upload<ImportResult>('/api/places/import', f, dryRun ? { dryRun: '1' } : {});
      setResult(r); setErrors(r.errors);
      if (!dryRun) { setDone(true); onImported(); message.success(t('导入完成', 'Imported')); }
    } catch (e) {
      setError(errorMessage(e));
      const rows = e instanceof ApiError ? (e.details?.errors as RowError[] | undefined) : undefined;
      setErrors(rows ?? []);
    } finally { setBusy(null); }
  };

  const pick = (f: File | null) => { setFile(f); setResult(null); setErrors([]); setDone(false); if (f) void run(f, true); };

  return (
    <Modal open={open} onCancel={onClose} width={860} title={t('批量导入场所和卡点', 'Import places and checkpoints')} destroyOnHidden
      footer={<Space>
        <Button onClick={onClose}>{done ? t('关闭', 'Close') : t('取消', 'Cancel')}</Button>
        {!done && <Button type="primary" disabled={!file || !result?.ok} loading={busy === 'commit'} onClick={() => file && void run(file, false)}>{t('确认导入', 'Import')}</Button>}
      </Space>}>
      <Typography.Paragraph>
        {t('每行一个卡点，列：社区编码或社区名称（可加“街道”区分重名）、场所名称、场所类型、地址、卡点名称。支持 CSV（UTF-8、带BOM的UTF-8、GBK）和 XLSX。先检查，全部无误后才能导入；有任何错误则不导入任何数据。',
          'One row per checkpoint: community code or name (plus street for namesakes), place name, kind, address, checkpoint name. CSV (UTF-8, UTF-8 with BOM, GBK) or XLSX. The file is checked first; nothing is imported if any row has an error.')}
        {' '}<Button type="link" style={{ padding: 0 }} onClick={saveTemplate}>{t('下载模板', 'Download template')}</Button>
      </Typography.Paragraph>
      <label htmlFor="place-import-file" style={{ fontWeight: 600, marginRight: 8 }}>{t('选择文件', 'Choose file')}</label>
      <input id="place-import-file" type="file" accept=".csv,.xlsx,.xls,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        onChange={(e) => pick(e.target.files?.[0] ?? null)} disabled={busy !== null} />
      {busy === 'check' && <Alert type="info" showIcon role="status" style={{ marginTop: 12 }} title={t('正在检查文件…', 'Checking the file…')} />}
      {error && <Alert type="error" showIcon style={{ marginTop: 12 }} title={error} />}
      {result && (
        <>
          <Alert style={{ marginTop: 12 }} showIcon type={result.ok ? 'success' : 'error'}
            title={done ? t('已导入', 'Imported') : result.ok ? t('检查通过，可以导入', 'The file is valid: ready to import') : t(`发现 ${result.errorCount} 处错误，请修改文件后重新选择`, `${result.errorCount} problem(s): fix the file and choose it again`)} />
          <Descriptions size="small" column={3} style={{ marginTop: 12 }} items={[
            { key: 'r', label: t('数据行', 'Rows'), children: result.rows },
            { key: 'pn', label: t('新场所', 'New places'), children: result.placesNew },
            { key: 'pe', label: t('已有场所', 'Existing places'), children: result.placesExisting },
            { key: 'cn', label: t('新卡点', 'New checkpoints'), children: result.checkpointsNew },
            { key: 'ce', label: t('已有卡点（跳过）', 'Existing checkpoints (kept)'), children: result.checkpointsExisting },
          ]} />
        </>
      )}
      {errors.length > 0 && (
        <Table<RowError> style={{ marginTop: 12 }} size="small" rowKey={(r) => `${r.line}-${r.field}-${r.message}`} dataSource={errors}
          pagination={{ pageSize: 10, showSizeChanger: false }} title={() => t('错误明细', 'Problems by row')}
          columns={[
            { title: t('行号', 'Line'), dataIndex: 'line', width: 70 },
            { title: t('列', 'Column'), dataIndex: 'field', width: 120, render: (v: string) => (FIELD_LABELS[v] ? t(...FIELD_LABELS[v]!) : v) },
            { title: t('问题', 'Problem'), dataIndex: 'message' },
          ]} />
      )}
      {result && result.ok && result.places.length > 0 && (
        <Table style={{ marginTop: 12 }} size="small" rowKey={(r) => `${r.line}`} dataSource={result.places} pagination={{ pageSize: 10, showSizeChanger: false }}
          title={() => t('场所预览', 'Places')}
          columns={[
            { title: t('社区', 'Community'), dataIndex: 'communityName' },
            { title: t('场所', 'Place'), dataIndex: 'name', render: (v: string, r) => <Space>{v}{r.isNew ? <Tag color="blue">{t('新', 'new')}</Tag> : null}</Space> },
            { title: t('类型', 'Kind'), dataIndex: 'kindLabel' },
            { title: t('新卡点', 'New gates'), dataIndex: 'newCheckpoints', render: (v: string[]) => v.join('、') || '—' },
          ]} />
      )}
    </Modal>
  );
}

interface PosterCheck { areaCode: string; checkpoints: number; screenMode: number; maxPerDownload: number; publicUrl: string; publicUrlProblem: 'loopback' | 'not_https' | null; missing: { checkpointId: string; placeName: string; checkpointName: string; chars: string[] }[] }

export function PosterModal({ open, onClose, defaultArea }: { open: boolean; onClose: () => void; defaultArea?: string }) {
  const t = useT();
  const staff = useStaff();
  const { message } = App.useApp();
  const [area, setArea] = useState<string | undefined>(defaultArea ?? staff.areaCode);
  const [check, setCheck] = useState<PosterCheck | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<'check' | 'download' | null>(null);
  useEffect(() => { if (open) setArea(defaultArea ?? staff.areaCode); }, [open, defaultArea, staff.areaCode]);
  useEffect(() => {
    setCheck(null); setError(null);
    if (!open || !area) return;
    let live = true;
    setBusy('check');
    get<PosterCheck>(`/api/posters/check${qs({ areaCode: area })}`)
      .then((r) => { if (live) setCheck(r); }).catch((e) => { if (live) setError(errorMessage(e)); }).finally(() => { if (live) setBusy(null); });
    return () => { live = false; };
  }, [open, area]);

  const fetchPdf = async () => {
    if (!area) return;
    setBusy('download'); setError(null);
    try { await download(`/api/posters${qs({ areaCode: area })}`, `yiqu-posters-${area}.pdf`); message.success(t('海报已下载', 'Posters downloaded')); }
    catch (e) { setError(errorMessage(e)); } finally { setBusy(null); }
  };

  const tooMany = !!check && check.checkpoints > check.maxPerDownload;
  return (
    <Modal open={open} onCancel={onClose} title={t('下载卡点海报（A4 PDF）', 'Download checkpoint posters (A4 PDF)')} destroyOnHidden
      footer={<Space><Button onClick={onClose}>{t('关闭', 'Close')}</Button>
        <Button type="primary" disabled={!check || check.checkpoints === 0 || tooMany} loading={busy === 'download'} onClick={() => void fetchPdf()}>{t('下载 PDF', 'Download PDF')}</Button></Space>}>
      <Space orientation="vertical" style={{ width: '100%' }}>
        <div>
          <div style={{ marginBottom: 4 }}>{t('区域（街道或社区，整区可能很大）', 'Area (a street or community; a whole district is large)')}</div>
          <AreaSelect value={area} onChange={setArea} allowClear={false} style={{ width: '100%' }} aria-label={t('海报区域', 'Poster area')} />
        </div>
        {busy === 'check' && <Typography.Text type="secondary">{t('正在统计…', 'Counting…')}</Typography.Text>}
        {check && <Alert type={check.checkpoints === 0 || tooMany ? 'warning' : 'info'} showIcon role="status"
          description={check.screenMode > 0 ? t(`另有 ${check.screenMode} 个卡点使用屏幕动态码，不打印海报（屏幕码模式下海报无法打卡）`,
            `${check.screenMode} more checkpoint(s) show a screen code and get no poster (a poster does not work in screen mode)`) : undefined}
          title={check.checkpoints === 0 && check.screenMode > 0 ? t('该区域下启用的卡点都在使用屏幕动态码，不需要海报', 'Every active checkpoint in this area shows a screen code: no posters to print')
            : check.checkpoints === 0 ? t('该区域下没有启用的卡点', 'No active checkpoints in this area')
            : tooMany ? t(`共 ${check.checkpoints} 个卡点，超过单次上限 ${check.maxPerDownload}，请选择更小的区域`, `${check.checkpoints} checkpoints exceed the ${check.maxPerDownload} limit: choose a smaller area`)
              : t(`共 ${check.checkpoints} 个卡点，每个卡点一页 A4 海报；生成较多页面需要一些时间`, `${check.checkpoints} checkpoints, one A4 page each; large files take a while`)} />}
        {check?.publicUrlProblem && <Alert type="error" showIcon title={check.publicUrlProblem === 'loopback'
          ? t(`海报二维码中的网址是 ${check.publicUrl}，居民的手机无法打开。请管理员把 PUBLIC_URL 设为本系统的公网 https 地址后再打印`,
            `The posters' QR link is ${check.publicUrl}, which no phone can open: have the administrator set PUBLIC_URL to this system's public https address before printing`)
          : t(`海报二维码中的网址 ${check.publicUrl} 不是 https，手机和微信可能拒绝打开。请管理员把 PUBLIC_URL 设为 https 地址`,
            `The posters' QR link ${check.publicUrl} is not https; phones and WeChat may refuse it: have the administrator set an https PUBLIC_URL`)} />}
        {check && check.missing.length > 0 && (
          <Alert type="warning" showIcon title={t('以下名称中有字体无法显示的字符，将打印为“□”，建议先修改名称：', 'Some names contain characters the fonts cannot draw (printed as □); consider renaming:')}
            description={<ul style={{ margin: 0, paddingLeft: 20 }}>{check.missing.slice(0, 20).map((m) => (
              <li key={m.checkpointId}>{m.placeName} {m.checkpointName}：{m.chars.map((c) => `${c}（U+${c.codePointAt(0)!.toString(16).toUpperCase()}）`).join(' ')}</li>))}</ul>} />
        )}
        {error && <Alert type="error" showIcon title={error} />}
      </Space>
    </Modal>
  );
}
