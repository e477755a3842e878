import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../shared/settings';
import { resolveProviderConfig } from '../../electron/core/config/provider-config';
import { UNRESTRICTED } from '../../electron/core/privacy/policy';
import { testConnection } from '../../electron/core/providers/test-connection';
import { awsError } from '../fakes/bedrock-fake';
import type { Scenario } from '../fakes/scenario';
import { startMainProcess } from '../support/main-process';
import { FAKE_KEYS, useProviderFakes } from '../support/provider-fakes';
import { runAtelier } from '../support/run-cli';
import { filesContaining } from '../support/secret-scan';
import { tempDir } from '../support/temp-dir';
import { ANY_PROVIDER, writeSettings } from '../support/settings-file';

const useFakes = useProviderFakes();
const test = (provider: string, env: Record<string, string | undefined> = useFakes().env) =>
  testConnection(provider, resolveProviderConfig(DEFAULT_SETTINGS, Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined)) as Record<string, string>), {
    policy: UNRESTRICTED,
  });

describe('test connection: Bedrock, every error with its fix', () => {
  it('works: a one-token answer through the region’s profile, naming the credentials used', async () => {
    const result = await test('bedrock');
    expect(result).toMatchObject({ provider: 'bedrock', ok: true, error: null });
    expect(result.detail).toMatch(/^Bedrock in eu-central-1 answered with anthropic\.claude-haiku-4-5-20251001-v1:0, using access keys from AWS_ACCESS_KEY_ID \(AKIA…0001\)/);
    expect(JSON.parse(useFakes().bedrock.lastRequest().body)).toMatchObject({ inferenceConfig: { maxTokens: 1 } });
    expect(useFakes().bedrock.lastRequest().path).toContain('/model/eu.anthropic.claude-haiku-4-5-20251001-v1%3A0/');
  });

  const cases: [string, Scenario | null, Record<string, string | undefined>, string, RegExp][] = [
    ['a bad key (UnrecognizedClientException)', null, { AWS_ACCESS_KEY_ID: 'AKIAWRONGWRONGWRONG1' }, 'auth_invalid', /key id and secret must belong together/],
    [
      'a bad secret (InvalidSignatureException)',
      awsError(403, 'InvalidSignatureException', 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.'),
      {},
      'auth_invalid',
      /key id and secret must belong together/,
    ],
    ['an expired session token', awsError(403, 'ExpiredTokenException', 'The security token included in the request is expired'), {}, 'credentials_expired', /fresh credentials/],
    [
      'a missing IAM permission',
      awsError(403, 'AccessDeniedException', 'User: arn:aws:iam::123456789012:user/teacher is not authorized to perform: bedrock:InvokeModel'),
      {},
      'permission_denied',
      /"Action":\["bedrock:InvokeModel","bedrock:InvokeModelWithResponseStream"\]/,
    ],
    ['model access not enabled', awsError(403, 'AccessDeniedException', "You don't have access to the model with the specified model ID."), {}, 'model_access_denied', /Model access/],
    ['a model not offered in the region', awsError(400, 'ValidationException', 'The provided model identifier is invalid.'), {}, 'model_not_found', /not be offered in eu-central-1/],
    ['throttling', awsError(429, 'ThrottlingException', 'Too many requests, please wait before trying again.'), {}, 'rate_limited', /Wait a minute/],
    ['no credentials at all', null, { AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined }, 'credentials_missing', /not seen by an app started from the desktop/],
  ];

  it.each(cases)('%s', async (_what, scenario, envChanges, code, hint) => {
    if (scenario) useFakes().bedrock.respondWith(scenario);
    const result = await test('bedrock', { ...useFakes().env, ...envChanges });
    expect(result.ok).toBe(false);
    expect(result.error).toMatchObject({ code, hint: expect.stringMatching(hint) as unknown });
    expect(JSON.stringify(result)).not.toContain(FAKE_KEYS.awsSecret);
  });
});

describe('test connection: the other providers', () => {
  it.each(['anthropic', 'openai', 'openrouter', 'local'])('%s works', async (provider) => {
    expect(await test(provider)).toMatchObject({ provider, ok: true, error: null });
  });

  it('a wrong key says so, without the key', async () => {
    const result = await test('openai', { ...useFakes().env, OPENAI_API_KEY: 'sk-proj-wrongKey0123456789abcdef' });
    expect(result).toMatchObject({ ok: false, error: { code: 'auth_invalid' } });
    expect(JSON.stringify(result)).not.toContain('wrongKey0123456789');
  });

  it('an unknown provider lists the ones there are', async () => {
    expect((await test('mistral')).error).toMatchObject({ code: 'invalid_request', hint: expect.stringContaining('local, bedrock, anthropic') as unknown });
  });

  it('from the CLI: exit 0 when it works, 1 with the hint when not', async () => {
    const env = { ...useFakes().env, ATELIER_HOME: await tempDir() };
    await writeSettings(env.ATELIER_HOME, ANY_PROVIDER);
    expect(await runAtelier(['auth', 'test', 'anthropic'], { env })).toMatchObject({ code: 0, stdout: expect.stringMatching(/^OK: anthropic accepted the key/) as unknown });
    const failed = await runAtelier(['auth', 'test', 'anthropic'], { env: { ...env, ANTHROPIC_API_KEY: 'sk-ant-api03-wrongwrongwrong000' } });
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/^Failed: anthropic did not accept the key.[\s\S]*Hint: Check ANTHROPIC_API_KEY/);
    expect(failed.stdout + failed.stderr).not.toContain('wrongwrongwrong000');
    expect(await filesContaining(env.ATELIER_HOME, 'sk-ant-api03-wrongwrongwrong000')).toEqual([]);
  });

  it('over IPC as providers:test', async () => {
    const dataDir = await tempDir();
    await writeSettings(dataDir, ANY_PROVIDER);
    const main = await startMainProcess(dataDir, ['app://atelier'], useFakes().env);
    expect(await main.dispatch('providers:test', { provider: 'openrouter' }, { url: 'app://atelier/' })).toMatchObject({ ok: true, value: { ok: true, provider: 'openrouter' } });
    expect(await main.dispatch('providers:test', { provider: '../etc' }, { url: 'app://atelier/' })).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
  });
});
