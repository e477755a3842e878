import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hardwareTiers } from '../../shared/hardware';
import { adviseLocalModels, chooseTier, cloudDefaults, estimateFit, hardwareMatrix } from '../../electron/core/hardware/hardware-matrix';
import { interpretHardware, type ProbeResults } from '../../electron/core/hardware/interpret-hardware';
import { kvBytesPerToken, ollamaModels, requiredBytes } from '../../electron/core/hardware/ollama-models';

const GIB = 1024 ** 3;

function report(name: string) {
  const probe = JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, '../fixtures/hardware', `${name}.json`), 'utf8')) as ProbeResults;
  return interpretHardware(probe, { detectedAt: '', durationMs: 0 });
}

describe('the hardware matrix', () => {
  it.each([
    ['linux-nvidia', 'vram-12'],
    ['windows-nvidia-over-4gb', 'vram-12'],
    ['windows-amd-over-4gb', 'vram-16'],
    ['windows-amd-capped', 'vram-4'],
    ['apple-silicon', 'vram-16'],
    ['linux-amd-sysfs', 'vram-16'],
    ['linux-intel-integrated', 'cpu'],
    ['hybrid-laptop', 'vram-4'],
    ['no-gpu-linux', 'cpu'],
  ])('%s is in tier %s', (fixture, tier) => {
    expect(adviseLocalModels(report(fixture), 8192).tier).toBe(tier);
  });

  it('puts a card at the edge of its size in its tier (12282 MiB is a 12 GB card)', () => {
    expect(chooseTier(12282 * 1024 ** 2)).toBe('vram-12');
    expect(chooseTier(11 * GIB)).toBe('vram-8');
    expect(chooseTier(0)).toBe('cpu');
    expect(chooseTier(200 * GIB)).toBe('vram-80');
  });

  it('recommends for every tier a model per role that fits the tier’s smallest card at 8K context', () => {
    for (const tier of hardwareTiers) {
      if (tier === 'cpu') continue;
      const floorGiB = Number(tier.slice('vram-'.length));
      const advice = adviseLocalModels({ usableVramBytes: floorGiB * GIB, ramBytes: 64 * GIB }, 8192);
      for (const recommendation of Object.values(advice.local)) expect(recommendation.fit, `${tier} ${recommendation.model}`).toBe('fits');
    }
  });

  it('estimates memory from weights, the KV cache at num_ctx, and overhead', () => {
    const model = ollamaModels['llama3.2:3b'];
    expect(kvBytesPerToken(model)).toBe(2 * 28 * 8 * 128 * 2); // 112 KiB per token
    expect(requiredBytes(model, 8192)).toBe(Math.round(2e9 + 114688 * 8192 + 512 * 1024 ** 2 + 0.08 * 2e9));
    expect(requiredBytes(model, 32768)).toBeGreaterThan(requiredBytes(model, 8192) + 2.5 * GIB);
  });

  it('marks a model that would spill out of VRAM, and one too big for the machine', () => {
    const gemma = ollamaModels['gemma3:12b'];
    expect(estimateFit(gemma, 8192, 12 * GIB, 32 * GIB).fit).toBe('fits');
    expect(estimateFit(gemma, 32768, 12 * GIB, 32 * GIB).fit).toBe('spills');
    expect(estimateFit(ollamaModels['llama3.3:70b'], 8192, 8 * GIB, 16 * GIB).fit).toBe('too-big');
    const advice = adviseLocalModels({ usableVramBytes: 12 * GIB, ramBytes: 32 * GIB }, 32768);
    expect(advice.local.extreme).toMatchObject({ model: 'local/gemma3:12b', fit: 'spills' });
  });

  it('on a CPU-only machine, recommends only what fits its RAM', () => {
    const small = adviseLocalModels({ usableVramBytes: 0, ramBytes: 4 * GIB }, 8192);
    for (const recommendation of Object.values(small.local)) {
      expect(recommendation.fit).toBe('cpu');
      expect(recommendation.requiredBytes).toBeLessThanOrEqual(3 * GIB);
    }
    expect(small.local.extreme.model).toBe('local/llama3.2:1b');
    const thisMachine = adviseLocalModels(report('no-gpu-linux'), 8192);
    expect(thisMachine.local.extreme).toMatchObject({ model: 'local/qwen2.5:7b', fit: 'cpu' });
  });

  it('uses only models the catalogue describes, and EU-only ids for the EU defaults', () => {
    for (const row of Object.values(hardwareMatrix)) for (const tag of Object.values(row)) expect(ollamaModels).toHaveProperty([tag]);
    for (const id of Object.values(cloudDefaults.bedrockEu)) expect(id).toMatch(/^bedrock\/eu\./);
  });
});
