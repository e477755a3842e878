import fs from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { ConversationStore } from '../../electron/core/conversations/conversation-store';
import { openDatabase } from '../../electron/core/store/database';
import type { ProbeResults } from '../../electron/core/hardware/interpret-hardware';
import type { StoredMessage } from '../../shared/conversations';
import type { SettingsPatch } from '../../shared/settings';
import { createOllamaFake } from '../fakes/ollama-fake';
import { FAKE_MODELS, useProviderFakes } from '../support/provider-fakes';
import { longConversation, seedConversations } from '../support/seed-conversations';
import { writeSettings, writePolicyNamingBedrockFakeEu } from '../support/settings-file';
import { tempDir } from '../support/temp-dir';
import { seriousAccessibilityViolations } from './harness/axe';
import { launchApp, screenshotDir, type RunningApp } from './harness/launch-app';

const useFakes = useProviderFakes();
let app: RunningApp | undefined;
let ownOllama: ReturnType<typeof createOllamaFake> | undefined;

afterEach(async () => {
  await app?.close();
  await ownOllama?.close();
  app = undefined;
  ownOllama = undefined;
});

/** This machine as recorded: no GPU, 23.5 GiB of memory; the matrix's CPU tier. */
async function noGpu(): Promise<ProbeResults> {
  return JSON.parse(await fs.readFile(path.resolve(import.meta.dirname, '../fixtures/hardware/no-gpu-linux.json'), 'utf8')) as ProbeResults;
}

async function screenshot(page: Page, name: string): Promise<void> {
  await fs.mkdir(screenshotDir, { recursive: true });
  await page.screenshot({ path: path.join(screenshotDir, name) });
}

/** Opens the app past the first run, with `model` chosen, under `tier`. */
async function openChat(model: string, tier: 'dsgvo_local' | 'dsgvo_cloud' | 'non_dsgvo', options: { dataDir?: string; settings?: SettingsPatch; locale?: string } = {}) {
  const dataDir = options.dataDir ?? (await tempDir());
  await writeSettings(dataDir, { privacy: { tier }, chat: { firstRunCompleted: true, model }, ...options.settings });
  // The school vouches for the Bedrock fake's address as an EU server (it stands in for AWS in Frankfurt).
  const env = { ...useFakes().env, ATELIER_POLICY_FILE: await writePolicyNamingBedrockFakeEu(dataDir, useFakes().bedrock) };
  app = await launchApp(dataDir, { env, probe: noGpu, ...(options.locale && { locale: options.locale }) });
  await app.page.getByRole('textbox', { name: options.locale?.startsWith('de') ? 'Deine Nachricht' : 'Your message' }).waitFor();
  return { page: app.page, dataDir };
}

async function send(page: Page, text: string): Promise<void> {
  const composer = page.getByRole('textbox', { name: 'Your message' });
  await composer.fill(text);
  await composer.press('Enter');
}

/** What the database holds for a conversation, read as the app would after a restart. */
function storedMessages(dataDir: string): StoredMessage[] {
  const db = openDatabase(dataDir);
  try {
    const store = new ConversationStore(db);
    return store.listConversations().flatMap((conversation) => store.messages(conversation.id));
  } finally {
    db.close();
  }
}

