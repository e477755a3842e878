import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, type Settings } from '../../shared/settings';
import { collectAnswer } from '../../electron/core/chat/collect';
import { ChatRouter } from '../../electron/core/chat/router';
import { UNRESTRICTED } from '../../electron/core/privacy/policy';
import { loadProviderConfig } from '../../electron/core/config/load-provider-config';
import { SecretStore } from '../../electron/core/secrets/secret-store';
import { ASSUMED_ROLE_KEY_ID, createAwsIdentityFake, SSO_ROLE_KEY_ID } from '../fakes/aws-identity-fake';
import { createBedrockFake } from '../fakes/bedrock-fake';
import type { LoopbackServer } from '../fakes/loopback-server';
import { tempDir } from '../support/temp-dir';

const MODEL = 'bedrock/eu.anthropic.claude-haiku-4-5-20251001-v1:0';
const PROFILE_KEY_ID = 'AKIAFAKEPROFILE00001';
const SSO_TOKEN = 'fake-sso-access-token';
const servers: LoopbackServer[] = [];
const restoreEnv: [string, string | undefined][] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
  for (const [name, value] of restoreEnv.splice(0).reverse()) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

/** The AWS SDK's own helpers (STS, SSO, the token cache) read these from the process. */
function setProcessEnv(name: string, value: string): void {
  restoreEnv.push([name, process.env[name]]);
  process.env[name] = value;
}

async function bedrock(options: Partial<Parameters<typeof createBedrockFake>[0]> = {}) {
  const fake = createBedrockFake({ accessKeyId: 'AKIAFAKEFAKEFAKE0001', moreAccessKeyIds: [PROFILE_KEY_ID, ASSUMED_ROLE_KEY_ID, SSO_ROLE_KEY_ID], ...options });
  await fake.start({ http2: true });
  servers.push(fake);
  return fake;
}

async function ask(settings: Settings, env: Record<string, string>, secrets: SecretStore | null = null) {
  const router = new ChatRouter({ policy: () => UNRESTRICTED, config: () => loadProviderConfig(settings, env, secrets) });
  return collectAnswer(router.stream({ model: MODEL, messages: [{ role: 'user', content: 'Hallo' }] }));
}

const withBedrock = (changes: Partial<Settings['bedrock']>): Settings => ({ ...DEFAULT_SETTINGS, bedrock: { ...DEFAULT_SETTINGS.bedrock, ...changes } });

/** An AWS config folder with a static profile "school", a role profile "teacher" and an SSO profile. */
async function awsFolder(): Promise<{ home: string; configFile: string; credentialsFile: string }> {
  const home = await tempDir();
  await fs.mkdir(path.join(home, '.aws', 'sso', 'cache'), { recursive: true });
  const configFile = path.join(home, '.aws', 'config');
  const credentialsFile = path.join(home, '.aws', 'credentials');
  await fs.writeFile(credentialsFile, `[school]\naws_access_key_id = ${PROFILE_KEY_ID}\naws_secret_access_key = fakeProfileSecret0123456789\n`);
  await fs.writeFile(
    configFile,
    [
      '[profile teacher]',
      'role_arn = arn:aws:iam::111122223333:role/Teacher',
      'source_profile = school',
      'region = eu-central-1',
      '',
      '[profile sso-teacher]',
      'sso_session = school-sso',
      'sso_account_id = 111122223333',
      'sso_role_name = Teacher',
      'region = eu-central-1',
      '',
      '[sso-session school-sso]',
      'sso_start_url = https://school-fake.awsapps.com/start',
      'sso_region = eu-central-1',
      'sso_registration_scopes = sso:account:access',
      '',
    ].join('\n'),
  );
  return { home, configFile, credentialsFile };
}

async function ssoToken(home: string, expiresAt: string): Promise<void> {
  const file = path.join(home, '.aws', 'sso', 'cache', `${createHash('sha1').update('school-sso').digest('hex')}.json`);
  await fs.writeFile(file, JSON.stringify({ accessToken: SSO_TOKEN, expiresAt, region: 'eu-central-1', startUrl: 'https://school-fake.awsapps.com/start' }));
}

