// Runs a TypeScript entry point from test/ under plain Node: bundles it with esbuild (npm
// packages left external) and starts it, without a test runner in between.
//   node scripts/run-ts.mjs test/bench/router-bench.ts     (npm run bench)
//   node scripts/run-ts.mjs test/fakes/serve-fakes.ts      (npm run fakes)
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { build } from 'esbuild';

const entry = process.argv[2];
if (!entry) {
  console.error('Usage: node scripts/run-ts.mjs FILE.ts');
  process.exit(2);
}
const outfile = path.join('out/run', `${path.basename(entry, '.ts')}.js`);
await build({
  entryPoints: [entry],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  packages: 'external',
  logLevel: 'warning',
});
const result = spawnSync(process.execPath, [outfile], { stdio: 'inherit' });
process.exit(result.status ?? 1);
