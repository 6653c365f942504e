import { defineConfig } from 'vite';

// Served by the server under /console/ (packages/server/src/console); hashed file names let the
// server cache them for a year. No inline scripts or styles: the CSP forbids them.
export default defineConfig({
  base: '/console/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
    reportCompressedSize: true,
  },
});
