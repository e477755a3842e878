import fs from 'node:fs/promises';
import path from 'node:path';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { AnswerFooter } from '../../../renderer/chat/AnswerFooter';
import { initI18n } from '../../../renderer/i18n';
import { NavigationContext } from '../../../renderer/navigation';
import { parseChains, parseTimeout } from '../../../renderer/reliability/reliability-input';
import { formatClock, providerLabel, reasonText } from '../../../renderer/reliability/reliability-words';
import { StatusStrip } from '../../../renderer/reliability/StatusStrip';
import { STATUS_REFRESH_MS } from '../../../renderer/reliability/use-reliability-status';
import { SettingsProvider } from '../../../renderer/settings/SettingsProvider';
import type { StoredMessage } from '../../../shared/conversations';
import { errorCodes } from '../../../shared/errors';
import { createAtelierApi } from '../../../shared/ipc/create-api';
import type { Provenance } from '../../../shared/privacy';
import type { ReliabilityStatus } from '../../../shared/reliability';
import { DEFAULT_SETTINGS } from '../../../shared/settings';
import { createOllamaFake } from '../../fakes/ollama-fake';
import { writeSettings } from '../../support/settings-file';
import { tempDir } from '../../support/temp-dir';
import { renderApp } from './render-app';

afterEach(cleanup);

const i18n = initI18n('en');
afterEach(() => i18n.changeLanguage('en'));

const LOCAL: Provenance = { tier: 'non_dsgvo', routeClass: 'local', provider: 'local', region: null, host: '127.0.0.1', modelId: 'llama3.2:3b' };

const answer = (provenance: Provenance): StoredMessage => ({
  id: 2,
  conversationId: 1,
  role: 'assistant',
  parts: [{ type: 'text', text: 'Hallo' }],
  model: 'anthropic/claude-sonnet-4-5',
  status: 'complete',
  notices: [],
  error: null,
  provenance,
  usage: { inputTokens: 12, outputTokens: 5, costUsd: 0 },
  timings: { startedAt: '2026-12-01T10:00:00.000Z', firstTokenMs: 2400, durationMs: 3100 },
  createdAt: '2026-12-01T10:00:00.000Z',
});

describe('under an answer', () => {
  it('says that a fallback answered, from which model and why, in English and German', async () => {
    const { rerender } = render(<AnswerFooter message={answer({ ...LOCAL, fallbackFrom: 'anthropic/claude-sonnet-4-5', fallbackReason: 'rate_limited' })} />);
    expect(screen.getByTestId('fallback').textContent).toBe('FallbackAnswered by local/llama3.2:3b instead of anthropic/claude-sonnet-4-5 (rate limited).');
    rerender(<AnswerFooter message={answer({ ...LOCAL, fallbackFrom: 'anthropic/claude-sonnet-4-5', fallbackReason: 'cooling' })} />);
    expect(screen.getByTestId('fallback').textContent).toContain('instead of anthropic/claude-sonnet-4-5 (cooling down after repeated failures).');
    // A code this version does not know is shown as it is, never hidden.
    rerender(<AnswerFooter message={answer({ ...LOCAL, fallbackFrom: 'anthropic/claude-sonnet-4-5', fallbackReason: 'brand_new_code' })} />);
    expect(screen.getByTestId('fallback').textContent).toContain('(brand_new_code).');
    rerender(<AnswerFooter message={answer({ ...LOCAL, fallbackFrom: 'anthropic/claude-sonnet-4-5' })} />);
    expect(screen.getByTestId('fallback').textContent).toBe('FallbackAnswered by local/llama3.2:3b instead of anthropic/claude-sonnet-4-5.');

    await i18n.changeLanguage('de');
    rerender(<AnswerFooter message={answer({ ...LOCAL, fallbackFrom: 'anthropic/claude-sonnet-4-5', fallbackReason: 'provider_unreachable' })} />);
    expect(screen.getByTestId('fallback').textContent).toBe('ErsatzmodellGeantwortet hat local/llama3.2:3b statt anthropic/claude-sonnet-4-5 (nicht erreichbar).');
  });

  it('says after how many tries an answer came, and nothing of fallbacks or tries for a first-try answer', async () => {
    const { rerender } = render(<AnswerFooter message={answer({ ...LOCAL, attempt: 3 })} />);
    expect(screen.getByTestId('provenance').textContent).toMatch(/3\.1 s in all · after 3 tries$/);
    expect(screen.queryByTestId('fallback')).toBeNull();
    rerender(<AnswerFooter message={answer(LOCAL)} />);
    expect(screen.getByTestId('provenance').textContent).toMatch(/3\.1 s in all$/);
    await i18n.changeLanguage('de');
    rerender(<AnswerFooter message={answer({ ...LOCAL, attempt: 2 })} />);
    // The seconds as German writes decimals.
    expect(screen.getByTestId('provenance').textContent).toMatch(/erstes Token nach 2,4 s · 3,1 s insgesamt · nach 2 Versuchen$/);
  });
});

