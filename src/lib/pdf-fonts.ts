/// <reference types="pdfkit" />
/**
 * Chinese text for pdfkit documents (posters, certificates) with per-glyph font fallback.
 *
 * Primary face: Noto Sans Hans (Regular/Bold) from `@embedpdf/fonts-sc` (GB2312-ish coverage, no CJK
 * Ext-B such as 𠈌 U+2020C). Each code point is drawn with the first face that has it:
 *   primary → faces listed in env `YIQU_FALLBACK_FONTS` → system faces that exist on this machine
 *   (Debian `fonts-noto-cjk`: Noto Sans CJK SC, ~2.1k Ext-B chars incl. 𠈌; Debian `fonts-hanazono`:
 *   HanaMinA/HanaMinB, near-complete Ext-A…Ext-F, mincho style).
 * A code point that no face has is drawn as the placeholder '□' and reported in `missing`: never dropped.
 * Invisible default-ignorables (ZWSP/ZWJ/BOM, variation selectors) are not drawn; C0/C1 controls draw
 * as a space. Everything counts Unicode code points, never UTF-16 units.
 *
 * `YIQU_FALLBACK_FONTS`: colon-separated paths; a collection (.ttc/.otc) may name its face as
 * `path#PostScriptName` (else its first face is used). Missing files are skipped.
 * Units: all sizes and coordinates are PDF points (1/72 in).
 */
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import path from 'node:path';

const require = createRequire(import.meta.url);

/** The subset of fontkit's API used here (fontkit ships no types). */
interface FkFont {
  postscriptName: string;
  hasGlyphForCodePoint(cp: number): boolean;
}
interface FkCollection {
  fonts: FkFont[];
}
interface Fontkit {
  openSync(file: string, postscriptName?: string): FkFont | FkCollection | null;
}
// fontkit is pdfkit's own dependency: resolve it from pdfkit so both agree on the version.
const fontkit = createRequire(require.resolve('pdfkit'))('fontkit') as Fontkit;

/** A font file; `postscriptName` picks a face inside a collection (.ttc/.otc). */
export interface FontSource {
  path: string;
  postscriptName?: string;
}
export type Weight = 'regular' | 'bold';

/** The placeholder drawn for a code point that no available face has. */
export const PLACEHOLDER = '□';

// The package does not export './package.json'; its main entry is dist/index.cjs, fonts sit in ../fonts.
const sc = path.join(path.dirname(require.resolve('@embedpdf/fonts-sc')), '..', 'fonts');
/** Primary faces, always present (npm dependency). */
export const PRIMARY: Record<Weight, FontSource> = {
  regular: { path: path.join(sc, 'NotoSansHans-Regular.otf') },
  bold: { path: path.join(sc, 'NotoSansHans-Bold.otf') },
};

const NOTO = '/usr/share/fonts/opentype/noto';
const HANA = '/usr/share/fonts/truetype/hanazono';
/** System faces tried after the env list, when the file exists (Debian paths). */
export const SYSTEM_FALLBACKS: Record<Weight, FontSource[]> = {
  regular: [
    { path: `${NOTO}/NotoSansCJK-Regular.ttc`, postscriptName: 'NotoSansCJKsc-Regular' },
    { path: `${HANA}/HanaMinA.ttf` },
    { path: `${HANA}/HanaMinB.ttf` },
  ],
  bold: [
    { path: `${NOTO}/NotoSansCJK-Bold.ttc`, postscriptName: 'NotoSansCJKsc-Bold' },
    { path: `${NOTO}/NotoSansCJK-Regular.ttc`, postscriptName: 'NotoSansCJKsc-Regular' },
    { path: `${HANA}/HanaMinA.ttf` },
    { path: `${HANA}/HanaMinB.ttf` },
  ],
};

interface Face {
  name: string; // pdfkit font alias, e.g. 'yiqu-regular', 'yiqu-regular-fb1'
  src: FontSource; // postscriptName filled in for collections
  font: FkFont | null; // fontkit face, opened lazily (large files)
  failed: boolean;
  primary: boolean;
}
interface Registry {
  chains: Record<Weight, Face[]>;
  byName: Map<string, Face>;
  cache: Map<string, string | null>; // `${weight}:${cp}` → face name | null
}
let registry: Registry | null = null;
let config: { fallbacks?: string[]; useSystem?: boolean } = {};

/** Parse `path#PostScriptName` entries (the env var / config syntax). */
export function parseFontList(list: string | string[] | undefined): FontSource[] {
  const items = typeof list === 'string' ? list.split(':') : (list ?? []);
  return items
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      const i = s.lastIndexOf('#');
      return i > 0 ? { path: s.slice(0, i), postscriptName: s.slice(i + 1) } : { path: s };
    });
}

