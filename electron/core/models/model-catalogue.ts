import type { ModelRole } from '../../../shared/choices';
import type { HardwareAdvice } from '../../../shared/hardware';
import type { ModelCatalogue, ModelChoice, ModelGroup, RoleChoice } from '../../../shared/models';
import type { Settings } from '../../../shared/settings';
import type { ProviderConfig } from '../config/provider-config';
import { cloudDefaults } from '../hardware/hardware-matrix';
import type { EgressRecorder } from '../privacy/egress-log';
import { schoolAllows, tierAllows, tierForbids, type PrivacyPolicy } from '../privacy/policy';
import { classifyRoute } from '../privacy/route';
import type { ProfileFixes } from './bedrock-profiles';
import { takesImages } from './capabilities';
import { listModels, type ProviderModels } from './list-models';
import { describeLifecycle, knownLifecycle } from './lifecycle';
import { parseModelId } from './model-id';

/** Shown, greyed, for a provider that has no key yet or that the tier rules out: what it would offer. */
const SUGGESTED: Record<string, readonly string[]> = {
  anthropic: [...new Set(Object.values(cloudDefaults.anthropic))],
  openai: ['openai/gpt-5-mini', 'openai/gpt-5'],
  openrouter: ['openrouter/anthropic/claude-sonnet-4.6', 'openrouter/openai/gpt-5-mini'],
};

export interface CatalogueOptions {
  policy: PrivacyPolicy;
  advice: HardwareAdvice;
  onEgress?: EgressRecorder;
  profileFixes?: ProfileFixes | null;
  fetch?: typeof fetch;
  /** The clock, for lifecycle marks. */
  now?: () => Date;
  /** Receives the listings (free calls), for the routes' health. */
  onListings?: (listings: readonly ProviderModels[]) => void;
}

/**
 * What the model picker shows: every provider's models with where they send words, whether they
 * take images, and, greyed out, why one cannot be chosen now (the privacy tier, the school's
 * list, missing credentials, not downloaded); and what each role stands for here.
 */
export async function modelCatalogue(config: ProviderConfig, settings: Settings, options: CatalogueOptions): Promise<ModelCatalogue> {
  const { policy } = options;
  const listings = await listModels(config, { policy, recordRefusals: false, ...(options.onEgress && { onEgress: options.onEgress }), profileFixes: options.profileFixes ?? null, ...(options.fetch && { fetch: options.fetch }), ...(options.now && { now: options.now }) });
  options.onListings?.(listings);
  const choice = (id: string, extra: Partial<ModelChoice> = {}): ModelChoice => {
    const ref = parseModelId(id, config.endpoints.keys());
    const route = classifyRoute(ref, config, policy, options.profileFixes ?? null);
    const tierOk = tierAllows(policy.tier, route.routeClass);
    const schoolOk = schoolAllows(policy, ref.prefix, [ref.model, route.modelId]);
    // Suggestions and recommendations are not listed by a provider: Atelier's table marks them.
    const known = extra.lifecycle ? null : knownLifecycle(ref.prefix, ref.model, options.now?.() ?? new Date());
    return {
      id,
      routeClass: route.routeClass,
      takesImages: takesImages(id),
      available: tierOk && schoolOk,
      unavailable: !tierOk ? { reason: 'privacy', message: tierForbids(route, policy) } : !schoolOk ? { reason: 'school', message: `Your school’s policy does not allow ${id}.` } : null,
      ...(known && { lifecycle: known.lifecycle, note: `${known.lifecycle === 'retired' ? 'Retired' : 'Deprecated'}: ${describeLifecycle(known)}.`, ...(known.retiresOn && { retiresOn: known.retiresOn }), ...(known.successor && { successor: known.successor }) }),
      ...extra,
    };
  };
  const greyed = (id: string, reason: 'credentials' | 'not-installed', message: string): ModelChoice => {
    const base = choice(id);
    return base.available ? { ...base, available: false, unavailable: { reason, message } } : base;
  };

  // A retired model cannot answer: shown greyed with what to use instead, whatever else holds.
  const retiredGreyed = (model: ModelChoice): ModelChoice =>
    model.lifecycle === 'retired'
      ? { ...model, available: false, unavailable: { reason: 'retired', message: `${model.id} was retired by its provider${model.retiresOn ? ` on ${model.retiresOn}` : ''}${model.successor ? `: use ${model.successor} instead` : ''}.` } }
      : model;
  const groups = listings.map((listing): ModelGroup => {
    const group = groupFor(listing, config, settings, options.advice, choice, greyed);
    return { ...group, models: group.models.map(retiredGreyed) };
  });
  return { groups, roles: resolveRoles(settings, policy, options.advice, groups) };
}

