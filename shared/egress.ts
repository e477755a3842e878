import * as z from 'zod';
import { egressPurposes } from './choices';
import { ProvenanceSchema } from './privacy';

/**
 * One request that left the machine, or was refused: where it went and how it ended, for a
 * school's data-protection records. Never the prompt, never the answer.
 */
export const EgressEntrySchema = z.object({
  id: z.number().int(),
  /** ISO 8601, UTC. */
  at: z.string(),
  purpose: z.enum(egressPurposes),
  // Where it went: the same fields, in the same order, as an answer's provenance.
  ...ProvenanceSchema.shape,
  inputTokens: z.number().int().nullable(),
  outputTokens: z.number().int().nullable(),
  /**
   * `refused`: the privacy tier stopped it before anything was sent. `sent`: it left, and Atelier
   * ended before it did (the entry is written before a request leaves, and completed after).
   */
  outcome: z.enum(['completed', 'failed', 'cancelled', 'refused', 'sent']),
  errorCode: z.string().nullable(),
  /** What it cost in US dollars; null when unknown (no price, or it ended without a count). */
  costUsd: z.number().nullable(),
  /** Which tool asked through the local endpoint (its access token's name); null for the app and the CLI. */
  client: z.string().nullable(),
});
export type EgressEntry = z.infer<typeof EgressEntrySchema>;
