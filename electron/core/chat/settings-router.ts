import type { ProviderConfig } from '../config/provider-config';
import { resolveProviderConfig } from '../config/provider-config';
import { ChatRouter, type RouterOptions } from './router';
import type { SettingsStore } from '../settings/settings-store';

/**
 * The router as the app and the CLI build it: provider configuration from the current settings
 * and the process environment, read afresh for every request.
 */
export function createRouterFor(
  settings: SettingsStore,
  env: Readonly<Record<string, string | undefined>>,
  options: Omit<RouterOptions, 'config'> = {},
): ChatRouter {
  return new ChatRouter({ ...options, config: (): ProviderConfig => resolveProviderConfig(settings.get().settings, env) });
}
