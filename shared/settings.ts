import * as z from 'zod';
import { McpServerConfigSchema } from './tools';
import { awsCredentialSources, languages, modelRoles, privacyTiers, themes } from './choices';
import { urlCredentialProblem } from './url-credentials';
import { BudgetSettingsSchema, PriceSchema } from './usage';

/**
 * The current version of the settings file layout; bumped when a migration is needed (see
 * core/settings/recover-settings.ts). 2: `ollama.numCtx` may be null (automatic, the default).
 */
export const SETTINGS_SCHEMA_VERSION = 2;

/** The smallest and largest `ollama.numCtx` a user may fix, in tokens. */
export const NUM_CTX_MIN = 512;
export const NUM_CTX_MAX = 1_048_576;

/** Prefixes of the built-in providers; a custom endpoint may not take one of these. */
export const builtinProviderPrefixes = ['local', 'bedrock', 'anthropic', 'openai', 'openrouter'] as const;

/**
 * The forms of an Ollama address that OLLAMA_HOST itself takes: `http://host:port`, `https://host`,
 * `host`, `host:port`, `:port`, `[::1]:11434`, with an optional path. Anything else (another
 * scheme, spaces, `javascript:`) is refused rather than quietly taken as this computer. A query
 * (`?…`) or a fragment (`#…`) is refused too: ollama-js appends `/api/chat` to the address, so
 * either would end up in the wrong place, and one may hold a token.
 */
export function isOllamaAddress(value: string): boolean {
  const match = /^(?:(?:http|https):\/\/)?(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?|)(?::(\d{1,5}))?(\/[^\s?#]*)?$/.exec(value.trim());
  if (!match) return false;
  const [, host, port] = match;
  if (host === '' && port === undefined) return false;
  return port === undefined || (Number(port) >= 1 && Number(port) <= 65535);
}

/**
 * A model id as settings keep it: `provider/model`, the provider a lower-case prefix, the model
 * not empty, no spaces or control characters. (Whether the provider exists is checked when used:
 * a custom endpoint may be added later.)
 */
export const ModelIdSchema = z
  .string()
  .max(300, 'a model id is at most 300 characters')
  .regex(/^[a-z][a-z0-9-]{0,31}\/[^\s/\p{Cc}][^\s\p{Cc}]*$/u, 'use a model id such as local/llama3.2:3b (provider/model)')
  .refine((id) => !id.endsWith('/'), 'use a model id such as local/llama3.2:3b (provider/model)');

export const OllamaSettingsSchema = z.strictObject({
  /** Ollama's address; null means OLLAMA_HOST, else http://127.0.0.1:11434. */
  host: z
    .string()
    .trim()
    .min(1)
    .max(2048)
    .refine(isOllamaAddress, 'use an address such as http://127.0.0.1:11434, localhost:11434 or https://gpu.school.lan')
    .nullable(),
  /**
   * The context window (num_ctx) sent with every request, in tokens, when the user fixed one;
   * null (the default) lets Atelier choose it per model from what fits in the GPU's memory.
   * (Always sent either way: Ollama's own default is small and silently cuts long chats.)
   */
  numCtx: z
    .number({ error: `use a number of tokens from ${NUM_CTX_MIN} to ${NUM_CTX_MAX} (such as 16384), or auto` })
    .int(`use a whole number of tokens from ${NUM_CTX_MIN} to ${NUM_CTX_MAX}, or auto`)
    .min(NUM_CTX_MIN, `at least ${NUM_CTX_MIN} tokens (or auto)`)
    .max(NUM_CTX_MAX, `at most ${NUM_CTX_MAX} tokens (or auto)`)
    .nullable(),
  /** How long Ollama keeps a model loaded after a request: `5m`, `1h`, `0` (unload), `-1` (forever). */
  keepAlive: z.string().regex(/^-?\d+(\.\d+)?(ms|s|m|h)?$/, 'use a duration such as 5m, 1h, 0 or -1'),
});

export const BedrockSettingsSchema = z.strictObject({
  /** AWS region such as `eu-central-1`; null means AWS_REGION, else eu-central-1. */
  region: z
    .string()
    .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'use an AWS region such as eu-central-1')
    .nullable(),
  /** Which credentials to use; `auto`: keychain keys, Bedrock API key, environment, profile, default chain. */
  credentialSource: z.enum(awsCredentialSources),
  /** A profile from ~/.aws/config or ~/.aws/credentials (SSO and role profiles too); null: AWS_PROFILE if set. */
  profile: z
    .string()
    .regex(/^[A-Za-z0-9_.+=,@-]{1,64}$/, 'use a profile name as in ~/.aws/config')
    .nullable(),
});

export const HardwareSettingsSchema = z.strictObject({
  /** The GPU memory to plan with, in GB, when detection gets it wrong; null trusts detection. */
  vramOverrideGb: z.number().min(0).max(1024).nullable(),
});

export const PrivacySettingsSchema = z.strictObject({
  /** Where words may go; the strictest by default (data protection by default, GDPR art. 25). */
  tier: z.enum(privacyTiers),
});

/** When an answer counts as stuck: it did not start, or stopped coming. */
export const ReliabilitySettingsSchema = z.strictObject({
  /** Seconds to wait for the first text of an answer (a large local model may need long to load). */
  firstTokenTimeoutS: z.number().int('use whole seconds').min(5, 'at least 5 seconds').max(3600, 'at most 3600 seconds'),
  /** Seconds without new text after which an answer is ended (its text so far kept). */
  idleTimeoutS: z.number().int('use whole seconds').min(5, 'at least 5 seconds').max(3600, 'at most 3600 seconds'),
});

/** A browser origin as browsers send it: scheme, host and port, nothing after (`http://localhost:8888`). */
const OriginSchema = z
  .string()
  .refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === value;
    } catch {
      return false;
    }
  }, 'an origin is a scheme, host and port only, such as http://localhost:8888 (no path, no trailing slash)');

