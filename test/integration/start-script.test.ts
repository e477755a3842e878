import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/built-cli';
import { tempDir } from '../support/temp-dir';

const run = promisify(execFile);
type Result = { code: number; stdout: string; stderr: string };

async function start(args: string[], env: Record<string, string | undefined> = {}, command = process.execPath): Promise<Result> {
  const argv = command === 'npm' ? ['start', '--silent', '--', ...args] : ['scripts/start.mjs', ...args];
  return run(command, argv, { cwd: repoRoot, env: { ...process.env, ...env } })
    .then(({ stdout, stderr }) => ({ code: 0, stdout, stderr }))
    .catch((error: unknown) => error as Result);
}

/** Whether Electron's download happened on this machine (on ours it cannot: no network). */
async function electronDownloaded(): Promise<boolean> {
  const dir = path.dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  const executable = await fs.readFile(path.join(dir, 'path.txt'), 'utf8').catch(() => null);
  return executable !== null && (await fs.stat(path.join(dir, 'dist', executable)).then(() => true, () => false));
}

const downloaded = await electronDownloaded();
const noStack = /\n\s+at |fetch failed|Electron failed to install correctly|npx install-electron/;

describe('npm start without the Electron binary', () => {
  it.skipIf(downloaded)('here, where the download never happened: says what is missing and what to do, exit 1, no stack', async () => {
    const result = await start(['--check']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^Error: Electron's binary is missing: node_modules\/electron\/dist is not there\. `npm install` downloads it/);
    expect(result.stderr).toContain('Hint: With network access, run `node node_modules/electron/install.js` (or `npm install` again).');
    expect(result.stderr).toContain('ELECTRON_MIRROR');
    expect(result.stderr).not.toMatch(noStack);
  });

  it('npm start checks before it builds: the same message, no stack, no download attempt', async () => {
    const result = await start([], { ELECTRON_OVERRIDE_DIST_PATH: await tempDir() }, 'npm');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^Error: Electron's binary is missing: ELECTRON_OVERRIDE_DIST_PATH is set, but .*\/electron is not there\.\nHint: /);
    expect(result.stderr).not.toMatch(noStack);
    expect(result.stdout).not.toContain('Downloading Electron binary');
  }, 60_000);

  it('finds an Electron unpacked elsewhere (ELECTRON_OVERRIDE_DIST_PATH), as Electron itself would', async () => {
    const dist = await tempDir();
    await fs.writeFile(path.join(dist, process.platform === 'win32' ? 'electron.exe' : 'electron'), '');
    const result = await start(['--check'], { ELECTRON_OVERRIDE_DIST_PATH: dist });
    expect(result).toMatchObject({ code: 0, stderr: '' });
  });
});
