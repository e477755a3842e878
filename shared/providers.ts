import * as z from 'zod';
import { ErrorPayloadSchema } from './errors';
import { KeychainStatusSchema, StoredSecretSchema } from './secrets';

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

/** What Settings shows about credentials: never a value, only masked forms and where each comes from. */
export const CredentialsOverviewSchema = z.object({
  keychain: KeychainStatusSchema,
  /** Secrets saved in Atelier (keychain or this session), masked. */
  saved: z.array(StoredSecretSchema),
  /** For each provider: whether it has what it needs, and from where, in words. */
  providers: z.array(z.object({ provider: z.string(), configured: z.boolean(), source: z.string() })),
  bedrock: z.object({
    /** The credentials in use, in words: "access keys saved in Atelier (AKIA…0001)". */
    using: z.string(),
    /** Why those: "chosen in Settings", or the first found. */
    reason: z.string(),
    region: z.string(),
  }),
});
export type CredentialsOverview = z.infer<typeof CredentialsOverviewSchema>;
