import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCli } from '../support/built-cli';
import { ANY_PROVIDER, writeSettings } from '../support/settings-file';
import { useProviderFakes } from '../support/provider-fakes';
import { tempDir } from '../support/temp-dir';

const useFakes = useProviderFakes();
let cli: string;

beforeAll(async () => {
  cli = await buildCli();
}, 60_000);

/**
 * Runs the built CLI with its stdout going into a pipe whose reader has already left, as after
 * `atelier models | head -1` once head has its line: every write the command makes meets EPIPE.
 */
async function runIntoClosedPipe(argv: string[]): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  const home = await tempDir();
  await writeSettings(home, ANY_PROVIDER);
  const child = spawn(process.execPath, [cli, ...argv], {
    env: { PATH: process.env.PATH, DBUS_SESSION_BUS_ADDRESS: process.env.DBUS_SESSION_BUS_ADDRESS, ATELIER_KEYCHAIN_SERVICE: 'Atelier-test-closed-pipe', ATELIER_POLICY_FILE: process.env.ATELIER_POLICY_FILE, ...useFakes().env, ATELIER_HOME: home },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // The reader leaves before the command has written anything.
  child.stdout.destroy();
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((done) => child.on('close', (exitCode, exitSignal) => done([exitCode, exitSignal])));
  return { code, signal, stderr };
}

describe('the built atelier command, piped into a reader that closes early', () => {
  it.each([
    ['models', ['models']],
    ['models --json', ['models', '--json']],
    ['config list', ['config', 'list']],
    ['--help (commander writes it)', ['--help']],
    ['conversations list', ['conversations', 'list']],
    ['info --json', ['info', '--json']],
  ])('%s ends quietly: exit 0, nothing on stderr', async (_name, argv) => {
    const result = await runIntoClosedPipe(argv);
    expect(result.stderr).not.toMatch(/EPIPE|at .*\.js:\d+/);
    expect(result).toEqual({ code: 0, signal: null, stderr: '' });
  });
});

describe.skipIf(process.platform !== 'linux')('the built atelier command, writing into a full disk (/dev/full, Linux only)', () => {
  it('says so in one line and exits 1, without a stack trace', async () => {
    const home = await tempDir();
    const full = await fs.open('/dev/full', 'w');
    try {
      const child = spawn(process.execPath, [cli, 'config', 'list'], { env: { PATH: process.env.PATH, ATELIER_HOME: home }, stdio: ['ignore', full.fd, 'pipe'] });
      let stderr = '';
      child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const code = await new Promise<number | null>((done) => child.on('close', done));
      expect({ code, stderr }).toEqual({ code: 1, stderr: 'Error: Atelier could not write its output: the disk is full (ENOSPC).\n' });
    } finally {
      await full.close();
    }
  });
});
