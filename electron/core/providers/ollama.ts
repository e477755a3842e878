import { toolCallPart } from './tool-call';
import { Ollama, type Message } from 'ollama';
import type { FinishReason, StreamPart } from '../../../shared/chat';
import type { OllamaConfig } from '../config/provider-config';
import { knownOllamaLimit } from '../context/context-window';
import { ollamaNumCtx } from '../hardware/context-size';
import { mapOllamaError } from './ollama-errors';
import { ollamaFetch } from './ollama-fetch';
import type { ErrorContext } from './provider-errors';
import { failingProvider, guardStream, textOf, type Provider, type ProviderRequest } from './provider';

/** Local models through the `ollama` package. */
export function createOllamaProvider(config: OllamaConfig, fetchImpl: typeof fetch = fetch): Provider {
  if (config.hostProblem) {
    return failingProvider('local', { code: 'invalid_request', message: `${config.hostProblem} Nothing was sent.`, hint: 'Set an address such as http://127.0.0.1:11434 (atelier config set ollama.host …, or Settings → Ollama), or unset OLLAMA_HOST.' });
  }
  return {
    prefix: 'local',
    stream(request, signal) {
      const context: ErrorContext = { provider: 'Ollama', model: request.model, address: config.host, secrets: [] };
      // ollama-js aborts streams only through its own controller; this fetch adds our signal to
      // every request it makes, so an abort also ends the wait for the first byte.
      const client = new Ollama({ host: config.host, fetch: ollamaFetch(fetchImpl, signal) });
      return guardStream(
        () => streamChat(client, config, request),
        (error) => mapOllamaError(error, context),
        context,
        signal,
      );
    },
  };
}

async function* streamChat(client: Ollama, config: OllamaConfig, request: ProviderRequest): AsyncGenerator<StreamPart> {
  const response = await client.chat({
    model: request.model,
    messages: toOllamaMessages(request),
    stream: true,
    keep_alive: config.keepAlive,
    options: {
      // Always sent: Ollama's default context is small and silently truncates long chats. Fixed
      // in settings, or chosen for this model from the GPU's memory; contextWindow() says the same.
      num_ctx: ollamaNumCtx(config, request.model, knownOllamaLimit(config.host, request.model)).numCtx,
      ...(request.temperature !== undefined && { temperature: request.temperature }),
      ...(request.maxTokens !== undefined && { num_predict: request.maxTokens }),
      ...(request.stop && { stop: request.stop }),
    },
    ...(request.tools && request.tools.length > 0 && { tools: request.tools.map((tool) => ({ type: 'function', function: { name: tool.name, description: tool.description, parameters: tool.parameters as never } })) }),
  });
  let calls = 0;
  for await (const chunk of response) {
    if (chunk.message.content) yield { type: 'text-delta', text: chunk.message.content };
    // Ollama sends each call whole, its arguments already an object, without an id of its own.
    for (const call of chunk.message.tool_calls ?? []) yield toolCallPart(`call_${++calls}`, call.function.name, call.function.arguments);
    if (chunk.done) {
      yield {
        type: 'finish',
        // Ollama ends a turn with calls as "stop": it is the calls that say what comes next.
        reason: calls > 0 ? { unified: 'tool-calls', raw: chunk.done_reason ?? null } : ollamaFinishReason(chunk.done_reason),
        usage: { inputTokens: chunk.prompt_eval_count ?? null, outputTokens: chunk.eval_count ?? null },
      };
      return;
    }
  }
}

function toOllamaMessages(request: ProviderRequest): Message[] {
  const messages: Message[] = request.system ? [{ role: 'system', content: request.system }] : [];
  for (const message of request.messages) {
    const parts = typeof message.content === 'string' ? [] : message.content;
    // A tool's results are messages of their own (role "tool"), after the call.
    for (const part of parts) if (part.type === 'tool-result') messages.push({ role: 'tool', content: part.text, tool_name: part.name } as Message);
    const images = parts.flatMap((part) => (part.type === 'image' ? [part.data] : []));
    const calls = parts.flatMap((part) => (part.type === 'tool-call' ? [{ function: { name: part.name, arguments: part.args } }] : []));
    const text = textOf(message.content);
    if (text === '' && images.length === 0 && calls.length === 0) continue;
    messages.push({ role: message.role, content: text, ...(images.length > 0 && { images }), ...(calls.length > 0 && { tool_calls: calls }) });
  }
  return messages;
}

function ollamaFinishReason(raw: string | undefined): FinishReason {
  return { unified: raw === 'length' ? 'length' : raw === 'stop' || raw === undefined ? 'stop' : 'other', raw: raw ?? null };
}
