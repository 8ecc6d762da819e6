/**
 * A4 checkpoint posters (一区一码 卡点通行码): one page per checkpoint, many per PDF.
 *
 * Each page: red title band, place name (large, shrinks/wraps to fit), checkpoint (gate) name,
 * district · street · community · place kind, the QR code (https URL `${publicUrl}/c/${token}`,
 * error correction M, symbol ≥ 11 cm wide + 4-module quiet zone), Chinese instructions and a footer
 * with the short code id the guard can check against the console.
 * Text uses `lib/pdf-fonts` (per-glyph fallback); characters no font can draw print as '□' and are
 * returned in `missing` so the caller can report them.
 */
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import PDFDocument from 'pdfkit';
import { qrPng } from '../../lib/pdf-qr';
import { drawText } from '../../lib/pdf-fonts.js';

/** One checkpoint poster. All labels are zh-CN display strings. */
export interface PosterItem {
  token: string; // the checkpoint's unguessable code (URL path segment)
  placeName: string;
  placeKind: string; // zh label, e.g. 住宅小区
  checkpointName: string; // gate, e.g. 东门
  communityName: string;
  streetName: string;
  districtName: string;
}

export interface PosterOptions {
  publicUrl: string; // https origin (+ optional path) the QR points at, no trailing slash needed
  onProgress?: (done: number, total: number) => void; // called after each page
}

/** Characters drawn as '□' for item `item` (0-based index into the input array). */
export interface PosterMissing {
  item: number;
  chars: string[];
}

export const POSTER_TITLE = '一区一码 · 扫码登记';
export const POSTER_INSTRUCTIONS = '请用手机相机或微信扫一扫，首次登记后每次进出扫码并测量体温';
export const POSTER_NOTE = '免费 · 无需下载App · 信息仅用于疫情防控';

const PAGE_W = 595.28; // A4 in pt
const PAGE_H = 841.89;
const MARGIN = 42; // ≈ 15 mm
const CONTENT_W = PAGE_W - 2 * MARGIN;
const QR_SYMBOL_PT = 326; // symbol width without quiet zone: 11.5 cm
const QR_QUIET_MODULES = 4;
const RED = '#C8161D';
const INK = '#1A1A1A';
const GREY = '#5A5A5A';

