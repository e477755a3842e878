import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCli, repoRoot } from '../support/built-cli';
import { useProviderFakes } from '../support/provider-fakes';
import { ANY_PROVIDER, writeSettings } from '../support/settings-file';
import { tempDir } from '../support/temp-dir';

const useFakes = useProviderFakes();
const run = promisify(execFile);

/** The command lines of the README's CLI examples (the sh block under "The `atelier` command"), comments cut off. */
async function readmeExamples(): Promise<string[]> {
  const readme = await fs.readFile(path.join(repoRoot, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## The `atelier` command'));
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
  return block
    .split('\n')
    .map((line) => line.replace(/\s+#\s.*$/, '').trim())
    .filter((line) => line !== '');
}

/** The ways to run the CLI whose standard output is the CLI's alone: nothing of npm's in it. */
const CLEAN = /(?:^|\|\s*)(?:npm run --silent cli --|npx atelier|node out\/cli\/atelier\.js) /;

describe("the README's atelier examples", () => {
  beforeAll(async () => {
    await buildCli(); // for `npx atelier`, which runs the built bin
  }, 60_000);

  it('all run the CLI in a form whose stdout is only the CLI output (no npm banner before the JSON)', async () => {
    const examples = await readmeExamples();
    expect(examples.length).toBeGreaterThan(5);
    for (const line of examples) expect(line, line).toMatch(CLEAN);
  });

  it('print JSON that parses, run exactly as written (with --json where the comment offers it)', async () => {
    const home = await tempDir();
    await writeSettings(home, ANY_PROVIDER);
    const examples = (await readmeExamples()).filter((line) => / (?:models|info)(?: --json)?$/.test(line));
    expect(examples.length).toBeGreaterThanOrEqual(3);
    for (const line of examples) {
      const command = line.endsWith('--json') ? line : `${line} --json`;
      const { stdout } = await run('sh', ['-c', command], { cwd: repoRoot, env: { ...process.env, ...useFakes().env, ATELIER_HOME: home } });
      expect(() => JSON.parse(stdout) as unknown, `${command} printed:\n${stdout.slice(0, 200)}`).not.toThrow();
    }
  }, 120_000);
});
