import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

// Build tooling, so it lives outside renderer/ (which may not import Node built-ins).
// The built renderer is served by the local host (core/host/static-files.ts) and by Electron's
// app:// protocol, both from renderer/dist, with relative asset URLs so either origin works.
export default defineConfig({
  root: fileURLToPath(new URL('./renderer', import.meta.url)),
  base: './',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // no inline scripts: the host's CSP is script-src 'self'
    modulePreload: { polyfill: false },
    sourcemap: false,
    chunkSizeWarningLimit: 1024,
  },
  server: { host: '127.0.0.1', strictPort: true },
});
