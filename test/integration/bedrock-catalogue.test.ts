import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EgressEntry } from '../../shared/egress';
import { DEFAULT_SETTINGS } from '../../shared/settings';
import { resolveProviderConfig } from '../../electron/core/config/provider-config';
import { adviseLocalModels } from '../../electron/core/hardware/hardware-matrix';
import { BEDROCK_CACHE_FILE } from '../../electron/core/models/bedrock-listing';
import { knownLifecycle, retiredModel, retiredModelError } from '../../electron/core/models/lifecycle';
import type { ProviderModels } from '../../electron/core/models/list-models';
import { modelCatalogue } from '../../electron/core/models/model-catalogue';
import { UNRESTRICTED } from '../../electron/core/privacy/policy';
import { bedrockControlEndpoint } from '../../electron/core/providers/bedrock-control';
import { awsError, createBedrockFake, defaultBedrockFakeCatalogue, fakeFoundationModel, fakeProfile, type BedrockFakeOptions } from '../fakes/bedrock-fake';
import { runAtelier } from '../support/run-cli';
import { ANY_PROVIDER, writeSettings } from '../support/settings-file';
import { tempDir } from '../support/temp-dir';

const KEY_ID = 'AKIAFAKEFAKEFAKE0002';

async function setup(options: Partial<BedrockFakeOptions> = {}, settings = ANY_PROVIDER) {
  // The Bedrock client (control plane) speaks HTTP/1.1 by default, as it does to AWS.
  const fake = await createBedrockFake({ accessKeyId: KEY_ID, ...options }).start();
  const home = await tempDir();
  await writeSettings(home, settings);
  const env = { ATELIER_HOME: home, AWS_ACCESS_KEY_ID: KEY_ID, AWS_SECRET_ACCESS_KEY: 'fakeSecretCatalogue0123', AWS_REGION: 'eu-central-1', AWS_ENDPOINT_URL_BEDROCK_RUNTIME: fake.url };
  const bedrockListing = async (extraEnv: Record<string, string | undefined> = {}) => {
    const run = await runAtelier(['models', '--json'], { env: { ...env, ...extraEnv } });
    expect(run.code).toBe(0);
    return (JSON.parse(run.stdout) as ProviderModels[]).find((entry) => entry.provider === 'bedrock');
  };
  const listings = () => fake.requests.filter((request) => request.method === 'GET').map((request) => request.path.split('?')[0]);
  const egress = async () => (JSON.parse((await runAtelier(['egress', 'list', '--json'], { env })).stdout) as EgressEntry[]).filter((entry) => entry.purpose === 'model-list' && entry.provider === 'bedrock');
  return { fake, home, env, bedrockListing, listings, egress };
}

