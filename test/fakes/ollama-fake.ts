import type { ServerResponse } from 'node:http';
import { LoopbackServer, resetConnection, sendJson, streamScenario, write } from './loopback-server';
import { fakeUsage, sleep } from './scenario';

/** A model the fake's "registry" can serve: its size and the architecture /api/show reports. */
export interface FakeRegistryModel {
  sizeBytes: number;
  family: string;
  parameterSize: string;
  blockCount: number;
  headCountKv: number;
  headCount: number;
  embeddingLength: number;
}

export const FAKE_REGISTRY: Record<string, FakeRegistryModel> = {
  'llama3.2:3b': { sizeBytes: 2_019_393_189, family: 'llama', parameterSize: '3.2B', blockCount: 28, headCountKv: 8, headCount: 24, embeddingLength: 3072 },
  'qwen2.5:7b': { sizeBytes: 4_683_087_332, family: 'qwen2', parameterSize: '7.6B', blockCount: 28, headCountKv: 4, headCount: 28, embeddingLength: 3584 },
  'llama3.3:70b': { sizeBytes: 42_520_413_916, family: 'llama', parameterSize: '70.6B', blockCount: 80, headCountKv: 8, headCount: 64, embeddingLength: 8192 },
  'tinyllama:1.1b': { sizeBytes: 637_700_138, family: 'llama', parameterSize: '1B', blockCount: 22, headCountKv: 4, headCount: 32, embeddingLength: 2048 },
};

export interface OllamaFakeOptions {
  /** Installed at start. */
  models?: string[];
  /** Pull progress: lines per layer, and the pause between them. */
  pullSteps?: number;
  pullStepMs?: number;
  /** The context length /api/show reports for every model (131072, Llama 3's, by default). */
  contextLength?: number;
}

const digestOf = (name: string, layer: number) => `sha256:${Buffer.from(`${name}#${layer}`).toString('hex').padEnd(64, '0').slice(0, 64)}`;

/**
 * Ollama's REST API as a loopback server: /api/chat streaming newline-delimited JSON, /api/tags,
 * /api/ps, /api/show, /api/version, /api/pull (layered progress; a pull cut off resumes where it
 * stopped, as Ollama keeps partial blobs), /api/delete, preloading through /api/generate, and
 * Ollama's `{"error": "…"}` bodies (also as a line inside a 200 stream).
 */
