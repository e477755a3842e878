import { loadProviderConfig } from '../config/load-provider-config';
import { effectivePolicy } from '../privacy/policy';
import type { PolicyFileReader } from '../privacy/policy-file';
import type { SecretStore } from '../secrets/secret-store';
import type { SettingsStore } from '../settings/settings-store';
import { ChatRouter, type RouterOptions } from './router';

/**
 * The router as the app and the CLI build it: provider configuration from the current settings,
 * the keychain and the process environment, read afresh for every request.
 */
export function createRouterFor(
  settings: SettingsStore,
  env: Readonly<Record<string, string | undefined>>,
  secrets: SecretStore | null,
  options: Omit<RouterOptions, 'config' | 'policy'> & { policyFile?: PolicyFileReader } = {},
): ChatRouter {
  const { policyFile, ...routerOptions } = options;
  return new ChatRouter({
    ...routerOptions,
    // The settings in force (a classroom lock's pins read afresh), for every request.
    config: async () => loadProviderConfig((await settings.current()).settings, env, secrets),
    policy: async () => effectivePolicy((await settings.current()).settings, policyFile?.read() ?? { state: 'none' }),
  });
}