/**
 * Replace the fallback configuration (tests, CLI). `fallbacks` replaces `YIQU_FALLBACK_FONTS`;
 * `useSystem: false` ignores the system faces. Calling with `{}` restores defaults (env re-read).
 */
export function configureFonts(opts: { fallbacks?: string[]; useSystem?: boolean }): void {
  config = { ...opts };
  registry = null;
}

function getRegistry(): Registry {
  if (registry) return registry;
  const extra = parseFontList(config.fallbacks ?? process.env.YIQU_FALLBACK_FONTS);
  const byName = new Map<string, Face>();
  const chains = {} as Record<Weight, Face[]>;
  for (const w of ['regular', 'bold'] as const) {
    const system = config.useSystem === false ? [] : SYSTEM_FALLBACKS[w];
    const srcs = [PRIMARY[w], ...extra, ...system].filter((s, i) => i === 0 || existsSync(s.path));
    chains[w] = srcs.map((src, i) => {
      const name = i === 0 ? `yiqu-${w}` : `yiqu-${w}-fb${i}`;
      const face: Face = { name, src, font: null, failed: false, primary: i === 0 };
      byName.set(face.name, face);
      return face;
    });
  }
  registry = { chains, byName, cache: new Map() };
  return registry;
}

function openFace(face: Face): FkFont | null {
  if (face.font || face.failed) return face.font;
  try {
    const f = fontkit.openSync(face.src.path, face.src.postscriptName);
    const font = f && 'fonts' in f ? (f.fonts[0] ?? null) : f;
    if (!font) throw new Error(`no face ${face.src.postscriptName ?? ''} in ${face.src.path}`);
    face.font = font;
    if (f && 'fonts' in f) face.src = { ...face.src, postscriptName: font.postscriptName };
  } catch (err) {
    if (face.primary) throw err; // the primary face must load
    face.failed = true;
  }
  return face.font;
}

/** Name of the first face in the chain that can draw `cp`, or null. */
function faceFor(cp: number, weight: Weight): string | null {
  const reg = getRegistry();
  const key = `${weight}:${cp}`;
  const hit = reg.cache.get(key);
  if (hit !== undefined) return hit;
  let found: string | null = null;
  for (const face of reg.chains[weight]) {
    if (openFace(face)?.hasGlyphForCodePoint(cp)) {
      found = face.name;
      break;
    }
  }
  reg.cache.set(key, found);
  return found;
}

const IGNORABLE = /^[\u00AD\u200B-\u200F\u202A-\u202E\u2060-\u2064\uFE00-\uFE0F\uFEFF\u{E0100}-\u{E01EF}]$/u;
const CONTROL = /^[\u0000-\u001F\u007F-\u009F]$/u;

/** A run of text to draw with one registered font. */
export interface Run {
  font: string; // pdfkit alias, registered on the document by `ensureFonts`/`drawText`
  text: string;
}

/**
 * Split `text` into runs by the face that draws each code point. Unavailable code points become
 * '□' in the primary face and are listed (unique, in order of appearance) in `missing`.
 */
export function fontPlan(text: string, opts: { bold?: boolean } = {}): { runs: Run[]; missing: string[] } {
  const weight: Weight = opts.bold ? 'bold' : 'regular';
  const primary = getRegistry().chains[weight][0].name;
  const runs: Run[] = [];
  const missing: string[] = [];
  for (const ch of text) {
    if (IGNORABLE.test(ch)) continue;
    let draw = CONTROL.test(ch) ? ' ' : ch;
    let font = faceFor(draw.codePointAt(0)!, weight);
    if (font === null) {
      if (!missing.includes(draw)) missing.push(draw);
      draw = PLACEHOLDER;
      font = primary;
    }
    const last = runs[runs.length - 1];
    if (last && last.font === font) last.text += draw;
    else runs.push({ font, text: draw });
  }
  return { runs, missing };
}

/** Characters of `text` (unique code points, in order) that no available face can draw. */
export function missingGlyphs(text: string, opts: { bold?: boolean } = {}): string[] {
  return fontPlan(text, opts).missing;
}

/** Files actually in use, for diagnostics ("which fallback fonts does this machine have?"). */
export function fontChain(weight: Weight = 'regular'): FontSource[] {
  return getRegistry()
    .chains[weight].filter((f) => openFace(f) !== null)
    .map((f) => f.src);
}

const registered = new WeakMap<PDFKit.PDFDocument, Set<string>>();

/** Register the given font aliases (all of the chain when omitted) on `doc`; idempotent. */
export function ensureFonts(doc: PDFKit.PDFDocument, names?: Iterable<string>): void {
  const reg = getRegistry();
  let done = registered.get(doc);
  if (!done) registered.set(doc, (done = new Set()));
  const all = names ?? [...reg.byName.keys()];
  for (const name of all) {
    if (done.has(name)) continue;
    const face = reg.byName.get(name);
    if (!face || !openFace(face)) continue;
    doc.registerFont(name, face.src.path, face.src.postscriptName);
    done.add(name);
  }
}

