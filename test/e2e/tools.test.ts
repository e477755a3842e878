import fs from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import type { ProbeResults } from '../../electron/core/hardware/interpret-hardware';
import type { SettingsPatch } from '../../shared/settings';
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
  // The harness leaves main's services running: closing them stops the tool servers Atelier started.
  await app?.main.services.close();
  app = undefined;
});

/** The test's MCP server, started as a program the way any local server is. */
const SERVER_SCRIPT = path.join(repoRoot, 'test/fakes/mcp-test-server.mjs');

/** This machine as recorded: no GPU; the hardware probe is not what these tests are about. */
async function noGpu(): Promise<ProbeResults> {
  return JSON.parse(await fs.readFile(path.resolve(import.meta.dirname, '../fixtures/hardware/no-gpu-linux.json'), 'utf8')) as ProbeResults;
}

/** Opens the app past the first run (under the default privacy tier) with Settings → Tools shown. */
async function openToolsPanel(settings: SettingsPatch = {}) {
  const dataDir = await tempDir();
  await writeSettings(dataDir, { chat: { firstRunCompleted: true, model: FAKE_MODELS.local }, ...settings });
  app = await launchApp(dataDir, { env: useFakes().env, probe: noGpu });
  const { page } = app;
  await page.getByRole('textbox', { name: 'Your message' }).waitFor();
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('button', { name: 'Settings' }).click();
  const panel = page.getByRole('group', { name: 'Tools', exact: true });
  await panel.scrollIntoViewIfNeeded();
  return { page, panel, dataDir };
}

const updateSettings = (page: Page, patch: SettingsPatch) => page.evaluate((change) => window.atelier.invoke('settings:update', change).then((result) => result.ok), patch);

async function expectAccessible(page: Page): Promise<void> {
  expect(await seriousAccessibilityViolations(page)).toEqual([]);
}

