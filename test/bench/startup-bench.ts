// npm run bench, start-up part: how long the `atelier` command and the app's main process take
// to start, as ratios against a bare start measured in the same run (interleaved, so a busy
// machine slows both sides alike), median of several runs each.
//   CLI, against `node -e 0`: --help (≤ 3×), info, doctor --json with Ollama unreachable (≤ 5×),
//   a one-shot chat against the Ollama fake (≤ 4×).
//   Main, under the recording stand-in for electron: time until its window starts loading,
//   against an empty main under the same stand-in (≤ 2×).
// Needs `node scripts/build.mjs --only=cli`, `--only=main` and `--only=preload` first (npm run
// bench does it). Writes test-results/bench/startup.json; exit code 1 if a target is missed.
import { fork, spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createOllamaFake } from '../fakes/ollama-fake';

const RUNS = Number(process.env.BENCH_STARTUP_RUNS ?? 9);
const repoRoot = path.resolve(import.meta.dirname, '../..');
const cli = path.join(repoRoot, 'out/cli/atelier.js');
const register = path.join(repoRoot, 'test/support/electron-stand-in/register.mjs');

/** Wall time of one process from spawn to exit, in ms. */
function timeProcess(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(performance.now() - started) : reject(new Error(`${args.join(' ')} exited ${code}: ${stderr}`))));
  });
}

/** Time from spawn until a main bundle (under the stand-in) starts loading its first window, in ms. */
function timeMainWindow(entry: string, env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = fork(entry, [], { execArgv: ['--import', register], env, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill(), 30_000);
    child.on('message', (message: { event?: string }) => {
      if (message.event !== 'window') return;
      const elapsed = performance.now() - started;
      child.kill();
      child.once('exit', () => resolve(elapsed));
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (signal === null) reject(new Error(`${entry} exited ${code} before its window: ${stderr}`));
    });
  });
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((done) => server.close(done));
  return port;
}

const home = await fs.mkdtemp(path.join(os.tmpdir(), 'atelier-startup-bench-'));
const ollama = await createOllamaFake({ models: ['llama3.2:3b'] }).start();
try {
  // No keychain (no D-Bus session: the bench never touches the user's keyring), no school policy,
  // a data folder of its own.
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: home, ATELIER_HOME: home, ATELIER_POLICY_FILE: path.join(home, 'no-policy.json'), ATELIER_KEYCHAIN_SERVICE: 'Atelier-bench' };
  const unreachable = { ...env, OLLAMA_HOST: `http://127.0.0.1:${await closedPort()}` };
  const toFake = { ...env, OLLAMA_HOST: ollama.url };
  const cases: { name: string; run: () => Promise<number>; baseline: string; target: number | null }[] = [
    { name: 'node -e 0', run: () => timeProcess(['-e', '0'], env), baseline: 'node -e 0', target: null },
    { name: 'atelier --help', run: () => timeProcess([cli, '--help'], env), baseline: 'node -e 0', target: 3 },
    { name: 'atelier info', run: () => timeProcess([cli, 'info'], env), baseline: 'node -e 0', target: null },
    { name: 'atelier doctor --json (Ollama unreachable)', run: () => timeProcess([cli, 'doctor', '--json'], unreachable), baseline: 'node -e 0', target: 5 },
    { name: 'atelier chat (Ollama fake)', run: () => timeProcess([cli, 'chat', '-m', 'local/llama3.2:3b', 'Hallo'], toFake), baseline: 'node -e 0', target: 4 },
    { name: 'empty main: window', run: () => timeMainWindow(path.join(repoRoot, 'test/bench/empty-main.mjs'), env), baseline: 'empty main: window', target: null },
    { name: 'Atelier main: window', run: () => timeMainWindow(path.join(repoRoot, 'out/main/index.js'), env), baseline: 'empty main: window', target: 2 },
  ];
  // One warm-up round (disk caches), then RUNS rounds, each case once per round.
  for (const entry of cases) await entry.run();
  const samples = new Map<string, number[]>(cases.map((entry) => [entry.name, []]));
  for (let round = 0; round < RUNS; round++) {
    for (const entry of cases) samples.get(entry.name)?.push(await entry.run());
  }
  const results = cases.map((entry) => {
    const ms = median(samples.get(entry.name) ?? []);
    const ratio = ms / median(samples.get(entry.baseline) ?? []);
    return { name: entry.name, medianMs: Math.round(ms * 10) / 10, baseline: entry.baseline, ratio: Math.round(ratio * 100) / 100, target: entry.target, pass: entry.target === null || ratio <= entry.target };
  });
  console.log(`Start-up, median of ${RUNS} runs each (interleaved):`);
  console.log('| what | median | ratio | target | |\n| --- | --- | --- | --- | --- |');
  for (const result of results) {
    console.log(`| ${result.name} | ${result.medianMs.toFixed(1)} ms | ${result.name === result.baseline ? 'baseline' : `${result.ratio.toFixed(2)}× ${result.baseline}`} | ${result.target === null ? '' : `≤ ${result.target}×`} | ${result.target === null ? '' : result.pass ? 'PASS' : 'FAIL'} |`);
  }
  await fs.mkdir(path.join(repoRoot, 'test-results/bench'), { recursive: true });
  await fs.writeFile(path.join(repoRoot, 'test-results/bench/startup.json'), `${JSON.stringify({ runs: RUNS, results, samples: Object.fromEntries(samples) }, null, 2)}\n`);
  if (results.some((result) => !result.pass)) process.exitCode = 1;
} finally {
  await ollama.close();
  await fs.rm(home, { recursive: true, force: true });
}
