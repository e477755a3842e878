// Builds everything Electron loads into out/: main and the CLI (ESM), the preload (CommonJS,
// since sandboxed preloads cannot load ES modules), and the renderer (Vite).
//   node scripts/build.mjs               all four
//   node scripts/build.mjs --only=cli    just one (main, preload, cli, renderer)
import { chmod } from 'node:fs/promises';
import { build as esbuild } from 'esbuild';
import { build as viteBuild } from 'vite';

const common = { bundle: true, platform: 'node', target: 'node22', sourcemap: true, logLevel: 'warning' };
// Main and the CLI load their npm dependencies from node_modules (electron-builder packs the
// production dependencies); only our own code is bundled. The sandboxed preload cannot
// require anything but 'electron', so it is bundled whole.
const nodeSide = { ...common, format: 'esm', packages: 'external' };

const targets = {
  main: () =>
    esbuild({
      ...nodeSide,
      entryPoints: { index: 'electron/main/index.ts', 'probe-worker': 'electron/core/hardware/probe-worker.ts' },
      outdir: 'out/main',
    }),
  preload: () =>
    esbuild({
      ...common,
      entryPoints: ['electron/preload/index.ts'],
      outfile: 'out/preload/index.cjs',
      format: 'cjs',
      external: ['electron'],
    }),
  cli: async () => {
    await esbuild({
      ...nodeSide,
      entryPoints: ['electron/cli/atelier.ts'],
      outfile: 'out/cli/atelier.js',
      banner: { js: '#!/usr/bin/env node' },
    });
    await chmod('out/cli/atelier.js', 0o755);
  },
  renderer: () => viteBuild({ configFile: 'vite.config.ts', logLevel: 'warn' }),
};

const only = process.argv.find((arg) => arg.startsWith('--only='))?.slice('--only='.length);
if (only !== undefined && !(only in targets)) {
  console.error(`Unknown target "${only}". Targets: ${Object.keys(targets).join(', ')}.`);
  process.exit(2);
}
for (const [name, build] of Object.entries(targets)) {
  if (only === undefined || only === name) await build();
}
