import fs from 'node:fs/promises';
import path from 'node:path';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AnswerFooter } from '../../../renderer/chat/AnswerFooter';
import { initI18n } from '../../../renderer/i18n';
import { NavigationContext } from '../../../renderer/navigation';
import { BudgetBanner } from '../../../renderer/usage/BudgetBanner';
import { parseLimit } from '../../../renderer/usage/budget-input';
import { chartSummaries } from '../../../renderer/usage/chart-summaries';
import { formatMoney } from '../../../renderer/usage/format-usage';
import { modelRows, providerRows } from '../../../renderer/usage/report-rows';
import type { StoredMessage } from '../../../shared/conversations';
import type { BudgetStatus, UsageDetails } from '../../../shared/usage';
import { createOllamaFake } from '../../fakes/ollama-fake';
import { tempDir } from '../../support/temp-dir';
import { renderApp } from './render-app';

afterEach(cleanup);

// The chat view asks Ollama what is installed: a fake answers, so nothing tries a real port.
const ollama = createOllamaFake({ models: ['llama3.2:3b'] });
beforeAll(() => ollama.start());
afterAll(async () => {
  await new Promise((resolve) => setTimeout(resolve, 500));
  await ollama.close();
});

const i18n = initI18n('en');
const inLanguage = async (language: 'en' | 'de') => {
  await i18n.changeLanguage(language);
  return i18n.getFixedT(language);
};
afterEach(() => i18n.changeLanguage('en'));

describe('a budget limit as typed', () => {
  it.each([
    ['', 'en', { ok: true, usd: null }],
    ['   ', 'de', { ok: true, usd: null }],
    ['5', 'en', { ok: true, usd: 5 }],
    ['$2.50', 'en', { ok: true, usd: 2.5 }],
    ['.5', 'en', { ok: true, usd: 0.5 }],
    ['2,50', 'de', { ok: true, usd: 2.5 }],
    ['2.50', 'de', { ok: true, usd: 2.5 }],
    ['2,50 $', 'de', { ok: true, usd: 2.5 }],
    ['2,50', 'en', { ok: false, problem: 'comma' }],
    ['1.000,50', 'de', { ok: false, problem: 'not-a-number' }],
    ['fünf', 'de', { ok: false, problem: 'not-a-number' }],
    ['1e3', 'en', { ok: false, problem: 'not-a-number' }],
    ['0', 'en', { ok: false, problem: 'not-positive' }],
    ['-3', 'en', { ok: false, problem: 'not-positive' }],
    ['1000001', 'en', { ok: false, problem: 'too-large' }],
  ] as const)('%j in %s', (text, language, expected) => {
    expect(parseLimit(text, language)).toEqual(expected);
  });
});

describe('money in the UI language', () => {
  it('keeps formatUsd in English and writes the same digits the German way', () => {
    expect(formatMoney(4.25, 'en')).toBe('$4.25');
    expect(formatMoney(0.0042, 'en')).toBe('$0.0042');
    expect(formatMoney(4.25, 'de')).toBe('4,25\u00a0$');
    expect(formatMoney(0.0042, 'de')).toBe('0,0042\u00a0$');
    expect(formatMoney(0, 'de')).toBe('0,00\u00a0$');
    // Whole cents that floating point does not hit exactly (0.29 * 100 = 28.999…) keep two digits.
    expect(formatMoney(0.29, 'en')).toBe('$0.29');
    expect(formatMoney(0.8 + 0.05, 'en')).toBe('$0.85');
    expect(formatMoney(0.105, 'en')).toBe('$0.105');
  });
});

const message = (costUsd: number | null | undefined): StoredMessage =>
  ({
    id: 2,
    conversationId: 1,
    role: 'assistant',
    parts: [{ type: 'text', text: 'Hallo' }],
    model: 'openai/gpt-4o-mini',
    status: 'complete',
    notices: [],
    error: null,
    provenance: { tier: 'non_dsgvo', routeClass: 'non-eu', provider: 'openai', region: null, host: 'api.openai.com', modelId: 'gpt-4o-mini' },
    usage: { inputTokens: 12, outputTokens: 5, ...(costUsd !== undefined && { costUsd }) },
    timings: null,
    createdAt: '2026-12-01T10:00:00.000Z',
  }) satisfies StoredMessage;

