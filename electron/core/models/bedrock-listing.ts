import fs from 'node:fs/promises';
import path from 'node:path';
import { AtelierError, type ErrorPayload } from '../../../shared/errors';
import type { EgressPurpose } from '../../../shared/choices';
import { stripByteOrderMark } from '../../../shared/text';
import type { RouteClass } from '../../../shared/choices';
import type { ProviderConfig } from '../config/provider-config';
import { recordBeforeSending, type EgressCompletion, type EgressRecorder, type NewEgressEntry } from '../privacy/egress-log';
import { policyDenial, schoolAllows, schoolDenial, tierAllows, type PrivacyPolicy } from '../privacy/policy';
import { bedrockEndpointClass, bedrockRouteClass, classifyRoute, hostOf } from '../privacy/route';
import { awsBedrockControlHostRegion, bedrockControlEndpoint, fetchLiveBedrockCatalogue, mapControlError, type LiveBedrockCatalogue } from '../providers/bedrock-control';
import { credentialsMissing } from '../providers/provider-errors';
import { writeFileAtomically } from '../store/atomic-file';
import { preparePrivateDataDir } from '../store/data-folder';
import { bedrockCatalogue } from './bedrock-catalogue';
import { profileGeography, type ProfileFixes } from './bedrock-profiles';
import type { ListedModel, ProviderModels } from './list-models';

/** How long a live list is used before Bedrock is asked again. */
export const BEDROCK_CACHE_MAX_AGE_MS = 24 * 60 * 60 * 1000;
export const BEDROCK_CACHE_FILE = 'bedrock-catalogue-cache.json';

interface CacheEntry {
  fetchedAt: string;
  /** The address it came from: a list from another endpoint (a proxy, AWS itself) is not reused. */
  endpoint: string;
  catalogue: LiveBedrockCatalogue;
}

export interface BedrockListingOptions {
  policy?: PrivacyPolicy;
  onEgress?: EgressRecorder;
  purpose?: EgressPurpose;
  recordRefusals?: boolean;
  profileFixes: ProfileFixes | null;
  /** Where the cache file lives (the data folder); no cache without it. */
  cacheDir?: string | null;
  now?: () => Date;
  signal?: AbortSignal;
}

type Config = ProviderConfig['bedrock'] & { controlEndpoint?: string | null };

/**
 * Where the listing itself goes, judged like a chat would be, by the host it is sent to: AWS's
 * control plane of an EU region is `eu` (only credentials and the question leave, no words),
 * another region `non-eu`, any other host what the school's policy says of it, else `non-eu`.
 */
export function bedrockListingRoute(config: Config, policy: PrivacyPolicy): { routeClass: RouteClass; host: string; address: string } {
  const address = bedrockControlEndpoint(config);
  const host = hostOf(address);
  const hostRegion = awsBedrockControlHostRegion(host);
  const routeClass: RouteClass =
    hostRegion !== null
      ? bedrockRouteClass(config.region, '') === 'eu' && bedrockRouteClass(hostRegion, '') === 'eu'
        ? 'eu'
        : 'non-eu'
      : bedrockEndpointClass(address, config.region, '', policy);
  return { routeClass, host, address };
}

/**
 * Bedrock's models for the configured region: the live lists (from the cache while it is younger
 * than a day), else Atelier's shipped catalogue, saying why. Asking sends the credentials to AWS:
 * the tier and the school's list must allow the route, and the egress record holds it first.
 */
