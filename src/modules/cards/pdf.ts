/**
 * The printed personal card (一区一码 通行卡, issue 3 §6): one wallet-size page (ID-1, 85.6 × 54 mm),
 * Chinese, for a person without a phone. Left: title band, the full name (per-glyph font fallback,
 * src/lib/pdf-fonts.ts, so rare characters print), the masked document number (first 6 / last 4 of
 * an ID card visible, src/lib/mask.ts), the last valid day in China time and the short card number
 * staff read out to revoke it. Right: the QR of the raw card token (error correction M, ≥ 0.5 mm
 * per module and a 4-module quiet zone, so a phone or the gate tablet reads it from paper; LESSONS
 * "Certificates and signed codes": QR codes too dense to scan from paper).
 * Units: PDF points (1/72 in) unless named otherwise.
 */
import PDFDocument from 'pdfkit';
import { qrPng, shortNumber } from '../../lib/pdf-qr';
import { drawText } from '../../lib/pdf-fonts';

/** What a card shows. All strings are zh-CN display text. */
export interface CardContent {
  /** Full name as registered. */
  name: string;
  /** Masked document number (maskDocNumber), never the full one. */
  docMasked: string;
  /** Label of the document type, e.g. 居民身份证. */
  docTypeLabel: string;
  /** Last valid day, 'YYYY-MM-DD' China time. */
  validUntil: string;
  /** Card id (uuid): its first 8 characters print as the card number. */
  cardId: string;
  /** The compact JWS the QR holds. */
  token: string;
}

export const CARD_TITLE = '一区一码 通行卡';
/** The card's note: a lost card is replaced at the community or the gate, and the new card voids the old one (cards/service.ts). */
export const CARD_NOTE = '仅限本人使用 · 遗失请到社区或卡点补办，旧卡随即作废';

const MM = 72 / 25.4;
/** ID-1 card size (ISO/IEC 7810): 85.6 × 54 mm. */
export const CARD_W = 85.6 * MM;
export const CARD_H = 54 * MM;
const BAND_H = 9 * MM;
const PAD = 2.6 * MM;
/** QR symbol side without its quiet zone: 39 mm. */
export const CARD_QR_PT = 39 * MM;
const QUIET_MODULES = 4;
const RED = '#C8161D';
const INK = '#1A1A1A';
const GREY = '#5A5A5A';

/** Short card number printed on the card and shown in the console (shortNumber of its id). */
export const cardNumber = shortNumber;



/**
 * Render one card as a one-page PDF.
 * @returns the PDF bytes, the characters no font could draw (printed as '□'), the QR's modules
 *   per side and its module size in mm.
 */
export async function renderCardPdf(c: CardContent): Promise<{ pdf: Buffer; missing: string[]; modules: number; moduleMm: number }> {
  const qr = await qrPng(c.token, 6);
  const doc = new PDFDocument({
    size: [CARD_W, CARD_H], margin: 0, lang: 'zh-CN',
    info: { Title: CARD_TITLE, Creator: 'Yiqu' },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (b: Buffer) => chunks.push(b));
  const ended = new Promise<void>((resolve, reject) => { doc.on('end', resolve); doc.on('error', reject); });
  const missing = new Set<string>();
  const text = (s: string, x: number, y: number, o: Parameters<typeof drawText>[4]) => {
    const r = drawText(doc, s, x, y, o);
    r.missing.forEach((ch) => missing.add(ch));
    return r;
  };

  // Cut line and title band.
  doc.lineWidth(0.5).roundedRect(0.5, 0.5, CARD_W - 1, CARD_H - 1, 3 * MM).stroke('#BBBBBB');
  doc.save().roundedRect(0.5, 0.5, CARD_W - 1, CARD_H - 1, 3 * MM).clip();
  doc.rect(0, 0, CARD_W, BAND_H).fill(RED);
  doc.restore();
  text(CARD_TITLE, PAD, 1.6 * MM, { size: 13, bold: true, color: '#FFFFFF', width: CARD_W - 2 * PAD, minSize: 9 });

  // QR on the right, vertically centred under the band, quiet zone kept white.
  const quiet = (CARD_QR_PT / qr.modules) * QUIET_MODULES;
  const qx = CARD_W - PAD - CARD_QR_PT;
  const qy = BAND_H + (CARD_H - BAND_H - CARD_QR_PT) / 2;
  doc.image(qr.png, qx, qy, { width: CARD_QR_PT, height: CARD_QR_PT });

  // Text column on the left.
  const colW = qx - quiet - PAD;
  let y = BAND_H + 1.8 * MM;
  text('姓名', PAD, y, { size: 6.5, color: GREY });
  y += 8.5;
  y += text(c.name, PAD, y, { size: 15, minSize: 8, maxLines: 2, bold: true, color: INK, width: colW, lineHeight: 1.15 }).height + 2;
  text(c.docTypeLabel, PAD, y, { size: 6.5, color: GREY, width: colW, minSize: 5 });
  y += 8.5;
  y += text(c.docMasked, PAD, y, { size: 8.5, minSize: 6, color: INK, width: colW }).height + 2;
  text('有效期至', PAD, y, { size: 6.5, color: GREY });
  y += 8.5;
  y += text(c.validUntil, PAD, y, { size: 9, bold: true, color: INK, width: colW }).height + 2;
  text(`卡号 ${cardNumber(c.cardId)}`, PAD, y, { size: 6.5, color: GREY, width: colW });
  text(CARD_NOTE, PAD, CARD_H - PAD - 9, { size: 5.5, minSize: 4, maxLines: 2, color: GREY, width: colW, lineHeight: 1.2 });

  doc.end();
  await ended;
  return { pdf: Buffer.concat(chunks), missing: [...missing], modules: qr.modules, moduleMm: CARD_QR_PT / qr.modules / MM };
}
