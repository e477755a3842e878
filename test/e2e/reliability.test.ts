import fs from 'node:fs/promises';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import type { ProbeResults } from '../../electron/core/hardware/interpret-hardware';
import type { SettingsPatch } from '../../shared/settings';
import type { LoopbackServer } from '../fakes/loopback-server';
import type { Scenario } from '../fakes/scenario';
import { FAKE_MODELS, useProviderFakes } from '../support/provider-fakes';
import { writeSettings } from '../support/settings-file';
import { tempDir } from '../support/temp-dir';
import { seriousAccessibilityViolations } from './harness/axe';
import { launchApp, screenshotDir, type RunningApp } from './harness/launch-app';

const useFakes = useProviderFakes();
let app: RunningApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

/** Anthropic's answer when it is overloaded on its side: a 503 with its real error body, every time. */
const UNAVAILABLE: Scenario = { kind: 'http-error', status: 503, body: { type: 'error', error: { type: 'api_error', message: 'Internal server error' } } };

/** This machine as recorded: no GPU; the hardware probe is not what these tests are about. */
async function noGpu(): Promise<ProbeResults> {
  return JSON.parse(await fs.readFile(path.resolve(import.meta.dirname, '../fixtures/hardware/no-gpu-linux.json'), 'utf8')) as ProbeResults;
}

/** Opens the app past the first run with `model` chosen, under "any provider". */
async function openChat(model: string, settings: SettingsPatch = {}) {
  const dataDir = await tempDir();
  await writeSettings(dataDir, { privacy: { tier: 'non_dsgvo' }, chat: { firstRunCompleted: true, model }, ...settings });
  app = await launchApp(dataDir, { env: useFakes().env, probe: noGpu });
  await app.page.getByRole('textbox', { name: 'Your message' }).waitFor();
  return { page: app.page, dataDir };
}

async function send(page: Page, text: string): Promise<void> {
  const composer = page.getByRole('textbox', { name: /^(Your message|Deine Nachricht)$/ });
  await composer.fill(text);
  await composer.press('Enter');
}

/** The last answer to `model`, once it has ended with text (its footer has the token counts). */
async function lastAnswer(page: Page, model: string): Promise<Locator> {
  const answer = page.getByRole('article', { name: `Answer from ${model}` }).last();
  await answer.locator('[data-testid="provenance"]:has-text("tokens in")').waitFor({ timeout: 20_000 });
  return answer;
}

/** Changes settings as the Settings view would (and the CLI may, while the app runs). */
const updateSettings = (page: Page, patch: SettingsPatch) => page.evaluate((change) => window.atelier.invoke('settings:update', change).then((result) => result.ok), patch);

/** Chat requests that reached a fake (model listings of the picker and of Check now are not). */
const chatRequests = (fake: LoopbackServer) => fake.requests.filter((request) => /\/v1\/messages$/.test(request.path.split('?')[0] ?? '')).length;

async function screenshot(page: Page, name: string): Promise<void> {
  await fs.mkdir(screenshotDir, { recursive: true });
  await page.screenshot({ path: path.join(screenshotDir, name) });
}

/** Settings → Reliability whole: the window made tall enough to hold the view, which scrolls inside it. */
async function screenshotReliability(page: Page, name: string): Promise<void> {
  const height = await page.evaluate(() => Math.ceil(document.querySelector('.content')?.scrollHeight ?? 720) + 60);
  await page.setViewportSize({ width: 1100, height });
  await fs.mkdir(screenshotDir, { recursive: true });
  await page.locator('#settings-reliability').screenshot({ path: path.join(screenshotDir, name) });
  await page.setViewportSize({ width: 1100, height: 720 });
}