function groupFor(
  listing: ProviderModels,
  config: ProviderConfig,
  settings: Settings,
  advice: HardwareAdvice,
  choice: (id: string, extra?: Partial<ModelChoice>) => ModelChoice,
  greyed: (id: string, reason: 'credentials' | 'not-installed', message: string) => ModelChoice,
): ModelGroup {
  const { provider } = listing;
  const named = (model: ProviderModels['models'][number]): Partial<ModelChoice> => ({
    ...(model.name && { name: model.name }),
    ...(model.note && { note: model.note }),
    ...(model.lifecycle && { lifecycle: model.lifecycle, note: model.note ?? `${model.lifecycle === 'retired' ? 'Retired' : 'Deprecated'}: ${describeLifecycle({ ...model, lifecycle: model.lifecycle })}.` }),
    ...(model.retiresOn && { retiresOn: model.retiresOn }),
    ...(model.successor && { successor: model.successor }),
  });
  if (provider === 'local') {
    const installed = listing.models.map((model) => choice(model.id, named(model)));
    const have = new Set(installed.map((model) => model.id));
    const recommended = [...new Set(Object.values(advice.local).map((recommendation) => recommendation.model))].filter((id) => !have.has(id));
    const missing = recommended.map((id) => greyed(id, 'not-installed', `${id.slice('local/'.length)} is not downloaded yet: get it in Settings → Local models.`));
    return { provider, configured: listing.source === 'live' && !listing.error, models: [...installed, ...missing], problem: listing.error ?? null };
  }
  if (provider === 'bedrock') {
    const auth = config.bedrock.auth;
    const configured = auth.kind !== 'none' && !(auth.kind === 'default-chain' && settings.bedrock.credentialSource === 'auto');
    const models = listing.models.map((model) =>
      configured ? choice(model.id, named(model)) : greyed(model.id, 'credentials', 'No AWS credentials are set up: add them in Settings → Providers → AWS Bedrock.'),
    );
    return { provider, configured, models, problem: null };
  }
  if (listing.source === 'not-configured' || listing.source === 'not-allowed') {
    const suggestions = (SUGGESTED[provider] ?? []).map((id) =>
      listing.source === 'not-configured' ? greyed(id, 'credentials', listing.error?.message ?? `No key for ${provider} is set.`) : choice(id),
    );
    return { provider, configured: listing.source === 'not-allowed', models: suggestions, problem: listing.error ?? null };
  }
  return { provider, configured: !listing.error, models: listing.models.map((model) => choice(model.id, named(model))), problem: listing.error ?? null };
}

/**
 * What each role stands for: the user's own choice in Settings if it can be used; else, where
 * the tier allows the cloud and credentials are there, the cloud default (Bedrock EU before
 * Anthropic); else the local model the hardware matrix picks for this machine.
 */
export function resolveRoles(settings: Settings, policy: PrivacyPolicy, advice: HardwareAdvice, groups: readonly ModelGroup[]): RoleChoice[] {
  const byId = new Map(groups.flatMap((group) => group.models.map((model) => [model.id, model] as const)));
  const configured = (provider: string) => groups.some((group) => group.provider === provider && group.configured);
  const usable = (id: string) => byId.get(id)?.available ?? false;
  const roles: ModelRole[] = ['fast', 'advanced', 'extreme'];
  return roles.map((role): RoleChoice => {
    const candidates: { model: string; source: RoleChoice['source'] }[] = [];
    const chosen = settings.roles[role];
    if (chosen) candidates.push({ model: chosen, source: 'settings' });
    if (policy.tier !== 'dsgvo_local' && configured('bedrock')) candidates.push({ model: cloudDefaults.bedrockEu[role], source: 'cloud' });
    if (policy.tier === 'non_dsgvo' && configured('anthropic')) candidates.push({ model: cloudDefaults.anthropic[role], source: 'cloud' });
    candidates.push({ model: advice.local[role].model, source: 'hardware' });
    const found = candidates.find((candidate) => usable(candidate.model));
    const fallback = found ?? candidates.at(-1) ?? null;
    return { role, model: fallback?.model ?? null, source: fallback?.source ?? null, available: found !== undefined };
  });
}
