import type { RouteClass } from '../../../shared/choices';
import type { Provenance } from '../../../shared/privacy';
import type { ProviderConfig } from '../config/provider-config';
import { hasProfilePrefix, resolveBedrockModelId, type ProfileFixes } from '../models/bedrock-profiles';
import type { ModelRef } from '../models/model-id';
import type { PrivacyPolicy } from './policy';

export type Route = Omit<Provenance, 'tier'>;

/** 127.0.0.0/8, ::1 and localhost: this machine. Anything else is somewhere else. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  return bare === 'localhost' || bare === '::1' || /^127(\.\d{1,3}){3}$/.test(bare);
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return url;
  }
}

/** An Ollama server: local on this machine or on a host the school's policy names, else `non-eu`. */
export function ollamaRoute(address: string, policy: PrivacyPolicy, modelId: string): Route {
  const host = hostOf(address);
  const named = policy.allowedOllamaHosts.some((allowed) => allowed.toLowerCase() === host.toLowerCase());
  return { routeClass: isLoopbackHost(host) || named ? 'local' : 'non-eu', provider: 'local', region: null, host, modelId };
}

/**
 * Where a request would go, worked out before anything is sent: from the provider, the host, the
 * AWS region and the model id as it will be sent (a bare Bedrock id resolved to its profile first).
 * Only what is known to stay on this machine is `local`, and only Bedrock in an EU region with an
 * `eu.` profile or an in-region model is `eu`; everything else is `non-eu`.
 */
export function classifyRoute(ref: ModelRef, config: ProviderConfig, policy: PrivacyPolicy, fixes: ProfileFixes | null = null): Route {
  switch (ref.prefix) {
    case 'local':
      return ollamaRoute(config.ollama.host, policy, ref.model);
    case 'bedrock': {
      const region = config.bedrock.region;
      const host = config.bedrock.endpoint ? hostOf(config.bedrock.endpoint) : `bedrock-runtime.${region}.amazonaws.com`;
      const modelId = resolveBedrockModelId(ref.model, region, fixes).modelId;
      return { routeClass: bedrockRouteClass(region, modelId), provider: 'bedrock', region, host, modelId };
    }
    case 'anthropic':
      return { routeClass: 'non-eu', provider: 'anthropic', region: null, host: hostOf(config.anthropic.baseUrl), modelId: ref.model };
    case 'openai':
      return { routeClass: 'non-eu', provider: 'openai', region: null, host: hostOf(config.openai.baseUrl), modelId: ref.model };
    case 'openrouter':
      return { routeClass: 'non-eu', provider: 'openrouter', region: null, host: hostOf(config.openrouter.baseUrl), modelId: ref.model };
    default: {
      const endpoint = config.endpoints.get(ref.prefix);
      const host = endpoint ? hostOf(endpoint.baseUrl) : ref.prefix;
      return { routeClass: policy.endpointResidency[ref.prefix] ?? 'non-eu', provider: ref.prefix, region: null, host, modelId: ref.model };
    }
  }
}

/**
 * EU only when the request goes to an EU region and stays there: an `eu.` profile (routes among EU
 * regions), or a bare in-region model id. `us.`, `apac.`, `global.` and the rest leave the EU.
 */
export function bedrockRouteClass(region: string, modelId: string): RouteClass {
  if (!region.startsWith('eu-')) return 'non-eu';
  if (modelId.startsWith('arn:')) {
    const arn = /^arn:aws:bedrock:(eu-[a-z]+-\d):\d*:(foundation-model|inference-profile)\/(.+)$/.exec(modelId);
    if (!arn) return 'non-eu';
    return arn[2] === 'foundation-model' || arn[3]?.startsWith('eu.') ? 'eu' : 'non-eu';
  }
  if (hasProfilePrefix(modelId)) return modelId.startsWith('eu.') ? 'eu' : 'non-eu';
  return 'eu';
}
