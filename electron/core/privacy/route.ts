import type { RouteClass } from '../../../shared/choices';
import type { Provenance } from '../../../shared/privacy';
import { bedrockDefaultHost, type ProviderConfig } from '../config/provider-config';
import { hasProfilePrefix, resolveBedrockModelId, type ProfileFixes } from '../models/bedrock-profiles';
import type { ModelRef } from '../models/model-id';
import type { PrivacyPolicy } from './policy';

export type Route = Omit<Provenance, 'tier'>;

/** 127.0.0.0/8, ::1 and localhost: this machine. Anything else is somewhere else. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  return bare === 'localhost' || bare === '::1' || /^127(\.\d{1,3}){3}$/.test(bare);
}

/** The host a URL points at, lower-case, without brackets or a trailing dot; the text itself if it is no URL. */
export function hostOf(url: string): string {
  try {
    return new URL(url).hostname.replace(/^\[|\]$/g, '').replace(/\.$/, '').toLowerCase();
  } catch {
    return url.toLowerCase();
  }
}

const ORDER: readonly RouteClass[] = ['local', 'eu', 'non-eu'];

/** The less private of two route classes: a request is only as private as its weakest step. */
function weaker(a: RouteClass, b: RouteClass): RouteClass {
  return ORDER[Math.max(ORDER.indexOf(a), ORDER.indexOf(b))] ?? 'non-eu';
}

/**
 * Where the school's policy file says the server at `address` (a URL) is, or null if it does not
 * name it: by `host:port` first (one machine may serve several things), then by host alone.
 */
function namedAddress(policy: PrivacyPolicy, address: string): RouteClass | null {
  const host = hostOf(address);
  let port = '';
  try {
    const url = new URL(address);
    port = url.port || (url.protocol === 'https:' ? '443' : '80');
  } catch {
    // not a URL: only the host can match
  }
  const entries = Object.entries(policy.hostResidency ?? {}).map(([named, residency]) => [named.toLowerCase().replace(/\.$/, '').replace(/^\[(.*)\](:\d+)?$/, '$1$2'), residency] as const);
  return entries.find(([named]) => named === `${host}:${port}`)?.[1] ?? entries.find(([named]) => named === host)?.[1] ?? null;
}

/**
 * An AWS Bedrock Runtime host and its region: `bedrock-runtime.eu-central-1.amazonaws.com`, its
 * FIPS and dual-stack forms, and VPC endpoints (`vpce-….bedrock-runtime.eu-central-1.vpce.amazonaws.com`).
 */
export function awsBedrockHostRegion(host: string): string | null {
  const match = /^(?:[a-z0-9-]+\.)?bedrock-runtime(?:-fips)?\.([a-z]{2}(?:-[a-z]+)+-\d)\.(?:vpce\.)?(?:amazonaws\.com|api\.aws)$/.exec(host);
  return match?.[1] ?? null;
}

/** An Ollama server: local on this machine or on a host the school's policy names, else `non-eu`. */
export function ollamaRoute(address: string, policy: PrivacyPolicy, modelId: string): Route {
  const host = hostOf(address);
  const named = policy.allowedOllamaHosts.some((allowed) => allowed.toLowerCase() === host);
  const routeClass = isLoopbackHost(host) || named ? 'local' : (namedAddress(policy, address) ?? 'non-eu');
  return { routeClass, provider: 'local', region: null, host, modelId };
}

/**
 * A tool server (MCP) as a route: a local program (stdio) runs on this machine; a remote one is
 * where its host is: this machine for loopback, what the school's policy file says of the host,
 * else `non-eu`.
 */
export function toolServerRoute(server: { name: string; transport: 'stdio' } | { name: string; transport: 'http'; url: string }, policy: PrivacyPolicy, tool = ''): Route {
  if (server.transport === 'stdio') return { routeClass: 'local', provider: `mcp:${server.name}`, region: null, host: 'this computer', modelId: tool };
  const host = hostOf(server.url);
  return { routeClass: isLoopbackHost(host) ? 'local' : (namedAddress(policy, server.url) ?? 'non-eu'), provider: `mcp:${server.name}`, region: null, host, modelId: tool };
}

/**
 * A provider whose address can be changed (settings, environment): at its own default address it
 * is what it always is; anywhere else only what the school's policy file says of that host, else
 * `non-eu`, since Atelier cannot know where an unknown server sends words on.
 */
