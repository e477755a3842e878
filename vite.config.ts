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
    // .vite/manifest.json: which chunks the entry imports statically. test/bench/bundle-size.ts
    // reads it to measure the JavaScript the first screen waits for (target: 200 KB gzipped).
    manifest: true,
  },
});
