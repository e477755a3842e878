import { AtelierError, type ErrorPayload } from '../../../shared/errors';
import { missingKeyHint, type KeyedProviderConfig, type ProviderConfig } from '../config/provider-config';
import { mapOllamaError } from '../providers/ollama-errors';
import { ollamaFetch } from '../providers/ollama-fetch';
import { OPENROUTER_ATTRIBUTION } from '../providers/openrouter-attribution';
import { credentialsMissing } from '../providers/provider-errors';
import { mapStainlessError } from '../providers/stainless-errors';
import type { EgressPurpose } from '../../../shared/choices';
import { recordBeforeSending, type EgressCompletion, type EgressRecorder, type NewEgressEntry } from '../privacy/egress-log';
import { policyDenial, schoolAllows, schoolDenial, tierAllows, type PrivacyPolicy } from '../privacy/policy';
import { classifyRoute, isLoopbackHost } from '../privacy/route';
import { configSecrets, scrubPayload } from '../secrets/scrub';
import type { ModelLifecycle } from '../../../shared/models';
import type { ProfileFixes } from './bedrock-profiles';
import { bedrockModels } from './bedrock-listing';
import { knownLifecycle } from './lifecycle';

export interface ListedModel {
  /** The full Atelier id, ready for `atelier chat -m`. */
  id: string;
  name?: string;
  /** Something to know about it: a fix Atelier learned, say. */
  note?: string;
  /** Whether the privacy tier allows it (absent when no policy was given). */
  allowed?: boolean;
  /** Deprecated (still answers) or retired; absent when nothing is known. From the provider, else Atelier's table. */
  lifecycle?: ModelLifecycle;
  /** The day (YYYY-MM-DD, UTC) it stops or stopped answering, when known. */
  retiresOn?: string;
  /** The full Atelier id to use instead, when known. */
  successor?: string;
}

export interface ProviderModels {
  /** The model-id prefix: `local`, `anthropic`, …, or a custom endpoint's. */
  provider: string;
  /**
   * `live`: asked the provider now; `cached`: what the provider said at `listedAt` (Bedrock, a day
   * at most); `catalogue`: Atelier's bundled list; `not-configured`: no key set; `not-allowed`: the
   * privacy tier forbids asking.
   */
  source: 'live' | 'cached' | 'catalogue' | 'not-configured' | 'not-allowed';
  models: ListedModel[];
  /** When the provider was asked (ISO time): for `live` and `cached`. */
  listedAt?: string;
  /** Why the list is empty: not configured, or the provider could not be asked. */
  error?: ErrorPayload;
  /** Why Atelier's catalogue is shown instead of the provider's live list (Bedrock). */
  fallbackReason?: ErrorPayload;
}

// OpenAI's list includes embedding, speech and image models; these never answer a chat.
const NOT_CHAT = /(embedding|whisper|tts|dall-e|davinci|babbage|moderation|transcribe|realtime|audio|image|search)/i;

/**
 * What each provider offers: live lists where Atelier can ask (Ollama's /api/tags, the
 * Anthropic, OpenAI and OpenRouter model endpoints where a key is set, custom endpoints' /models),
 * and for Bedrock the region's live lists (cached for a day) or, failing that, the bundled
 * catalogue. One provider failing does not hide the others. Models are marked deprecated or
 * retired where the provider or Atelier's table says so.
 */