/** Settings → Tools whole: the window made tall enough to hold the view, which scrolls inside it. */
async function screenshotPanel(page: Page, name: string): Promise<void> {
  const height = await page.evaluate(() => Math.ceil(document.querySelector('.content')?.scrollHeight ?? 720) + 60);
  await page.setViewportSize({ width: 1100, height });
  await fs.mkdir(screenshotDir, { recursive: true });
  await page.locator('#settings-tools').screenshot({ path: path.join(screenshotDir, name) });
  await page.setViewportSize({ width: 1100, height: 720 });
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('Settings → Tools', () => {
  it('a local server added (checked field by field), its tools shown, switched off and on; a remote one marked outside the EU, its tools refused under the default tier, removed; en/de, light/dark', async () => {
    const { page, panel, dataDir } = await openToolsPanel();
    await panel.getByText('No tool servers yet: add one below.').waitFor();
    const form = panel.getByRole('form', { name: 'Add a tool server' });

    // Checked here first, each problem next to its field, the focus on the first.
    const name = form.getByLabel('Name', { exact: true });
    await name.fill('My Tools');
    await form.getByRole('button', { name: 'Add server' }).click();
    await form.getByText('Lower-case letters, digits and dashes only (up to 40), starting with a letter or a digit.').waitFor();
    await form.getByText('A program needs a command, such as npx.').waitFor();
    expect(await name.getAttribute('aria-invalid')).toBe('true');
    await expect.poll(() => name.evaluate((element) => element === document.activeElement)).toBe(true);

    // A program: the command and its arguments (a path with spaces would go in quotes), one secret variable.
    await name.fill('tools');
    await form.getByLabel('Command').fill(process.execPath);
    await form.getByLabel('Arguments').fill(SERVER_SCRIPT);
    await form.getByRole('button', { name: 'Add variable' }).click();
    await form.getByLabel('Name of variable 1').fill('WIKI TOKEN');
    await form.getByLabel('Value of variable 1').fill('wiki-secret-123');
    await form.getByRole('button', { name: 'Add server' }).click();
    await form.getByText('Letters, digits and underscores only, not starting with a digit, such as WIKI_TOKEN.').waitFor();
    await expectAccessible(page);
    await screenshotPanel(page, 'tools-form-problem.png');
    await form.getByLabel('Name of variable 1').fill('WIKI_TOKEN');
    expect(await form.getByLabel('Value of variable 1').getAttribute('type')).toBe('password');
    await form.getByRole('button', { name: 'Add server' }).click();
    await panel.getByText('“tools” added.').waitFor();

    const local = panel.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'tools', exact: true }) });
    expect(await local.locator('.tool-server-facts').innerText()).toMatch(new RegExp(`Program\\s+${process.execPath.replaceAll('/', '\\/')} ${SERVER_SCRIPT.replaceAll('/', '\\/')}\\s+Variables\\s+WIKI_TOKEN \\(values in the keychain\\)$`));
    await local.locator('.badge').getByText('this computer').waitFor();
    // The secret went to the keychain: the form is empty again and the page never shows it.
    expect(await form.getByLabel('Name', { exact: true }).inputValue()).toBe('');
    expect(await page.content()).not.toContain('wiki-secret-123');

    // Its tools, from the program started for it.
    await local.getByRole('button', { name: 'Show tools (tools)' }).click();
    const tools = local.getByRole('list', { name: 'Tools of “tools”' });
    await tools.waitFor();
    expect(await tools.getByRole('listitem').allInnerTexts()).toEqual([
      'echo Says back what it is given.',
      'add Add two numbers Adds a and b.',
      'fail Always fails.',
      'slow Takes its time, reporting progress every 50 ms.',
      'env Says what WIKI_TOKEN and ANTHROPIC_API_KEY are set to.',
    ]);
    expect(await app?.main.services.toolServers.callTool('tools', 'env', {})).toMatchObject({ text: 'WIKI_TOKEN=wiki-secret-123 ANTHROPIC_API_KEY=' });
    const pid = app?.main.services.toolServers.pid('tools') ?? 0;
    expect(alive(pid)).toBe(true);

    // Off and on again, saved.
    const onOff = local.getByRole('switch', { name: 'Use “tools”' });
    expect(await onOff.isChecked()).toBe(true);
    await onOff.click();
    await local.locator('.badge').getByText('off', { exact: true }).waitFor();
    expect(await onOff.isChecked()).toBe(false);
    const saved = () => fs.readFile(path.join(dataDir, 'settings.json'), 'utf8').then((text) => (JSON.parse(text) as { mcp: { servers: { name: string; enabled: boolean }[] } }).mcp.servers);
    expect(await saved()).toMatchObject([{ name: 'tools', enabled: false }]);
    await onOff.click();
    await expect.poll(() => onOff.isChecked()).toBe(true);
    expect(await saved()).toMatchObject([{ name: 'tools', enabled: true }]);

    // A name taken: said next to the field.
    await name.fill('tools');
    await form.getByRole('radio', { name: 'An address (a server elsewhere)' }).check();
    const url = form.getByLabel('Address (URL)');
    await url.fill('mcp.school.example/mcp');
    await form.getByRole('button', { name: 'Add server' }).click();
    await form.getByText('There is a tool server of that name already: choose another name.').waitFor();
    await form.getByText(/^Not an address: it starts with http:\/\/ or https:\/\//).waitFor();

    // A remote one: outside the EU, and under the default tier ("this computer only") never contacted.
    await name.fill('wiki');
    await url.fill('https://mcp.school.example/mcp');
    await form.getByRole('button', { name: 'Add server' }).click();
    await panel.getByText('“wiki” added.').waitFor();
    const remote = panel.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'wiki', exact: true }) });
    expect(await remote.locator('.tool-server-facts').innerText()).toMatch(/^Address\s+https:\/\/mcp\.school\.example\/mcp$/);
    await remote.locator('.badge').getByText('outside the EU').waitFor();
    await remote.getByRole('button', { name: 'Show tools (wiki)' }).click();
    const refusal = remote.getByRole('alert');
    await refusal.getByText('Its tools could not be listed:').waitFor();
    expect(await refusal.innerText()).toContain('The tool server “wiki” is at mcp.school.example');
    await refusal.getByText('Use a tool server on this computer, or change the privacy setting in Settings → Privacy.').waitFor();
    await expectAccessible(page);
    await screenshotPanel(page, 'tools.png');

    // German, then dark: the same servers.
    expect(await updateSettings(page, { language: 'de' })).toBe(true);
    const panelDe = page.getByRole('group', { name: 'Werkzeuge', exact: true });
    await panelDe.getByRole('switch', { name: '„tools“ nutzen' }).waitFor();
    await panelDe.getByText('außerhalb der EU', { exact: true }).first().waitFor();
    await panelDe.getByRole('button', { name: 'Werkzeuge ausblenden (wiki)' }).waitFor();
    await expectAccessible(page);
    await screenshotPanel(page, 'tools-de.png');
    expect(await updateSettings(page, { theme: 'dark' })).toBe(true);
    await page.locator('html[data-theme="dark"]').waitFor({ state: 'attached' });
    await expectAccessible(page);
    await screenshotPanel(page, 'tools-de-dark.png');
    expect(await updateSettings(page, { language: 'en' })).toBe(true);

    // Removed after confirming (Keep first, which leaves it).
    const remove = remote.getByRole('button', { name: 'Remove “wiki”' });
    await remove.click();
    const confirm = remote.getByRole('group', { name: 'Remove “wiki”' });
    await confirm.getByText('Remove the tool server “wiki”? Models can no longer use its tools.').waitFor();
    await expect.poll(() => confirm.getByRole('button', { name: 'Keep it' }).evaluate((element) => element === document.activeElement)).toBe(true);
    await expectAccessible(page);
    await screenshotPanel(page, 'tools-confirm-dark.png');
    await confirm.getByRole('button', { name: 'Keep it' }).click();
    await expect.poll(() => remove.evaluate((element) => element === document.activeElement)).toBe(true);
    await remove.click();
    await confirm.getByRole('button', { name: 'Yes, remove' }).click();
    await panel.getByText('“wiki” removed.').waitFor();
    await remote.waitFor({ state: 'detached' });
    expect(await saved()).toMatchObject([{ name: 'tools' }]);
    expect(await saved()).toHaveLength(1);
    expect(app?.pageErrors).toEqual([]);
    expect(app?.main.internalErrors).toEqual([]);

    // Quitting stops the program Atelier started.
    await app?.close();
    await app?.main.services.close();
    app = undefined;
    await expect.poll(() => alive(pid)).toBe(false);
  });

  it('the classroom lock disables every change, saying why; the tools can still be shown', async () => {
    const { page, panel } = await openToolsPanel({
      mcp: { servers: [{ name: 'tools', transport: 'stdio', command: process.execPath, args: [SERVER_SCRIPT], env: [], enabled: true }] },
    });
    const form = panel.getByRole('form', { name: 'Add a tool server' });
    expect(await form.getByRole('button', { name: 'Add server' }).isDisabled()).toBe(false);
    const privacy = page.getByRole('radiogroup', { name: 'Privacy: where your words may go' });
    await privacy.getByLabel('Teacher password').fill('Tafel-Kreide-2026');
    await privacy.getByRole('button', { name: 'Lock for this class' }).click();

    const reason = 'The class is locked: tool servers can be added, switched on or off or removed once a teacher unlocks it (Settings → Privacy).';
    await panel.getByText(reason).waitFor();
    const onOff = panel.getByRole('switch', { name: 'Use “tools”' });
    expect(await onOff.isDisabled()).toBe(true);
    expect(await onOff.evaluate((element) => document.getElementById(element.getAttribute('aria-describedby') ?? '')?.textContent)).toBe(reason);
    expect(await panel.getByRole('button', { name: 'Remove “tools”' }).isDisabled()).toBe(true);
    expect(await form.getByLabel('Name', { exact: true }).isDisabled()).toBe(true);
    expect(await form.getByLabel('Command').isDisabled()).toBe(true);
    expect(await form.getByRole('button', { name: 'Add variable' }).isDisabled()).toBe(true);
    expect(await form.getByRole('button', { name: 'Add server' }).isDisabled()).toBe(true);
    // Main refuses it too, whatever the page sends.
    expect(await page.evaluate(() => window.atelier.invoke('tools:set-enabled', { name: 'tools', enabled: false }).then((result) => (result.ok ? 'changed' : result.error.code)))).toBe('settings_locked');
    // Looking is no change.
    await panel.getByRole('button', { name: 'Show tools (tools)' }).click();
    await panel.getByRole('list', { name: 'Tools of “tools”' }).getByText('Add two numbers').waitFor();
    await expectAccessible(page);
    await screenshotPanel(page, 'tools-locked.png');

    expect(await updateSettings(page, { language: 'de' })).toBe(true);
    const panelDe = page.getByRole('group', { name: 'Werkzeuge', exact: true });
    await panelDe.getByText(/^Die Klasse ist gesperrt: Werkzeug-Server lassen sich erst/).waitFor();
    expect(await panelDe.getByRole('button', { name: 'Server hinzufügen' }).isDisabled()).toBe(true);
    await expectAccessible(page);
    await screenshotPanel(page, 'tools-locked-de.png');

    // Unlocked, the changes can be made again.
    const datenschutz = page.getByRole('radiogroup', { name: /^Datenschutz/ });
    await datenschutz.getByLabel('Passwort der Lehrkraft').fill('Tafel-Kreide-2026');
    await datenschutz.getByRole('button', { name: 'Entsperren' }).click();
    await expect.poll(() => panelDe.getByRole('button', { name: 'Server hinzufügen' }).isDisabled()).toBe(false);
    expect(await panelDe.getByRole('switch').isDisabled()).toBe(false);
    expect(app?.pageErrors).toEqual([]);
  });
});
