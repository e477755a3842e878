import fs from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import type { ProbeResults } from '../../electron/core/hardware/interpret-hardware';
import type { McpServerConfig } from '../../shared/tools';
import { repoRoot } from '../support/built-cli';
import { FAKE_MODELS, useProviderFakes } from '../support/provider-fakes';
import { writeSettings } from '../support/settings-file';
import { tempDir } from '../support/temp-dir';
import { seriousAccessibilityViolations } from './harness/axe';
import { launchApp, screenshotDir, type RunningApp } from './harness/launch-app';

const useFakes = useProviderFakes();
let app: RunningApp | undefined;
afterEach(async () => {
  await app?.close();
  // The harness leaves main's services running: closing them stops the tool server's process.
  await app?.main.services.close();
  app = undefined;
});

const STDIO: McpServerConfig = { name: 'tools', transport: 'stdio', command: process.execPath, args: [path.join(repoRoot, 'test/fakes/mcp-test-server.mjs')], env: [], enabled: true };

async function noGpu(): Promise<ProbeResults> {
  return JSON.parse(await fs.readFile(path.resolve(import.meta.dirname, '../fixtures/hardware/no-gpu-linux.json'), 'utf8')) as ProbeResults;
}

async function shot(page: Page, name: string): Promise<void> {
  await fs.mkdir(screenshotDir, { recursive: true });
  await page.screenshot({ path: path.join(screenshotDir, name) });
}

async function openChat(language: 'en' | 'de' = 'en', theme: 'light' | 'dark' = 'light') {
  const dataDir = await tempDir();
  await writeSettings(dataDir, { privacy: { tier: 'non_dsgvo' }, language, theme, chat: { firstRunCompleted: true, model: FAKE_MODELS.openai }, mcp: { servers: [STDIO] } });
  app = await launchApp(dataDir, { env: useFakes().env, probe: noGpu });
  await app.page.getByRole('textbox', { name: language === 'de' ? 'Deine Nachricht' : 'Your message' }).waitFor();
  return app.page;
}

describe('tool calls in the chat', () => {
  it('asks before a call, runs it once allowed, shows it folded with its result; a denied call is not run', async () => {
    const page = await openChat();
    useFakes().openai.respondWith({ kind: 'answer', chunks: ['Ich rechne. '], toolCalls: [{ id: 'call_1', name: 'tools__add', args: { a: 2, b: 40 } }], finish: 'tool_calls' }, { kind: 'answer', chunks: ['Es sind 42.'] });
    await page.getByRole('checkbox', { name: 'Let the model use tools' }).check();
    await page.getByRole('textbox', { name: 'Your message' }).fill('Was ist 2 + 40?');
    await page.getByRole('button', { name: 'Send' }).click();
    const prompt = page.getByRole('alertdialog', { name: 'Allow this tool call?' });
    await prompt.waitFor();
    await expect.poll(() => prompt.innerText()).toContain('The model wants to run “add” of the tool server “tools” with:');
    expect(await prompt.locator('pre').innerText()).toContain('"a": 2');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Allow once');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await shot(page, 'tool-calls-approval.png');
    await prompt.getByRole('button', { name: 'Allow once' }).click();
    const answer = page.getByRole('article').last();
    await expect.poll(() => answer.innerText()).toContain('Es sind 42.');
    const calls = answer.getByRole('list', { name: 'Tools the model called' });
    await calls.getByText('Tool tools/add').click();
    await expect.poll(() => calls.innerText()).toContain('42');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await shot(page, 'tool-calls-result.png');

    const before = app?.main.services.egress.list().filter((entry) => entry.purpose === 'tool-call').length ?? 0;
    useFakes().openai.respondWith({ kind: 'answer', chunks: [], toolCalls: [{ id: 'call_2', name: 'tools__echo', args: { text: 'geheim' } }], finish: 'tool_calls' }, { kind: 'answer', chunks: ['Dann nicht.'] });
    await page.getByRole('textbox', { name: 'Your message' }).fill('Sag geheim.');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Deny' }).click();
    await expect.poll(() => page.getByRole('article').last().innerText()).toContain('Dann nicht.');
    expect(await page.getByRole('article').last().innerText()).toContain('failed');
    expect(app?.main.services.egress.list().filter((entry) => entry.purpose === 'tool-call').length).toBe(before);
  });

  it('in German and dark', async () => {
    const page = await openChat('de', 'dark');
    useFakes().openai.respondWith({ kind: 'answer', chunks: [], toolCalls: [{ id: 'call_1', name: 'tools__add', args: { a: 1, b: 1 } }], finish: 'tool_calls' }, { kind: 'answer', chunks: ['Zwei.'] });
    await page.getByRole('checkbox', { name: 'Das Modell darf Werkzeuge nutzen' }).check();
    await page.getByRole('textbox', { name: 'Deine Nachricht' }).fill('1 + 1?');
    await page.keyboard.press('Enter');
    const prompt = page.getByRole('alertdialog', { name: 'Diesen Werkzeugaufruf erlauben?' });
    await prompt.waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await shot(page, 'tool-calls-approval-de-dark.png');
    await prompt.getByRole('button', { name: 'Für dieses Gespräch erlauben' }).click();
    await expect.poll(() => page.getByRole('article').last().innerText()).toContain('Zwei.');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
  });

  it('a teacher can lock with no programs on this computer as tools', async () => {
    const page = await openChat();
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('button', { name: 'Settings' }).click();
    await page.getByLabel('Tool servers while locked').selectOption('local');
    await page.getByLabel('Teacher password').fill('Tafel-Kreide-2026');
    await page.getByRole('button', { name: 'Lock for this class' }).click();
    await expect.poll(() => page.evaluate(() => window.atelier.invoke('tools:list-tools', { name: 'tools' }).then((result) => (result.ok ? 'listed' : result.error.code)))).toBe('settings_locked');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
  });
});
