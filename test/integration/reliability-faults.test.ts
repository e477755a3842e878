import net from 'node:net';
import type { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StreamPart } from '../../shared/chat';
import { DEFAULT_SETTINGS, type Settings } from '../../shared/settings';
import { collectAnswer } from '../../electron/core/chat/collect';
import { ChatRouter } from '../../electron/core/chat/router';
import { resolveProviderConfig } from '../../electron/core/config/provider-config';
import { EgressLog } from '../../electron/core/privacy/egress-log';
import { UNRESTRICTED } from '../../electron/core/privacy/policy';
import type { RetryPolicy } from '../../electron/core/reliability/retry';
import { openDatabase } from '../../electron/core/store/database';
import { awsError } from '../fakes/bedrock-fake';
import type { LoopbackServer } from '../fakes/loopback-server';
import type { Scenario } from '../fakes/scenario';
import { FAKE_MODELS, schoolEndpoint, useProviderFakes } from '../support/provider-fakes';
import { tempDir } from '../support/temp-dir';

/**
 * The fault matrix of issue 14, per provider through its real SDK against its fake: what is tried
 * again (only before the first text), what is not, what the user gets when Atelier gives up, and
 * that the egress record shows every try.
 */
const useFakes = useProviderFakes();
const FAST_RETRIES: RetryPolicy = { maxAttempts: 3, baseDelayMs: 20, maxDelayMs: 80, deadlineMs: 10_000 };
const TIMEOUTS = { firstTokenMs: 400, idleMs: 400 };
const ANSWER: Scenario = { kind: 'answer', chunks: ['Hallo', ' Klasse', '!'] };

let db: DatabaseSync;
let settings: Settings;
beforeEach(async () => {
  db = openDatabase(await tempDir());
  settings = { ...DEFAULT_SETTINGS, endpoints: [schoolEndpoint(useFakes())] };
});
afterEach(() => db.close());

function router(env: Record<string, string> = useFakes().env) {
  const egress = new EgressLog(db);
  return new ChatRouter({
    policy: () => UNRESTRICTED,
    config: () => ({ ...resolveProviderConfig(settings, env), timeouts: TIMEOUTS }),
    onEgress: (entry) => egress.record(entry),
    retry: FAST_RETRIES,
  });
}

async function ask(model: string, signal?: AbortSignal) {
  const parts: StreamPart[] = [];
  const answer = await collectAnswer(router().stream({ model, messages: [{ role: 'user', content: 'Sag hallo.' }] }, signal), (part) => parts.push(part));
  return { ...answer, parts, tries: new EgressLog(db).list().reverse() };
}

/** Each provider's own words for "too many requests" and "the server failed". */
interface ProviderFaults {
  name: string;
  model: string;
  fake: () => LoopbackServer;
  /** The chat path, to count chat requests apart from model listings. */
  chatPath: RegExp;
  tooMany: (headers?: Record<string, string>) => Scenario;
  serverError: (status: number) => Scenario;
  /** An error event inside a 200 stream, in the provider's format, that may pass (overloaded, throttled). */
  streamError: unknown;
  /** Whether the provider's SDK hands Atelier the response headers (Retry-After). */
  retryAfter: boolean;
  /** Points the provider at `url` (where nothing listens): its environment variable, or the endpoint's settings. */
  pointAt: (url: string) => Record<string, string>;
}

const openAiStyle = (status: number, message: string, type: string, headers: Record<string, string> = {}): Scenario => ({ kind: 'http-error', status, body: { error: { message, type, param: null, code: null } }, headers });

