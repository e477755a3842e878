import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { nodeVersionProblem } from '../../electron/cli/node-version';
import { buildCli, repoRoot } from '../support/built-cli';
import { tempDir } from '../support/temp-dir';

/**
 * A Node too old for Atelier, if this machine has one (Debian's /usr/bin/node is 20 while the
 * tests run on Node 24). ATELIER_TEST_OLD_NODE names another.
 */
function findOldNode(): { node: string; version: string } | undefined {
  const candidates = [process.env.ATELIER_TEST_OLD_NODE, '/usr/bin/node', '/usr/local/bin/node', '/bin/node'];
  for (const node of candidates) {
    if (!node) continue;
    try {
      const version = execFileSync(node, ['-p', 'process.versions.node'], { encoding: 'utf8' }).trim();
      if (nodeVersionProblem(version) !== null) return { node, version };
    } catch {
      // Not there, or not a Node.
    }
  }
  return undefined;
}

const old = findOldNode();
const run = promisify(execFile);
type Failure = { code: number; stdout: string; stderr: string };

describe.skipIf(old === undefined)(`the CLI under an old Node (${old ? `${old.node}, Node ${old.version}` : 'skipped: no Node older than 22.13 on this machine; set ATELIER_TEST_OLD_NODE'})`, () => {
  const { node, version } = old ?? { node: '', version: '' };
  const message = `Error: Atelier needs Node 22.13 or newer; this is Node ${version}.\nHint: Install Node 24`;

  beforeAll(async () => {
    await buildCli();
  }, 60_000);

  it('the built bin (out/cli/atelier.js) says which Node it needs and exits 2', async () => {
    const failure = await run(node, [path.join(repoRoot, 'out/cli/atelier.js'), 'info'], { env: { PATH: process.env.PATH, ATELIER_HOME: await tempDir() } }).catch((error: unknown) => error as Failure);
    expect(failure).toMatchObject({ code: 2, stdout: '' });
    expect((failure as Failure).stderr).toMatch(new RegExp(`^${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    expect((failure as Failure).stderr).not.toMatch(/ERR_UNKNOWN_BUILTIN_MODULE|node:sqlite|\n\s+at /);
  });

  it('npm run cli says the same: the build itself runs on the old Node, the entry refuses', async () => {
    // `node` on PATH is the old one, as for someone whose system Node is old.
    const bin = await tempDir();
    await fs.symlink(node, path.join(bin, 'node'));
    const failure = await run('npm', ['run', '--silent', 'cli', '--', 'models', '--json'], {
      cwd: repoRoot,
      env: { PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}`, HOME: process.env.HOME, ATELIER_HOME: await tempDir() },
    }).catch((error: unknown) => error as Failure);
    expect(failure).toMatchObject({ code: 2, stdout: '' });
    expect((failure as Failure).stderr).toContain(message);
    expect((failure as Failure).stderr).not.toMatch(/ERR_UNKNOWN_BUILTIN_MODULE|\n\s+at /);
  }, 60_000);
});
