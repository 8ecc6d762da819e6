/**
 * The printed health declaration certificate (健康申报证明, SPEC S6, issue 6 §3): one A5 portrait
 * page (148 × 210 mm), Chinese. Top: title, certificate number, a ruled table (name, document,
 * assessment, conclusion, destination, purpose); the validity line in China time (北京时间);
 * the doctors. Bottom left: the QR of `PUBLIC_URL/v#<token>` (error correction M, ≥ 0.5 mm per
 * module, 4-module quiet zone kept white, ≥ 50 mm so a guard's phone reads it from paper) with
 * the caption 扫码验证真伪. Bottom right: the issuer line (出具单位), the issue date and the
 * center's round red stamp over them (./stamp.ts). Footer: the 5-day validity note.
 * Every string is drawn by `drawText` (per-glyph font fallback, src/lib/pdf-fonts.ts) so rare
 * characters print; characters no font has print as '□' and are returned in `missing`.
 * Units: PDF points (1/72 in) unless the name says mm. All times are China time, pre-formatted.
 */
import PDFDocument from 'pdfkit';
import { qrPng, shortNumber } from '../../lib/pdf-qr';
import { drawText, type DrawOptions, type DrawResult } from '../../lib/pdf-fonts';
import { drawStamp } from './stamp';

/** What a certificate shows. All strings are zh-CN display text. */
export interface CertificateContent {
  /** Full name, any Unicode (𠈌, 阿依古丽·买买提). */
  name: string;
  /** Document type label, e.g. 居民身份证. */
  docTypeLabel: string;
  /** Masked document number (already masked), e.g. 410802********1234. */
  docMasked: string;
  /** The issuing center's name (up to ~30 characters). */
  orgName: string;
  doctorName: string | null;
  chiefDoctorName: string | null;
  assessment: { temperatureC: number; cough: boolean; chestTightness: boolean; otherSymptoms: string; conclusion: 'fit' };
  destination: string;
  purpose: string;
  /** 'YYYY-MM-DD HH:mm:ss', China time. */
  issuedAtChina: string;
  /** 'YYYY-MM-DD HH:mm:ss', China time: first instant it is no longer valid. */
  notAfterChina: string;
  /** Short number printed, e.g. 'A1B2-C3D4' (certificateNumber). */
  certificateNo: string;
  /** What the QR holds: `${PUBLIC_URL}/v#${token}`. */
  qrText: string;
  /** Days of validity printed in the note (config CERT_VALID_DAYS; default 5). */
  validDays?: number;
  /** Printed across the page when the certificate is no longer valid (e.g. '已作废', '已过期'); null while valid. */
  voidMark?: string | null;
}

export const CERT_TITLE = '健康申报证明';
export const CERT_QR_CAPTION = '扫码验证真伪';
/** The footer note for a certificate valid `days` days. */
export const certNote = (days = 5) => `本证明自出具之日起 ${days} 日内有效，涂改无效`;
export const CERT_NOTE = certNote();
/** The doctor's conclusion as printed: the assessment's judgement, not a claim that nothing was found. */
export const CONCLUSION_LABELS: Record<CertificateContent['assessment']['conclusion'], string> = {
  fit: '经社区医生健康评估，符合出行、返岗条件',
};
/** Free text as one line: line breaks and runs of spaces become one space. */
const oneLine = (s: string) => s.replace(/\s+/gu, ' ').trim();

const MM = 72 / 25.4;
/** A5 portrait, pt (419.53 × 595.28). */
export const PAGE_W = 148 * MM;
export const PAGE_H = 210 * MM;
const MARGIN = 12 * MM;
const CONTENT_W = PAGE_W - 2 * MARGIN;
/** Smallest QR symbol side (without quiet zone), mm; grows so a module stays ≥ 0.5 mm. */
export const QR_MIN_MM = 52;
const QR_MAX_MM = 66;
const MODULE_MIN_MM = 0.5;
const QUIET_MODULES = 4;
const RED = '#C8161D';
const INK = '#1A1A1A';
const GREY = '#5A5A5A';
const RULE = '#7A7A7A';

/** Short certificate number printed and shown in the console (shortNumber of its id). */
export const certificateNumber = shortNumber;


/** 'YYYY-MM-DD …' → 'YYYY年M月D日' (the date under the issuer line). */
export function chineseDate(china: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(china);
  return m ? `${m[1]}年${Number(m[2])}月${Number(m[3])}日` : china;
}


/** A table cell: label or value, drawn vertically centred. */
interface CellSpec {
  text: string;
  w: number; // pt
  label?: boolean;
  o?: Partial<DrawOptions>;
}

/**
 * Render one certificate as a one-page A5 PDF.
 * @returns the PDF bytes, the characters no font could draw (unique, in order; printed as '□'),
 *   the QR's modules per side and its module size in mm.
 */
