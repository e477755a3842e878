// Runs a TypeScript entry point from test/ under plain Node: bundles it with esbuild (npm
// packages left external) and runs it in this process, without a test runner in between.
//   node scripts/run-ts.mjs test/bench/router-bench.ts     (npm run bench)
//   node scripts/run-ts.mjs test/fakes/serve-fakes.ts      (npm run fakes)
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, stop } from 'esbuild';

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
// esbuild's service process is not needed any more (and would share the CPU with a bench).
await stop();
// Only under `npm run`: started by hand in the background (`node scripts/run-ts.mjs … &`), the
// program may well outlive the shell that started it.
if (process.env.npm_lifecycle_event) endWhenOrphaned();
// In this process, not a child: a signal sent to this process reaches the program itself.
await import(pathToFileURL(path.resolve(outfile)).href);

/**
 * `npm run` starts a script through sh and passes SIGINT and SIGTERM on to that sh only; sh ends
 * without passing them on, and this process would keep running (with the fakes' servers open)
 * under a new parent. So when the process that started this one is gone, this one is told to
 * end, with the SIGTERM that npm meant for it. The timer does not keep the process alive.
 */
function endWhenOrphaned() {
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    process.kill(process.pid, 'SIGTERM');
  }, 200);
  timer.unref();
}
