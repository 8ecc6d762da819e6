import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Two front ends, one build: the resident pages (plain TypeScript, kept tiny for cheap phones in
// WeChat: the check-in page budget is 80 KB gzipped JS+CSS) and the staff console (React + antd).
// Assets are fingerprinted under /assets/ and served immutable (src/modules/web/routes.ts).
export default defineConfig({
  root: 'web',
  base: '/',
  plugins: [react()],
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    assetsDir: 'assets',
    chunkSizeWarningLimit: 2000,
    rollupOptions: {
      input: {
        resident: 'web/resident/index.html',
        console: 'web/console/index.html',
      },
    },
  },
  server: { proxy: { '/api': 'http://127.0.0.1:3000' } },
});
