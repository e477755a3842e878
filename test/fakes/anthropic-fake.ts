import type { ServerResponse } from 'node:http';
import { LoopbackServer, resetConnection, sendJson, streamScenario, write } from './loopback-server';
import { fakeUsage } from './scenario';

/**
 * Anthropic's Messages API as a loopback server: the key as `x-api-key` or as a bearer token
 * (the SDK sends the latter since its 1.x releases), server-sent events
 * (message_start, content_block_start/delta/stop, ping, message_delta, message_stop), `event:
 * error` inside a stream, and Anthropic's `{type: "error", error: {type, message}}` bodies.
 */
export function createAnthropicFake(options: { validKey: string; models?: string[] }): LoopbackServer {
  const fake: LoopbackServer = new LoopbackServer(async (request, response, body) => {
    const path = (request.url ?? '').split('?')[0] ?? '';
    const key = request.headers['x-api-key'] ?? String(request.headers.authorization ?? '').replace(/^Bearer /, '');
    if (key !== options.validKey) {
      sendJson(response, 401, { type: 'error', error: { type: 'authentication_error', message: 'invalid x-api-key' }, request_id: 'req_fake' });
      return;
    }
    if (!request.headers['anthropic-version']) {
      sendJson(response, 400, { type: 'error', error: { type: 'invalid_request_error', message: 'anthropic-version header is required' } });
      return;
    }
    if (request.method === 'GET' && path === '/v1/models') {
      const data = (options.models ?? ['claude-fake-4-5']).map((id) => ({ type: 'model', id, display_name: `Fake ${id}`, created_at: '2025-10-01T00:00:00Z' }));
      sendJson(response, 200, { data, has_more: false, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null });
      return;
    }
    if (request.method !== 'POST' || path !== '/v1/messages') {
      sendJson(response, 404, { type: 'error', error: { type: 'not_found_error', message: `Not found: ${path}` } });
      return;
    }
    const message = JSON.parse(body) as { model: string; messages: { content: unknown }[]; max_tokens?: number };
    if (typeof message.max_tokens !== 'number') {
      sendJson(response, 400, { type: 'error', error: { type: 'invalid_request_error', message: 'max_tokens: Field required' } });
      return;
    }
    const scenario = fake.nextScenario();
    if (scenario.kind === 'http-error') {
      sendJson(response, scenario.status, scenario.body, scenario.headers);
      return;
    }
    if (scenario.kind === 'reset') {
      resetConnection(response);
      return;
    }
    const prompt = message.messages.map((m) => (typeof m.content === 'string' ? m.content : JSON.stringify(m.content))).join(' ');
    const usage = fakeUsage(prompt, scenario.chunks);
    const cache = (scenario.kind === 'answer' && scenario.cache) || { read: 0, write: 0 };
    const event = (type: string, data: object) => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;

    (response as ServerResponse).writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'request-id': 'req_fake' });
    write(
      response,
      event('message_start', {
        message: { id: 'msg_fake', type: 'message', role: 'assistant', model: message.model, content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: usage.input, output_tokens: 1, cache_read_input_tokens: cache.read, cache_creation_input_tokens: cache.write } },
      }),
    );
    write(response, event('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }));
    write(response, event('ping', {}));
    await streamScenario(response, scenario, {
      text: (text) => event('content_block_delta', { index: 0, delta: { type: 'text_delta', text } }),
      streamError: (error) => `event: error\ndata: ${JSON.stringify({ type: 'error', error })}\n\n`,
      malformed: () => 'event: content_block_delta\ndata: {"type": "content_block_delta", "delta": \n\n',
      // As Anthropic streams them: a tool_use block each, its input's JSON in two pieces.
      toolCalls: (calls) =>
        calls.flatMap((call, number) => {
          const index = number + 1;
          const json = JSON.stringify(call.args);
          const half = Math.floor(json.length / 2);
          return [
            event('content_block_start', { index, content_block: { type: 'tool_use', id: call.id, name: call.name, input: {} } }),
            event('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: json.slice(0, half) } }),
            event('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: json.slice(half) } }),
            event('content_block_stop', { index }),
          ];
        }),
      finish: (reason) => [
        event('content_block_stop', { index: 0 }),
        event('message_delta', { delta: { stop_reason: reason ?? 'end_turn', stop_sequence: null }, usage: { output_tokens: usage.output } }),
        event('message_stop', {}),
      ],
    });
  });
  return fake;
}
