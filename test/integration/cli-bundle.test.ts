import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/temp-dir';

const repoRoot = path.resolve(import.meta.dirname, '../..');
const run = promisify(execFile);

/** The CLI as users run it: the esbuild bundle, started by Node in its own process. */
describe('the built atelier command', () => {
  beforeAll(async () => {
    await run(process.execPath, ['scripts/build.mjs', '--only=cli'], { cwd: repoRoot });
  }, 60_000);

  it('shares the data folder with the app through ATELIER_HOME', async () => {
    const dir = await tempDir();
    const env = { ...process.env, ATELIER_HOME: dir };
    const cli = path.join(repoRoot, 'out/cli/atelier.js');
    await run(process.execPath, [cli, 'settings', 'set', 'theme', 'dark'], { env });
    expect(JSON.parse(await fs.readFile(path.join(dir, 'settings.json'), 'utf8'))).toMatchObject({ theme: 'dark' });
    const { stdout } = await run(process.execPath, [cli, 'info', '--json'], { env });
    expect(JSON.parse(stdout)).toMatchObject({ dataDir: dir });
  });

  it('exits with 2 and a clear message on a bad value', async () => {
    const cli = path.join(repoRoot, 'out/cli/atelier.js');
    const failure = await run(process.execPath, [cli, 'settings', 'set', 'language', 'klingon'], {
      env: { ...process.env, ATELIER_HOME: await tempDir() },
    }).catch((error: unknown) => error as { code: number; stderr: string });
    expect(failure).toMatchObject({ code: 2, stderr: expect.stringContaining('"klingon" is not a valid value for language') as unknown });
  });
});
