import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { PullProgress } from '../../shared/ollama';
import { AtelierError } from '../../shared/errors';
import { DEFAULT_SETTINGS } from '../../shared/settings';
import { resolveProviderConfig } from '../../electron/core/config/provider-config';
import { OllamaService } from '../../electron/core/ollama/ollama-service';
import { createOllamaFake } from '../fakes/ollama-fake';

const GIB = 1024 ** 3;
let fake: ReturnType<typeof createOllamaFake> | undefined;

afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function start(options: Parameters<typeof createOllamaFake>[0] = {}) {
  fake = createOllamaFake(options);
  await fake.start();
  const url = fake.url;
  return { fake, service: new OllamaService(() => resolveProviderConfig(DEFAULT_SETTINGS, { OLLAMA_HOST: url }).ollama) };
}

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

describe('OllamaService', () => {
  it('reports a running Ollama with its version and address', async () => {
    const { service, fake: server } = await start();
    expect(await service.status()).toEqual({ running: true, version: '0.12.6', host: server.url, hostSource: 'environment', problem: null });
  });

  it('tells "not installed" from "not running" on this machine', async () => {
    const port = await closedPort();
    const service = new OllamaService(() => resolveProviderConfig(DEFAULT_SETTINGS, { OLLAMA_HOST: `127.0.0.1:${port}` }).ollama);
    const status = await service.status();
    expect(status.running).toBe(false);
    // These machines have no ollama program: the guidance is to install it.
    expect(status.problem).toMatchObject({ code: 'provider_unreachable', message: 'Ollama is not installed on this computer.', hint: expect.stringContaining('ollama.com/download') as unknown });
  });

  it('lists installed models with size, fit at the configured context, and whether loaded', async () => {
    const { service, fake: server } = await start({ models: ['llama3.2:3b', 'llama3.3:70b'] });
    server.loaded.add('llama3.2:3b');
    const models = await service.list({ usableVramBytes: 8 * GIB, ramBytes: 32 * GIB });
    expect(models.map((model) => [model.name, model.loaded, model.fit])).toEqual([
      ['llama3.3:70b', false, 'too-big'],
      ['llama3.2:3b', true, 'fits'],
    ]);
    expect(models[1]).toMatchObject({ sizeBytes: 2_019_393_189, parameterSize: '3.2B', quantization: 'Q4_K_M' });
    expect(models[1]?.requiredBytes).toBeGreaterThan(2_019_393_189);
  });

  it('pulls with progress in bytes and percent, ending at 100 % and installed', async () => {
    const { service, fake: server } = await start({ models: [], pullSteps: 4 });
    const progress: PullProgress[] = [];
    await service.pull('qwen2.5:7b', (update) => progress.push(update), new AbortController().signal);
    expect(progress[0]).toMatchObject({ model: 'qwen2.5:7b', status: 'pulling manifest', percent: null });
    const percents = progress.flatMap((update) => (update.percent === null ? [] : [update.percent]));
    expect(percents).toEqual([...percents].sort((a, b) => a - b));
    expect(progress.at(-1)).toMatchObject({ status: 'success', done: true, percent: 100, completedBytes: 4_683_087_332 + 12_403 });
    expect(server.installed.has('qwen2.5:7b')).toBe(true);
  });

  it('cancels a pull, and a second pull resumes where the first stopped', async () => {
    const { service, fake: server } = await start({ models: [], pullSteps: 20, pullStepMs: 20 });
    const controller = new AbortController();
    const closed = server.waitForClientClose();
    const cancelled = await service
      .pull('llama3.2:3b', (update) => {
        if ((update.percent ?? 0) >= 25) controller.abort();
      }, controller.signal)
      .catch((error: unknown) => error);
    await closed;
    expect(cancelled).toBeInstanceOf(AtelierError);
    expect((cancelled as AtelierError).code).toBe('cancelled');
    const kept = server.partial.get('llama3.2:3b') ?? 0;
    expect(kept).toBeGreaterThan(0);
    expect(server.installed.has('llama3.2:3b')).toBe(false);

    const resumed: PullProgress[] = [];
    await service.pull('llama3.2:3b', (update) => resumed.push(update), new AbortController().signal);
    const firstLayer = resumed.find((update) => update.totalBytes > 0);
    expect(firstLayer?.completedBytes).toBeGreaterThan(kept - 1);
    expect(server.installed.has('llama3.2:3b')).toBe(true);
  });

  it('says when the library has no such model', async () => {
    const { service } = await start({ models: [] });
    const error = await service.pull('no-such-model:1b', () => undefined, new AbortController().signal).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'model_not_found', message: expect.stringContaining('no-such-model:1b') as unknown });
  });

  it('deletes a model, and says when there is none to delete', async () => {
    const { service, fake: server } = await start({ models: ['llama3.2:3b'] });
    await service.delete('llama3.2:3b');
    expect(server.installed.size).toBe(0);
    await expect(service.delete('llama3.2:3b')).rejects.toMatchObject({ code: 'model_not_found' });
  });

  it('preloads a model so it is in memory before the first question', async () => {
    const { service, fake: server } = await start({ models: ['llama3.2:3b'] });
    await service.preload('llama3.2:3b');
    expect(server.loaded.has('llama3.2:3b')).toBe(true);
    expect(JSON.parse(server.lastRequest().body)).toMatchObject({ model: 'llama3.2:3b', keep_alive: '5m' });
  });
});
