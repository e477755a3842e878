import * as z from 'zod';
import { AppInfoSchema } from '../app-info';
import { ChatRequestSchema, ContentPartSchema, StreamPartSchema } from '../chat';
import { exportFormats } from '../choices';
import { ConversationIdSchema, ConversationSchema, MessageIdSchema, SearchHitSchema, StoredMessageSchema } from '../conversations';
import { ModelCatalogueSchema } from '../models';
import { HardwareAdviceSchema, HardwareReportSchema } from '../hardware';
import { InstalledModelSchema, OllamaModelNameSchema, OllamaStatusSchema, PullEventSchema } from '../ollama';
import { ConnectionTestSchema, CredentialsOverviewSchema } from '../providers';
import { EgressEntrySchema } from '../egress';
import { PrivacyStateSchema } from '../privacy';
import { SecretNameSchema, StoredSecretSchema } from '../secrets';
import { SettingsPatchSchema, SettingsStateSchema } from '../settings';
import { BudgetSettingsSchema, BudgetStatusSchema, DaySchema, UsageDetailsSchema } from '../usage';
import { ReliabilityStatusSchema } from '../reliability';
import { GatewayStatusSchema, ServeTokenSchema } from '../gateway';
import { SchoolServerStatusSchema } from '../school-server';
import { McpServerConfigSchema, McpServerEntrySchema, McpServerNameSchema, ToolInfoSchema } from '../tools';
import { AssistantFieldsSchema, AssistantIdSchema, AssistantListSchema, AssistantSchema } from '../assistants';
import type { ChannelName, EventName } from './channels';

export { isChannelName, isEventName, type ChannelName, type EventName } from './channels';

interface ChannelSpec {
  input: z.ZodType;
  output: z.ZodType;
}

/** Input schema of a channel that takes no argument. */
const NoInput = z.undefined();

/**
 * Every request the renderer can make of the main process: `namespace:verb-noun` → input and
 * output schemas. With the names in channels.ts, this table is the single source of truth: the
 * preload refuses anything not in it, main validates every input against it, and the types on
 * both sides come from it.
 */
