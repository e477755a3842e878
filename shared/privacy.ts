import { z } from 'zod';
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
});
export type Provenance = z.infer<typeof ProvenanceSchema>;
