import { SettingsStore } from '../../electron/core/settings/settings-store';
import type { SettingsPatch } from '../../shared/settings';

/** Writes settings into a data folder through the real store, as the app or `atelier config set` would. */
export async function writeSettings(dataDir: string, patch: SettingsPatch): Promise<void> {
  await (await SettingsStore.open(dataDir)).update(patch);
}

/** The user chose "any provider": for tests of cloud providers that are not about privacy. */
export const ANY_PROVIDER: SettingsPatch = { privacy: { tier: 'non_dsgvo' } };