export const ipcChannels = {
  'app:get-info': { input: NoInput, output: AppInfoSchema },
  'settings:get': { input: NoInput, output: SettingsStateSchema },
  'settings:update': { input: SettingsPatchSchema, output: SettingsStateSchema },
  /** Starts an answer; its parts arrive as `chat:stream-part` events with this streamId. */
  'chat:start-stream': { input: ChatRequestSchema, output: z.object({ streamId: z.string() }) },
  /** Stops an answer; it ends with a `cancelled` part. `aborted` is false if it had ended already. */
  'chat:abort': { input: z.strictObject({ streamId: z.string() }), output: z.object({ aborted: z.boolean() }) },
  /**
   * Sends a message in a conversation (null starts one): saved before it is sent, the answer
   * saved as it streams; parts arrive as `chat:stream-part` events with the streamId.
   * `replaceFrom` edits and resends: that user message and all after it are replaced.
   */
  'chat:send': {
    input: z.strictObject({
      conversationId: ConversationIdSchema.nullable(),
      model: z.string().min(3).max(300),
      parts: z.array(ContentPartSchema).min(1).max(20),
      replaceFrom: MessageIdSchema.optional(),
      /** A new conversation (conversationId null) with this assistant; a saved one keeps the one it has. */
      assistantId: AssistantIdSchema.optional(),
      /** Offer the model the enabled tool servers' tools; each call waits for tools:answer-approval. */
      tools: z.boolean().optional(),
    }),
    output: z.object({ streamId: z.string(), conversation: ConversationSchema, userMessage: StoredMessageSchema, answer: StoredMessageSchema }),
  },
  /** A new answer to the conversation's last message, replacing the answers after it. */
  'chat:regenerate': {
    input: z.strictObject({ conversationId: ConversationIdSchema, model: z.string().min(3).max(300) }),
    output: z.object({ streamId: z.string(), conversation: ConversationSchema, answer: StoredMessageSchema }),
  },
  /** Conversations, newest first. */
  'conversations:list': { input: NoInput, output: z.object({ conversations: z.array(ConversationSchema) }) },
  'conversations:get': { input: z.strictObject({ id: ConversationIdSchema }), output: z.object({ conversation: ConversationSchema, messages: z.array(StoredMessageSchema) }) },
  /** One message as stored (an answer once its stream has ended), without reading the whole conversation again. */
  'conversations:get-message': { input: z.strictObject({ id: MessageIdSchema }), output: z.object({ conversation: ConversationSchema, message: StoredMessageSchema }) },
  'conversations:rename': { input: z.strictObject({ id: ConversationIdSchema, title: z.string().max(500) }), output: ConversationSchema },
  /** Hides a conversation; it can be restored for `undoSeconds`, then it is gone for good. */
  'conversations:delete': { input: z.strictObject({ id: ConversationIdSchema }), output: z.object({ undoSeconds: z.number().int().positive() }) },
  'conversations:restore': { input: z.strictObject({ id: ConversationIdSchema }), output: ConversationSchema },
  /** Full-text search over every message. */
  'conversations:search': { input: z.strictObject({ query: z.string().max(500) }), output: z.object({ hits: z.array(SearchHitSchema) }) },
  /** A conversation as a file for the user to save. */
  'conversations:export': {
    input: z.strictObject({ id: ConversationIdSchema, format: z.enum(exportFormats) }),
    output: z.object({ fileName: z.string(), mediaType: z.string(), content: z.string() }),
  },
  /** The model picker's content: models by provider with residency and availability, and the roles. */
  'models:get-catalogue': { input: NoInput, output: ModelCatalogueSchema },
  /** This machine's hardware (detected once, kept) and the models recommended for it. */
  'hardware:get': {
    input: z.strictObject({ refresh: z.boolean().optional() }).optional(),
    output: z.object({ report: HardwareReportSchema, advice: HardwareAdviceSchema }),
  },
  'ollama:status': { input: NoInput, output: OllamaStatusSchema },
  'ollama:list': { input: NoInput, output: z.object({ models: z.array(InstalledModelSchema) }) },
  /** Starts a download; progress arrives as `ollama:pull-progress` events. */
  'ollama:pull': { input: z.strictObject({ model: OllamaModelNameSchema }), output: z.object({ started: z.boolean() }) },
  'ollama:cancel-pull': { input: z.strictObject({ model: OllamaModelNameSchema }), output: z.object({ cancelled: z.boolean() }) },
  /** Loads a model into memory ahead of the first question (the chat view does, when a local model is chosen). */
  'ollama:load': { input: z.strictObject({ model: OllamaModelNameSchema }), output: z.object({ loaded: z.literal(true) }) },
  'ollama:delete': { input: z.strictObject({ model: OllamaModelNameSchema }), output: z.object({ deleted: z.literal(true) }) },
  /** A minimal real call to one provider: whether it works, and if not, what to do. */
  'providers:test': { input: z.strictObject({ provider: z.string().regex(/^[a-z][a-z0-9-]{0,31}$/) }), output: ConnectionTestSchema },
  /** Which credentials are set and where they come from; values only ever masked. */
  'providers:get-credentials': { input: NoInput, output: CredentialsOverviewSchema },
  /** Saves a secret in the keychain (or, with sessionOnly, in memory until Atelier quits); answers masked. */
  'providers:set-secret': {
    input: z.strictObject({ name: SecretNameSchema, value: z.string().min(1).max(4096), sessionOnly: z.boolean().optional() }),
    output: StoredSecretSchema,
  },
  'providers:remove-secret': { input: z.strictObject({ name: SecretNameSchema }), output: z.object({ removed: z.boolean() }) },
  /** The text of the access-key CSV the AWS console gives; parsed in main, saved in the keychain, not kept. */
  'providers:import-aws-csv': { input: z.strictObject({ content: z.string().max(65_536) }), output: z.object({ accessKeyIdMasked: z.string() }) },
  /** Profile names from ~/.aws/config and ~/.aws/credentials, for the profile picker. */
  'providers:list-aws-profiles': { input: NoInput, output: z.object({ profiles: z.array(z.string()) }) },
  /** The egress record, newest first: where requests went, never what they said. */
  'egress:list': {
    input: z.strictObject({ limit: z.number().int().min(1).max(1000).optional(), offset: z.number().int().min(0).optional() }).optional(),
    output: z.object({ entries: z.array(EgressEntrySchema), total: z.number().int() }),
  },
  /** The whole egress record as CSV, for the user to save. */
  'egress:export-csv': { input: NoInput, output: z.object({ csv: z.string(), fileName: z.string() }) },
  'privacy:get-state': { input: NoInput, output: PrivacyStateSchema },
  /** A teacher locks the privacy setting, providers and keys with a password (only its hash is kept). */
  'privacy:lock': { input: z.strictObject({ password: z.string().min(1).max(200), forbidTools: z.enum(['local', 'all']).optional() }), output: PrivacyStateSchema },
  'privacy:unlock': { input: z.strictObject({ password: z.string().min(1).max(200) }), output: PrivacyStateSchema },
  /** What answers cost and used since a day (default: the last 30 days), by day, provider and model. */
  'usage:get-report': { input: z.strictObject({ since: DaySchema.optional() }).optional(), output: UsageDetailsSchema },
  /** The same report's days as CSV, for the user to save. */
  'usage:export-csv': { input: z.strictObject({ since: DaySchema.optional() }).optional(), output: z.object({ csv: z.string(), fileName: z.string() }) },
  /** The budget in force and what is spent against it. */
  'usage:get-budget': { input: NoInput, output: BudgetStatusSchema },
  /** Sets the daily and/or monthly limit (null: none); refused while the class is locked or the school's policy sets it. */
  'usage:set-budget': { input: BudgetSettingsSchema.partial(), output: BudgetStatusSchema },
  /** How each configured provider and route is doing; `check`: ask the providers for their model lists first (free). */
  'reliability:get-status': { input: z.strictObject({ check: z.boolean().optional() }).optional(), output: ReliabilityStatusSchema },
  /** Every assistant: the school's, the built-in ones, the user's own; whether they can be changed now. */
  'assistants:list': { input: NoInput, output: AssistantListSchema },
  /** Saves a new assistant of the user's own; refused while the class is locked or the school locks settings. */
  'assistants:add': { input: AssistantFieldsSchema, output: AssistantSchema },
  'assistants:update': { input: z.strictObject({ id: AssistantIdSchema, fields: AssistantFieldsSchema }), output: AssistantSchema },
  /** An editable copy of any assistant (a built-in one or the school's too), named `copyName`. */
  'assistants:duplicate': { input: z.strictObject({ id: AssistantIdSchema, copyName: z.string().trim().min(1).max(80).optional() }), output: AssistantSchema },
  'assistants:remove': { input: z.strictObject({ id: AssistantIdSchema }), output: z.object({ removed: z.literal(true) }) },
  /** Each school server (the policy's, and LiteLLM endpoints): what its /key/info says of the student's key (budget left, limits), or why not. */
  'school:get-status': { input: NoInput, output: z.object({ servers: z.array(SchoolServerStatusSchema) }) },
  /** Tool servers (MCP) and where each runs; `lockedBy` says why they cannot be changed now. */
  'tools:list-servers': { input: NoInput, output: z.object({ servers: z.array(McpServerEntrySchema), lockedBy: z.enum(['classroom-lock', 'policy']).nullable() }) },
  /** Adds (or with `replace`, changes) a server; `envValues` go to the keychain. Refused while the class is locked or the school locks settings. */
  'tools:add-server': {
    input: z.strictObject({ server: McpServerConfigSchema, envValues: z.record(z.string(), z.string().max(8192)).optional(), replace: z.boolean().optional() }),
    output: z.object({ servers: z.array(McpServerEntrySchema) }),
  },
  'tools:remove-server': { input: z.strictObject({ name: McpServerNameSchema }), output: z.object({ servers: z.array(McpServerEntrySchema) }) },
  'tools:set-enabled': { input: z.strictObject({ name: McpServerNameSchema, enabled: z.boolean() }), output: z.object({ servers: z.array(McpServerEntrySchema) }) },
  /** Starts or reaches a server (where the tier allows its route) and lists its tools. */
  'tools:list-tools': { input: z.strictObject({ name: McpServerNameSchema }), output: z.object({ tools: z.array(ToolInfoSchema) }) },
  /** The user's decision on a tool call waiting (`tools:approval-requested`): once, for this conversation, or deny. */
  'tools:answer-approval': { input: z.strictObject({ requestId: z.string().min(1).max(100), decision: z.enum(['once', 'conversation', 'deny']) }), output: z.object({ answered: z.boolean() }) },
  /** The local OpenAI-compatible endpoint: running or not, its base URL, or why it could not start. Switched with settings:update { gateway }. */
  'gateway:get-status': { input: NoInput, output: GatewayStatusSchema },
  /** Its clients' tokens, masked. */
  'gateway:list-tokens': { input: NoInput, output: z.object({ tokens: z.array(ServeTokenSchema) }) },
  /** Makes a token for a client: the token is in this answer only (and the keychain). Refused while the class is locked. */
  'gateway:add-token': { input: z.strictObject({ name: z.string().max(200) }), output: ServeTokenSchema.extend({ token: z.string() }) },
  'gateway:revoke-token': { input: z.strictObject({ name: z.string().max(200) }), output: z.object({ revoked: z.boolean() }) },
} as const satisfies Record<ChannelName, ChannelSpec>;

