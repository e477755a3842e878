import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FAKE_MODELS, useProviderFakes } from '../support/provider-fakes';
import { runAtelier } from '../support/run-cli';
import { filesContaining } from '../support/secret-scan';
import { keychainEntries } from '../support/secret-tool';
import { tempDir } from '../support/temp-dir';
import { ANY_PROVIDER, writeSettings } from '../support/settings-file';

const useFakes = useProviderFakes();

/** A data folder, a keychain service of its own, and the fakes' addresses without their keys. */
async function setup() {
  const home = await tempDir();
  await writeSettings(home, ANY_PROVIDER);
  const service = `Atelier-test-${randomUUID()}`;
  const { ANTHROPIC_API_KEY: _key, ...env } = useFakes().env;
  const base = { ...env, ATELIER_HOME: home, ATELIER_KEYCHAIN_SERVICE: service };
  const atelier = (argv: string[], options: { stdin?: string; env?: Record<string, string | undefined> } = {}) =>
    runAtelier(argv, { env: { ...base, ...options.env }, ...(options.stdin !== undefined && { stdin: options.stdin }) });
  return { home, service, atelier };
}

describe('atelier auth', () => {
  it('saves a key from stdin into the keychain only; chat then uses it', async () => {
    const { home, service, atelier } = await setup();
    const key = 'sk-ant-api03-fakeAnthropicKey0123456789'; // the key the Anthropic fake accepts
    const saved = await atelier(['auth', 'set', 'anthropic'], { stdin: `${key}\n` });
    expect(saved).toMatchObject({ code: 0, stdout: 'Saved anthropic in the keychain (sk-a…6789).\n' });
    expect(await keychainEntries(service)).toEqual([{ account: 'anthropic', secret: key }]);

    const chat = await atelier(['chat', '-m', FAKE_MODELS.anthropic, 'hallo']);
    expect(chat).toMatchObject({ code: 0, stdout: 'Hello from the fake!\n' });
    expect(useFakes().anthropic.lastRequest().headers.authorization).toBe(`Bearer ${key}`);

    expect(await filesContaining(home, key)).toEqual([]);
    expect(saved.stdout + saved.stderr + chat.stdout + chat.stderr).not.toContain(key);
  });

  it('a wrong saved key fails with a hint naming where it came from, and leaks nowhere', async () => {
    const { home, atelier } = await setup();
    const wrong = 'sk-ant-api03-wrongWrongWrongWrong0000';
    await atelier(['auth', 'set', 'anthropic'], { stdin: wrong });
    const chat = await atelier(['chat', '-m', FAKE_MODELS.anthropic, 'hallo']);
    expect(chat.code).toBe(1);
    expect(chat.stderr).toContain('Hint: Check the key saved in Atelier (anthropic)');
    expect(chat.stderr + chat.stdout).not.toContain(wrong);
    expect(await filesContaining(home, wrong)).toEqual([]);
  });

  it('lists credentials masked, from the keychain and from the environment', async () => {
    const { atelier } = await setup();
    await atelier(['auth', 'set', 'openrouter'], { stdin: 'sk-or-v1-listedKey0123456789abcdef' });
    const listed = await atelier(['auth', 'list', '--json'], { env: { OPENAI_API_KEY: 'sk-proj-fromEnvironment012345' } });
    const output = JSON.parse(listed.stdout) as { keychain: { available: boolean }; credentials: unknown[] };
    expect(output.keychain.available).toBe(true);
    expect(output.credentials).toEqual(
      expect.arrayContaining([
        { name: 'openrouter', source: 'keychain', masked: 'sk-o…cdef' },
        { name: 'openai', source: 'environment (OPENAI_API_KEY)', masked: 'sk-p…2345' },
      ]),
    );
    expect(listed.stdout).not.toMatch(/listedKey|fromEnvironment/);
  });

  it('removes a credential, and refuses names it does not keep', async () => {
    const { service, atelier } = await setup();
    await atelier(['auth', 'set', 'aws-session-token'], { stdin: 'IQoJb3JpZ2luX2VjEFakeSessionToken' });
    expect(await atelier(['auth', 'remove', 'aws-session-token'])).toMatchObject({ code: 0 });
    expect(await keychainEntries(service)).toEqual([]);
    expect((await atelier(['auth', 'remove', 'aws-session-token'])).code).toBe(2);
    const bad = await atelier(['auth', 'set', 'password'], { stdin: 'x' });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('Names: anthropic, openai, openrouter, bedrock-api-key');
    expect((await atelier(['auth', 'set', 'openai'], { stdin: '\n' })).stderr).toContain('is empty');
  });

  it('config is the same command as settings, with list', async () => {
    const { atelier } = await setup();
    expect((await atelier(['config', 'set', 'bedrock.region', 'eu-west-1'])).code).toBe(0);
    expect((await atelier(['config', 'list'])).stdout).toContain('bedrock.region = eu-west-1');
    expect((await atelier(['config', 'set', 'bedrock.region', 'mars-1'])).stderr).toContain('use an AWS region such as eu-central-1');
    expect((await atelier(['config', 'set', 'bedrock.colour', 'x'])).code).toBe(2);
  });
});

describe('atelier auth import-aws-csv', () => {
  it('saves the key from the console CSV in the keychain; the CSV is copied nowhere; Bedrock uses it', async () => {
    const { home, service, atelier } = await setup();
    const csv = path.resolve(import.meta.dirname, '../fixtures/aws/accessKeys.csv');
    const imported = await atelier(['auth', 'import-aws-csv', csv], { env: { AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined } });
    expect(imported).toMatchObject({ code: 0, stdout: 'Saved the AWS access key AKIA…0001 in the keychain. You can delete the CSV now.\n' });
    expect(await keychainEntries(service)).toEqual(
      expect.arrayContaining([
        { account: 'aws-access-key-id', secret: 'AKIAFAKEFAKEFAKE0001' },
        { account: 'aws-secret-access-key', secret: 'fakeSecretAccessKey/0123456789abcdefghij' },
      ]),
    );
    const chat = await atelier(['chat', '-m', FAKE_MODELS.bedrock, 'hallo'], { env: { AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined } });
    expect(chat).toMatchObject({ code: 0, stdout: 'Hello from the fake!\n' });
    expect(await filesContaining(home, 'fakeSecretAccessKey/0123456789abcdefghij')).toEqual([]);
    expect(imported.stdout + chat.stdout + chat.stderr).not.toContain('fakeSecretAccessKey');
  });

  it('a bad CSV: exit 2, the problem named, nothing saved', async () => {
    const { home, service, atelier } = await setup();
    const bad = path.join(home, 'wrong.csv');
    await fs.writeFile(bad, 'Name,Key\nteacher,secret\n');
    const result = await atelier(['auth', 'import-aws-csv', bad]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/no "Access key ID" and "Secret access key" columns[\s\S]*Hint: Download a new access key CSV/);
    expect(await keychainEntries(service)).toEqual([]);
    expect((await atelier(['auth', 'import-aws-csv', path.join(home, 'missing.csv')])).stderr).toContain('could not read');
  });
});