export async function bedrockModels(config: ProviderConfig, options: BedrockListingOptions): Promise<ProviderModels> {
  const bedrock: Config = config.bedrock;
  const { policy } = options;
  const now = options.now ?? (() => new Date());
  const fallback = (reason: ErrorPayload) => finish(config, options, { provider: 'bedrock', source: 'catalogue', models: shippedModels(bedrock.region), fallbackReason: reason });

  if (bedrock.auth.kind === 'none' || (bedrock.auth.kind === 'default-chain' && bedrock.authReason !== 'chosen in Settings')) {
    // The default chain only when chosen: found by default it may mean asking the instance metadata service.
    return fallback(credentialsMissing('AWS Bedrock', 'Atelier shows its own catalogue. Set up AWS credentials (Settings → Providers → AWS Bedrock) to see what your region offers.'));
  }
  const route = policy ? bedrockListingRoute(bedrock, policy) : null;
  if (policy && route) {
    const entryRoute = { routeClass: route.routeClass, provider: 'bedrock', region: bedrock.region, host: route.host, modelId: '' };
    const schoolOk = !policy.allowedProviders || policy.allowedProviders.includes('bedrock');
    if (!schoolOk || !tierAllows(policy.tier, route.routeClass)) {
      if (options.recordRefusals !== false) options.onEgress?.({ purpose: options.purpose ?? 'model-list', tier: policy.tier, ...entryRoute, inputTokens: null, outputTokens: null, outcome: 'refused', errorCode: 'policy_denied' });
      return fallback(schoolOk ? policyDenial(entryRoute, policy) : schoolDenial('bedrock'));
    }
  }
  const endpoint = bedrockControlEndpoint(bedrock);
  const cacheFile = options.cacheDir ? path.join(options.cacheDir, BEDROCK_CACHE_FILE) : null;
  const cache = cacheFile ? await readCache(cacheFile) : {};
  const cached = cache[bedrock.region];
  if (cached && cached.endpoint === endpoint) {
    const age = now().getTime() - Date.parse(cached.fetchedAt);
    if (age >= 0 && age < BEDROCK_CACHE_MAX_AGE_MS) {
      return finish(config, options, { provider: 'bedrock', source: 'cached', listedAt: cached.fetchedAt, models: liveModels(cached.catalogue, bedrock.region) });
    }
  }

  let complete: EgressCompletion | null = null;
  if (policy && route) {
    const entry: NewEgressEntry = { purpose: options.purpose ?? 'model-list', tier: policy.tier, routeClass: route.routeClass, provider: 'bedrock', region: bedrock.region, host: route.host, modelId: '', inputTokens: null, outputTokens: null, outcome: 'completed', errorCode: null };
    try {
      complete = recordBeforeSending(options.onEgress, entry);
    } catch (error) {
      if (!(error instanceof AtelierError)) throw error;
      return fallback(error.toPayload());
    }
  }
  let catalogue: LiveBedrockCatalogue;
  try {
    catalogue = await fetchLiveBedrockCatalogue(bedrock, { ...(options.signal && { signal: options.signal }) });
  } catch (error) {
    const reason = await mapControlError(error, bedrock);
    complete?.({ outcome: 'failed', errorCode: reason.code, inputTokens: null, outputTokens: null });
    return fallback(reason);
  }
  complete?.({ outcome: 'completed', errorCode: null, inputTokens: null, outputTokens: null });
  const fetchedAt = now().toISOString();
  if (cacheFile) {
    // A cache that cannot be written costs the next listing a request, nothing else.
    await writeCache(cacheFile, { ...cache, [bedrock.region]: { fetchedAt, endpoint, catalogue } }).catch(() => undefined);
  }
  return finish(config, options, { provider: 'bedrock', source: 'live', listedAt: fetchedAt, models: liveModels(catalogue, bedrock.region) });
}

/**
 * The live lists as Atelier ids for the region: the geography's inference profiles (never
 * `global.`, which may route anywhere; the user can still name one), then the models that run on
 * demand in the region; text models only. LEGACY (AWS's word for deprecated) is marked.
 */
export function liveModels(catalogue: LiveBedrockCatalogue, region: string): ListedModel[] {
  const byId = new Map(catalogue.models.map((model) => [model.id, model]));
  const geography = profileGeography(region);
  const regionalGeographies = new Set([geography, region === 'ap-northeast-1' ? 'jp' : null, region === 'ap-southeast-2' ? 'au' : null].filter((g): g is string => g !== null));
  const listed: ListedModel[] = [];
  for (const profile of catalogue.profiles) {
    const geo = profile.id.slice(0, profile.id.indexOf('.'));
    if (profile.status !== 'ACTIVE' || !regionalGeographies.has(geo)) continue;
    const base = byId.get(profile.baseModelIds[0] ?? profile.id.slice(geo.length + 1));
    if (base && !base.textInOut) continue;
    listed.push({ id: `bedrock/${profile.id}`, name: profile.name, ...(base && lifecycleOf(base)) });
  }
  for (const model of catalogue.models) {
    if (model.onDemand && model.textInOut) listed.push({ id: `bedrock/${model.id}`, name: model.name, ...lifecycleOf(model) });
  }
  return listed.sort((a, b) => a.id.localeCompare(b.id));
}

