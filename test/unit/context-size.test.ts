import { describe, expect, it } from 'vitest';
import { chooseNumCtx, describeNumCtx, NUM_CTX_DEFAULT, VRAM_SHARE } from '../../electron/core/hardware/context-size';
import { adviseLocalModels } from '../../electron/core/hardware/hardware-matrix';
import { ollamaModels, requiredBytes, type OllamaModelTag } from '../../electron/core/hardware/ollama-models';

const GIB = 1024 ** 3;

describe('choosing num_ctx from the GPU memory', () => {
  // Worked out by hand from ollama-models.ts (weights + KV cache × tokens + overhead): the
  // default must fit the whole GPU (as the matrix says "fits"); more must fit 90 % of it.
  it.each([
    // CPU only: the default, whatever the model.
    ['llama3.2:3b', 0, 8192, 'no-gpu'],
    ['llama3.3:70b', 0, 8192, 'no-gpu'],
    // 4 GB: a 3B model fits at 8K (3.6 GB) but not at 16K (4.6 GB).
    ['llama3.2:3b', 4, 8192, 'fits-vram'],
    // 8 GB: the 3B model has room for about 43,900 tokens; the 8B model for about 14,500.
    ['llama3.2:3b', 8, 32_768, 'fits-vram'],
    ['llama3.1:8b', 8, 8192, 'fits-vram'],
    ['qwen2.5:7b', 8, 32_768, 'model-limit'],
    ['qwen2.5:14b', 8, 8192, 'too-big'],
    // 16 GB: Qwen 14B has room for about 26,500 tokens.
    ['qwen2.5:14b', 16, 16_384, 'fits-vram'],
    // 24 GB: small models reach their own limit; a 32B model only fits at 8K; 70B not at all.
    ['llama3.2:3b', 24, 131_072, 'model-limit'],
    ['llama3.1:8b', 24, 131_072, 'model-limit'],
    ['qwen2.5:14b', 24, 32_768, 'model-limit'],
    ['qwen2.5:32b', 24, 8192, 'fits-vram'],
    ['llama3.3:70b', 24, 8192, 'too-big'],
    // 48 GB: 70B fits at 8K (the matrix's choice for the tier) but not at 16K within 90 %.
    ['llama3.3:70b', 48, 8192, 'fits-vram'],
    // 80 GB: 70B has room for about 92,500 tokens, Gemma 27B (a large KV cache) for 115,000;
    // Qwen 72B stops at its 32K.
    ['llama3.3:70b', 80, 65_536, 'fits-vram'],
    ['gemma3:27b', 80, 65_536, 'fits-vram'],
    ['qwen2.5:72b', 80, 32_768, 'model-limit'],
  ] as const)('%s with %d GB of VRAM: %d (%s)', (model, gb, numCtx, reason) => {
    expect(chooseNumCtx({ model, fixed: null, vramBytes: gb * GIB })).toEqual({ numCtx, reason });
  });

  it('sends a number fixed in settings as it is, on any machine, up to what the model can read', () => {
    for (const vramBytes of [null, 0, 8 * GIB, 80 * GIB]) {
      expect(chooseNumCtx({ model: 'llama3.2:3b', fixed: 4096, vramBytes })).toEqual({ numCtx: 4096, reason: 'fixed' });
      expect(chooseNumCtx({ model: 'no-such:1b', fixed: 200_000, vramBytes })).toEqual({ numCtx: 200_000, reason: 'fixed' });
      // More than the model's own limit (Ollama's /api/show, or the table) is capped at it.
      expect(chooseNumCtx({ model: 'no-such:1b', fixed: 200_000, vramBytes, ownLimit: 2048 })).toEqual({ numCtx: 2048, reason: 'model-limit' });
      expect(chooseNumCtx({ model: 'llama3.2:3b', fixed: 1_048_576, vramBytes })).toEqual({ numCtx: 131_072, reason: 'model-limit' });
    }
  });

  it('keeps the default for a model without a size table, or before the hardware is known', () => {
    expect(chooseNumCtx({ model: 'mistral:7b', fixed: null, vramBytes: 80 * GIB })).toEqual({ numCtx: 8192, reason: 'unknown-model' });
    expect(chooseNumCtx({ model: 'llama3.2:3b', fixed: null, vramBytes: null })).toEqual({ numCtx: 8192, reason: 'unknown-hardware' });
  });

  it('is capped by the model’s own limit from Ollama, also between two steps', () => {
    expect(chooseNumCtx({ model: 'mistral:7b', fixed: null, vramBytes: 80 * GIB, ownLimit: 2048 })).toEqual({ numCtx: 2048, reason: 'model-limit' });
    expect(chooseNumCtx({ model: 'llama3.2:3b', fixed: null, vramBytes: 0, ownLimit: 4096 })).toEqual({ numCtx: 4096, reason: 'model-limit' });
    expect(chooseNumCtx({ model: 'llama3.1:8b', fixed: null, vramBytes: 24 * GIB, ownLimit: 40_960 })).toEqual({ numCtx: 40_960, reason: 'model-limit' });
    // A limit larger than what fits changes nothing.
    expect(chooseNumCtx({ model: 'llama3.2:3b', fixed: null, vramBytes: 8 * GIB, ownLimit: 131_072 })).toEqual({ numCtx: 32_768, reason: 'fits-vram' });
  });

  it('never goes down as the GPU grows, never past the model’s limit, and what it picks above the default fits', () => {
    for (const tag of Object.keys(ollamaModels) as OllamaModelTag[]) {
      const spec = ollamaModels[tag];
      let previous = 0;
      for (let gb = 1; gb <= 200; gb += 1) {
        const { numCtx } = chooseNumCtx({ model: tag, fixed: null, vramBytes: gb * GIB });
        expect(numCtx, `${tag} at ${gb} GB`).toBeGreaterThanOrEqual(previous);
        expect(numCtx).toBeGreaterThanOrEqual(NUM_CTX_DEFAULT);
        expect(numCtx).toBeLessThanOrEqual(spec.contextLength);
        if (numCtx > NUM_CTX_DEFAULT) expect(requiredBytes(spec, numCtx), `${tag} at ${gb} GB`).toBeLessThanOrEqual(gb * GIB * VRAM_SHARE);
        previous = numCtx;
      }
    }
  });

  it('says why in words for atelier doctor', () => {
    expect(describeNumCtx({ numCtx: 131_072, reason: 'model-limit' }, 24 * GIB)).toBe('the model’s own limit (fits in 24.0 GB of GPU memory)');
    expect(describeNumCtx({ numCtx: 32_768, reason: 'fits-vram' }, 8 * GIB)).toBe('the most that fits in 8.0 GB of GPU memory');
    expect(describeNumCtx({ numCtx: 16_384, reason: 'fixed' }, 8 * GIB)).toBe('fixed in settings (ollama.numCtx)');
    expect(describeNumCtx({ numCtx: 8192, reason: 'too-big' }, 8 * GIB)).toBe('the model does not fit in 8.0 GB of GPU memory even at 8,192 tokens: the default');
  });
});