describe('reliability in words', () => {
  it('names providers, reasons and moments', () => {
    const t = i18n.getFixedT('en');
    expect(providerLabel('local')).toBe('Ollama');
    expect(providerLabel('school', [{ prefix: 'school', name: 'School proxy' }])).toBe('School proxy');
    expect(providerLabel('elsewhere')).toBe('elsewhere');
    expect(reasonText(t, 'timeout')).toBe('too slow to answer');
    expect(reasonText(i18n.getFixedT('de'), 'rate_limited')).toBe('zu viele Anfragen');
    expect(reasonText(t, 'something_else')).toBe('something_else');
    // Every reason a fallback or a route can give is said in words, in both languages.
    const reasons = ['cooling', 'not-allowed', 'budget', ...errorCodes.filter((code) => !['cancelled', 'file_unwritable', 'internal_error', 'settings_unwritable', 'forbidden_sender', 'settings_locked'].includes(code))];
    for (const language of ['en', 'de'] as const) {
      for (const reason of reasons) {
        const words = reasonText(i18n.getFixedT(language), reason);
        expect(words, `${language} ${reason}`).not.toBe(reason);
        expect(words, `${language} ${reason}`).not.toMatch(/^reliability\./);
      }
    }
    const now = new Date(2026, 11, 1, 14, 0);
    expect(formatClock(new Date(2026, 11, 1, 14, 5).toISOString(), 'de', now)).toBe('14:05');
    expect(formatClock(new Date(2026, 11, 1, 14, 5).toISOString(), 'en', now)).toMatch(/^2:05\sPM$/);
    expect(formatClock(new Date(2026, 11, 1, 0, 5).toISOString(), 'de', now)).toBe('00:05');
    // Another day: with the date.
    expect(formatClock(new Date(2026, 11, 2, 9, 0).toISOString(), 'de', now)).toMatch(/^02\.12\.2026, 09:00$/);
  });
});

describe('a timeout as typed', () => {
  it.each([
    ['120', { ok: true, seconds: 120 }],
    [' 5 ', { ok: true, seconds: 5 }],
    ['3600', { ok: true, seconds: 3600 }],
    ['', { ok: false, problem: 'empty' }],
    ['4', { ok: false, problem: 'too-small' }],
    ['0', { ok: false, problem: 'too-small' }],
    ['3601', { ok: false, problem: 'too-large' }],
    ['1.5', { ok: false, problem: 'not-whole' }],
    ['-10', { ok: false, problem: 'not-whole' }],
    ['zwei', { ok: false, problem: 'not-whole' }],
  ] as const)('%j', (text, expected) => {
    expect(parseTimeout(text)).toEqual(expected);
  });
});