/** The local OpenAI-compatible endpoint (see core/gateway/). */
export const GatewaySettingsSchema = z.strictObject({
  /** Whether the app serves it while it runs (`atelier serve` serves it from a terminal). */
  enabled: z.boolean(),
  /** Its port on 127.0.0.1 and ::1. */
  port: z.number().int('a whole number').min(1024, 'a port from 1024 to 65535').max(65_535, 'a port from 1024 to 65535'),
  /** Web pages allowed to call it from a browser (CORS); none by default. */
  allowedOrigins: z.array(OriginSchema).max(20, 'at most 20 origins'),
});

export type GatewaySettings = z.infer<typeof GatewaySettingsSchema>;

/** Tool servers (MCP): what Atelier may start or call (see core/tools/). */
export const McpSettingsSchema = z.strictObject({
  servers: z
    .array(McpServerConfigSchema)
    .max(50, 'at most 50 servers')
    .refine((servers) => new Set(servers.map((server) => server.name)).size === servers.length, 'each server needs its own name'),
});

/** The chat view's own state: the model new messages go to, and whether first-run setup is done. */
export const ChatSettingsSchema = z.strictObject({
  /** `provider/model` for new messages; null until one is chosen. */
  model: ModelIdSchema.nullable(),
  firstRunCompleted: z.boolean(),
});

/** The model id (`provider/model`) used for each role; null leaves the choice to the matrix. */
export const RolesSettingsSchema = z.strictObject({
  fast: ModelIdSchema.nullable(),
  advanced: ModelIdSchema.nullable(),
  extreme: ModelIdSchema.nullable(),
});

export type BedrockSettings = z.infer<typeof BedrockSettingsSchema>;

/**
 * Fallback chains: for a model id or a role (`fast`, `advanced`, `extreme`), the models to use,
 * in order, when it is down or cooling down. None by default: no fallback without a chain.
 */
export const FallbacksSchema = z
  .record(z.union([z.enum(modelRoles), ModelIdSchema]), z.array(ModelIdSchema).min(1, 'a chain names at least one model').max(5, 'a chain names at most 5 models'))
  .refine((chains) => Object.keys(chains).length <= 50, 'at most 50 chains');