describe('reliability in the app', () => {
  it('says under an answer that a fallback gave it, from which model and why; the status strip shows the model cooling down; English and German', async () => {
    const { anthropic, ollama } = useFakes();
    anthropic.respondWith(UNAVAILABLE);
    ollama.respondWith({ kind: 'answer', chunks: ['Igel', ' schlafen', ' von', ' November', ' bis', ' März.'] });
    const { page } = await openChat(FAKE_MODELS.anthropic, { fallbacks: { [FAKE_MODELS.anthropic]: [FAKE_MODELS.local] } });
    const strip = page.getByRole('status', { name: 'Provider status' });
    await strip.getByText('No problems with providers known.').waitFor();

    // Four tries at Anthropic (each said while it waits), then the chain's next model answers.
    await send(page, 'Wie lange schlafen Igel?');
    const pending = page.getByRole('article', { name: `Answer from ${FAKE_MODELS.anthropic}` }).last();
    await pending.getByText(/Trying again in \d+\.\d s \(try 2 of 4\)\./).waitFor();
    const first = await lastAnswer(page, FAKE_MODELS.anthropic);
    await first.getByText('Igel schlafen von November bis März.').waitFor();
    expect(await first.getByTestId('fallback').innerText()).toMatch(/^Fallback\s*Answered by local\/llama3\.2:3b instead of anthropic\/claude-fake-4-5 \(error at the provider\)\.$/);
    expect(await first.getByTestId('provenance').innerText()).toMatch(/this computer.*local · 127\.0\.0\.1 · llama3\.2:3b · \d+ tokens in/s);
    expect(chatRequests(anthropic)).toBe(4);

    // Three failures in a row: the route cools down, and the strip says so once the answer has ended.
    const cooling = strip.getByText(/^Anthropic \(claude-fake-4-5\): cooling down until \d{1,2}:\d{2}\s[AP]M \(error at the provider\)$/);
    await cooling.waitFor();
    await strip.getByText('Until then, the next model of its fallback chain answers in its place, if it has one.').waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'reliability-fallback.png');

    // While it cools down, nothing is sent to it: the fallback answers at once, and says why.
    ollama.respondWith({ kind: 'answer', chunks: ['Im', ' Sommer', ' sind', ' sie', ' wach.'] });
    await send(page, 'Und im Sommer?');
    const second = await lastAnswer(page, FAKE_MODELS.anthropic);
    await second.getByText('Im Sommer sind sie wach.').waitFor();
    expect(await second.getByTestId('fallback').innerText()).toMatch(/instead of anthropic\/claude-fake-4-5 \(cooling down after repeated failures\)\.$/);
    expect(chatRequests(anthropic)).toBe(4);

    // Check now asks every provider for its model list (free); a model that rests still rests.
    const listingsBefore = anthropic.requests.length;
    await strip.getByRole('button', { name: 'Check now' }).click();
    await strip.getByRole('button', { name: 'Check now' }).waitFor();
    await expect.poll(() => anthropic.requests.length).toBeGreaterThan(listingsBefore);
    expect(chatRequests(anthropic)).toBe(4);
    await cooling.waitFor();

    // German: the strip, the fallback lines, the time as a German clock reads it.
    expect(await updateSettings(page, { language: 'de' })).toBe(true);
    const streifen = page.getByRole('status', { name: 'Status der Anbieter' });
    await streifen.getByText(/^Anthropic \(claude-fake-4-5\): pausiert bis \d{2}:\d{2} \(Fehler beim Anbieter\)$/).waitFor();
    const answers = page.getByRole('article', { name: `Antwort von ${FAKE_MODELS.anthropic}` });
    expect(await answers.first().getByTestId('fallback').innerText()).toMatch(/^Ersatzmodell\s*Geantwortet hat local\/llama3\.2:3b statt anthropic\/claude-fake-4-5 \(Fehler beim Anbieter\)\.$/);
    expect(await answers.last().getByTestId('fallback').innerText()).toMatch(/statt anthropic\/claude-fake-4-5 \(pausiert nach wiederholten Fehlern\)\.$/);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'reliability-fallback-de.png');
    // Dark: the strip and the fallback badge keep their contrast.
    expect(await updateSettings(page, { theme: 'dark' })).toBe(true);
    await page.locator('html[data-theme="dark"]').waitFor({ state: 'attached' });
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'reliability-fallback-de-dark.png');
    expect(await updateSettings(page, { theme: 'light' })).toBe(true);

    // The way to the chains, from the strip: Settings → Reliability with the chain listed.
    await streifen.getByRole('button', { name: 'Ersatzmodelle öffnen' }).click();
    const panel = page.getByRole('group', { name: 'Zuverlässigkeit' });
    await panel.getByRole('list', { name: 'Ersatzmodelle' }).getByText(FAKE_MODELS.local).waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('settings-reliability');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshotReliability(page, 'reliability-settings-de.png');
  });

  it('an answer after two tries says so; Settings → Reliability: the time limits checked and saved, the chains edited a model per line', async () => {
    const { page, dataDir } = await openChat(FAKE_MODELS.local);
    // First, an answer whose first try broke off before any text: the footer says after how many tries (kept with the message).
    useFakes().ollama.respondWith({ kind: 'reset' }, { kind: 'answer', chunks: ['Beim', ' zweiten', ' Versuch.'] });
    await send(page, 'Hallo?');
    const answer = page.getByRole('article', { name: `Answer from ${FAKE_MODELS.local}` }).last();
    await answer.locator('[data-testid="provenance"]:has-text("tokens in")').waitFor();
    expect(await answer.getByTestId('provenance').innerText()).toMatch(/ · after 2 tries$/);
    expect(await answer.getByTestId('fallback').count()).toBe(0);
    await screenshot(page, 'reliability-after-tries.png');

    await page.getByRole('button', { name: 'Settings' }).click();
    const panel = page.getByRole('group', { name: 'Reliability' });
    await panel.scrollIntoViewIfNeeded();
    const firstWord = panel.getByLabel('Wait for the first word of an answer (seconds)');
    expect(await firstWord.inputValue()).toBe('120');
    await firstWord.fill('3');
    await panel.getByRole('button', { name: 'Save time limits' }).click();
    await panel.getByText('At least 5 seconds.').waitFor();
    expect(await firstWord.evaluate((element) => element === document.activeElement)).toBe(true);
    expect(await firstWord.getAttribute('aria-invalid')).toBe('true');

    // An empty editor to start a chain in, with a line that is not a model id.
    await panel.getByRole('button', { name: 'Add a fallback chain' }).click();
    const editor = panel.getByRole('form', { name: 'Edit fallback chains' });
    await editor.getByLabel('When this model or role cannot answer').fill('advanced');
    await editor.getByLabel(/^Ask instead/).fill('local/qwen2.5:7b\nLlama 3');
    await editor.getByRole('button', { name: 'Save chains' }).click();
    await editor.getByText('“Llama 3” is not a model id such as local/llama3.2:3b (provider/model).').waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshotReliability(page, 'reliability-settings.png');

    await editor.getByLabel(/^Ask instead/).fill('local/qwen2.5:7b\nlocal/llama3.2:3b');
    await editor.getByRole('button', { name: 'Save chains' }).click();
    await panel.getByText('Fallback chains saved.').waitFor();
    // The editor closes, and the focus goes back to the button that opened it.
    await expect.poll(() => panel.getByRole('button', { name: 'Edit fallback chains' }).evaluate((element) => element === document.activeElement)).toBe(true);
    await firstWord.fill('300');
    await panel.getByRole('button', { name: 'Save time limits' }).click();
    await panel.getByText('Time limits saved.').waitFor();
    const saved = JSON.parse(await fs.readFile(path.join(dataDir, 'settings.json'), 'utf8')) as { reliability: unknown; fallbacks: unknown };
    expect(saved.reliability).toEqual({ firstTokenTimeoutS: 300, idleTimeoutS: 60 });
    expect(saved.fallbacks).toEqual({ advanced: ['local/qwen2.5:7b', 'local/llama3.2:3b'] });
  });
});
