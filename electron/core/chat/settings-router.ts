import { loadProviderConfig } from '../config/load-provider-config';
import { cachedVramBytes } from '../hardware/hardware-cache';
import { effectivePolicy } from '../privacy/policy';
import { withSchoolServer } from '../school/school-server';
import type { PolicyFileReader } from '../privacy/policy-file';
import type { SecretStore } from '../secrets/secret-store';
import type { SettingsStore } from '../settings/settings-store';
import { ChatRouter, type RouterOptions } from './router';

/**
 * The router as the app and the CLI build it: provider configuration from the current settings,
 * the keychain and the process environment, read afresh for every request. `detectedVramBytes`
 * says the GPU memory detected, for Ollama's num_ctx (the app: its own detection); by default,
 * the detection kept in the data folder, read once (a chat never waits for a probe).
 */
export function createRouterFor(
  settings: SettingsStore,
  env: Readonly<Record<string, string | undefined>>,
  secrets: SecretStore | null,
  options: Omit<RouterOptions, 'config' | 'policy'> & { policyFile?: PolicyFileReader; detectedVramBytes?: () => Promise<number | null> } = {},
): ChatRouter {
  const { policyFile, detectedVramBytes, ...routerOptions } = options;
  let kept: Promise<number | null> | null = null;
  const detected = detectedVramBytes ?? (() => (kept ??= cachedVramBytes(settings.dataDir)));
  return new ChatRouter({
    ...routerOptions,
    // The settings in force (a classroom lock's pins read afresh), for every request.
    config: async () => {
      // The school's server is among the endpoints even where the store was opened without the policy.
      const current = withSchoolServer((await settings.current()).settings, policyFile?.read() ?? { state: 'none' });
      // The detection matters only when num_ctx is automatic and no override says the GPU's memory.
      const planned = current.ollama.numCtx === null && current.hardware.vramOverrideGb === null;
      return loadProviderConfig(current, env, secrets, planned ? await detected() : null);
    },
    policy: async () => effectivePolicy((await settings.current()).settings, policyFile?.read() ?? { state: 'none' }),
  });
}
