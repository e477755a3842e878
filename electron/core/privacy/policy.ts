import { modelRoles, type ModelRole, type PrivacyTier, type RouteClass } from '../../../shared/choices';
import type { ErrorPayload } from '../../../shared/errors';
import type { Provenance } from '../../../shared/privacy';
import type { BudgetSettings, Price } from '../../../shared/usage';
import type { Assistant } from '../../../shared/assistants';
import type { McpServerConfig } from '../../../shared/tools';
import { matchesPattern, type ManagedPolicy, type PolicyFile } from './policy-file';
import { hostOf } from './route';
import { SCHOOL_SERVER_PREFIX } from '../school/school-server';

/** What the privacy rules are for this machine right now. */
export interface PrivacyPolicy {
  tier: PrivacyTier;
  /** Ollama hosts that count as local (a school's GPU server), by host name or address. */
  allowedOllamaHosts: readonly string[];
  /** Where a custom endpoint's servers are, as the school declares; undeclared ones are `non-eu`. */
  endpointResidency: Readonly<Record<string, RouteClass>>;
  /** The host each declared residency holds for (from the policy's `url`); without one it holds for none. */
  endpointHosts?: Readonly<Record<string, string>>;
  /** Servers the school names, by host: where a provider whose address was changed actually sends words. */
  hostResidency?: Readonly<Record<string, RouteClass>>;
  /** `settings` or `policy-file` (managed by the school). */
  source: 'settings' | 'policy-file';
  /** Only these providers, when the school says so. */
  allowedProviders?: readonly string[];
  /** Only models matching these patterns (`*` for anything), when the school says so. */
  allowedModels?: readonly string[];
  /** Why the strictest tier applies: the school's policy file could not be used. */
  problem?: string;
  /** What else is worth knowing about the policy: a named file that is missing, an entry that cannot apply. */
  notes?: string[];
  /** The budget for cloud use and who set it; none when left out. */
  budget?: BudgetInForce;
  /** Prices of custom endpoints' models, by prefix, from the policy or the settings. */
  endpointPrices?: Readonly<Record<string, Price>>;
  /** Fallback chains by model id (role chains resolved to the role's model), from the policy or the settings. */
  fallbacks?: Readonly<Record<string, readonly string[]>>;
  /** The assistants the school's policy file ships (read-only). */
  schoolAssistants?: readonly Assistant[];
  /** Chats only with the school's assistants. */
  assistantsOnly?: boolean;
  /** The school's rules for tool servers (MCP). */
  tools?: { allowed?: boolean; localPrograms?: boolean; allowedServers?: readonly string[]; allowedTools?: readonly string[]; servers?: readonly McpServerConfig[] };
  /**
   * The prefix of the school's own server (the policy file's `schoolServer`): it keeps its own
   * budgets (a LiteLLM proxy, per key), so this machine's budget does not hold its answers.
   */
  schoolServer?: string;
}

/** The limits in force: from the school's policy file, the user's settings, or none set. */
export interface BudgetInForce {
  dailyUsd: number | null;
  monthlyUsd: number | null;
  source: 'settings' | 'policy' | 'none';
}

/** What effectivePolicy reads from the settings. */
export interface PolicySettings {
  privacy: { tier: PrivacyTier };
  budget?: BudgetSettings;
  endpoints?: readonly { prefix: string; price?: Price | undefined }[];
  roles?: Readonly<Record<ModelRole, string | null>>;
  fallbacks?: Readonly<Record<string, readonly string[]>>;
}

/**
 * The fallback chains in force, by model id: the school's policy file's when it has them (they
 * pin all chains), else the user's. A chain set for a role (`fast`) holds for the model the role
 * is set to.
 */
export function fallbacksInForce(settings: PolicySettings, file: PolicyFile | null): Record<string, readonly string[]> {
  const chains = file?.fallbacks ?? settings.fallbacks ?? {};
  const byModel: Record<string, readonly string[]> = {};
  for (const [key, chain] of Object.entries(chains)) {
    const role = (modelRoles as readonly string[]).includes(key) ? (settings.roles?.[key as ModelRole] ?? null) : null;
    if ((modelRoles as readonly string[]).includes(key) && role === null) continue;
    const model = role ?? key;
    // A model's own chain wins over its role's.
    if (!Object.hasOwn(byModel, model) || role === null) byModel[model] = chain;
  }
  return byModel;
}

