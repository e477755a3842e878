import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FAKE_KEYS, useProviderFakes } from '../support/provider-fakes';
import { filesContaining } from '../support/secret-scan';
import { keychainEntries } from '../support/secret-tool';
import { ANY_PROVIDER, writePolicyNamingBedrockFakeEu, writeSettings } from '../support/settings-file';
import { tempDir } from '../support/temp-dir';
import type { SettingsPatch } from '../../shared/settings';
import { launchApp, screenshotDir, type RunningApp } from './harness/launch-app';

const useFakes = useProviderFakes();
let app: RunningApp | undefined;

afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function openProviders(env: Record<string, string>, settings: SettingsPatch) {
  const dataDir = await tempDir();
  await writeSettings(dataDir, settings);
  // The school vouches for the Bedrock fake's address as an EU server (it stands in for AWS in Frankfurt).
  app = await launchApp(dataDir, { env: { ATELIER_POLICY_FILE: await writePolicyNamingBedrockFakeEu(dataDir, useFakes().bedrock), ...env } });
  await app.page.getByRole('button', { name: 'Settings' }).click();
  const panel = app.page.getByRole('group', { name: 'Providers and keys' });
  await panel.waitFor();
  return { page: app.page, panel, dataDir, service: app.main.services.secrets.service };
}

describe('the providers panel', () => {
  it('saves a key into the keychain, shows it only masked, and tests the connection', async () => {
    const { ANTHROPIC_API_KEY: _unused, ...env } = useFakes().env;
    const { page, panel, dataDir, service } = await openProviders(env, ANY_PROVIDER);
    await panel.getByText('Keys are kept in the Secret Service (GNOME Keyring, KWallet).').waitFor();

    // Without a key, the test says what is missing and how to fix it.
    await panel.getByRole('button', { name: 'Test connection anthropic' }).click();
    await panel.getByText(/^Does not work: No credentials are set up for Anthropic\./).waitFor();
    await panel.getByText(/atelier auth set anthropic/).waitFor();

    await panel.getByLabel(/^New key for Anthropic/).fill(FAKE_KEYS.anthropic);
    await panel.getByRole('button', { name: 'Save' }).first().click();
    await panel.getByText('(saved: sk-a…6789)').waitFor();
    await panel.getByText('in use: the key saved in Atelier (anthropic)').waitFor();
    expect(await keychainEntries(service)).toEqual([{ account: 'anthropic', secret: FAKE_KEYS.anthropic }]);

    await panel.getByRole('button', { name: 'Test connection anthropic' }).click();
    await panel.getByText(/^Works: anthropic accepted the key/).waitFor();

    // The key is in the keychain and nowhere else: not in the page, not in the data folder.
    expect(await page.content()).not.toContain(FAKE_KEYS.anthropic);
    expect(await filesContaining(dataDir, FAKE_KEYS.anthropic)).toEqual([]);
    await fs.mkdir(screenshotDir, { recursive: true });
    await panel.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(screenshotDir, 'settings-providers.png') });
    expect(app?.pageErrors).toEqual([]);
  });

  it('imports the AWS CSV for Bedrock, shows where credentials come from, and Bedrock works', async () => {
    const { AWS_ACCESS_KEY_ID: _id, AWS_SECRET_ACCESS_KEY: _secret, ...env } = useFakes().env;
    // EU Bedrock is allowed under "Local and EU cloud".
    const { page, dataDir, service } = await openProviders(env, { privacy: { tier: 'dsgvo_cloud' } });
    const bedrock = page.getByRole('group', { name: 'AWS Bedrock' });
    await bedrock.getByText(/^In use: the AWS default credential chain/).waitFor();

    await bedrock.getByLabel('Import AWS CSV').setInputFiles(path.resolve(import.meta.dirname, '../fixtures/aws/accessKeys.csv'));
    await bedrock.getByText('Saved the access key AKIA…0001. You can delete the CSV file now.').waitFor();
    await bedrock.getByText(/^In use: access keys saved in Atelier \(AKIA…0001\)/).waitFor();
    expect((await keychainEntries(service)).map((entry) => entry.account)).toEqual(['aws-access-key-id', 'aws-secret-access-key']);

    await bedrock.getByRole('button', { name: 'Test connection bedrock' }).click();
    await bedrock.getByText(/^Works: Bedrock in eu-central-1 answered/).waitFor();
    expect(await filesContaining(dataDir, 'fakeSecretAccessKey/0123456789abcdefghij')).toEqual([]);
    expect(await page.content()).not.toContain('fakeSecretAccessKey');

    await bedrock.getByLabel('Region').selectOption('eu-west-1');
    await bedrock.getByText(/answered|In use/).first().waitFor();
    await expect
      .poll(async () => (JSON.parse(await fs.readFile(path.join(dataDir, 'settings.json'), 'utf8')) as { bedrock: { region: string } }).bedrock.region)
      .toBe('eu-west-1');
  });
});