describe('the hardware matrix’s advice with automatic num_ctx', () => {
  it('gives each recommended model the num_ctx chosen for the machine, and its fit at that size', () => {
    const advice = adviseLocalModels({ usableVramBytes: 24 * GIB, ramBytes: 64 * GIB }, null);
    expect(advice).toMatchObject({ tier: 'vram-24', numCtx: 8192, numCtxAutomatic: true });
    expect(advice.local.fast).toMatchObject({ model: 'local/llama3.1:8b', numCtx: 131_072, numCtxReason: 'model-limit', fit: 'fits' });
    expect(advice.local.advanced).toMatchObject({ model: 'local/qwen2.5:14b', numCtx: 32_768, numCtxReason: 'model-limit', fit: 'fits' });
    expect(advice.local.extreme).toMatchObject({ model: 'local/qwen2.5:32b', numCtx: 8192, numCtxReason: 'fits-vram', fit: 'fits' });
    expect(advice.local.fast.requiredBytes).toBe(requiredBytes(ollamaModels['llama3.1:8b'], 131_072));
  });

  it('on the CPU, and with a fixed size, every recommendation says so', () => {
    const cpu = adviseLocalModels({ usableVramBytes: 0, ramBytes: 16 * GIB }, null);
    for (const pick of Object.values(cpu.local)) expect(pick).toMatchObject({ numCtx: 8192, numCtxReason: 'no-gpu', fit: 'cpu' });
    const fixed = adviseLocalModels({ usableVramBytes: 24 * GIB, ramBytes: 64 * GIB }, 16_384);
    expect(fixed).toMatchObject({ numCtx: 16_384, numCtxAutomatic: false });
    for (const pick of Object.values(fixed.local)) expect(pick).toMatchObject({ numCtx: 16_384, numCtxReason: 'fixed' });
  });
});