function budgetInForce(settings: PolicySettings, file: PolicyFile | null): BudgetInForce {
  if (file?.budget) return { dailyUsd: file.budget.dailyUsd ?? null, monthlyUsd: file.budget.monthlyUsd ?? null, source: 'policy' };
  const dailyUsd = settings.budget?.dailyUsd ?? null;
  const monthlyUsd = settings.budget?.monthlyUsd ?? null;
  return { dailyUsd, monthlyUsd, source: dailyUsd === null && monthlyUsd === null ? 'none' : 'settings' };
}

function endpointPrices(settings: PolicySettings, file: PolicyFile | null): Record<string, Price> {
  const prices: Record<string, Price> = {};
  for (const endpoint of settings.endpoints ?? []) if (endpoint.price) prices[endpoint.prefix] = endpoint.price;
  for (const [prefix, endpoint] of Object.entries(file?.endpoints ?? {})) if (endpoint.price) prices[prefix] = endpoint.price;
  if (file?.schoolServer?.price) prices[file.schoolServer.prefix ?? SCHOOL_SERVER_PREFIX] = file.schoolServer.price;
  return prices;
}

const ALLOWED: Record<PrivacyTier, readonly RouteClass[]> = {
  dsgvo_local: ['local'],
  dsgvo_cloud: ['local', 'eu'],
  non_dsgvo: ['local', 'eu', 'non-eu'],
};

export function tierAllows(tier: PrivacyTier, routeClass: RouteClass): boolean {
  return ALLOWED[tier].includes(routeClass);
}

const TIER_NAMES: Record<PrivacyTier, string> = {
  dsgvo_local: 'Local only (DSGVO)',
  dsgvo_cloud: 'Local and EU cloud (DSGVO)',
  non_dsgvo: 'Any provider',
};

export const PROVIDER_NAMES: Record<string, string> = {
  local: 'Ollama',
  bedrock: 'AWS Bedrock',
  anthropic: 'Anthropic',
  openai: 'OpenAI',
  openrouter: 'OpenRouter',
};

const ROUTE_WORDS: Record<RouteClass, string> = {
  local: 'this computer',
  eu: 'a data centre in the EU',
  'non-eu': 'outside the EU, or somewhere Atelier cannot tell',
};

/** The refusal for a route the tier does not allow: which tier, where it would go, what to do. */
export function policyDenial(route: Omit<Provenance, 'tier'>, policy: PrivacyPolicy): ErrorPayload {
  const managed = policy.source === 'policy-file';
  return {
    code: 'policy_denied',
    message: `${tierForbids(route, policy)} Nothing was sent.`,
    hint: managed
      ? 'Choose a model your school allows (Settings shows which), or ask your school’s IT.'
      : route.provider === 'local'
        ? 'Use Ollama on this computer (Settings → Ollama → address), or ask your school to name this server in its policy file.'
        : route.provider === 'bedrock' && route.routeClass === 'non-eu'
        ? 'Use an EU region (such as eu-central-1) with an eu. model id, or change the privacy setting in Settings → Privacy.'
        : 'Choose a model that the privacy setting allows, or change it in Settings → Privacy.',
  };
}

/** Which tier forbids a route, and where the route goes: a refusal's first sentence, and a greyed-out model's reason. */
export function tierForbids(route: Omit<Provenance, 'tier'>, policy: PrivacyPolicy): string {
  const managed = policy.source === 'policy-file';
  return `The privacy setting “${TIER_NAMES[policy.tier]}”${managed ? ', set by your school,' : ''} does not allow sending to ${PROVIDER_NAMES[route.provider] ?? route.provider} at ${route.host}: that is ${ROUTE_WORDS[route.routeClass]}.`;
}

export { TIER_NAMES };

/** The policy from the user's settings alone (the school's policy file, when there is one, wins). */
export function policyFromSettings(settings: PolicySettings): PrivacyPolicy {
  return {
    tier: settings.privacy.tier,
    allowedOllamaHosts: [],
    endpointResidency: {},
    source: 'settings',
    budget: budgetInForce(settings, null),
    endpointPrices: endpointPrices(settings, null),
    fallbacks: fallbacksInForce(settings, null),
  };
}

/**
 * The policy in force: the school's policy file where it says something, the user's settings for
 * the rest. An invalid policy file is not ignored: the strictest tier applies, with the reason.
 */
