import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOllamaFake } from '../fakes/ollama-fake';
import type { LoopbackServer } from '../fakes/loopback-server';
import { tempDir } from '../support/temp-dir';

const repoRoot = path.resolve(import.meta.dirname, '../..');
const cli = path.join(repoRoot, 'out/cli/atelier.js');
const run = promisify(execFile);

/** The CLI as users run it: the esbuild bundle, started by Node in its own process. */
describe('the built atelier command', () => {
  let ollama: LoopbackServer;

  beforeAll(async () => {
    await run(process.execPath, ['scripts/build.mjs', '--only=cli'], { cwd: repoRoot });
    ollama = await createOllamaFake().start();
  }, 60_000);
  afterAll(() => ollama.close());

  it('shares the data folder with the app through ATELIER_HOME', async () => {
    const dir = await tempDir();
    const env = { ...process.env, ATELIER_HOME: dir };
    await run(process.execPath, [cli, 'settings', 'set', 'theme', 'dark'], { env });
    expect(JSON.parse(await fs.readFile(path.join(dir, 'settings.json'), 'utf8'))).toMatchObject({ theme: 'dark' });
    const { stdout } = await run(process.execPath, [cli, 'info', '--json'], { env });
    expect(JSON.parse(stdout)).toMatchObject({ dataDir: dir });
  });

  it('exits with 2 and a clear message on a bad value', async () => {
    const failure = await run(process.execPath, [cli, 'settings', 'set', 'language', 'klingon'], {
      env: { ...process.env, ATELIER_HOME: await tempDir() },
    }).catch((error: unknown) => error as { code: number; stderr: string });
    expect(failure).toMatchObject({ code: 2, stderr: expect.stringContaining('"klingon" is not a valid value for language') as unknown });
  });

  it.each(['SIGINT', 'SIGTERM', 'SIGHUP'] as const)('chat streams from Ollama and stops on a real %s with exit 130, keeping the text', async (signal) => {
    ollama.respondWith({ kind: 'stall', chunks: ['Es', ' war', ' einmal'] });
    const home = await tempDir();
    const child = spawn(process.execPath, [cli, 'chat', '-m', 'local/llama3.2:3b', 'Erzähl ein Märchen'], {
      env: { PATH: process.env.PATH, ATELIER_HOME: home, OLLAMA_HOST: ollama.url },
    });
    let stdout = '';
    let stderr = '';
    let interrupted = false;
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      // Once: a second Ctrl-C is meant to end the process the hard way.
      if (stdout.includes('einmal') && !interrupted) {
        interrupted = true;
        child.kill(signal);
      }
    });
    const closed = ollama.waitForClientClose();
    const code = await new Promise<number | null>((done) => child.on('close', done));
    await closed;
    expect(code).toBe(130);
    expect(stdout).toBe('Es war einmal\n');
    expect(stderr).toContain('You stopped the answer.');
  });

  it('npm run cli works from a checkout, building what it needs', async () => {
    ollama.respondWith({ kind: 'answer', chunks: ['Hallo', '!'] });
    const { stdout } = await run('npm', ['run', '--silent', 'cli', '--', 'chat', '--json', '-m', 'local/llama3.2:3b', 'Hallo'], {
      cwd: repoRoot,
      env: { ...process.env, ATELIER_HOME: await tempDir(), OLLAMA_HOST: ollama.url },
    });
    expect(JSON.parse(stdout)).toMatchObject({ text: 'Hallo!', provider: 'local', usage: { outputTokens: 2 } });
  }, 60_000);
});
