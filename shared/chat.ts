import * as z from 'zod';
import { AssistantIdSchema } from './assistants';
import { ErrorPayloadSchema } from './errors';
import { ProvenanceSchema } from './privacy';

/** Image types every provider here accepts. */
export const imageMediaTypes = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'] as const;

/** The largest image a message may carry (the composer checks it, and main again). */
export const MAX_IMAGE_BYTES = 10 * 1024 * 1024;

export const TextPartSchema = z.object({ type: z.literal('text'), text: z.string() });
export const ImagePartSchema = z.object({
  type: z.literal('image'),
  mediaType: z.enum(imageMediaTypes),
  /** Base64 without a `data:` prefix. */
  data: z.string().min(1),
});
export const ContentPartSchema = z.discriminatedUnion('type', [TextPartSchema, ImagePartSchema]);
export type ContentPart = z.infer<typeof ContentPartSchema>;

/** The text of a message's parts, paragraphs apart; images left out. */
export function textOfParts(parts: readonly MessagePart[]): string {
  return parts
    .flatMap((part) => (part.type === 'text' ? [part.text] : []))
    .join('\n\n');
}

/** A tool the model asked to run (in an assistant message), with its arguments. */
export const ToolCallPartSchema = z.object({ type: z.literal('tool-call'), id: z.string().min(1), name: z.string().min(1), args: z.record(z.string(), z.unknown()) });
/** What a tool answered (in the user turn after the call), as text; `isError` when it failed. */
export const ToolResultPartSchema = z.object({ type: z.literal('tool-result'), id: z.string().min(1), name: z.string().min(1), text: z.string(), isError: z.boolean() });
export const MessagePartSchema = z.discriminatedUnion('type', [TextPartSchema, ImagePartSchema, ToolCallPartSchema, ToolResultPartSchema]);
export type ToolCallPart = z.infer<typeof ToolCallPartSchema>;
export type ToolResultPart = z.infer<typeof ToolResultPartSchema>;
export type MessagePart = z.infer<typeof MessagePartSchema>;

/** A tool offered to the model: its name (letters, digits, `_` and `-`, as every provider takes), what it does, its arguments' JSON Schema. */
export const ToolSpecSchema = z.object({
  name: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
  description: z.string().max(4000),
  parameters: z.record(z.string(), z.unknown()),
});
export type ToolSpec = z.infer<typeof ToolSpecSchema>;

export const ChatMessageSchema = z.object({
  role: z.enum(['user', 'assistant']),
  /** Plain text, or parts: text and images, and in a tool loop the calls and their results. */
  content: z.union([z.string(), z.array(MessagePartSchema).min(1)]),
  /** Its token count as estimated when it was saved (the router estimates messages without one). */
  tokens: z.number().int().nonnegative().optional(),
});
export type ChatMessage = z.infer<typeof ChatMessageSchema>;

/** One request to a model: the whole conversation, not just the last turn. */
export const ChatRequestSchema = z.strictObject({
  /** `provider/model`, such as `local/llama3.2:3b` or `openrouter/anthropic/claude-sonnet-4.5`. */
  model: z.string().min(1),
  system: z.string().optional(),
  messages: z.array(ChatMessageSchema).min(1),
  /** 0 to 2; the provider's default when left out. */
  temperature: z.number().min(0).max(2).optional(),
  /** Upper bound on the answer's length, in tokens. */
  maxTokens: z.number().int().positive().max(1_000_000).optional(),
  /** Tools the model may call; it then ends with `tool-call` parts and finish reason `tool-calls`. */
  tools: z.array(ToolSpecSchema).max(128).optional(),
  /** Where the answer stops: up to 4 texts, the first one that appears ends it (not itself shown). */
  stop: z.array(z.string().min(1).max(200)).min(1).max(4).optional(),
  /**
   * The assistant to answer as (its id): its instructions become the system prompt, its
   * temperature the default. Resolved by the router, where the school's rules apply.
   */
  assistant: AssistantIdSchema.optional(),
});
export type ChatRequest = z.infer<typeof ChatRequestSchema>;

/** Why an answer ended, in Atelier's words (`unified`) and the provider's (`raw`). */
export const finishReasons = ['stop', 'length', 'content-filter', 'tool-calls', 'error', 'other'] as const;
export const FinishReasonSchema = z.object({ unified: z.enum(finishReasons), raw: z.string().nullable() });
export type FinishReason = z.infer<typeof FinishReasonSchema>;

export const UsageSchema = z.object({
  /** Tokens read (prompt); null where the provider did not say. */
  inputTokens: z.number().int().nonnegative().nullable(),
  /** Tokens written (answer); null where the provider did not say. */
  outputTokens: z.number().int().nonnegative().nullable(),
  /** Input tokens read from the provider's prompt cache, where it reports them apart from `inputTokens`. */
  cacheReadTokens: z.number().int().nonnegative().optional(),
  /** Input tokens written to the provider's prompt cache, where it reports them apart from `inputTokens`. */
  cacheWriteTokens: z.number().int().nonnegative().optional(),
  /**
   * What the answer cost in US dollars: what the provider reported (OpenRouter), else its tokens at
   * the model's price; null when the price is unknown (never 0 for "unknown"). Set by the router.
   */
  costUsd: z.number().nonnegative().nullable().optional(),
});
export type Usage = z.infer<typeof UsageSchema>;

/**
 * What a stream yields: text as it arrives, then exactly one `finish` or `error`. A stopped
 * stream ends with an `error` whose code is `cancelled`; the text before it stands. A routed
 * stream starts with its `provenance`. A `notice`
 * may come at any point: something the user should know that did not stop the answer (Atelier
 * used an inference profile for a bare Bedrock model id, say).
 */
export const StreamPartSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text-delta'), text: z.string() }),
  /** The model asks to run a tool (whole, once its arguments have arrived). */
  ToolCallPartSchema,
  /** A tool's answer, from the tool loop (core/tools/tool-loop.ts). */
  ToolResultPartSchema,
  z.object({ type: z.literal('notice'), message: z.string() }),
  /**
   * Before any text: where this answer comes from (tier, route class, provider, region, host,
   * model). Sent again, with `attempt` (2, 3, …), when a try failed before any text and Atelier
   * tries again.
   */
  ProvenanceSchema.extend({ type: z.literal('provenance') }),
  z.object({ type: z.literal('finish'), reason: FinishReasonSchema, usage: UsageSchema }),
  /** `retryAfterMs`: how long the provider asked to wait before trying again (Retry-After), where it said. */
  ErrorPayloadSchema.extend({ type: z.literal('error'), retryAfterMs: z.number().nonnegative().optional() }),
]);
export type StreamPart = z.infer<typeof StreamPartSchema>;
