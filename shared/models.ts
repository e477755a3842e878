import * as z from 'zod';
import { modelRoles, routeClasses } from './choices';
import { ErrorPayloadSchema } from './errors';

/** Why a model cannot be chosen now: the privacy tier, the school's list, or no credentials. */
export const unavailableReasons = ['privacy', 'school', 'credentials', 'not-installed', 'retired'] as const;

/** Where a model is in its provider's life: answering, on its way out (still answers), or gone. */
export const modelLifecycles = ['active', 'deprecated', 'retired'] as const;
export type ModelLifecycle = (typeof modelLifecycles)[number];

export const ModelChoiceSchema = z.object({
  /** `provider/model`, as the router takes it. */
  id: z.string(),
  name: z.string().optional(),
  /** Where a request to it goes: this computer, the EU, or anywhere. */
  routeClass: z.enum(routeClasses),
  /** Whether it takes images; null when Atelier cannot tell. */
  takesImages: z.boolean().nullable(),
  available: z.boolean(),
  /** Why not, when not available, with a message a teacher understands. */
  unavailable: z.object({ reason: z.enum(unavailableReasons), message: z.string() }).nullable(),
  note: z.string().optional(),
  /** Absent when nothing is known (taken as active). From the provider's list, else Atelier's table. */
  lifecycle: z.enum(modelLifecycles).optional(),
  /** The day (YYYY-MM-DD, UTC) the provider stops or stopped serving it, when known. */
  retiresOn: z.string().optional(),
  /** The id to use instead (`anthropic/claude-sonnet-4-6`), when known. */
  successor: z.string().optional(),
});
export type ModelChoice = z.infer<typeof ModelChoiceSchema>;

export const ModelGroupSchema = z.object({
  /** The model-id prefix: `local`, `bedrock`, `anthropic`, …, or a custom endpoint's. */
  provider: z.string(),
  /** Credentials (or, for Ollama, a running server) are there. */
  configured: z.boolean(),
  models: z.array(ModelChoiceSchema),
  /** Why the list is short or empty: Ollama not running, a refused key, and so on. */
  problem: ErrorPayloadSchema.nullable(),
});
export type ModelGroup = z.infer<typeof ModelGroupSchema>;

export const RoleChoiceSchema = z.object({
  role: z.enum(modelRoles),
  /** What the role stands for on this machine and tier; null when nothing fits. */
  model: z.string().nullable(),
  /** `settings`: the user chose it; `hardware`: the local model for this machine; `cloud`: a cloud default. */
  source: z.enum(['settings', 'hardware', 'cloud']).nullable(),
  available: z.boolean(),
});
export type RoleChoice = z.infer<typeof RoleChoiceSchema>;

export const ModelCatalogueSchema = z.object({
  groups: z.array(ModelGroupSchema),
  roles: z.array(RoleChoiceSchema),
});
export type ModelCatalogue = z.infer<typeof ModelCatalogueSchema>;