describe('the chat', () => {
  it('first run: sees the computer, picks the tier, downloads the recommended model, and gets a first streamed answer', async () => {
    // An Ollama that has qwen2.5 but not the model recommended for this machine (llama3.2:3b).
    ownOllama = createOllamaFake({ models: ['qwen2.5:7b'], pullSteps: 8, pullStepMs: 60 });
    await ownOllama.start();
    const dataDir = await tempDir();
    app = await launchApp(dataDir, { env: { ...useFakes().env, OLLAMA_HOST: ownOllama.url }, probe: noGpu });
    const { page } = app;

    await page.getByRole('heading', { name: 'Welcome to Atelier' }).waitFor();
    await page.getByText(/No graphics card for AI models was found; models run on the processor with 23\.5 GB/).waitFor();
    await page.getByText('Recommended model for it: llama3.2:3b.').waitFor();
    await page.getByText(/^Ollama 0\.\d+\.\d+ is running/).waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'chat-first-run-computer.png');
    await page.getByRole('button', { name: 'Next' }).click();

    const tier = page.getByRole('group', { name: 'Where may your words go?' });
    expect(await tier.getByRole('radio', { name: /^Local only/ }).isChecked()).toBe(true);
    await screenshot(page, 'chat-first-run-tier.png');
    await tier.getByRole('button', { name: 'Next' }).click();

    await page.getByRole('heading', { name: 'Your first model' }).waitFor();
    await page.getByRole('button', { name: 'Download llama3.2:3b' }).click();
    await page.getByRole('progressbar', { name: 'Downloading llama3.2:3b' }).waitFor();
    await screenshot(page, 'chat-first-run-download.png');
    const use = page.getByRole('button', { name: 'Use llama3.2:3b' });
    await use.waitFor();
    expect(await use.getAttribute('aria-pressed')).toBe('true');
    expect(ownOllama.installed.has('llama3.2:3b')).toBe(true);
    await page.getByRole('button', { name: 'Start chatting' }).click();

    await page.getByRole('button', { name: /^Model: local\/llama3\.2:3b/ }).waitFor();
    // The chosen local model is loaded ahead of the first question.
    await expect.poll(() => ownOllama?.loaded.has('llama3.2:3b')).toBe(true);
    ownOllama.respondWith({ kind: 'answer', chunks: ['Igel', ' halten', ' **Winterschlaf**', ' von', ' November', ' bis', ' März.'], chunkDelayMs: 40 });
    await send(page, 'Was machen Igel im Winter?');
    const answer = page.getByRole('article', { name: 'Answer from local/llama3.2:3b' });
    await answer.getByText('Igel halten Winterschlaf von November bis März.').waitFor();
    expect(await answer.locator('strong').innerText()).toBe('Winterschlaf');
    const provenance = answer.getByTestId('provenance');
    await provenance.waitFor();
    expect(await provenance.innerText()).toMatch(/this computer.*Local only.*local · 127\.0\.0\.1 · llama3\.2:3b · \d+ tokens in, 7 out/s);
    await screenshot(page, 'chat-first-answer.png');

    const settings = JSON.parse(await fs.readFile(path.join(dataDir, 'settings.json'), 'utf8')) as { chat: unknown; privacy: { tier: string } };
    expect(settings.chat).toEqual({ model: 'local/llama3.2:3b', firstRunCompleted: true });
    expect(settings.privacy.tier).toBe('dsgvo_local');
    expect(storedMessages(dataDir).map((message) => [message.role, message.status])).toEqual([
      ['user', 'complete'],
      ['assistant', 'complete'],
    ]);
    expect(app.pageErrors).toEqual([]);
  });

  it('answers from Bedrock in the EU, with the provenance line under the answer', async () => {
    const { page } = await openChat(FAKE_MODELS.bedrock, 'dsgvo_cloud');
    await page.getByRole('button', { name: /Model: bedrock\/eu\.anthropic\.claude-haiku/ }).getByText('EU', { exact: true }).waitFor();
    await send(page, 'Fasse die DSGVO in einem Satz zusammen.');
    const answer = page.getByRole('article', { name: `Answer from ${FAKE_MODELS.bedrock}` });
    await answer.getByText('Hello from the fake!').waitFor();
    const provenance = answer.getByTestId('provenance');
    await provenance.waitFor();
    const line = await provenance.innerText();
    expect(line).toMatch(/^EU/);
    expect(line).toContain('under “Local and EU cloud (DSGVO)”');
    expect(line).toContain('bedrock · eu-central-1 · 127.0.0.1 · eu.anthropic.claude-haiku-4-5-20251001-v1:0');
    expect(line).toMatch(/\d+ tokens in, 5 out · \$0\.\d+ · first token after \d+\.\d s · \d+\.\d s in all/);
    expect(useFakes().bedrock.requests.at(-1)?.path).toContain('eu.anthropic.claude-haiku-4-5-20251001-v1');
    await screenshot(page, 'chat-bedrock-eu.png');
    expect(app?.pageErrors).toEqual([]);
  });

  it('stops mid-stream with Esc and keeps the partial answer, on screen and on disk', async () => {
    const { page, dataDir } = await openChat(FAKE_MODELS.local, 'dsgvo_local');
    const words = Array.from({ length: 300 }, (_, index) => ` Wort${index}`);
    useFakes().ollama.respondWith({ kind: 'answer', chunks: words, chunkDelayMs: 30 });
    await send(page, 'Erzähl eine lange Geschichte.');
    const answer = page.getByRole('article', { name: `Answer from ${FAKE_MODELS.local}` });
    await answer.getByText(/Wort5\b/).waitFor();
    await page.getByRole('button', { name: 'Stop (Esc)' }).waitFor();
    await page.keyboard.press('Escape');
    await answer.getByText('Stopped. The answer so far is kept.').waitFor();
    await page.getByRole('button', { name: 'Send' }).waitFor();

    const stored = storedMessages(dataDir).at(-1);
    expect(stored?.status).toBe('cancelled');
    const storedText = stored?.parts.map((part) => (part.type === 'text' ? part.text : '')).join('') ?? '';
    expect(storedText).toMatch(/^ Wort0 Wort1 Wort2 Wort3 Wort4 Wort5/);
    expect(storedText).not.toContain('Wort299');
    expect((await answer.locator('.message-body').innerText()).startsWith(storedText.trim())).toBe(true);
    await screenshot(page, 'chat-stopped.png');

    // Answer again replaces it with a full answer.
    useFakes().ollama.respondWith();
    await answer.getByRole('button', { name: 'Answer again' }).click();
    await page.getByRole('article', { name: `Answer from ${FAKE_MODELS.local}` }).getByText('Hello from the fake!').waitFor();
    await expect.poll(() => storedMessages(dataDir).map((message) => message.status)).toEqual(['complete', 'complete']);
    expect(app?.pageErrors).toEqual([]);
  });

  it('edits and resends a message; sends images only to a model that takes them', async () => {
    const { page, dataDir } = await openChat(FAKE_MODELS.local, 'dsgvo_local');
    const ollama = useFakes().ollama;
    ollama.installed.add('llava:7b');
    try {
      await send(page, 'Wie viel ist 2+2?');
      await page.getByRole('article', { name: `Answer from ${FAKE_MODELS.local}` }).getByText('Hello from the fake!').waitFor();

      await page.getByRole('article', { name: 'Your message' }).getByRole('button', { name: 'Edit' }).click();
      const composer = page.getByRole('textbox', { name: 'Your message' });
      expect(await composer.inputValue()).toBe('Wie viel ist 2+2?');
      await page.getByText('Editing a message: sending replaces it and everything after it.').waitFor();
      await composer.fill('Wie viel ist 3+3?');
      await page.getByRole('button', { name: 'Send edited message' }).click();
      await page.getByRole('article', { name: 'Your message' }).getByText('Wie viel ist 3+3?').waitFor();
      await expect.poll(() => storedMessages(dataDir).map((message) => [message.role, message.status])).toEqual([
        ['user', 'complete'],
        ['assistant', 'complete'],
      ]);
      const edited = JSON.parse(ollama.requests.at(-1)?.body ?? '{}') as { messages: { content: string }[] };
      expect(edited.messages.map((message) => message.content)).toEqual(['Wie viel ist 3+3?']);

      // A PNG for a model that reads no images: said before anything is sent.
      const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
      await page.locator('input[type="file"]').setInputFiles({ name: 'tafel.png', mimeType: 'image/png', buffer: png });
      await page.getByRole('alert').getByText('local/llama3.2:3b does not take images.', { exact: false }).waitFor();
      expect(await page.getByRole('button', { name: 'Send', exact: true }).isDisabled()).toBe(true);
      await screenshot(page, 'chat-image-refused.png');

      await page.getByRole('button', { name: /^Model: local\/llama3\.2:3b/ }).click();
      await page.getByRole('combobox', { name: 'Filter models' }).fill('llava');
      await page.getByRole('combobox', { name: 'Filter models' }).press('Enter');
      await page.getByRole('button', { name: /^Model: local\/llava:7b/ }).waitFor();
      await composer.fill('Was steht an der Tafel?');
      await composer.press('Enter');
      await page.getByRole('article', { name: 'Answer from local/llava:7b' }).getByText('Hello from the fake!').waitFor();
      const withImage = JSON.parse(ollama.requests.at(-1)?.body ?? '{}') as { model: string; messages: { content: string; images?: string[] }[] };
      expect(withImage.model).toBe('llava:7b');
      expect(withImage.messages.at(-1)).toMatchObject({ content: 'Was steht an der Tafel?', images: [png.toString('base64')] });
      expect(app?.pageErrors).toEqual([]);
    } finally {
      ollama.installed.delete('llava:7b');
    }
  });

  it('refuses a cloud model under "Local only", explains why, and leads to the privacy setting', async () => {
    const { page } = await openChat(FAKE_MODELS.openai, 'dsgvo_local');
    const before = useFakes().openai.requests.length;

    await page.getByRole('button', { name: /^Model: openai\/gpt-fake-mini/ }).click();
    const option = page.getByRole('option', { name: /^openai\/gpt-5-mini/ });
    expect(await option.getAttribute('aria-disabled')).toBe('true');
    expect(await option.innerText()).toMatch(/outside the EU[\s\S]*“Local only \(DSGVO\)” does not allow sending to OpenAI/);
    expect(await option.innerText()).not.toContain('Nothing was sent');
    expect(await page.getByRole('option', { name: /^llama3\.2:3b|local\/llama3\.2:3b/ }).first().getAttribute('aria-disabled')).toBe('false');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'chat-picker.png');
    await page.keyboard.press('Escape');

    await send(page, 'Hallo?');
    const refusal = page.getByRole('alert').filter({ hasText: 'Local only' });
    await refusal.waitFor();
    expect(await refusal.innerText()).toMatch(/OpenAI/);
    await screenshot(page, 'chat-refused.png');
    expect(useFakes().openai.requests.length).toBe(before);

    await page.getByRole('button', { name: 'Open the privacy settings' }).click();
    const privacy = page.getByRole('radiogroup', { name: 'Privacy: where your words may go' });
    await privacy.waitFor();
    expect(await privacy.getByRole('radio', { name: /^Local only/ }).isChecked()).toBe(true);
    expect(app?.pageErrors).toEqual([]);
  });

  it('search finds an old message and opens its conversation at that message', async () => {
    const dataDir = await tempDir();
    seedConversations(dataDir, [
      {
        title: 'Igel',
        messages: [
          { role: 'user', text: 'Wann halten Igel Winterschlaf?' },
          { role: 'assistant', text: 'Von etwa **November bis März**, je nach Wetter.' },
        ],
      },
      { title: 'Bruchrechnung', messages: longConversation(60).concat([{ role: 'user', text: 'Wie kürzt man 12/16?' }]) },
      { title: 'Gedicht', messages: [{ role: 'user', text: 'Ein Gedicht über den Herbst, bitte.' }] },
    ]);
    const { page } = await openChat(FAKE_MODELS.local, 'dsgvo_local', { dataDir });
    const conversations = page.getByRole('navigation', { name: 'Conversations' });
    await conversations.getByRole('button', { name: 'Igel', exact: true }).waitFor();

    await conversations.getByRole('searchbox', { name: 'Search all messages' }).fill('kürzt');
    const results = conversations.getByRole('list', { name: 'Search results' });
    const hit = results.getByRole('button', { name: /Bruchrechnung/ });
    await hit.waitFor();
    expect(await hit.locator('mark').innerText()).toBe('kürzt');
    await screenshot(page, 'chat-search.png');
    await hit.click();
    const highlighted = page.locator('.message-highlighted');
    await highlighted.waitFor();
    expect(await highlighted.innerText()).toContain('Wie kürzt man 12/16?');
    await page.getByRole('heading', { name: 'Bruchrechnung' }).waitFor();

    // Searching without accents finds words with them; nothing found says so.
    await conversations.getByRole('searchbox', { name: 'Search all messages' }).fill('marz');
    await results.getByRole('button', { name: /Igel/ }).waitFor();
    await conversations.getByRole('searchbox', { name: 'Search all messages' }).fill('Quantenphysik');
    await results.getByText('Nothing found.').waitFor();
    expect(app?.pageErrors).toEqual([]);
  });

  it('shows an answer cut off by a crash as interrupted after the restart, with the text so far', async () => {
    const dataDir = await tempDir();
    seedConversations(dataDir, [
      {
        title: 'Absturz',
        messages: [
          { role: 'user', text: 'Erkläre den Wasserkreislauf.' },
          { role: 'assistant', text: 'Wasser verdunstet über dem Meer, steigt auf und', status: 'streaming' },
        ],
      },
    ]);
    const { page } = await openChat(FAKE_MODELS.local, 'dsgvo_local', { dataDir });
    await page.getByRole('navigation', { name: 'Conversations' }).getByRole('button', { name: 'Absturz', exact: true }).click();
    const answer = page.getByRole('article', { name: `Answer from ${FAKE_MODELS.local}` });
    await answer.getByText('Wasser verdunstet über dem Meer, steigt auf und').waitFor();
    await answer.getByText('Interrupted: Atelier closed while this answer was arriving. The text so far is kept.').waitFor();
    await page.getByRole('article', { name: 'Your message' }).getByText('Erkläre den Wasserkreislauf.').waitFor();
    expect(storedMessages(dataDir).map((message) => message.status)).toEqual(['complete', 'interrupted']);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'chat-interrupted.png');
    expect(app?.pageErrors).toEqual([]);
  });

  it('speaks German where the system does', async () => {
    const dataDir = await tempDir();
    seedConversations(dataDir, [
      {
        title: 'Igel',
        messages: [
          { role: 'user', text: 'Wann halten Igel Winterschlaf?' },
          { role: 'assistant', text: 'Von etwa **November bis März**.' },
        ],
      },
    ]);
    const { page } = await openChat(FAKE_MODELS.local, 'dsgvo_local', { dataDir, locale: 'de-DE' });
    const conversations = page.getByRole('navigation', { name: 'Gespräche' });
    await conversations.getByRole('searchbox', { name: 'Alle Nachrichten durchsuchen' }).waitFor();
    await conversations.getByRole('button', { name: 'Igel', exact: true }).click();
    const provenance = page.getByRole('article', { name: `Antwort von ${FAKE_MODELS.local}` }).getByTestId('provenance');
    expect(await provenance.innerText()).toMatch(/dieser Computer\s+geprüft unter „Nur lokal \(DSGVO\)“/);
    await page.getByRole('button', { name: 'Senden' }).waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'chat-de.png');
    expect(app?.pageErrors).toEqual([]);
  });

  it('keeps a conversation of 1,000 messages light: only what is in view is in the page', async () => {
    const dataDir = await tempDir();
    seedConversations(dataDir, [{ title: 'Python-Sortieren', messages: longConversation(1000) }]);
    const { page } = await openChat(FAKE_MODELS.local, 'dsgvo_local', { dataDir, settings: { theme: 'dark' } });
    await page.getByRole('navigation', { name: 'Conversations' }).getByRole('button', { name: 'Python-Sortieren', exact: true }).click();
    await page.getByText('Antwort 500:', { exact: false }).waitFor();
    const rendered = await page.locator('article.message').count();
    expect(rendered).toBeGreaterThan(0);
    expect(rendered).toBeLessThan(40);
    // Code in answers is highlighted, and has its copy button (the Markdown renderer is a chunk
    // the chat view fetches when it opens: waited for, not assumed).
    const highlighted = page.locator('pre code.hljs .hljs-built_in, pre code.hljs .hljs-keyword');
    await highlighted.first().waitFor();
    expect(await highlighted.count()).toBeGreaterThan(0);
    expect(await page.getByRole('button', { name: 'Copy', exact: true }).count()).toBeGreaterThan(0);

    await send(page, 'Und absteigend?');
    const last = page.getByRole('article', { name: `Answer from ${FAKE_MODELS.local}` }).last();
    await last.getByText('Hello from the fake!').waitFor();
    expect(await page.locator('article.message').count()).toBeLessThan(40);
    // 1,000 messages do not fit llama3.2:3b at num_ctx 8,192: only the newest went, and the answer says so.
    const sent = JSON.parse(useFakes().ollama.requests.filter((request) => request.path === '/api/chat').at(-1)?.body ?? '{}') as { messages: { content: string }[] };
    expect(sent.messages.length).toBeLessThan(1001);
    expect(sent.messages.at(-1)?.content).toBe('Und absteigend?');
    await expect.poll(() => last.getByTestId('omitted').textContent()).toBe(`${1001 - sent.messages.length} earlier messages were not sent, so the conversation fits this model (context: 8,192 tokens).`);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'chat-long-dark.png');
    expect(app?.pageErrors).toEqual([]);
  });
});