/** An OpenAI-compatible server the user adds: a school's LiteLLM proxy, vLLM, … */
export const EndpointSchema = z.strictObject({
  /** What model ids start with: `school` → `school/llama-3.1-70b`. */
  prefix: z
    .string()
    .regex(/^[a-z][a-z0-9-]{0,31}$/, 'use lower-case letters, digits and dashes, starting with a letter')
    .refine((prefix) => !(builtinProviderPrefixes as readonly string[]).includes(prefix), {
      message: `that prefix belongs to a built-in provider (${builtinProviderPrefixes.join(', ')})`,
    }),
  /** Shown in the UI. */
  name: z.string().trim().min(1).max(80),
  /**
   * The OpenAI-style base URL, ending before `/chat/completions`, such as `https://llm.school.example/v1`.
   * Never with credentials in it (user:password@, ?api_key=): the key goes to the keychain.
   */
  baseUrl: z.url({ protocol: /^https?$/, error: 'use an http:// or https:// URL' }).superRefine((url, context) => {
    const problem = urlCredentialProblem(url);
    if (problem) {
      context.addIssue({
        code: 'custom',
        message: `the URL must not hold a password or key: ${problem}. Give the URL without it, and save the key in the keychain with "atelier auth set endpoint:<prefix>" (it reads the key from standard input)`,
      });
    }
  }),
  /** What its models cost, in US dollars per million tokens; without it their cost is unknown. */
  price: PriceSchema.optional(),
  /**
   * `litellm`: a LiteLLM proxy (a school's server), as its `/key/info` answer showed when it was
   * added. Its budgets and rate limits per key live on the server, so Atelier's own budget does
   * not count its answers again. Absent: any other OpenAI-compatible server.
   */
  kind: z.literal('litellm').optional(),
});
export type Endpoint = z.infer<typeof EndpointSchema>;

const EndpointsSchema = z.array(EndpointSchema).refine(
  (endpoints) => new Set(endpoints.map((endpoint) => endpoint.prefix)).size === endpoints.length,
  { message: 'each endpoint needs its own prefix' },
);

/**
 * Everything the user can set that is not a secret. Secrets live in the OS keychain only, so no
 * field here may ever hold a key, a token or a password.
 */
export const SettingsSchema = z.strictObject({
  schemaVersion: z.literal(SETTINGS_SCHEMA_VERSION),
  /** UI language; `system` follows the operating system's language. */
  language: z.enum(languages),
  /** Colour theme; `system` follows the operating system's light or dark mode. */
  theme: z.enum(themes),
  ollama: OllamaSettingsSchema,
  bedrock: BedrockSettingsSchema,
  privacy: PrivacySettingsSchema,
  hardware: HardwareSettingsSchema,
  roles: RolesSettingsSchema,
  endpoints: EndpointsSchema,
  chat: ChatSettingsSchema,
  /** Daily and monthly limits for cloud use on this machine, in US dollars. */
  budget: BudgetSettingsSchema,
  reliability: ReliabilitySettingsSchema,
  fallbacks: FallbacksSchema,
  gateway: GatewaySettingsSchema,
  mcp: McpSettingsSchema,
});
export type Settings = z.infer<typeof SettingsSchema>;

export const DEFAULT_SETTINGS: Settings = {
  schemaVersion: SETTINGS_SCHEMA_VERSION,
  language: 'system',
  theme: 'system',
  ollama: { host: null, numCtx: null, keepAlive: '5m' },
  bedrock: { region: null, credentialSource: 'auto', profile: null },
  privacy: { tier: 'dsgvo_local' },
  hardware: { vramOverrideGb: null },
  roles: { fast: null, advanced: null, extreme: null },
  endpoints: [],
  chat: { model: null, firstRunCompleted: false },
  budget: { dailyUsd: null, monthlyUsd: null },
  reliability: { firstTokenTimeoutS: 120, idleTimeoutS: 60 },
  fallbacks: {},
  gateway: { enabled: false, port: 8765, allowedOrigins: [] },
  mcp: { servers: [] },
};