/** The URL a poster's QR encodes. */
export function checkinUrl(publicUrl: string, token: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/c/${encodeURIComponent(token)}`;
}

/** Short code shown in the footer: first 8 characters of the token (case kept), grouped 4-4. */
export function tokenPrefix(token: string): string {
  const p = [...token].slice(0, 8).join('');
  return p.length > 4 ? `${p.slice(0, 4)}-${p.slice(4)}` : p;
}

/** Draw one poster on the current page; returns the characters that printed as '□'. */
function drawPoster(doc: PDFKit.PDFDocument, item: PosterItem, qr: { png: Buffer; modules: number }): string[] {
  const missing = new Set<string>();
  const text = (s: string, y: number, o: Parameters<typeof drawText>[4], x = MARGIN) => {
    const r = drawText(doc, s, x, y, { align: 'center', width: CONTENT_W, ...o });
    r.missing.forEach((c) => missing.add(c));
    return r;
  };

  // Frame and title band.
  doc.lineWidth(3).rect(14, 14, PAGE_W - 28, PAGE_H - 28).stroke(RED);
  doc.rect(14, 14, PAGE_W - 28, 104).fill(RED);
  text(POSTER_TITLE, 34, { size: 44, bold: true, color: '#FFFFFF', minSize: 20 });
  text('疫情防控 · 卡点通行登记', 90, { size: 16, color: '#FFE9A8' });

  // Place, checkpoint, area.
  let y = 140;
  y += text(item.placeName, y, { size: 40, minSize: 18, maxLines: 2, bold: true, color: INK, lineHeight: 1.2 }).height;
  y += 4;
  y += text(`卡点：${item.checkpointName}`, y, { size: 26, minSize: 12, bold: true, color: RED }).height;
  const area = [item.districtName, item.streetName, item.communityName].filter(Boolean).join(' · ');
  y += text(`${area}${item.placeKind ? `（${item.placeKind}）` : ''}`, y, { size: 14, minSize: 8, color: GREY }).height;

  // Bottom block, anchored to the page bottom.
  const footerY = PAGE_H - 52;
  const noteY = footerY - 40;
  const instrY = noteY - 30;
  // QR symbol centred between the text above and the instructions below, quiet zone kept white.
  const quiet = (QR_SYMBOL_PT / qr.modules) * QR_QUIET_MODULES;
  const slot = instrY - y;
  const side = Math.min(QR_SYMBOL_PT, slot - 2 * quiet);
  const qx = (PAGE_W - side) / 2;
  const qy = y + (slot - side) / 2;
  doc.image(qr.png, qx, qy, { width: side, height: side });
  drawCorners(doc, qx - quiet + 6, qy - quiet + 6, side + 2 * quiet - 12);

  text(POSTER_INSTRUCTIONS, instrY, { size: 17, minSize: 10, bold: true, color: INK });
  text(POSTER_NOTE, noteY, { size: 13, minSize: 8, color: GREY });
  doc.lineWidth(0.5).moveTo(MARGIN, footerY - 10).lineTo(PAGE_W - MARGIN, footerY - 10).stroke('#BBBBBB');
  text(`码号 ${tokenPrefix(item.token)}（值守人员核对用）`, footerY, {
    size: 11,
    width: CONTENT_W / 2,
    align: 'left',
    color: GREY,
  });
  text('请张贴于卡点醒目处，勿遮挡、勿涂改', footerY, {
    size: 11,
    minSize: 7,
    width: CONTENT_W / 2,
    align: 'right',
    color: GREY,
  }, MARGIN + CONTENT_W / 2);
  return [...missing];
}

/** Scanner-style corner marks around the QR's quiet zone (x, y: top-left; s: side, pt). */
function drawCorners(doc: PDFKit.PDFDocument, x: number, y: number, s: number): void {
  const l = 26;
  doc.lineWidth(4).strokeColor(RED);
  for (const [cx, cy, dx, dy] of [
    [x, y, 1, 1],
    [x + s, y, -1, 1],
    [x, y + s, 1, -1],
    [x + s, y + s, -1, -1],
  ]) {
    doc.moveTo(cx + dx * l, cy).lineTo(cx, cy).lineTo(cx, cy + dy * l).stroke();
  }
}

const MAX_BUFFERED = 4 << 20; // bytes of PDF output we let pile up before pausing for the consumer

/**
 * Stream posters for `items` as one PDF into `out` (one A4 page per item, in order), pausing while
 * `out` is slow so memory stays flat for thousands of pages. Resolves after `out` has finished
 * (it is ended) with the page count and the characters that printed as '□'.
 */
export async function writePosters(
  items: PosterItem[],
  opts: PosterOptions,
  out: NodeJS.WritableStream,
): Promise<{ pages: number; missing: PosterMissing[] }> {
  if (items.length === 0) throw new RangeError('writePosters: no checkpoints to print');
  const doc = new PDFDocument({
    size: 'A4',
    margin: 0,
    autoFirstPage: false,
    lang: 'zh-CN',
    info: { Title: '一区一码 卡点通行码', Creator: 'Yiqu' },
  });
  let failure: unknown = null;
  const done = pipeline(doc, out).then(
    () => null,
    (err: unknown) => (failure = err),
  );
  const missing: PosterMissing[] = [];
  for (let i = 0; i < items.length && !failure; i++) {
    const item = items[i];
    const qr = await qrPng(checkinUrl(opts.publicUrl, item.token), 5);
    doc.addPage();
    const chars = drawPoster(doc, item, qr);
    if (chars.length) missing.push({ item: i, chars });
    opts.onProgress?.(i + 1, items.length);
    while (doc.readableLength > MAX_BUFFERED && !failure) await new Promise((r) => setTimeout(r, 5));
  }
  if (!failure) doc.end();
  else doc.destroy();
  await done;
  if (failure) throw failure;
  return { pages: items.length, missing };
}

/** Render posters into one in-memory PDF (use `writePosters` for large batches). */
export async function renderPosters(
  items: PosterItem[],
  opts: PosterOptions,
): Promise<{ pdf: Buffer; missing: PosterMissing[] }> {
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      chunks.push(chunk);
      cb();
    },
  });
  const { missing } = await writePosters(items, opts, sink);
  return { pdf: Buffer.concat(chunks), missing };
}
