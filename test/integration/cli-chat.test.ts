import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ProviderModels } from '../../electron/core/models/list-models';
import { runAtelier } from '../support/run-cli';
import { FAKE_KEYS, FAKE_MODELS, schoolEndpoint, useProviderFakes } from '../support/provider-fakes';
import { tempDir } from '../support/temp-dir';
import { ANY_PROVIDER, writeSettings, writePolicyNamingBedrockFakeEu } from '../support/settings-file';

const useFakes = useProviderFakes();

/** A data folder with the "school" endpoint added, as a teacher would with `atelier endpoints add`. */
async function home(): Promise<string> {
  const dir = await tempDir();
  await writeSettings(dir, ANY_PROVIDER);
  const endpoint = schoolEndpoint(useFakes());
  const added = await runAtelier(['endpoints', 'add', endpoint.prefix, endpoint.baseUrl, '--name', endpoint.name], { env: { ATELIER_HOME: dir } });
  expect(added.code).toBe(0);
  return dir;
}

async function atelier(argv: string[], options: { stdin?: string; interruptOn?: RegExp; env?: Record<string, string | undefined> } = {}) {
  return runAtelier(argv, { ...options, env: { ...useFakes().env, ATELIER_HOME: await home(), ...options.env } });
}

describe('atelier chat', () => {
  it.each(Object.entries(FAKE_MODELS))('streams from %s', async (_provider, model) => {
    const result = await atelier(['chat', '-m', model, 'Hallo,', 'wie', 'geht', 'es?']);
    expect(result).toEqual({ code: 0, stdout: 'Hello from the fake!\n', stderr: '' });
  });

  it('--json prints one object with text, model, provider, usage and timings', async () => {
    const result = await atelier(['chat', '--json', '-m', FAKE_MODELS.bedrock, '--system', 'Antworte kurz.', 'Was ist Photosynthese?']);
    expect(result.code).toBe(0);
    const output = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(output).toEqual({
      text: 'Hello from the fake!',
      model: FAKE_MODELS.bedrock,
      provider: 'bedrock',
      // The fake counts the words of the messages; Claude Haiku 4.5 through an eu. profile at eu-central-1's price.
      usage: { inputTokens: 3, outputTokens: 5, costUsd: expect.closeTo((3 * 1.1 + 5 * 5.5) / 1_000_000, 12) as unknown },
      costUsd: expect.closeTo((3 * 1.1 + 5 * 5.5) / 1_000_000, 12) as unknown,
      finishReason: 'stop',
      ttftMs: expect.any(Number) as unknown,
      latencyMs: expect.any(Number) as unknown,
      attempts: 1,
      // Claude Haiku 4.5's documented window; one message, so nothing left out.
      contextTokens: 200_000,
      omittedMessages: 0,
      provenance: {
        tier: 'non_dsgvo',
        // The fake's address is not AWS's, and no school policy vouches for it.
        routeClass: 'non-eu',
        provider: 'bedrock',
        region: 'eu-central-1',
        host: '127.0.0.1',
        modelId: 'eu.anthropic.claude-haiku-4-5-20251001-v1:0',
        contextTokens: 200_000,
      },
    });
    expect(output.latencyMs as number).toBeGreaterThanOrEqual(output.ttftMs as number);
    expect(useFakes().bedrock.lastRequest().body).toContain('Antworte kurz.');
  });

  it('reads the prompt from standard input', async () => {
    const result = await atelier(['chat', '-m', FAKE_MODELS.local], { stdin: 'Erkläre den Wasserkreislauf.\n' });
    expect(result.code).toBe(0);
    expect(JSON.parse(useFakes().ollama.lastRequest().body).messages).toEqual([{ role: 'user', content: 'Erkläre den Wasserkreislauf.' }]);
  });

  it('passes temperature and answer length', async () => {
    await atelier(['chat', '-m', FAKE_MODELS.openai, '-t', '0.3', '--max-tokens', '64', 'hi']);
    expect(JSON.parse(useFakes().openai.lastRequest().body)).toMatchObject({ temperature: 0.3, max_completion_tokens: 64 });
  });

  it('fails with exit 1, the message and the hint, and no key in sight', async () => {
    const result = await atelier(['chat', '-m', FAKE_MODELS.openai, 'hi'], { env: { OPENAI_API_KEY: 'sk-proj-notTheRightKey0123456789' } });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^Error: OpenAI did not accept the API key\..*\nHint: Check OPENAI_API_KEY/s);
    expect(result.stderr + result.stdout).not.toContain('notTheRightKey');
  });

  it('--json reports a failure as { error } and exits non-zero', async () => {
    useFakes().anthropic.respondWith({ kind: 'http-error', status: 400, body: { type: 'error', error: { type: 'invalid_request_error', message: 'prompt is too long' } } });
    const result = await atelier(['chat', '--json', '-m', FAKE_MODELS.anthropic, 'hi']);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toEqual({
      error: { code: 'invalid_request', message: expect.any(String) as unknown, hint: expect.any(String) as unknown },
      costUsd: null,
      attempts: 1,
      provenance: expect.objectContaining({ provider: 'anthropic', routeClass: 'non-eu' }) as unknown,
    });
    expect(result.stderr).toBe('');
  });

  it('refuses a malformed model id with exit 2 before touching the network', async () => {
    const before = useFakes().openai.requests.length;
    const result = await atelier(['chat', '-m', 'gpt-4o', 'hi']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Valid prefixes: local, bedrock, anthropic, openai, openrouter, school.');
    expect(useFakes().openai.requests.length).toBe(before);
  });

  it('Ctrl-C stops the answer: the text so far stays, the fake sees the connection close, exit 130', async () => {
    useFakes().openrouter.respondWith({ kind: 'stall', chunks: ['Es', ' war', ' einmal'] });
    const closed = useFakes().openrouter.waitForClientClose();
    const result = await atelier(['chat', '-m', FAKE_MODELS.openrouter, 'Erzähl ein Märchen'], { interruptOn: /einmal/ });
    await closed;
    expect(result.code).toBe(130);
    expect(result.stdout).toBe('Es war einmal\n');
    expect(result.stderr).toMatch(/^Error: You stopped the answer\./);
  });

  it.each([
    [['chat', 'hi'], /Which model should answer\?/],
    [['chat', '-m', FAKE_MODELS.local, '--bogus', 'hi'], /unknown option '--bogus'/],
    [['chat', '-m', FAKE_MODELS.local, '-t', 'warm', 'hi'], /--temperature must be a number from 0 to 2, such as 0.7, not "warm"/],
    [['chat', '-m', FAKE_MODELS.local], /no message to send/],
  ])('usage errors exit 2 with a clear line: %j', async (argv, message) => {
    const result = await atelier(argv);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  it('--help explains every option', async () => {
    const result = await atelier(['chat', '--help']);
    expect(result.code).toBe(0);
    for (const option of ['--model', '--system', '--temperature', '--max-tokens', '--json', 'Examples']) expect(result.stdout).toContain(option);
  });
});

describe('atelier models', () => {
  it('lists live models where keys are set, the Bedrock catalogue, and says what is not configured', async () => {
    const result = await atelier(['models', '--json'], { env: { OPENAI_API_KEY: undefined } });
    expect(result.code).toBe(0);
    const listing = JSON.parse(result.stdout) as ProviderModels[];
    const byProvider = Object.fromEntries(listing.map((entry) => [entry.provider, entry]));
    expect(byProvider.local?.models.map((m) => m.id)).toEqual(['local/llama3.2:3b', 'local/qwen2.5:7b']);
    expect(byProvider.anthropic?.models.map((m) => m.id)).toEqual(['anthropic/claude-fake-4-5']);
    expect(byProvider.openrouter?.models.map((m) => m.id)).toEqual(['openrouter/anthropic/claude-sonnet-4.5']);
    expect(byProvider.school?.models.map((m) => m.id)).toEqual(['school/llama-3.1-70b']);
    expect(byProvider.openai).toMatchObject({ source: 'not-configured', models: [], error: { code: 'credentials_missing' } });
    // Bedrock's live list (ListInferenceProfiles on the fake's control plane): the region's EU profiles.
    expect(byProvider.bedrock?.source).toBe('live');
    expect(byProvider.bedrock?.models.map((m) => m.id)).toContain('bedrock/eu.anthropic.claude-sonnet-4-6');
    // In an EU region, no US-only profile is offered.
    expect(byProvider.bedrock?.models.every((m) => !m.id.startsWith('bedrock/us.'))).toBe(true);
    expect(useFakes().openrouter.lastRequest().headers['x-title']).toBe('Atelier');
  });

  it('keeps listing the others when one provider is down, and prints text by default', async () => {
    const result = await atelier(['models'], { env: { OLLAMA_HOST: 'http://127.0.0.1:9' } });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^local: 0 models\n {2}Atelier cannot connect to Ollama at http:\/\/127\.0\.0\.1:9: that port is blocked/m);
    expect(result.stdout).toMatch(/^anthropic: 1 model\n {2}anthropic\/claude-fake-4-5/m);
    expect(result.stdout).not.toContain(FAKE_KEYS.anthropic);
  });
});

describe('atelier endpoints', () => {
  it('adds, lists and removes an endpoint, refusing bad ones', async () => {
    const dir = await tempDir();
    const env = { ATELIER_HOME: dir };
    expect((await runAtelier(['endpoints', 'add', 'openai', 'http://x/v1'], { env })).stderr).toMatch(/built-in provider/);
    expect((await runAtelier(['endpoints', 'add', 'lab', 'ftp://x/v1'], { env })).stderr).toMatch(/http:\/\/ or https:\/\//);
    expect((await runAtelier(['endpoints', 'add', 'lab', 'http://10.0.0.5:8000/v1', '--name', 'Lab vLLM'], { env })).stdout).toContain(
      'ATELIER_ENDPOINT_LAB_KEY',
    );
    expect((await runAtelier(['endpoints', 'list'], { env })).stdout).toContain('lab/…  http://10.0.0.5:8000/v1  Lab vLLM');
    const saved = JSON.parse(await fs.readFile(path.join(dir, 'settings.json'), 'utf8')) as { endpoints: unknown[] };
    expect(saved.endpoints).toEqual([{ prefix: 'lab', name: 'Lab vLLM', baseUrl: 'http://10.0.0.5:8000/v1' }]);
    expect((await runAtelier(['endpoints', 'remove', 'lab'], { env })).code).toBe(0);
    expect((await runAtelier(['endpoints', 'remove', 'lab'], { env })).code).toBe(2);
  });
});

describe('atelier models under the privacy tiers', () => {
  it('dsgvo_local: no cloud provider is asked anything, and the listing says why', async () => {
    const before = { anthropic: useFakes().anthropic.requests.length, openai: useFakes().openai.requests.length, openrouter: useFakes().openrouter.requests.length };
    const home = await tempDir();
    const env = { ...useFakes().env, ATELIER_HOME: home };
    await writeSettings(home, { privacy: { tier: 'dsgvo_local' } });
    const listing = JSON.parse((await runAtelier(['models', '--json'], { env })).stdout) as ProviderModels[];
    const byProvider = Object.fromEntries(listing.map((entry) => [entry.provider, entry]));
    expect(byProvider.anthropic).toMatchObject({ source: 'not-allowed', error: { code: 'policy_denied' } });
    expect(byProvider.openai?.source).toBe('not-allowed');
    expect(byProvider.local?.models.every((model) => model.allowed === true)).toBe(true);
    expect(byProvider.bedrock?.models.every((model) => model.allowed === false)).toBe(true);
    expect({ anthropic: useFakes().anthropic.requests.length, openai: useFakes().openai.requests.length, openrouter: useFakes().openrouter.requests.length }).toEqual(before);
    expect((await runAtelier(['models'], { env })).stdout).toMatch(/^anthropic \(not allowed by the privacy setting\): 0 models$/m);
  });

  it('dsgvo_cloud: EU Bedrock models are allowed, the rest marked', async () => {
    const home = await tempDir();
    await writeSettings(home, { privacy: { tier: 'dsgvo_cloud' } });
    const env = { ...useFakes().env, ATELIER_HOME: home, ATELIER_POLICY_FILE: await writePolicyNamingBedrockFakeEu(home, useFakes().bedrock) };
    const listing = JSON.parse((await runAtelier(['models', '--json'], { env })).stdout) as ProviderModels[];
    const bedrock = listing.find((entry) => entry.provider === 'bedrock');
    expect(bedrock?.models.find((model) => model.id === 'bedrock/eu.anthropic.claude-sonnet-4-6')?.allowed).toBe(true);
    expect(listing.find((entry) => entry.provider === 'openrouter')?.source).toBe('not-allowed');
  });
});