function changedAddressClass(address: string, defaultHost: string, atDefault: RouteClass, policy: PrivacyPolicy): RouteClass {
  if (hostOf(address) === defaultHost) return atDefault;
  return namedAddress(policy, address) ?? 'non-eu';
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
      const address = config.bedrock.endpoint ?? `https://${bedrockDefaultHost(region)}`;
      const modelId = resolveBedrockModelId(ref.model, region, fixes).modelId;
      return { routeClass: bedrockEndpointClass(address, region, modelId, policy), provider: 'bedrock', region, host: hostOf(address), modelId };
    }
    case 'anthropic':
    case 'openai':
    case 'openrouter': {
      const address = config[ref.prefix].baseUrl;
      return { routeClass: changedAddressClass(address, DEFAULT_HOSTS[ref.prefix], 'non-eu', policy), provider: ref.prefix, region: null, host: hostOf(address), modelId: ref.model };
    }
    default: {
      const endpoint = config.endpoints.get(ref.prefix);
      const host = endpoint ? hostOf(endpoint.baseUrl) : ref.prefix;
      return { routeClass: endpoint ? endpointClass(ref.prefix, endpoint.baseUrl, policy) : 'non-eu', provider: ref.prefix, region: null, host, modelId: ref.model };
    }
  }
}

const DEFAULT_HOSTS = { anthropic: 'api.anthropic.com', openai: 'api.openai.com', openrouter: 'openrouter.ai' } as const;

/**
 * Bedrock judged by where the request actually goes. AWS's own endpoint of a region (the default,
 * or an override naming one) is as private as that region and the model id allow, and an override
 * pointing at another region than the one signed for counts by the less private of the two. A
 * host that is not AWS's is `non-eu` unless the school's policy names it, and then no more private
 * than the model id allows (an `us.` profile leaves the EU whoever forwards it).
 */
export function bedrockEndpointClass(address: string, region: string, modelId: string, policy: PrivacyPolicy): RouteClass {
  const byModel = bedrockRouteClass(region, modelId);
  const awsRegion = awsBedrockHostRegion(hostOf(address));
  if (awsRegion !== null) return weaker(byModel, bedrockRouteClass(awsRegion, modelId));
  const named = namedAddress(policy, address);
  return named === null ? 'non-eu' : weaker(byModel, named);
}

/**
 * A custom endpoint: where the school's policy file says its address is (by host, or the
 * endpoint's own entry, which holds only for the address it names), else `non-eu`. A residency
 * declared for a prefix never follows the endpoint to another address.
 */
function endpointClass(prefix: string, address: string, policy: PrivacyPolicy): RouteClass {
  const named = namedAddress(policy, address);
  if (named !== null) return named;
  const host = hostOf(address);
  const declared = policy.endpointResidency[prefix];
  const declaredHost = policy.endpointHosts?.[prefix];
  return declared !== undefined && declaredHost !== undefined && declaredHost.toLowerCase() === host ? declared : 'non-eu';
}

/**
 * AWS regions inside the European Union. AWS names London (eu-west-2) and Zurich (eu-central-2)
 * `eu-` too, but the United Kingdom and Switzerland are not in the EU: their data protection is
 * judged adequate, not the same, and a school's DSGVO setting means the EU.
 */
export const EU_REGIONS: ReadonlySet<string> = new Set(['eu-central-1', 'eu-west-1', 'eu-west-3', 'eu-north-1', 'eu-south-1', 'eu-south-2']);

export function isEuRegion(region: string): boolean {
  return EU_REGIONS.has(region);
}

/**
 * EU only when the request goes to an EU region and stays there: an `eu.` profile (routes among EU
 * regions), or a bare in-region model id. `us.`, `apac.`, `global.` and the rest leave the EU.
 */
export function bedrockRouteClass(region: string, modelId: string): RouteClass {
  if (!isEuRegion(region)) return 'non-eu';
  if (modelId.startsWith('arn:')) {
    const arn = /^arn:aws:bedrock:(eu-[a-z]+-\d):\d*:(foundation-model|inference-profile)\/(.+)$/.exec(modelId);
    if (!arn || !isEuRegion(arn[1] ?? '')) return 'non-eu';
    return arn[2] === 'foundation-model' || arn[3]?.startsWith('eu.') ? 'eu' : 'non-eu';
  }
  if (hasProfilePrefix(modelId)) return modelId.startsWith('eu.') ? 'eu' : 'non-eu';
  return 'eu';
}
