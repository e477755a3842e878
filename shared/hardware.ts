import * as z from 'zod';
import { hardwareTiers, modelFits } from './choices';

export { hardwareTiers, modelFits, modelRoles, type HardwareTier, type ModelFit, type ModelRole } from './choices';

export const gpuVendors = ['nvidia', 'amd', 'intel', 'apple', 'other'] as const;

/** Where a VRAM number came from, so the UI and `atelier doctor` can say how far to trust it. */
export const vramSources = [
  'nvidia-smi', // the NVIDIA driver's own count (memory.total / memory.free)
  'sysfs', // Linux amdgpu: /sys/class/drm/card*/device/mem_info_vram_total
  'systeminformation', // what systeminformation reported (Windows registry, macOS, …)
  'unified-memory', // Apple Silicon: the GPU's share of system RAM
  'override', // set by the user in Settings
  'none', // no usable GPU memory: models run on the CPU
] as const;
export type VramSource = (typeof vramSources)[number];

export const GpuSchema = z.object({
  name: z.string(),
  vendor: z.enum(gpuVendors),
  /** Dedicated video memory in bytes; null when it cannot be known. */
  vramBytes: z.number().int().nonnegative().nullable(),
  /** Free video memory in bytes, where the driver says (nvidia-smi, sysfs). */
  freeVramBytes: z.number().int().nonnegative().nullable(),
  /** Shares system memory; its "VRAM" does not hold models. */
  integrated: z.boolean(),
  vramSource: z.enum(vramSources),
  /** Why the number is missing or uncertain, in words. */
  note: z.string().optional(),
});
export type Gpu = z.infer<typeof GpuSchema>;

export const HardwareReportSchema = z.object({
  gpus: z.array(GpuSchema),
  /** Index into `gpus` of the GPU models run on; null when none counts (CPU only). */
  primaryGpu: z.number().int().nonnegative().nullable(),
  /** Memory for model weights and context, in bytes: the primary GPU's VRAM, Apple's GPU share, or 0. */
  usableVramBytes: z.number().int().nonnegative(),
  vramSource: z.enum(vramSources),
  /** System memory in bytes. */
  ramBytes: z.number().int().nonnegative(),
  cpu: z.object({ brand: z.string(), cores: z.number().int().nonnegative() }),
  os: z.object({ platform: z.string(), arch: z.string(), release: z.string() }),
  /** What went wrong while detecting (a tool missing, a timeout); detection still answers. */
  problems: z.array(z.string()),
  detectedAt: z.string(),
  /** How long detection took, in milliseconds. */
  durationMs: z.number().nonnegative(),
});
export type HardwareReport = z.infer<typeof HardwareReportSchema>;

/**
 * Why Ollama gets the num_ctx it gets (core/hardware/context-size.ts):
 * `fixed` set in settings; `fits-vram` the largest size whose estimate fits the GPU's memory;
 * `model-limit` the model's own limit, which is smaller; `no-gpu` no GPU memory (models run on
 * the CPU), `too-big` the model does not fit the GPU even at the smallest size, `unknown-model`
 * a model Atelier has no size table for, `unknown-hardware` not detected yet: these four take
 * the default 8,192.
 */
export const numCtxReasons = ['fixed', 'fits-vram', 'model-limit', 'no-gpu', 'too-big', 'unknown-model', 'unknown-hardware'] as const;
export type NumCtxReason = (typeof numCtxReasons)[number];

export const RecommendationSchema = z.object({
  /** `local/<tag>`. */
  model: z.string(),
  label: z.string(),
  /** Estimated memory at `numCtx`, in bytes. */
  requiredBytes: z.number().int().nonnegative(),
  fit: z.enum(modelFits),
  /** The context window (num_ctx) Atelier sends to Ollama for this model on this machine, in tokens. */
  numCtx: z.number().int().positive(),
  numCtxReason: z.enum(numCtxReasons),
});
export type Recommendation = z.infer<typeof RecommendationSchema>;

export const HardwareAdviceSchema = z.object({
  tier: z.enum(hardwareTiers),
  /**
   * The context size the tier's models are chosen at, in tokens: the one fixed in settings, or
   * 8,192 when automatic (each recommendation then says its own `numCtx`).
   */
  numCtx: z.number().int().positive(),
  /** True when num_ctx is chosen per model (settings.ollama.numCtx is null). */
  numCtxAutomatic: z.boolean(),
  local: z.object({ fast: RecommendationSchema, advanced: RecommendationSchema, extreme: RecommendationSchema }),
});
export type HardwareAdvice = z.infer<typeof HardwareAdviceSchema>;
