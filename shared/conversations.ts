import * as z from 'zod';
import { ConversationAssistantSchema } from './assistants';
import { ContentPartSchema, UsageSchema } from './chat';
import { ToolActivitySchema } from './tools';
import { messageStatuses } from './choices';
import { ErrorPayloadSchema } from './errors';
import { ProvenanceSchema } from './privacy';

export const ConversationIdSchema = z.number().int().positive();
export const MessageIdSchema = z.number().int().positive();

export const ConversationSchema = z.object({
  id: ConversationIdSchema,
  title: z.string(),
  /** The model of the last message sent, as `provider/model`; null before the first. */
  model: z.string().nullable(),
  /** The assistant it was started with, as it was then; null for a plain chat. */
  assistant: ConversationAssistantSchema.nullable(),
  /** ISO 8601, UTC. */
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Conversation = z.infer<typeof ConversationSchema>;

/** How long an answer took: time to the first token and in all, in milliseconds. */
export const TimingsSchema = z.object({
  startedAt: z.string(),
  firstTokenMs: z.number().nonnegative().nullable(),
  durationMs: z.number().nonnegative().nullable(),
});
export type Timings = z.infer<typeof TimingsSchema>;

export const StoredMessageSchema = z.object({
  id: MessageIdSchema,
  conversationId: ConversationIdSchema,
  role: z.enum(['user', 'assistant']),
  parts: z.array(ContentPartSchema),
  /** The model asked, as `provider/model` (assistant messages). */
  model: z.string().nullable(),
  status: z.enum(messageStatuses),
  provenance: ProvenanceSchema.nullable(),
  usage: UsageSchema.nullable(),
  timings: TimingsSchema.nullable(),
  error: ErrorPayloadSchema.nullable(),
  /** What the user should know about this answer (an inference profile used, say). */
  notices: z.array(z.string()),
  /** The tools the model called for this answer, in order, with what each answered. */
  toolCalls: z.array(ToolActivitySchema).optional(),
  /** Its token count (a high estimate), made once when it was written; absent while streaming. */
  tokens: z.number().int().nonnegative().optional(),
  createdAt: z.string(),
});
export type StoredMessage = z.infer<typeof StoredMessageSchema>;

/**
 * A message that matched a search. `snippet` is plain text with the matched words between
 * U+0002 and U+0003, so the renderer can mark them without parsing HTML.
 */
export const SearchHitSchema = z.object({
  conversationId: ConversationIdSchema,
  conversationTitle: z.string(),
  messageId: MessageIdSchema,
  role: z.enum(['user', 'assistant']),
  snippet: z.string(),
  createdAt: z.string(),
});
export type SearchHit = z.infer<typeof SearchHitSchema>;

export const SNIPPET_MARK_START = '\u0002';
export const SNIPPET_MARK_END = '\u0003';

export { exportFormats, type ExportFormat } from './choices';
