import fs from 'node:fs/promises';
import path from 'node:path';
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
afterEach(async () => {
  await app?.close();
  app = undefined;
});

const OTHER_LOCAL = 'local/qwen2.5:7b';
const PHYSICS_PROMPT = 'Du erklärst Physik für die 8. Klasse.\nFrag erst nach, was die Schülerin schon weiß.';
const SCHOOL_PROMPT = 'Du bist der Mathe-Tutor der 7b. Verrate nie die Lösung.';

/** This machine as recorded: no GPU; the hardware probe is not what these tests are about. */
async function noGpu(): Promise<ProbeResults> {
  return JSON.parse(await fs.readFile(path.resolve(import.meta.dirname, '../fixtures/hardware/no-gpu-linux.json'), 'utf8')) as ProbeResults;
}

/** The school's policy file: two assistants, and `extra` keys (such as assistantsOnly). */
async function schoolPolicy(extra: Record<string, unknown> = {}): Promise<string> {
  const file = path.join(await tempDir(), 'policy.json');
  await fs.writeFile(
    file,
    JSON.stringify({
      assistants: {
        'mathe-tutor': { name: 'Mathe-Tutor', description: 'Erklärt, verrät nie die Lösung', systemPrompt: SCHOOL_PROMPT, model: FAKE_MODELS.local, temperature: 0.1 },
        'english-partner': { name: 'English conversation partner', systemPrompt: 'You talk with students of class 7b in English.' },
      },
      ...extra,
    }),
  );
  return file;
}

/** Opens the app past the first run with a model on this computer chosen (the Ollama fake answers). */
async function openChat(options: { env?: Record<string, string> } = {}) {
  const dataDir = await tempDir();
  await writeSettings(dataDir, { privacy: { tier: 'dsgvo_local' }, chat: { firstRunCompleted: true, model: FAKE_MODELS.local } });
  app = await launchApp(dataDir, { env: { ...useFakes().env, ...options.env }, probe: noGpu });
  await app.page.getByRole('textbox', { name: 'Your message' }).waitFor();
  return { page: app.page, dataDir };
}

async function send(page: Page, text: string): Promise<void> {
  const composer = page.getByRole('textbox', { name: /^(Your message|Deine Nachricht)$/ });
  await composer.fill(text);
  await composer.press('Enter');
}

/** The last answer from `model`, once it has ended with text (its footer has the token counts). */
async function lastAnswer(page: Page, model: string): Promise<Locator> {
  const answer = page.getByRole('article', { name: `Answer from ${model}` }).last();
  await answer.locator('[data-testid="provenance"]:has-text("tokens in")').waitFor({ timeout: 20_000 });
  return answer;
}

interface OllamaChat {
  model: string;
  messages: { role: string; content: string }[];
  options?: { temperature?: number };
}

/** The chats the Ollama fake received, oldest first. */
const ollamaChats = (): OllamaChat[] => useFakes().ollama.requests.filter((request) => request.path === '/api/chat').map((request) => JSON.parse(request.body) as OllamaChat);

/** Changes settings as the Settings view would (and the CLI may, while the app runs). */
const updateSettings = (page: Page, patch: SettingsPatch) => page.evaluate((change) => window.atelier.invoke('settings:update', change).then((result) => result.ok), patch);

async function screenshot(page: Page, name: string): Promise<void> {
  await fs.mkdir(screenshotDir, { recursive: true });
  await page.screenshot({ path: path.join(screenshotDir, name) });
}

/** The whole view, which scrolls inside the window: a window tall enough to hold it. */
async function screenshotWholeView(page: Page, name: string): Promise<void> {
  const height = await page.evaluate(() => Math.ceil(document.querySelector('.content')?.scrollHeight ?? 720) + 60);
  await page.setViewportSize({ width: 1100, height });
  await screenshot(page, name);
  await page.setViewportSize({ width: 1100, height: 720 });
}

async function expectAccessible(page: Page): Promise<void> {
  expect(await seriousAccessibilityViolations(page)).toEqual([]);
}

