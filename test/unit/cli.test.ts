import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runAtelier } from '../support/run-cli';
import { tempDir } from '../support/temp-dir';

function atelier(dataDir: string, ...argv: string[]) {
  return runAtelier(argv, { env: { ATELIER_HOME: dataDir } });
}

describe('atelier (the CLI)', () => {
  it('info --json reports the version and the data folder from ATELIER_HOME', async () => {
    const dir = await tempDir();
    const { code, stdout } = await atelier(dir, 'info', '--json');
    expect(code).toBe(0);
    const pkg = JSON.parse(await fs.readFile(path.resolve(import.meta.dirname, '../../package.json'), 'utf8')) as { version: string };
    expect(JSON.parse(stdout)).toMatchObject({ name: 'Atelier', version: pkg.version, dataDir: dir, runtime: { electron: null } });
  });

  it('settings set writes the same file the app reads, and get reads it back', async () => {
    const dir = await tempDir();
    expect(await atelier(dir, 'settings', 'set', 'language', 'de')).toMatchObject({ code: 0, stdout: 'language = de\n' });
    expect(JSON.parse(await fs.readFile(path.join(dir, 'settings.json'), 'utf8'))).toMatchObject({ language: 'de' });
    expect((await atelier(dir, 'settings', 'get', 'language')).stdout).toBe('de\n');
    expect(JSON.parse((await atelier(dir, 'settings', 'get', '--json')).stdout)).toMatchObject({
      schemaVersion: 2,
      language: 'de',
      theme: 'system',
    });
  });

  it('refuses a bad value with exit code 2, the allowed values, and no change to the file', async () => {
    const dir = await tempDir();
    const result = await atelier(dir, 'settings', 'set', 'theme', 'purple');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/"purple" is not a valid value for theme/);
    expect(result.stderr).toMatch(/system.*light.*dark/);
    await expect(fs.access(path.join(dir, 'settings.json'))).rejects.toThrow();
  });

  it('refuses an unknown setting and names the ones that exist', async () => {
    const result = await atelier(await tempDir(), 'settings', 'set', 'apiKey', 'sk-test');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('"apiKey" is not a setting.');
    expect(result.stderr).toContain('Hint: Settings you can change: language, theme, ollama.host');
  });

  it('warns on stderr when it had to repair the settings file', async () => {
    const dir = await tempDir();
    await fs.writeFile(path.join(dir, 'settings.json'), '{"theme": "dark",');
    const result = await atelier(dir, 'settings', 'get', 'theme');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('system\n');
    expect(result.stderr).toMatch(/could not be used as it was[\s\S]*kept at .*settings\.rejected-/);
  });

  it('answers unknown commands with usage help and exit code 2', async () => {
    const result = await atelier(await tempDir(), 'frobnicate');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/unknown command 'frobnicate'[\s\S]*atelier --help/);
  });

  it('prints help and the version with exit code 0', async () => {
    const dir = await tempDir();
    expect(await atelier(dir, '--help')).toMatchObject({ code: 0, stdout: expect.stringContaining('settings') as unknown });
    expect((await atelier(dir, '--version')).stdout).toMatch(/^\d+\.\d+\.\d+/);
  });
});
