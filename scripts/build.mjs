// Builds everything Electron loads into out/: main and the CLI (ESM), the preload (CommonJS,
// since sandboxed preloads cannot load ES modules), and the renderer (Vite).
//   node scripts/build.mjs               all four
//   node scripts/build.mjs --only=cli    just one (main, preload, cli, renderer)
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { build as esbuild } from 'esbuild';

const common = { bundle: true, platform: 'node', target: 'node22', sourcemap: true, logLevel: 'warning' };
// Main and the CLI load their npm dependencies from node_modules (electron-builder packs the
// production dependencies); only our own code is bundled. The sandboxed preload cannot
// require anything but 'electron', so it is bundled whole.
//
// Except zod and commander, which are bundled: both are plain JavaScript that every command and
// the app's start need, and loading them from node_modules (zod alone is some 80 small ES
// modules) took longer than the rest of a command's start-up put together.
const packageJson = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));
const BUNDLED = new Set(['zod', 'commander']);
const external = Object.keys(packageJson.dependencies).filter((name) => !BUNDLED.has(name)).flatMap((name) => [name, `${name}/*`]);
// commander is CommonJS and requires Node's built-ins: an ES module bundle gives it a require.
const REQUIRE_SHIM = "import { createRequire as __atelierCreateRequire } from 'node:module'; const require = __atelierCreateRequire(import.meta.url);";
const nodeSide = { ...common, format: 'esm', external: [...external, 'electron'], banner: { js: REQUIRE_SHIM } };

const targets = {
  main: () =>
    esbuild({
      ...nodeSide,
      entryPoints: { index: 'electron/main/index.ts', 'probe-worker': 'electron/core/hardware/probe-worker.ts' },
      outdir: 'out/main',
      // Providers and their SDKs go to chunks of their own, loaded on first use.
      splitting: true,
      chunkNames: 'chunks/[name]-[hash]',
    }),
  preload: () =>
    esbuild({
      ...common,
      entryPoints: ['electron/preload/index.ts'],
      outfile: 'out/preload/index.cjs',
      format: 'cjs',
      external: ['electron'],
    }),
  // Two files: atelier.js checks the Node version and only then imports main.js, whose static
  // imports (node:sqlite) would fail on an old Node before a line of ours ran. Each file is
  // written whole and renamed into place, so a CLI started while another build runs (npm run cli
  // in parallel tests) never loads half a file.
  cli: async () => {
    const { outputFiles } = await esbuild({
      ...nodeSide,
      entryPoints: { atelier: 'electron/cli/atelier.ts', main: 'electron/cli/main.ts' },
      outdir: 'out/cli',
      splitting: true,
      chunkNames: 'chunks/[name]-[hash]',
      write: false,
      banner: { js: `#!/usr/bin/env node\n${REQUIRE_SHIM}` },
    });
    for (const file of outputFiles) {
      await mkdir(path.dirname(file.path), { recursive: true });
      const temporary = `${file.path}.${process.pid}.tmp`;
      await writeFile(temporary, file.contents, { mode: file.path.endsWith('atelier.js') ? 0o755 : 0o644 });
      await chmod(temporary, file.path.endsWith('atelier.js') ? 0o755 : 0o644);
      await rename(temporary, file.path);
    }
  },
  // Vite only when the renderer is built: `npm run cli` needs esbuild alone.
  renderer: async () => (await import('vite')).build({ configFile: 'vite.config.ts', logLevel: 'warn' }),
};

const only = process.argv.find((arg) => arg.startsWith('--only='))?.slice('--only='.length);
if (only !== undefined && !(only in targets)) {
  console.error(`Unknown target "${only}". Targets: ${Object.keys(targets).join(', ')}.`);
  process.exit(2);
}
for (const [name, build] of Object.entries(targets)) {
  if (only === undefined || only === name) await build();
}
