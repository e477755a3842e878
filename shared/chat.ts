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
export function textOfParts(parts: readonly ContentPart[]): string {
  return parts
    .flatMap((part) => (part.type === 'text' ? [part.text] : []))
    .join('\n\n');
}

export const ChatMessageSchema = z.object({
  role: z.enum(['user', 'assistant']),
  /** Plain text, or parts for messages with images. */
  content: z.union([z.string(), z.array(ContentPartSchema).min(1)]),
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