export function effectivePolicy(settings: PolicySettings, managed: ManagedPolicy): PrivacyPolicy {
  if (managed.state === 'none') {
    const policy = policyFromSettings(settings);
    return managed.missing ? { ...policy, notes: [`ATELIER_POLICY_FILE names ${managed.missing}, which does not exist, so no school policy applies.`] } : policy;
  }
  if (managed.state === 'invalid') {
    return {
      tier: 'dsgvo_local',
      allowedOllamaHosts: [],
      endpointResidency: {},
      source: 'policy-file',
      budget: budgetInForce(settings, null),
      fallbacks: fallbacksInForce(settings, null),
      problem: `The school’s policy file ${managed.file} cannot be used: ${managed.problem}. Until it is fixed, only this computer is allowed.`,
      // What the school meant to allow of tools is unknown: none, until the file is fixed.
      tools: { allowed: false },
    };
  }
  const file = managed.policy;
  // The school's server is declared like any endpoint of the policy's, at the address it names.
  const server = file.schoolServer;
  const endpoints = { ...(file.endpoints ?? {}), ...(server && { [server.prefix ?? SCHOOL_SERVER_PREFIX]: { residency: server.residency ?? 'non-eu', url: server.url } }) };
  const notes = Object.entries(file.endpoints ?? {})
    .filter(([, endpoint]) => endpoint.url === undefined && endpoint.residency !== 'non-eu')
    .map(([prefix, endpoint]) => `The policy declares the endpoint “${prefix}” ${endpoint.residency} but names no url, so it counts as outside the EU: add "url" with its address.`);
  return {
    ...(notes.length > 0 && { notes }),
    tier: file.tier ?? settings.privacy.tier,
    allowedOllamaHosts: file.ollamaHosts ?? [],
    endpointResidency: Object.fromEntries(Object.entries(endpoints).map(([prefix, endpoint]) => [prefix, endpoint.residency])),
    endpointHosts: Object.fromEntries(Object.entries(endpoints).flatMap(([prefix, endpoint]) => (endpoint.url ? [[prefix, hostOf(endpoint.url)]] : []))),
    hostResidency: file.hosts ?? {},
    source: file.tier ? 'policy-file' : 'settings',
    ...(file.allowedProviders && { allowedProviders: file.allowedProviders }),
    ...(file.allowedModels && { allowedModels: file.allowedModels }),
    budget: budgetInForce(settings, file),
    endpointPrices: endpointPrices(settings, file),
    fallbacks: fallbacksInForce(settings, file),
    ...(file.assistants && { schoolAssistants: schoolAssistants(file) }),
    ...(file.assistantsOnly && { assistantsOnly: true }),
    ...(file.tools && { tools: file.tools }),
    ...(server && { schoolServer: server.prefix ?? SCHOOL_SERVER_PREFIX }),
  };
}

/** The school's assistants as the app shows them: read-only, marked as the school's. */
function schoolAssistants(file: PolicyFile): Assistant[] {
  return Object.entries(file.assistants ?? {}).map(([id, fields]) => ({ id, source: 'school' as const, ...fields, editable: false }));
}

/** Whether the school's lists allow this model (as typed, or as it will be sent). */
export function schoolAllows(policy: PrivacyPolicy, provider: string, modelIds: readonly string[]): boolean {
  if (policy.allowedProviders && !policy.allowedProviders.includes(provider)) return false;
  if (policy.allowedModels) return modelIds.some((id) => policy.allowedModels?.some((pattern) => matchesPattern(pattern, `${provider}/${id}`)));
  return true;
}

/** The refusal for a model the school's lists do not allow. */
export function schoolDenial(provider: string, modelId?: string): ErrorPayload {
  return {
    code: 'policy_denied',
    message: `Your school’s policy does not allow ${modelId === undefined ? PROVIDER_NAMES[provider] ?? provider : `${provider}/${modelId}`}. Nothing was sent.`,
    hint: 'Choose one of the models your school allows (atelier models, or the model picker), or ask your school’s IT.',
  };
}

/** No restriction at all: for benchmarks and tests that are not about privacy. */
export const UNRESTRICTED: PrivacyPolicy = { tier: 'non_dsgvo', allowedOllamaHosts: [], endpointResidency: {}, source: 'settings' };
