import { afterEach, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import PDFDocument from 'pdfkit';
import { configureFonts, drawText, fontChain, fontPlan, missingGlyphs, parseFontList, PLACEHOLDER } from './pdf-fonts.js';

const NOTO_TTC = '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc';
const HANA_B = '/usr/share/fonts/truetype/hanazono/HanaMinB.ttf';
const RARE = '𠈌'; // U+2020C, CJK Ext-B: not in the primary Noto Sans Hans
const CI = process.env.CI === 'true';
const hasPdftotext = spawnSync('sh', ['-c', 'command -v pdftotext']).status === 0;
const SETUP = 'pdftotext missing: `npm run setup:system` installs poppler-utils';
if (!hasPdftotext && !CI) console.warn(`pdf-fonts.test: skipping text extraction (${SETUP})`);

function pdfBuffer(draw: (doc: PDFKit.PDFDocument) => void): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: 0 });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  draw(doc);
  doc.end();
  return done;
}

afterEach(() => configureFonts({}));

describe('fontPlan', () => {
  it('keeps common text and minority names with a middle dot in the primary face', () => {
    expect(fontPlan('阿依古丽·买买提 A1')).toEqual({ runs: [{ font: 'yiqu-regular', text: '阿依古丽·买买提 A1' }], missing: [] });
    expect(fontPlan('东门', { bold: true }).runs).toEqual([{ font: 'yiqu-bold', text: '东门' }]);
  });

  it('reports a character no face has, once, and draws one placeholder per code point', () => {
    configureFonts({ useSystem: false, fallbacks: [] });
    const plan = fontPlan(`${RARE}${RARE}家庄`);
    expect(plan.missing).toEqual([RARE]);
    expect(plan.runs).toEqual([{ font: 'yiqu-regular', text: `${PLACEHOLDER}${PLACEHOLDER}家庄` }]);
    expect([...plan.runs[0].text]).toHaveLength(4); // code points, not UTF-16 units
    expect(missingGlyphs(`张${RARE}`)).toEqual([RARE]);
  });

  it('drops invisible format characters and draws controls as spaces', () => {
    expect(fontPlan('a\u200Bb\tc\uFE0F\u{E0100}').runs).toEqual([{ font: 'yiqu-regular', text: 'ab c' }]);
  });

  it.skipIf(!existsSync(NOTO_TTC))('falls back per glyph to Noto Sans CJK (fonts-noto-cjk) for 𠈌', () => {
    configureFonts({ useSystem: false, fallbacks: [`${NOTO_TTC}#NotoSansCJKsc-Regular`] });
    expect(fontPlan(`${RARE}家庄`)).toEqual({
      runs: [
        { font: 'yiqu-regular-fb1', text: RARE },
        { font: 'yiqu-regular', text: '家庄' },
      ],
      missing: [],
    });
  });

  it.skipIf(!existsSync(HANA_B))('reads YIQU_FALLBACK_FONTS (HanaMinB from fonts-hanazono), skipping absent files', () => {
    const saved = process.env.YIQU_FALLBACK_FONTS;
    process.env.YIQU_FALLBACK_FONTS = `/nonexistent/font.ttf:${HANA_B}`;
    try {
      configureFonts({ useSystem: false });
      expect(fontChain().map((s) => s.path)).toEqual([expect.stringMatching(/NotoSansHans-Regular\.otf$/), HANA_B]);
      expect(fontPlan(`王${RARE}`).runs).toEqual([
        { font: 'yiqu-regular', text: '王' },
        { font: 'yiqu-regular-fb1', text: RARE },
      ]);
    } finally {
      if (saved === undefined) delete process.env.YIQU_FALLBACK_FONTS;
      else process.env.YIQU_FALLBACK_FONTS = saved;
    }
  });

  it.skipIf(!existsSync(NOTO_TTC))('uses the first face of a collection named without #PostScriptName', () => {
    configureFonts({ useSystem: false, fallbacks: [NOTO_TTC] });
    expect(fontChain()[1]).toEqual({ path: NOTO_TTC, postscriptName: expect.stringMatching(/^NotoSans/) });
  });

  it('parses the font list syntax', () => {
    expect(parseFontList('/a.ttf: /b.ttc#Face-Bold ::')).toEqual([{ path: '/a.ttf' }, { path: '/b.ttc', postscriptName: 'Face-Bold' }]);
  });
});

describe('drawText', () => {
  const name = '焦作市山阳区人民政府机关事务管理局第二办公区'; // 21 full-width characters

  it('shrinks to fit the width', async () => {
    await pdfBuffer((doc) => {
      const r = drawText(doc, name, 10, 10, { size: 40, minSize: 5, width: 210 });
      expect(r.lines).toBe(1);
      expect(r.size).toBeCloseTo(10, 0);
      expect(r.width).toBeLessThanOrEqual(210.01);
      expect(r.truncated).toBe(false);
    });
  });

  it('wraps into maxLines before going below minSize, then truncates with …', async () => {
    await pdfBuffer((doc) => {
      const two = drawText(doc, name, 10, 10, { size: 40, minSize: 16, maxLines: 2, width: 210 });
      expect(two.lines).toBe(2);
      expect(two.size).toBeGreaterThanOrEqual(16);
      expect(two.width).toBeLessThanOrEqual(210.01);
      expect(two.height).toBeCloseTo(2 * two.size * 1.3, 5);
      const cut = drawText(doc, name, 10, 200, { size: 40, minSize: 16, width: 210 });
      expect(cut).toMatchObject({ lines: 1, size: 16, truncated: true });
      expect(cut.width).toBeLessThanOrEqual(210.01);
    });
  });

  it.skipIf(!hasPdftotext && !CI)('prints an unavailable character as a visible □ and reports it', async () => {
    configureFonts({ useSystem: false, fallbacks: [] });
    let missing: string[] = [];
    const pdf = await pdfBuffer((doc) => {
      missing = drawText(doc, `${RARE}家庄小区`, 50, 50, { size: 30 }).missing;
    });
    expect(missing).toEqual([RARE]);
    const dir = mkdtempSync(path.join(tmpdir(), 'yiqu-fonts-'));
    try {
      writeFileSync(path.join(dir, 'a.pdf'), pdf);
      const text = execFileSync('pdftotext', [path.join(dir, 'a.pdf'), '-'], { encoding: 'utf8' });
      expect(text).toContain(`${PLACEHOLDER}家庄小区`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
