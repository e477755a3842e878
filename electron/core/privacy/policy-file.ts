import fs from 'node:fs';
import path from 'node:path';
import * as z from 'zod';
import { privacyTiers, routeClasses } from '../../../shared/choices';
import { describeIssues } from '../../../shared/errors';
import { PriceSchema, UsdLimitSchema } from '../../../shared/usage';
import { EndpointSchema, FallbacksSchema } from '../../../shared/settings';
import { AssistantFieldsSchema, AssistantIdSchema } from '../../../shared/assistants';
import { McpServerConfigSchema } from '../../../shared/tools';
import { decodePersonsText, describeInvisibleCharacter, printable } from '../../../shared/text';

type Env = Readonly<Record<string, string | undefined>>;

/** What a school's IT may set for every user of the machine. */
export const PolicyFileSchema = z.strictObject({
  /** Pins the privacy tier; users cannot change it. */
  tier: z.enum(privacyTiers).optional(),
  /** Only these providers (model-id prefixes). */
  allowedProviders: z.array(z.string().regex(/^[a-z][a-z0-9-]{0,31}$/)).optional(),
  /** Only models matching one of these patterns, `*` matching anything: `local/*`, `bedrock/eu.*`. */
  allowedModels: z.array(z.string().min(1)).optional(),
  /** Ollama hosts that count as local (the school's own GPU server). */
  ollamaHosts: z.array(z.string().min(1)).optional(),
  /**
   * Where each custom endpoint's servers are: `local`, `eu` or `non-eu`, for the address `url`
   * names. The residency holds only there: an endpoint moved to another address is `non-eu`.
   */
  endpoints: z
    .record(
      z.string(),
      z.strictObject({
        residency: z.enum(routeClasses),
        url: z.url({ protocol: /^https?$/, error: 'use the endpoint’s http:// or https:// address, such as https://llm.school.example/v1' }).optional(),
        /** What its models cost, in US dollars per million tokens (wins over the user's settings). */
        price: PriceSchema.optional(),
      }),
    )
    .optional(),
  /**
   * The school's own server (a LiteLLM proxy in front of vLLM, Ollama or Bedrock): it appears on
   * every machine as the endpoint `prefix` (`school` unless named), without anyone adding it, its
   * residency as declared here (`non-eu` unless said, as for every custom endpoint), the key each
   * student's own (`atelier auth set endpoint:school`). To make it the only provider, add
   * `"allowedProviders": ["school"]`.
   */
  schoolServer: z
    .strictObject({
      /** The OpenAI-style base URL, such as `https://llm.school.example/v1` (never with a key in it). */
      url: EndpointSchema.shape.baseUrl,
      /** What its model ids start with; `school` unless named. */
      prefix: EndpointSchema.shape.prefix.optional(),
      /** Shown in the app; `School server` unless named. */
      name: EndpointSchema.shape.name.optional(),
      /** Where its servers are; `non-eu` unless the school says. */
      residency: z.enum(routeClasses).optional(),
      /** What its models cost, in US dollars per million tokens (shown, never held against this machine's budget). */
      price: PriceSchema.optional(),
    })
    .optional(),
  /**
   * Servers the school vouches for, by host name or address: where a provider whose address was
   * changed (a Bedrock endpoint, an Anthropic or OpenAI base URL, a custom endpoint, an Ollama
   * host) sends words. Any other changed address counts as `non-eu`.
   */
  hosts: z.record(z.string().min(1).max(253), z.enum(routeClasses)).optional(),
  /**
   * Pins the budget for cloud use on this machine, in US dollars: users cannot change it. A limit
   * left out (or null) is no limit of that kind.
   */
  budget: z.strictObject({ dailyUsd: UsdLimitSchema.nullable().optional(), monthlyUsd: UsdLimitSchema.nullable().optional() }).optional(),
  /**
   * Fallback chains, by model id or role (`fast`, `advanced`, `extreme`): the models to use, in
   * order, when that one is down or cooling down. They pin all chains: users cannot change them.
   */
  fallbacks: FallbacksSchema.optional(),
  /**
   * Assistants the school ships, by id (`mathe-tutor`): shown as "from your school", not
   * editable. Same fields as an assistant made in the app.
   */
  assistants: z
    .record(z.string(), AssistantFieldsSchema)
    .superRefine((assistants, context) => {
      for (const id of Object.keys(assistants)) {
        if (!AssistantIdSchema.safeParse(id).success) {
          context.addIssue({ code: 'custom', path: [id], message: `"${id.slice(0, 70)}" is not an assistant id: use lower-case letters, digits and dashes, such as mathe-tutor` });
        }
      }
    })
    .optional(),
  /** Chats only with the school's assistants (`assistants`): no free chat, no assistant of the user's own. */
  assistantsOnly: z.boolean().optional(),
  /**
   * Tools (MCP): `allowed: false` forbids every tool server; `localPrograms: false` forbids
   * programs started on this computer (stdio); `allowedServers` allows only these server names
   * (and the school's own); `allowedTools` only these tools (`server/tool`, `*` matching
   * anything); `servers` ships servers to every machine (enabled, not changeable by users).
   */
  tools: z
    .strictObject({
      allowed: z.boolean().optional(),
      localPrograms: z.boolean().optional(),
      allowedServers: z.array(z.string().min(1)).optional(),
      allowedTools: z.array(z.string().min(1)).optional(),
      servers: z.array(McpServerConfigSchema).max(50).optional(),
    })
    .optional(),
  /** Privacy, providers, credentials and allowed models cannot be changed by users at all. */
  lockSettings: z.boolean().optional(),
}).refine((policy) => !policy.schoolServer || policy.endpoints?.[policy.schoolServer.prefix ?? 'school'] === undefined, {
  message: 'the school server’s residency and price go in "schoolServer", not again in "endpoints"',
  path: ['endpoints'],
});
export type PolicyFile = z.infer<typeof PolicyFileSchema>;