/** A change to some settings; keys left out keep their value, groups (ollama, bedrock) merge. */
export const SettingsPatchSchema = z.strictObject({
  language: SettingsSchema.shape.language.optional(),
  theme: SettingsSchema.shape.theme.optional(),
  ollama: OllamaSettingsSchema.partial().optional(),
  bedrock: BedrockSettingsSchema.partial().optional(),
  privacy: PrivacySettingsSchema.partial().optional(),
  hardware: HardwareSettingsSchema.partial().optional(),
  roles: RolesSettingsSchema.partial().optional(),
  endpoints: EndpointsSchema.optional(),
  chat: ChatSettingsSchema.partial().optional(),
  budget: BudgetSettingsSchema.partial().optional(),
  reliability: ReliabilitySettingsSchema.partial().optional(),
  /** Replaces all chains (the CLI's fallback set/clear compute the whole map). */
  fallbacks: FallbacksSchema.optional(),
  gateway: GatewaySettingsSchema.partial().optional(),
  mcp: McpSettingsSchema.partial().optional(),
});
export type SettingsPatch = z.infer<typeof SettingsPatchSchema>;

/** Applies a validated patch: scalars replace, groups merge field by field, lists replace. */
export function applySettingsPatch(base: Settings, patch: SettingsPatch): Settings {
  return {
    ...base,
    ...(patch.language !== undefined && { language: patch.language }),
    ...(patch.theme !== undefined && { theme: patch.theme }),
    ...(patch.ollama !== undefined && { ollama: { ...base.ollama, ...withoutUndefined(patch.ollama) } }),
    ...(patch.bedrock !== undefined && { bedrock: { ...base.bedrock, ...withoutUndefined(patch.bedrock) } }),
    ...(patch.privacy !== undefined && { privacy: { ...base.privacy, ...withoutUndefined(patch.privacy) } }),
    ...(patch.hardware !== undefined && { hardware: { ...base.hardware, ...withoutUndefined(patch.hardware) } }),
    ...(patch.roles !== undefined && { roles: { ...base.roles, ...withoutUndefined(patch.roles) } }),
    ...(patch.endpoints !== undefined && { endpoints: patch.endpoints }),
    ...(patch.chat !== undefined && { chat: { ...base.chat, ...withoutUndefined(patch.chat) } }),
    ...(patch.budget !== undefined && { budget: { ...base.budget, ...withoutUndefined(patch.budget) } }),
    ...(patch.reliability !== undefined && { reliability: { ...base.reliability, ...withoutUndefined(patch.reliability) } }),
    ...(patch.fallbacks !== undefined && { fallbacks: patch.fallbacks }),
    ...(patch.gateway !== undefined && { gateway: { ...base.gateway, ...withoutUndefined(patch.gateway) } }),
    ...(patch.mcp !== undefined && { mcp: { ...base.mcp, ...withoutUndefined(patch.mcp) } }),
  };
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * What happened when a settings file could not be used as it was. The original file is never
 * dropped: it is kept beside the new one at `keptAt` so the user (or support) can look at it.
 */
export const SettingsRecoverySchema = z.object({
  /** `unreadable`: not JSON or not an object; `invalid`: some values were wrong or unknown. */
  reason: z.enum(['unreadable', 'invalid']),
  /** One line per problem, such as `theme: expected one of system, light, dark`. */
  problems: z.array(z.string()),
  /** Absolute path of the copy of the original file. */
  keptAt: z.string(),
});
export type SettingsRecovery = z.infer<typeof SettingsRecoverySchema>;

export const SettingsStateSchema = z.object({
  settings: SettingsSchema,
  /** Set when the file read at start-up had to be repaired; null otherwise. */
  recovery: SettingsRecoverySchema.nullable(),
});
export type SettingsState = z.infer<typeof SettingsStateSchema>;