export function createOllamaFake(options: OllamaFakeOptions = {}): LoopbackServer & { installed: Set<string>; loaded: Set<string>; partial: Map<string, number> } {
  const installed = new Set(options.models ?? ['llama3.2:3b']);
  const loaded = new Set<string>();
  /** Bytes of each model's main layer already downloaded by an interrupted pull. */
  const partial = new Map<string, number>();
  const steps = options.pullSteps ?? 5;
  const stepMs = options.pullStepMs ?? 0;

  const fake = new LoopbackServer(async (request, response, body) => {
    const path = (request.url ?? '').split('?')[0] ?? '';
    const json = body ? (JSON.parse(body) as Record<string, unknown>) : {};
    const modelName = String(json.model ?? json.name ?? '');
    const spec = (name: string) => FAKE_REGISTRY[name] ?? FAKE_REGISTRY['llama3.2:3b']!;

    if (request.method === 'GET' && path === '/api/version') return sendJson(response, 200, { version: '0.12.6' });
    if (request.method === 'GET' && path === '/api/tags') {
      return sendJson(response, 200, {
        models: [...installed].map((name) => ({
          name,
          model: name,
          modified_at: '2026-10-01T12:00:00.000Z',
          size: spec(name).sizeBytes,
          digest: digestOf(name, 0).slice('sha256:'.length),
          details: { parent_model: '', format: 'gguf', family: spec(name).family, families: [spec(name).family], parameter_size: spec(name).parameterSize, quantization_level: 'Q4_K_M' },
        })),
      });
    }
    if (request.method === 'GET' && path === '/api/ps') {
      return sendJson(response, 200, {
        models: [...loaded].map((name) => ({ name, model: name, size: spec(name).sizeBytes, size_vram: spec(name).sizeBytes, expires_at: '2026-11-22T12:05:00Z', digest: '', details: {} })),
      });
    }
    if (request.method === 'POST' && path === '/api/show') {
      if (!installed.has(modelName)) return sendJson(response, 404, { error: `model '${modelName}' not found` });
      const s = spec(modelName);
      const arch = s.family;
      return sendJson(response, 200, {
        details: { format: 'gguf', family: arch, parameter_size: s.parameterSize, quantization_level: 'Q4_K_M' },
        model_info: {
          'general.architecture': arch,
          [`${arch}.block_count`]: s.blockCount,
          [`${arch}.attention.head_count`]: s.headCount,
          [`${arch}.attention.head_count_kv`]: s.headCountKv,
          [`${arch}.embedding_length`]: s.embeddingLength,
          [`${arch}.context_length`]: options.contextLength ?? 131072,
        },
        capabilities: ['completion'],
      });
    }
    if (request.method === 'DELETE' && path === '/api/delete') {
      if (!installed.delete(modelName)) return sendJson(response, 404, { error: `model '${modelName}' not found` });
      loaded.delete(modelName);
      response.end();
      return;
    }
    if (request.method === 'POST' && path === '/api/pull') {
      (response as ServerResponse).writeHead(200, { 'content-type': 'application/x-ndjson' });
      const line = (data: object) => write(response, `${JSON.stringify(data)}\n`);
      line({ status: 'pulling manifest' });
      if (!FAKE_REGISTRY[modelName]) {
        line({ error: 'pull model manifest: file does not exist' });
        response.end();
        return;
      }
      const layers = [spec(modelName).sizeBytes, 12_403];
      for (const [index, total] of layers.entries()) {
        const digest = digestOf(modelName, index);
        let completed = index === 0 ? (partial.get(modelName) ?? 0) : 0;
        for (let step = 0; completed < total; step++) {
          completed = Math.min(total, completed + Math.ceil(total / steps));
          if (index === 0) partial.set(modelName, completed);
          if (!line({ status: `pulling ${digest.slice(7, 19)}`, digest, total, completed })) return;
          if (stepMs) await sleep(stepMs);
          if (response.destroyed) return; // cancelled: what was downloaded stays for a resume
        }
      }
      line({ status: 'verifying sha256 digest' });
      line({ status: 'writing manifest' });
      partial.delete(modelName);
      installed.add(modelName);
      line({ status: 'success' });
      response.end();
      return;
    }
    if (request.method === 'POST' && path === '/api/generate' && !json.prompt) {
      if (!installed.has(modelName)) return sendJson(response, 404, { error: `model "${modelName}" not found, try pulling it first` });
      loaded.add(modelName);
      return sendJson(response, 200, { model: modelName, created_at: new Date().toISOString(), response: '', done: true, done_reason: 'load' });
    }
    if (request.method !== 'POST' || path !== '/api/chat') {
      (response as ServerResponse).writeHead(404, { 'content-type': 'text/plain' });
      response.end('404 page not found');
      return;
    }
    const chat = json as { model: string; messages: { content: string }[] };
    if (!installed.has(chat.model)) {
      sendJson(response, 404, { error: `model "${chat.model}" not found, try pulling it first` });
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
    const chunkLine = (content: string, extra: object = {}) =>
      `${JSON.stringify({ model: chat.model, created_at: new Date().toISOString(), message: { role: 'assistant', content }, done: false, ...extra })}\n`;
    (response as ServerResponse).writeHead(200, { 'content-type': 'application/x-ndjson' });
    const usage = fakeUsage(chat.messages.map((m) => m.content).join(' '), scenario.chunks);
    await streamScenario(response, scenario, {
      text: (text) => chunkLine(text),
      streamError: (error) => `${JSON.stringify(error)}\n`,
      malformed: () => '{"model": "broken", "message": \n',
      // As Ollama sends them: whole, in one chunk, the arguments an object, no id.
      toolCalls: (calls) => [chunkLine('', { message: { role: 'assistant', content: '', tool_calls: calls.map((call) => ({ function: { name: call.name, arguments: call.args } })) } })],
      finish: (reason) => [
        chunkLine('', {
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
  return Object.assign(fake, { installed, loaded, partial });
}
