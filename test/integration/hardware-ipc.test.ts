import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { PullEvent } from '../../shared/ollama';
import type { ProbeResults } from '../../electron/core/hardware/interpret-hardware';
import { createOllamaFake } from '../fakes/ollama-fake';
import { startMainProcess } from '../support/main-process';
import { tempDir } from '../support/temp-dir';

const APP = { url: 'app://atelier/index.html' };
const GIB = 1024 ** 3;

function fixtureProbe(name: string): () => Promise<ProbeResults> {
  const probe = JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, '../fixtures/hardware', `${name}.json`), 'utf8')) as ProbeResults;
  return () => Promise.resolve(probe);
}

let fake: ReturnType<typeof createOllamaFake> | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function main(probe = fixtureProbe('hybrid-laptop'), fakeOptions: Parameters<typeof createOllamaFake>[0] = {}) {
  fake = createOllamaFake(fakeOptions);
  await fake.start();
  const process = await startMainProcess(await tempDir(), ['app://atelier'], { OLLAMA_HOST: fake.url }, probe);
  const events: PullEvent[] = [];
  process.forwardEvents((event, payload) => {
    if (event === 'ollama:pull-progress') events.push(payload as PullEvent);
  });
  return { main: process, fake, events };
}

describe('hardware and Ollama over IPC', () => {
  it('hardware:get detects once, keeps it, and applies the VRAM override from settings', async () => {
    let probes = 0;
    const probe = fixtureProbe('hybrid-laptop');
    const { main: app } = await main(() => {
      probes++;
      return probe();
    });
    const first = await app.dispatch('hardware:get', undefined, APP);
    expect(first).toMatchObject({ ok: true, value: { report: { primaryGpu: 1, usableVramBytes: 4 * GIB }, advice: { tier: 'vram-4', numCtx: 8192 } } });

    await app.dispatch('settings:update', { hardware: { vramOverrideGb: 16 } }, APP);
    const overridden = await app.dispatch('hardware:get', {}, APP);
    expect(overridden).toMatchObject({ ok: true, value: { report: { usableVramBytes: 16 * GIB, vramSource: 'override' }, advice: { tier: 'vram-16' } } });
    expect(probes).toBe(1);

    await app.dispatch('hardware:get', { refresh: true }, APP);
    expect(probes).toBe(2);
  });

  it('chats plan num_ctx with the app’s detection, kept in the data folder for the next start, which does not wait for its own', async () => {
    fake = createOllamaFake({ models: ['llama3.2:3b'] });
    await fake.start();
    const dataDir = await tempDir();
    const chat = async (app: Awaited<ReturnType<typeof startMainProcess>>) => {
      const parts: unknown[] = [];
      const stop = app.forwardEvents((event, payload) => void (event === 'chat:stream-part' && parts.push(payload)));
      const started = await app.dispatch('chat:start-stream', { model: 'local/llama3.2:3b', messages: [{ role: 'user', content: 'Hallo!' }] }, APP);
      expect(started).toMatchObject({ ok: true });
      await expect.poll(() => parts.some((payload) => ['finish', 'error'].includes((payload as { part: { type: string } }).part.type))).toBe(true);
      stop();
      const last = fake?.requests.filter((request) => request.path === '/api/chat').at(-1);
      return (JSON.parse(last?.body ?? '{}') as { options: { num_ctx: number } }).options.num_ctx;
    };

    // Before anything is detected (the probe has not answered), the default.
    let answerProbe: (probe: ProbeResults) => void = () => undefined;
    const slow = new Promise<ProbeResults>((resolve) => (answerProbe = resolve));
    const first = await startMainProcess(dataDir, ['app://atelier'], { OLLAMA_HOST: fake.url }, () => slow);
    first.services.hardware.warmUp();
    expect(await chat(first)).toBe(8192);
    // A 12 GB NVIDIA card: llama3.2:3b has room for about 77,500 tokens.
    answerProbe(await fixtureProbe('linux-nvidia')());
    await first.dispatch('hardware:get', undefined, APP);
    expect(await chat(first)).toBe(65_536);
    await expect.poll(() => fs.existsSync(path.join(dataDir, 'hardware.json'))).toBe(true);
    await first.services.close();

    // The next start plans with what was kept while its own probe has not answered.
    const second = await startMainProcess(dataDir, ['app://atelier'], { OLLAMA_HOST: fake.url }, () => new Promise<ProbeResults>(() => undefined));
    second.services.hardware.warmUp();
    expect(await chat(second)).toBe(65_536);
    await second.services.close();
  });

  it('ollama:status and ollama:list answer from Ollama, with fit badges for this machine', async () => {
    const { main: app } = await main(fixtureProbe('linux-nvidia'), { models: ['llama3.2:3b', 'llama3.3:70b'] });
    expect(await app.dispatch('ollama:status', undefined, APP)).toMatchObject({ ok: true, value: { running: true, version: '0.12.6' } });
    const listed = await app.dispatch('ollama:list', undefined, APP);
    expect(listed).toMatchObject({ ok: true, value: { models: [{ name: 'llama3.3:70b', fit: 'too-big' }, { name: 'llama3.2:3b', fit: 'fits' }] } });
  });

  it('ollama:pull sends progress events, then finished; ollama:delete removes the model', async () => {
    const { main: app, fake: server, events } = await main(undefined, { models: [], pullSteps: 12, pullStepMs: 30 });
    expect(await app.dispatch('ollama:pull', { model: 'qwen2.5:7b' }, APP)).toEqual({ ok: true, value: { started: true } });
    expect(await app.dispatch('ollama:pull', { model: 'qwen2.5:7b' }, APP)).toEqual({ ok: true, value: { started: false } });
    await expect.poll(() => events.at(-1)?.finished, { timeout: 10_000 }).toBe(true);
    expect(events.at(-1)).toEqual({ model: 'qwen2.5:7b', progress: null, finished: true, error: null });
    expect(events.some((event) => (event.progress?.percent ?? 0) > 0 && (event.progress?.percent ?? 0) < 100)).toBe(true);
    expect(server.installed.has('qwen2.5:7b')).toBe(true);

    expect(await app.dispatch('ollama:delete', { model: 'qwen2.5:7b' }, APP)).toEqual({ ok: true, value: { deleted: true } });
    expect(await app.dispatch('ollama:delete', { model: 'qwen2.5:7b' }, APP)).toMatchObject({ ok: false, error: { code: 'model_not_found' } });
  });

  it('ollama:cancel-pull stops a download; the last event says cancelled', async () => {
    const { main: app, fake: server, events } = await main(undefined, { models: [], pullSteps: 50, pullStepMs: 30 });
    await app.dispatch('ollama:pull', { model: 'llama3.2:3b' }, APP);
    await expect.poll(() => events.length, { timeout: 10_000 }).toBeGreaterThan(1);
    expect(await app.dispatch('ollama:cancel-pull', { model: 'llama3.2:3b' }, APP)).toEqual({ ok: true, value: { cancelled: true } });
    await expect.poll(() => events.at(-1)?.finished, { timeout: 10_000 }).toBe(true);
    expect(events.at(-1)?.error).toMatchObject({ code: 'cancelled' });
    expect(server.installed.has('llama3.2:3b')).toBe(false);
  });

  it('refuses a model name that is not one', async () => {
    const { main: app } = await main();
    expect(await app.dispatch('ollama:pull', { model: '../../etc/passwd' }, APP)).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    expect(await app.dispatch('ollama:pull', { model: 'llama3.2:3b; rm -rf /' }, APP)).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
  });
});
