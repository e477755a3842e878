import fs from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import OpenAI from 'openai';
import type { Locator, Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import type { ProbeResults } from '../../electron/core/hardware/interpret-hardware';
import type { SettingsPatch } from '../../shared/settings';
import { FAKE_MODELS, useProviderFakes } from '../support/provider-fakes';
import { writeSettings } from '../support/settings-file';
import { tempDir } from '../support/temp-dir';
import { seriousAccessibilityViolations } from './harness/axe';
import { launchApp, screenshotDir, type RunningApp } from './harness/launch-app';

const useFakes = useProviderFakes();
let app: RunningApp | undefined;
const blockers: http.Server[] = [];
afterEach(async () => {
  await app?.close();
  // The harness leaves main's services running; the endpoint's port is freed here.
  await app?.main.services.close();
  app = undefined;
  await Promise.all(blockers.splice(0).map((server) => new Promise((done) => server.close(done))));
});

/** This machine as recorded: no GPU; the hardware probe is not what these tests are about. */
async function noGpu(): Promise<ProbeResults> {
  return JSON.parse(await fs.readFile(path.resolve(import.meta.dirname, '../fixtures/hardware/no-gpu-linux.json'), 'utf8')) as ProbeResults;
}

/** A port nothing listens on just now (above 1023: the system gives one from its ephemeral range). */
async function freePort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

/** Opens the app past the first run, under "any provider", with Settings → Local endpoint shown. */
async function openEndpointPanel(settings: SettingsPatch = {}, env: Record<string, string> = {}) {
  const dataDir = await tempDir();
  await writeSettings(dataDir, { privacy: { tier: 'non_dsgvo' }, chat: { firstRunCompleted: true, model: FAKE_MODELS.local }, ...settings });
  app = await launchApp(dataDir, { env: { ...useFakes().env, ...env }, probe: noGpu });
  await app.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.origin });
  const { page } = app;
  await page.getByRole('textbox', { name: 'Your message' }).waitFor();
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('button', { name: 'Settings' }).click();
  const panel = page.getByRole('group', { name: 'Local endpoint' });
  await panel.scrollIntoViewIfNeeded();
  return { page, panel, dataDir };
}

/** Changes settings as the Settings view would (and the CLI may, while the app runs). */
const updateSettings = (page: Page, patch: SettingsPatch) => page.evaluate((change) => window.atelier.invoke('settings:update', change).then((result) => result.ok), patch);
const clipboard = (page: Page) => page.evaluate(() => navigator.clipboard.readText());

async function expectAccessible(page: Page): Promise<void> {
  expect(await seriousAccessibilityViolations(page)).toEqual([]);
}

/** Settings → Local endpoint whole: the window made tall enough to hold the view, which scrolls inside it. */
async function screenshotPanel(page: Page, name: string): Promise<void> {
  const height = await page.evaluate(() => Math.ceil(document.querySelector('.content')?.scrollHeight ?? 720) + 60);
  await page.setViewportSize({ width: 1100, height });
  await fs.mkdir(screenshotDir, { recursive: true });
  await page.locator('#settings-endpoint').screenshot({ path: path.join(screenshotDir, name) });
  await page.setViewportSize({ width: 1100, height: 720 });
}

const HELLO = { messages: [{ role: 'user' as const, content: 'Hallo!' }] };

/** The base URL as the panel shows it, once it runs. */
async function shownBaseUrl(panel: Locator): Promise<string> {
  const status = panel.locator('.endpoint-status');
  await status.getByText('Running at').waitFor();
  return status.locator('code').innerText();
}

