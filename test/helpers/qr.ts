/**
 * Reading a printed QR code the way a phone would: a PDF page rendered to PNG by poppler's
 * `pdftoppm`, then decoded by zbar's `zbarimg --raw` (a real decoder, LESSONS "Certificates":
 * test codes from a printed page). Both are Debian packages (poppler-utils, zbar-tools).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { hasCommand, requireSystem } from './system';

/**
 * Whether pdftoppm and zbarimg are installed: true, or false (skip with the install hint), or
 * throws under CI=true.
 */
export function requireQrTools(): boolean {
  return requireSystem('pdftoppm (package poppler-utils)', hasCommand('pdftoppm'))
    && requireSystem('zbarimg (package zbar-tools)', hasCommand('zbarimg'));
}

/** Number of pages of a PDF, from `pdfinfo` when present, else by counting page objects. */
export function pdfPageCount(pdf: string): number {
  if (hasCommand('pdfinfo')) {
    const m = /^Pages:\s+(\d+)/m.exec(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }));
    if (m) return Number(m[1]);
  }
  return (fs.readFileSync(pdf, 'latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
}

/**
 * Render page `page` (1-based) of `pdf` at `dpi` dots per inch to a PNG in a fresh temp dir.
 * @returns the PNG's path
 * @throws Error when pdftoppm fails (not a PDF, no such page)
 */
export function pdfPageToPng(pdf: string, page = 1, dpi = 150): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yiqu-qr-'));
  const prefix = path.join(dir, 'page');
  execFileSync('pdftoppm', ['-png', '-r', String(dpi), '-f', String(page), '-l', String(page), '-singlefile', pdf, prefix], { stdio: ['ignore', 'ignore', 'pipe'] });
  const png = `${prefix}.png`;
  if (!fs.existsSync(png)) throw new Error(`pdftoppm wrote no image for page ${page} of ${pdf}`);
  return png;
}

/**
 * Every QR/barcode payload zbarimg finds in an image, one string per symbol (empty when none:
 * zbarimg exits 4 for "no symbol found", which is not an error here).
 * @throws Error for any other zbarimg failure (unreadable image)
 */
export function decodeImage(png: string): string[] {
  try {
    const out = execFileSync('zbarimg', ['--raw', '-q', '-Sqrcode.enable=1', png], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return out.split('\n').map((s) => s.trim()).filter(Boolean);
  } catch (e) {
    if ((e as { status?: number }).status === 4) return [];
    throw e;
  }
}

/** The QR payloads printed on page `page` (1-based) of `pdf`: render, then decode. */
export function qrCodesOnPdfPage(pdf: string, page = 1, dpi = 150): string[] {
  const png = pdfPageToPng(pdf, page, dpi);
  try {
    return decodeImage(png);
  } finally {
    fs.rmSync(path.dirname(png), { recursive: true, force: true });
  }
}