/** Options of `drawText`. Sizes in pt. */
export interface DrawOptions {
  size: number; // preferred font size
  bold?: boolean;
  width?: number; // box width; needed for align, shrinking and wrapping
  align?: 'left' | 'center' | 'right';
  minSize?: number; // shrink down to this size to fit `width` (default: `size`, no shrinking)
  maxLines?: number; // wrap into up to this many lines once `minSize` is reached (default 1)
  lineHeight?: number; // line advance as a multiple of the size (default 1.3)
  color?: string;
}
/** What `drawText` did: the size used, box height in pt, and characters drawn as '□'. */
export interface DrawResult {
  size: number;
  lines: number;
  height: number;
  width: number; // widest line, pt
  truncated: boolean; // text ran past `maxLines` at `minSize` and ends with '…'
  missing: string[];
}

type Cell = { font: string; ch: string; w: number }; // w: advance at size 1

/**
 * Draw one string with per-glyph fallback; (x, y) is the top-left of the box (y grows downward).
 * Text shrinks to fit `width` down to `minSize`, then wraps (by character) into `maxLines`.
 */
export function drawText(doc: PDFKit.PDFDocument, text: string, x: number, y: number, o: DrawOptions): DrawResult {
  const plan = fontPlan(text, { bold: o.bold });
  const primary = getRegistry().chains[o.bold ? 'bold' : 'regular'][0].name;
  ensureFonts(doc, new Set([...plan.runs.map((r) => r.font), primary]));
  const cells: Cell[] = [];
  for (const r of plan.runs) {
    doc.font(r.font).fontSize(1000);
    for (const ch of r.text) cells.push({ font: r.font, ch, w: doc.widthOfString(ch) / 1000 });
  }
  const total = cells.reduce((s, c) => s + c.w, 0);
  const maxLines = Math.max(1, o.maxLines ?? 1);
  const minSize = Math.min(o.minSize ?? o.size, o.size);
  let size = o.size;
  let lines: Cell[][] = [cells];
  let truncated = false;
  if (o.width !== undefined && total * size > o.width) {
    size = Math.max(minSize, o.width / total);
    if (total * size > o.width + 1e-6) {
      // Wrapping needed: find the largest size (0.5 pt steps) at which the text fits in maxLines.
      for (size = Math.min(o.size, (o.width * maxLines) / total); size > minSize; size -= 0.5) {
        if (wrap(cells, o.width / size).length <= maxLines) break;
      }
      size = Math.max(size, minSize);
      lines = wrap(cells, o.width / size);
      if (lines.length > maxLines) {
        truncated = true;
        lines = lines.slice(0, maxLines);
        const last = lines[maxLines - 1];
        const ell: Cell = { font: primary, ch: '…', w: doc.font(primary).fontSize(1000).widthOfString('…') / 1000 };
        while (last.length && last.reduce((s, c) => s + c.w, 0) + ell.w > o.width / size) last.pop();
        last.push(ell);
      }
    }
  }
  const lh = size * (o.lineHeight ?? 1.3);
  const ascent = 0.88 * size; // Noto Sans CJK ascender; baseline of the first line is y + ascent
  let widest = 0;
  if (o.color) doc.fillColor(o.color);
  lines.forEach((line, i) => {
    const lineW = line.reduce((s, c) => s + c.w, 0) * size;
    widest = Math.max(widest, lineW);
    const box = o.width ?? lineW;
    let cx = x + (o.align === 'center' ? (box - lineW) / 2 : o.align === 'right' ? box - lineW : 0);
    for (const run of group(line)) {
      doc.font(run.font).fontSize(size);
      doc.text(run.text, cx, y + ascent + i * lh, { lineBreak: false, baseline: 'alphabetic' });
      cx += doc.widthOfString(run.text);
    }
  });
  return { size, lines: lines.length, height: lines.length * lh, width: widest, truncated, missing: plan.missing };
}

/** Greedy wrap by character; `limit` is the line width at size 1. */
function wrap(cells: Cell[], limit: number): Cell[][] {
  const out: Cell[][] = [[]];
  let w = 0;
  for (const c of cells) {
    const cur = out[out.length - 1];
    if (cur.length && w + c.w > limit) {
      out.push([c]);
      w = c.w;
    } else {
      cur.push(c);
      w += c.w;
    }
  }
  for (const l of out) while (l.length > 1 && l[l.length - 1].ch === ' ') l.pop();
  return out;
}

function group(line: Cell[]): Run[] {
  const runs: Run[] = [];
  for (const c of line) {
    const last = runs[runs.length - 1];
    if (last && last.font === c.font) last.text += c.ch;
    else runs.push({ font: c.font, text: c.ch });
  }
  return runs;
}
