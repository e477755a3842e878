import fs from 'node:fs/promises';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import type { ProbeResults } from '../../electron/core/hardware/interpret-hardware';
import { openDatabase } from '../../electron/core/store/database';
import { BudgetLedger } from '../../electron/core/usage/budget-ledger';
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

/** This machine as recorded: no GPU; the hardware probe is not what these tests are about. */
async function noGpu(): Promise<ProbeResults> {
  return JSON.parse(await fs.readFile(path.resolve(import.meta.dirname, '../fixtures/hardware/no-gpu-linux.json'), 'utf8')) as ProbeResults;
}

/** Opens the app past the first run with `model` chosen, under "any provider". */
async function openChat(model: string, options: { settings?: SettingsPatch; env?: Record<string, string>; before?: (dataDir: string) => Promise<void> } = {}) {
  const dataDir = await tempDir();
  await writeSettings(dataDir, { privacy: { tier: 'non_dsgvo' }, chat: { firstRunCompleted: true, model }, ...options.settings });
  await options.before?.(dataDir);
  app = await launchApp(dataDir, { env: { ...useFakes().env, ...options.env }, probe: noGpu });
  await app.page.getByRole('textbox', { name: 'Your message' }).waitFor();
  return { page: app.page, dataDir };
}

async function send(page: Page, text: string): Promise<void> {
  const composer = page.getByRole('textbox', { name: 'Your message' });
  await composer.fill(text);
  await composer.press('Enter');
}

/** The last answer from `model`, once it has ended: its footer has the token counts, or its error is there. */
async function lastAnswer(page: Page, model: string): Promise<Locator> {
  const answer = page.getByRole('article', { name: `Answer from ${model}` }).last();
  await answer.locator('[data-testid="provenance"]:has-text("tokens in"), .answer-error').first().waitFor();
  return answer;
}

/** Asks through window.atelier, as the CLI or another window would, and waits for the end of the stream. */
const ask = ([model, prompt]: [string, string]) =>
  new Promise<string | null>((resolve) => {
    let streamId = '';
    window.atelier.on('chat:stream-part', (event) => {
      if (event.streamId === streamId && (event.part.type === 'finish' || event.part.type === 'error')) resolve(event.part.type === 'error' ? event.part.code : null);
    });
    void window.atelier.invoke('chat:start-stream', { model, messages: [{ role: 'user', content: prompt }] }).then((started) => {
      if (started.ok) streamId = started.value.streamId;
      else resolve(started.error.code);
    });
  });

/** Changes settings as the Settings view would (and the CLI may, while the app runs). */
const updateSettings = (page: Page, patch: SettingsPatch) => page.evaluate((change) => window.atelier.invoke('settings:update', change).then((result) => result.ok), patch);

/** What reached the OpenRouter fake carrying `prompt` (model listings of the picker carry none). */
const openRouterGot = (prompt: string) => useFakes().openrouter.requests.filter((request) => request.body.includes(prompt)).length;

async function screenshot(page: Page, name: string): Promise<void> {
  await fs.mkdir(screenshotDir, { recursive: true });
  await page.screenshot({ path: path.join(screenshotDir, name) });
}

/** The whole Usage view, which scrolls inside the window: a window tall enough to hold it. */
async function screenshotWholeView(page: Page, name: string): Promise<void> {
  const height = await page.evaluate(() => Math.ceil(document.querySelector('.content')?.scrollHeight ?? 720) + 60);
  await page.setViewportSize({ width: 1100, height });
  await screenshot(page, name);
  await page.setViewportSize({ width: 1100, height: 720 });
}

/** How many of a canvas's pixels are painted: 0 when Chart.js did not draw (a CSP refusal, a failed chunk). */
const paintedPixels = (canvas: Locator) =>
  canvas.evaluate((element) => {
    const { width, height } = element as HTMLCanvasElement;
    const data = (element as HTMLCanvasElement).getContext('2d')?.getImageData(0, 0, width, height).data ?? [];
    let painted = 0;
    for (let i = 3; i < data.length; i += 4) if ((data[i] ?? 0) > 0) painted++;
    return painted;
  });

