import * as z from 'zod';
import { imageMediaTypes, MAX_IMAGE_BYTES, type ChatMessage, type ChatRequest, type ContentPart, type FinishReason, type Usage } from '../../../shared/chat';
import { AtelierError, describeIssues, type ErrorCode, type ErrorPayload } from '../../../shared/errors';

/**
 * OpenAI's Chat Completions wire format, the part a local endpoint serves: what a client sends,
 * and what it gets back (https://platform.openai.com/docs/api-reference/chat).
 */

const TextPart = z.object({ type: z.literal('text'), text: z.string() });
const ImageUrlPart = z.object({ type: z.literal('image_url'), image_url: z.object({ url: z.string(), detail: z.string().optional() }) });
const ContentPartWire = z.discriminatedUnion('type', [TextPart, ImageUrlPart]);

const MessageWire = z.object({
  role: z.enum(['system', 'developer', 'user', 'assistant']),
  content: z.union([z.string(), z.array(ContentPartWire)]).nullable(),
  name: z.string().optional(),
});

/** What Atelier takes; what it does not know is refused with a clear message, never ignored silently. */
export const ChatCompletionRequestSchema = z.object({
  model: z.string().min(1),
  messages: z.array(MessageWire).min(1),
  stream: z.boolean().optional(),
  stream_options: z.object({ include_usage: z.boolean().optional() }).nullable().optional(),
  max_tokens: z.number().int().positive().max(1_000_000).nullable().optional(),
  max_completion_tokens: z.number().int().positive().max(1_000_000).nullable().optional(),
  temperature: z.number().min(0).max(2).nullable().optional(),
  stop: z.union([z.string().min(1), z.array(z.string().min(1)).max(4)]).nullable().optional(),
  n: z.number().int().optional(),
  tools: z.array(z.unknown()).optional(),
  tool_choice: z.unknown().optional(),
  user: z.string().optional(),
  response_format: z.object({ type: z.string() }).loose().nullable().optional(),
});

/** Fields a client may send that change what it gets back: refused, never ignored silently. */
const REFUSED_FIELDS = ['functions', 'function_call', 'logprobs', 'top_logprobs', 'audio', 'modalities', 'prediction', 'logit_bias', 'parallel_tool_calls'] as const;
type ChatCompletionRequest = z.infer<typeof ChatCompletionRequestSchema>;

export interface ParsedCompletionRequest {
  request: ChatRequest;
  stream: boolean;
  includeUsage: boolean;
}

/** An OpenAI request body as Atelier's ChatRequest; `invalid_request` says what is wrong. */
export function parseCompletionRequest(body: unknown): ParsedCompletionRequest {
  const parsed = ChatCompletionRequestSchema.safeParse(body);
  if (!parsed.success) throw new AtelierError('invalid_request', `The request is not one Atelier can take: ${describeIssues(parsed.error.issues)}.`, 'Send an OpenAI Chat Completions request: model and messages.');
  const wire: ChatCompletionRequest = parsed.data;
  const refused = REFUSED_FIELDS.filter((field) => {
    const value = (body as Record<string, unknown>)[field];
    return value !== undefined && value !== null && value !== false;
  });
  if (refused.length > 0) throw new AtelierError('invalid_request', `The local endpoint does not take ${refused.join(', ')}.`, 'Leave them out.');
  if (wire.response_format && wire.response_format.type !== 'text') throw new AtelierError('invalid_request', `The local endpoint does not take response_format ${wire.response_format.type} (only text).`, 'Leave out response_format, or ask for JSON in the message.');
  if (wire.tool_choice !== undefined && wire.tool_choice !== null && wire.tool_choice !== 'none' && wire.tool_choice !== 'auto') throw new AtelierError('invalid_request', 'The local endpoint does not take tools (yet), so no tool_choice either.', 'Leave out tool_choice.');
  if (wire.n !== undefined && wire.n !== 1) throw new AtelierError('invalid_request', 'Atelier answers with one choice (n = 1).', 'Leave out n, or send 1.');
  if (wire.tools !== undefined && wire.tools.length > 0) throw new AtelierError('invalid_request', 'The local endpoint does not take tools (yet).', 'Leave out tools.');
  const system: string[] = [];
  const messages: ChatMessage[] = [];
  for (const message of wire.messages) {
    if (message.role === 'system' || message.role === 'developer') {
      system.push(textOnly(message.content, message.role));
      continue;
    }
    const parts = toParts(message.content);
    if (parts.length === 0) continue;
    messages.push({ role: message.role, content: parts.every((part) => part.type === 'text') ? parts.map((part) => (part.type === 'text' ? part.text : '')).join('\n\n') : parts });
  }
  if (messages.length === 0) throw new AtelierError('invalid_request', 'There is no user message to answer.', 'Send at least one message with role "user".');
  const maxTokens = wire.max_completion_tokens ?? wire.max_tokens ?? undefined;
  const stop = typeof wire.stop === 'string' ? [wire.stop] : (wire.stop ?? undefined);
  return {
    request: {
      model: wire.model,
      messages,
      ...(system.length > 0 && { system: system.join('\n\n') }),
      ...(wire.temperature !== null && wire.temperature !== undefined && { temperature: wire.temperature }),
      ...(maxTokens !== undefined && { maxTokens }),
      ...(stop !== undefined && stop.length > 0 && { stop: stop.map((text) => text.slice(0, 200)) }),
    },
    stream: wire.stream === true,
    includeUsage: wire.stream_options?.include_usage === true,
  };
}