describe('Bedrock’s live catalogue', () => {
  it('lists the region’s profiles and on-demand text models, signed, and says it is live', async () => {
    const { fake, env, bedrockListing, listings, egress } = await setup();
    try {
      const bedrock = await bedrockListing();
      expect(bedrock?.source).toBe('live');
      expect(bedrock?.fallbackReason).toBeUndefined();
      expect(bedrock?.models.map((model) => model.id)).toEqual([
        'bedrock/amazon.nova-pro-v1:0',
        'bedrock/eu.anthropic.claude-haiku-4-5-20251001-v1:0',
        'bedrock/eu.anthropic.claude-sonnet-4-6',
      ]);
      expect(bedrock?.models.find((model) => model.id === 'bedrock/eu.anthropic.claude-sonnet-4-6')?.name).toBe('EU Anthropic Claude Sonnet 4.6');
      expect(listings()).toEqual(['/inference-profiles', '/foundation-models']);
      for (const request of fake.requests) expect(String(request.headers.authorization)).toMatch(new RegExp(`Credential=${KEY_ID}/\\d{8}/eu-central-1/bedrock/aws4_request`));

      const text = await runAtelier(['models'], { env });
      expect(text.stdout).toMatch(/\nbedrock \(live list from \d{4}-\d\d-\d\dT[\d:.]+Z, kept for a day\): 3 models\n {2}bedrock\/amazon\.nova-pro-v1:0 {2}Nova Pro\n/);
      expect(text.stdout).not.toContain('global.');
      // One entry for the listing, written before it left, completed afterwards.
      const entries = await egress();
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({ outcome: 'completed', routeClass: 'non-eu', region: 'eu-central-1', host: '127.0.0.1', modelId: '', tier: 'non_dsgvo' });
    } finally {
      await fake.close();
    }
  });

  it('follows nextToken through every page of profiles', async () => {
    const catalogue = defaultBedrockFakeCatalogue('eu-central-1');
    catalogue.inferenceProfileSummaries.push(fakeProfile('eu', 'eu-central-1', 'amazon.nova-lite-v1:0', 'EU Nova Lite'));
    const { fake, bedrockListing, listings } = await setup({ catalogue, profilePageSize: 2 });
    try {
      const bedrock = await bedrockListing();
      expect(bedrock?.models.map((model) => model.id)).toContain('bedrock/eu.amazon.nova-lite-v1:0');
      expect(listings()).toEqual(['/inference-profiles', '/inference-profiles', '/inference-profiles', '/foundation-models']);
    } finally {
      await fake.close();
    }
  });

  it('uses the cached list for a day, then asks again; a damaged cache is ignored and rewritten', async () => {
    const { fake, home, bedrockListing, listings, egress } = await setup();
    try {
      const first = await bedrockListing();
      const second = await bedrockListing();
      expect(second?.source).toBe('cached');
      expect(second?.listedAt).toBe(first?.listedAt);
      expect(second?.models).toEqual(first?.models);
      expect(listings()).toHaveLength(2); // one listing: profiles and models, once
      expect(await egress()).toHaveLength(1); // nothing left for the cached one

      // A day later (the cache file's time set back): asked again.
      const file = path.join(home, BEDROCK_CACHE_FILE);
      const cache = JSON.parse(await fs.readFile(file, 'utf8')) as { regions: Record<string, { fetchedAt: string }> };
      const region = cache.regions['eu-central-1'];
      if (!region) throw new Error('no cache entry for eu-central-1');
      region.fetchedAt = new Date(Date.now() - 25 * 60 * 60 * 1000).toISOString();
      await fs.writeFile(file, JSON.stringify(cache));
      expect((await bedrockListing())?.source).toBe('live');
      expect(listings()).toHaveLength(4);

      await fs.writeFile(file, '{"regions": {"eu-central-1": {"fetchedAt": "yesterday", "catalogue": 7}}');
      expect((await bedrockListing())?.source).toBe('live');
      expect(listings()).toHaveLength(6);
      const rewritten = JSON.parse(await fs.readFile(file, 'utf8')) as { regions: Record<string, { fetchedAt: string }> };
      expect(Date.parse(rewritten.regions['eu-central-1']?.fetchedAt ?? '')).not.toBeNaN();
      expect((await fs.stat(file)).mode & 0o777).toBe(0o600);
      expect((await bedrockListing())?.source).toBe('cached');

      // Another region is another entry.
      expect((await bedrockListing({ AWS_REGION: 'eu-west-1' }))?.source).toBe('live');
      expect(fake.requests.at(-1)?.headers.authorization).toMatch(/\/eu-west-1\/bedrock\//);
    } finally {
      await fake.close();
    }
  });

  it('falls back to the shipped catalogue when AWS refuses the listing, and says why', async () => {
    const { fake, env, bedrockListing, egress } = await setup({ listingError: awsError(403, 'AccessDeniedException', 'User is not authorized to perform: bedrock:ListInferenceProfiles') });
    try {
      const bedrock = await bedrockListing();
      expect(bedrock?.source).toBe('catalogue');
      expect(bedrock?.fallbackReason).toMatchObject({ code: 'permission_denied', hint: expect.stringContaining('bedrock:ListInferenceProfiles') });
      expect(bedrock?.models.map((model) => model.id)).toContain('bedrock/eu.anthropic.claude-haiku-4-5-20251001-v1:0');
      const text = await runAtelier(['models'], { env });
      expect(text.stdout).toMatch(/bedrock \(Atelier’s catalogue\): \d+ models\n {2}Not the live list: AWS refused to list Bedrock’s models in eu-central-1/);
      expect(text.stdout).not.toContain('fakeSecretCatalogue0123');
      expect((await egress())[0]).toMatchObject({ outcome: 'failed', errorCode: 'permission_denied' });
    } finally {
      await fake.close();
    }
  });

  it('a tier that forbids the listing’s route sends nothing, records the refusal and shows the catalogue', async () => {
    // The fake is on 127.0.0.1, not known to be in the EU: "Local and EU cloud" may not ask it.
    const { fake, bedrockListing, listings, egress } = await setup({}, { privacy: { tier: 'dsgvo_cloud' } });
    try {
      const bedrock = await bedrockListing();
      expect(bedrock?.source).toBe('catalogue');
      expect(bedrock?.fallbackReason?.code).toBe('policy_denied');
      expect(bedrock?.models.length).toBeGreaterThan(0);
      expect(listings()).toEqual([]);
      expect(await egress()).toEqual([expect.objectContaining({ outcome: 'refused', errorCode: 'policy_denied', routeClass: 'non-eu' })]);
    } finally {
      await fake.close();
    }
  });

  it('without credentials, the catalogue, and nothing is asked', async () => {
    const { fake, bedrockListing, listings, egress } = await setup();
    try {
      const bedrock = await bedrockListing({ AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined });
      expect(bedrock).toMatchObject({ source: 'catalogue', fallbackReason: { code: 'credentials_missing' } });
      expect(listings()).toEqual([]);
      expect(await egress()).toEqual([]);
    } finally {
      await fake.close();
    }
  });

  it('marks LEGACY models deprecated (retired once their end of life passed), and the table’s ones with a successor', async () => {
    const catalogue = defaultBedrockFakeCatalogue('eu-central-1');
    const inAYear = new Date(Date.now() + 365 * 24 * 3600 * 1000).toISOString();
    const lastYear = new Date(Date.now() - 365 * 24 * 3600 * 1000).toISOString();
    catalogue.inferenceProfileSummaries.push(fakeProfile('eu', 'eu-central-1', 'anthropic.claude-sonnet-4-5-20250929-v1:0', 'EU Claude Sonnet 4.5'));
    catalogue.modelSummaries.push(
      fakeFoundationModel('eu-central-1', 'anthropic.claude-sonnet-4-5-20250929-v1:0', 'Claude Sonnet 4.5'),
      fakeFoundationModel('eu-central-1', 'amazon.nova-lite-v1:0', 'Nova Lite', { inferenceTypesSupported: ['ON_DEMAND'], modelLifecycle: { status: 'LEGACY', legacyTime: lastYear, endOfLifeTime: inAYear } }),
      fakeFoundationModel('eu-central-1', 'amazon.titan-text-lite-v1', 'Titan Text Lite', { inferenceTypesSupported: ['ON_DEMAND'], modelLifecycle: { status: 'LEGACY', endOfLifeTime: lastYear } }),
    );
    const { fake, env, bedrockListing } = await setup({ catalogue });
    try {
      const models = new Map((await bedrockListing())?.models.map((model) => [model.id, model]));
      const day = (time: string) => time.slice(0, 10);
      expect(models.get('bedrock/amazon.nova-lite-v1:0')).toMatchObject({ lifecycle: 'deprecated', retiresOn: day(inAYear) });
      expect(models.get('bedrock/amazon.titan-text-lite-v1')).toMatchObject({ lifecycle: 'retired', retiresOn: day(lastYear) });
      expect(models.get('bedrock/eu.anthropic.claude-sonnet-4-5-20250929-v1:0')).toMatchObject({ lifecycle: 'deprecated', successor: 'bedrock/eu.anthropic.claude-sonnet-4-6' });
      expect(models.get('bedrock/eu.anthropic.claude-sonnet-4-6')?.lifecycle).toBeUndefined();

      const text = (await runAtelier(['models'], { env })).stdout;
      expect(text).toContain(`bedrock/amazon.nova-lite-v1:0  Nova Lite  [deprecated, retires on ${day(inAYear)}]`);
      expect(text).toContain(`bedrock/amazon.titan-text-lite-v1  Titan Text Lite  [retired on ${day(lastYear)}]`);
      expect(text).toContain('bedrock/eu.anthropic.claude-sonnet-4-5-20250929-v1:0  EU Claude Sonnet 4.5  [deprecated; use bedrock/eu.anthropic.claude-sonnet-4-6]');
    } finally {
      await fake.close();
    }
  });
});

describe('model lifecycle', () => {
  const at = (day: string) => new Date(`${day}T12:00:00Z`);

  it('retiredModel: retired from the day on, with the successor; deprecated or unknown models are not', () => {
    expect(retiredModel('anthropic', 'claude-sonnet-4-5', at('2026-11-29'))).toBeNull();
    expect(retiredModel('anthropic', 'claude-sonnet-4-5', new Date('2026-11-30T00:00:00Z'))).toEqual({ retiredOn: '2026-11-30', successor: 'anthropic/claude-sonnet-4-6' });
    expect(retiredModel('anthropic', 'claude-sonnet-4-5-20250929', at('2026-12-02'))).toEqual({ retiredOn: '2026-11-30', successor: 'anthropic/claude-sonnet-4-6' });
    expect(retiredModel('anthropic', 'claude-3-5-haiku-20241022', at('2026-12-02'))).toEqual({ retiredOn: '2026-02-19', successor: 'anthropic/claude-haiku-4-5' });
    expect(retiredModel('anthropic', 'claude-3-opus-latest', at('2026-12-02'))?.successor).toBe('anthropic/claude-opus-4-6');
    expect(retiredModel('anthropic', 'claude-sonnet-4-6', at('2026-12-02'))).toBeNull();
    // Same name, other provider: Bedrock has its own dates (none announced in the table): deprecated, not retired.
    expect(retiredModel('bedrock', 'eu.anthropic.claude-sonnet-4-5-20250929-v1:0', at('2026-12-02'))).toBeNull();
    expect(knownLifecycle('bedrock', 'eu.anthropic.claude-sonnet-4-5-20250929-v1:0', at('2026-12-02'))).toEqual({ lifecycle: 'deprecated', successor: 'bedrock/eu.anthropic.claude-sonnet-4-6' });
    expect(retiredModel('local', 'llama3.2:3b', at('2026-12-02'))).toBeNull();
  });

  it('the error names the day and the successor, as model_not_found', () => {
    const retired = retiredModel('anthropic', 'claude-sonnet-4-5', at('2026-12-02'));
    if (!retired) throw new Error('expected retired');
    expect(retiredModelError('anthropic/claude-sonnet-4-5', retired)).toEqual({
      code: 'model_not_found',
      message: 'anthropic/claude-sonnet-4-5 was retired by its provider on 2026-11-30 and no longer answers. Nothing was sent.',
      hint: 'Use anthropic/claude-sonnet-4-6 instead (atelier chat -m anthropic/claude-sonnet-4-6).',
    });
  });

  it('the picker greys retired models with the successor, notes deprecated ones', async () => {
    const config = resolveProviderConfig(DEFAULT_SETTINGS, {});
    const advice = adviseLocalModels({ usableVramBytes: 0, ramBytes: 16 * 1024 ** 3 }, 8192);
    const catalogue = await modelCatalogue(config, DEFAULT_SETTINGS, { policy: UNRESTRICTED, advice, now: () => at('2026-12-02'), fetch: () => Promise.reject(new Error('offline')) });
    const anthropic = catalogue.groups.find((group) => group.provider === 'anthropic');
    const sonnet45 = anthropic?.models.find((model) => model.id === 'anthropic/claude-sonnet-4-5');
    if (sonnet45) expect(sonnet45).toMatchObject({ lifecycle: 'retired', available: false, successor: 'anthropic/claude-sonnet-4-6', unavailable: { reason: 'retired' } });
    const openrouter = catalogue.groups.find((group) => group.provider === 'openrouter');
    expect(openrouter?.models.map((model) => model.id)).toContain('openrouter/anthropic/claude-sonnet-4.6');
    expect(openrouter?.models.every((model) => model.lifecycle === undefined)).toBe(true);
  });

  it('the control-plane address: AWS’s own for the region, or the runtime override when it is not AWS’s', () => {
    const bedrock = (env: Record<string, string>) => resolveProviderConfig(DEFAULT_SETTINGS, { AWS_REGION: 'eu-west-3', ...env }).bedrock;
    expect(bedrockControlEndpoint(bedrock({}))).toBe('https://bedrock.eu-west-3.amazonaws.com');
    expect(bedrockControlEndpoint(bedrock({ AWS_ENDPOINT_URL_BEDROCK_RUNTIME: 'https://bedrock-runtime.eu-central-1.amazonaws.com' }))).toBe('https://bedrock.eu-central-1.amazonaws.com');
    expect(bedrockControlEndpoint(bedrock({ AWS_ENDPOINT_URL: 'http://127.0.0.1:4566' }))).toBe('http://127.0.0.1:4566');
    expect(bedrockControlEndpoint({ ...bedrock({ AWS_ENDPOINT_URL: 'http://127.0.0.1:4566' }), controlEndpoint: 'http://127.0.0.1:9999' })).toBe('http://127.0.0.1:9999');
  });
});