describe('assistants in the app', () => {
  it('creates one (each problem next to its field), starts a chat with it and the model gets its instructions; edits, duplicates, deletes; English and German, light and dark', async () => {
    const { page } = await openChat();
    const nav = page.getByRole('navigation', { name: 'Main navigation' });
    await nav.getByRole('button', { name: 'Assistants' }).click();
    const view = page.getByRole('region', { name: 'Assistants' });
    // The built-in ones, read-only: no Edit or Delete, a Duplicate.
    const builtIn = view.getByRole('region', { name: 'Built into Atelier' });
    await builtIn.getByRole('article').first().waitFor();
    expect(await builtIn.getByRole('article').count()).toBe(4);
    const tutor = builtIn.getByRole('article').first();
    expect(await tutor.getByRole('button', { name: 'Edit' }).count()).toBe(0);
    expect(await tutor.getByRole('button', { name: 'Delete' }).count()).toBe(0);
    await tutor.getByRole('button', { name: 'Duplicate' }).waitFor();
    await view.getByRole('region', { name: 'Your own' }).getByText(/^None of your own yet\. Make one with “New assistant”, or duplicate a built-in one below/).waitFor();

    // A new one: nothing typed, then a temperature out of range: each problem next to its field.
    await view.getByRole('button', { name: 'New assistant' }).click();
    const form = view.getByRole('region', { name: 'New assistant' });
    await expect.poll(() => page.evaluate(() => document.activeElement?.tagName)).toBe('INPUT');
    await form.getByRole('button', { name: 'Create assistant' }).click();
    await form.getByText('An assistant needs a name.').waitFor();
    await form.getByText('An assistant needs instructions: what should the model do?').waitFor();
    expect(await form.getByLabel('Name', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    expect(await form.getByLabel('Instructions', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    await form.getByLabel('Name', { exact: true }).fill('Physik 8b');
    await form.getByLabel('Description', { exact: true }).fill('Erklärt Physik mit Fragen zurück');
    await form.getByLabel('Instructions', { exact: true }).fill(PHYSICS_PROMPT);
    await form.getByLabel('Preferred model or role').selectOption(OTHER_LOCAL);
    await form.getByLabel('Temperature', { exact: true }).fill('3');
    await form.getByLabel('Opening message', { exact: true }).fill('Hallo! Was möchtest du über Physik wissen?');
    await form.getByRole('button', { name: 'Create assistant' }).click();
    await form.getByText('Enter a number from 0 to 2, such as 0.7, or leave the field empty.').waitFor();
    expect(await form.getByText('An assistant needs a name.').count()).toBe(0);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-invalid'))).toBe('true');
    await expectAccessible(page);
    await screenshotWholeView(page, 'assistants-form-errors.png');
    await form.getByLabel('Temperature', { exact: true }).fill('0.4');
    await form.getByRole('button', { name: 'Create assistant' }).click();
    await view.getByRole('status').getByText('Created “Physik 8b”.').waitFor();
    const own = view.getByRole('region', { name: 'Your own' });
    const physics = own.getByRole('article', { name: 'Physik 8b' });
    await physics.getByText('Erklärt Physik mit Fragen zurück').waitFor();
    expect(await physics.locator('dl').innerText()).toMatch(/Model\s+local\/qwen2\.5:7b\s+Temperature\s+0\.4\s+Opening message\s+Hallo!/);
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('assistant-physik-8b');
    await expectAccessible(page);
    await screenshotWholeView(page, 'assistants-en-light.png');

    // Start a chat with it: its model is chosen, its opening message shown, its name in the header.
    await physics.getByRole('button', { name: 'Start a chat' }).click();
    await page.getByRole('button', { name: new RegExp(`^Model: ${OTHER_LOCAL.replace('.', '\\.')}`) }).waitFor();
    expect(await page.getByLabel('Assistant', { exact: true }).inputValue()).toBe('physik-8b');
    await page.getByRole('article', { name: 'Opening message from Physik 8b' }).getByText('Hallo! Was möchtest du über Physik wissen?').waitFor();
    await page.locator('.chat-header').getByText('With the assistant Physik 8b').waitFor();
    await expectAccessible(page);
    await screenshot(page, 'assistants-chat-picked.png');

    const chatsBefore = ollamaChats().length;
    await send(page, 'Warum ist der Himmel blau?');
    await lastAnswer(page, OTHER_LOCAL);
    const chat = ollamaChats().slice(chatsBefore);
    expect(chat).toHaveLength(1);
    expect(chat[0]?.model).toBe('qwen2.5:7b');
    // Its instructions as the system prompt, its temperature; the opening message is not sent.
    expect(chat[0]?.messages).toEqual([
      { role: 'system', content: PHYSICS_PROMPT },
      { role: 'user', content: 'Warum ist der Himmel blau?' },
    ]);
    expect(chat[0]?.options?.temperature).toBe(0.4);
    // The conversation as saved: the opening message, the question, the answer.
    const messages = page.getByRole('region', { name: 'Messages' }).getByRole('article');
    expect(await messages.evaluateAll((articles) => articles.map((article) => article.getAttribute('aria-label')))).toEqual([
      'Opening message from Physik 8b',
      'Your message',
      `Answer from ${OTHER_LOCAL}`,
    ]);
    await page.locator('.chat-header').getByText('With the assistant Physik 8b').waitFor();
    // The next message in it: the assistant again, without picking it.
    await send(page, 'Und abends?');
    await expect.poll(() => ollamaChats().length).toBe(chatsBefore + 2);
    expect(ollamaChats().at(-1)?.messages[0]).toEqual({ role: 'system', content: PHYSICS_PROMPT });
    await lastAnswer(page, OTHER_LOCAL);
    await screenshot(page, 'assistants-chat-en-light.png');

    // A new conversation starts without it; the picker offers every assistant.
    await page.getByRole('button', { name: 'New conversation' }).click();
    expect(await page.getByLabel('Assistant', { exact: true }).inputValue()).toBe('');
    expect(await page.locator('.chat-header').getByText(/With the assistant/).count()).toBe(0);

    // Edit it; duplicate a built-in one (the copy opens in the form); delete the copy after confirming.
    await nav.getByRole('button', { name: 'Assistants' }).click();
    await own.getByRole('article', { name: 'Physik 8b' }).getByRole('button', { name: 'Edit' }).click();
    const editForm = view.getByRole('region', { name: 'Edit “Physik 8b”' });
    expect(await editForm.getByLabel('Instructions', { exact: true }).inputValue()).toBe(PHYSICS_PROMPT);
    await editForm.getByLabel('Name', { exact: true }).fill('Physik 8a');
    await editForm.getByLabel('Temperature', { exact: true }).fill('');
    await editForm.getByRole('button', { name: 'Save changes' }).click();
    await view.getByRole('status').getByText('Saved “Physik 8a”.').waitFor();
    expect(await own.getByRole('article', { name: 'Physik 8a' }).locator('dl').innerText()).toMatch(/Temperature\s+the provider’s default/);

    const tutorName = await tutor.getByRole('heading').innerText();
    await tutor.getByRole('button', { name: 'Duplicate' }).click();
    const copyForm = view.getByRole('region', { name: `Edit “${tutorName} (copy)”` });
    await copyForm.waitFor();
    await view.getByRole('status').getByText(`Made a copy: “${tutorName} (copy)”. You can change it now.`).waitFor();
    await copyForm.getByRole('button', { name: 'Cancel' }).click();
    const copy = own.getByRole('article', { name: `${tutorName} (copy)` });
    await copy.getByRole('button', { name: 'Delete' }).click();
    const confirm = copy.getByRole('group', { name: `Delete “${tutorName} (copy)”?` });
    // The focus goes to the safe choice.
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Keep it');
    await expectAccessible(page);
    await screenshot(page, 'assistants-confirm-delete.png');
    await confirm.getByRole('button', { name: 'Yes, delete' }).click();
    await view.getByRole('status').getByText(`Deleted “${tutorName} (copy)”.`).waitFor();
    expect(await own.getByRole('article').count()).toBe(1);

    // Dark, then German: the built-in ones in German too.
    expect(await updateSettings(page, { theme: 'dark' })).toBe(true);
    await page.locator('html[data-theme="dark"]').waitFor({ state: 'attached' });
    await expectAccessible(page);
    await screenshotWholeView(page, 'assistants-en-dark.png');
    expect(await updateSettings(page, { language: 'de' })).toBe(true);
    const ansicht = page.getByRole('region', { name: 'Assistenten' });
    await ansicht.getByRole('region', { name: 'In Atelier eingebaut' }).getByRole('heading', { name: 'Einfach erklärt' }).waitFor();
    await ansicht.getByRole('region', { name: 'Deine eigenen' }).getByRole('article', { name: 'Physik 8a' }).getByRole('button', { name: 'Chat beginnen' }).waitFor();
    await expectAccessible(page);
    await screenshotWholeView(page, 'assistants-de-dark.png');
    expect(await updateSettings(page, { theme: 'light' })).toBe(true);
    await page.locator('html[data-theme="light"]').waitFor({ state: 'attached' });
    await ansicht.getByRole('button', { name: 'Neuer Assistent' }).click();
    await ansicht.getByRole('button', { name: 'Assistent anlegen' }).click();
    await ansicht.getByText('Ein Assistent braucht einen Namen.').waitFor();
    await expectAccessible(page);
    await screenshotWholeView(page, 'assistants-de-light.png');

    // The chat in German: the picker with the groups, an assistant picked there.
    await page.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('button', { name: 'Chat' }).click();
    await page.getByLabel('Assistent', { exact: true }).selectOption({ label: 'Physik 8a' });
    await page.getByRole('article', { name: 'Eröffnungsnachricht von Physik 8a' }).waitFor();
    await page.locator('.chat-header').getByText('Mit dem Assistenten Physik 8a').waitFor();
    await expectAccessible(page);
    await screenshot(page, 'assistants-chat-de-light.png');
    expect(await updateSettings(page, { theme: 'dark' })).toBe(true);
    await page.locator('html[data-theme="dark"]').waitFor({ state: 'attached' });
    await expectAccessible(page);
    await screenshot(page, 'assistants-chat-de-dark.png');
    expect(app?.pageErrors).toEqual([]);
    expect(app?.main.internalErrors).toEqual([]);
  });

  it('the school’s assistants are read-only and “from your school”; where the school allows only them, a new chat must pick one', async () => {
    const { page } = await openChat({ env: { ATELIER_POLICY_FILE: await schoolPolicy({ assistantsOnly: true }) } });

    // No free chat: the picker offers the school's assistants only, and the composer says why it cannot send.
    const picker = page.getByLabel('Assistant', { exact: true });
    await page.getByText('Your school allows chats only with its own assistants: pick one to start.').waitFor();
    expect(await picker.inputValue()).toBe('');
    expect(await picker.locator('option:not([disabled])').allInnerTexts()).toEqual(['Mathe-Tutor', 'English conversation partner']);
    await page.locator('.composer-note').getByText('Pick one of your school’s assistants above to start.').waitFor();
    const composer = page.getByRole('textbox', { name: 'Your message' });
    await composer.fill('Was ist 7·8?');
    expect(await page.getByRole('button', { name: 'Send' }).isDisabled()).toBe(true);
    const chatsBefore = ollamaChats().length;
    await composer.press('Enter');
    await page.waitForTimeout(300);
    expect(ollamaChats().length).toBe(chatsBefore);
    await expectAccessible(page);
    await screenshot(page, 'assistants-school-only.png');

    await picker.selectOption({ label: 'Mathe-Tutor' });
    await page.locator('.chat-header').getByText('With the assistant Mathe-Tutor').waitFor();
    await page.getByText('Erklärt, verrät nie die Lösung').waitFor();
    expect(await page.getByRole('button', { name: 'Send' }).isDisabled()).toBe(false);
    await composer.press('Enter');
    await lastAnswer(page, FAKE_MODELS.local);
    expect(ollamaChats().length).toBe(chatsBefore + 1);
    expect(ollamaChats().at(-1)?.messages[0]).toEqual({ role: 'system', content: SCHOOL_PROMPT });
    expect(ollamaChats().at(-1)?.options?.temperature).toBe(0.1);

    // The Assistants view: the school's first, marked, read-only (a copy can be made).
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('button', { name: 'Assistants' }).click();
    const view = page.getByRole('region', { name: 'Assistants' });
    await view.getByText('Your school allows chats only with its own assistants.').waitFor();
    const school = view.getByRole('region', { name: 'From your school' });
    const tutor = school.getByRole('article', { name: 'Mathe-Tutor' });
    await tutor.getByText('from your school', { exact: true }).waitFor();
    expect(await school.getByText('from your school', { exact: true }).count()).toBe(2);
    for (const name of ['Edit', 'Delete']) expect(await tutor.getByRole('button', { name }).count(), name).toBe(0);
    for (const name of ['Start a chat', 'Duplicate']) expect(await tutor.getByRole('button', { name }).isEnabled(), name).toBe(true);
    // Where only the school's assistants may chat, the others cannot start one: disabled, with the reason.
    const builtInStart = view.getByRole('region', { name: 'Built into Atelier' }).getByRole('button', { name: 'Start a chat' }).first();
    expect(await builtInStart.isDisabled()).toBe(true);
    expect(await builtInStart.evaluate((button) => button.getAttribute('aria-describedby')?.split(' ').map((id) => document.getElementById(id)?.textContent).at(-1))).toBe(
      'Your school allows chats only with its own assistants.',
    );
    await tutor.getByText('Show the instructions').click();
    await tutor.getByText(SCHOOL_PROMPT).waitFor();
    await expectAccessible(page);
    await screenshotWholeView(page, 'assistants-school.png');

    // "Start a chat" leads to a new conversation with it.
    await tutor.getByRole('button', { name: 'Start a chat' }).click();
    expect(await page.getByLabel('Assistant', { exact: true }).inputValue()).toBe('mathe-tutor');
    expect(await page.getByRole('button', { name: 'Send' }).isDisabled()).toBe(true); // nothing typed yet
    await page.locator('.composer-note').waitFor({ state: 'detached' });
    expect(app?.pageErrors).toEqual([]);
  });

  it('the classroom lock disables every change, saying why; starting a chat goes on', async () => {
    const { page } = await openChat();
    const added = await page.evaluate(() => window.atelier.invoke('assistants:add', { name: 'Freundlich', systemPrompt: 'Sei freundlich.' }).then((result) => result.ok));
    expect(added).toBe(true);
    expect(await page.evaluate(() => window.atelier.invoke('privacy:lock', { password: 'Tafel-Kreide-2026' }).then((result) => result.ok))).toBe(true);

    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('button', { name: 'Assistants' }).click();
    // The view in either language.
    const view = page.locator('.view-assistants');
    const reason = 'The class is locked: assistants can be added, changed or deleted once a teacher unlocks it (Settings → Privacy). Chatting with them goes on.';
    await view.getByText(reason).waitFor();
    const newButton = view.getByRole('button', { name: 'New assistant' });
    expect(await newButton.isDisabled()).toBe(true);
    expect(await newButton.evaluate((button) => document.getElementById(button.getAttribute('aria-describedby') ?? '')?.textContent)).toBe(reason);
    const own = view.getByRole('article', { name: 'Freundlich' });
    for (const name of ['Edit', 'Duplicate', 'Delete']) expect(await own.getByRole('button', { name }).isDisabled(), name).toBe(true);
    expect(await view.getByRole('region', { name: 'Built into Atelier' }).getByRole('button', { name: 'Duplicate' }).first().isDisabled()).toBe(true);
    expect(await own.getByRole('button', { name: 'Start a chat' }).isDisabled()).toBe(false);
    await expectAccessible(page);
    await screenshotWholeView(page, 'assistants-locked.png');

    expect(await updateSettings(page, { language: 'de' })).toBe(true);
    await view.getByText(/^Die Klasse ist gesperrt: Assistenten lassen sich erst anlegen, ändern oder löschen/).waitFor();
    expect(await view.getByRole('button', { name: 'Neuer Assistent' }).isDisabled()).toBe(true);
    await expectAccessible(page);
    await screenshotWholeView(page, 'assistants-locked-de.png');

    await own.getByRole('button', { name: 'Chat beginnen' }).click();
    await page.locator('.chat-header').getByText('Mit dem Assistenten Freundlich').waitFor();
    await send(page, 'Hallo!');
    await expect.poll(() => ollamaChats().at(-1)?.messages[0]?.content).toBe('Sei freundlich.');
    expect(app?.pageErrors).toEqual([]);
  });
});