/** Everything main pushes to the renderer: `namespace:noun-changed` → payload schema. */
export const ipcEvents = {
  /** Settings changed, from this window, another window or the CLI. */
  'settings:changed': SettingsStateSchema,
  /** A part of a streamed answer: text (coalesced to about one event per frame), then finish or error. */
  'chat:stream-part': z.object({ streamId: z.string(), part: StreamPartSchema }),
  /** Progress of a pull (at most ten a second), then one event with `finished`. */
  'ollama:pull-progress': PullEventSchema,
  /** A model asks to run a tool in a conversation: shown to the user, answered with tools:answer-approval. */
  'tools:approval-requested': z.object({ requestId: z.string(), conversationId: ConversationIdSchema, server: z.string(), tool: z.string(), args: z.record(z.string(), z.unknown()) }),
  /** The local endpoint started, stopped, moved, or could not start. */
  'gateway:status-changed': GatewayStatusSchema,
} as const satisfies Record<EventName, z.ZodType>;

/** What a caller passes (before parsing). */
export type ChannelInput<C extends ChannelName> = z.input<(typeof ipcChannels)[C]['input']>;
/** What a handler receives (after parsing). */
export type ChannelParsedInput<C extends ChannelName> = z.output<(typeof ipcChannels)[C]['input']>;
export type ChannelOutput<C extends ChannelName> = z.output<(typeof ipcChannels)[C]['output']>;
export type EventPayload<E extends EventName> = z.output<(typeof ipcEvents)[E]>;
