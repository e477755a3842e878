import { formatMemory } from '../../../shared/format';
import type { NumCtxReason } from '../../../shared/hardware';
import type { OllamaConfig } from '../config/provider-config';
import { ollamaModel, requiredBytes } from './ollama-models';

/** The context sizes Atelier chooses from, in tokens: the powers of two Ollama users know. */
export const NUM_CTX_STEPS = [8192, 16_384, 32_768, 65_536, 131_072] as const;

/**
 * num_ctx when nothing better is known, and never less when automatic (unless the model's own
 * limit is smaller): what Atelier always sent before, and the size the hardware matrix chooses
 * each tier's models to fit at. Less would not help a model that does not fit at 8K (its
 * weights, not its context, are what spill), and on the CPU memory is seldom the limit but time
 * is: a longer history takes minutes to read there.
 */
export const NUM_CTX_DEFAULT = 8192;

/**
 * The share of the GPU's memory a model and a context larger than the default are planned to
 * fill. The estimate (ollama-models.ts) is on the safe side, but the desktop and other programs
 * use the GPU too, and Ollama's compute buffers grow with the context.
 */
export const VRAM_SHARE = 0.9;

export interface NumCtxChoice {
  /** The num_ctx to send, in tokens. */
  numCtx: number;
  reason: NumCtxReason;
}

export interface NumCtxInput {
  /** The Ollama tag, as in `local/<tag>`. */
  model: string;
  /** `settings.ollama.numCtx`: the number the user fixed, or null for automatic. */
  fixed: number | null;
  /** The GPU memory to plan with, in bytes (0: none, models run on the CPU); null while unknown. */
  vramBytes: number | null;
  /** The model's own limit from Ollama's /api/show, in tokens, where known. */
  ownLimit?: number | null;
}

/**
 * The num_ctx for a model on this machine. A number fixed in settings is sent as it is (Ollama
 * itself caps it to the model's limit). Otherwise NUM_CTX_DEFAULT, raised to the largest of
 * NUM_CTX_STEPS at which the model, by the hardware matrix's own estimate, still fits in
 * VRAM_SHARE of the GPU's memory; capped by the model's own limit (the table's, or Ollama's when
 * it said so). The default stays when the GPU, the model's size or the hardware is unknown, and
 * when the model does not fit even at the default (judged as the matrix judges "fits").
 */
export function chooseNumCtx({ model, fixed, vramBytes, ownLimit = null }: NumCtxInput): NumCtxChoice {
  const spec = ollamaModel(model);
  const limit = Math.min(ownLimit !== null && ownLimit > 0 ? ownLimit : Infinity, spec?.contextLength ?? Infinity);
  // A size fixed in settings, but never more than the model can read (its own limit, where known).
  if (fixed !== null) return fixed > limit ? { numCtx: limit, reason: 'model-limit' } : { numCtx: fixed, reason: 'fixed' };
  const atMost = (numCtx: number, reason: NumCtxReason): NumCtxChoice => (numCtx > limit ? { numCtx: limit, reason: 'model-limit' } : { numCtx, reason });
  if (spec === undefined) return atMost(NUM_CTX_DEFAULT, 'unknown-model');
  if (vramBytes === null) return atMost(NUM_CTX_DEFAULT, 'unknown-hardware');
  if (vramBytes <= 0) return atMost(NUM_CTX_DEFAULT, 'no-gpu');
  let best = Math.min(NUM_CTX_DEFAULT, limit);
  if (requiredBytes(spec, best) > vramBytes) return atMost(NUM_CTX_DEFAULT, 'too-big');
  // The steps up to the model's limit, and the limit itself when it lies between two steps.
  for (const candidate of new Set(NUM_CTX_STEPS.map((step) => Math.min(step, limit)))) {
    if (candidate <= best) continue;
    if (requiredBytes(spec, candidate) > vramBytes * VRAM_SHARE) break;
    best = candidate;
  }
  return { numCtx: best, reason: best === limit ? 'model-limit' : 'fits-vram' };
}

/** Why, in words, for `atelier doctor`: "fits in 24.0 GB of GPU memory", "fixed in settings". */
export function describeNumCtx(choice: NumCtxChoice, vramBytes: number | null): string {
  const gpu = vramBytes !== null && vramBytes > 0 ? `${formatMemory(vramBytes)} of GPU memory` : 'GPU memory';
  switch (choice.reason) {
    case 'fixed':
      return 'fixed in settings (ollama.numCtx)';
    case 'fits-vram':
      return `the most that fits in ${gpu}`;
    case 'model-limit':
      return vramBytes !== null && vramBytes > 0 ? `the model’s own limit (fits in ${gpu})` : 'the model’s own limit';
    case 'no-gpu':
      return 'no GPU memory, models run on the CPU: the default';
    case 'too-big':
      return `the model does not fit in ${gpu} even at ${NUM_CTX_DEFAULT.toLocaleString('en')} tokens: the default`;
    case 'unknown-model':
      return 'a model Atelier has no size table for: the default';
    case 'unknown-hardware':
      return 'the hardware is not detected yet ("atelier doctor" detects it): the default';
  }
}

/** The num_ctx for an Ollama model under this configuration: what the provider sends. */
export function ollamaNumCtx(config: Pick<OllamaConfig, 'numCtx' | 'vramBytes'>, model: string, ownLimit: number | null = null): NumCtxChoice {
  return chooseNumCtx({ model, fixed: config.numCtx, vramBytes: config.vramBytes, ownLimit });
}
