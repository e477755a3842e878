// Builds everything Electron loads into out/: main and the CLI (ESM), the preload (CommonJS,
// since sandboxed preloads cannot load ES modules), and the renderer (Vite).
//   node scripts/build.mjs               all four
//   node scripts/build.mjs --only=cli    just one (main, preload, cli, renderer)
import { chmod } from 'node:fs/promises';
import { build as esbuild } from 'esbuild';
import { build as viteBuild } from 'vite';

// Bundled CommonJS dependencies use require, __filename and __dirname; an ES module has none
// of them unless we make them (write-file-atomic names its temp files after __filename).
const esmRequireShim = [
  "import { createRequire as __createRequire } from 'node:module';",
  "import { fileURLToPath as __fileURLToPath } from 'node:url';",
  'const require = __createRequire(import.meta.url);',
  'const __filename = __fileURLToPath(import.meta.url);',
  "const __dirname = __fileURLToPath(new URL('.', import.meta.url));",
].join(' ');

const common = { bundle: true, platform: 'node', target: 'node22', sourcemap: true, logLevel: 'warning' };

const targets = {
  main: () =>
    esbuild({
      ...common,
      entryPoints: ['electron/main/index.ts'],
      outfile: 'out/main/index.js',
      format: 'esm',
      external: ['electron'],
      banner: { js: esmRequireShim },
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
      ...common,
      entryPoints: ['electron/cli/atelier.ts'],
      outfile: 'out/cli/atelier.js',
      format: 'esm',
      banner: { js: `#!/usr/bin/env node\n${esmRequireShim}` },
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