describe('fallback chains as typed', () => {
  it('takes a model id or a role with one to five models, a line each, repeats dropped, empty rows ignored', () => {
    expect(
      parseChains([
        { from: ' anthropic/claude-sonnet-4-5 ', models: 'local/llama3.2:3b\r\n\n openai/gpt-4o-mini \nlocal/llama3.2:3b' },
        { from: 'fast', models: 'local/qwen2.5:7b' },
        { from: '', models: '  ' },
      ]),
    ).toEqual({ ok: true, chains: { 'anthropic/claude-sonnet-4-5': ['local/llama3.2:3b', 'openai/gpt-4o-mini'], fast: ['local/qwen2.5:7b'] } });
  });

  it('says what is wrong, row by row', () => {
    const result = parseChains([
      { from: '', models: 'local/a' },
      { from: 'Claude', models: 'local/a' },
      { from: 'fast', models: 'local/a' },
      { from: 'fast', models: 'local/b' },
      { from: 'advanced', models: '' },
      { from: 'extreme', models: 'local/a\nclaude sonnet' },
      { from: 'local/a', models: 'local/a' },
      { from: 'openai/x', models: 'local/a\nlocal/b\nlocal/c\nlocal/d\nlocal/e\nlocal/f' },
    ]);
    expect(result).toEqual({
      ok: false,
      problems: [
        { kind: 'from-empty' },
        { kind: 'from-invalid', text: 'Claude' },
        null,
        { kind: 'from-twice', text: 'fast' },
        { kind: 'models-empty' },
        { kind: 'model-invalid', text: 'claude sonnet' },
        { kind: 'own-fallback', text: 'local/a' },
        { kind: 'too-many', count: 6 },
      ],
    });
  });
});

const statusWith = (providers: ReliabilityStatus['providers'], routes: ReliabilityStatus['routes'] = []): ReliabilityStatus => ({ providers, routes });
const route = (patch: Partial<ReliabilityStatus['routes'][number]>): ReliabilityStatus['routes'][number] => ({
  provider: 'anthropic',
  modelId: 'claude-sonnet-4-5',
  place: 'api.anthropic.com',
  state: 'cooling',
  failures: 3,
  coolingUntil: null,
  lastErrorCode: 'rate_limited',
  lastErrorAt: null,
  lastOkAt: null,
  ...patch,
});

/** The strip over a stand-in for main that answers settings:get and reliability:get-status, counting the calls. */
function renderStrip(read: () => ReliabilityStatus, refreshKey = 0) {
  const asked: unknown[] = [];
  const went: unknown[] = [];
  Object.defineProperty(window, 'atelier', {
    configurable: true,
    value: createAtelierApi({
      invoke: (channel, input) => {
        if (channel === 'settings:get') return Promise.resolve({ ok: true, value: { settings: { ...DEFAULT_SETTINGS, endpoints: [{ prefix: 'school', name: 'School proxy', baseUrl: 'http://127.0.0.1:1/v1' }] }, recovery: null } });
        if (channel === 'reliability:get-status') {
          asked.push(input);
          return Promise.resolve({ ok: true, value: read() });
        }
        return Promise.resolve({ ok: false, error: { code: 'internal_error', message: `not here: ${channel}` } });
      },
      subscribe: () => () => undefined,
    }),
  });
  const tree = (key: number) => (
    <NavigationContext.Provider value={{ go: (...args) => went.push(args), startChat: () => undefined }}>
      <SettingsProvider>
        <StatusStrip refreshKey={key} />
      </SettingsProvider>
    </NavigationContext.Provider>
  );
  const view = render(tree(refreshKey));
  return { asked, went, rerender: (key: number) => view.rerender(tree(key)) };
}

