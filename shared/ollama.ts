import * as z from 'zod';
import { ErrorPayloadSchema } from './errors';
import { modelFits, numCtxReasons } from './hardware';

export const OllamaStatusSchema = z.object({
  running: z.boolean(),
  version: z.string().nullable(),
  /** The address Atelier uses, and where it came from. */
  host: z.string(),
  hostSource: z.enum(['settings', 'environment', 'default']),
  /** Why it is not running (not installed, not started, unreachable), with what to do. */
  problem: ErrorPayloadSchema.nullable(),
});
export type OllamaStatus = z.infer<typeof OllamaStatusSchema>;

export const InstalledModelSchema = z.object({
  name: z.string(),
  sizeBytes: z.number().int().nonnegative(),
  modifiedAt: z.string(),
  parameterSize: z.string().nullable(),
  quantization: z.string().nullable(),
  /** In memory now (Ollama's /api/ps). */
  loaded: z.boolean(),
  /** How it fits this machine at `numCtx`; null when its shape is unknown. */
  fit: z.enum(modelFits).nullable(),
  requiredBytes: z.number().int().nonnegative().nullable(),
  /** The context window (num_ctx) Atelier sends to Ollama for it on this machine, in tokens. */
  numCtx: z.number().int().positive(),
  numCtxReason: z.enum(numCtxReasons),
});
export type InstalledModel = z.infer<typeof InstalledModelSchema>;

export const PullProgressSchema = z.object({
  model: z.string(),
  /** Ollama's own words: "pulling manifest", "pulling 6a0746a1ec1a", "verifying sha256 digest", … */
  status: z.string(),
  completedBytes: z.number().nonnegative(),
  totalBytes: z.number().nonnegative(),
  percent: z.number().min(0).max(100).nullable(),
  /** Over the last few seconds; null until there is enough to measure. */
  bytesPerSecond: z.number().nonnegative().nullable(),
  done: z.boolean(),
});
export type PullProgress = z.infer<typeof PullProgressSchema>;

/** An Ollama model name: `llama3.2:3b`, `hf.co/user/repo:Q4_K_M`, `library/qwen2.5`. */
export const OllamaModelNameSchema = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._/-]*(:[A-Za-z0-9._-]+)?$/, 'use a model name such as llama3.2:3b');

/** One event of a pull: progress, or its end (finished, with an error when it failed or was stopped). */
export const PullEventSchema = z.object({
  model: z.string(),
  progress: PullProgressSchema.nullable(),
  finished: z.boolean(),
  error: ErrorPayloadSchema.nullable(),
});
export type PullEvent = z.infer<typeof PullEventSchema>;
