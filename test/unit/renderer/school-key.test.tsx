import fs from 'node:fs/promises';
import path from 'node:path';
import { cleanup, render, screen } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { initI18n } from '../../../renderer/i18n';
import { SettingsProvider } from '../../../renderer/settings/SettingsProvider';
import { ProvidersPanel } from '../../../renderer/views/settings/ProvidersPanel';
import { createAtelierApi } from '../../../shared/ipc/create-api';
import { createLiteLlmFake, type LiteLlmFake } from '../../fakes/litellm-fake';
import { startMainProcess, type MainProcess } from '../../support/main-process';
import { writeSettings } from '../../support/settings-file';
import { tempDir } from '../../support/temp-dir';

const KEY = 'sk-Anna5bLiteLlmKey0123456789';
const i18n = initI18n('en');
let litellm: LiteLlmFake;
let main: MainProcess | undefined;
beforeAll(async () => {
  litellm = await createLiteLlmFake({ keys: [{ key: KEY, alias: 'anna-5b', spend: 1.2, maxBudget: 5, budgetDuration: '30d', budgetResetAt: '2026-12-31T00:00:00.000Z', rpmLimit: 20 }] }).start();
});
afterAll(() => litellm.close());
afterEach(async () => {
  cleanup();
  await main?.services.close();
  main = undefined;
  await i18n.changeLanguage('en');
});

async function renderPanel(language: 'en' | 'de') {
  const dataDir = await tempDir();
  await writeSettings(dataDir, { privacy: { tier: 'dsgvo_cloud' } });
  const policy = path.join(dataDir, 'policy.json');
  await fs.writeFile(policy, JSON.stringify({ schoolServer: { url: `${litellm.url}/v1`, name: 'Schulserver', residency: 'eu' } }));
  const process = await startMainProcess(dataDir, ['app://atelier'], { ATELIER_POLICY_FILE: policy, ATELIER_ENDPOINT_SCHOOL_KEY: KEY });
  main = process;
  Object.defineProperty(window, 'atelier', {
    configurable: true,
    value: createAtelierApi({
      invoke: async (channel, input) => structuredClone(await process.dispatch(channel, structuredClone(input), { url: 'app://atelier/index.html' })),
      subscribe: () => () => undefined,
    }),
  });
  await i18n.changeLanguage(language);
  render(
    <SettingsProvider>
      <ProvidersPanel />
    </SettingsProvider>,
  );
}

describe('Settings → Providers: the school server’s key', () => {
  it('shows the budget left on the student’s key, when it starts again, and its limit', async () => {
    await renderPanel('en');
    expect(await screen.findByRole('heading', { name: 'Schulserver' })).toBeTruthy();
    expect(await screen.findByText('The school’s server: $3.80 of your $5.00 left. It starts again on December 31, 2026.')).toBeTruthy();
    expect(screen.getByText('20 requests a minute')).toBeTruthy();
  });

  it('in German', async () => {
    await renderPanel('de');
    expect(await screen.findByText('Schulserver: $3.80 von deinen $5.00 übrig. Es beginnt am 31. Dezember 2026 neu.')).toBeTruthy();
  });
});
