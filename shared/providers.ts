import { z } from 'zod';
import { ErrorPayloadSchema } from './errors';

export const ConnectionTestSchema = z.object({
  /** The provider prefix tested: `local`, `bedrock`, `anthropic`, …, or a custom endpoint's. */
  provider: z.string(),
  ok: z.boolean(),
  /** What was checked and how, in words: "Bedrock answered with eu.… in eu-central-1, using …". */
  detail: z.string(),
  /** Why it failed, with the fix; null when it worked. */
  error: ErrorPayloadSchema.nullable(),
  /** How long the call took, in milliseconds. */
  latencyMs: z.number().nonnegative(),
});
export type ConnectionTest = z.infer<typeof ConnectionTestSchema>;
