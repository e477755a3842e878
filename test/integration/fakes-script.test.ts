import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/built-cli';

/** Starts `command`, reads the fakes' ports from what it prints, resolves once all are listening. */
async function startFakes(command: string, args: string[]): Promise<{ child: ChildProcessWithoutNullStreams; ports: number[]; stdout: () => string }> {
  const child = spawn(command, args, { cwd: repoRoot, env: process.env });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.resume();
  await new Promise<void>((resolve, reject) => {
    child.on('exit', (code) => reject(new Error(`the fakes ended early (${code}): ${stdout}`)));
    child.stdout.on('data', () => {
      if (stdout.includes('# and add the custom endpoint once')) resolve();
    });
  });
  const ports = [...new Set([...stdout.matchAll(/http:\/\/127\.0\.0\.1:(\d+)/g)].map((match) => Number(match[1])))];
  return { child, ports, stdout: () => stdout };
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Waits until no port accepts a connection any more; the ones still open after `attempts` tries. */
async function stillOpen(ports: number[], attempts = 100): Promise<number[]> {
  let open = ports;
  for (let attempt = 0; attempt < attempts && open.length > 0; attempt++) {
    await new Promise((done) => setTimeout(done, 100));
    open = (await Promise.all(open.map(async (port) => ((await accepts(port)) ? port : null)))).filter((port) => port !== null);
  }
  return open;
}

function exited(child: ChildProcessWithoutNullStreams): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((done) => child.once('exit', (code) => done(code)));
}

describe('npm run fakes', () => {
  it('SIGTERM to npm stops every fake server and the whole process chain', async () => {
    const { child, ports } = await startFakes('npm', ['run', '--silent', 'fakes']);
    expect(ports.length).toBeGreaterThanOrEqual(6);
    expect(await Promise.all(ports.map(accepts))).toEqual(ports.map(() => true));

    child.kill('SIGTERM');
    await exited(child);
    expect(await stillOpen(ports)).toEqual([]);
  }, 60_000);

  it.each(['SIGTERM', 'SIGHUP', 'SIGINT'] as const)('%s to the node process closes the servers and exits 0', async (signal) => {
    const { child, ports } = await startFakes(process.execPath, ['scripts/run-ts.mjs', 'test/fakes/serve-fakes.ts']);
    child.kill(signal);
    expect(await exited(child)).toBe(0);
    expect(await stillOpen(ports)).toEqual([]);
  }, 60_000);
});
