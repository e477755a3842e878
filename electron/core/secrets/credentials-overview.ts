import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { CredentialsOverview } from '../../../shared/providers';
import type { Settings } from '../../../shared/settings';
import { loadProviderConfig, secretNamesFor } from '../config/load-provider-config';
import { describeAwsAuth } from '../config/provider-config';
import type { SecretStore } from './secret-store';

type Env = Readonly<Record<string, string | undefined>>;

/** For Settings: the keychain, what is saved (masked), and what each provider would use. */
export async function credentialsOverview(settings: Settings, env: Env, secrets: SecretStore): Promise<CredentialsOverview> {
  const keychain = await secrets.keychainStatus();
  const saved = await secrets.list(secretNamesFor(settings).filter((name) => name.startsWith('endpoint:')));
  const config = await loadProviderConfig(settings, env, secrets);
  const keyed = (provider: string, entry: { apiKey: string | null; keySource: string; keyVariable: string }) => ({
    provider,
    configured: entry.apiKey !== null,
    source: entry.apiKey !== null ? entry.keySource : `not set (save a key, or set ${entry.keyVariable})`,
  });
  return {
    keychain,
    saved,
    providers: [
      keyed('anthropic', config.anthropic),
      keyed('openai', config.openai),
      keyed('openrouter', config.openrouter),
      ...[...config.endpoints.values()].map((endpoint) => keyed(endpoint.prefix, endpoint)),
      {
        provider: 'bedrock',
        configured: config.bedrock.auth.kind !== 'none',
        source: describeAwsAuth(config.bedrock.auth),
      },
    ],
    bedrock: { using: describeAwsAuth(config.bedrock.auth), reason: config.bedrock.authReason, region: config.bedrock.region },
  };
}

/**
 * The profile names in the AWS config file (`[profile name]`, `[default]`) and credentials file
 * (`[name]`), for a picker; `[sso-session …]` and `[services …]` sections are not profiles.
 */
export async function listAwsProfiles(env: Env): Promise<string[]> {
  const home = env.HOME ?? env.USERPROFILE ?? os.homedir();
  const configFile = env.AWS_CONFIG_FILE ?? path.join(home, '.aws', 'config');
  const credentialsFile = env.AWS_SHARED_CREDENTIALS_FILE ?? path.join(home, '.aws', 'credentials');
  const read = (file: string) => fs.readFile(file, 'utf8').catch(() => '');
  const [config, credentials] = await Promise.all([read(configFile), read(credentialsFile)]);
  const names = new Set<string>();
  for (const match of config.matchAll(/^\s*\[\s*(?:profile\s+([^\]\s]+)|(default))\s*\]/gm)) names.add(match[1] ?? match[2] ?? '');
  for (const match of credentials.matchAll(/^\s*\[\s*([^\]\s]+)\s*\]/gm)) names.add(match[1] ?? '');
  names.delete('');
  return [...names].sort();
}
