import type { HardwareAdvice, HardwareReport, HardwareTier, ModelFit, ModelRole, Recommendation } from '../../../shared/hardware';
import { chooseNumCtx, NUM_CTX_DEFAULT } from './context-size';
import { ollamaModels, requiredBytes, type ModelShape, type OllamaModelTag } from './ollama-models';

const GIB = 1024 ** 3;

/** Lower bound of each GPU tier, in GiB of usable GPU memory. */
const TIER_FLOOR_GIB: Record<Exclude<HardwareTier, 'cpu'>, number> = {
  'vram-4': 4,
  'vram-8': 8,
  'vram-12': 12,
  'vram-16': 16,
  'vram-24': 24,
  'vram-48': 48,
  'vram-80': 80,
};

/**
 * The hardware matrix: for each tier, the Ollama model per role. Chosen so the model fits the
 * tier's smallest card at 8K context (see ollama-models.ts for the sizes); bigger contexts are
 * checked per machine and marked when they spill.
 */
export const hardwareMatrix: Record<HardwareTier, Record<ModelRole, OllamaModelTag>> = {
  cpu: { fast: 'llama3.2:1b', advanced: 'llama3.2:3b', extreme: 'qwen2.5:7b' },
  'vram-4': { fast: 'llama3.2:1b', advanced: 'llama3.2:3b', extreme: 'llama3.2:3b' }, // nothing larger fits 4 GB at 8K
  'vram-8': { fast: 'llama3.2:3b', advanced: 'qwen2.5:7b', extreme: 'llama3.1:8b' },
  'vram-12': { fast: 'llama3.2:3b', advanced: 'llama3.1:8b', extreme: 'gemma3:12b' },
  'vram-16': { fast: 'qwen2.5:7b', advanced: 'gemma3:12b', extreme: 'qwen2.5:14b' },
  'vram-24': { fast: 'llama3.1:8b', advanced: 'qwen2.5:14b', extreme: 'qwen2.5:32b' },
  'vram-48': { fast: 'qwen2.5:14b', advanced: 'qwen2.5:32b', extreme: 'llama3.3:70b' },
  'vram-80': { fast: 'qwen2.5:32b', advanced: 'llama3.3:70b', extreme: 'qwen2.5:72b' },
};

/**
 * Cloud defaults per role. `bedrockEu` keeps data in the EU (EU inference profiles in an EU
 * region); `bedrockGlobal` may route anywhere; `anthropic` is Anthropic's own API.
 */
export const cloudDefaults = {
  bedrockEu: {
    fast: 'bedrock/eu.anthropic.claude-haiku-4-5-20251001-v1:0',
    advanced: 'bedrock/eu.anthropic.claude-sonnet-4-6',
    extreme: 'bedrock/eu.anthropic.claude-sonnet-4-6',
  },
  bedrockGlobal: {
    fast: 'bedrock/global.anthropic.claude-haiku-4-5-20251001-v1:0',
    advanced: 'bedrock/global.anthropic.claude-sonnet-4-6',
    extreme: 'bedrock/us.anthropic.claude-opus-4-1-20250805-v1:0',
  },
  anthropic: {
    fast: 'anthropic/claude-haiku-4-5',
    advanced: 'anthropic/claude-sonnet-4-6',
    extreme: 'anthropic/claude-opus-4-6',
  },
} as const satisfies Record<string, Record<ModelRole, string>>;

/** A card sold as "12 GB" reports a little less (12282 MiB): a 5 % margin keeps it in its tier. */
const TIER_TOLERANCE = 0.95;

export function chooseTier(usableVramBytes: number): HardwareTier {
  let tier: HardwareTier = 'cpu';
  for (const [name, floor] of Object.entries(TIER_FLOOR_GIB) as [Exclude<HardwareTier, 'cpu'>, number][]) {
    if (usableVramBytes >= floor * GIB * TIER_TOLERANCE) tier = name;
  }
  return tier;
}

/** On the CPU, leave a quarter of the RAM to the system and the apps around the model. */
const CPU_RAM_SHARE = 0.75;

export function estimateFit(model: ModelShape, numCtx: number, usableVramBytes: number, ramBytes: number): { fit: ModelFit; requiredBytes: number } {
  const required = requiredBytes(model, numCtx);
  if (usableVramBytes <= 0) return { fit: required <= ramBytes * CPU_RAM_SHARE ? 'cpu' : 'too-big', requiredBytes: required };
  if (required <= usableVramBytes) return { fit: 'fits', requiredBytes: required };
  if (required <= usableVramBytes + ramBytes * CPU_RAM_SHARE) return { fit: 'spills', requiredBytes: required };
  return { fit: 'too-big', requiredBytes: required };
}

/**
 * The advice for this machine: its tier and a model per role, each with the num_ctx Atelier
 * sends it here and its fit at that size. `numCtx` is settings.ollama.numCtx: a fixed size, or
 * null to choose it per model (context-size.ts). Models are chosen at the fixed size, or at the
 * default 8,192 when automatic. Without a GPU, a model too big for the RAM gives way to the
 * largest one of the row that fits; with a GPU, the matrix's choice stays and a spill is shown.
 */
export function adviseLocalModels(report: Pick<HardwareReport, 'usableVramBytes' | 'ramBytes'>, numCtx: number | null): HardwareAdvice {
  const tier = chooseTier(report.usableVramBytes);
  const row = hardwareMatrix[tier];
  const chosenAt = numCtx ?? NUM_CTX_DEFAULT;
  const recommend = (role: ModelRole): Recommendation => {
    const candidates: OllamaModelTag[] = [row[role], ...(['extreme', 'advanced', 'fast'] as const).map((other) => row[other])];
    let chosen = row[role];
    let estimate = estimateFit(ollamaModels[chosen], chosenAt, report.usableVramBytes, report.ramBytes);
    if (estimate.fit === 'too-big') {
      const smaller = candidates
        .map((tag) => ({ tag, estimate: estimateFit(ollamaModels[tag], chosenAt, report.usableVramBytes, report.ramBytes) }))
        .filter((candidate) => candidate.estimate.fit !== 'too-big')
        .sort((a, b) => b.estimate.requiredBytes - a.estimate.requiredBytes)[0];
      if (smaller) chosen = smaller.tag;
    }
    const context = chooseNumCtx({ model: chosen, fixed: numCtx, vramBytes: report.usableVramBytes });
    estimate = estimateFit(ollamaModels[chosen], context.numCtx, report.usableVramBytes, report.ramBytes);
    return { model: `local/${chosen}`, label: ollamaModels[chosen].label, requiredBytes: estimate.requiredBytes, fit: estimate.fit, numCtx: context.numCtx, numCtxReason: context.reason };
  };
  return { tier, numCtx: chosenAt, numCtxAutomatic: numCtx === null, local: { fast: recommend('fast'), advanced: recommend('advanced'), extreme: recommend('extreme') } };
}