const providers: ProviderFaults[] = [
  {
    name: 'OpenAI',
    model: FAKE_MODELS.openai,
    fake: () => useFakes().openai,
    chatPath: /\/chat\/completions$/,
    tooMany: (headers) => openAiStyle(429, 'Rate limit reached for requests', 'requests', headers),
    serverError: (status) => openAiStyle(status, 'The server had an error while processing your request.', 'server_error'),
    streamError: { message: 'The server is overloaded.', type: 'server_error' },
    retryAfter: true,
    pointAt: (url) => ({ OPENAI_BASE_URL: `${url}/v1` }),
  },
  {
    name: 'OpenRouter',
    model: FAKE_MODELS.openrouter,
    fake: () => useFakes().openrouter,
    chatPath: /\/chat\/completions$/,
    tooMany: (headers) => ({ kind: 'http-error', status: 429, body: { error: { message: 'Rate limit exceeded: free-models-per-min.', code: 429 } }, headers: headers ?? {} }),
    serverError: (status) => ({ kind: 'http-error', status, body: { error: { message: 'Provider returned error', code: status } } }),
    streamError: { code: 502, message: 'Provider returned error' },
    retryAfter: true,
    pointAt: (url) => ({ OPENROUTER_BASE_URL: `${url}/api/v1` }),
  },
  {
    name: 'Anthropic',
    model: FAKE_MODELS.anthropic,
    fake: () => useFakes().anthropic,
    chatPath: /\/v1\/messages$/,
    tooMany: (headers) => ({ kind: 'http-error', status: 429, body: { type: 'error', error: { type: 'rate_limit_error', message: 'Number of request tokens has exceeded your per-minute rate limit' } }, headers: headers ?? {} }),
    serverError: (status) => ({ kind: 'http-error', status, body: { type: 'error', error: { type: 'api_error', message: 'Internal server error' } } }),
    streamError: { type: 'overloaded_error', message: 'Overloaded' },
    retryAfter: true,
    pointAt: (url) => ({ ANTHROPIC_BASE_URL: `${url}` }),
  },
  {
    name: 'Bedrock',
    model: FAKE_MODELS.bedrock,
    fake: () => useFakes().bedrock,
    chatPath: /\/converse-stream$/,
    tooMany: (headers) => ({ ...awsError(429, 'ThrottlingException', 'Too many requests, please wait before trying again.'), headers: { ...awsError(429, 'ThrottlingException', '').headers, ...headers } }),
    serverError: (status) => awsError(status, status === 503 ? 'ServiceUnavailableException' : 'InternalServerException', 'The service had an error.'),
    streamError: { type: 'throttlingException', message: 'Too many tokens, please wait before trying again.' },
    retryAfter: true,
    pointAt: (url) => ({ AWS_ENDPOINT_URL_BEDROCK_RUNTIME: `${url}` }),
  },
  {
    name: 'Ollama',
    model: FAKE_MODELS.local,
    fake: () => useFakes().ollama,
    chatPath: /\/api\/chat$/,
    tooMany: (headers) => ({ kind: 'http-error', status: 429, body: { error: 'server busy, please try again.  maximum pending requests exceeded' }, headers: headers ?? {} }),
    serverError: (status) => ({ kind: 'http-error', status, body: { error: 'llama runner process has terminated' } }),
    streamError: { error: 'an error was encountered while running the model: unexpected EOF' },
    // ollama-js keeps only the status of an error response.
    retryAfter: false,
    pointAt: (url) => ({ OLLAMA_HOST: `${url}` }),
  },
  {
    name: 'a custom endpoint',
    model: FAKE_MODELS.school,
    fake: () => useFakes().school,
    chatPath: /\/chat\/completions$/,
    tooMany: (headers) => openAiStyle(429, 'Too many requests', 'rate_limit', headers),
    serverError: (status) => openAiStyle(status, 'upstream failed', 'server_error'),
    streamError: { message: 'upstream overloaded', type: 'server_error' },
    retryAfter: true,
    pointAt: (url) => {
      settings = { ...settings, endpoints: [{ ...schoolEndpoint(useFakes()), baseUrl: `${url}/v1` }] };
      return {};
    },
  },
];

const chatRequests = (provider: ProviderFaults, from: number) => provider.fake().requests.slice(from).filter((request) => provider.chatPath.test(request.path.split('?')[0] ?? ''));

