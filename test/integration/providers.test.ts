import { NodeHttpHandler } from '@smithy/node-http-handler';
import { beforeEach, describe, expect, it } from 'vitest';
import type { StreamPart } from '../../shared/chat';
import { DEFAULT_SETTINGS, type Settings } from '../../shared/settings';
import { collectAnswer } from '../../electron/core/chat/collect';
import { ChatRouter, type RouterOptions } from '../../electron/core/chat/router';
import { UNRESTRICTED } from '../../electron/core/privacy/policy';
import { resolveProviderConfig } from '../../electron/core/config/provider-config';
import type { LoopbackServer } from '../fakes/loopback-server';
import { FAKE_KEYS, FAKE_MODELS, schoolEndpoint, useProviderFakes } from '../support/provider-fakes';

const useFakes = useProviderFakes();
let settings: Settings;
beforeEach(() => {
  settings = { ...DEFAULT_SETTINGS, endpoints: [schoolEndpoint(useFakes())] };
});

function router(options: Omit<RouterOptions, 'config' | 'policy'> = {}, env: Record<string, string> = useFakes().env) {
  return new ChatRouter({ policy: () => UNRESTRICTED, ...options, config: () => resolveProviderConfig(settings, env) });
}

const ask = (model: string, content = 'say hello please') => ({ model, messages: [{ role: 'user' as const, content }] });

const cases: { name: string; model: string; fake: () => LoopbackServer }[] = [
  { name: 'OpenAI', model: FAKE_MODELS.openai, fake: () => useFakes().openai },
  { name: 'OpenRouter', model: FAKE_MODELS.openrouter, fake: () => useFakes().openrouter },
  { name: 'Anthropic', model: FAKE_MODELS.anthropic, fake: () => useFakes().anthropic },
  { name: 'Ollama', model: FAKE_MODELS.local, fake: () => useFakes().ollama },
  { name: 'Bedrock', model: FAKE_MODELS.bedrock, fake: () => useFakes().bedrock },
  { name: 'a custom endpoint', model: FAKE_MODELS.school, fake: () => useFakes().school },
];

describe.each(cases)('$name through its real SDK', ({ model, fake }) => {
  it('streams the answer as text deltas, then one finish with usage', async () => {
    fake().respondWith({ kind: 'answer', chunks: ['Guten', ' Tag', ', Klasse', ' 5b!'] });
    const parts: StreamPart[] = [];
    const answer = await collectAnswer(router().stream(ask(model)), (part) => parts.push(part));
    expect(answer.error).toBeNull();
    expect(answer.text).toBe('Guten Tag, Klasse 5b!');
    expect(parts.filter((part) => part.type === 'text-delta').length).toBe(4);
    expect(parts.at(-1)).toEqual({ type: 'finish', reason: { unified: 'stop', raw: expect.any(String) as unknown }, usage: expect.objectContaining({ inputTokens: 3, outputTokens: 4 }) as unknown });
  });

  it('sends the whole conversation with the system prompt', async () => {
    await collectAnswer(
      router().stream({
        model,
        system: 'You are a patient tutor.',
        messages: [
          { role: 'user', content: 'What is 2+2?' },
          { role: 'assistant', content: '4.' },
          { role: 'user', content: 'And 3+3?' },
        ],
      }),
    );
    const body = fake().lastRequest().body;
    for (const text of ['You are a patient tutor.', 'What is 2+2?', '4.', 'And 3+3?']) expect(body).toContain(text);
  });

  it('reports a stream that dies halfway as provider_error and keeps the text', async () => {
    fake().respondWith({ kind: 'die-midway', chunks: ['Die Fotosynthese', ' ist'] });
    const answer = await collectAnswer(router().stream(ask(model)));
    expect(answer.text).toBe('Die Fotosynthese ist');
    expect(answer.finish).toBeNull();
    expect(answer.error?.code).toBe('provider_error');
  });

  it('stops on abort: the fake sees the connection closed, the text stays, the last part is cancelled', async () => {
    fake().respondWith({ kind: 'stall', chunks: ['Once', ' upon'] });
    const controller = new AbortController();
    const closed = fake().waitForClientClose();
    const answer = await collectAnswer(router().stream(ask(model), controller.signal), (part) => {
      if (part.type === 'text-delta' && part.text === ' upon') controller.abort();
    });
    await closed;
    expect(answer.text).toBe('Once upon');
    expect(answer.error?.code).toBe('cancelled');
    expect(answer.finish).toBeNull();
  });

  it('stops while waiting for a slow first token', async () => {
    fake().respondWith({ kind: 'answer', chunks: ['late'], firstTokenDelayMs: 10_000 });
    const controller = new AbortController();
    const closed = fake().waitForClientClose();
    const stream = router().stream(ask(model), controller.signal);
    setTimeout(() => controller.abort(), 50);
    const answer = await collectAnswer(stream);
    await closed;
    expect(answer).toMatchObject({ text: '', error: { code: 'cancelled' } });
  });
});