function textOnly(content: z.infer<typeof MessageWire>['content'], role: string): string {
  if (content === null) return '';
  if (typeof content === 'string') return content;
  if (content.some((part) => part.type !== 'text')) throw new AtelierError('invalid_request', `A ${role} message takes text only.`, 'Send images in a user message.');
  return content.map((part) => (part.type === 'text' ? part.text : '')).join('\n\n');
}

const DATA_URL = /^data:(image\/(?:png|jpe?g|gif|webp));base64,([A-Za-z0-9+/=\s]+)$/i;

function toParts(content: z.infer<typeof MessageWire>['content']): ContentPart[] {
  if (content === null) return [];
  if (typeof content === 'string') return content.trim() === '' ? [] : [{ type: 'text', text: content }];
  return content.flatMap((part): ContentPart[] => {
    if (part.type === 'text') return part.text === '' ? [] : [{ type: 'text', text: part.text }];
    const match = DATA_URL.exec(part.image_url.url);
    if (!match) {
      if (/^data:/i.test(part.image_url.url)) {
        throw new AtelierError('invalid_request', 'That image is not one Atelier takes: a data URL of a PNG, JPEG, GIF or WebP in base64 is.', `Send data:image/png;base64,… (${imageMediaTypes.join(', ')}).`);
      }
      // Fetching a URL would be a request Atelier's tier and record never saw.
      throw new AtelierError('invalid_request', 'Images must be sent as data URLs (data:image/png;base64,…); Atelier does not fetch image addresses.', `Send PNG, JPEG, GIF or WebP as base64 (${imageMediaTypes.join(', ')}).`);
    }
    const data = (match[2] ?? '').replace(/\s/g, '');
    if ((data.length * 3) / 4 > MAX_IMAGE_BYTES) throw new AtelierError('invalid_request', 'That image is larger than 10 MB.', 'Send a smaller image.');
    const mediaType = (match[1] ?? '').toLowerCase().replace('image/jpg', 'image/jpeg') as (typeof imageMediaTypes)[number];
    return [{ type: 'image', mediaType, data }];
  });
}

/** OpenAI's finish reasons. */
export function openAiFinishReason(reason: FinishReason | null): 'stop' | 'length' | 'content_filter' | 'tool_calls' {
  switch (reason?.unified) {
    case 'length':
      return 'length';
    case 'content-filter':
      return 'content_filter';
    case 'tool-calls':
      return 'tool_calls';
    default:
      return 'stop';
  }
}

export function openAiUsage(usage: Usage | null): { prompt_tokens: number; completion_tokens: number; total_tokens: number } {
  const prompt = usage?.inputTokens ?? 0;
  const completion = usage?.outputTokens ?? 0;
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}

/** The HTTP status and OpenAI error type an OpenAI client expects for each of Atelier's codes. */
const STATUS_OF: Partial<Record<ErrorCode, [number, string]>> = {
  invalid_request: [400, 'invalid_request_error'],
  inference_profile_required: [400, 'invalid_request_error'],
  credentials_missing: [401, 'authentication_error'],
  auth_invalid: [401, 'authentication_error'],
  credentials_expired: [401, 'authentication_error'],
  permission_denied: [403, 'permission_error'],
  model_access_denied: [403, 'permission_error'],
  policy_denied: [403, 'permission_error'],
  settings_locked: [403, 'permission_error'],
  forbidden_sender: [403, 'permission_error'],
  model_not_found: [404, 'not_found_error'],
  rate_limited: [429, 'rate_limit_error'],
  quota_exceeded: [429, 'insufficient_quota'],
  budget_exceeded: [429, 'insufficient_quota'],
  provider_unreachable: [503, 'service_unavailable_error'],
  timeout: [503, 'service_unavailable_error'],
  provider_error: [500, 'api_error'],
  cancelled: [499, 'cancelled'],
};

export function statusOf(code: ErrorCode): { status: number; type: string } {
  const [status, type] = STATUS_OF[code] ?? [500, 'api_error'];
  return { status, type };
}

/**
 * An error in OpenAI's shape (`{ error: { message, type, param, code } }`), with Atelier's code as
 * `code` and its hint as `hint`, so a script can tell `policy_denied` from `budget_exceeded`.
 */
export function openAiError(error: Pick<ErrorPayload, 'code' | 'message' | 'hint'>): { status: number; body: { error: { message: string; type: string; param: null; code: string; hint?: string } } } {
  const { status, type } = statusOf(error.code);
  return { status, body: { error: { message: error.message, type, param: null, code: error.code, ...(error.hint && { hint: error.hint }) } } };
}
