import type { ProviderConfig } from '../config/provider-config';
import { listModels } from '../models/list-models';
import type { ProfileFixes } from '../models/bedrock-profiles';
import type { EgressRecorder } from '../privacy/egress-log';
import type { PrivacyPolicy } from '../privacy/policy';
import type { GatewayModel } from './gateway-server';

/** How long a model list is reused: asking every provider for each client's /v1/models would be slow. */
const MAX_AGE_MS = 60_000;

/**
 * The models the local endpoint lists: the roles first, then each configured provider's models
 * that the privacy tier and the school's lists allow (providers the tier rules out are not asked).
 */
export function gatewayModels(
  load: () => Promise<{ config: ProviderConfig; policy: PrivacyPolicy }>,
  options: { onEgress?: EgressRecorder; profileFixes?: ProfileFixes | null } = {},
): () => Promise<GatewayModel[]> {
  let cached: { at: number; models: Promise<GatewayModel[]> } | null = null;
  return () => {
    const now = performance.now();
    if (cached && now - cached.at < MAX_AGE_MS) return cached.models;
    const models = (async () => {
      const { config, policy } = await load();
      const listings = await listModels(config, { policy, recordRefusals: false, ...(options.onEgress && { onEgress: options.onEgress }), profileFixes: options.profileFixes ?? null });
      const listed = listings.flatMap((listing) => listing.models.filter((model) => model.allowed !== false && model.lifecycle !== 'retired').map((model) => ({ id: model.id, ownedBy: listing.provider })));
      return [...['fast', 'advanced', 'extreme'].map((role) => ({ id: role, ownedBy: 'atelier' })), ...listed];
    })();
    cached = { at: now, models };
    // A failed listing is asked again next time.
    models.catch(() => (cached = null));
    return models;
  };
}
