import { builtinSecretNames } from '../../../shared/secrets';
import type { Settings } from '../../../shared/settings';
import type { SecretStore } from '../secrets/secret-store';
import { resolveProviderConfig, type ProviderConfig } from './provider-config';

type Env = Readonly<Record<string, string | undefined>>;

/** Every keychain entry a configuration may use: the built-in ones and one per custom endpoint. */
export function secretNamesFor(settings: Settings): string[] {
  return [...builtinSecretNames, ...settings.endpoints.map((endpoint) => `endpoint:${endpoint.prefix}`)];
}

/**
 * Provider configuration from settings, the keychain (first) and the environment (second);
 * `detectedVramBytes` is the GPU memory detected (for num_ctx), null when not known.
 */
export async function loadProviderConfig(settings: Settings, env: Env, secrets: SecretStore | null, detectedVramBytes: number | null = null): Promise<ProviderConfig> {
  const values = secrets ? await secrets.snapshot(secretNamesFor(settings)) : new Map<string, string>();
  return resolveProviderConfig(settings, env, values, detectedVramBytes);
}
