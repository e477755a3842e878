import * as z from 'zod';
import { ErrorPayloadSchema } from './errors';

/**
 * What a school's LiteLLM proxy says of the student's key (its `GET /key/info`), in Atelier's
 * words. Amounts in US dollars, as LiteLLM keeps them; times as ISO 8601 strings.
 */
export const SchoolKeyInfoSchema = z.object({
  /** The key as the server names it: its alias, else its abbreviation (`sk-...2345`); null when it gives neither. */
  name: z.string().nullable(),
  /** Spent with this key since its budget last started again, in US dollars. */
  spentUsd: z.number(),
  /** The key's budget in US dollars; null: no budget on the key. */
  maxBudgetUsd: z.number().nullable(),
  /** What is left of it (never below 0); null without a budget. */
  remainingUsd: z.number().nullable(),
  /** How often the budget starts again, as LiteLLM writes it (`30d`, `1h`); null: never. */
  budgetDuration: z.string().nullable(),
  /** When the budget next starts again; null: not by itself. */
  budgetResetAt: z.string().nullable(),
  /** Requests per minute the key may send; null: no limit. */
  rpmLimit: z.number().nullable(),
  /** Tokens per minute the key may use; null: no limit. */
  tpmLimit: z.number().nullable(),
  /** Requests at once; null: no limit. */
  maxParallelRequests: z.number().nullable(),
  /** The models the key may use; empty: all the server offers. */
  models: z.array(z.string()),
  /** When the key stops working; null: never. */
  expiresAt: z.string().nullable(),
});
export type SchoolKeyInfo = z.infer<typeof SchoolKeyInfoSchema>;

/** One school server (the policy file's, or an endpoint found to be LiteLLM) and what it says of the key. */
export const SchoolServerStatusSchema = z.object({
  /** The prefix of its model ids (`school`). */
  provider: z.string(),
  name: z.string(),
  /** Its address, credentials masked. */
  baseUrl: z.string(),
  /** `policy`: the school's policy file declares it; `settings`: the user added it. */
  source: z.enum(['policy', 'settings']),
  /** Whether it answered /key/info as LiteLLM does; null when it was not asked (not allowed, or unreachable). */
  litellm: z.boolean().nullable(),
  /** The key's budget and limits; null when the server did not give them (no key, a wrong key, not LiteLLM). */
  key: SchoolKeyInfoSchema.nullable(),
  /** Why there is no key information: not allowed, no key, a wrong key, unreachable. */
  error: ErrorPayloadSchema.optional(),
});
export type SchoolServerStatus = z.infer<typeof SchoolServerStatusSchema>;