describe('Settings → Local endpoint', () => {
  it('switched on, a token made and used by the openai client, the tool named in the record, the token revoked and refused; web pages checked as origins; en/de, light/dark', async () => {
    const port = await freePort();
    const { page, panel, dataDir } = await openEndpointPanel({ gateway: { port } });
    await panel.locator('.endpoint-status').getByText('Off: no tool can reach Atelier this way.').waitFor();
    await panel.getByText('No tokens yet, so no tool can use the endpoint.').waitFor();

    // On: it runs at the port set, and says where (copied with one button).
    const onOff = panel.getByRole('switch', { name: 'Serve the local endpoint while Atelier runs' });
    expect(await onOff.isChecked()).toBe(false);
    await onOff.click();
    const baseUrl = await shownBaseUrl(panel);
    expect(baseUrl).toBe(`http://127.0.0.1:${port}/v1`);
    expect(await onOff.isChecked()).toBe(true);
    await panel.getByRole('button', { name: 'Copy the address' }).click();
    await panel.locator('.endpoint-status').getByText('Copied.').waitFor();
    expect(await clipboard(page)).toBe(baseUrl);
    // The example uses the address in force.
    expect(await panel.getByRole('region', { name: 'How a tool uses it' }).locator('pre').innerText()).toContain(`curl ${baseUrl}/chat/completions`);

    // A token: its name is checked first, then it is shown this once, with a copy button.
    const tokens = panel.getByRole('region', { name: 'Access tokens' });
    const name = tokens.getByLabel('Name of the tool');
    await name.fill('Notebook?');
    await tokens.getByRole('button', { name: 'Create token' }).click();
    await tokens.getByText('Letters, digits, spaces, dots, dashes and underscores only, starting with a letter or a digit.').waitFor();
    expect(await name.getAttribute('aria-invalid')).toBe('true');
    expect(await name.evaluate((element) => element === document.activeElement)).toBe(true);
    await name.fill('Notebook');
    await tokens.getByRole('button', { name: 'Create token' }).click();
    const made = tokens.getByRole('group', { name: /^Token for “Notebook”, shown only now/ });
    await made.waitFor();
    await expect.poll(() => made.evaluate((element) => element === document.activeElement)).toBe(true);
    const token = await made.getByTestId('new-token').innerText();
    expect(token).toMatch(/^atl_[\w-]{43}$/);
    await made.getByRole('button', { name: 'Copy the token' }).click();
    await made.getByText('Copied.').waitFor();
    expect(await clipboard(page)).toBe(token);
    const row = tokens.getByRole('row', { name: /^Notebook / });
    expect(await row.innerText()).toMatch(/^Notebook\s+atl_…\S{4}\s+.+\s+never\s+Revoke$/);
    await expectAccessible(page);
    await screenshotPanel(page, 'local-endpoint-token.png');

    // A real client with what the panel showed: answered by the Ollama fake.
    const client = new OpenAI({ apiKey: token, baseURL: baseUrl, maxRetries: 0 });
    const answer = await client.chat.completions.create({ model: FAKE_MODELS.local, ...HELLO });
    expect(answer.choices[0]?.message.content).toBe('Hello from the fake!');
    expect(useFakes().ollama.requests.filter((request) => request.path === '/api/chat').length).toBeGreaterThan(0);

    // Hidden, the token is gone from the page for good.
    await made.getByRole('button', { name: 'Done, hide it' }).click();
    await made.waitFor({ state: 'detached' });
    expect(await page.content()).not.toContain(token);

    // The record of where words went names the tool.
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('button', { name: 'Usage' }).click();
    const record = page.getByRole('table', { name: 'Where your words went' });
    const entry = record.getByRole('row').filter({ hasText: 'via Notebook (local endpoint)' });
    await entry.first().waitFor();
    expect(await entry.first().innerText()).toMatch(/chat\s*via Notebook \(local endpoint\)\s+answered\s+this computer/);
    await expectAccessible(page);
    await record.scrollIntoViewIfNeeded();
    await record.screenshot({ path: path.join(screenshotDir, 'local-endpoint-egress.png') });

    // Back in Settings, the token was used.
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('button', { name: 'Settings' }).click();
    await expect.poll(() => row.innerText()).not.toMatch(/never/);

    // Revoked after confirming (Keep first, which leaves it): the client is refused with 401.
    await row.getByRole('button', { name: 'Revoke the token of “Notebook”' }).click();
    const confirm = tokens.getByRole('group', { name: 'Revoke the token of “Notebook”' });
    await confirm.getByText('The tool is refused from its next request on').waitFor();
    await expect.poll(() => confirm.getByRole('button', { name: 'Keep it' }).evaluate((element) => element === document.activeElement)).toBe(true);
    await confirm.getByRole('button', { name: 'Keep it' }).click();
    await expect.poll(() => row.getByRole('button', { name: 'Revoke the token of “Notebook”' }).evaluate((element) => element === document.activeElement)).toBe(true);
    expect((await client.chat.completions.create({ model: FAKE_MODELS.local, ...HELLO })).choices[0]?.message.content).toBe('Hello from the fake!');
    await row.getByRole('button', { name: 'Revoke the token of “Notebook”' }).click();
    await confirm.getByRole('button', { name: 'Yes, revoke' }).click();
    await tokens.getByText('The token of “Notebook” is revoked.').waitFor();
    await row.waitFor({ state: 'detached' });
    const refused = await client.chat.completions.create({ model: FAKE_MODELS.local, ...HELLO }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(OpenAI.AuthenticationError);
    expect((refused as InstanceType<typeof OpenAI.AuthenticationError>).status).toBe(401);

    // Web pages: each checked as an origin; the address bar's trailing slash is taken off.
    const origins = panel.getByRole('region', { name: 'Web pages allowed to use it' });
    const origin = origins.getByLabel('Origin of the web page (scheme, host and port)');
    await origin.fill('localhost:8888');
    await origins.getByRole('button', { name: 'Add origin' }).click();
    await origins.getByText(/^Not an origin: it starts with http:\/\/ or https:\/\//).waitFor();
    await origin.fill('http://localhost:8888/lab');
    await origins.getByRole('button', { name: 'Add origin' }).click();
    await origins.getByText(/^An origin is the scheme, host and port only/).waitFor();
    await origin.fill('http://localhost:8888/');
    await origins.getByRole('button', { name: 'Add origin' }).click();
    await origins.getByText('http://localhost:8888 may use the endpoint.').waitFor();
    await origins.getByRole('listitem').filter({ hasText: 'http://localhost:8888' }).waitFor();
    expect(await origin.inputValue()).toBe('');

    // The port: checked before it is saved.
    const portField = panel.getByLabel('Port', { exact: true });
    await portField.fill('80');
    await panel.getByRole('button', { name: 'Save port' }).click();
    await panel.getByText('A port from 1024 to 65535: the ones below need an administrator.').waitFor();
    await portField.fill(String(port));

    const saved = JSON.parse(await fs.readFile(path.join(dataDir, 'settings.json'), 'utf8')) as { gateway: unknown };
    expect(saved.gateway).toEqual({ enabled: true, port, allowedOrigins: ['http://localhost:8888'] });
    await expectAccessible(page);
    await screenshotPanel(page, 'local-endpoint-revoked.png');

    // German, then dark: the same panel, still running.
    expect(await updateSettings(page, { language: 'de' })).toBe(true);
    const panelDe = page.getByRole('group', { name: 'Lokaler Endpunkt' });
    await panelDe.locator('.endpoint-status').getByText('Läuft unter').waitFor();
    await panelDe.getByRole('switch', { name: 'Lokalen Endpunkt bereitstellen, solange Atelier läuft' }).waitFor();
    await panelDe.getByText('Noch keine Tokens, also kann kein Werkzeug den Endpunkt nutzen.').waitFor();
    await expectAccessible(page);
    await screenshotPanel(page, 'local-endpoint-de.png');
    expect(await updateSettings(page, { theme: 'dark' })).toBe(true);
    await page.locator('html[data-theme="dark"]').waitFor({ state: 'attached' });
    await panelDe.getByRole('region', { name: 'Zugangstokens' }).getByLabel('Name des Werkzeugs').fill('VS Code');
    await panelDe.getByRole('button', { name: 'Token erstellen' }).click();
    await panelDe.getByRole('group', { name: /^Token für „VS Code“, wird nur jetzt angezeigt/ }).waitFor();
    await expectAccessible(page);
    await screenshotPanel(page, 'local-endpoint-de-dark.png');

    // Off: the client cannot connect any more.
    await panelDe.getByRole('switch').click();
    await panelDe.locator('.endpoint-status').getByText('Aus: Kein Werkzeug erreicht Atelier auf diesem Weg.').waitFor();
    await expect(client.chat.completions.create({ model: FAKE_MODELS.local, ...HELLO })).rejects.toBeInstanceOf(OpenAI.APIConnectionError);
    expect(app?.pageErrors).toEqual([]);
    expect(app?.main.internalErrors).toEqual([]);
  });

  it('a port in use: the problem and what to do; another port saved, it runs there', async () => {
    const taken = await freePort();
    const blocker = http.createServer();
    blockers.push(blocker);
    await new Promise<void>((done) => blocker.listen(taken, '127.0.0.1', done));
    const { page, panel } = await openEndpointPanel();

    await panel.getByLabel('Port', { exact: true }).fill(String(taken));
    await panel.getByRole('button', { name: 'Save port' }).click();
    await panel.getByText('Port saved.').waitFor();
    await panel.getByRole('switch', { name: 'Serve the local endpoint while Atelier runs' }).click();
    const problem = panel.getByRole('alert').filter({ hasText: 'The local endpoint could not start.' });
    await problem.getByText(`Port ${taken} is in use already`, { exact: false }).waitFor();
    await problem.getByText('Choose another port below and save it: Atelier tries again at once.', { exact: false }).waitFor();
    await panel.locator('.endpoint-status').getByText('Not running.').waitFor();
    await expectAccessible(page);
    await screenshotPanel(page, 'local-endpoint-port-in-use.png');

    const free = await freePort();
    await panel.getByLabel('Port', { exact: true }).fill(String(free));
    await panel.getByRole('button', { name: 'Save port' }).click();
    expect(await shownBaseUrl(panel)).toBe(`http://127.0.0.1:${free}/v1`);
    await problem.waitFor({ state: 'detached' });

    expect(await updateSettings(page, { language: 'de', theme: 'dark' })).toBe(true);
    const panelDe = page.getByRole('group', { name: 'Lokaler Endpunkt' });
    await panelDe.getByLabel('Port', { exact: true }).fill(String(taken));
    await panelDe.getByRole('button', { name: 'Port speichern' }).click();
    await panelDe.getByRole('alert').getByText('Der lokale Endpunkt konnte nicht starten.').waitFor();
    await expectAccessible(page);
    await screenshotPanel(page, 'local-endpoint-port-in-use-de-dark.png');
    expect(app?.pageErrors).toEqual([]);
  });

  it('the classroom lock disables every change, saying why; the endpoint and its tokens keep working', async () => {
    const port = await freePort();
    const { page } = await openEndpointPanel({ gateway: { enabled: true, port, allowedOrigins: ['http://localhost:8888'] } });
    const token = await page.evaluate(() => window.atelier.invoke('gateway:add-token', { name: 'VS Code' }).then((result) => (result.ok ? result.value.token : '')));
    // Made elsewhere (as atelier serve tokens add would), it is listed when Settings is opened again.
    const nav = page.getByRole('navigation', { name: 'Main navigation' });
    await nav.getByRole('button', { name: 'Chat' }).click();
    await nav.getByRole('button', { name: 'Settings' }).click();
    const panel = page.getByRole('group', { name: 'Local endpoint' });
    await panel.getByRole('row', { name: /^VS Code / }).waitFor();
    expect(await panel.getByRole('button', { name: 'Create token' }).isDisabled()).toBe(false);
    // A teacher locks the class in Settings → Privacy: the panel below follows at once.
    const privacy = page.getByRole('radiogroup', { name: 'Privacy: where your words may go' });
    await privacy.getByLabel('Teacher password').fill('Tafel-Kreide-2026');
    await privacy.getByRole('button', { name: 'Lock for this class' }).click();

    const reason =
      'The class is locked: the local endpoint can be switched on or off, moved or given tokens once a teacher unlocks it (Settings → Privacy). Tools with a token keep working.';
    await panel.getByText(reason).waitFor();
    const onOff = panel.getByRole('switch', { name: 'Serve the local endpoint while Atelier runs' });
    expect(await onOff.isDisabled()).toBe(true);
    expect(await onOff.evaluate((element) => document.getElementById(element.getAttribute('aria-describedby') ?? '')?.textContent)).toBe(reason);
    expect(await panel.getByLabel('Port', { exact: true }).isDisabled()).toBe(true);
    expect(await panel.getByRole('button', { name: 'Save port' }).isDisabled()).toBe(true);
    expect(await panel.getByLabel('Name of the tool').isDisabled()).toBe(true);
    expect(await panel.getByRole('button', { name: 'Create token' }).isDisabled()).toBe(true);
    expect(await panel.getByRole('button', { name: 'Revoke the token of “VS Code”' }).isDisabled()).toBe(true);
    expect(await panel.getByRole('button', { name: 'Remove http://localhost:8888' }).isDisabled()).toBe(true);
    expect(await panel.getByRole('button', { name: 'Add origin' }).isDisabled()).toBe(true);
    // Copying the address is no change.
    const baseUrl = await shownBaseUrl(panel);
    expect(await panel.getByRole('button', { name: 'Copy the address' }).isDisabled()).toBe(false);
    const answer = await new OpenAI({ apiKey: token, baseURL: baseUrl, maxRetries: 0 }).chat.completions.create({ model: FAKE_MODELS.local, ...HELLO });
    expect(answer.choices[0]?.message.content).toBe('Hello from the fake!');
    await expectAccessible(page);
    await screenshotPanel(page, 'local-endpoint-locked.png');

    expect(await updateSettings(page, { language: 'de' })).toBe(true);
    const panelDe = page.getByRole('group', { name: 'Lokaler Endpunkt' });
    await panelDe.getByText(/^Die Klasse ist gesperrt: Der lokale Endpunkt lässt sich erst/).waitFor();
    expect(await panelDe.getByRole('button', { name: 'Token erstellen' }).isDisabled()).toBe(true);
    await expectAccessible(page);
    await screenshotPanel(page, 'local-endpoint-locked-de.png');

    // Unlocked, the changes can be made again.
    const datenschutz = page.getByRole('radiogroup', { name: /^Datenschutz/ });
    await datenschutz.getByLabel('Passwort der Lehrkraft').fill('Tafel-Kreide-2026');
    await datenschutz.getByRole('button', { name: 'Entsperren' }).click();
    await expect.poll(() => panelDe.getByRole('button', { name: 'Token erstellen' }).isDisabled()).toBe(false);
    expect(await panelDe.getByRole('switch').isDisabled()).toBe(false);
    expect(app?.pageErrors).toEqual([]);
  });

  it('the school’s locked settings disable every change too, saying so', async () => {
    const policyDir = await tempDir();
    const policyFile = path.join(policyDir, 'policy.json');
    await fs.writeFile(policyFile, JSON.stringify({ lockSettings: true }));
    const { page, panel } = await openEndpointPanel({}, { ATELIER_POLICY_FILE: policyFile });
    const reason = 'Your school manages Atelier’s settings, so the local endpoint and its tokens cannot be changed here. Tools with a token keep working.';
    await panel.getByText(reason).waitFor();
    const onOff = panel.getByRole('switch', { name: 'Serve the local endpoint while Atelier runs' });
    expect(await onOff.isDisabled()).toBe(true);
    expect(await onOff.evaluate((element) => document.getElementById(element.getAttribute('aria-describedby') ?? '')?.textContent)).toBe(reason);
    expect(await panel.getByRole('button', { name: 'Create token' }).isDisabled()).toBe(true);
    expect(await panel.getByRole('button', { name: 'Add origin' }).isDisabled()).toBe(true);
    expect(await panel.getByRole('button', { name: 'Save port' }).isDisabled()).toBe(true);
    // Main refuses it too, whatever the page sends.
    expect(await page.evaluate(() => window.atelier.invoke('gateway:add-token', { name: 'Notebook' }).then((result) => (result.ok ? 'made' : result.error.code)))).toBe('settings_locked');
    await expectAccessible(page);
    expect(app?.pageErrors).toEqual([]);
  });
});
