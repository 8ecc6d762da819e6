/**
 * The printed certificate (renderCertificatePdf): one A5 page, the full name and the center read
 * back by pdftotext (poppler-utils), rare characters reported when no font has them, and the QR
 * read back by a real decoder from a 300 dpi rendering (pdftoppm + zbarimg, test/helpers/qr.ts).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { pdfPageCount, qrCodesOnPdfPage, requireQrTools } from '../../../test/helpers/qr';
import { hasCommand, requireSystem } from '../../../test/helpers/system';
import { configureFonts, fontChain, missingGlyphs } from '../../lib/pdf-fonts';
import { CERT_NOTE, CERT_QR_CAPTION, CONCLUSION_LABELS, CERT_TITLE, certificateNumber, chineseDate, renderCertificatePdf, type CertificateContent } from './pdf';
import { arcLayout, starPoints } from './stamp';

const RARE = '𠈌'; // U+2020C, CJK Ext-B: only in the fallback faces (fonts-noto-cjk, fonts-hanazono)
const pdftotext = requireSystem('pdftotext (package poppler-utils)', hasCommand('pdftotext'));
const qrTools = requireQrTools();
/** Whether a face on this machine draws 𠈌 (fonts-noto-cjk or fonts-hanazono installed). */
const rareFont = missingGlyphs(RARE).length === 0 && fontChain().length > 1;

