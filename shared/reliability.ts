import * as z from 'zod';

/** How a route is doing: `ok`, `degraded` (failed lately), `cooling` (resting after repeated failures), `down` (unreachable, resting). */
export const routeStates = ['ok', 'degraded', 'cooling', 'down'] as const;
export type RouteState = (typeof routeStates)[number];

/** One route's health, from real traffic and model listings. */
export const RouteHealthSchema = z.object({
  provider: z.string(),
  /** The model as sent, or `*` for the provider as a whole (from a model listing). */
  modelId: z.string(),
  /** The AWS region for Bedrock, else the host. */
  place: z.string(),
  state: z.enum(routeStates),
  /** Failures in a row that may pass (busy, failing, unreachable, too slow). */
  failures: z.number().int(),
  /** ISO 8601, while cooling down; null otherwise. */
  coolingUntil: z.string().nullable(),
  lastErrorCode: z.string().nullable(),
  lastErrorAt: z.string().nullable(),
  lastOkAt: z.string().nullable(),
});
export type RouteHealth = z.infer<typeof RouteHealthSchema>;

/** Each configured provider's state (its worst route, or its model listing) and every route seen. */
export const ReliabilityStatusSchema = z.object({
  providers: z.array(
    z.object({
      provider: z.string(),
      /** `unknown`: nothing asked it yet (Bedrock has no free listing to ask). */
      state: z.enum([...routeStates, 'unknown']),
      coolingUntil: z.string().nullable(),
      lastErrorCode: z.string().nullable(),
    }),
  ),
  routes: z.array(RouteHealthSchema),
  /** The fallback chains in force (as set, by model id or role), who set them, and what keeps them as they are. */
  fallbacks: z
    .object({
      chains: z.record(z.string(), z.array(z.string())),
      source: z.enum(['settings', 'policy', 'none']),
      lockedBy: z.enum(['policy', 'classroom-lock']).nullable(),
    })
    .optional(),
});
export type ReliabilityStatus = z.infer<typeof ReliabilityStatusSchema>;

/** Ordered fallbacks per model id or role (`fast`, `advanced`, `extreme`). */
export const FallbackChainsSchema = z.record(z.string().min(1).max(300), z.array(z.string().min(1).max(300)).max(10));
export type FallbackChains = z.infer<typeof FallbackChainsSchema>;