export type ManagedPolicy =
  /** `missing`: ATELIER_POLICY_FILE names a file that is not there (said, never silently ignored). */
  | { state: 'none'; missing?: string }
  | { state: 'valid'; file: string; policy: PolicyFile }
  /** Present but unreadable or invalid: Atelier then uses the strictest tier, and says why. */
  | { state: 'invalid'; file: string; problem: string };

/** Where school IT puts the policy on each system. */
export function systemPolicyFilePath(env: Env, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') return path.win32.join(env.ProgramData ?? env.PROGRAMDATA ?? 'C:\\ProgramData', 'Atelier', 'policy.json');
  if (platform === 'darwin') return '/Library/Application Support/Atelier/policy.json';
  return '/etc/atelier/policy.json';
}

/**
 * The policy file in force: the system's, whenever one is there; ATELIER_POLICY_FILE only where
 * the system has none (for trying a policy out, and for tests). A variable in a user's own
 * environment must never displace what the school's IT put in place.
 */
export function policyFilePath(env: Env, platform: NodeJS.Platform = process.platform): string {
  const system = systemPolicyFilePath(env, platform);
  const override = env.ATELIER_POLICY_FILE?.trim();
  if (!override || fileIsThere(system)) return system;
  return override;
}

function fileIsThere(file: string): boolean {
  try {
    fs.lstatSync(file);
    return true;
  } catch (error) {
    // Anything but "not there" (no permission to look, say) counts as there: the system's file then applies, and says why it cannot be read.
    return (error as NodeJS.ErrnoException).code !== 'ENOENT';
  }
}

/** A policy file is small; anything larger is not one (and /dev/zero must not be read for ever). */
const MAX_POLICY_BYTES = 1024 * 1024;

/**
 * Reads the policy file, again only when it changed (a stat per check). A file that exists but
 * cannot be used is never ignored: it is reported as invalid.
 */
export class PolicyFileReader {
  private cached: { key: string; value: ManagedPolicy } | null = null;

  /**
   * `named`: the path came from ATELIER_POLICY_FILE, so its absence is worth saying.
   * `systemOnly`: while true (the class is locked), ATELIER_POLICY_FILE is not read at all: a file
   * of the student's own must not loosen what the teacher locked.
   */
  constructor(
    readonly file: string,
    private readonly named = false,
    private readonly system: string | null = null,
    private readonly systemOnly: () => boolean = () => false,
  ) {}

  static fromEnvironment(env: Env, platform: NodeJS.Platform = process.platform, systemOnly?: () => boolean): PolicyFileReader {
    const override = env.ATELIER_POLICY_FILE?.trim();
    return new PolicyFileReader(override || systemPolicyFilePath(env, platform), Boolean(override), override ? systemPolicyFilePath(env, platform) : null, systemOnly);
  }

  read(): ManagedPolicy {
    // The system's file, once it appears, wins over ATELIER_POLICY_FILE (checked on every read),
    // and while the class is locked only the system's file counts.
    const file = this.system !== null && (fileIsThere(this.system) || this.systemOnly()) ? this.system : this.file;
    let stat: fs.Stats;
    try {
      stat = fs.statSync(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        // A link that points nowhere is not "no policy": the school put something there.
        if (fileIsThere(file)) return { state: 'invalid', file, problem: 'it is a link to a file that does not exist' };
        return this.named && file === this.file ? { state: 'none', missing: file } : { state: 'none' };
      }
      return { state: 'invalid', file, problem: `it cannot be read (${(error as NodeJS.ErrnoException).code ?? 'unknown error'})` };
    }
    if (!stat.isFile()) return { state: 'invalid', file, problem: 'it is not a regular file' };
    if (stat.size > MAX_POLICY_BYTES) return { state: 'invalid', file, problem: `it is ${stat.size} bytes, more than a policy file can be (1 MB)` };
    const key = `${file}:${stat.mtimeMs}:${stat.size}`;
    if (this.cached?.key === key) return this.cached.value;
    const value = parse(file);
    this.cached = { key, value };
    return value;
  }
}

function parse(file: string): ManagedPolicy {
  let data: unknown;
  let text = '';
  try {
    // A byte-order mark is fine (PowerShell 5.1's Set-Content -Encoding UTF8 writes one), and so
    // is UTF-16 (what its `>` and Out-File write).
    text = decodePersonsText(fs.readFileSync(file));
    data = JSON.parse(text);
  } catch (error) {
    const invisible = describeInvisibleCharacter(text);
    const reason = (error as NodeJS.ErrnoException).code
      ? `it cannot be read (${(error as NodeJS.ErrnoException).code})`
      : `it is not valid JSON (${printable((error as Error).message)}${invisible ? `; it contains ${invisible}, which may come from the editor that saved it` : ''})`;
    return { state: 'invalid', file, problem: reason };
  }
  const parsed = PolicyFileSchema.safeParse(data);
  if (!parsed.success) return { state: 'invalid', file, problem: `it does not match the policy format: ${describeIssues(parsed.error.issues)}` };
  return { state: 'valid', file, policy: parsed.data };
}

/** `*` matches any run of characters; everything else is literal. */
export function matchesPattern(pattern: string, value: string): boolean {
  const regex = new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return regex.test(value);
}
