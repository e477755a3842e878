import { describe, expect, it } from 'vitest';
import { endpointKeyVariable, normalizeOllamaHost, resolveProviderConfig } from '../../electron/core/config/provider-config';
import { parseModelId } from '../../electron/core/models/model-id';
import { redactSecrets } from '../../electron/core/providers/provider-errors';
import { AtelierError } from '../../shared/errors';
import { DEFAULT_SETTINGS } from '../../shared/settings';

describe('normalizeOllamaHost', () => {
  it.each([
    ['0.0.0.0', 'http://127.0.0.1:11434'],
    ['0.0.0.0:8080', 'http://127.0.0.1:8080'],
    [':11434', 'http://127.0.0.1:11434'],
    ['[::]:11434', 'http://127.0.0.1:11434'],
    ['localhost', 'http://localhost:11434'],
    ['gpu-server.school.local:11434', 'http://gpu-server.school.local:11434'],
    ['http://10.0.0.7:11434/', 'http://10.0.0.7:11434'],
    ['https://ollama.school.example', 'https://ollama.school.example:443'],
    ['[fe80::1]:11434', 'http://[fe80::1]:11434'],
  ])('%s → %s', (value, expected) => {
    expect(normalizeOllamaHost(value)).toBe(expected);
  });
});

describe('resolveProviderConfig', () => {
  it('reads the standard variables itself and says where each value came from', () => {
    const config = resolveProviderConfig(DEFAULT_SETTINGS, {
      ANTHROPIC_API_KEY: ' sk-ant-x ',
      OPENAI_BASE_URL: 'https://proxy.example/v1/',
      OLLAMA_HOST: '0.0.0.0',
      AWS_DEFAULT_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: 'AKIAX',
      AWS_SECRET_ACCESS_KEY: 'secret',
      AWS_SESSION_TOKEN: 'token',
    });
    expect(config.anthropic).toEqual({
      baseUrl: 'https://api.anthropic.com',
      apiKey: 'sk-ant-x',
      keyVariable: 'ANTHROPIC_API_KEY',
      secretName: 'anthropic',
      keySource: 'ANTHROPIC_API_KEY',
    });
    expect(config.openai).toMatchObject({ baseUrl: 'https://proxy.example/v1', apiKey: null, keyVariable: 'OPENAI_API_KEY' });
    expect(config.openrouter.baseUrl).toBe('https://openrouter.ai/api/v1');
    expect(config.ollama).toMatchObject({ host: 'http://127.0.0.1:11434', hostSource: 'environment', numCtx: null, vramBytes: null, keepAlive: '5m' });
    expect(config.bedrock).toMatchObject({
      region: 'eu-west-1',
      regionSource: 'environment',
      endpoint: null,
      auth: { kind: 'keys', accessKeyId: 'AKIAX', secretAccessKey: 'secret', sessionToken: 'token', from: 'environment' },
    });
  });

  it('prefers settings over the environment, and defaults to an EU region', () => {
    const settings = { ...DEFAULT_SETTINGS, ollama: { ...DEFAULT_SETTINGS.ollama, host: 'gpu-box:11434' }, bedrock: { ...DEFAULT_SETTINGS.bedrock, region: 'eu-north-1' } };
    const config = resolveProviderConfig(settings, { OLLAMA_HOST: 'elsewhere', AWS_REGION: 'us-east-1' });
    expect(config.ollama).toMatchObject({ host: 'http://gpu-box:11434', hostSource: 'settings' });
    expect(config.bedrock).toMatchObject({ region: 'eu-north-1', regionSource: 'settings', auth: { kind: 'default-chain' } });
    expect(resolveProviderConfig(DEFAULT_SETTINGS, {}).bedrock).toMatchObject({ region: 'eu-central-1', regionSource: 'default' });
    expect(resolveProviderConfig(DEFAULT_SETTINGS, {}).ollama).toMatchObject({ host: 'http://127.0.0.1:11434', hostSource: 'default' });
  });

  it('plans num_ctx with the VRAM override when there is one, else with the detected GPU memory', () => {
    const GIB = 1024 ** 3;
    expect(resolveProviderConfig(DEFAULT_SETTINGS, {}, new Map(), 8 * GIB).ollama).toMatchObject({ numCtx: null, vramBytes: 8 * GIB });
    const override = { ...DEFAULT_SETTINGS, hardware: { vramOverrideGb: 23.5 } };
    expect(resolveProviderConfig(override, {}, new Map(), 8 * GIB).ollama.vramBytes).toBe(23.5 * GIB);
    expect(resolveProviderConfig({ ...DEFAULT_SETTINGS, hardware: { vramOverrideGb: 0 } }, {}, new Map(), 8 * GIB).ollama.vramBytes).toBe(0);
    expect(resolveProviderConfig({ ...DEFAULT_SETTINGS, ollama: { ...DEFAULT_SETTINGS.ollama, numCtx: 4096 } }, {}).ollama).toMatchObject({ numCtx: 4096, vramBytes: null });
  });

  it('takes a key saved in the keychain before the environment variable, and says so', () => {
    const secrets = new Map([
      ['anthropic', 'sk-ant-from-keychain'],
      ['endpoint:school', 'k-from-keychain'],
    ]);
    const settings = { ...DEFAULT_SETTINGS, endpoints: [{ prefix: 'school', name: 'School', baseUrl: 'https://llm.school.example/v1' }] };
    const config = resolveProviderConfig(settings, { ANTHROPIC_API_KEY: 'sk-ant-from-env', ATELIER_ENDPOINT_SCHOOL_KEY: 'k-env' }, secrets);
    expect(config.anthropic).toMatchObject({ apiKey: 'sk-ant-from-keychain', keySource: 'the key saved in Atelier (anthropic)' });
    expect(config.endpoints.get('school')).toMatchObject({ apiKey: 'k-from-keychain', keySource: 'the key saved in Atelier (endpoint:school)' });
  });

  it('gives custom endpoints their key from ATELIER_ENDPOINT_<PREFIX>_KEY', () => {
    const settings = { ...DEFAULT_SETTINGS, endpoints: [{ prefix: 'school-proxy', name: 'School', baseUrl: 'https://llm.school.example/v1' }] };
    const config = resolveProviderConfig(settings, { ATELIER_ENDPOINT_SCHOOL_PROXY_KEY: 'k-123' });
    expect(endpointKeyVariable('school-proxy')).toBe('ATELIER_ENDPOINT_SCHOOL_PROXY_KEY');
    expect(config.endpoints.get('school-proxy')).toMatchObject({ apiKey: 'k-123', baseUrl: 'https://llm.school.example/v1' });
  });
});

