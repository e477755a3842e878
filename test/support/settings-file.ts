import fs from 'node:fs/promises';
import path from 'node:path';
import { SettingsStore } from '../../electron/core/settings/settings-store';
import type { SettingsPatch } from '../../shared/settings';
import { tempDir } from './temp-dir';

/** Writes settings into a data folder through the real store, as the app or `atelier config set` would. */
export async function writeSettings(dataDir: string, patch: SettingsPatch): Promise<void> {
  await (await SettingsStore.open(dataDir)).update(patch);
}

/** The user chose "any provider": for tests of cloud providers that are not about privacy. */
export const ANY_PROVIDER: SettingsPatch = { privacy: { tier: 'non_dsgvo' } };

/** A fresh data folder (removed when the test ends) whose user chose "any provider". */
export async function anyProviderHome(): Promise<string> {
  const dir = await tempDir();
  await writeSettings(dir, ANY_PROVIDER);
  return dir;
}

/**
 * The provider fakes listen on 127.0.0.1, an address Atelier cannot know to be in the EU: a
 * Bedrock endpoint there counts as `non-eu` unless the school's policy file vouches for it.
 * Writes a policy file that names the Bedrock fake's addresses (host and port: the runtime's over
 * HTTP/2, and the control plane's, for model listings, over HTTP/1.1) as in the EU, with `extra`
 * keys, into `dir` and returns its path (pass it as ATELIER_POLICY_FILE).
 */
export async function writePolicyNamingBedrockFakeEu(dir: string, bedrock: string | { url: string; http1Url: string }, extra: Record<string, unknown> = {}): Promise<string> {
  const file = path.join(dir, 'policy.json');
  const urls = typeof bedrock === 'string' ? [bedrock] : [bedrock.url, bedrock.http1Url];
  const hosts = Object.fromEntries(urls.map((url) => [new URL(url).host, 'eu']));
  await fs.writeFile(file, JSON.stringify({ hosts, ...extra }));
  return file;
}