describe('the cost under an answer', () => {
  it('is the amount beside the tokens, "cost unknown" without a price, and nothing for answers from before costs were kept', () => {
    const { rerender } = render(<AnswerFooter message={message(0.0000048)} />);
    expect(screen.getByTestId('provenance').textContent).toContain('12 tokens in, 5 out · $0.0000048');
    rerender(<AnswerFooter message={message(null)} />);
    expect(screen.getByTestId('provenance').textContent).toContain('12 tokens in, 5 out · cost unknown');
    rerender(<AnswerFooter message={message(undefined)} />);
    expect(screen.getByTestId('provenance').textContent).toMatch(/12 tokens in, 5 out$/);
    rerender(<AnswerFooter message={message(0)} />);
    expect(screen.getByTestId('provenance').textContent).toContain('5 out · $0.00');
  });
});

const budget = (patch: Partial<BudgetStatus> = {}): BudgetStatus => ({
  dailyUsd: 1,
  monthlyUsd: null,
  spentTodayUsd: 0.8,
  spentThisMonthUsd: 0.8,
  reservedUsd: 0.05,
  source: 'settings',
  lockedBy: null,
  dayResetsAt: '2026-12-02T00:00:00.000Z',
  monthResetsAt: '2027-01-01T00:00:00.000Z',
  warning: { period: 'daily', percent: 85 },
  ...patch,
});

describe('the budget banner', () => {
  it('says how much of which budget is spent (held answers included) and leads to the budget', async () => {
    const went: unknown[] = [];
    const { rerender } = render(
      <NavigationContext.Provider value={{ go: (...args) => went.push(args), startChat: () => undefined }}>
        <BudgetBanner budget={budget()} />
      </NavigationContext.Provider>,
    );
    const status = screen.getByRole('status');
    expect(status.textContent).toContain('85 % of today’s budget for cloud use is spent ($0.85 of $1.00).');
    fireEvent.click(within(status).getByRole('button', { name: 'Open usage and budget' }));
    expect(went).toEqual([['usage', 'budget']]);

    await inLanguage('de');
    rerender(
      <NavigationContext.Provider value={{ go: () => undefined, startChat: () => undefined }}>
        <BudgetBanner budget={budget({ dailyUsd: null, monthlyUsd: 10, spentThisMonthUsd: 9, warning: { period: 'monthly', percent: 90 } })} />
      </NavigationContext.Provider>,
    );
    expect(screen.getByRole('status').textContent).toContain('90 % des Budgets für die Cloud-Nutzung in diesem Monat sind verbraucht (9,05\u00a0$ von 10,00\u00a0$).');
  });

  it('is an empty live region below 80 %', () => {
    render(<BudgetBanner budget={budget({ warning: null })} />);
    expect(screen.getByRole('status').textContent).toBe('');
  });
});

const report: UsageDetails = {
  since: '2026-11-29',
  totalUsd: 0.0013,
  byDay: [
    { day: '2026-11-29', usd: 0, inputTokens: 0, outputTokens: 0 },
    { day: '2026-11-30', usd: 0.00041, inputTokens: 40, outputTokens: 10 },
    { day: '2026-12-01', usd: 0.00089, inputTokens: 90, outputTokens: 30 },
  ],
  // A model with answers of unknown cost only has no sum; a local answer stopped before it was counted is unknown beside $0.
  byProvider: { openrouter: 0.0013, local: 0 },
  byModel: { 'openrouter/anthropic/claude-sonnet-4.5': 0.0013, 'local/llama3.2:3b': 0 },
  unpricedAnswers: 2,
  unpricedByModel: { 'anthropic/claude-fake-4-5': 1, 'local/llama3.2:3b': 1 },
  unpricedByDay: { '2026-12-01': 2 },
};