describe('Bedrock credential sources', () => {
  const keychain = new Map([
    ['aws-access-key-id', 'AKIAKEYCHAIN00000001'],
    ['aws-secret-access-key', 'keychainSecret'],
  ]);
  const env = { AWS_ACCESS_KEY_ID: 'AKIAENVIRONMENT00001', AWS_SECRET_ACCESS_KEY: 'envSecret', AWS_BEARER_TOKEN_BEDROCK: 'bedrock-api-key-env', AWS_PROFILE: 'school' };
  const withSource = (credentialSource: (typeof DEFAULT_SETTINGS)['bedrock']['credentialSource'], profile: string | null = null) => ({
    ...DEFAULT_SETTINGS,
    bedrock: { ...DEFAULT_SETTINGS.bedrock, credentialSource, profile },
  });

  it('takes them in order: keychain keys, API key, environment, profile, default chain', () => {
    expect(resolveProviderConfig(DEFAULT_SETTINGS, env, keychain).bedrock.auth).toMatchObject({ kind: 'keys', from: 'keychain', accessKeyId: 'AKIAKEYCHAIN00000001' });
    expect(resolveProviderConfig(DEFAULT_SETTINGS, env).bedrock.auth).toEqual({ kind: 'api-key', token: 'bedrock-api-key-env', from: 'environment' });
    const { AWS_BEARER_TOKEN_BEDROCK: _token, ...noApiKey } = env;
    expect(resolveProviderConfig(DEFAULT_SETTINGS, noApiKey).bedrock.auth).toMatchObject({ kind: 'keys', from: 'environment' });
    expect(resolveProviderConfig(DEFAULT_SETTINGS, { AWS_PROFILE: 'school' }).bedrock.auth).toMatchObject({ kind: 'profile', profile: 'school' });
    const fallback = resolveProviderConfig(DEFAULT_SETTINGS, {}).bedrock;
    expect(fallback.auth).toEqual({ kind: 'default-chain' });
    expect(fallback.authReason).toMatch(/default credential chain/);
  });

  it('uses the source chosen in Settings, and says where it looked when that has nothing', () => {
    expect(resolveProviderConfig(withSource('environment'), env, keychain).bedrock).toMatchObject({ auth: { kind: 'keys', from: 'environment' }, authReason: 'chosen in Settings' });
    expect(resolveProviderConfig(withSource('profile', 'teacher'), env).bedrock.auth).toMatchObject({ kind: 'profile', profile: 'teacher' });
    expect(resolveProviderConfig(withSource('keychain'), env).bedrock.auth).toEqual({ kind: 'none', looked: [expect.stringContaining('access keys saved in Atelier') as unknown] });
  });
});

describe('parseModelId', () => {
  it('splits at the first slash only', () => {
    expect(parseModelId('openrouter/anthropic/claude-sonnet-4.5')).toEqual({ prefix: 'openrouter', model: 'anthropic/claude-sonnet-4.5' });
    expect(parseModelId('local/llama3.2:3b')).toEqual({ prefix: 'local', model: 'llama3.2:3b' });
    expect(parseModelId('school/llama-3.1-70b', ['school'])).toEqual({ prefix: 'school', model: 'llama-3.1-70b' });
  });

  it.each(['', 'llama3', '/llama3', 'local/', 'local//x', ' local/x', 'local/x y', 'school/x'])('refuses %j with a hint listing the prefixes', (id) => {
    let error: unknown;
    try {
      parseModelId(id);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(AtelierError);
    expect((error as AtelierError).code).toBe('invalid_request');
    expect((error as AtelierError).hint).toContain('Valid prefixes: local, bedrock, anthropic, openai, openrouter.');
  });
});

describe('redactSecrets', () => {
  it('removes known secrets and anything shaped like a key, token or signature', () => {
    const text = [
      'key sk-proj-abc123def456ghi789',
      'aws AKIAIOSFODNN7EXAMPLE',
      'Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.payload.sig',
      'Signature=0123456789abcdef0123456789abcdef',
      'secret wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      'custom my-school-key-42',
    ].join(' | ');
    const clean = redactSecrets(text, ['my-school-key-42']);
    for (const secret of ['sk-proj-abc123', 'AKIAIOSFODNN7', 'eyJhbGci', '0123456789abcdef0123', 'wJalrXUtnFEMI', 'my-school-key-42']) {
      expect(clean).not.toContain(secret);
    }
    expect(clean).toContain('key [redacted]');
  });

  it('keeps ordinary text and shortens long messages', () => {
    expect(redactSecrets('model: claude-9 not found', [])).toBe('model: claude-9 not found');
    expect(redactSecrets('x'.repeat(1000), []).length).toBeLessThanOrEqual(301);
  });
});
