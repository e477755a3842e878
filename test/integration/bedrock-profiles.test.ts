import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../shared/settings';
import { collectAnswer } from '../../electron/core/chat/collect';
import { ChatRouter } from '../../electron/core/chat/router';
import { UNRESTRICTED } from '../../electron/core/privacy/policy';
import { resolveProviderConfig } from '../../electron/core/config/provider-config';
import { ProfileFixes, profileGeography, resolveBedrockModelId } from '../../electron/core/models/bedrock-profiles';
import { createBedrockFake } from '../fakes/bedrock-fake';
import { runAtelier } from '../support/run-cli';
import { tempDir } from '../support/temp-dir';
import { ANY_PROVIDER, writeSettings } from '../support/settings-file';

const BARE_UNKNOWN = 'anthropic.claude-3-5-haiku-20241022-v1:0'; // not in Atelier's catalogue
const BARE_KNOWN = 'anthropic.claude-sonnet-4-5-20250929-v1:0';

async function setup(region = 'eu-central-1') {
  // Bare Claude ids need a profile; bare ids with a geography prefix are fine.
  const fake = createBedrockFake({ accessKeyId: 'AKIAFAKEFAKEFAKE0001', profileOnly: /^anthropic\.claude/ });
  await fake.start({ http2: true });
  const dataDir = await tempDir();
  await writeSettings(dataDir, ANY_PROVIDER);
  const fixes = await ProfileFixes.open(dataDir);
  const env = { AWS_ACCESS_KEY_ID: 'AKIAFAKEFAKEFAKE0001', AWS_SECRET_ACCESS_KEY: 'fakeSecret0123456789', AWS_REGION: region, AWS_ENDPOINT_URL_BEDROCK_RUNTIME: fake.url };
  const router = new ChatRouter({ policy: () => UNRESTRICTED, config: () => resolveProviderConfig(DEFAULT_SETTINGS, env), bedrock: { profileFixes: fixes } });
  const ask = (model: string) => collectAnswer(router.stream({ model: `bedrock/${model}`, messages: [{ role: 'user', content: 'Hallo' }] }));
  const sentModels = () => fake.requests.map((request) => decodeURIComponent(request.path.split('/')[2] ?? ''));
  return { fake, dataDir, fixes, env, ask, sentModels };
}

describe('Bedrock inference profiles', () => {
  it('a bare id Bedrock refuses on demand is retried once with the region’s profile, and the fix is remembered', async () => {
    const { fake, dataDir, ask, sentModels } = await setup();
    try {
      const first = await ask(BARE_UNKNOWN);
      expect(first).toMatchObject({ text: 'Hello from the fake!', error: null });
      expect(first.notices).toEqual([expect.stringContaining(`used eu.${BARE_UNKNOWN} and will from now on`)]);
      expect(sentModels()).toEqual([BARE_UNKNOWN, `eu.${BARE_UNKNOWN}`]);

      // Next time straight to the profile, also in a new process (the fix is on disk).
      const again = await ask(BARE_UNKNOWN);
      expect(again.error).toBeNull();
      expect(sentModels()).toEqual([BARE_UNKNOWN, `eu.${BARE_UNKNOWN}`, `eu.${BARE_UNKNOWN}`]);
      expect((await ProfileFixes.open(dataDir)).get('eu-central-1', BARE_UNKNOWN)).toBe(`eu.${BARE_UNKNOWN}`);
    } finally {
      await fake.close();
    }
  });

  it('a bare id the catalogue knows goes to its profile at once', async () => {
    const { fake, ask, sentModels } = await setup();
    try {
      const answer = await ask(BARE_KNOWN);
      expect(answer.error).toBeNull();
      expect(answer.notices).toEqual([expect.stringContaining(`eu.${BARE_KNOWN}`)]);
      expect(sentModels()).toEqual([`eu.${BARE_KNOWN}`]);
    } finally {
      await fake.close();
    }
  });

  it('picks the geography of the region, jp and au where offered, never global', () => {
    expect(resolveBedrockModelId(BARE_KNOWN, 'us-east-1', null)).toEqual({ modelId: `us.${BARE_KNOWN}`, via: 'catalogue' });
    expect(resolveBedrockModelId(BARE_KNOWN, 'ap-northeast-1', null)).toEqual({ modelId: `jp.${BARE_KNOWN}`, via: 'catalogue' });
    expect(resolveBedrockModelId(BARE_KNOWN, 'ap-southeast-2', null)).toEqual({ modelId: `au.${BARE_KNOWN}`, via: 'catalogue' });
    expect(resolveBedrockModelId('anthropic.claude-3-7-sonnet-20250219-v1:0', 'ap-northeast-1', null).modelId).toBe('apac.anthropic.claude-3-7-sonnet-20250219-v1:0');
    expect(resolveBedrockModelId(`global.${BARE_KNOWN}`, 'eu-central-1', null)).toEqual({ modelId: `global.${BARE_KNOWN}`, via: 'as-given' });
    expect(resolveBedrockModelId('amazon.nova-pro-v1:0', 'eu-central-1', null)).toEqual({ modelId: 'amazon.nova-pro-v1:0', via: 'as-given' }); // runs in region
    for (const region of ['eu-central-1', 'us-west-2', 'ap-south-1', 'sa-east-1', 'me-central-1']) expect(profileGeography(region)).not.toBe('global');
  });

  it('where no geography fits, the error says what to use instead, and nothing is retried', async () => {
    const { fake, ask, sentModels } = await setup('sa-east-1');
    try {
      const answer = await ask(BARE_UNKNOWN);
      expect(answer.error).toMatchObject({ code: 'inference_profile_required' });
      expect(sentModels()).toEqual([BARE_UNKNOWN]);
    } finally {
      await fake.close();
    }
  });

  it('from the CLI: the answer comes through the eu. profile, and `atelier models` shows the learned fix', async () => {
    const { fake, dataDir, env } = await setup();
    try {
      const atelier = (argv: string[]) => runAtelier(argv, { env: { ...env, ATELIER_HOME: dataDir } });
      const chat = await atelier(['chat', '-m', `bedrock/${BARE_UNKNOWN}`, 'Hallo']);
      expect(chat).toMatchObject({ code: 0, stdout: 'Hello from the fake!\n' });
      expect(chat.stderr).toContain(`Note: Bedrock runs ${BARE_UNKNOWN} only through an inference profile in eu-central-1`);
      const models = await atelier(['models']);
      expect(models.stdout).toContain(`bedrock/eu.${BARE_UNKNOWN}  (learned: bedrock/${BARE_UNKNOWN} runs through this profile in eu-central-1)`);
    } finally {
      await fake.close();
    }
  });
});
