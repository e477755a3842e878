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

describe('a corrupt settings file', () => {
  it('starts with defaults, keeps the bad file aside, and tells the user', async () => {
    const dataDir = await tempDir();
    const corrupt = '{"theme": "dark", "language": ';
    await fs.writeFile(path.join(dataDir, 'settings.json'), corrupt);

    app = await launchApp(dataDir);
    const { page } = app;
    const banner = page.getByRole('alert').filter({ hasText: 'Your settings file could not be used as it was' });
    await banner.getByText('Your settings file could not be used as it was').waitFor();

    // The original bytes are kept, under the name the banner shows.
    const kept = (await fs.readdir(dataDir)).filter((name) => name.startsWith('settings.rejected-'));
    expect(kept).toHaveLength(1);
    const keptPath = path.join(dataDir, kept[0] ?? '');
    expect(await fs.readFile(keptPath, 'utf8')).toBe(corrupt);
    await banner.getByText(keptPath).waitFor();
    await banner.getByText(/not valid JSON/).waitFor();
    await fs.mkdir(screenshotDir, { recursive: true });
    await page.screenshot({ path: path.join(screenshotDir, 'settings-recovered.png') });

    // Defaults are in use, and the app works: a change is saved to a new, valid file.
    await page.getByRole('button', { name: 'Settings' }).click();
    expect(await page.getByLabel('Theme').inputValue()).toBe('system');
    await page.getByLabel('Theme').selectOption('light');
    await expect
      .poll(async () => JSON.parse(await fs.readFile(path.join(dataDir, 'settings.json'), 'utf8')) as unknown)
      .toMatchObject({ schemaVersion: 2, language: 'system', theme: 'light' });

    await banner.getByRole('button', { name: 'Dismiss' }).click();
    await banner.waitFor({ state: 'detached' });
    expect(app.pageErrors).toEqual([]);
  });
});
