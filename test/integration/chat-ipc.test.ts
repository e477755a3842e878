import { describe, expect, it } from 'vitest';
import type { StreamPart } from '../../shared/chat';
import { startMainProcess, type MainProcess } from '../support/main-process';
import { FAKE_MODELS, useProviderFakes } from '../support/provider-fakes';
import { tempDir } from '../support/temp-dir';
import { ANY_PROVIDER, writeSettings } from '../support/settings-file';

const APP = { url: 'app://atelier/index.html' };

const useFakes = useProviderFakes();

/** Main's real dispatcher and handlers, with every event main would send to the window. */
async function mainWithEvents(): Promise<{ main: MainProcess; parts: (streamId: string) => StreamPart[]; ended: (streamId: string) => Promise<void> }> {
  const dataDir = await tempDir();
  await writeSettings(dataDir, ANY_PROVIDER);
  const main = await startMainProcess(dataDir, ['app://atelier'], useFakes().env);
  const events: { streamId: string; part: StreamPart }[] = [];
  const waiters: (() => void)[] = [];
  main.forwardEvents((event, payload) => {
    if (event !== 'chat:stream-part') return;
    events.push(payload as { streamId: string; part: StreamPart });
    for (const waiter of waiters.splice(0)) waiter();
  });
  const parts = (streamId: string) => events.filter((event) => event.streamId === streamId).map((event) => event.part);
  const ended = async (streamId: string) => {
    while (!parts(streamId).some((part) => part.type === 'finish' || part.type === 'error')) await new Promise<void>((done) => waiters.push(done));
  };
  return { main, parts, ended };
}

describe('chat over IPC', () => {
  it('starts a stream, sends its parts as chat:stream-part events, coalesced, ending in finish', async () => {
    const { main, parts, ended } = await mainWithEvents();
    const chunks = Array.from({ length: 200 }, (_, i) => `w${i} `);
    useFakes().ollama.respondWith({ kind: 'answer', chunks });
    const result = await main.dispatch('chat:start-stream', { model: FAKE_MODELS.local, messages: [{ role: 'user', content: 'count' }] }, APP);
    expect(result).toEqual({ ok: true, value: { streamId: expect.any(String) as unknown } });
    const { streamId } = (result as { value: { streamId: string } }).value;
    await ended(streamId);

    const received = parts(streamId);
    const text = received.flatMap((part) => (part.type === 'text-delta' ? [part.text] : [])).join('');
    expect(text).toBe(chunks.join(''));
    // 200 tokens arrive within a few frames: far fewer messages than tokens.
    expect(received.length).toBeLessThan(50);
    expect(received.at(-1)).toMatchObject({ type: 'finish', usage: { outputTokens: 200 } });
    await expect.poll(() => main.services.chat.active).toBe(0);
  });

  it('refuses a malformed model id at once, before any stream starts', async () => {
    const { main } = await mainWithEvents();
    const result = await main.dispatch('chat:start-stream', { model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }, APP);
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_request', hint: expect.stringContaining('local, bedrock, anthropic, openai, openrouter') as unknown } });
    expect(main.services.chat.active).toBe(0);
  });

  it('refuses a request that does not match the contract', async () => {
    const { main } = await mainWithEvents();
    const result = await main.dispatch('chat:start-stream', { model: FAKE_MODELS.local, messages: [], temperature: 7 }, APP);
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
  });

  it('chat:abort stops a stream: cancelled last, text kept, the provider sees the connection closed', async () => {
    const { main, parts, ended } = await mainWithEvents();
    useFakes().anthropic.respondWith({ kind: 'stall', chunks: ['Es', ' war', ' einmal'] });
    const closed = useFakes().anthropic.waitForClientClose();
    const started = await main.dispatch('chat:start-stream', { model: FAKE_MODELS.anthropic, messages: [{ role: 'user', content: 'Erzähl' }] }, APP);
    const { streamId } = (started as { value: { streamId: string } }).value;
    while (!parts(streamId).some((part) => part.type === 'text-delta')) await new Promise((done) => setTimeout(done, 5));

    expect(await main.dispatch('chat:abort', { streamId }, APP)).toEqual({ ok: true, value: { aborted: true } });
    await ended(streamId);
    await closed;
    const received = parts(streamId);
    expect(received.flatMap((part) => (part.type === 'text-delta' ? [part.text] : [])).join('')).toBe('Es war einmal');
    expect(received.at(-1)).toMatchObject({ type: 'error', code: 'cancelled' });
    expect(await main.dispatch('chat:abort', { streamId }, APP)).toEqual({ ok: true, value: { aborted: false } });
  });

  it('reports a provider error as the last part, after the provenance', async () => {
    const { main, parts, ended } = await mainWithEvents();
    useFakes().openai.respondWith({ kind: 'http-error', status: 400, body: { error: { message: 'Invalid value for temperature.', type: 'invalid_request_error' } } });
    const started = await main.dispatch('chat:start-stream', { model: FAKE_MODELS.openai, messages: [{ role: 'user', content: 'hi' }] }, APP);
    const { streamId } = (started as { value: { streamId: string } }).value;
    await ended(streamId);
    expect(parts(streamId)).toEqual([
      expect.objectContaining({ type: 'provenance', provider: 'openai', routeClass: 'non-eu' }),
      expect.objectContaining({ type: 'error', code: 'invalid_request' }),
    ]);
  });

  it('tries again after a 503 before any text, says so, and the answer comes from the second try', async () => {
    const { main, parts, ended } = await mainWithEvents();
    useFakes().openai.respondWith({ kind: 'http-error', status: 503, body: { error: { message: 'The engine is currently overloaded.', type: 'server_error' } } }, { kind: 'answer', chunks: ['Hallo', '!'] });
    const before = useFakes().openai.requests.length;
    const started = await main.dispatch('chat:start-stream', { model: FAKE_MODELS.openai, messages: [{ role: 'user', content: 'hi' }] }, APP);
    const { streamId } = (started as { value: { streamId: string } }).value;
    await ended(streamId);
    expect(parts(streamId).map((part) => part.type)).toEqual(['provenance', 'notice', 'provenance', 'text-delta', 'finish']);
    expect(parts(streamId)[1]).toMatchObject({ message: expect.stringMatching(/Trying again in \d\.\d s \(try 2 of 4\)/) });
    expect(parts(streamId)[2]).toMatchObject({ attempt: 2 });
    expect(useFakes().openai.requests.slice(before).filter((request) => request.path.endsWith('/chat/completions'))).toHaveLength(2);
  });
});
