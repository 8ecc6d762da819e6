/**
 * Weight budget of the resident check-in page (issue 2 acceptance: its JS and CSS ≤ 80 KB gzipped;
 * LESSONS "Surges": page weight is capacity on cheap phones in WeChat at a ten-fold peak).
 *
 * Measures the built entry dist/web/resident/index.html when it is newer than every file under
 * web/resident and vite.config.ts; otherwise builds the resident entry alone, with the project's
 * own vite config, into a temporary directory (about a second). Counted: every script, stylesheet
 * and modulepreload the HTML references, plus the chunks those scripts import statically, each
 * gzipped at zlib's default level (what @fastify/compress sends).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SOURCES = path.join(ROOT, 'web/resident');
const DIST = path.join(ROOT, 'dist/web');
/** The acceptance budget, bytes gzipped (80 KB). */
const BUDGET = 80 * 1024;

interface Asset { file: string; bytes: number; gzipped: number; css?: string }

function newestMtime(p: string): number {
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(0, ...fs.readdirSync(p).map((e) => newestMtime(path.join(p, e))));
}

/** True when dist/web holds a resident build at least as new as its sources. */
function distIsFresh(): boolean {
  const html = path.join(DIST, 'resident/index.html');
  if (!fs.existsSync(html)) return false;
  const built = fs.statSync(html).mtimeMs;
  return built >= newestMtime(SOURCES) && built >= fs.statSync(path.join(ROOT, 'vite.config.ts')).mtimeMs;
}

/** Builds only the resident entry with the project's vite config into `outDir`. */
async function buildResident(outDir: string): Promise<void> {
  const { build, loadConfigFromFile } = await import('vite');
  const loaded = await loadConfigFromFile({ command: 'build', mode: 'production' }, path.join(ROOT, 'vite.config.ts'), ROOT);
  if (!loaded) throw new Error('vite.config.ts not found');
  const cfg = loaded.config;
  const input = cfg.build?.rollupOptions?.input as Record<string, string> | undefined;
  if (!input?.resident) throw new Error('vite.config.ts has no "resident" input');
  await build({
    ...cfg,
    configFile: false,
    logLevel: 'warn',
    root: path.resolve(ROOT, cfg.root ?? '.'),
    build: {
      ...cfg.build,
      outDir,
      emptyOutDir: true,
      rollupOptions: { ...cfg.build?.rollupOptions, input: { resident: path.resolve(ROOT, input.resident) } },
    },
  });
}

/** Attribute values of the <script src> and <link href> tags of an HTML page, with their kind. */
function htmlRefs(html: string): Array<{ kind: 'script' | 'stylesheet' | 'modulepreload' | 'other'; url: string }> {
  const out: Array<{ kind: 'script' | 'stylesheet' | 'modulepreload' | 'other'; url: string }> = [];
  for (const m of html.matchAll(/<(script|link)\b([^>]*)>/gi)) {
    const attr = (name: string) => new RegExp(`\\b${name}\\s*=\\s*["']([^"']*)["']`, 'i').exec(m[2])?.[1];
    if (m[1].toLowerCase() === 'script') {
      const src = attr('src');
      if (src) out.push({ kind: 'script', url: src });
    } else {
      const rel = (attr('rel') ?? '').toLowerCase();
      const href = attr('href');
      if (href) out.push({ kind: rel === 'stylesheet' ? 'stylesheet' : rel === 'modulepreload' ? 'modulepreload' : 'other', url: href });
    }
  }
  return out;
}

/** Static import specifiers of a minified ES module ('./x.js', '/assets/x.js'). */
function staticImports(js: string): string[] {
  const specs = new Set<string>();
  for (const m of js.matchAll(/(?:\bimport|\bexport)\s*(?:[\w*{}\s,$]*?\bfrom\s*)?["']([^"']+\.js)["']/g)) specs.add(m[1]);
  return [...specs];
}

/** Every JS/CSS file the resident entry loads at start, with raw and gzipped sizes. */
function entryAssets(outDir: string): { assets: Asset[]; external: string[] } {
  const htmlFile = path.join(outDir, 'resident/index.html');
  const html = fs.readFileSync(htmlFile, 'utf8');
  const external: string[] = [];
  const seen = new Map<string, Asset>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    if (!fs.existsSync(file)) throw new Error(`the build references a missing file: ${path.relative(outDir, file)}`);
    const buf = fs.readFileSync(file);
    seen.set(file, { file: path.relative(outDir, file), bytes: buf.length, gzipped: zlib.gzipSync(buf).length,
      css: file.endsWith('.css') ? buf.toString('utf8') : undefined });
    if (file.endsWith('.js')) for (const s of staticImports(buf.toString('utf8'))) visit(s.startsWith('/') ? path.join(outDir, s) : path.resolve(path.dirname(file), s));
  };
  for (const ref of htmlRefs(html)) {
    if (/^(?:[a-z]+:)?\/\//i.test(ref.url)) { external.push(ref.url); continue; }
    if (ref.kind === 'other') continue;
    visit(ref.url.startsWith('/') ? path.join(outDir, ref.url) : path.resolve(path.dirname(htmlFile), ref.url));
  }
  return { assets: [...seen.values()], external };
}

describe('resident check-in page weight', () => {
  let measured: { assets: Asset[]; external: string[] };
  let source = 'dist/web';
  let tmp: string | null = null;

  beforeAll(async () => {
    if (distIsFresh()) {
      try {
        measured = entryAssets(DIST);
        return;
      } catch { /* dist/web is being rebuilt right now: measure a build of our own */ }
    }
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'yiqu-resident-'));
    source = 'fresh build';
    await buildResident(tmp);
    measured = entryAssets(tmp);
  }, 120_000);
  afterAll(() => { if (tmp) fs.rmSync(tmp, { recursive: true, force: true }); });

  it('finds the HTML references of a JS and a CSS file', () => {
    const refs = htmlRefs('<script type="module" crossorigin src="/assets/a-1.js"></script>'
      + '<link rel="stylesheet" href="/assets/a-2.css"><link rel="modulepreload" href="/assets/c.js"><link rel="icon" href="/f.ico">');
    expect(refs).toEqual([{ kind: 'script', url: '/assets/a-1.js' }, { kind: 'stylesheet', url: '/assets/a-2.css' },
      { kind: 'modulepreload', url: '/assets/c.js' }, { kind: 'other', url: '/f.ico' }]);
    expect(staticImports('import{a as b}from"./chunk-x.js";import"/assets/y.js";const z=import("./lazy.js")'))
      .toEqual(['./chunk-x.js', '/assets/y.js']);
  });

  it('loads its script and style from this server only: no CDN, no web fonts', () => {
    const { assets, external } = measured;
    expect(external).toEqual([]);
    expect(assets.some((a) => a.file.endsWith('.js'))).toBe(true);
    expect(assets.some((a) => a.file.endsWith('.css'))).toBe(true);
    for (const a of assets.filter((x) => x.css !== undefined)) {
      expect(a.css, a.file).not.toMatch(/@font-face|@import|url\(\s*["']?(?:https?:)?\/\//i);
    }
  });

  it('keeps its JS + CSS within 80 KB gzipped', () => {
    const { assets } = measured;
    const total = assets.reduce((s, a) => s + a.gzipped, 0);
    console.log(`resident entry (${source}): `
      + assets.map((a) => `${a.file} ${a.bytes} B → ${a.gzipped} B gz`).join(', ') + `; total ${(total / 1024).toFixed(1)} KB gz`);
    expect(total).toBeGreaterThan(0);
    expect(total).toBeLessThanOrEqual(BUDGET);
  });
});
