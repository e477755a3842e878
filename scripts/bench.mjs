// npm run bench: bundles test/bench/router-bench.ts with esbuild (npm packages left external)
// and runs it under Node, so it measures the same code the app ships, without a test runner.
import { spawnSync } from 'node:child_process';
import { build } from 'esbuild';

await build({
  entryPoints: ['test/bench/router-bench.ts'],
  outfile: 'out/bench/router-bench.js',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  packages: 'external',
  logLevel: 'warning',
});
const result = spawnSync(process.execPath, ['out/bench/router-bench.js'], { stdio: 'inherit' });
process.exit(result.status ?? 1);
