import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../shared/chat';
import { DEFAULT_SETTINGS, type Settings } from '../../shared/settings';
import { collectAnswer } from '../../electron/core/chat/collect';
import { ChatRouter } from '../../electron/core/chat/router';
import { resolveProviderConfig } from '../../electron/core/config/provider-config';
import { estimateMessageTokens, fitHistory } from '../../electron/core/context/fit-history';
import { UNRESTRICTED } from '../../electron/core/privacy/policy';
import { createOllamaFake } from '../fakes/ollama-fake';
import { FAKE_MODELS, useProviderFakes } from '../support/provider-fakes';
import { anyProviderHome, writeSettings } from '../support/settings-file';
import { runAtelier } from '../support/run-cli';

const useFakes = useProviderFakes();

/** A long class conversation: 400 messages, a question and an answer of about 300 bytes each. */
function longConversation(turns = 200): ChatMessage[] {
  return Array.from({ length: turns }, (_, turn) => [
    { role: 'user' as const, content: `Frage ${turn}: Warum ist der Himmel blau, und was hat das mit der Streuung von Licht zu tun? `.repeat(3) },
    { role: 'assistant' as const, content: `Antwort ${turn}: Kurzwelliges blaues Licht wird in der Atmosphäre stärker gestreut als rotes Licht. `.repeat(3) },
  ]).flat();
}

describe('fitting a conversation to the model’s context window', () => {
  it('sends only what fits a small local model: the newest turns whole, starting with a question, the omission reported', async () => {
    const settings: Settings = { ...DEFAULT_SETTINGS, ollama: { ...DEFAULT_SETTINGS.ollama, numCtx: 2048 } };
    const router = new ChatRouter({ policy: () => UNRESTRICTED, config: () => resolveProviderConfig(settings, useFakes().env) });
    const history = [...longConversation(), { role: 'user' as const, content: 'Und warum ist der Sonnenuntergang rot?' }];
    const answer = await collectAnswer(router.stream({ model: FAKE_MODELS.local, system: 'Du bist ein geduldiger Physiklehrer.', messages: history }));
    expect(answer.error).toBeNull();
    const chat = useFakes().ollama.requests.filter((request) => request.path === '/api/chat').at(-1);
    const sent = (JSON.parse(chat?.body ?? '{}') as { messages: { role: string; content: string }[]; options: { num_ctx: number } });
    expect(sent.options.num_ctx).toBe(2048);
    // The system prompt, then a question first, the newest question last.
    expect(sent.messages[0]).toMatchObject({ role: 'system', content: 'Du bist ein geduldiger Physiklehrer.' });
    expect(sent.messages[1]?.role).toBe('user');
    expect(sent.messages.at(-1)?.content).toBe('Und warum ist der Sonnenuntergang rot?');
    const kept = sent.messages.length - 1;
    expect(kept).toBeGreaterThan(2);
    expect(kept).toBeLessThan(history.length);
    // Whole messages only: each one sent is one of the history's, unchanged.
    for (const message of sent.messages.slice(1)) expect(history.some((original) => original.content === message.content)).toBe(true);
    // What was sent fits the window with room for the answer, at Atelier's (high) estimate.
    const estimate = sent.messages.slice(1).reduce((sum, message) => sum + estimateMessageTokens(message as ChatMessage), 0);
    expect(estimate).toBeLessThanOrEqual(2048 - 512);
    expect(answer.provenance).toMatchObject({ contextTokens: 2048, omittedMessages: history.length - kept });
  });

  it('sends a short conversation whole, and says nothing about omissions', async () => {
    const router = new ChatRouter({ policy: () => UNRESTRICTED, config: () => resolveProviderConfig(DEFAULT_SETTINGS, useFakes().env) });
    const answer = await collectAnswer(router.stream({ model: FAKE_MODELS.local, messages: longConversation(3) }));
    expect(answer.provenance?.omittedMessages).toBeUndefined();
    // Automatic num_ctx, with no hardware known: the default 8,192.
    expect(answer.provenance?.contextTokens).toBe(8192);
  });

  it('the app learns a local model’s own limit from /api/show, once, and fits to it when it is below num_ctx', async () => {
    const small = await createOllamaFake({ models: ['tinyllama:1b'], contextLength: 2048 }).start();
    try {
      const env = { ...useFakes().env, OLLAMA_HOST: small.url };
      const router = new ChatRouter({ policy: () => UNRESTRICTED, config: () => resolveProviderConfig(DEFAULT_SETTINGS, env) });
      const ask = () => collectAnswer(router.stream({ model: 'local/tinyllama:1b', messages: [...longConversation(), { role: 'user', content: 'Und jetzt?' }] }));
      // The first answer does not wait for the model's limit: num_ctx (8,192) is the window.
      expect((await ask()).provenance?.contextTokens).toBe(8192);
      await expect.poll(() => small.requests.filter((request) => request.path === '/api/show').length).toBe(1);
      const second = await ask();
      expect(second.provenance?.contextTokens).toBe(2048);
      expect(small.requests.filter((request) => request.path === '/api/show')).toHaveLength(1);
    } finally {
      await small.close();
    }
  });

  it('atelier chat --json reports contextTokens and omittedMessages', async () => {
    const home = await anyProviderHome();
    await writeSettings(home, { ollama: { numCtx: 512 } });
    const result = await runAtelier(['chat', '--json', '-m', FAKE_MODELS.local, 'Hallo!'], { env: { ...useFakes().env, ATELIER_HOME: home } });
    expect(JSON.parse(result.stdout)).toMatchObject({ contextTokens: 512, omittedMessages: 0 });
  });
});

