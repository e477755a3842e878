import { toolCallPart } from './tool-call';
import Anthropic from '@anthropic-ai/sdk';
import type { MessageParam } from '@anthropic-ai/sdk/resources/messages';
import type { FinishReason, StreamPart } from '../../../shared/chat';
import { missingKeyHint, type KeyedProviderConfig } from '../config/provider-config';
import { credentialsMissing, type ErrorContext } from './provider-errors';
import { DEFAULT_MAX_TOKENS, failingProvider, guardStream, type Provider, type ProviderRequest } from './provider';
import { anthropicNotice, catchConsoleWarnings, sdkWarningLogger } from './sdk-warnings';
import { mapStainlessError } from './stainless-errors';

/** Anthropic's API through `@anthropic-ai/sdk`, with the key and base URL Atelier resolved. */
export function createAnthropicProvider(config: KeyedProviderConfig, fetchImpl?: typeof fetch): Provider {
  if (config.apiKey === null) {
    return failingProvider('anthropic', credentialsMissing('Anthropic', missingKeyHint(config, 'Anthropic')));
  }
  // The SDK's own warnings become notices, never console output; ANTHROPIC_LOG cannot turn on
  // its debug log (which prints requests) behind Atelier's back.
  const sdkLog = sdkWarningLogger();
  const client = new Anthropic({
    apiKey: config.apiKey,
    baseURL: config.baseUrl,
    maxRetries: 0,
    timeout: 10 * 60_000,
    logger: sdkLog.logger,
    logLevel: 'warn',
    ...(fetchImpl && { fetch: fetchImpl }),
  });
  const secrets = [config.apiKey];

  return {
    prefix: 'anthropic',
    stream(request, signal) {
      const context: ErrorContext = {
        provider: 'Anthropic',
        model: request.model,
        keySource: config.keySource,
        address: config.baseUrl,
        secrets,
      };
      const unreachable = `Check the internet connection and the address (${config.baseUrl}).`;
      return guardStream(
        () => streamMessages(client, request, signal, sdkLog.take),
        (error) => mapStainlessError(error, context, unreachable),
        context,
        signal,
      );
    },
  };
}

async function* streamMessages(client: Anthropic, request: ProviderRequest, signal: AbortSignal, sdkWarnings: () => string[]): AsyncGenerator<StreamPart> {
  // messages.create warns with console.warn (a deprecated model) before it sends anything.
  const { value: created, warnings } = catchConsoleWarnings(() =>
    client.messages.create(
      {
        model: request.model,
        max_tokens: request.maxTokens ?? DEFAULT_MAX_TOKENS,
        messages: toAnthropicMessages(request),
        stream: true,
        ...(request.system && { system: request.system }),
        ...(request.temperature !== undefined && { temperature: Math.min(request.temperature, 1) }),
        ...(request.stop && { stop_sequences: request.stop }),
        ...(request.tools && request.tools.length > 0 && { tools: request.tools.map((tool) => ({ name: tool.name, description: tool.description, input_schema: tool.parameters as Anthropic.Tool.InputSchema })) }),
      },
      { signal },
    ),
  );
  // Handled at once, so a request that fails while the notices are being read is no unhandled rejection.
  const outcome = created.then((value) => ({ value }), (error: unknown) => ({ error }));
  for (const warning of [...warnings, ...sdkWarnings()]) yield { type: 'notice', message: anthropicNotice(warning) };
  const settled = await outcome;
  if ('error' in settled) throw settled.error;
  const stream = settled.value;
  let inputTokens: number | null = null;
  let outputTokens: number | null = null;
  // Anthropic counts prompt-cache reads and writes apart from input_tokens, and bills them apart.
  const cache: { cacheReadTokens?: number; cacheWriteTokens?: number } = {};
  let stopReason: string | null = null;
  let stopped = false;
  // A tool_use block: its id and name at the start, its input's JSON in fragments, whole at the stop.
  const toolBlocks = new Map<number, { id: string; name: string; json: string }>();
  for await (const event of stream) {
    switch (event.type) {
      case 'content_block_start':
        if (event.content_block.type === 'tool_use') toolBlocks.set(event.index, { id: event.content_block.id, name: event.content_block.name, json: '' });
        break;
      case 'content_block_stop': {
        const block = toolBlocks.get(event.index);
        if (block) {
          toolBlocks.delete(event.index);
          yield toolCallPart(block.id, block.name, block.json);
        }
        break;
      }
      case 'message_start':
        inputTokens = event.message.usage.input_tokens;
        outputTokens = event.message.usage.output_tokens;
        if (typeof event.message.usage.cache_read_input_tokens === 'number') cache.cacheReadTokens = event.message.usage.cache_read_input_tokens;
        if (typeof event.message.usage.cache_creation_input_tokens === 'number') cache.cacheWriteTokens = event.message.usage.cache_creation_input_tokens;
        break;
      case 'content_block_delta':
        if (event.delta.type === 'text_delta') yield { type: 'text-delta', text: event.delta.text };
        else if (event.delta.type === 'input_json_delta') {
          const block = toolBlocks.get(event.index);
          if (block) block.json += event.delta.partial_json;
        }
        break;
      case 'message_delta':
        stopReason = event.delta.stop_reason ?? stopReason;
        outputTokens = event.usage.output_tokens;
        if (typeof event.usage.input_tokens === 'number') inputTokens = event.usage.input_tokens;
        break;
      case 'message_stop':
        stopped = true;
        break;
      default:
        break;
    }
  }
  if (stopped) {
    yield { type: 'finish', reason: anthropicFinishReason(stopReason), usage: { inputTokens, outputTokens, ...cache } };
  }
}

function toAnthropicMessages(request: ProviderRequest): MessageParam[] {
  return request.messages.map((message) => ({
    role: message.role,
    content:
      typeof message.content === 'string'
        ? message.content
        : message.content.map((part) => {
            switch (part.type) {
              case 'text':
                return { type: 'text' as const, text: part.text };
              case 'image':
                return { type: 'image' as const, source: { type: 'base64' as const, media_type: part.mediaType, data: part.data } };
              case 'tool-call':
                return { type: 'tool_use' as const, id: part.id, name: part.name, input: part.args };
              case 'tool-result':
                return { type: 'tool_result' as const, tool_use_id: part.id, content: part.text, is_error: part.isError };
            }
          }),
  }));
}

function anthropicFinishReason(raw: string | null): FinishReason {
  const unified: Record<string, FinishReason['unified']> = {
    end_turn: 'stop',
    stop_sequence: 'stop',
    max_tokens: 'length',
    model_context_window_exceeded: 'length',
    tool_use: 'tool-calls',
    refusal: 'content-filter',
    pause_turn: 'other',
  };
  return { unified: (raw && unified[raw]) || 'other', raw };
}