export async function renderCertificatePdf(c: CertificateContent): Promise<{ pdf: Buffer; missing: string[]; modules: number; moduleMm: number }> {
  const qr = await qrPng(c.qrText, 8);
  const qrMm = Math.min(QR_MAX_MM, Math.max(QR_MIN_MM, qr.modules * MODULE_MIN_MM));
  const qrSide = qrMm * MM;
  const doc = new PDFDocument({
    size: [PAGE_W, PAGE_H], margin: 0, lang: 'zh-CN',
    info: { Title: CERT_TITLE, Subject: `${CERT_TITLE} ${c.certificateNo}`, Creator: 'Yiqu' },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (b: Buffer) => chunks.push(b));
  const ended = new Promise<void>((resolve, reject) => { doc.on('end', resolve); doc.on('error', reject); });

  // A scratch document measures text (lines, size) before it is drawn centred in a cell.
  const scratch = new PDFDocument({ size: [PAGE_W, PAGE_H], margin: 0 });
  scratch.on('data', () => undefined);
  const missing = new Set<string>();
  const text = (s: string, x: number, y: number, o: DrawOptions): DrawResult => {
    const r = drawText(doc, s, x, y, o);
    r.missing.forEach((ch) => missing.add(ch));
    return r;
  };
  /** Draw `s` vertically centred on `mid` (CJK glyphs fill about [top, top + size] of a line). */
  const centred = (s: string, x: number, mid: number, o: DrawOptions): DrawResult => {
    const m = drawText(scratch, s, x, 0, o);
    const lh = m.size * (o.lineHeight ?? 1.3);
    return text(s, x, mid - ((m.lines - 1) * lh + m.size) / 2, o);
  };

  // Frame: a red double rule 7 mm inside the edge.
  doc.lineWidth(1.2).rect(7 * MM, 7 * MM, PAGE_W - 14 * MM, PAGE_H - 14 * MM).stroke(RED);
  doc.lineWidth(0.4).rect(8.2 * MM, 8.2 * MM, PAGE_W - 16.4 * MM, PAGE_H - 16.4 * MM).stroke(RED);

  // Title and number.
  text(CERT_TITLE, MARGIN, 13 * MM, { size: 24, bold: true, color: INK, width: CONTENT_W, align: 'center', lineHeight: 1.1 });
  text(`编号：${c.certificateNo}`, MARGIN, 24 * MM, { size: 9, color: GREY, width: CONTENT_W, align: 'right', minSize: 6 });
  if (c.voidMark) text(`本证明${c.voidMark}`, MARGIN, 23.5 * MM, { size: 10, bold: true, color: RED, width: CONTENT_W / 2 });

  // The table: label 20 mm, value 42 mm, twice per row; single-value rows span the rest.
  const LW = 20 * MM;
  const VW = (CONTENT_W - 2 * LW) / 2;
  const SPAN = CONTENT_W - LW;
  const PAD = 1.6 * MM;
  const a = c.assessment;
  const yn = (b: boolean) => (b ? '有' : '无');
  const value = { size: 10.5, minSize: 6.5, maxLines: 2, lineHeight: 1.15 };
  // The name shrinks to 10 pt, then wraps into 2 lines; a name that still does not fit goes to 3
  // smaller lines rather than being cut (a certificate must print the full name).
  const nameW = SPAN - 2 * PAD;
  let nameO: Partial<DrawOptions> = { size: 14, minSize: 10, maxLines: 2, bold: true, lineHeight: 1.15 };
  if (drawText(scratch, c.name, 0, 0, { ...nameO, size: 14, width: nameW }).truncated) {
    nameO = { ...nameO, minSize: 6, maxLines: 3, lineHeight: 1.1 };
  }
  const R = 8.5 * MM;
  const rows: { h: number; cells: CellSpec[] }[] = [
    { h: 13 * MM, cells: [{ text: '姓名', w: LW, label: true }, { text: c.name, w: SPAN, o: nameO }] },
    { h: R, cells: [{ text: '证件类型', w: LW, label: true }, { text: c.docTypeLabel, w: VW }, { text: '证件号码', w: LW, label: true }, { text: c.docMasked, w: VW }] },
    { h: R, cells: [{ text: '体温', w: LW, label: true }, { text: `${a.temperatureC} °C`, w: VW }, { text: '咳嗽', w: LW, label: true }, { text: yn(a.cough), w: VW }] },
    { h: R, cells: [{ text: '闷气', w: LW, label: true }, { text: yn(a.chestTightness), w: VW }, { text: '其他症状', w: LW, label: true }, { text: oneLine(a.otherSymptoms) || '无', w: VW, o: { size: 9.5, minSize: 5.5, maxLines: 3, lineHeight: 1.1 } }] },
    { h: R, cells: [{ text: '结论', w: LW, label: true }, { text: CONCLUSION_LABELS[a.conclusion], w: SPAN, o: { bold: true } }] },
    { h: R, cells: [{ text: '目的地', w: LW, label: true }, { text: oneLine(c.destination), w: SPAN, o: { minSize: 6, maxLines: 3, lineHeight: 1.1 } }] },
    { h: R, cells: [{ text: '事由', w: LW, label: true }, { text: oneLine(c.purpose), w: SPAN, o: { minSize: 6, maxLines: 3, lineHeight: 1.1 } }] },
  ];
  const tableTop = 29 * MM;
  let y = tableTop;
  for (const row of rows) {
    let x = MARGIN;
    for (const cell of row.cells) {
      if (cell.label) doc.rect(x, y, cell.w, row.h).fill('#F6EDED');
      const o: DrawOptions = cell.label
        ? { size: 10, minSize: 7, bold: true, color: INK, width: cell.w - 2 * PAD, align: 'center' }
        : { ...value, color: INK, width: cell.w - 2 * PAD, ...cell.o };
      centred(cell.text, x + PAD, y + row.h / 2, o);
      x += cell.w;
    }
    y += row.h;
  }
  // Rules: outer box, row lines, column lines per row.
  doc.lineWidth(0.6).strokeColor(RULE);
  doc.rect(MARGIN, tableTop, CONTENT_W, y - tableTop).stroke();
  let ry = tableTop;
  for (const row of rows) {
    if (ry > tableTop) doc.moveTo(MARGIN, ry).lineTo(MARGIN + CONTENT_W, ry).stroke();
    let x = MARGIN;
    for (const cell of row.cells.slice(0, -1)) {
      x += cell.w;
      doc.moveTo(x, ry).lineTo(x, ry + row.h).stroke();
    }
    ry += row.h;
  }
  const tableBottom = y;

  // Validity, statement, doctors.
  y = tableBottom + 3 * MM;
  y += text(`有效期：自 ${c.issuedAtChina} 至 ${c.notAfterChina}（北京时间）`, MARGIN, y, {
    size: 10, minSize: 7, maxLines: 2, bold: true, color: INK, width: CONTENT_W, lineHeight: 1.25,
  }).height + 1.5 * MM;
  y += text('兹证明上述人员已完成健康申报，经社区卫生服务中心健康评估，结论如上。', MARGIN, y, {
    size: 9, minSize: 6.5, maxLines: 2, color: GREY, width: CONTENT_W, lineHeight: 1.25,
  }).height + 2 * MM;
  const half = CONTENT_W / 2;
  text(`社区医生：${c.doctorName ?? '—'}`, MARGIN, y, { size: 10.5, minSize: 7, color: INK, width: half - 3 * MM });
  text(`主检医生：${c.chiefDoctorName ?? '—'}`, MARGIN + half, y, { size: 10.5, minSize: 7, color: INK, width: half });
  const blockTop = y + 7 * MM;

  // Footer note and QR (bottom left), its bottom edge fixed above the caption.
  const noteY = PAGE_H - 17.5 * MM;
  text(certNote(c.validDays), MARGIN, noteY, { size: 9, minSize: 7, color: GREY, width: CONTENT_W, align: 'center' });
  const quiet = (qrSide / qr.modules) * QUIET_MODULES;
  const qrX = MARGIN;
  const qrY = noteY - 9 * MM - qrSide;
  doc.rect(qrX - quiet, qrY - quiet, qrSide + 2 * quiet, qrSide + 2 * quiet).fill('#FFFFFF');
  doc.image(qr.png, qrX, qrY, { width: qrSide, height: qrSide });
  text(CERT_QR_CAPTION, qrX, qrY + qrSide + 1.8 * MM, { size: 10, bold: true, color: INK, width: qrSide, align: 'center' });

  // Issuer block (bottom right): 出具单位, the center's name, the date; the stamp over them.
  const colX = qrX + qrSide + quiet + 4 * MM;
  const colW = MARGIN + CONTENT_W - colX;
  const issuerTop = Math.max(blockTop, qrY + qrSide / 2 - 16 * MM);
  let iy = issuerTop;
  iy += text('出具单位：', colX, iy, { size: 10.5, color: INK, width: colW }).height + 1 * MM;
  iy += text(c.orgName, colX, iy, { size: 11.5, minSize: 7.5, maxLines: 3, bold: true, color: INK, width: colW, lineHeight: 1.2 }).height + 3 * MM;
  const dateR = text(chineseDate(c.issuedAtChina), colX, iy, { size: 11, color: INK, width: colW, align: 'right' });
  iy += dateR.height;
  const stampMissing = drawStamp(doc, { cx: colX + colW / 2 + 2 * MM, cy: (issuerTop + iy) / 2 + 4 * MM, orgName: c.orgName });
  stampMissing.forEach((ch) => missing.add(ch));
  if (c.voidMark) drawVoidMark(doc, c.voidMark);

  doc.end();
  scratch.end();
  await ended;
  return { pdf: Buffer.concat(chunks), missing: [...missing], modules: qr.modules, moduleMm: qrSide / qr.modules / MM };
}

/** `label` (e.g. 已作废) in large red type across the page, so a reprint of a void certificate cannot pass for a valid one. */
function drawVoidMark(doc: PDFKit.PDFDocument, label: string): void {
  doc.save();
  doc.rotate(-35, { origin: [PAGE_W / 2, PAGE_H / 2] });
  doc.fillOpacity(0.55);
  drawText(doc, label, 0, PAGE_H / 2 - 40, { size: 72, minSize: 24, bold: true, color: RED, width: PAGE_W, align: 'center' });
  doc.restore();
}