describe('fitHistory', () => {
  const text = (role: 'user' | 'assistant', bytes: number): ChatMessage => ({ role, content: 'x'.repeat(bytes) });

  it('counts images, never cuts a message, and leaves room for the answer', () => {
    const image: ChatMessage = { role: 'user', content: [{ type: 'text', text: 'Was zeigt das Bild?' }, { type: 'image', mediaType: 'image/png', data: 'iVBORw0KGgo=' }] };
    const messages = [text('user', 3000), text('assistant', 3000), image, text('assistant', 300), text('user', 300)];
    // 1,000 + 8 tokens per long message, 1,600 + 7 + 8 for the image, 100 + 8 for the short ones.
    const fitted = fitHistory({ model: 'local/x', messages }, 4000, 1000);
    expect(fitted.request.messages).toEqual(messages.slice(2));
    expect(fitted.omittedMessages).toBe(2);
    expect(fitted.estimatedTokens).toBeLessThanOrEqual(3000);
  });

  it('always sends the newest message, even alone too long', () => {
    const fitted = fitHistory({ model: 'local/x', messages: [text('user', 300), text('assistant', 300), text('user', 30_000)] }, 2048, 512);
    expect(fitted.request.messages).toHaveLength(1);
    expect(fitted.omittedMessages).toBe(2);
  });
});

describe('what always goes and does not fit', () => {
  it('says so when the instructions and the newest message are longer than the context leaves room for', async () => {
    const settings: Settings = { ...DEFAULT_SETTINGS, ollama: { ...DEFAULT_SETTINGS.ollama, numCtx: 2048 } };
    const router = new ChatRouter({ policy: () => UNRESTRICTED, config: () => resolveProviderConfig(settings, useFakes().env) });
    const long = await collectAnswer(router.stream({ model: FAKE_MODELS.local, system: 'Never give the final answer. '.repeat(300), messages: [{ role: 'user', content: '7·8?' }] }));
    expect(long.notices.join(' ')).toMatch(/more than this model's context of 2,048 tokens leaves room for with the answer: Ollama will cut their start/);
    const short = await collectAnswer(router.stream({ model: FAKE_MODELS.local, system: 'Be kind.', messages: [{ role: 'user', content: '7·8?' }] }));
    expect(short.notices).toEqual([]);
  });
});