describe('the status strip', () => {
  it('names each provider that is not fine, with its models, until when and why; leads to the chains', async () => {
    const until = new Date(Date.now() + 120_000).toISOString();
    const clock = formatClock(until, 'en');
    const status = statusWith(
      [
        { provider: 'anthropic', state: 'cooling', coolingUntil: until, lastErrorCode: 'rate_limited' },
        { provider: 'local', state: 'down', coolingUntil: until, lastErrorCode: 'provider_unreachable' },
        { provider: 'school', state: 'degraded', coolingUntil: null, lastErrorCode: 'weird_code' },
        { provider: 'openai', state: 'ok', coolingUntil: null, lastErrorCode: null },
        { provider: 'bedrock', state: 'unknown', coolingUntil: null, lastErrorCode: null },
      ],
      [route({ coolingUntil: until }), route({ provider: 'local', modelId: '*', place: '127.0.0.1', state: 'down', lastErrorCode: 'provider_unreachable', coolingUntil: until }), route({ provider: 'school', modelId: 'a', state: 'degraded' })],
    );
    const { went } = renderStrip(() => status);
    const strip = await screen.findByRole('status', { name: 'Provider status' });
    await waitFor(() => expect(within(strip).getAllByRole('listitem')).toHaveLength(3));
    expect(within(strip).getAllByRole('listitem').map((item) => item.textContent)).toEqual([
      `Anthropic (claude-sonnet-4-5): cooling down until ${clock} (rate limited)`,
      `Ollama: down, next try after ${clock} (unreachable)`,
      'School proxy (a): failed lately (weird_code)',
    ]);
    expect(strip.textContent).toContain('Until then, the next model of its fallback chain answers in its place, if it has one.');
    fireEvent.click(within(strip).getByRole('button', { name: 'Open the fallback chains' }));
    expect(went).toEqual([['settings', 'reliability']]);

    await act(() => i18n.changeLanguage('de'));
    expect(within(strip).getAllByRole('listitem')[0]?.textContent).toBe(`Anthropic (claude-sonnet-4-5): pausiert bis ${formatClock(until, 'de')} (zu viele Anfragen)`);
  });

  it('is quiet when nothing is known to be wrong; Check now asks the providers and says when', async () => {
    let status = statusWith([{ provider: 'local', state: 'ok', coolingUntil: null, lastErrorCode: null }]);
    const { asked } = renderStrip(() => status);
    const strip = await screen.findByRole('status', { name: 'Provider status' });
    await within(strip).findByText('No problems with providers known.');
    expect(within(strip).queryByRole('list')).toBeNull();
    expect(asked).toEqual([{}]);

    status = statusWith([{ provider: 'local', state: 'degraded', coolingUntil: null, lastErrorCode: 'timeout' }]);
    fireEvent.click(within(strip).getByRole('button', { name: 'Check now' }));
    await within(strip).findByText('Ollama: failed lately (too slow to answer)');
    expect(asked).toEqual([{}, { check: true }]);

    status = statusWith([{ provider: 'local', state: 'ok', coolingUntil: null, lastErrorCode: null }]);
    fireEvent.click(within(strip).getByRole('button', { name: 'Check now' }));
    await within(strip).findByText(/^No problems with providers known \(checked at .+\)\.$/);
  });

  it('reads again when an answer ends and every 30 s while the window is visible', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    try {
      const { asked, rerender } = renderStrip(() => statusWith([]));
      await waitFor(() => expect(asked).toHaveLength(1));
      rerender(1);
      await waitFor(() => expect(asked).toHaveLength(2));
      act(() => vi.advanceTimersByTime(STATUS_REFRESH_MS));
      await waitFor(() => expect(asked).toHaveLength(3));
      // Hidden (minimised, another desktop): no reading until it is visible again, then one at once.
      const visibility = vi.spyOn(document, 'visibilityState', 'get').mockReturnValue('hidden');
      act(() => vi.advanceTimersByTime(STATUS_REFRESH_MS * 2));
      expect(asked).toHaveLength(3);
      visibility.mockReturnValue('visible');
      act(() => {
        document.dispatchEvent(new Event('visibilitychange'));
      });
      await waitFor(() => expect(asked).toHaveLength(4));
      visibility.mockRestore();
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('Settings → Reliability, against the real main process', () => {
  // The chat view asks Ollama what is installed: a fake answers, so nothing tries a real port.
  const ollama = createOllamaFake({ models: ['llama3.2:3b'] });
  beforeAll(() => ollama.start());
  afterAll(async () => {
    await new Promise((resolve) => setTimeout(resolve, 500));
    await ollama.close();
  });

  const openReliability = async (dataDir: string, env: Record<string, string> = {}) => {
    await renderApp(dataDir, { OLLAMA_HOST: ollama.url, ...env });
    fireEvent.click(screen.getByRole('button', { name: 'Settings' }));
    return within(await screen.findByRole('group', { name: 'Reliability' }));
  };
  const savedSettings = async (dataDir: string) => JSON.parse(await fs.readFile(path.join(dataDir, 'settings.json'), 'utf8')) as { reliability: unknown; fallbacks: unknown };

  it('checks the timeouts before saving them, and saves them', async () => {
    const dataDir = await tempDir();
    const panel = await openReliability(dataDir);
    const first = panel.getByLabelText('Wait for the first word of an answer (seconds)') as HTMLInputElement;
    const idle = panel.getByLabelText('End an answer that stalls after (seconds)') as HTMLInputElement;
    expect([first.value, idle.value]).toEqual(['120', '60']);

    fireEvent.change(first, { target: { value: '4' } });
    fireEvent.change(idle, { target: { value: '4000' } });
    fireEvent.click(panel.getByRole('button', { name: 'Save time limits' }));
    expect(panel.getByText('At least 5 seconds.').id).toBe(first.getAttribute('aria-describedby')?.split(' ')[0]);
    expect(first.getAttribute('aria-invalid')).toBe('true');
    expect(panel.getByText('At most 3600 seconds (one hour).')).toBeTruthy();
    expect(document.activeElement).toBe(first);

    fireEvent.change(first, { target: { value: '300' } });
    fireEvent.change(idle, { target: { value: '45' } });
    fireEvent.click(panel.getByRole('button', { name: 'Save time limits' }));
    await panel.findByText('Time limits saved.');
    expect((await savedSettings(dataDir)).reliability).toEqual({ firstTokenTimeoutS: 300, idleTimeoutS: 45 });
    expect(first.getAttribute('aria-invalid')).toBeNull();
  });

  it('lists the chains, edits them a model per line, and says what is wrong in place', async () => {
    const dataDir = await tempDir();
    await writeSettings(dataDir, { fallbacks: { 'anthropic/claude-sonnet-4-5': ['local/llama3.2:3b', 'openai/gpt-4o-mini'] } });
    const panel = await openReliability(dataDir);
    const list = await panel.findByRole('list', { name: 'Fallback chains' });
    expect(list.textContent).toBe('anthropic/claude-sonnet-4-5 → , then local/llama3.2:3b → , then openai/gpt-4o-mini');

    fireEvent.click(panel.getByRole('button', { name: 'Edit fallback chains' }));
    const editor = within(panel.getByRole('form', { name: 'Edit fallback chains' }));
    expect((editor.getByLabelText('Ask instead, in this order (one model id per line, at most 5)') as HTMLTextAreaElement).value).toBe('local/llama3.2:3b\nopenai/gpt-4o-mini');
    fireEvent.click(editor.getByRole('button', { name: 'Add another chain' }));
    const froms = editor.getAllByLabelText('When this model or role cannot answer');
    await waitFor(() => expect(document.activeElement).toBe(froms[1]));
    fireEvent.change(froms[1] as HTMLElement, { target: { value: 'fast' } });
    fireEvent.change(editor.getAllByLabelText(/^Ask instead/)[1] as HTMLElement, { target: { value: 'Llama 3.2' } });
    fireEvent.click(editor.getByRole('button', { name: 'Save chains' }));
    const wrong = editor.getByText('“Llama 3.2” is not a model id such as local/llama3.2:3b (provider/model).');
    const wrongField = editor.getAllByLabelText(/^Ask instead/)[1];
    expect(document.activeElement).toBe(wrongField);
    expect(wrongField?.getAttribute('aria-describedby')).toBe(wrong.id);

    fireEvent.change(editor.getAllByLabelText(/^Ask instead/)[1] as HTMLElement, { target: { value: 'local/qwen2.5:7b' } });
    fireEvent.click(editor.getByRole('button', { name: 'Remove chain 1' }));
    fireEvent.click(editor.getByRole('button', { name: 'Save chains' }));
    await panel.findByText('Fallback chains saved.');
    expect((await savedSettings(dataDir)).fallbacks).toEqual({ fast: ['local/qwen2.5:7b'] });
    expect((await panel.findByRole('list', { name: 'Fallback chains' })).textContent).toBe('fast → , then local/qwen2.5:7b');
  });

  it('lists the school’s chains when its policy file sets them, and offers no editor', async () => {
    const dataDir = await tempDir();
    await writeSettings(dataDir, { fallbacks: { 'anthropic/claude-sonnet-4-5': ['openai/gpt-4o-mini'] } });
    const policyFile = path.join(dataDir, 'policy.json');
    await fs.writeFile(policyFile, JSON.stringify({ fallbacks: { fast: ['local/llama3.2:3b'] } }));
    const panel = await openReliability(dataDir, { ATELIER_POLICY_FILE: policyFile });
    await panel.findByText('Your school’s policy file sets these chains: they cannot be changed here.');
    expect((await panel.findByRole('list', { name: 'Fallback chains' })).textContent).toBe('fast → , then local/llama3.2:3b');
    expect(panel.queryByRole('button', { name: /fallback chain/ })).toBeNull();
  });

  it('shows a refusal in place when the class was locked while the editor was open', async () => {
    const dataDir = await tempDir();
    const panel = await openReliability(dataDir);
    fireEvent.click(await panel.findByRole('button', { name: 'Add a fallback chain' }));
    const editor = within(panel.getByRole('form', { name: 'Edit fallback chains' }));
    fireEvent.change(editor.getByLabelText('When this model or role cannot answer'), { target: { value: 'advanced' } });
    fireEvent.change(editor.getByLabelText(/^Ask instead/), { target: { value: 'local/llama3.2:3b' } });
    // A teacher locks the class meanwhile (another window, the CLI).
    await act(async () => {
      expect((await window.atelier.invoke('privacy:lock', { password: 'Lehrkraft-2026' })).ok).toBe(true);
    });
    fireEvent.click(editor.getByRole('button', { name: 'Save chains' }));
    const refusal = await panel.findByRole('alert');
    expect(refusal.textContent).toMatch(/^The fallback chains were not saved: .*lock/i);
    await panel.findByText('The class is locked: the fallback chains can be changed once a teacher unlocks it (Settings → Privacy).');
    // Nothing written: the settings file was never made.
    await expect(savedSettings(dataDir)).rejects.toThrow(/ENOENT/);
  });

  it('offers no editor while the class is locked, and says why', async () => {
    const dataDir = await tempDir();
    await renderApp(dataDir, { OLLAMA_HOST: ollama.url });
    await act(async () => {
      const locked = await window.atelier.invoke('privacy:lock', { password: 'Lehrkraft-2026' });
      expect(locked.ok).toBe(true);
    });
    fireEvent.click(screen.getByRole('button', { name: 'Settings' }));
    const panel = within(await screen.findByRole('group', { name: 'Reliability' }));
    await panel.findByText('The class is locked: the fallback chains can be changed once a teacher unlocks it (Settings → Privacy).');
    expect(panel.queryByRole('button', { name: /fallback chain/ })).toBeNull();
  });
});