export async function listModels(
  config: ProviderConfig,
  options: {
    policy?: PrivacyPolicy;
    /** Receives an entry per provider asked (or refused) that the egress record should hold. */
    onEgress?: EgressRecorder;
    /** How the egress record names these requests: `model-list` unless a connection test lists. */
    purpose?: EgressPurpose;
    /** Ask only this provider (a connection test), not every configured one. */
    only?: string;
    /**
     * Whether a refusal goes to the egress record (default yes: someone asked). The model picker's
     * own listing passes false: it simply does not ask a provider the tier rules out, and a
     * refusal per provider each time the picker opens would bury the record.
     */
    recordRefusals?: boolean;
    fetch?: typeof fetch;
    signal?: AbortSignal;
    profileFixes?: ProfileFixes | null;
    /** Where Bedrock's live list is cached; the profile fixes' folder (the data folder) unless given, none with neither. */
    cacheDir?: string | null;
    /** The clock, for the cache's age and the lifecycle marks. */
    now?: () => Date;
  } = {},
): Promise<ProviderModels[]> {
  const fetchImpl = options.fetch;
  const policy = options.policy;
  const fixes = options.profileFixes ?? null;
  /**
   * Asking a provider for its models sends the key there: the tier (and the school's list of
   * providers) must allow the route first. Every request and every refusal of a configured
   * provider goes to the egress record, except asking Ollama on this computer.
   */
  const guarded = async (provider: string, ask: () => Promise<ProviderModels>, configured = true): Promise<ProviderModels> => {
    if (!policy) return ask();
    const route = { ...classifyRoute({ prefix: provider, model: '' }, config, policy, fixes), modelId: '' };
    const entry: NewEgressEntry = { purpose: options.purpose ?? 'model-list', tier: policy.tier, ...route, inputTokens: null, outputTokens: null, outcome: 'completed', errorCode: null };
    const schoolAllowsProvider = !policy.allowedProviders || policy.allowedProviders.includes(provider);
    if (!schoolAllowsProvider || !tierAllows(policy.tier, route.routeClass)) {
      // Only a provider that would have been asked: without a key, nothing was about to be sent.
      if (configured && options.recordRefusals !== false) options.onEgress?.({ ...entry, outcome: 'refused', errorCode: 'policy_denied' });
      return { provider, source: 'not-allowed', models: [], error: schoolAllowsProvider ? policyDenial(route, policy) : schoolDenial(provider) };
    }
    // Asking Ollama on this computer what it has installed sends nothing anywhere: not recorded.
    // Anything else is recorded before it is asked; if the record cannot be written, it is not asked.
    const leaves = configured && !(provider === 'local' && isLoopbackHost(route.host));
    let complete: EgressCompletion | null = null;
    if (leaves) {
      try {
        complete = recordBeforeSending(options.onEgress, entry);
      } catch (error) {
        if (!(error instanceof AtelierError)) throw error;
        return { provider, source: 'live', models: [], error: error.toPayload() };
      }
    }
    const listing = await ask();
    complete?.({ outcome: listing.error ? 'failed' : 'completed', errorCode: listing.error?.code ?? null, inputTokens: null, outputTokens: null });
    return { ...listing, models: listing.models.map((model) => ({ ...model, allowed: schoolAllows(policy, provider, [model.id.slice(provider.length + 1)]) })) };
  };
  const providers: [string, () => Promise<ProviderModels>][] = [
    ['local', () => guarded('local', () => live('local', async () => {
      // SDKs load when a provider is first asked, not when Atelier starts.
      const { Ollama } = await import('ollama');
      const client = new Ollama({ host: config.ollama.host, fetch: ollamaFetch(fetchImpl ?? fetch) });
      const { models } = await client.list();
      return models.map((model) => ({ id: `local/${model.name}` }));
    }, (error) => mapOllamaError(error, { provider: 'Ollama', model: '', address: config.ollama.host, secrets: [], call: 'other' })))],
    ['anthropic', () => guarded('anthropic', () => keyed('anthropic', 'Anthropic', config.anthropic, async (apiKey) => {
      const { default: Anthropic } = await import('@anthropic-ai/sdk');
      const client = new Anthropic({ apiKey, baseURL: config.anthropic.baseUrl, maxRetries: 0, ...(fetchImpl && { fetch: fetchImpl }) });
      const models: ListedModel[] = [];
      for await (const model of client.models.list({ limit: 100 })) models.push({ id: `anthropic/${model.id}`, name: model.display_name });
      return models;
    }), config.anthropic.apiKey !== null)],
    ['openai', () => guarded('openai', () => keyed('openai', 'OpenAI', config.openai, (apiKey) => openAiModels('openai', config.openai.baseUrl, apiKey, fetchImpl, NOT_CHAT)), config.openai.apiKey !== null)],
    ['openrouter', () => guarded(
      'openrouter',
      () => keyed('openrouter', 'OpenRouter', config.openrouter, (apiKey) => openAiModels('openrouter', config.openrouter.baseUrl, apiKey, fetchImpl, null, OPENROUTER_ATTRIBUTION)),
      config.openrouter.apiKey !== null,
    )],
    ['bedrock', () =>
      bedrockModels(config, {
        profileFixes: fixes,
        cacheDir: options.cacheDir !== undefined ? options.cacheDir : (fixes?.dataDir ?? null),
        ...(policy && { policy }),
        ...(options.onEgress && { onEgress: options.onEgress }),
        ...(options.purpose && { purpose: options.purpose }),
        ...(options.recordRefusals !== undefined && { recordRefusals: options.recordRefusals }),
        ...(options.now && { now: options.now }),
        ...(options.signal && { signal: options.signal }),
      })],
    ...[...config.endpoints.values()].map((endpoint): [string, () => Promise<ProviderModels>] => [
      endpoint.prefix,
      () => guarded(endpoint.prefix, () =>
        live(
          endpoint.prefix,
          () => openAiModels(endpoint.prefix, endpoint.baseUrl, endpoint.apiKey ?? 'no-key-configured', fetchImpl, null),
          (error) => mapStainlessError(error, contextFor(endpoint.name, endpoint), `Check the address (${endpoint.baseUrl}).`),
        ),
      ),
    ]),
  ];
  const listings = await Promise.all(providers.filter(([provider]) => options.only === undefined || provider === options.only).map(([, ask]) => ask()));
  // What a provider said, and the addresses in hints, are scrubbed of every key this config holds.
  const secrets = configSecrets(config);
  const now = options.now?.() ?? new Date();
  return listings.map((listing) => {
    const scrubbed = {
      ...listing,
      ...(listing.error && { error: scrubPayload(listing.error, secrets) }),
      ...(listing.fallbackReason && { fallbackReason: scrubPayload(listing.fallbackReason, secrets) }),
    };
    return { ...scrubbed, models: scrubbed.models.map((model) => withLifecycle(listing.provider, model, now)) };
  });
}