describe('what each SDK is told', () => {
  it('Ollama always gets num_ctx and keep_alive from the settings', async () => {
    settings = { ...settings, ollama: { host: null, numCtx: 16384, keepAlive: '30m' } };
    await collectAnswer(router().stream({ ...ask(FAKE_MODELS.local), temperature: 0.2, maxTokens: 100 }));
    expect(JSON.parse(useFakes().ollama.lastRequest().body)).toMatchObject({
      model: 'llama3.2:3b',
      keep_alive: '30m',
      options: { num_ctx: 16384, temperature: 0.2, num_predict: 100 },
    });
  });

  it('OpenRouter gets the attribution headers and reports the cost of the call', async () => {
    const answer = await collectAnswer(router().stream(ask(FAKE_MODELS.openrouter)));
    const { headers, body, path } = useFakes().openrouter.lastRequest();
    expect(path).toBe('/api/v1/chat/completions');
    expect(headers['x-title']).toBe('Atelier');
    expect(headers['http-referer']).toMatch(/^https:\/\//);
    expect(JSON.parse(body)).toMatchObject({ model: 'anthropic/claude-sonnet-4.5', stream_options: { include_usage: true } });
    expect(answer.finish?.usage.costUsd).toBe(0.00042);
  });

  it('OpenAI gets max_completion_tokens; compatible servers get max_tokens', async () => {
    await collectAnswer(router().stream({ ...ask(FAKE_MODELS.openai), maxTokens: 50 }));
    expect(JSON.parse(useFakes().openai.lastRequest().body)).toMatchObject({ max_completion_tokens: 50 });
    await collectAnswer(router().stream({ ...ask(FAKE_MODELS.school), maxTokens: 50 }));
    expect(JSON.parse(useFakes().school.lastRequest().body)).toMatchObject({ max_tokens: 50 });
    expect(useFakes().school.lastRequest().headers.authorization).toBe(`Bearer ${FAKE_KEYS.school}`);
  });

  it('images reach each provider in its own format', async () => {
    const image = { type: 'image' as const, mediaType: 'image/png' as const, data: 'iVBORw0KGgoAAAANSUhEUg==' };
    const request = (model: string) => ({ model, messages: [{ role: 'user' as const, content: [{ type: 'text' as const, text: 'What is this?' }, image] }] });
    await collectAnswer(router().stream(request(FAKE_MODELS.openai)));
    expect(useFakes().openai.lastRequest().body).toContain('"url":"data:image/png;base64,iVBORw0KGgoAAAANSUhEUg=="');
    await collectAnswer(router().stream(request(FAKE_MODELS.anthropic)));
    expect(JSON.parse(useFakes().anthropic.lastRequest().body).messages[0].content[1]).toEqual({
      type: 'image',
      source: { type: 'base64', media_type: 'image/png', data: image.data },
    });
    await collectAnswer(router().stream(request(FAKE_MODELS.local)));
    expect(JSON.parse(useFakes().ollama.lastRequest().body).messages[0]).toMatchObject({ content: 'What is this?', images: [image.data] });
    await collectAnswer(router().stream(request(FAKE_MODELS.bedrock)));
    expect(JSON.parse(useFakes().bedrock.lastRequest().body).messages[0].content[1]).toEqual({ image: { format: 'png', source: { bytes: image.data } } });
  });

  it('Bedrock speaks HTTP/2 by default, HTTP/1.1 with a NodeHttpHandler, and signs for bedrock in the region', async () => {
    await collectAnswer(router().stream(ask(FAKE_MODELS.bedrock)));
    const h2 = useFakes().bedrock.lastRequest();
    expect(h2.httpVersion).toBe('2.0');
    expect(h2.path).toBe('/model/eu.anthropic.claude-haiku-4-5-20251001-v1%3A0/converse-stream');
    expect(String(h2.headers.authorization)).toMatch(new RegExp(`Credential=${FAKE_KEYS.awsAccessKeyId}/\\d{8}/eu-central-1/bedrock/aws4_request`));

    const http1Env = { ...useFakes().env, AWS_ENDPOINT_URL_BEDROCK_RUNTIME: useFakes().bedrock.http1Url };
    const answer = await collectAnswer(router({ bedrock: { requestHandler: new NodeHttpHandler() } }, http1Env).stream(ask(FAKE_MODELS.bedrock)));
    expect(answer.text).toBe('Hello from the fake!');
    expect(useFakes().bedrock.lastRequest().httpVersion).toBe('1.1');
  });

  it('Bedrock falls back to Converse for a model that cannot stream', async () => {
    const parts: StreamPart[] = [];
    const answer = await collectAnswer(router().stream(ask('bedrock/openai.gpt-oss-120b-1:0')), (part) => parts.push(part));
    expect(answer).toMatchObject({ text: 'Answered all at once.', error: null, finish: { usage: { outputTokens: 4 } } });
    expect(useFakes().bedrock.requests.slice(-2).map((request) => request.path.split('/').at(-1))).toEqual(['converse-stream', 'converse']);
  });

  it('a keyless custom endpoint works without a key', async () => {
    const env: Record<string, string> = { ...useFakes().env };
    delete env.ATELIER_ENDPOINT_SCHOOL_KEY;
    const keyless = await (await import('../fakes/openai-fake')).createOpenAiFake({ validKey: null }).start();
    try {
      settings = { ...settings, endpoints: [{ prefix: 'vllm', name: 'Lab vLLM', baseUrl: `${keyless.url}/v1` }] };
      const answer = await collectAnswer(router({}, env).stream(ask('vllm/qwen2.5-7b')));
      expect(answer).toMatchObject({ text: 'Hello from the fake!', error: null });
    } finally {
      await keyless.close();
    }
  });
});
