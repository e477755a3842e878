import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ProbeResults } from '../../electron/core/hardware/interpret-hardware';
import { createOllamaFake } from '../fakes/ollama-fake';
import { tempDir } from '../support/temp-dir';
import { launchApp, screenshotDir, type RunningApp } from './harness/launch-app';

let app: RunningApp | undefined;
let ollama: ReturnType<typeof createOllamaFake> | undefined;

afterEach(async () => {
  await app?.close();
  await ollama?.close();
  app = undefined;
  ollama = undefined;
});

async function hybridLaptop(): Promise<ProbeResults> {
  return JSON.parse(await fs.readFile(path.resolve(import.meta.dirname, '../fixtures/hardware/hybrid-laptop.json'), 'utf8')) as ProbeResults;
}

async function openSettings(options: Parameters<typeof createOllamaFake>[0]) {
  ollama = createOllamaFake(options);
  await ollama.start();
  const dataDir = await tempDir();
  app = await launchApp(dataDir, { env: { OLLAMA_HOST: ollama.url }, probe: hybridLaptop });
  await app.page.getByRole('button', { name: 'Settings' }).click();
  return { page: app.page, dataDir, ollama };
}

describe('the hardware and Ollama panels', () => {
  it('show the GPU, tier and recommendations; "use these" and the override are saved', async () => {
    const { page, dataDir } = await openSettings({ models: ['llama3.2:3b'] });
    const hardware = page.getByRole('group', { name: 'Hardware' });
    await hardware.getByText('GA107M [GeForce RTX 3050 Mobile]').waitFor();
    await hardware.getByText('Tier: vram-4').waitFor();
    await hardware.getByText('4.0 GB video memory (from the NVIDIA driver)').waitFor();
    expect(await hardware.getByRole('row').allTextContents()).toEqual([
      expect.stringMatching(/^FastLlama 3\.2 1B local\/llama3\.2:1b.*fits in video memory$/),
      expect.stringMatching(/^AdvancedLlama 3\.2 3B local\/llama3\.2:3b.*fits in video memory$/),
      expect.stringMatching(/^Most capableLlama 3\.2 3B local\/llama3\.2:3b.*fits in video memory$/),
    ]);

    await hardware.getByRole('button', { name: 'Use these' }).click();
    await hardware.getByText('These models are now used for each role.').waitFor();
    await expect
      .poll(async () => (JSON.parse(await fs.readFile(path.join(dataDir, 'settings.json'), 'utf8')) as { roles: unknown }).roles)
      .toEqual({ fast: 'local/llama3.2:1b', advanced: 'local/llama3.2:3b', extreme: 'local/llama3.2:3b' });

    await hardware.getByLabel('Video memory to plan with (GB)').fill('12');
    await hardware.getByRole('button', { name: 'Save' }).click();
    await hardware.getByText('Tier: vram-12').waitFor();
    await hardware.getByText(/For models: 12\.0 GB \(set by you\)/).waitFor();
    await fs.mkdir(screenshotDir, { recursive: true });
    await hardware.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(screenshotDir, 'settings-hardware.png') });
    expect(app?.pageErrors).toEqual([]);
  });

  it('download a model with a progress bar, stop one, and delete one', async () => {
    const { page, ollama: server } = await openSettings({ models: ['llama3.2:3b'], pullSteps: 40, pullStepMs: 25 });
    const panel = page.getByRole('group', { name: 'Ollama (local models)' });
    await panel.getByText(/^Running, version 0\.12\.6, at http:\/\/127\.0\.0\.1:\d+$/).waitFor();
    await panel.getByRole('row', { name: /llama3\.2:3b/ }).waitFor();

    // Download with progress, to the end.
    await panel.getByLabel('Download a model').fill('qwen2.5:7b');
    await panel.getByRole('button', { name: 'Download' }).click();
    const bar = panel.getByRole('progressbar', { name: 'qwen2.5:7b' });
    await bar.waitFor();
    await panel.getByText(/\d+\.\d % · [\d.]+ (MB|GB) of 4\.7 GB/).waitFor();
    await fs.mkdir(screenshotDir, { recursive: true });
    await bar.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(screenshotDir, 'settings-ollama-pull.png') });
    await panel.getByText('qwen2.5:7b is installed.').waitFor({ timeout: 20_000 });
    await panel.getByRole('row', { name: /qwen2\.5:7b/ }).waitFor();
    expect(server.installed.has('qwen2.5:7b')).toBe(true);

    // Stop a download halfway: nothing installed, what came is kept for a resume.
    await panel.getByLabel('Download a model').fill('llama3.3:70b');
    await panel.getByRole('button', { name: 'Download' }).click();
    await panel.getByText(/\d+\.\d % · [\d.]+ (MB|GB) of 42\.5 GB/).waitFor();
    await panel.getByRole('button', { name: 'Stop' }).click();
    await panel.getByText('Stopped. Download it again to continue where it stopped.').waitFor();
    expect(server.installed.has('llama3.3:70b')).toBe(false);
    expect(server.partial.get('llama3.3:70b')).toBeGreaterThan(0);

    // Delete, with a second click to confirm.
    await panel.getByRole('button', { name: 'Delete llama3.2:3b' }).click();
    await panel.getByRole('button', { name: 'Really delete llama3.2:3b?' }).click();
    await panel.getByText('llama3.2:3b was deleted.').waitFor();
    await panel.getByRole('row', { name: /llama3\.2:3b/ }).waitFor({ state: 'detached' });
    expect(server.installed.has('llama3.2:3b')).toBe(false);
    expect(app?.pageErrors).toEqual([]);
  });

  it('tells the user when Ollama is not there, and what to do', async () => {
    const { page, ollama: server } = await openSettings({});
    await server.close();
    await page.reload();
    await page.getByRole('button', { name: 'Settings' }).click();
    const panel = page.getByRole('group', { name: 'Ollama (local models)' });
    await panel.getByText(/^Not available at http:\/\/127\.0\.0\.1:\d+$/).waitFor();
    await panel.getByText(/Atelier could not reach Ollama|Ollama is not installed/).waitFor();
  });
});
