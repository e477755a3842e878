import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { PullProgress } from '../../shared/ollama';
import { AtelierError } from '../../shared/errors';
import { DEFAULT_SETTINGS } from '../../shared/settings';
import { resolveProviderConfig } from '../../electron/core/config/provider-config';
import { OllamaService } from '../../electron/core/ollama/ollama-service';
import type { NewEgressEntry } from '../../electron/core/privacy/egress-log';
import type { PrivacyPolicy } from '../../electron/core/privacy/policy';
import { createOllamaFake } from '../fakes/ollama-fake';

const GIB = 1024 ** 3;
const LOCAL_ONLY: PrivacyPolicy = { tier: 'dsgvo_local', allowedOllamaHosts: [], endpointResidency: {}, source: 'settings' };
let fake: ReturnType<typeof createOllamaFake> | undefined;

afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function start(options: Parameters<typeof createOllamaFake>[0] = {}) {
  fake = createOllamaFake(options);
  await fake.start();
  const url = fake.url;
  return { fake, service: new OllamaService(() => resolveProviderConfig(DEFAULT_SETTINGS, { OLLAMA_HOST: url }).ollama, { policy: () => LOCAL_ONLY }) };
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
    const service = new OllamaService(() => resolveProviderConfig(DEFAULT_SETTINGS, { OLLAMA_HOST: `127.0.0.1:${port}` }).ollama, { policy: () => LOCAL_ONLY });
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

describe('OllamaService under the privacy tier', () => {
  const SCHOOL_HOST = 'gpu.school.example';

  /** Ollama configured at a school server's name; the connection goes to the fake on loopback. */
  async function atSchoolServer(policy: PrivacyPolicy) {
    fake = createOllamaFake({ models: ['llama3.2:3b'] });
    await fake.start();
    const server = fake;
    const toFake: typeof fetch = (input, init) => fetch(String(input instanceof Request ? input.url : input).replace(`http://${SCHOOL_HOST}:11434`, server.url), init);
    const recorded: NewEgressEntry[] = [];
    const service = new OllamaService(() => resolveProviderConfig(DEFAULT_SETTINGS, { OLLAMA_HOST: `http://${SCHOOL_HOST}:11434` }).ollama, {
      policy: () => policy,
      // Like the egress record: an entry written before the call left is completed when it ends.
      onEgress: (entry) => {
        const index = recorded.push(entry) - 1;
        return (end) => (recorded[index] = { ...entry, ...end });
      },
      fetch: toFake,
    });
    return { server, service, recorded };
  }

  it('never contacts an Ollama host the tier does not allow, and records each refused call', async () => {
    const { server, service, recorded } = await atSchoolServer(LOCAL_ONLY);
    const status = await service.status();
    expect(status).toMatchObject({ running: false, problem: { code: 'policy_denied', message: expect.stringContaining(`Ollama at ${SCHOOL_HOST}`) as unknown } });
    const machine = { usableVramBytes: 8 * GIB, ramBytes: 32 * GIB };
    const refusals = await Promise.all([
      service.list(machine).catch((error: unknown) => error),
      service.pull('qwen2.5:7b', () => undefined, new AbortController().signal).catch((error: unknown) => error),
      service.delete('llama3.2:3b').catch((error: unknown) => error),
      service.preload('llama3.2:3b').catch((error: unknown) => error),
    ]);
    for (const refusal of refusals) expect(refusal).toMatchObject({ code: 'policy_denied', hint: expect.stringContaining('policy file') as unknown });
    expect(server.requests).toHaveLength(0);
    expect(server.installed.has('llama3.2:3b')).toBe(true);
    // The status ping is not recorded; the four actions are, as refused, with where they would have gone.
    expect(recorded).toHaveLength(4);
    for (const entry of recorded) expect(entry).toMatchObject({ purpose: 'model-management', tier: 'dsgvo_local', routeClass: 'non-eu', host: SCHOOL_HOST, outcome: 'refused', errorCode: 'policy_denied' });
    expect(recorded.map((entry) => entry.modelId)).toEqual(['', 'qwen2.5:7b', 'llama3.2:3b', 'llama3.2:3b']);
  });

  it('manages models on a server the school names, and records what left this computer', async () => {
    const { server, service, recorded } = await atSchoolServer({ ...LOCAL_ONLY, allowedOllamaHosts: [SCHOOL_HOST], source: 'policy-file' });
    expect(await service.status()).toMatchObject({ running: true });
    const models = await service.list({ usableVramBytes: 8 * GIB, ramBytes: 32 * GIB });
    expect(models.map((model) => model.name)).toEqual(['llama3.2:3b']);
    await service.delete('llama3.2:3b');
    await expect(service.delete('llama3.2:3b')).rejects.toMatchObject({ code: 'model_not_found' });
    expect(server.installed.size).toBe(0);
    expect(recorded.map((entry) => [entry.purpose, entry.routeClass, entry.host, entry.modelId, entry.outcome, entry.errorCode])).toEqual([
      ['model-management', 'local', SCHOOL_HOST, '', 'completed', null],
      ['model-management', 'local', SCHOOL_HOST, 'llama3.2:3b', 'completed', null],
      ['model-management', 'local', SCHOOL_HOST, 'llama3.2:3b', 'failed', 'model_not_found'],
    ]);
  });

  it('records nothing for calls to Ollama on this computer, which leave nothing', async () => {
    const recorded: NewEgressEntry[] = [];
    fake = createOllamaFake({ models: ['llama3.2:3b'] });
    await fake.start();
    const url = fake.url;
    const service = new OllamaService(() => resolveProviderConfig(DEFAULT_SETTINGS, { OLLAMA_HOST: url }).ollama, { policy: () => LOCAL_ONLY, onEgress: (entry) => void recorded.push(entry) });
    await service.list({ usableVramBytes: 8 * GIB, ramBytes: 32 * GIB });
    await service.preload('llama3.2:3b');
    expect(fake.requests.length).toBeGreaterThan(0);
    expect(recorded).toEqual([]);
  });
});