describe.each(providers)('$name: faults before the first text are tried again', (provider) => {
  it('429 without Retry-After: tried again after a short wait, and the answer comes', async () => {
    provider.fake().respondWith(provider.tooMany(), ANSWER);
    const before = provider.fake().requests.length;
    const answer = await ask(provider.model);
    expect(answer.error).toBeNull();
    expect(answer.text).toBe('Hallo Klasse!');
    expect(answer.attempts).toBe(2);
    expect(answer.notices.some((notice) => /Trying again in \d+\.\d s \(try 2 of 3\)/.test(notice))).toBe(true);
    expect(chatRequests(provider, before)).toHaveLength(2);
    // The record shows both tries: the one that failed, and the one that answered.
    expect(answer.tries.map((entry) => [entry.outcome, entry.errorCode])).toEqual([
      ['failed', 'rate_limited'],
      ['completed', null],
    ]);
  });

  it.runIf(provider.retryAfter)('429 with Retry-After: waits at least as long as asked', async () => {
    provider.fake().respondWith(provider.tooMany({ 'retry-after': '1' }), ANSWER);
    const started = performance.now();
    const answer = await ask(provider.model);
    expect(answer.error).toBeNull();
    expect(performance.now() - started).toBeGreaterThanOrEqual(950);
    expect(answer.notices.join(' ')).toMatch(/Trying again in 1\.0 s/);
  });

  it.each([500, 502, 503, 504])('HTTP %i: tried again', async (status) => {
    provider.fake().respondWith(provider.serverError(status), ANSWER);
    const before = provider.fake().requests.length;
    const answer = await ask(provider.model);
    expect(answer.error).toBeNull();
    expect(answer.attempts).toBe(2);
    expect(chatRequests(provider, before)).toHaveLength(2);
  });

  it('a reset before the first byte: tried again', async () => {
    provider.fake().respondWith({ kind: 'reset' }, ANSWER);
    const answer = await ask(provider.model);
    expect(answer.error).toBeNull();
    expect(answer.text).toBe('Hallo Klasse!');
    expect(answer.attempts).toBe(2);
  });

  it('an error event inside the 200 stream before any text: tried again', async () => {
    provider.fake().respondWith({ kind: 'stream-error', chunks: [], error: provider.streamError }, ANSWER);
    const answer = await ask(provider.model);
    expect(answer.error).toBeNull();
    expect(answer.attempts).toBe(2);
  });

  it('a first token slower than the deadline: tried, then given up with timeout, each try recorded', async () => {
    provider.fake().respondWith({ kind: 'answer', chunks: ['zu spät'], firstTokenDelayMs: 1500 });
    const before = provider.fake().requests.length;
    const answer = await ask(provider.model);
    expect(answer.error).toMatchObject({ code: 'timeout', message: expect.stringMatching(/did not start answering within/) });
    expect(answer.text).toBe('');
    expect(chatRequests(provider, before)).toHaveLength(3);
    expect(answer.tries.map((entry) => entry.errorCode)).toEqual(['timeout', 'timeout', 'timeout']);
  });

  it('a malformed frame before any text: tried again', async () => {
    provider.fake().respondWith({ kind: 'malformed', chunks: [] }, ANSWER);
    const answer = await ask(provider.model);
    expect(answer.error).toBeNull();
    expect(answer.attempts).toBe(2);
  });

  it('connection refused: tried again, then "could not reach", each try recorded', async () => {
    const server = net.createServer();
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const { port } = server.address() as net.AddressInfo;
    await new Promise<void>((done) => server.close(() => done()));
    const env = { ...useFakes().env, ...provider.pointAt(`http://127.0.0.1:${port}`) };
    const answer = await collectAnswer(router(env).stream({ model: provider.model, messages: [{ role: 'user', content: 'hi' }] }));
    expect(answer.error).toMatchObject({ code: 'provider_unreachable' });
    expect(answer.attempts).toBe(3);
    expect(new EgressLog(db).list().map((entry) => entry.errorCode)).toEqual(['provider_unreachable', 'provider_unreachable', 'provider_unreachable']);
  });

  it('still failing after every try: the last error, clear, and each try in the record', async () => {
    provider.fake().respondWith(provider.serverError(503));
    const before = provider.fake().requests.length;
    const answer = await ask(provider.model);
    expect(answer.error?.code).toBe('provider_error');
    expect(answer.error?.hint).toBeTruthy();
    expect(answer.attempts).toBe(3);
    expect(chatRequests(provider, before)).toHaveLength(3);
    expect(answer.tries.map((entry) => entry.outcome)).toEqual(['failed', 'failed', 'failed']);
  });
});

