import type { ReliabilityStatus, RouteHealth, RouteState } from '../../../shared/reliability';
import type { ProviderConfig } from '../config/provider-config';
import type { ProviderModels } from '../models/list-models';
import type { PrivacyPolicy } from '../privacy/policy';
import { classifyRoute } from '../privacy/route';
import type { RouteHealthStore } from './route-health';

const WORST_FIRST: readonly RouteState[] = ['down', 'cooling', 'degraded', 'ok'];

/** The providers a user set up: Ollama always, the others with a key (Bedrock with any credentials), every endpoint. */
export function configuredProviders(config: ProviderConfig): string[] {
  return [
    'local',
    ...(config.bedrock.auth.kind !== 'none' ? ['bedrock'] : []),
    ...(['anthropic', 'openai', 'openrouter'] as const).filter((prefix) => config[prefix].apiKey !== null),
    ...config.endpoints.keys(),
  ];
}

/**
 * Notes what model listings (free calls) said about each provider in the routes' health: a
 * listing that worked makes the provider `ok`, one that could not reach it counts as a failure.
 */
export function noteListings(health: RouteHealthStore, listings: readonly ProviderModels[], config: ProviderConfig, policy: PrivacyPolicy): void {
  for (const listing of listings) {
    if (listing.source !== 'live') continue;
    const route = classifyRoute({ prefix: listing.provider, model: '' }, config, policy, null);
    const key = { provider: listing.provider, modelId: '*', place: route.region ?? route.host };
    if (listing.error) health.failed(key, listing.error.code);
    else health.succeeded(key);
  }
}

/** Each configured provider's state (its worst route) and every route seen, for `atelier status` and the app's status strip. */
export function reliabilityStatus(health: RouteHealthStore, providers: readonly string[], now: Date = new Date()): ReliabilityStatus {
  const routes = health.list(now);
  return {
    providers: providers.map((provider) => {
      const own = routes.filter((route) => route.provider === provider);
      const worst = worstOf(own);
      return {
        provider,
        state: worst?.state ?? 'unknown',
        coolingUntil: worst?.coolingUntil ?? null,
        lastErrorCode: [...own].sort((a, b) => (b.lastErrorAt ?? '').localeCompare(a.lastErrorAt ?? ''))[0]?.lastErrorCode ?? null,
      };
    }),
    routes,
  };
}

function worstOf(routes: readonly RouteHealth[]): RouteHealth | undefined {
  return [...routes].sort((a, b) => WORST_FIRST.indexOf(a.state) - WORST_FIRST.indexOf(b.state))[0];
}