describe('the charts’ rows and summaries', () => {
  it('tell a model without a price (unknown) from a free one ($0), and summarise each chart in words', async () => {
    const models = modelRows(report);
    expect(models).toEqual([
      { name: 'openrouter/anthropic/claude-sonnet-4.5', usd: 0.0013, unpriced: 0 },
      { name: 'local/llama3.2:3b', usd: 0, unpriced: 1 },
      { name: 'anthropic/claude-fake-4-5', usd: null, unpriced: 1 },
    ]);
    const providers = providerRows(report);
    expect(providers.map((row) => [row.name, row.usd])).toEqual([
      ['openrouter', 0.0013],
      ['local', 0],
      ['anthropic', null],
    ]);

    const english = chartSummaries(await inLanguage('en'), 'en', report, 0.0025, providers, models);
    expect(english.daily).toBe('Bar chart of the cost per day from November 29, 2026 to December 1, 2026: $0.0013 in all, the most on December 1, 2026 ($0.00089). The daily limit, $0.0025, is drawn as a dashed line.');
    expect(english.providers).toBe('Bar chart of the cost by provider: openrouter: $0.0013, local: $0.00 + 1 unknown, and anthropic: unknown.');
    expect(english.tokens).toBe('Bar chart of the tokens per day from November 29, 2026 to December 1, 2026: 130 in and 40 out in all, the most on December 1, 2026.');

    const german = chartSummaries(await inLanguage('de'), 'de', report, null, providers, models);
    expect(german.daily).toBe('Balkendiagramm der Kosten pro Tag vom 29. November 2026 bis 1. Dezember 2026: insgesamt 0,0013\u00a0$, am meisten am 1. Dezember 2026 (0,00089\u00a0$).');
    expect(german.models).toBe('Balkendiagramm der Kosten nach Modell: openrouter/anthropic/claude-sonnet-4.5: 0,0013\u00a0$, local/llama3.2:3b: 0,00\u00a0$ + 1 unbekannt und anthropic/claude-fake-4-5: unbekannt.');
  });
});

const APP_URL = 'app://atelier/index.html';

/** The budget in the settings file; undefined when there is no file or no budget in it. */
async function savedBudget(dataDir: string): Promise<unknown> {
  const text = await fs.readFile(path.join(dataDir, 'settings.json'), 'utf8').catch(() => '{}');
  return (JSON.parse(text) as { budget?: unknown }).budget;
}

describe('the budget card in the Usage view', () => {
  it('checks a limit before sending it, saves a German decimal comma, and says when the class lock keeps the budget', async () => {
    const dataDir = await tempDir();
    const { main } = await renderApp(dataDir, { OLLAMA_HOST: ollama.url });
    fireEvent.click(screen.getByRole('button', { name: 'Usage' }));
    const card = await screen.findByRole('region', { name: 'Budget for cloud use' });
    const daily = await within(card).findByLabelText('Daily limit (US dollars)');
    expect((daily as HTMLInputElement).placeholder).toBe('no limit');
    expect(within(card).getByText('nobody: no limit is set')).toBeTruthy();

    fireEvent.change(daily, { target: { value: 'fünf' } });
    fireEvent.click(within(card).getByRole('button', { name: 'Save budget' }));
    await within(card).findByText('Enter an amount in US dollars, such as 5 or 2.50, or leave the field empty for no limit.');
    expect(daily.getAttribute('aria-invalid')).toBe('true');
    expect(document.activeElement).toBe(daily);
    expect(await savedBudget(dataDir)).toBeUndefined();

    await main.dispatch('settings:update', { language: 'de' }, { url: APP_URL });
    fireEvent.change(daily, { target: { value: '2,50' } });
    fireEvent.click(await within(card).findByRole('button', { name: 'Budget speichern' }));
    await within(card).findByText('Gespeichert.');
    expect(await savedBudget(dataDir)).toEqual({ dailyUsd: 2.5, monthlyUsd: null });
    // (Testing Library reads the text with white space collapsed: the no-break spaces are plain here.)
    expect(within(card).getByText('0,00 $ von 2,50 $')).toBeTruthy();
    expect(within(card).getAllByText(/^· beginnt am \d+\. \p{L}+ \d{4}/u)).toHaveLength(2);
    await main.dispatch('settings:update', { language: 'en' }, { url: APP_URL });
    await within(card).findByRole('button', { name: 'Save budget' });

    // A teacher locks the class meanwhile: saving is refused by main, and the card says why.
    expect((await main.dispatch('privacy:lock', { password: 'Tafel-Kreide-2026' }, { url: APP_URL })).ok).toBe(true);
    fireEvent.change(daily, { target: { value: '3' } });
    fireEvent.click(within(card).getByRole('button', { name: 'Save budget' }));
    const alert = await within(card).findByRole('alert');
    expect(alert.textContent).toMatch(/^The budget was not saved: /);
    await within(card).findByText('The class is locked: the budget can be changed once a teacher unlocks it (Settings → Privacy).');
    await waitFor(() => expect((daily as HTMLInputElement).disabled).toBe(true));
    expect(await savedBudget(dataDir)).toEqual({ dailyUsd: 2.5, monthlyUsd: null });
  });
});