/** The RGBA of the first painted pixel in the middle row of a bar chart's first bar column, roughly: the bar colour. */
const barColour = (canvas: Locator) =>
  canvas.evaluate((element) => {
    const canvasElement = element as HTMLCanvasElement;
    const context = canvasElement.getContext('2d');
    if (!context) return null;
    const { data, width, height } = context.getImageData(0, 0, canvasElement.width, canvasElement.height);
    const counts = new Map<string, number>();
    for (let y = 0; y < height; y += 2) {
      for (let x = 0; x < width; x += 2) {
        const i = (y * width + x) * 4;
        if ((data[i + 3] ?? 0) < 255) continue;
        const key = `${data[i]},${data[i + 1]},${data[i + 2]}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
    }
    return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
  });

describe('costs in the app', () => {
  it('shows each answer’s cost, and the Usage view’s charts and tables, in English and German, light and dark', async () => {
    const { page } = await openChat(FAKE_MODELS.openrouter);

    // Under each answer: the cost beside the tokens (OpenRouter's own figure), or "cost unknown".
    await send(page, 'Was kostet eine Antwort?');
    const priced = await lastAnswer(page, FAKE_MODELS.openrouter);
    expect(await priced.getByTestId('provenance').innerText()).toMatch(/\d+ tokens in, \d+ out · \$0\.00042 · first token/);
    expect(await updateSettings(page, { chat: { model: FAKE_MODELS.anthropic } })).toBe(true);
    await page.getByRole('button', { name: new RegExp(`^Model: ${FAKE_MODELS.anthropic}`) }).waitFor();
    await send(page, 'Und ohne Preis?');
    const unpriced = await lastAnswer(page, FAKE_MODELS.anthropic);
    expect(await unpriced.getByTestId('provenance').innerText()).toMatch(/\d+ tokens in, \d+ out · cost unknown · first token/);
    await screenshot(page, 'usage-answer-costs.png');

    // More answers, as another window or the CLI would ask: priced, on this computer ($0), priced.
    for (const model of ['anthropic/claude-sonnet-4-6', FAKE_MODELS.local, 'openai/gpt-4o-mini']) {
      expect(await page.evaluate(ask, [model, 'Noch eine Frage'] as [string, string])).toBeNull();
    }

    await page.getByRole('button', { name: 'Usage' }).click();
    const spending = page.getByRole('region', { name: 'Costs and tokens' });
    await spending.getByText(/^Spent on answers from .+ to .+: \$0\.\d+\. 1 answer is not in these sums: Atelier knows no price for its model, so its cost is unknown\.$/).waitFor();

    // Four charts, each an image named by what it shows, each drawn (Chart.js under the app's CSP).
    const charts = spending.getByRole('img');
    await expect.poll(() => charts.count()).toBe(4);
    const names = await charts.evaluateAll((canvases) => canvases.map((canvas) => canvas.getAttribute('aria-label') ?? ''));
    expect(names[0]).toMatch(/^Bar chart of the cost per day from .+ to .+: \$0\.\d+ in all, the most on .+ \(\$0\.\d+\)\.$/);
    expect(names[1]).toMatch(/^Bar chart of the cost by provider: .+\.$/);
    for (const provider of ['openrouter: $0.00042', 'local: $0.00', 'anthropic: $0.0', 'openai: $0.0']) expect(names[1]).toContain(provider);
    expect(names[2]).toContain('anthropic/claude-fake-4-5: unknown');
    expect(names[2]).toContain('openrouter/anthropic/claude-sonnet-4.5: $0.00042');
    expect(names[3]).toMatch(/^Bar chart of the tokens per day from .+: \d+ in and \d+ out in all, the most on .+\.$/);
    for (const canvas of await charts.all()) expect(await paintedPixels(canvas)).toBeGreaterThan(500);

    // The same numbers as tables: the days with answers (today), and each model.
    const days = spending.getByRole('table', { name: /^Cost and tokens on the days with answers, from / });
    expect(await days.locator('tbody tr').allInnerTexts()).toEqual([expect.stringMatching(/^.+\t\$0\.\d+ \+ 1 unknown\t\d+\t\d+$/)]);
    expect(await days.locator('tfoot tr').innerText()).toMatch(/^In all\t\$0\.\d+ \+ 1 unknown\t\d+\t\d+$/);
    const models = spending.getByRole('table', { name: 'Cost by model' });
    expect(await models.getByRole('row', { name: /^anthropic\/claude-fake-4-5/ }).innerText()).toBe('anthropic/claude-fake-4-5\tunknown');
    expect(await models.getByRole('row', { name: /^local\/llama3\.2:3b/ }).innerText()).toBe('local/llama3.2:3b\t$0.00');

    // The egress record has a cost column: the amount, or "unknown", never $0 for unknown.
    const record = page.getByRole('table', { name: 'Where your words went' });
    const answers = (await record.locator('tbody tr').allInnerTexts()).filter((row) => row.split('\t')[1] === 'chat');
    expect(answers).toEqual([
      expect.stringMatching(/\topenai\/gpt-4o-mini\t\d+ \/ \d+\t\$0\.0\d+$/),
      expect.stringMatching(/\tlocal\/llama3\.2:3b\t\d+ \/ \d+\t\$0\.00$/),
      expect.stringMatching(/\tanthropic\/claude-sonnet-4-6\t\d+ \/ \d+\t\$0\.0\d+$/),
      expect.stringMatching(/\tanthropic\/claude-fake-4-5\t\d+ \/ \d+\tunknown$/),
      expect.stringMatching(/\topenrouter\/anthropic\/claude-sonnet-4\.5\t\d+ \/ \d+\t\$0\.00042$/),
    ]);

    const download = page.waitForEvent('download');
    await spending.getByRole('button', { name: 'Export costs as CSV' }).click();
    const csv = (await fs.readFile((await (await download).path()) ?? '', 'utf8')).split('\r\n').filter(Boolean);
    expect(csv[0]).toBe('day,usd,inputTokens,outputTokens');
    expect(csv).toHaveLength(31);

    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshotWholeView(page, 'usage-en-light.png');

    // Dark: the charts draw again in the dark theme's colours.
    const lightBars = await barColour(charts.first());
    expect(await updateSettings(page, { theme: 'dark' })).toBe(true);
    await page.locator('html[data-theme="dark"]').waitFor({ state: 'attached' });
    await expect.poll(() => barColour(charts.first())).not.toBe(lightBars);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshotWholeView(page, 'usage-en-dark.png');

    // German: the words, the dates and the amounts (0,00042 $).
    expect(await updateSettings(page, { language: 'de' })).toBe(true);
    const ausgaben = page.getByRole('region', { name: 'Kosten und Tokens' });
    await ausgaben.getByText(/^Ausgegeben für Antworten vom .+ bis .+: 0,\d+\u00a0\$\. 1 Antwort fehlt in diesen Summen/).waitFor();
    const germanNames = await ausgaben.getByRole('img').evaluateAll((canvases) => canvases.map((canvas) => canvas.getAttribute('aria-label') ?? ''));
    expect(germanNames[0]).toMatch(/^Balkendiagramm der Kosten pro Tag vom \d+\. \p{L}+ \d{4} bis \d+\. \p{L}+ \d{4}: insgesamt 0,\d+\u00a0\$/u);
    expect(germanNames[2]).toContain('anthropic/claude-fake-4-5: unbekannt');
    expect(germanNames[2]).toContain('openrouter/anthropic/claude-sonnet-4.5: 0,00042\u00a0$');
    await ausgaben.getByRole('table', { name: /^Kosten und Tokens an den Tagen mit Antworten, vom / }).waitFor();
    await page.getByRole('region', { name: 'Budget für die Cloud-Nutzung' }).getByLabel('Tageslimit (US-Dollar)').waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshotWholeView(page, 'usage-de-dark.png');
    expect(await updateSettings(page, { theme: 'light' })).toBe(true);
    await page.locator('html[data-theme="light"]').waitFor({ state: 'attached' });
    await expect.poll(() => barColour(ausgaben.getByRole('img').first())).toBe(lightBars);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshotWholeView(page, 'usage-de-light.png');
    expect(app?.pageErrors).toEqual([]);
  });
});

describe('the budget in the app', () => {
  /** $0.7999 spent today before the app starts (by the CLI, say): in the ledger every process shares. */
  const spentEarlierToday = (usd: number) => async (dataDir: string) => {
    const db = openDatabase(dataDir);
    try {
      const ledger = new BudgetLedger(db);
      const held = ledger.reserve({ provider: 'openrouter', modelId: 'anthropic/claude-sonnet-4.5', worstCaseUsd: usd }, { dailyUsd: null, monthlyUsd: null });
      if (!held.ok) throw new Error('the reservation was refused');
      ledger.settle(held.id, usd);
    } finally {
      db.close();
    }
  };

  it('warns at 80 % once an answer ends, leads to the budget, and refuses a request over it in place, with nothing sent', async () => {
    const { page, dataDir } = await openChat(FAKE_MODELS.openrouter, { settings: { budget: { dailyUsd: 1 } }, before: spentEarlierToday(0.7999) });
    const banner = page.getByText(/of today’s budget for cloud use is spent/);
    // 79 %: no banner yet (the view has read the budget: the model picker is there, and the status region).
    await page.locator('.budget-status[role="status"]').waitFor({ state: 'attached' });
    expect(await banner.count()).toBe(0);

    // This answer fits (its worst case is held), and takes today's spending to 80 %: the banner comes when it ends.
    await send(page, 'Erkläre Photosynthese in einem Satz.');
    await lastAnswer(page, FAKE_MODELS.openrouter);
    expect(openRouterGot('Erkläre Photosynthese in einem Satz.')).toBe(1);
    await page.getByRole('status').getByText('80 % of today’s budget for cloud use is spent ($0.800 of $1.00).').waitFor();
    await screenshot(page, 'usage-budget-banner.png');

    // The banner leads to the budget card, with the focus on it; a teacher lowers the limit there.
    await page.getByRole('button', { name: 'Open usage and budget' }).click();
    const card = page.getByRole('region', { name: 'Budget for cloud use' });
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('usage-budget');
    await card.getByLabel('Daily limit (US dollars)').fill('0,85');
    await card.getByRole('button', { name: 'Save budget' }).click();
    await card.getByText('Write cents after a point, such as 2.50 (a comma could mean thousands).').waitFor();
    expect(await card.getByLabel('Daily limit (US dollars)').getAttribute('aria-invalid')).toBe('true');
    await card.getByLabel('Daily limit (US dollars)').fill('0.85');
    await card.getByRole('button', { name: 'Save budget' }).click();
    await card.getByText('Saved.').waitFor();
    await card.getByText(/^\$0\.800 of \$0\.85/).waitFor();
    const saved = JSON.parse(await fs.readFile(path.join(dataDir, 'settings.json'), 'utf8')) as { budget: unknown };
    expect(saved.budget).toEqual({ dailyUsd: 0.85, monthlyUsd: null });
    await screenshot(page, 'usage-budget-card.png');

    await page.getByRole('button', { name: 'Chat' }).click();
    await page.getByRole('status').getByText('94 % of today’s budget for cloud use is spent ($0.800 of $0.85).').waitFor();

    // Over the budget: refused before anything leaves, shown in place with what to do and the way to the budget.
    const chatsBefore = useFakes().openrouter.requests.filter((request) => request.path.includes('/chat/completions')).length;
    await send(page, 'Und noch eine Frage.');
    const refused = await lastAnswer(page, FAKE_MODELS.openrouter);
    const error = refused.getByRole('alert');
    await error.getByText(/does not fit today’s budget for cloud use: \$0\.800 of \$0\.85 is spent\. Nothing was sent\./).waitFor();
    await error.getByText(/^Use a model on this computer \(never limited by the budget\)/).waitFor();
    expect(openRouterGot('Und noch eine Frage.')).toBe(0);
    expect(useFakes().openrouter.requests.filter((request) => request.path.includes('/chat/completions')).length).toBe(chatsBefore);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'usage-budget-exceeded.png');

    await error.getByRole('button', { name: 'Open the budget' }).click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('usage-budget');
    await page.getByRole('table', { name: 'Where your words went' }).locator('tbody tr').first().getByText('refused (not sent)').waitFor();
    expect(openRouterGot('Und noch eine Frage.')).toBe(0);
    expect(app?.pageErrors).toEqual([]);
  });

  it('when the school’s policy sets the budget: no fix button, and the fields say why they cannot be changed', async () => {
    const policyDir = await tempDir();
    const policyFile = path.join(policyDir, 'policy.json');
    await fs.writeFile(policyFile, JSON.stringify({ budget: { dailyUsd: 0.001 } }));
    const { page } = await openChat(FAKE_MODELS.openrouter, { env: { ATELIER_POLICY_FILE: policyFile } });

    await send(page, 'Eine Frage über dem Budget der Schule.');
    const refused = await lastAnswer(page, FAKE_MODELS.openrouter);
    await refused.getByRole('alert').getByText(/Your school sets this budget: ask your school’s IT if it needs to change\./).waitFor();
    // A fix is offered only once the budget is known to be changeable: give that read time to land.
    await page.waitForTimeout(500);
    expect(await refused.getByRole('alert').getByRole('button').count()).toBe(0);
    expect(openRouterGot('Eine Frage über dem Budget der Schule.')).toBe(0);

    await page.getByRole('button', { name: 'Usage' }).click();
    const card = page.getByRole('region', { name: 'Budget for cloud use' });
    await card.getByText('Your school’s policy sets the budget, so it cannot be changed here.').waitFor();
    expect(await card.getByLabel('Daily limit (US dollars)').isDisabled()).toBe(true);
    expect(await card.getByLabel('Daily limit (US dollars)').inputValue()).toBe('0.001');
    expect(await card.getByRole('button', { name: 'Save budget' }).isDisabled()).toBe(true);
    await card.getByText('your school’s policy file').waitFor();
    await screenshot(page, 'usage-budget-locked.png');
    expect(app?.pageErrors).toEqual([]);
  });
});
