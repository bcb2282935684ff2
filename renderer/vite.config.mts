import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));

// The built renderer is served by the local host (core/host/static-files.ts) and by Electron's
// app:// protocol, both from renderer/dist with relative asset URLs so either origin works.
export default defineConfig({
  root,
  base: './',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // no inline scripts or eval: the host's CSP is script-src 'self'
    modulePreload: { polyfill: false },
    sourcemap: false,
    chunkSizeWarningLimit: 1024,
  },
  server: { host: '127.0.0.1', strictPort: true },
});
