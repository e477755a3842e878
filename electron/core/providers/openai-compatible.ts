import OpenAI from 'openai';
import type { ChatCompletionContentPart, ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { FinishReason, StreamPart, Usage } from '../../../shared/chat';
import { credentialsMissing, type ErrorContext } from './provider-errors';
import { failingProvider, guardStream, type Provider, type ProviderRequest } from './provider';
import { mapStainlessError } from './stainless-errors';
import { mapLiteLlmError } from './litellm-errors';
import { toolCallPart } from './tool-call';


export interface OpenAiCompatibleOptions {
  prefix: string;
  /** Shown in messages: "OpenAI", "OpenRouter", or the endpoint's name. */
  displayName: string;
  baseUrl: string;
  apiKey: string | null;
  /** Where the key in use came from, for "check your key" hints. */
  keySource: string;
  /** What to do when there is no key. */
  missingKeyHint: string;
  /** Custom endpoints (a school proxy) may need no key; OpenAI and OpenRouter always do. */
  keyRequired: boolean;
  /** OpenAI's own API wants `max_completion_tokens`; compatible servers know `max_tokens`. */
  maxTokensField: 'max_completion_tokens' | 'max_tokens';
  defaultHeaders?: Record<string, string>;
  fetch?: typeof fetch;
  /** Custom endpoints: a LiteLLM proxy's budget and rate-limit refusals are read as such (providers/litellm-errors.ts). */
  liteLlmErrors?: boolean;
}

/** OpenAI, OpenRouter and any OpenAI-compatible server, through the `openai` SDK. */
export function createOpenAiCompatibleProvider(options: OpenAiCompatibleOptions): Provider {
  if (options.apiKey === null && options.keyRequired) {
    return failingProvider(
      options.prefix,
      credentialsMissing(options.displayName, options.missingKeyHint),
    );
  }
  const client = new OpenAI({
    // A keyless endpoint still gets a placeholder: the SDK refuses to start without one.
    apiKey: options.apiKey ?? 'no-key-configured',
    baseURL: options.baseUrl,
    // Retries go through Atelier, not hidden inside the SDK, so each one is seen (and, later, policed).
    maxRetries: 0,
    timeout: 10 * 60_000,
    ...(options.defaultHeaders && { defaultHeaders: options.defaultHeaders }),
    ...(options.fetch && { fetch: options.fetch }),
  });
  const secrets = options.apiKey ? [options.apiKey] : [];

  return {
    prefix: options.prefix,
    stream(request, signal) {
      const context: ErrorContext = {
        provider: options.displayName,
        model: request.model,
        keySource: options.keySource,
        address: options.baseUrl,
        secrets,
      };
      const unreachable = `Check the internet connection and the address (${options.baseUrl}).`;
      return guardStream(
        () => streamChat(client, options, request, signal),
        (error) => (options.liteLlmErrors ? mapLiteLlmError(error, context) : null) ?? mapStainlessError(error, context, unreachable),
        context,
        signal,
      );
    },
  };
}

async function* streamChat(
  client: OpenAI,
  options: OpenAiCompatibleOptions,
  request: ProviderRequest,
  signal: AbortSignal,
): AsyncGenerator<StreamPart> {
  const stream = await client.chat.completions.create(
    {
      model: request.model,
      messages: toOpenAiMessages(request),
      stream: true,
      stream_options: { include_usage: true },
      ...(request.temperature !== undefined && { temperature: request.temperature }),
      ...(request.maxTokens !== undefined && { [options.maxTokensField]: request.maxTokens }),
      ...(request.stop && { stop: request.stop }),
      ...(request.tools && request.tools.length > 0 && { tools: request.tools.map((tool) => ({ type: 'function' as const, function: { name: tool.name, description: tool.description, parameters: tool.parameters } })) }),
    },
    { signal },
  );
  let finishRaw: string | null = null;
  let usage: Usage = { inputTokens: null, outputTokens: null };
  // Tool calls arrive in pieces by index: the id and name first, the arguments' JSON in fragments.
  const calls = new Map<number, { id: string; name: string; args: string }>();
  for await (const chunk of stream) {
    const choice = chunk.choices[0];
    const text = choice?.delta?.content;
    if (text) yield { type: 'text-delta', text };
    for (const call of choice?.delta?.tool_calls ?? []) {
      const kept = calls.get(call.index) ?? { id: '', name: '', args: '' };
      if (call.id) kept.id = call.id;
      if (call.function?.name) kept.name += call.function.name;
      if (call.function?.arguments) kept.args += call.function.arguments;
      calls.set(call.index, kept);
    }
    if (choice?.finish_reason) finishRaw = choice.finish_reason;
    if (chunk.usage) {
      // OpenRouter adds the cost of the call to the usage chunk.
      const cost = (chunk.usage as { cost?: unknown }).cost;
      usage = {
        inputTokens: chunk.usage.prompt_tokens ?? null,
        outputTokens: chunk.usage.completion_tokens ?? null,
        ...(typeof cost === 'number' && { costUsd: cost }),
      };
    }
  }
  for (const call of calls.values()) yield toolCallPart(call.id, call.name, call.args);
  // No finish_reason: the stream was cut (or aborted); the guard reports it.
  if (finishRaw !== null) yield { type: 'finish', reason: openAiFinishReason(finishRaw), usage };
}

export function toOpenAiMessages(request: ProviderRequest): ChatCompletionMessageParam[] {
  const messages: ChatCompletionMessageParam[] = request.system ? [{ role: 'system', content: request.system }] : [];
  for (const message of request.messages) {
    if (typeof message.content === 'string') {
      messages.push({ role: message.role, content: message.content } as ChatCompletionMessageParam);
      continue;
    }
    if (message.role === 'assistant') {
      const calls = message.content.flatMap((part) => (part.type === 'tool-call' ? [{ id: part.id, type: 'function' as const, function: { name: part.name, arguments: JSON.stringify(part.args) } }] : []));
      const text = message.content.map((part) => (part.type === 'text' ? part.text : '')).join('');
      messages.push({ role: 'assistant', content: text === '' && calls.length > 0 ? null : text, ...(calls.length > 0 && { tool_calls: calls }) });
      continue;
    }
    // A tool's results are messages of their own (role "tool"), before what the user says next.
    for (const part of message.content) if (part.type === 'tool-result') messages.push({ role: 'tool', tool_call_id: part.id, content: part.text });
    const content = message.content.flatMap((part): ChatCompletionContentPart[] =>
      part.type === 'text'
        ? [{ type: 'text', text: part.text }]
        : part.type === 'image'
          ? [{ type: 'image_url', image_url: { url: `data:${part.mediaType};base64,${part.data}` } }]
          : [],
    );
    if (content.length > 0) messages.push({ role: 'user', content });
  }
  return messages;
}

export function openAiFinishReason(raw: string): FinishReason {
  const unified: Record<string, FinishReason['unified']> = {
    stop: 'stop',
    length: 'length',
    content_filter: 'content-filter',
    tool_calls: 'tool-calls',
    function_call: 'tool-calls',
    error: 'error',
  };
  return { unified: unified[raw] ?? 'other', raw };
}
