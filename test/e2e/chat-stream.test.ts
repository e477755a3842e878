import { afterEach, describe, expect, it } from 'vitest';
import { FAKE_MODELS, useProviderFakes } from '../support/provider-fakes';
import { ANY_PROVIDER, writeSettings } from '../support/settings-file';
import { tempDir } from '../support/temp-dir';
import { launchApp, type RunningApp } from './harness/launch-app';

let app: RunningApp | undefined;
const useFakes = useProviderFakes();
afterEach(async () => {
  await app?.close();
  app = undefined;
});

/** Runs in the page: starts a stream through window.atelier and gathers its parts until it ends. */
const streamInPage = async ([modelId, abortAfter]: [string, string | undefined]) => {
  const parts: { type: string; text?: string; code?: string }[] = [];
  let streamId = '';
  const ended = new Promise<void>((resolve) => {
    window.atelier.on('chat:stream-part', (event) => {
      if (event.streamId !== streamId) return;
      parts.push(event.part);
      if (event.part.type === 'text-delta' && abortAfter && event.part.text.includes(abortAfter)) {
        void window.atelier.invoke('chat:abort', { streamId });
      }
      if (event.part.type === 'finish' || event.part.type === 'error') resolve();
    });
  });
  const started = await window.atelier.invoke('chat:start-stream', { model: modelId, messages: [{ role: 'user', content: 'Hallo' }] });
  if (!started.ok) return { started, parts };
  streamId = started.value.streamId;
  await ended;
  return { started, parts };
};

describe('chat streaming through the real bridge', () => {
  it('streams an answer to the page as chat:stream-part events', async () => {
    useFakes().bedrock.respondWith({ kind: 'answer', chunks: ['Guten', ' Morgen', '!'] });
    const dataDir = await tempDir();
    await writeSettings(dataDir, ANY_PROVIDER);
    app = await launchApp(dataDir, { env: useFakes().env });
    const { started, parts } = await app.page.evaluate(streamInPage, [FAKE_MODELS.bedrock, undefined] as [string, undefined]);
    expect(started.ok).toBe(true);
    expect(parts.filter((part) => part.type === 'text-delta').map((part) => part.text).join('')).toBe('Guten Morgen!');
    expect(parts.at(-1)).toMatchObject({ type: 'finish' });
    expect(app.pageErrors).toEqual([]);
  });

  it('stops a stream with chat:abort: cancelled, the text kept, the provider sees the close', async () => {
    useFakes().ollama.respondWith({ kind: 'stall', chunks: ['Es', ' war', ' einmal'] });
    const dataDir = await tempDir();
    await writeSettings(dataDir, ANY_PROVIDER);
    app = await launchApp(dataDir, { env: useFakes().env });
    const closed = useFakes().ollama.waitForClientClose();
    const { parts } = await app.page.evaluate(streamInPage, [FAKE_MODELS.local, 'einmal'] as [string, string]);
    await closed;
    expect(parts.filter((part) => part.type === 'text-delta').map((part) => part.text).join('')).toBe('Es war einmal');
    expect(parts.at(-1)).toMatchObject({ type: 'error', code: 'cancelled' });
  });
});
