import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import { CONTENT_SECURITY_POLICY } from './electron/main/content-security-policy.ts';

/** Puts the CSP into index.html as well, the same string the app:// handler sends as a header. */
function contentSecurityPolicy(): Plugin {
  return {
    name: 'atelier-content-security-policy',
    transformIndexHtml: () => [
      {
        tag: 'meta',
        attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY },
        injectTo: 'head-prepend',
      },
    ],
  };
}

/** Builds the renderer only; main, preload and the CLI are bundled by esbuild (scripts/build.mjs). */
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react(), contentSecurityPolicy()],
  build: {
    outDir: '../out/renderer',
    emptyOutDir: true,
    sourcemap: true,
    // One bundle read from disk, not fetched over a network: its size only costs startup parse
    // time (highlight.js's common languages are most of it).
    chunkSizeWarningLimit: 1200,
  },
});
