import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, type Settings } from '../../shared/settings';
import { collectAnswer } from '../../electron/core/chat/collect';
import { ChatRouter } from '../../electron/core/chat/router';
import { resolveProviderConfig } from '../../electron/core/config/provider-config';
import { writeHardwareCache } from '../../electron/core/hardware/hardware-cache';
import { interpretHardware, type ProbeResults } from '../../electron/core/hardware/interpret-hardware';
import { UNRESTRICTED } from '../../electron/core/privacy/policy';
import { createOllamaFake } from '../fakes/ollama-fake';
import type { LoopbackServer } from '../fakes/loopback-server';
import { FAKE_MODELS, useProviderFakes } from '../support/provider-fakes';
import { runAtelier } from '../support/run-cli';
import { writeSettings } from '../support/settings-file';
import { tempDir } from '../support/temp-dir';

const useFakes = useProviderFakes();

/** The num_ctx of the last chat request a fake Ollama received. */
function lastNumCtx(server: LoopbackServer): number | undefined {
  const chat = server.requests.filter((request) => request.path === '/api/chat').at(-1);
  return (JSON.parse(chat?.body ?? '{}') as { options?: { num_ctx?: number } }).options?.num_ctx;
}

async function fixtureReport(name: string) {
  const probe = JSON.parse(await fs.readFile(path.resolve(import.meta.dirname, '../fixtures/hardware', `${name}.json`), 'utf8')) as ProbeResults;
  return interpretHardware(probe, { detectedAt: '2026-12-01T08:00:00.000Z', durationMs: 0 });
}

describe('Ollama’s num_ctx follows the hardware matrix', () => {
  // llama3.2:3b (FAKE_MODELS.local): 2.7 GB plus 112 KiB per token of context.
  it.each([
    [0, 8192],
    [8, 32_768],
    [24, 131_072],
  ])('with %d GB of GPU memory, a chat to llama3.2:3b sends num_ctx %d, and the history is fitted to it', async (gb, numCtx) => {
    const settings: Settings = { ...DEFAULT_SETTINGS, hardware: { vramOverrideGb: gb } };
    const router = new ChatRouter({ policy: () => UNRESTRICTED, config: () => resolveProviderConfig(settings, useFakes().env) });
    const answer = await collectAnswer(router.stream({ model: FAKE_MODELS.local, messages: [{ role: 'user', content: 'Hallo!' }] }));
    expect(answer.error).toBeNull();
    expect(lastNumCtx(useFakes().ollama)).toBe(numCtx);
    expect(answer.provenance?.contextTokens).toBe(numCtx);
  });

  it('a number fixed in settings is sent whatever the GPU', async () => {
    const settings: Settings = { ...DEFAULT_SETTINGS, ollama: { ...DEFAULT_SETTINGS.ollama, numCtx: 4096 }, hardware: { vramOverrideGb: 24 } };
    const router = new ChatRouter({ policy: () => UNRESTRICTED, config: () => resolveProviderConfig(settings, useFakes().env) });
    const answer = await collectAnswer(router.stream({ model: FAKE_MODELS.local, messages: [{ role: 'user', content: 'Hallo!' }] }));
    expect(lastNumCtx(useFakes().ollama)).toBe(4096);
    expect(answer.provenance?.contextTokens).toBe(4096);
  });

  it('atelier chat plans with the detection kept in the data folder (no probe), the override over it, and a fixed size over both', async () => {
    const home = await tempDir();
    // A 12 GB NVIDIA card (11.99 GiB): llama3.2:3b has room for about 77,500 tokens.
    await writeHardwareCache(home, await fixtureReport('linux-nvidia'));
    const env = { ...useFakes().env, ATELIER_HOME: home };
    const chat = async () => {
      const result = await runAtelier(['chat', '--json', '-m', FAKE_MODELS.local, 'Hallo!'], { env });
      expect(result.code, result.stderr).toBe(0);
      return { sent: lastNumCtx(useFakes().ollama), reported: (JSON.parse(result.stdout) as { contextTokens: number }).contextTokens };
    };
    expect(await chat()).toEqual({ sent: 65_536, reported: 65_536 });

    expect((await runAtelier(['settings', 'set', 'hardware.vramOverrideGb', '8'], { env })).code).toBe(0);
    expect(await chat()).toEqual({ sent: 32_768, reported: 32_768 });

    expect(await runAtelier(['settings', 'set', 'ollama.numCtx', '16384'], { env })).toMatchObject({ code: 0, stdout: 'ollama.numCtx = 16384\n' });
    expect(await chat()).toEqual({ sent: 16_384, reported: 16_384 });

    expect(await runAtelier(['settings', 'set', 'ollama.numCtx', 'auto'], { env })).toMatchObject({ code: 0, stdout: 'ollama.numCtx = auto\n' });
    expect((await runAtelier(['settings', 'get', 'ollama.numCtx'], { env })).stdout).toBe('auto\n');
    expect(await chat()).toEqual({ sent: 32_768, reported: 32_768 });
  });

  it('without any detection kept or override, atelier chat sends the default 8192', async () => {
    const env = { ...useFakes().env, ATELIER_HOME: await tempDir() };
    const result = await runAtelier(['chat', '--json', '-m', FAKE_MODELS.local, 'Hallo!'], { env });
    expect(lastNumCtx(useFakes().ollama)).toBe(8192);
    expect(JSON.parse(result.stdout)).toMatchObject({ contextTokens: 8192 });
  });
});

