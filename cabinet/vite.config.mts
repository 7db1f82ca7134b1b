import react from '@vitejs/plugin-react-swc';
import { defineConfig } from 'vite';

/**
 * The personal cabinet (Telegram Mini App), served by the bot process under /cabinet/ (see
 * bot/http/cabinet/mount-cabinet.ts). `npm run build` writes it to cabinet/dist.
 */
export default defineConfig({
  root: import.meta.dirname,
  base: '/cabinet/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Telegram's webviews on phones a few years old: Android System WebView and iOS WKWebView.
    target: ['es2020', 'safari14', 'chrome87'],
    reportCompressedSize: true,
    // Minified size of one chunk; the budget that matters is the first screen gzipped (test/cabinet/bundle-budget.spec.ts).
    chunkSizeWarningLimit: 500,
  },
});