describe('Bedrock credentials, each source against the fakes', () => {
  it('access keys saved in the keychain', async () => {
    const fake = await bedrock();
    const secrets = new SecretStore(`Atelier-test-${randomUUID()}`);
    await secrets.set('aws-access-key-id', 'AKIAFAKEFAKEFAKE0001');
    await secrets.set('aws-secret-access-key', 'fakeKeychainSecret/0123456789');
    const answer = await ask(DEFAULT_SETTINGS, { AWS_ENDPOINT_URL_BEDROCK_RUNTIME: fake.url }, secrets);
    expect(answer).toMatchObject({ text: 'Hello from the fake!', error: null });
    expect(String(fake.lastRequest().headers.authorization)).toMatch(/Credential=AKIAFAKEFAKEFAKE0001\//);
  });

  it('a Bedrock API key (bearer token), from the keychain, wrong one refused', async () => {
    const fake = await bedrock({ apiKeys: ['bedrock-api-key-fake-0123456789'] });
    const secrets = new SecretStore(`Atelier-test-${randomUUID()}`);
    await secrets.set('bedrock-api-key', 'bedrock-api-key-fake-0123456789');
    expect(await ask(DEFAULT_SETTINGS, { AWS_ENDPOINT_URL_BEDROCK_RUNTIME: fake.url }, secrets)).toMatchObject({ error: null });
    expect(fake.lastRequest().headers.authorization).toBe('Bearer bedrock-api-key-fake-0123456789');

    const wrong = await ask(DEFAULT_SETTINGS, { AWS_ENDPOINT_URL_BEDROCK_RUNTIME: fake.url, AWS_BEARER_TOKEN_BEDROCK: 'bedrock-api-key-wrong-0000000' });
    expect(wrong.error).toMatchObject({ code: 'auth_invalid', hint: expect.stringContaining('Bedrock API key from AWS_BEARER_TOKEN_BEDROCK') as unknown });
    expect(JSON.stringify(wrong)).not.toContain('bedrock-api-key-wrong');
  });

  it('a static profile from a credentials file', async () => {
    const fake = await bedrock();
    const aws = await awsFolder();
    const env = { AWS_ENDPOINT_URL_BEDROCK_RUNTIME: fake.url, AWS_CONFIG_FILE: aws.configFile, AWS_SHARED_CREDENTIALS_FILE: aws.credentialsFile };
    expect(await ask(withBedrock({ profile: 'school' }), env)).toMatchObject({ error: null });
    expect(String(fake.lastRequest().headers.authorization)).toContain(`Credential=${PROFILE_KEY_ID}/`);
  });

  it('a role profile: STS AssumeRole with the source profile, then Bedrock with the role', async () => {
    const fake = await bedrock();
    const identity = createAwsIdentityFake({ sourceKeyId: PROFILE_KEY_ID, ssoToken: SSO_TOKEN });
    await identity.start();
    servers.push(identity);
    const aws = await awsFolder();
    setProcessEnv('AWS_ENDPOINT_URL_STS', identity.url);
    const env = { AWS_ENDPOINT_URL_BEDROCK_RUNTIME: fake.url, AWS_CONFIG_FILE: aws.configFile, AWS_SHARED_CREDENTIALS_FILE: aws.credentialsFile };
    expect(await ask(withBedrock({ credentialSource: 'profile', profile: 'teacher' }), env)).toMatchObject({ error: null });
    expect(new URLSearchParams(identity.lastRequest().body).get('RoleArn')).toBe('arn:aws:iam::111122223333:role/Teacher');
    expect(String(fake.lastRequest().headers.authorization)).toContain(`Credential=${ASSUMED_ROLE_KEY_ID}/`);
  });

  it('an SSO profile: the cached SSO token buys role credentials', async () => {
    const fake = await bedrock();
    const identity = createAwsIdentityFake({ sourceKeyId: PROFILE_KEY_ID, ssoToken: SSO_TOKEN });
    await identity.start();
    servers.push(identity);
    const aws = await awsFolder();
    await ssoToken(aws.home, '2099-01-01T00:00:00Z');
    setProcessEnv('HOME', aws.home);
    // The SDK's SSO path reads the config file's location from the process (as it would in the app).
    setProcessEnv('AWS_CONFIG_FILE', aws.configFile);
    setProcessEnv('AWS_ENDPOINT_URL_SSO', identity.url);
    const env = { AWS_ENDPOINT_URL_BEDROCK_RUNTIME: fake.url, AWS_CONFIG_FILE: aws.configFile, AWS_SHARED_CREDENTIALS_FILE: aws.credentialsFile };
    expect(await ask(withBedrock({ profile: 'sso-teacher' }), env)).toMatchObject({ error: null });
    expect(identity.lastRequest().path).toMatch(/^\/federation\/credentials\?/);
    expect(String(fake.lastRequest().headers.authorization)).toContain(`Credential=${SSO_ROLE_KEY_ID}/`);
  });

  it('an expired SSO session: credentials_expired, with the login command', async () => {
    const fake = await bedrock();
    const aws = await awsFolder();
    await ssoToken(aws.home, '2020-01-01T00:00:00Z');
    setProcessEnv('HOME', aws.home);
    setProcessEnv('AWS_CONFIG_FILE', aws.configFile);
    const env = { AWS_ENDPOINT_URL_BEDROCK_RUNTIME: fake.url, AWS_CONFIG_FILE: aws.configFile, AWS_SHARED_CREDENTIALS_FILE: aws.credentialsFile };
    const answer = await ask(withBedrock({ profile: 'sso-teacher' }), env);
    expect(answer.error).toMatchObject({ code: 'credentials_expired', hint: expect.stringContaining('aws sso login --profile sso-teacher') as unknown });
  });

  it('nothing anywhere: credentials_missing, saying where Atelier looked and why shell variables do not count', async () => {
    const fake = await bedrock();
    const answer = await ask(DEFAULT_SETTINGS, { AWS_ENDPOINT_URL_BEDROCK_RUNTIME: fake.url });
    expect(answer.error?.code).toBe('credentials_missing');
    expect(answer.error?.hint).toMatch(/AWS_ACCESS_KEY_ID[\s\S]*not seen by an app started from the desktop/);
    expect(fake.requests).toEqual([]);
  });

  it('a source chosen in Settings that has nothing fails before any request', async () => {
    const fake = await bedrock();
    const answer = await ask(withBedrock({ credentialSource: 'keychain' }), { AWS_ENDPOINT_URL_BEDROCK_RUNTIME: fake.url, AWS_ACCESS_KEY_ID: 'AKIAX', AWS_SECRET_ACCESS_KEY: 'x' });
    expect(answer.error).toMatchObject({ code: 'credentials_missing', hint: expect.stringContaining('access keys saved in Atelier') as unknown });
    expect(fake.requests).toEqual([]);
  });
});