describe('atelier doctor and num_ctx', () => {
  let ollama: ReturnType<typeof createOllamaFake> | undefined;
  afterEach(async () => {
    await ollama?.close();
    ollama = undefined;
  });

  it('--json says the num_ctx of each recommended and installed model and why, the same a chat then sends; the detection is kept', async () => {
    ollama = createOllamaFake({ models: ['llama3.2:3b', 'qwen2.5:7b', 'tinyllama:1.1b'] });
    await ollama.start();
    const home = await tempDir();
    await writeSettings(home, { hardware: { vramOverrideGb: 24 } });
    const env = { ATELIER_HOME: home, OLLAMA_HOST: ollama.url, PATH: process.env.PATH };
    const result = await runAtelier(['doctor', '--json'], { env });
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as {
      recommendations: { numCtx: number; numCtxAutomatic: boolean; local: Record<string, { model: string; numCtx: number; numCtxReason: string }> };
      context: { automatic: boolean; vramBytes: number; models: { model: string; numCtx: number; reason: string; why: string; roles: string[]; installed: boolean }[] };
    };
    // The 24 GB tier's models: llama3.1:8b, qwen2.5:14b, qwen2.5:32b.
    expect(report.recommendations).toMatchObject({
      numCtx: 8192,
      numCtxAutomatic: true,
      local: {
        fast: { model: 'local/llama3.1:8b', numCtx: 131_072, numCtxReason: 'model-limit' },
        advanced: { model: 'local/qwen2.5:14b', numCtx: 32_768, numCtxReason: 'model-limit' },
        extreme: { model: 'local/qwen2.5:32b', numCtx: 8192, numCtxReason: 'fits-vram' },
      },
    });
    expect(report.context).toMatchObject({ automatic: true, vramBytes: 24 * 1024 ** 3 });
    expect(report.context.models).toEqual([
      { model: 'local/llama3.1:8b', numCtx: 131_072, reason: 'model-limit', why: 'the model’s own limit (fits in 24.0 GB of GPU memory)', roles: ['fast'], installed: false },
      { model: 'local/qwen2.5:14b', numCtx: 32_768, reason: 'model-limit', why: 'the model’s own limit (fits in 24.0 GB of GPU memory)', roles: ['advanced'], installed: false },
      { model: 'local/qwen2.5:32b', numCtx: 8192, reason: 'fits-vram', why: 'the most that fits in 24.0 GB of GPU memory', roles: ['extreme'], installed: false },
      { model: 'local/qwen2.5:7b', numCtx: 32_768, reason: 'model-limit', why: 'the model’s own limit (fits in 24.0 GB of GPU memory)', roles: [], installed: true },
      { model: 'local/llama3.2:3b', numCtx: 131_072, reason: 'model-limit', why: 'the model’s own limit (fits in 24.0 GB of GPU memory)', roles: [], installed: true },
      { model: 'local/tinyllama:1.1b', numCtx: 8192, reason: 'unknown-model', why: 'a model Atelier has no size table for: the default', roles: [], installed: true },
    ]);

    // What doctor says is what a chat sends.
    for (const entry of report.context.models.filter((model) => model.installed)) {
      const chat = await runAtelier(['chat', '--json', '-m', entry.model, 'Hallo!'], { env });
      expect(chat.code, chat.stderr).toBe(0);
      expect(lastNumCtx(ollama), entry.model).toBe(entry.numCtx);
    }

    // The detection is kept for the next `atelier chat`, as detected (the override applies when used).
    const kept = JSON.parse(await fs.readFile(path.join(home, 'hardware.json'), 'utf8')) as { report: { vramSource: string } };
    expect(kept.report.vramSource).not.toBe('override');

    const text = (await runAtelier(['doctor'], { env })).stdout;
    expect(text).toMatch(/^Recommended local models, each with the context \(num_ctx\) Atelier sends it on this machine:$/m);
    expect(text).toMatch(/^ {2}fast {6}local\/llama3\.1:8b .*, num_ctx 131072 \(the model’s own limit \(fits in 24\.0 GB of GPU memory\)\)$/m);
    expect(text).toMatch(/^ {2}local\/tinyllama:1\.1b +num_ctx 8192 \(a model Atelier has no size table for: the default\)$/m);

    expect((await runAtelier(['settings', 'set', 'ollama.numCtx', '12000'], { env })).code).toBe(0);
    const fixed = JSON.parse((await runAtelier(['doctor', '--json'], { env })).stdout) as typeof report;
    expect(fixed.context.automatic).toBe(false);
    for (const entry of fixed.context.models) expect(entry).toMatchObject({ numCtx: 12_000, reason: 'fixed', why: 'fixed in settings (ollama.numCtx)' });
  }, 60_000);
});
