import * as z from 'zod';

/** A name for a local endpoint client, such as "VS Code" or "notebook-7b": shown in the egress record. */
export const ServeTokenNameSchema = z
  .string()
  .trim()
  .min(1, 'a token needs a name, such as "VS Code"')
  .max(64, 'a token name of at most 64 characters')
  .regex(/^[\p{L}\p{N}][\p{L}\p{N} ._-]*$/u, 'a token name is letters, digits, spaces, dots, dashes and underscores, starting with a letter or digit');

/** One client's access token to the local endpoint, as listed: never the token itself. */
export const ServeTokenSchema = z.object({
  name: z.string(),
  /** The token's first and last characters (`atl_…x9Qk`). */
  masked: z.string(),
  /** ISO 8601, UTC. */
  createdAt: z.string(),
  /** When a request last used it; null before the first. */
  lastUsedAt: z.string().nullable(),
});
export type ServeToken = z.infer<typeof ServeTokenSchema>;

/** The local OpenAI-compatible endpoint: whether it runs, where, and why not. */
export const GatewayStatusSchema = z.object({
  running: z.boolean(),
  /** The base URL for clients (`http://127.0.0.1:8765/v1`); null while it is off. */
  baseUrl: z.string().nullable(),
  port: z.number().int(),
  /** Why it could not start (the port is taken, say); the app says what to do. */
  problem: z.string().nullable(),
});
export type GatewayStatus = z.infer<typeof GatewayStatusSchema>;