function lifecycleOf(model: LiveBedrockCatalogue['models'][number]): Pick<ListedModel, 'lifecycle' | 'retiresOn'> {
  if (model.lifecycle !== 'LEGACY') return {};
  const endOfLife = model.endOfLife?.slice(0, 10);
  return { lifecycle: 'deprecated', ...(endOfLife && { retiresOn: endOfLife }) };
}

/** The shipped catalogue, with ids as they work in the region (the geography's profile, or the base id). */
function shippedModels(region: string): ListedModel[] {
  return bedrockCatalogue.flatMap((model): ListedModel[] => {
    const geography = profileGeography(region, model);
    if (geography && model.profiles.includes(geography)) return [{ id: `bedrock/${geography}.${model.id}`, name: model.name }];
    if (model.inRegion) return [{ id: `bedrock/${model.id}`, name: model.name }];
    return [];
  });
}

/** Adds the fixes Atelier learned for the region, and marks each model by what the tier allows (no network call). */
function finish(config: ProviderConfig, options: BedrockListingOptions, listing: ProviderModels): ProviderModels {
  const region = config.bedrock.region;
  const models = [...listing.models];
  for (const fix of options.profileFixes?.list() ?? []) {
    if (fix.region !== region || models.some((model) => model.id === `bedrock/${fix.profileModelId}`)) continue;
    models.push({ id: `bedrock/${fix.profileModelId}`, note: `learned: bedrock/${fix.baseModelId} runs through this profile in ${region}` });
  }
  const { policy } = options;
  const marked = policy
    ? models.map((model) => {
        const id = model.id.slice('bedrock/'.length);
        return { ...model, allowed: schoolAllows(policy, 'bedrock', [id]) && tierAllows(policy.tier, classifyRoute({ prefix: 'bedrock', model: id }, config, policy, options.profileFixes).routeClass) };
      })
    : models;
  return { ...listing, models: marked };
}

async function readCache(file: string): Promise<Record<string, CacheEntry>> {
  try {
    const data = JSON.parse(stripByteOrderMark(await fs.readFile(file, 'utf8'))) as { regions?: unknown };
    const regions = data.regions;
    if (typeof regions !== 'object' || regions === null) return {};
    // A damaged entry is left out (and replaced on the next write), the others kept.
    return Object.fromEntries(Object.entries(regions).filter((entry): entry is [string, CacheEntry] => isCacheEntry(entry[1])));
  } catch {
    return {};
  }
}

function isCacheEntry(value: unknown): value is CacheEntry {
  const entry = value as Partial<CacheEntry> | null;
  return (
    typeof entry?.fetchedAt === 'string' &&
    !Number.isNaN(Date.parse(entry.fetchedAt)) &&
    typeof entry.endpoint === 'string' &&
    Array.isArray(entry.catalogue?.profiles) &&
    Array.isArray(entry.catalogue.models) &&
    entry.catalogue.profiles.every((p) => typeof p?.id === 'string' && typeof p.name === 'string' && typeof p.status === 'string' && Array.isArray(p.baseModelIds)) &&
    entry.catalogue.models.every((m) => typeof m?.id === 'string' && typeof m.name === 'string' && typeof m.lifecycle === 'string')
  );
}

async function writeCache(file: string, regions: Record<string, CacheEntry>): Promise<void> {
  preparePrivateDataDir(path.dirname(file));
  await writeFileAtomically(file, `${JSON.stringify({ version: 1, regions }, null, 2)}\n`, { mode: 0o600 });
}