const dir = mkdtempSync(path.join(tmpdir(), 'yiqu-cert-pdf-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => configureFonts({}));

/** A token-like QR payload of exactly `n` characters (base64url, as a compact JWS). */
function qrOf(n: number): string {
  const prefix = 'https://yiqu.example.cn/v#';
  let body = '';
  for (let i = 0; body.length < n - prefix.length; i++) body += Buffer.from(`cert-${i}-签名`).toString('base64url');
  return prefix + body.slice(0, n - prefix.length);
}

function content(over: Partial<CertificateContent> = {}): CertificateContent {
  return {
    name: `${RARE}田·阿依古丽买买提`,
    docTypeLabel: '居民身份证',
    docMasked: '410802********1234',
    orgName: '山阳区东方红街道社区卫生服务中心',
    doctorName: '李芳',
    chiefDoctorName: '王建国',
    assessment: { temperatureC: 36.5, cough: false, chestTightness: true, otherSymptoms: '', conclusion: 'fit' },
    destination: '河南省郑州市金水区',
    purpose: '返岗复工',
    issuedAtChina: '2026-11-30 10:03:12',
    notAfterChina: '2026-12-05 10:03:12',
    certificateNo: 'A1B2-C3D4',
    qrText: qrOf(640),
    ...over,
  };
}

let n = 0;
function save(pdf: Buffer): string {
  const file = path.join(dir, `c${++n}.pdf`);
  writeFileSync(file, pdf);
  return file;
}

/** pdftotext output with all white space removed (names and the org name may wrap). */
function textOf(file: string): string {
  return execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
}

describe('certificateNumber / chineseDate', () => {
  it('prints the first 8 hex characters of the id, 4-4, upper case', () => {
    expect(certificateNumber('a1b2c3d4-e5f6-4789-8abc-def012345678')).toBe('A1B2-C3D4');
  });
  it('formats the issue date', () => {
    expect(chineseDate('2026-01-05 23:59:59')).toBe('2026年1月5日');
  });
});

describe('stamp geometry', () => {
  it('spreads the name over at most 220° and keeps long names narrow, not tiny', () => {
    const long = arcLayout(30, 42);
    expect(long.angles[0]).toBeCloseTo(-110, 5);
    expect(long.angles[29]).toBeCloseTo(110, 5);
    expect(long.size).toBeGreaterThanOrEqual(7);
    expect(long.squeeze).toBeLessThan(1);
    const short = arcLayout(6, 42);
    expect(short.angles[5] - short.angles[0]).toBeLessThan(220);
    expect(short.squeeze).toBeLessThanOrEqual(1);
  });
  it('draws a five-pointed star with one point up', () => {
    const pts = starPoints(100, 100, 10);
    expect(pts).toHaveLength(10);
    expect(pts[0][0]).toBeCloseTo(100, 6);
    expect(pts[0][1]).toBeCloseTo(90, 6);
    const r = (p: [number, number]) => Math.hypot(p[0] - 100, p[1] - 100);
    expect(pts.filter((p) => Math.abs(r(p) - 10) < 1e-6)).toHaveLength(5);
  });
});

describe('renderCertificatePdf', () => {
  it('renders one A5 portrait page with a QR of ≥ 0.5 mm modules and ≥ 45 mm side', async () => {
    const r = await renderCertificatePdf(content());
    expect(r.pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const file = save(r.pdf);
    expect(pdfPageCount(file)).toBe(1);
    if (hasCommand('pdfinfo')) {
      const m = /Page size:\s+([\d.]+) x ([\d.]+) pts/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }));
      expect(m && [Number(m[1]).toFixed(2), Number(m[2]).toFixed(2)]).toEqual(['419.53', '595.28']);
    } else {
      const box = /\/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]/.exec(r.pdf.toString('latin1'));
      expect(box && [Number(box[1]), Number(box[2])].map((v) => Math.round(v * 100) / 100)).toEqual([419.53, 595.28]);
    }
    expect(r.moduleMm).toBeGreaterThanOrEqual(0.5);
    expect(r.modules * r.moduleMm).toBeGreaterThanOrEqual(45);
  });

  it.skipIf(!pdftotext)('prints the title, full name, document, assessment, validity, doctors and center', async () => {
    const c = content();
    const r = await renderCertificatePdf(c);
    const t = textOf(save(r.pdf));
    for (const s of [
      CERT_TITLE, '编号：A1B2-C3D4', c.name, '居民身份证', '410802********1234', '36.5°C', '闷气有', '咳嗽无',
      CONCLUSION_LABELS.fit, '河南省郑州市金水区', '返岗复工', '社区医生：李芳', '主检医生：王建国',
      '自2026-11-3010:03:12至2026-12-0510:03:12（北京时间）', `出具单位：${c.orgName}`, '2026年11月30日',
      CERT_QR_CAPTION, CERT_NOTE.replace(/\s+/g, ''),
    ]) expect(t).toContain(s.replace(/\s+/g, ''));
  });

  it.skipIf(!pdftotext)('prints a middle-dot minority name and a 30-character center name in full', async () => {
    const c = content({ name: '阿依古丽·买买提', orgName: '焦作市山阳区东方红街道办事处光亚社区卫生服务中心站', chiefDoctorName: null });
    expect([...c.orgName]).toHaveLength(25);
    const long = { ...c, orgName: `${c.orgName}第一分站点` };
    const r = await renderCertificatePdf(long);
    const t = textOf(save(r.pdf));
    expect(t).toContain('阿依古丽·买买提');
    expect(t).toContain(`出具单位：${long.orgName}`);
    expect(t).toContain('主检医生：—');
  });

  it.skipIf(!rareFont)('reports no missing glyph when a fallback face has 𠈌 (fonts-noto-cjk / fonts-hanazono)', async () => {
    const r = await renderCertificatePdf(content({ orgName: `${RARE}家庄社区卫生服务中心` }));
    expect(r.missing).toEqual([]);
  });

  it('reports 𠈌 (once) when no face has it, and still prints the rest', async () => {
    configureFonts({ useSystem: false, fallbacks: [] });
    const r = await renderCertificatePdf(content({ orgName: `${RARE}家庄社区卫生服务中心` }));
    expect(r.missing).toEqual([RARE]);
    if (pdftotext) {
      const t = textOf(save(r.pdf));
      expect(t).toContain('□田·阿依古丽买买提');
      expect(t).toContain('出具单位：□家庄社区卫生服务中心');
    }
  });

  it.skipIf(!qrTools)('a 40-character name with rare characters and a 900-character QR scans back exactly at 300 dpi', async () => {
    const name = `${RARE}${RARE}阿依古丽·买买提·艾尔肯江·库尔班尼亚孜·吐尔逊古丽·热依拉·阿卜杜拉江·${RARE}`;
    expect([...name]).toHaveLength(40);
    const qrText = qrOf(900);
    expect(qrText).toHaveLength(900);
    const r = await renderCertificatePdf(content({ name, qrText }));
    expect(r.moduleMm).toBeGreaterThanOrEqual(0.5);
    const file = save(r.pdf);
    expect(qrCodesOnPdfPage(file, 1, 300)).toEqual([qrText]);
    if (pdftotext) expect(textOf(file)).toContain(rareFont ? name : name.replaceAll(RARE, '□'));
  });

  it.skipIf(!pdftotext)('wraps a very long name into more lines rather than cutting it', async () => {
    const name = '阿依古丽·买买提·艾尔肯江·库尔班尼亚孜·吐尔逊古丽·热依拉·阿卜杜拉·买合木提·米日古丽·艾合买提江·努尔';
    const t = textOf(save((await renderCertificatePdf(content({ name }))).pdf));
    expect(t).toContain(name);
    expect(t).not.toContain('…');
  });
});