describe.each(providers)('$name: faults after the first text are never tried again', (provider) => {
  it('a connection dropped mid-answer: the text so far is kept, one request only', async () => {
    provider.fake().respondWith({ kind: 'die-midway', chunks: ['Die Photo', 'synthese'] }, ANSWER);
    const before = provider.fake().requests.length;
    const answer = await ask(provider.model);
    expect(answer.error?.code).toBe('provider_error');
    expect(answer.text).toBe('Die Photosynthese');
    expect(chatRequests(provider, before)).toHaveLength(1);
    expect(answer.attempts).toBe(1);
  });

  it('a stream that stops sending: ended after the idle time with timeout, the text kept, not tried again', async () => {
    provider.fake().respondWith({ kind: 'stall', chunks: ['Die Photo'] }, ANSWER);
    const before = provider.fake().requests.length;
    const answer = await ask(provider.model);
    expect(answer.error).toMatchObject({ code: 'timeout', message: expect.stringMatching(/stopped sending/) });
    expect(answer.error?.hint).toMatch(/The text received so far is kept/);
    expect(answer.text).toBe('Die Photo');
    expect(chatRequests(provider, before)).toHaveLength(1);
    expect(answer.tries.map((entry) => [entry.outcome, entry.errorCode])).toEqual([['failed', 'timeout']]);
  });

  it('an error event inside the stream after text: not tried again', async () => {
    provider.fake().respondWith({ kind: 'stream-error', chunks: ['Die'], error: provider.streamError }, ANSWER);
    const before = provider.fake().requests.length;
    const answer = await ask(provider.model);
    expect(answer.error).not.toBeNull();
    expect(answer.text).toBe('Die');
    expect(chatRequests(provider, before)).toHaveLength(1);
  });

  it('a malformed frame after text: an error, the text kept, not tried again', async () => {
    provider.fake().respondWith({ kind: 'malformed', chunks: ['Die'] }, ANSWER);
    const before = provider.fake().requests.length;
    const answer = await ask(provider.model);
    expect(answer.error).not.toBeNull();
    expect(answer.text).toBe('Die');
    expect(chatRequests(provider, before)).toHaveLength(1);
  });
});

describe('what is never tried again, and stopping', () => {
  it('a wrong key, an unknown model, a bad request: one try each', async () => {
    const openai = useFakes().openai;
    for (const scenario of [
      openAiStyle(401, 'Incorrect API key provided.', 'invalid_request_error'),
      openAiStyle(404, 'The model does not exist.', 'invalid_request_error'),
      openAiStyle(400, 'Invalid value for temperature.', 'invalid_request_error'),
    ]) {
      openai.respondWith(scenario, ANSWER);
      const before = openai.requests.length;
      const answer = await ask(FAKE_MODELS.openai);
      expect(answer.error).not.toBeNull();
      expect(answer.attempts).toBe(1);
      expect(openai.requests.slice(before).filter((request) => request.path.endsWith('/chat/completions'))).toHaveLength(1);
    }
  });

  it('stopping during the wait before a retry ends it at once, with nothing more sent', async () => {
    const anthropic = useFakes().anthropic;
    anthropic.respondWith({ kind: 'http-error', status: 429, body: { type: 'error', error: { type: 'rate_limit_error', message: 'Slow down' } }, headers: { 'retry-after': '5' } }, ANSWER);
    const before = anthropic.requests.length;
    const controller = new AbortController();
    const started = performance.now();
    const stream = router().stream({ model: FAKE_MODELS.anthropic, messages: [{ role: 'user', content: 'hi' }] }, controller.signal);
    const answer = await collectAnswer(stream, (part) => {
      if (part.type === 'notice' && part.message.includes('Trying again')) controller.abort();
    });
    expect(answer.error?.code).toBe('cancelled');
    expect(performance.now() - started).toBeLessThan(5000);
    expect(anthropic.requests.slice(before).filter((request) => request.path.endsWith('/messages'))).toHaveLength(1);
  });

  it('a Retry-After beyond the deadline is not waited for: the error says so at once', async () => {
    const openai = useFakes().openai;
    openai.respondWith(openAiStyle(429, 'Rate limit reached', 'requests', { 'retry-after': '3600' }), ANSWER);
    const started = performance.now();
    const answer = await ask(FAKE_MODELS.openai);
    expect(answer.error?.code).toBe('rate_limited');
    expect(answer.attempts).toBe(1);
    expect(performance.now() - started).toBeLessThan(3000);
  });
});
