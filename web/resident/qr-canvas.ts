/**
 * Drawing a QR code on a canvas in the browser (`qrcode`), shared by /pass (./pass.ts) and the
 * 健康申报证明 (./certificate.ts). Only those two on-demand chunks import it, so `qrcode` never
 * reaches the check-in page (its weight budget, test/unit/resident-weight.test.ts).
 */
import QRCode from 'qrcode';

/**
 * Draws `text` as a QR code on `canvas`: error correction M, a 4-module white quiet zone, whole
 * device pixels per module (crisp on any screen), about `cssSize` CSS pixels wide.
 */
export function drawQr(canvas: HTMLCanvasElement, text: string, cssSize: number): void {
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const n = qr.modules.size;
  const dpr = Math.max(1, window.devicePixelRatio || 1);
  const unit = Math.max(1, Math.floor((cssSize * dpr) / (n + 8)));
  const side = unit * (n + 8);
  canvas.width = side;
  canvas.height = side;
  canvas.style.width = canvas.style.height = `${side / dpr}px`;
  const g = canvas.getContext('2d');
  if (!g) return;
  g.fillStyle = '#fff';
  g.fillRect(0, 0, side, side);
  g.fillStyle = '#000';
  for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) if (qr.modules.get(r, c)) g.fillRect((c + 4) * unit, (r + 4) * unit, unit, unit);
}
