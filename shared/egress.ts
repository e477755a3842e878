import { z } from 'zod';
import { egressPurposes, privacyTiers, routeClasses } from './choices';

/**
 * One request that left the machine, or was refused: where it went and how it ended, for a
 * school's data-protection records. Never the prompt, never the answer.
 */
export const EgressEntrySchema = z.object({
  id: z.number().int(),
  /** ISO 8601, UTC. */
  at: z.string(),
  purpose: z.enum(egressPurposes),
  tier: z.enum(privacyTiers),
  routeClass: z.enum(routeClasses),
  provider: z.string(),
  region: z.string().nullable(),
  host: z.string(),
  modelId: z.string(),
  inputTokens: z.number().int().nullable(),
  outputTokens: z.number().int().nullable(),
  /** `refused`: the privacy tier stopped it before anything was sent. */
  outcome: z.enum(['completed', 'failed', 'cancelled', 'refused']),
  errorCode: z.string().nullable(),
});
export type EgressEntry = z.infer<typeof EgressEntrySchema>;