/**
 * The model with what is known of its lifecycle: the provider's own mark (Bedrock's LEGACY) kept,
 * completed from Atelier's table (a successor, a date); a retirement day past makes it retired.
 */
function withLifecycle(provider: string, model: ListedModel, now: Date): ListedModel {
  const known = knownLifecycle(provider, model.id.slice(provider.length + 1), now);
  const retiresOn = model.retiresOn ?? known?.retiresOn;
  const successor = model.successor ?? known?.successor;
  const past = retiresOn !== undefined && now.getTime() >= Date.parse(`${retiresOn}T00:00:00Z`);
  const lifecycle = past ? 'retired' : (model.lifecycle ?? known?.lifecycle);
  if (!lifecycle || lifecycle === 'active') return model;
  return { ...model, lifecycle, ...(retiresOn && { retiresOn }), ...(successor && { successor }) };
}

async function live(provider: string, fetchList: () => Promise<ListedModel[]>, mapError: (error: unknown) => ErrorPayload): Promise<ProviderModels> {
  try {
    const models = await fetchList();
    return { provider, source: 'live', models: models.sort((a, b) => a.id.localeCompare(b.id)) };
  } catch (error) {
    return { provider, source: 'live', models: [], error: mapError(error) };
  }
}

function keyed(provider: string, name: string, config: KeyedProviderConfig, fetchList: (apiKey: string) => Promise<ListedModel[]>): Promise<ProviderModels> {
  if (config.apiKey === null) {
    return Promise.resolve({
      provider,
      source: 'not-configured',
      models: [],
      error: credentialsMissing(name, missingKeyHint(config, name)),
    });
  }
  const apiKey = config.apiKey;
  return live(provider, () => fetchList(apiKey), (error) => mapStainlessError(error, contextFor(name, config), `Check the internet connection and ${config.baseUrl}.`));
}

async function openAiModels(
  prefix: string,
  baseURL: string,
  apiKey: string,
  fetchImpl: typeof fetch | undefined,
  exclude: RegExp | null,
  defaultHeaders?: Record<string, string>,
): Promise<ListedModel[]> {
  const { default: OpenAI } = await import('openai');
  const client = new OpenAI({ apiKey, baseURL, maxRetries: 0, ...(defaultHeaders && { defaultHeaders }), ...(fetchImpl && { fetch: fetchImpl }) });
  const models: ListedModel[] = [];
  for await (const model of client.models.list()) {
    if (!exclude?.test(model.id)) models.push({ id: `${prefix}/${model.id}` });
  }
  return models;
}

function contextFor(provider: string, config: KeyedProviderConfig) {
  return { provider, model: '', keySource: config.keySource, address: config.baseUrl, secrets: config.apiKey ? [config.apiKey] : [], call: 'other' as const };
}
