import { defineConfig } from 'vite';
import { createHash } from 'node:crypto';
import QRCode from 'qrcode';
import react from '@vitejs/plugin-react';
import type { Plugin } from 'vite';

// Two front ends, one build: the resident pages (plain TypeScript, kept tiny for cheap phones in
// WeChat: the check-in page budget is 80 KB gzipped JS+CSS) and the staff console (React + antd).
// Assets are fingerprinted under /assets/ and served immutable (src/modules/web/routes.ts).
// The guard's gate page (plain TypeScript, an offline PWA) adds its service worker as an entry
// written to /gate-sw.js, with its precache list, icons and manifest (gatePwa below).
// ---- the gate PWA's build step ----
// Icons (192 and 512 px PNG: a green QR of the product name drawn by `qrcode` at build time), the
// web app manifest (fingerprinted, linked from the gate page), and the service worker's precache
// list: the page's entry script, every chunk it imports statically or dynamically, their CSS and
// assets (the zxing .wasm), icons and manifest. The worker is the `gate-sw` entry (web/gate/sw.ts).
/** Entry names in vite.config.ts. */
const GATE_ENTRY = 'gate';
const GATE_SW_ENTRY = 'gate-sw';
const ICON_SIZES = [192, 512] as const;

interface ChunkLike {
  type: 'chunk';
  name: string;
  fileName: string;
  code: string;
  isEntry: boolean;
  imports: string[];
  dynamicImports: string[];
  facadeModuleId?: string | null;
  viteMetadata?: { importedCss: Set<string>; importedAssets: Set<string> };
}
interface AssetLike { type: 'asset'; fileName: string; source: string | Uint8Array }
type Bundle = Record<string, ChunkLike | AssetLike>;

/** Files the gate entry needs, following static and dynamic imports (file names in the bundle). */
function gateFiles(bundle: Bundle, entry: ChunkLike): string[] {
  const out = new Set<string>();
  const visit = (fileName: string) => {
    if (out.has(fileName)) return;
    out.add(fileName);
    const c = bundle[fileName];
    if (!c || c.type !== 'chunk') return;
    for (const f of [...c.imports, ...c.dynamicImports]) visit(f);
    for (const f of c.viteMetadata?.importedCss ?? []) out.add(f);
    for (const f of c.viteMetadata?.importedAssets ?? []) out.add(f);
  };
  visit(entry.fileName);
  return [...out];
}

function gatePwa(): Plugin {
  const icons: Array<{ ref: string; size: number }> = [];
  return {
    name: 'yiqu-gate-pwa',
    apply: 'build',
    enforce: 'post',
    async buildStart() {
      icons.length = 0;
      for (const size of ICON_SIZES) {
        const source = await QRCode.toBuffer('一区一码 卡点核验', { width: size, margin: 3, errorCorrectionLevel: 'M', color: { dark: '#0a7d3b', light: '#ffffff' } });
        icons.push({ size, ref: this.emitFile({ type: 'asset', name: `gate-icon-${size}.png`, source }) });
      }
    },
    generateBundle(_options, output) {
      const bundle = output as unknown as Bundle;
      const html = Object.values(bundle).find((f): f is AssetLike => f.type === 'asset' && f.fileName === `${GATE_ENTRY}/index.html`);
      const entry = Object.values(bundle).find((f): f is ChunkLike => f.type === 'chunk' && f.isEntry && f.name === GATE_ENTRY);
      const worker = Object.values(bundle).find((f): f is ChunkLike => f.type === 'chunk' && f.name === GATE_SW_ENTRY);
      if (!html || !entry || !worker) return; // a partial build (e.g. the resident weight test)
      const iconFiles = icons.map((i) => ({ size: i.size, file: this.getFileName(i.ref) }));
      const manifest = {
        id: '/gate', name: '一区一码 卡点核验', short_name: '卡点核验', lang: 'zh-CN', start_url: '/gate', scope: '/gate',
        display: 'standalone', orientation: 'any', background_color: '#eef1ef', theme_color: '#0a7d3b',
        icons: iconFiles.map((i) => ({ src: `/${i.file}`, sizes: `${i.size}x${i.size}`, type: 'image/png', purpose: 'any' })),
      };
      const manifestFile = this.getFileName(this.emitFile({ type: 'asset', name: 'gate.webmanifest', source: JSON.stringify(manifest) }));
      const links = `<link rel="manifest" href="/${manifestFile}">\n  <link rel="icon" href="/${iconFiles[0]!.file}">\n  <link rel="apple-touch-icon" href="/${iconFiles[1]!.file}">\n`;
      html.source = String(html.source).replace('</head>', `  ${links}</head>`);
      const files = [...gateFiles(bundle, entry), ...iconFiles.map((i) => i.file), manifestFile].filter((f) => f !== worker.fileName);
      const precache = files.map((f) => `/${f}`).sort();
      const version = createHash('sha256').update(JSON.stringify(precache)).update(String(html.source)).digest('hex').slice(0, 12);
      worker.code = worker.code.replace(/__GATE_PRECACHE__/g, JSON.stringify(precache)).replace(/__GATE_VERSION__/g, JSON.stringify(version));
    },
  };
}

export default defineConfig({
  root: 'web',
  base: '/',
  plugins: [react(), gatePwa()],
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    assetsDir: 'assets',
    chunkSizeWarningLimit: 2000,
    rollupOptions: {
      input: {
        resident: 'web/resident/index.html',
        console: 'web/console/index.html',
        gate: 'web/gate/index.html',
        [GATE_SW_ENTRY]: 'web/gate/sw.ts',
      },
      output: {
        entryFileNames: (chunk) => (chunk.name === GATE_SW_ENTRY ? 'gate-sw.js' : 'assets/[name]-[hash].js'),
      },
    },
  },
  server: { proxy: { '/api': 'http://127.0.0.1:3000' } },
});
