import { spawn } from 'node:child_process';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { buildCli } from '../support/built-cli';
import { useProviderFakes } from '../support/provider-fakes';
import { runAtelier } from '../support/run-cli';
import { ANY_PROVIDER, writeSettings } from '../support/settings-file';
import { tempDir } from '../support/temp-dir';

const useFakes = useProviderFakes();

/**
 * A model @anthropic-ai/sdk marks as deprecated (its DEPRECATED_MODELS) and that reached its end
 * of life on 2026-11-30: Atelier refuses it before anything is sent, naming its successor, and the
 * SDK never gets to print its own warning. (How a warning for a model still answering is turned
 * into a Note is tested in test/unit/sdk-warnings.test.ts.)
 */
const RETIRED = 'anthropic/claude-sonnet-4-5';
/** What the SDK itself would print: none of it may reach the user. */
const SDK_TEXT = /Please migrate|model-deprecations|will reach end-of-life/;

async function home(): Promise<string> {
  const dir = await tempDir();
  await writeSettings(dir, ANY_PROVIDER);
  return dir;
}

describe("the Anthropic SDK's own warnings, said in Atelier's words", () => {
  let cli: string;
  beforeAll(async () => {
    cli = await buildCli();
  }, 60_000);

  it('the built CLI: a retired model is refused before anything is sent, with its successor, and nothing of the SDK', async () => {
    const before = useFakes().anthropic.requests.length;
    const child = spawn(process.execPath, [cli, 'chat', '-m', RETIRED, 'Hallo'], {
      env: { PATH: process.env.PATH, ...useFakes().env, ATELIER_HOME: await home(), ATELIER_POLICY_FILE: process.env.ATELIER_POLICY_FILE },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((done) => child.on('close', done));
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^Error: anthropic\/claude-sonnet-4-5 was retired by its provider on 2026-11-30 and no longer answers\. Nothing was sent\./);
    expect(stderr).toMatch(/claude-sonnet-4-6/);
    expect(stderr).not.toMatch(SDK_TEXT);
    expect(useFakes().anthropic.requests.length).toBe(before);
  });

  it('--json says it as model_not_found; nothing goes to the console of the process', async () => {
    const warn = vi.spyOn(console, 'warn');
    try {
      const result = await runAtelier(['chat', '--json', '-m', RETIRED, 'Hallo'], { env: { ...useFakes().env, ATELIER_HOME: await home() } });
      expect(result.code).toBe(1);
      expect(JSON.parse(result.stdout)).toMatchObject({ error: { code: 'model_not_found' }, attempts: 0 });
      expect(result.stderr).toBe('');
      expect(warn).not.toHaveBeenCalled();
      expect(`${result.stdout}${result.stderr}`).not.toMatch(SDK_TEXT);
    } finally {
      warn.mockRestore();
    }
  });

  it("ANTHROPIC_LOG=debug does not make the SDK print requests (with the user's words) to the terminal", async () => {
    const child = spawn(process.execPath, [cli, 'chat', '-m', 'anthropic/claude-fake-4-5', 'Geheime Frage'], {
      env: { PATH: process.env.PATH, ...useFakes().env, ANTHROPIC_LOG: 'debug', ATELIER_HOME: await home(), ATELIER_POLICY_FILE: process.env.ATELIER_POLICY_FILE },
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((done) => child.on('close', done));
    expect({ code, output }).toEqual({ code: 0, output: 'Hello from the fake!\n' });
  });

  it('a current model gets no notice', async () => {
    const result = await runAtelier(['chat', '-m', 'anthropic/claude-fake-4-5', 'Hallo'], { env: { ...useFakes().env, ATELIER_HOME: await home() } });
    expect(result).toEqual({ code: 0, stdout: 'Hello from the fake!\n', stderr: '' });
  });
});
