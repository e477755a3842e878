import * as z from 'zod';
import { privacyTiers, routeClasses } from './choices';

/** Where an answer came from, shown under it and kept in the egress record. */
export const ProvenanceSchema = z.object({
  tier: z.enum(privacyTiers),
  routeClass: z.enum(routeClasses),
  /** The model-id prefix: `local`, `bedrock`, `anthropic`, … */
  provider: z.string(),
  /** The AWS region for Bedrock; null elsewhere. */
  region: z.string().nullable(),
  /** The host the request goes to. */
  host: z.string(),
  /** The model id as sent to the provider (after profile resolution). */
  modelId: z.string(),
  /** When a fallback answered: the model asked for (`provider/model`), and why it did not answer (`cooling`, or its error code). */
  fallbackFrom: z.string().optional(),
  fallbackReason: z.string().optional(),
  /** The try that answered (2, 3, …) when earlier tries of this model failed before any text; absent for the first. */
  attempt: z.number().int().min(2).optional(),
  /** The model's context window as Atelier used it (Ollama: the num_ctx sent), in tokens, where known. */
  contextTokens: z.number().int().positive().optional(),
  /** Earlier messages left out, whole, so the conversation fits that window; absent when none were. */
  omittedMessages: z.number().int().positive().optional(),
});
export type Provenance = z.infer<typeof ProvenanceSchema>;

/** What Settings shows about privacy: the tier, who set it, and what locks it. */
export const PrivacyStateSchema = z.object({
  tier: z.enum(privacyTiers),
  /** `policy-file` when the school's policy pins the tier. */
  source: z.enum(['settings', 'policy-file']),
  /** A teacher has locked the privacy settings, providers and keys with a password. */
  classroomLocked: z.boolean(),
  /** The school's policy file, when there is one. */
  policyFile: z.string().nullable(),
  schoolLocksSettings: z.boolean(),
  /** Why the strictest tier applies (an unusable policy file); null otherwise. */
  problem: z.string().nullable(),
});
export type PrivacyState = z.infer<typeof PrivacyStateSchema>;
