import { execFile, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { type DatabaseSync } from 'node:sqlite';
import { promisify } from 'node:util';
import OpenAI from 'openai';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, type Settings } from '../../shared/settings';
import { ChatRouter } from '../../electron/core/chat/router';
import { resolveProviderConfig } from '../../electron/core/config/provider-config';
import { startGateway, type Gateway } from '../../electron/core/gateway/gateway-server';
import { ServeTokens } from '../../electron/core/gateway/serve-tokens';
import { gatewayModels } from '../../electron/core/gateway/gateway-models';
import { EgressLog } from '../../electron/core/privacy/egress-log';
import { UNRESTRICTED, type PrivacyPolicy } from '../../electron/core/privacy/policy';
import { SecretStore } from '../../electron/core/secrets/secret-store';
import { openDatabase } from '../../electron/core/store/database';
import { BudgetLedger } from '../../electron/core/usage/budget-ledger';
import { FAKE_MODELS, schoolEndpoint, useProviderFakes } from '../support/provider-fakes';
import { tempDir } from '../support/temp-dir';
import { startMainProcess, type MainProcess } from '../support/main-process';
import { writeSettings } from '../support/settings-file';
import { buildCli } from '../support/built-cli';

const useFakes = useProviderFakes();

let db: DatabaseSync;
let settings: Settings;
let policy: PrivacyPolicy;
let gateway: Gateway;
let tokens: ServeTokens;
let token: string;
let egress: EgressLog;

beforeEach(async () => {
  db = openDatabase(await tempDir());
  settings = { ...DEFAULT_SETTINGS, privacy: { tier: 'non_dsgvo' }, endpoints: [schoolEndpoint(useFakes())] };
  policy = UNRESTRICTED;
  egress = new EgressLog(db);
  const ledger = new BudgetLedger(db);
  const router = new ChatRouter({
    policy: () => policy,
    config: () => resolveProviderConfig(settings, useFakes().env),
    onEgress: (entry) => egress.record(entry),
    ledger: () => ledger,
  });
  tokens = new ServeTokens(db, new SecretStore(`Atelier-test-${randomUUID()}`));
  token = (await tokens.add('Notebook 7b')).token;
  gateway = await startGateway({
    router,
    tokens,
    port: 0,
    allowedOrigins: () => ['http://localhost:8888'],
    models: gatewayModels(async () => ({ config: resolveProviderConfig(settings, useFakes().env), policy })),
    resolveRole: async (role) => (role === 'fast' ? FAKE_MODELS.local : null),
  });
});

afterEach(async () => {
  await gateway.close();
  db.close();
});

/** The real openai client, as any tool would use it (no retries, so each refusal is one request). */
function client(apiKey = token): OpenAI {
  return new OpenAI({ apiKey, baseURL: gateway.baseUrl, maxRetries: 0 });
}

/** A raw request, for what the client cannot send (a foreign Host, an Origin). */
function raw(options: { method?: string; path?: string; headers?: Record<string, string>; body?: string }): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request({ host: '127.0.0.1', port: gateway.port, method: options.method ?? 'POST', path: options.path ?? '/v1/chat/completions', headers: options.headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    request.on('error', reject);
    request.end(options.body);
  });
}

const HELLO = { messages: [{ role: 'user' as const, content: 'Hallo!' }] };

