import type { ServerResponse } from 'node:http';
import { LoopbackServer, sendJson, streamScenario } from './loopback-server';
import { fakeUsage } from './scenario';

/**
 * Ollama's REST API as a loopback server: /api/chat streaming newline-delimited JSON, /api/tags,
 * /api/version, and Ollama's `{"error": "…"}` bodies (also as a line inside a 200 stream).
 */
export function createOllamaFake(options: { models?: string[] } = {}): LoopbackServer {
  const installed = options.models ?? ['llama3.2:3b'];
  const fake: LoopbackServer = new LoopbackServer(async (request, response, body) => {
    const path = (request.url ?? '').split('?')[0] ?? '';
    if (request.method === 'GET' && path === '/api/version') {
      sendJson(response, 200, { version: '0.12.6' });
      return;
    }
    if (request.method === 'GET' && path === '/api/tags') {
      sendJson(response, 200, {
        models: installed.map((name) => ({
          name,
          model: name,
          modified_at: '2026-10-01T12:00:00.000Z',
          size: 2_019_393_189,
          digest: 'a80c4f17acd55265feec403c7aef86be0c25983ab279d83f3bcd3abbcb5b8b72',
          details: { parent_model: '', format: 'gguf', family: 'llama', families: ['llama'], parameter_size: '3.2B', quantization_level: 'Q4_K_M' },
        })),
      });
      return;
    }
    if (request.method !== 'POST' || path !== '/api/chat') {
      (response as ServerResponse).writeHead(404, { 'content-type': 'text/plain' });
      response.end('404 page not found');
      return;
    }
    const chat = JSON.parse(body) as { model: string; messages: { content: string }[] };
    if (!installed.includes(chat.model)) {
      sendJson(response, 404, { error: `model "${chat.model}" not found, try pulling it first` });
      return;
    }
    const scenario = fake.nextScenario();
    if (scenario.kind === 'http-error') {
      sendJson(response, scenario.status, scenario.body, scenario.headers);
      return;
    }
    const line = (content: string, extra: object = {}) =>
      `${JSON.stringify({ model: chat.model, created_at: new Date().toISOString(), message: { role: 'assistant', content }, done: false, ...extra })}\n`;
    (response as ServerResponse).writeHead(200, { 'content-type': 'application/x-ndjson' });
    const usage = fakeUsage(chat.messages.map((m) => m.content).join(' '), scenario.chunks);
    await streamScenario(response, scenario, {
      text: (text) => line(text),
      streamError: (error) => `${JSON.stringify(error)}\n`,
      finish: (reason) => [
        line('', {
          done: true,
          done_reason: reason ?? 'stop',
          total_duration: 5_000_000,
          load_duration: 1_000_000,
          prompt_eval_count: usage.input,
          prompt_eval_duration: 1_000_000,
          eval_count: usage.output,
          eval_duration: 3_000_000,
        }),
      ],
    });
  });
  return fake;
}
