import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../support/temp-dir';
import { launchApp, screenshotDir, type RunningApp } from './harness/launch-app';

let app: RunningApp | undefined;

afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function readSettingsFile(dataDir: string): Promise<Record<string, unknown>> {
  return JSON.parse(await fs.readFile(path.join(dataDir, 'settings.json'), 'utf8')) as Record<string, unknown>;
}

describe('the app shell in Chromium', () => {
  it('edits settings in the UI, in English and German, and saves them to the settings file', async () => {
    const dataDir = await tempDir();
    app = await launchApp(dataDir);
    const { page } = app;
    await fs.mkdir(screenshotDir, { recursive: true });

    // The shell: sidebar with the four views, the empty chat view first.
    const nav = page.getByRole('navigation', { name: 'Main navigation' });
    await nav.getByRole('button', { name: 'Chat' }).waitFor();
    expect(await nav.getByRole('button').allTextContents()).toEqual(['Chat', 'Assistants', 'Settings', 'Usage']);
    await page.getByRole('heading', { name: 'Welcome to Atelier' }).waitFor();

    await nav.getByRole('button', { name: 'Usage' }).click();
    await page.getByRole('heading', { name: 'No requests recorded yet.' }).waitFor();

    // Settings through IPC: the About card shows what app:get-info returned.
    await nav.getByRole('button', { name: 'Settings' }).click();
    await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
    await page.getByText(dataDir, { exact: true }).waitFor();
    expect(await page.getByLabel('Theme').inputValue()).toBe('system');
    await page.screenshot({ path: path.join(screenshotDir, 'shell-en.png') });

    // Switch to German in the UI: the UI changes language and the file on disk says so.
    await page.getByLabel('Language of the app').selectOption('de');
    await page.getByRole('heading', { name: 'Einstellungen', level: 1 }).waitFor();
    await expect.poll(() => readSettingsFile(dataDir)).toMatchObject({ language: 'de' });
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('de');
    const navDe = page.getByRole('navigation', { name: 'Hauptnavigation' });
    expect(await navDe.getByRole('button').allTextContents()).toEqual(['Chat', 'Assistenten', 'Einstellungen', 'Nutzung']);
    await page.getByRole('status').getByText('Gespeichert.').waitFor();
    await page.screenshot({ path: path.join(screenshotDir, 'shell-de.png') });

    // Dark theme, in German.
    await page.getByLabel('Farbschema').selectOption('dark');
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await expect.poll(() => readSettingsFile(dataDir)).toMatchObject({ schemaVersion: 2, language: 'de', theme: 'dark' });
    await page.screenshot({ path: path.join(screenshotDir, 'shell-de-dark.png') });

    // Settings survive a reload: they come back from the file, through main.
    await page.reload();
    await page.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('button', { name: 'Chat' }).waitFor();
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');

    expect(app.pageErrors).toEqual([]);
    expect(app.main.internalErrors).toEqual([]);
  });

  it('follows a change made outside the window (the settings:changed event)', async () => {
    const dataDir = await tempDir();
    app = await launchApp(dataDir);
    const { page, main } = app;
    await page.getByRole('button', { name: 'Settings' }).waitFor();

    // The CLI and other windows change settings through the same core store.
    await main.services.settings.update({ language: 'de' });
    await page.getByRole('button', { name: 'Einstellungen' }).waitFor();
    expect(app.pageErrors).toEqual([]);
  });

  it('shows the save error when main refuses to write the settings', async () => {
    const dataDir = await tempDir();
    app = await launchApp(dataDir);
    const { page } = app;
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByLabel('Theme').waitFor();

    // Put a plain file where the data folder was: no write can succeed there, even as root.
    await fs.rm(dataDir, { recursive: true });
    await fs.writeFile(dataDir, 'not a folder');
    try {
      await page.getByLabel('Theme').selectOption('dark');
      await page.getByRole('status').getByText(/Could not save: Atelier could not use its data folder .*: a file is in the way of the folder/).waitFor();
      // The choice did not silently stick: the UI still shows the saved value.
      expect(await page.getByLabel('Theme').inputValue()).toBe('system');
    } finally {
      await fs.rm(dataDir, { force: true });
      await fs.mkdir(dataDir);
    }
  });
});
