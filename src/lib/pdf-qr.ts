/**
 * QR codes for printed PDFs (posters, cards, certificates): one PNG per symbol with error
 * correction M, no quiet zone (each layout keeps its own white margin of 4 modules), 8-bit grey
 * without alpha (pdfkit embeds it as is) and no adaptive filtering (slow, no gain on two colours).
 * `scale` is whole pixels per module, so viewers and printers upscale without smoothing.
 */
import QRCode from 'qrcode';

/**
 * The PNG of `text`'s QR symbol and its modules per side.
 * @throws Error from `qrcode` when the text is too long for any QR version.
 */
export async function qrPng(text: string, scale: number): Promise<{ png: Buffer; modules: number }> {
  const modules = QRCode.create(text, { errorCorrectionLevel: 'M' }).modules.size;
  const png = await QRCode.toBuffer(text, {
    type: 'png', errorCorrectionLevel: 'M', margin: 0, scale,
    rendererOpts: { colorType: 0, filterType: 0 } as QRCode.QRCodeToBufferOptions['rendererOpts'],
  });
  return { png, modules };
}

/** The short number printed on a card or certificate for a uuid: its first 8 hex characters, upper case, 4-4. */
export function shortNumber(id: string): string {
  const p = id.replace(/-/g, '').slice(0, 8).toUpperCase();
  return `${p.slice(0, 4)}-${p.slice(4)}`;
}
