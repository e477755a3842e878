import type { ServerResponse } from 'node:http';
import { LoopbackServer, resetConnection, sendJson, streamScenario, write, type FakeRequest, type FakeResponse } from './loopback-server';
import { fakeUsage } from './scenario';

export interface OpenAiFakeOptions {
  /** The key the fake accepts; null accepts any (a keyless school proxy). */
  validKey: string | null;
  /** OpenRouter adds the cost to the usage chunk and words its errors its own way. */
  flavor?: 'openai' | 'openrouter';
  models?: string[];
}

/**
 * OpenAI's Chat Completions API as a loopback server: server-sent events of
 * `chat.completion.chunk` objects, a usage chunk when `stream_options.include_usage` is set,
 * `data: [DONE]`, and OpenAI's (or OpenRouter's) error bodies.
 */
export function createOpenAiFake(options: OpenAiFakeOptions): LoopbackServer {
  const fake: LoopbackServer = new LoopbackServer((request, response, body) => serveOpenAi(fake, options, request, response, body));
  return fake;
}

/**
 * Answers one request as OpenAI's API does, playing `fake`'s scenarios: for fakes of servers that
 * speak OpenAI's wire format and add their own routes (the LiteLLM proxy's fake).
 */
export async function serveOpenAi(fake: LoopbackServer, options: OpenAiFakeOptions, request: FakeRequest, response: FakeResponse, body: string): Promise<void> {
  const flavor = options.flavor ?? 'openai';
  const path = (request.url ?? '').split('?')[0] ?? '';
  const auth = request.headers.authorization;
  if (options.validKey !== null && auth !== `Bearer ${options.validKey}`) {
    sendJson(
      response,
      401,
      flavor === 'openrouter'
        ? { error: { message: 'No auth credentials found', code: 401 } }
        : {
            error: {
              message: `Incorrect API key provided: ${maskKey(auth)}. You can find your API key at https://platform.openai.com/account/api-keys.`,
              type: 'invalid_request_error',
              param: null,
              code: 'invalid_api_key',
            },
          },
    );
    return;
  }
  if (request.method === 'GET' && path.endsWith('/models')) {
    sendJson(response, 200, {
      object: 'list',
      data: (options.models ?? ['gpt-fake-mini']).map((id) => ({ id, object: 'model', created: 1_700_000_000, owned_by: 'fake' })),
    });
    return;
  }
  if (request.method !== 'POST' || !path.endsWith('/chat/completions')) {
    sendJson(response, 404, { error: { message: `Unknown path ${path}`, type: 'invalid_request_error', code: null } });
    return;
  }
  const chat = JSON.parse(body) as { model: string; messages: { content: unknown }[]; stream?: boolean; stream_options?: { include_usage?: boolean } };
  const scenario = fake.nextScenario();
  if (scenario.kind === 'http-error') {
    sendJson(response, scenario.status, scenario.body, scenario.headers);
    return;
  }
  if (scenario.kind === 'reset') {
    resetConnection(response);
    return;
  }
  const prompt = chat.messages.map((message) => (typeof message.content === 'string' ? message.content : JSON.stringify(message.content))).join(' ');
  const id = `chatcmpl-fake${fake.requests.length}`;
  const chunk = (delta: object, finish: string | null, extra: object = {}) =>
    `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: 1_700_000_000, model: chat.model, choices: [{ index: 0, delta, finish_reason: finish }], ...extra })}\n\n`;

  (response as ServerResponse).writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  write(response, chunk({ role: 'assistant', content: '' }, null));
  if (flavor === 'openrouter') write(response, ': OPENROUTER PROCESSING\n\n');
  await streamScenario(response, scenario, {
    text: (text) => chunk({ content: text }, null),
    // OpenRouter's form of an error inside a 200 stream: an `error` member in a chunk.
    streamError: (error) => chunk({ content: '' }, 'error', { error }),
    malformed: () => 'data: {"id": "chatcmpl-fake", "choices": [\n\n',
    // As OpenAI streams them: the id and name first, then the arguments' JSON in two pieces.
    toolCalls: (calls) =>
      calls.flatMap((call, index) => {
        const json = JSON.stringify(call.args);
        const half = Math.floor(json.length / 2);
        return [
          chunk({ tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } }] }, null),
          chunk({ tool_calls: [{ index, function: { arguments: json.slice(0, half) } }] }, null),
          chunk({ tool_calls: [{ index, function: { arguments: json.slice(half) } }] }, null),
        ];
      }),
    finish: (reason) => {
      const usage = fakeUsage(prompt, scenario.chunks);
      const usageChunk = {
        id,
        object: 'chat.completion.chunk',
        created: 1_700_000_000,
        model: chat.model,
        choices: [],
        usage: {
          prompt_tokens: usage.input,
          completion_tokens: usage.output,
          total_tokens: usage.input + usage.output,
          ...(flavor === 'openrouter' && { cost: 0.00042 }),
        },
      };
      return [
        chunk({}, reason ?? 'stop'),
        ...(chat.stream_options?.include_usage ? [`data: ${JSON.stringify(usageChunk)}\n\n`] : []),
        'data: [DONE]\n\n',
      ];
    },
  });
}

/** OpenAI shows the start and end of a wrong key in its message; a real one never shows more. */
function maskKey(auth: string | undefined): string {
  const key = auth?.replace(/^Bearer /, '') ?? '';
  return key.length > 8 ? `${key.slice(0, 3)}*****${key.slice(-4)}` : '*****';
}