describe('the local endpoint, through the real openai client', () => {
  it.each(Object.entries(FAKE_MODELS))('answers with %s, not streamed and streamed, the provenance in a header', async (provider, model) => {
    const { data, response } = await client().chat.completions.create({ model, ...HELLO }).withResponse();
    expect(data.choices[0]?.message.content).toBe('Hello from the fake!');
    expect(data.choices[0]?.finish_reason).toBe('stop');
    expect(data.object).toBe('chat.completion');
    const provenance = JSON.parse(response.headers.get('x-atelier-provenance') ?? '{}') as { provider: string; routeClass: string };
    expect(provenance.provider).toBe(provider === 'local' ? 'local' : model.split('/')[0]);

    const stream = await client().chat.completions.create({ model, ...HELLO, stream: true, stream_options: { include_usage: true } });
    let text = '';
    let finish: string | null = null;
    let usage: { total_tokens: number } | null = null;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toBe('Hello from the fake!');
    expect(finish).toBe('stop');
    expect(usage?.total_tokens).toBeGreaterThan(0);
    // One egress entry per request, naming the client.
    const entries = egress.list().filter((entry) => entry.purpose === 'chat');
    expect(entries.slice(0, 2).map((entry) => [entry.client, entry.outcome])).toEqual([
      ['Notebook 7b', 'completed'],
      ['Notebook 7b', 'completed'],
    ]);
  });

  it('passes system messages, images, max_tokens, temperature and stop to the provider', async () => {
    const image = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
    await client().chat.completions.create({
      model: FAKE_MODELS.openai,
      messages: [
        { role: 'system', content: 'Antworte kurz.' },
        { role: 'user', content: [{ type: 'text', text: 'Was ist das?' }, { type: 'image_url', image_url: { url: `data:image/png;base64,${image}` } }] },
      ],
      max_tokens: 50,
      temperature: 0.3,
      stop: ['\n\n', 'ENDE'],
    });
    const sent = JSON.parse(useFakes().openai.lastRequest().body) as { messages: { role: string; content: unknown }[]; max_completion_tokens: number; temperature: number; stop: string[] };
    expect(sent.messages[0]).toEqual({ role: 'system', content: 'Antworte kurz.' });
    expect(JSON.stringify(sent.messages[1]?.content)).toContain(image);
    expect(sent).toMatchObject({ max_completion_tokens: 50, temperature: 0.3, stop: ['\n\n', 'ENDE'] });

    await client().chat.completions.create({ model: 'fast', ...HELLO, stop: 'ENDE' });
    const ollama = JSON.parse(useFakes().ollama.requests.filter((request) => request.path === '/api/chat').at(-1)?.body ?? '{}') as { options: { stop: string[] } };
    expect(ollama.options.stop).toEqual(['ENDE']);
  });

  it('lists the roles and the models the tier allows', async () => {
    policy = { ...UNRESTRICTED, tier: 'dsgvo_local' };
    const before = useFakes().anthropic.requests.length;
    const ids = [];
    for await (const model of client().models.list()) ids.push(model.id);
    expect(ids).toEqual(expect.arrayContaining(['fast', 'advanced', 'extreme', FAKE_MODELS.local]));
    expect(ids.filter((id) => /^(anthropic|openai|openrouter|bedrock|school)\//.test(id))).toEqual([]);
    expect(useFakes().anthropic.requests).toHaveLength(before);
  });

  it('under dsgvo_local a cloud model is refused with 403 policy_denied, and nothing reaches the cloud fake', async () => {
    policy = { ...UNRESTRICTED, tier: 'dsgvo_local' };
    const before = useFakes().anthropic.requests.length;
    for (const stream of [false, true]) {
      const error = await client()
        .chat.completions.create({ model: FAKE_MODELS.anthropic, ...HELLO, stream })
        .then(() => null, (caught: unknown) => caught);
      expect(error).toBeInstanceOf(OpenAI.PermissionDeniedError);
      expect((error as InstanceType<typeof OpenAI.APIError>).code).toBe('policy_denied');
    }
    expect(useFakes().anthropic.requests.length).toBe(before);
    expect(egress.list()[0]).toMatchObject({ outcome: 'refused', errorCode: 'policy_denied', client: 'Notebook 7b' });
  });

  it('a budget refusal is 429 budget_exceeded; nothing is sent', async () => {
    policy = { ...UNRESTRICTED, budget: { dailyUsd: 0.0000001, monthlyUsd: null, source: 'settings' } };
    const before = useFakes().openai.requests.length;
    const error = await client().chat.completions.create({ model: FAKE_MODELS.openai, ...HELLO }).then(() => null, (caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect((error as InstanceType<typeof OpenAI.APIError>).code).toBe('budget_exceeded');
    expect(useFakes().openai.requests.length).toBe(before);
  });

  it('maps provider errors to the statuses OpenAI clients expect', async () => {
    useFakes().openai.respondWith({ kind: 'http-error', status: 401, body: { error: { message: 'Incorrect API key provided', type: 'invalid_request_error', code: 'invalid_api_key' } } });
    await expect(client().chat.completions.create({ model: FAKE_MODELS.openai, ...HELLO })).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
    useFakes().openai.respondWith({ kind: 'http-error', status: 404, body: { error: { message: 'The model does not exist', type: 'invalid_request_error', code: 'model_not_found' } } });
    await expect(client().chat.completions.create({ model: FAKE_MODELS.openai, ...HELLO })).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    await expect(client().chat.completions.create({ model: 'nowhere/model', ...HELLO })).rejects.toBeInstanceOf(OpenAI.BadRequestError);
    await expect(client().chat.completions.create({ model: 'extreme', ...HELLO })).rejects.toBeInstanceOf(OpenAI.NotFoundError);
  });

  it('a client that aborts closes the request upstream', async () => {
    useFakes().ollama.respondWith({ kind: 'stall', chunks: ['Es', ' war'] });
    const controller = new AbortController();
    const stream = await client().chat.completions.create({ model: FAKE_MODELS.local, ...HELLO, stream: true }, { signal: controller.signal });
    const closed = useFakes().ollama.waitForClientClose();
    let text = '';
    try {
      for await (const chunk of stream) {
        text += chunk.choices[0]?.delta.content ?? '';
        if (text === 'Es war') controller.abort();
      }
    } catch {
      // Some versions of the client throw on abort, others end the stream.
    }
    expect(text).toBe('Es war');
    await closed;
    await expect.poll(() => egress.list()[0]?.outcome).toBe('cancelled');
  });
});

describe('who may use it', () => {
  it('no token, a wrong one or a revoked one: 401 in OpenAI’s shape', async () => {
    for (const key of ['sk-proj-notAtelier0123456789', `atl_${'x'.repeat(43)}`]) {
      const error = await client(key)
        .chat.completions.create({ model: FAKE_MODELS.local, ...HELLO })
        .then(() => null, (caught: unknown) => caught);
      expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
    }
    expect((await raw({ headers: { Host: `127.0.0.1:${gateway.port}`, 'Content-Type': 'application/json' }, body: '{}' })).body).toContain('"type":"authentication_error"');
    const chats = () => useFakes().ollama.requests.filter((request) => request.path === '/api/chat').length;
    const before = chats();
    expect(await tokens.revoke('notebook 7B')).toBe(true);
    await expect(client().chat.completions.create({ model: FAKE_MODELS.local, ...HELLO })).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
    expect(chats()).toBe(before);
  });

  it('a foreign Host (DNS rebinding) or an Origin the user did not allow is refused; an allowed Origin gets CORS', async () => {
    const auth = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
    const chats = () => useFakes().ollama.requests.filter((request) => request.path === '/api/chat').length;
    const before = chats();
    const body = JSON.stringify({ model: FAKE_MODELS.local, ...HELLO });
    for (const host of ['evil.example:' + gateway.port, `127.0.0.1:${gateway.port + 1}`, 'localhost.evil.example']) {
      const refused = await raw({ headers: { ...auth, Host: host }, body });
      expect(refused.status, host).toBe(403);
      expect(JSON.parse(refused.body)).toMatchObject({ error: { code: 'forbidden_sender' } });
    }
    const foreign = await raw({ headers: { ...auth, Host: `localhost:${gateway.port}`, Origin: 'https://evil.example' }, body });
    expect(foreign.status).toBe(403);
    expect(foreign.headers['access-control-allow-origin']).toBeUndefined();
    expect(chats()).toBe(before);

    const preflight = await raw({ method: 'OPTIONS', headers: { Host: `localhost:${gateway.port}`, Origin: 'http://localhost:8888', 'Access-Control-Request-Method': 'POST' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('http://localhost:8888');
    const allowed = await raw({ headers: { ...auth, Host: `[::1]:${gateway.port}`, Origin: 'http://localhost:8888' }, body });
    expect(allowed.status).toBe(200);
    expect(allowed.headers['access-control-allow-origin']).toBe('http://localhost:8888');
  });

  it('bad bodies get clear 4xx answers', async () => {
    const headers = { Authorization: `Bearer ${token}`, Host: `127.0.0.1:${gateway.port}`, 'Content-Type': 'application/json' };
    expect((await raw({ headers, body: '{not json' })).status).toBe(400);
    expect((await raw({ headers: { ...headers, 'Content-Type': 'text/plain' }, body: '{}' })).status).toBe(415);
    expect(JSON.parse((await raw({ headers, body: JSON.stringify({ model: 'x' }) })).body)).toMatchObject({ error: { type: 'invalid_request_error', code: 'invalid_request' } });
    const remoteImage = JSON.stringify({ model: FAKE_MODELS.local, messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://example.com/cat.png' } }] }] });
    expect((await raw({ headers, body: remoteImage })).body).toContain('does not fetch image addresses');
    expect((await raw({ headers, body: JSON.stringify({ ...HELLO, model: FAKE_MODELS.local, n: 3 }) })).status).toBe(400);
    expect((await raw({ headers, body: JSON.stringify({ ...HELLO, model: FAKE_MODELS.local, response_format: { type: 'json_schema', json_schema: {} } }) })).body).toContain('does not take response_format json_schema');
    expect((await raw({ headers, body: JSON.stringify({ ...HELLO, model: FAKE_MODELS.local, functions: [{ name: 'f' }] }) })).body).toContain('does not take functions');
    expect((await raw({ headers, body: JSON.stringify({ ...HELLO, model: FAKE_MODELS.local, response_format: { type: 'text' }, seed: 1 }) })).status).toBe(200);
    const upper = JSON.stringify({ model: FAKE_MODELS.openai, messages: [{ role: 'user', content: [{ type: 'text', text: 'Was?' }, { type: 'image_url', image_url: { url: 'data:image/JPG;base64,iVBORw0KGgo=' } }] }] });
    expect((await raw({ headers, body: upper })).status).toBe(200);
    expect(JSON.parse((await raw({ method: 'GET', path: '/v1/models/fast', headers })).body)).toMatchObject({ id: 'fast', object: 'model' });
    expect((await raw({ method: 'GET', path: '/v1/models/nothing', headers })).status).toBe(404);
    const huge = await raw({ headers: { ...headers, 'Content-Length': String(64 * 1024 * 1024) }, body: '' }).catch((error: unknown) => error);
    expect(huge).toMatchObject({ status: 413 });
    expect((await raw({ method: 'GET', path: '/v1/nothing', headers })).status).toBe(404);
  });

  it('a chunked body over the limit gets 413, not a reset', async () => {
    await gateway.close();
    const router = new ChatRouter({ policy: () => policy, config: () => resolveProviderConfig(settings, useFakes().env) });
    gateway = await startGateway({ router, tokens, port: 0, maxBodyBytes: 1024, models: async () => [] });
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const request = http.request({ host: '127.0.0.1', port: gateway.port, method: 'POST', path: '/v1/chat/completions', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' } }, (response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => (body += chunk.toString()));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      });
      request.on('error', reject);
      for (let i = 0; i < 8; i++) request.write('x'.repeat(512));
      request.end();
    });
    expect(answer.status).toBe(413);
    expect(answer.body).toContain('larger than');
  });

  it('refuses to start when another program holds the port on ::1', async () => {
    const blocker = net.createServer();
    const blocked = await new Promise<boolean>((resolve) => {
      blocker.once('error', () => resolve(false));
      blocker.listen(0, '::1', () => resolve(true));
    });
    if (!blocked) return; // no IPv6 loopback here: nothing to hold
    const port = (blocker.address() as AddressInfo).port;
    try {
      await expect(startGateway({ router: new ChatRouter({ policy: () => policy, config: () => resolveProviderConfig(settings, useFakes().env) }), tokens, port, models: async () => [] })).rejects.toThrow(`Port ${port} is in use already on [::1]`);
      // Nothing is left listening on 127.0.0.1 either.
      await expect(fetch(`http://127.0.0.1:${port}/v1/models`)).rejects.toThrow();
    } finally {
      blocker.close();
    }
  });

  it('token names are one name in any case and width; without a keychain a token still works', async () => {
    await tokens.add('Ünïcode名前');
    await expect(tokens.add('ünïcode名前')).rejects.toThrow('already');
    await tokens.add('Ａ全角');
    await expect(tokens.add('ａ全角')).rejects.toThrow('already');
    expect(await tokens.revoke('ÜNÏCODE名前')).toBe(true);
    expect(tokens.list().map((entry) => entry.name)).toEqual(expect.arrayContaining(['Ａ全角', 'Notebook 7b']));
  });

  it('refuses more answers at once than its limit, with Retry-After', async () => {
    await gateway.close();
    const router = new ChatRouter({ policy: () => policy, config: () => resolveProviderConfig(settings, useFakes().env) });
    gateway = await startGateway({ router, tokens, port: 0, maxConcurrent: 1, models: async () => [] });
    useFakes().ollama.respondWith({ kind: 'stall', chunks: ['…'] });
    const controller = new AbortController();
    const first = await client().chat.completions.create({ model: FAKE_MODELS.local, ...HELLO, stream: true }, { signal: controller.signal });
    const iterator = first[Symbol.asyncIterator]();
    await iterator.next();
    const busy = await client().chat.completions.create({ model: FAKE_MODELS.local, ...HELLO }).then(() => null, (caught: unknown) => caught);
    expect(busy).toBeInstanceOf(OpenAI.RateLimitError);
    expect((busy as InstanceType<typeof OpenAI.APIError>).headers?.get('retry-after')).toBe('1');
    controller.abort();
  });

  it('listens on loopback only; a port in use is a clear error', async () => {
    expect(gateway.addresses.every((address) => address.startsWith('127.0.0.1:') || address.startsWith('[::1]:'))).toBe(true);
    await expect(startGateway({ router: new ChatRouter({ policy: () => policy, config: () => resolveProviderConfig(settings, useFakes().env) }), tokens, port: gateway.port, models: async () => [] })).rejects.toThrow(
      `Port ${gateway.port} is in use already`,
    );
  });

  it('speaks the raw wire as curl sees it: server-sent events ending in [DONE]', async () => {
    const { stdout } = await promisify(execFile)('curl', [
      '-sN',
      `${gateway.baseUrl}/chat/completions`,
      '-H',
      `Authorization: Bearer ${token}`,
      '-H',
      'Content-Type: application/json',
      '-d',
      JSON.stringify({ model: FAKE_MODELS.local, ...HELLO, stream: true }),
    ]);
    const events = stdout.split('\n\n').filter(Boolean);
    expect(events[0]).toMatch(/^data: \{"id":"chatcmpl-[\w-]+","object":"chat\.completion\.chunk"/);
    expect(events.at(-1)).toBe('data: [DONE]');
    const text = events
      .slice(0, -1)
      .map((event) => JSON.parse(event.slice('data: '.length)) as { choices: { delta: { content?: string } }[] })
      .map((chunk) => chunk.choices[0]?.delta.content ?? '')
      .join('');
    expect(text).toBe('Hello from the fake!');
  });
});

/** A port that was free a moment ago (the settings take 1024 and up, so not 0). */
async function freePort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

describe('the app’s local endpoint', () => {
  const FROM_APP = { url: 'app://atelier/' };
  async function call<T>(main: MainProcess, channel: string, input?: unknown): Promise<T> {
    const result = (await main.dispatch(channel, input, FROM_APP)) as { ok: boolean; value?: T; error?: unknown };
    if (!result.ok) throw new Error(`${channel}: ${JSON.stringify(result.error)}`);
    return result.value as T;
  }

  it('is switched on and off in the settings, with tokens made and revoked over IPC; the classroom lock guards both', async () => {
    const dir = await tempDir();
    await writeSettings(dir, { privacy: { tier: 'dsgvo_local' } });
    const main = await startMainProcess(dir, ['app://atelier'], useFakes().env);
    try {
      expect(await call(main, 'gateway:get-status')).toMatchObject({ running: false, baseUrl: null });
      const port = await freePort();
      const statuses: unknown[] = [];
      const stop = main.forwardEvents((event, payload) => event === 'gateway:status-changed' && statuses.push(payload));
      await call(main, 'settings:update', { gateway: { enabled: true, port } });
      await expect.poll(() => call<{ running: boolean }>(main, 'gateway:get-status')).toMatchObject({ running: true, baseUrl: `http://127.0.0.1:${port}/v1` });
      expect(statuses).toContainEqual(expect.objectContaining({ running: true }));
      stop();

      const made = await call<{ name: string; token: string; masked: string }>(main, 'gateway:add-token', { name: 'VS Code' });
      expect(made.token).toMatch(/^atl_[\w-]{43}$/);
      expect(await call(main, 'gateway:list-tokens')).toEqual({ tokens: [expect.objectContaining({ name: 'VS Code', masked: made.masked, lastUsedAt: null })] });
      expect(JSON.stringify(await call(main, 'gateway:list-tokens'))).not.toContain(made.token);
      expect(await main.dispatch('gateway:add-token', { name: '  ' }, FROM_APP)).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
      expect(await main.dispatch('gateway:add-token', { name: 'vs code' }, FROM_APP)).toMatchObject({ ok: false, error: { code: 'invalid_request', message: expect.stringContaining('already') as unknown } });

      const openai = new OpenAI({ apiKey: made.token, baseURL: `http://127.0.0.1:${port}/v1`, maxRetries: 0 });
      const answer = await openai.chat.completions.create({ model: FAKE_MODELS.local, ...HELLO });
      expect(answer.choices[0]?.message.content).toBe('Hello from the fake!');
      // Under dsgvo_local the cloud is refused, and the record names the client.
      await expect(openai.chat.completions.create({ model: FAKE_MODELS.anthropic, ...HELLO })).rejects.toBeInstanceOf(OpenAI.PermissionDeniedError);
      const { entries } = await call<{ entries: { client: string | null; outcome: string }[] }>(main, 'egress:list');
      expect(entries[0]).toMatchObject({ client: 'VS Code', outcome: 'refused' });

      await call(main, 'privacy:lock', { password: 'Tafel-Kreide-2026' });
      expect(await main.dispatch('gateway:add-token', { name: 'Other' }, FROM_APP)).toMatchObject({ ok: false, error: { code: 'settings_locked' } });
      expect(await main.dispatch('gateway:revoke-token', { name: 'VS Code' }, FROM_APP)).toMatchObject({ ok: false, error: { code: 'settings_locked' } });
      expect(await main.dispatch('settings:update', { gateway: { enabled: false } }, FROM_APP)).toMatchObject({ ok: false, error: { code: 'settings_locked' } });
      await call(main, 'privacy:unlock', { password: 'Tafel-Kreide-2026' });

      expect(await call(main, 'gateway:revoke-token', { name: 'VS Code' })).toEqual({ revoked: true });
      await expect(openai.chat.completions.create({ model: FAKE_MODELS.local, ...HELLO })).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
      await call(main, 'settings:update', { gateway: { enabled: false } });
      await expect.poll(() => call<{ running: boolean }>(main, 'gateway:get-status')).toMatchObject({ running: false });
      await expect(openai.chat.completions.create({ model: FAKE_MODELS.local, ...HELLO })).rejects.toBeInstanceOf(OpenAI.APIConnectionError);
    } finally {
      await main.services.close();
    }
  });

  it('says why it could not start when the port is taken', async () => {
    const blocker = http.createServer();
    const port = await freePort();
    await new Promise<void>((done) => blocker.listen(port, '127.0.0.1', done));
    const dir = await tempDir();
    const main = await startMainProcess(dir, ['app://atelier'], useFakes().env);
    try {
      await call(main, 'settings:update', { gateway: { enabled: true, port } });
      await expect.poll(() => call<{ problem: string | null }>(main, 'gateway:get-status')).toMatchObject({ running: false, problem: expect.stringContaining(`Port ${port} is in use`) as unknown });
    } finally {
      blocker.close();
      await main.services.close();
    }
  });
});

describe('atelier serve', () => {
  it('makes, lists and revokes tokens, serves until Ctrl-C, and says what is wrong', async () => {
    const cli = await buildCli();
    const home = await tempDir();
    await writeSettings(home, { privacy: { tier: 'dsgvo_local' } });
    const env = { ...useFakes().env, PATH: process.env.PATH, ATELIER_HOME: home, ATELIER_KEYCHAIN_SERVICE: `Atelier-test-${randomUUID()}`, ATELIER_POLICY_FILE: `${home}/no-policy.json`, DBUS_SESSION_BUS_ADDRESS: process.env.DBUS_SESSION_BUS_ADDRESS };
    const atelier = (argv: string[]) =>
      promisify(execFile)(process.execPath, [cli, ...argv], { env }).then(
        ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
        (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
      );
    const added = JSON.parse((await atelier(['serve', 'tokens', 'add', 'Notebook', '--json'])).stdout) as { token: string; masked: string };
    expect(added.token).toMatch(/^atl_/);
    // Without a keychain (no Secret Service running) a token is made all the same, and said to be kept nowhere else.
    const headless = await promisify(execFile)(process.execPath, [cli, 'serve', 'tokens', 'add', 'Headless'], { env: { ...env, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent' } });
    expect(headless.stdout).toMatch(/^atl_/);
    expect(headless.stderr).toContain('there is no keychain here');
    const listed = await atelier(['serve', 'tokens', 'list']);
    expect(listed.stdout).toContain(`Notebook  ${added.masked}`);
    expect(listed.stdout).not.toContain(added.token);
    expect((await atelier(['serve', 'tokens', 'revoke', 'nobody'])).stderr).toContain('There is no token named “nobody”');
    expect((await atelier(['serve', '--port', '80000'])).stderr).toContain('--port must be a whole number from 1 to 65535');
    expect((await atelier(['config', 'set', 'gateway.allowedOrigins', 'http://localhost:8888/path'])).stderr).toContain('scheme, host and port only');

    const port = await freePort();
    const server = spawn(process.execPath, [cli, 'serve', '--port', String(port)], { env });
    let out = '';
    server.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    await expect.poll(() => out, { timeout: 15_000 }).toContain('Ctrl-C stops it');
    expect(out).toContain(`http://127.0.0.1:${port}/v1`);
    const openai = new OpenAI({ apiKey: added.token, baseURL: `http://127.0.0.1:${port}/v1`, maxRetries: 0 });
    expect((await openai.chat.completions.create({ model: FAKE_MODELS.local, ...HELLO })).choices[0]?.message.content).toBe('Hello from the fake!');
    // A token revoked by another command is refused at once.
    expect((await atelier(['serve', 'tokens', 'revoke', 'notebook'])).code).toBe(0);
    await expect(openai.chat.completions.create({ model: FAKE_MODELS.local, ...HELLO })).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
    // A second server on the same port says so.
    const second = await atelier(['serve', '--port', String(port)]);
    expect(second).toMatchObject({ code: 2, stderr: expect.stringContaining(`Port ${port} is in use already`) as unknown });
    // A setting changed from another terminal applies to the next request: the tier, here.
    const fresh = JSON.parse((await atelier(['serve', 'tokens', 'add', 'Second', '--json'])).stdout) as { token: string };
    const other = new OpenAI({ apiKey: fresh.token, baseURL: `http://127.0.0.1:${port}/v1`, maxRetries: 0 });
    const askCloud = () => other.chat.completions.create({ model: FAKE_MODELS.openai, ...HELLO }).then(() => 'answered', (error: unknown) => (error instanceof OpenAI.APIError ? String(error.status) : 'error'));
    expect(await askCloud()).toBe('403');
    expect((await atelier(['privacy', 'set', 'non_dsgvo'])).code).toBe(0);
    await expect.poll(askCloud, { timeout: 10_000 }).toBe('answered');
    const exited = new Promise<number | null>((done) => server.on('exit', (code) => done(code)));
    server.kill('SIGINT');
    // Stopped with Ctrl-C: 130, as every command.
    expect(await exited).toBe(130);
    expect(out).toContain('Stopped.');
  }, 60_000);
});
