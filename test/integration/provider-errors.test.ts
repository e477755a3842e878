import net from 'node:net';
import { describe, expect, it } from 'vitest';
import type { ChatRequest } from '../../shared/chat';
import { errorCodes, type ErrorCode } from '../../shared/errors';
import { DEFAULT_SETTINGS } from '../../shared/settings';
import { collectAnswer, type CollectedAnswer } from '../../electron/core/chat/collect';
import { ChatRouter } from '../../electron/core/chat/router';
import { DEFAULT_RETRY_POLICY } from '../../electron/core/reliability/retry';
import { UNRESTRICTED } from '../../electron/core/privacy/policy';
import { resolveProviderConfig } from '../../electron/core/config/provider-config';
import { awsError } from '../fakes/bedrock-fake';
import type { LoopbackServer } from '../fakes/loopback-server';
import type { Scenario } from '../fakes/scenario';
import { FAKE_KEYS, FAKE_MODELS, schoolEndpoint, useProviderFakes } from '../support/provider-fakes';

const useFakes = useProviderFakes();

async function ask(model: string, env: Record<string, string> = useFakes().env, signal?: AbortSignal): Promise<CollectedAnswer> {
  const settings = { ...DEFAULT_SETTINGS, endpoints: [schoolEndpoint(useFakes())] };
  // One try each: these tests are about how each failure is worded (retries have their own tests).
  const router = new ChatRouter({ policy: () => UNRESTRICTED, config: () => resolveProviderConfig(settings, env), retry: { ...DEFAULT_RETRY_POLICY, maxAttempts: 1 } });
  const request: ChatRequest = { model, messages: [{ role: 'user', content: 'Erkläre bitte die Photosynthese.' }] };
  return collectAnswer(router.stream(request, signal));
}

const withEnv = (changes: Record<string, string | undefined>) => {
  const env = { ...useFakes().env, ...changes };
  for (const [key, value] of Object.entries(changes)) if (value === undefined) delete env[key];
  return env as Record<string, string>;
};

/** A port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

interface ErrorCase {
  title: string;
  expected: ErrorCode;
  model: string;
  fake?: () => LoopbackServer;
  scenario?: Scenario;
  env?: () => Record<string, string>;
  /** Words the message must contain, so it names the real problem. */
  mentions?: RegExp;
}

const openAiError = (status: number, message: string, type: string, code: string | null, headers: Record<string, string> = {}): Scenario => ({
  kind: 'http-error',
  status,
  body: { error: { message, type, param: null, code } },
  headers,
});
const anthropicError = (status: number, type: string, message: string): Scenario => ({
  kind: 'http-error',
  status,
  body: { type: 'error', error: { type, message }, request_id: 'req_fake' },
});

const cases: ErrorCase[] = [
  { title: 'a model id without a provider', expected: 'invalid_request', model: 'llama3.2', mentions: /not a valid model id/ },
  { title: 'an unknown prefix', expected: 'invalid_request', model: 'mistral/large', mentions: /"mistral" is not a provider/ },
  {
    title: 'OpenAI 400 (context too long)',
    expected: 'invalid_request',
    model: FAKE_MODELS.openai,
    fake: () => useFakes().openai,
    scenario: openAiError(400, "This model's maximum context length is 128000 tokens.", 'invalid_request_error', 'context_length_exceeded'),
    mentions: /maximum context length/,
  },
  { title: 'no Anthropic key', expected: 'credentials_missing', model: FAKE_MODELS.anthropic, env: () => withEnv({ ANTHROPIC_API_KEY: undefined }), mentions: /Anthropic/ },
  { title: 'no AWS keys', expected: 'credentials_missing', model: FAKE_MODELS.bedrock, env: () => withEnv({ AWS_ACCESS_KEY_ID: undefined }) },
  { title: 'a wrong OpenAI key', expected: 'auth_invalid', model: FAKE_MODELS.openai, env: () => withEnv({ OPENAI_API_KEY: 'sk-proj-wrongKeyWrongKeyWrongKey1234' }) },
  { title: 'a wrong Anthropic key', expected: 'auth_invalid', model: FAKE_MODELS.anthropic, env: () => withEnv({ ANTHROPIC_API_KEY: 'sk-ant-api03-wrongwrongwrongwrong' }) },
  { title: 'a wrong OpenRouter key', expected: 'auth_invalid', model: FAKE_MODELS.openrouter, env: () => withEnv({ OPENROUTER_API_KEY: 'sk-or-v1-wrongwrongwrongwrongwrong' }) },
  { title: 'an unknown AWS access key', expected: 'auth_invalid', model: FAKE_MODELS.bedrock, env: () => withEnv({ AWS_ACCESS_KEY_ID: 'AKIAWRONGWRONGWRONG1' }) },
  {
    title: 'expired AWS session credentials',
    expected: 'credentials_expired',
    model: FAKE_MODELS.bedrock,
    fake: () => useFakes().bedrock,
    scenario: awsError(403, 'ExpiredTokenException', 'The security token included in the request is expired'),
  },
  {
    title: 'an OpenAI key from an unsupported region',
    expected: 'permission_denied',
    model: FAKE_MODELS.openai,
    fake: () => useFakes().openai,
    scenario: openAiError(403, 'Country, region, or territory not supported', 'request_forbidden', 'unsupported_country_region_territory'),
  },
  {
    title: 'an IAM user without bedrock:InvokeModelWithResponseStream',
    expected: 'permission_denied',
    model: FAKE_MODELS.bedrock,
    fake: () => useFakes().bedrock,
    scenario: awsError(
      403,
      'AccessDeniedException',
      'User: arn:aws:iam::123456789012:user/teacher is not authorized to perform: bedrock:InvokeModelWithResponseStream on resource: arn:aws:bedrock:eu-central-1::foundation-model/x',
    ),
  },
  {
    title: 'a Bedrock model the account was not granted',
    expected: 'model_access_denied',
    model: FAKE_MODELS.bedrock,
    fake: () => useFakes().bedrock,
    scenario: awsError(403, 'AccessDeniedException', "You don't have access to the model with the specified model ID."),
    mentions: /Model access|access to/,
  },
  { title: 'an Ollama model that is not pulled', expected: 'model_not_found', model: 'local/mistral:7b', mentions: /ollama pull mistral:7b/ },
  {
    title: 'an OpenAI model that does not exist',
    expected: 'model_not_found',
    model: 'openai/gpt-9',
    fake: () => useFakes().openai,
    scenario: openAiError(404, 'The model `gpt-9` does not exist or you do not have access to it.', 'invalid_request_error', 'model_not_found'),
  },
  { title: 'an Anthropic model that does not exist', expected: 'model_not_found', model: 'anthropic/claude-9', fake: () => useFakes().anthropic, scenario: anthropicError(404, 'not_found_error', 'model: claude-9') },
  {
    title: 'a Bedrock model id that is invalid',
    expected: 'model_not_found',
    model: 'bedrock/eu.anthropic.claude-nonexistent-v1:0',
    fake: () => useFakes().bedrock,
    scenario: awsError(400, 'ValidationException', 'The provided model identifier is invalid.'),
  },
  {
    title: 'a Bedrock base id that needs an inference profile',
    expected: 'inference_profile_required',
    model: 'bedrock/anthropic.claude-haiku-4-5-20251001-v1:0',
    fake: () => useFakes().bedrock,
    scenario: awsError(
      400,
      'ValidationException',
      "Invocation of model ID anthropic.claude-haiku-4-5-20251001-v1:0 with on-demand throughput isn't supported. Retry your request with the ID or ARN of an inference profile that contains this model.",
    ),
    mentions: /inference profile/,
  },
  {
    title: 'OpenAI throttling',
    expected: 'rate_limited',
    model: FAKE_MODELS.openai,
    fake: () => useFakes().openai,
    scenario: openAiError(429, 'Rate limit reached for gpt-fake-mini on requests per min (RPM): Limit 3.', 'requests', 'rate_limit_exceeded', { 'retry-after': '20' }),
  },
  { title: 'Anthropic throttling', expected: 'rate_limited', model: FAKE_MODELS.anthropic, fake: () => useFakes().anthropic, scenario: anthropicError(429, 'rate_limit_error', 'Number of request tokens has exceeded your per-minute rate limit') },
  { title: 'Bedrock throttling', expected: 'rate_limited', model: FAKE_MODELS.bedrock, fake: () => useFakes().bedrock, scenario: awsError(429, 'ThrottlingException', 'Too many requests, please wait before trying again.') },
  {
    title: 'Bedrock throttling inside the stream',
    expected: 'rate_limited',
    model: FAKE_MODELS.bedrock,
    fake: () => useFakes().bedrock,
    scenario: { kind: 'stream-error', chunks: ['Die'], error: { type: 'throttlingException', message: 'Too many tokens, please wait before trying again.' } },
  },
  {
    title: 'an OpenAI account without credit',
    expected: 'quota_exceeded',
    model: FAKE_MODELS.openai,
    fake: () => useFakes().openai,
    scenario: openAiError(429, 'You exceeded your current quota, please check your plan and billing details.', 'insufficient_quota', 'insufficient_quota'),
  },
  {
    title: 'an OpenRouter account without credit',
    expected: 'quota_exceeded',
    model: FAKE_MODELS.openrouter,
    fake: () => useFakes().openrouter,
    scenario: { kind: 'http-error', status: 402, body: { error: { code: 402, message: 'Insufficient credits. Add more using https://openrouter.ai/credits' } } },
  },
  { title: 'Anthropic overloaded (529)', expected: 'provider_error', model: FAKE_MODELS.anthropic, fake: () => useFakes().anthropic, scenario: anthropicError(529, 'overloaded_error', 'Overloaded') },
  {
    title: 'Anthropic overloaded inside the stream',
    expected: 'provider_error',
    model: FAKE_MODELS.anthropic,
    fake: () => useFakes().anthropic,
    scenario: { kind: 'stream-error', chunks: ['Die'], error: { type: 'overloaded_error', message: 'Overloaded' } },
  },
  {
    title: 'an upstream failure inside an OpenRouter stream',
    expected: 'provider_error',
    model: FAKE_MODELS.openrouter,
    fake: () => useFakes().openrouter,
    scenario: { kind: 'stream-error', chunks: ['Die'], error: { code: 502, message: 'Provider returned error' } },
  },
  {
    title: 'an error line inside an Ollama stream',
    expected: 'provider_error',
    model: FAKE_MODELS.local,
    fake: () => useFakes().ollama,
    scenario: { kind: 'stream-error', chunks: ['Die'], error: { error: 'an error was encountered while running the model: CUDA error: out of memory' } },
    mentions: /out of memory/,
  },
  {
    title: 'a Bedrock model error inside the stream',
    expected: 'provider_error',
    model: FAKE_MODELS.bedrock,
    fake: () => useFakes().bedrock,
    scenario: { kind: 'stream-error', chunks: ['Die'], error: { type: 'modelStreamErrorException', message: 'The model encountered an error while streaming.' } },
  },
  { title: 'Bedrock model timeout', expected: 'timeout', model: FAKE_MODELS.bedrock, fake: () => useFakes().bedrock, scenario: awsError(408, 'ModelTimeoutException', 'Model has timed out in processing the request.') },
  { title: 'Anthropic request timeout (408)', expected: 'timeout', model: FAKE_MODELS.anthropic, fake: () => useFakes().anthropic, scenario: anthropicError(408, 'timeout_error', 'Request timed out') },
];

describe('provider errors, from realistic server responses', () => {
  it.each(cases)('$title → $expected', async ({ expected, model, fake, scenario, env, mentions }) => {
    if (scenario) fake?.().respondWith(scenario);
    const answer = await ask(model, env?.());
    expect(answer.error?.code).toBe(expected);
    expect(answer.error?.message.length).toBeGreaterThan(20);
    expect(answer.error?.hint?.length).toBeGreaterThan(20);
    if (mentions) expect(`${answer.error?.message} ${answer.error?.hint}`).toMatch(mentions);
    expectNoSecret(answer);
  });

  it('provider_unreachable: Ollama is not running', async () => {
    const answer = await ask(FAKE_MODELS.local, withEnv({ OLLAMA_HOST: `127.0.0.1:${await closedPort()}` }));
    expect(answer.error).toMatchObject({ code: 'provider_unreachable', hint: expect.stringMatching(/ollama serve/) as unknown });
    expect(answer.error?.message).toMatch(/could not reach Ollama at http:\/\/127\.0\.0\.1:\d+/);
  });

  it.each([FAKE_MODELS.openai, FAKE_MODELS.anthropic, FAKE_MODELS.bedrock])('provider_unreachable: nothing listens for %s', async (model) => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const env = withEnv({ OPENAI_BASE_URL: url, ANTHROPIC_BASE_URL: url, AWS_ENDPOINT_URL_BEDROCK_RUNTIME: url });
    const answer = await ask(model, env);
    expect(answer.error?.code).toBe('provider_unreachable');
    expectNoSecret(answer);
  });

  it('cancelled: the user stops the answer', async () => {
    useFakes().anthropic.respondWith({ kind: 'stall', chunks: ['Die'] });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const answer = await ask(FAKE_MODELS.anthropic, useFakes().env, controller.signal);
    expect(answer.error).toMatchObject({ code: 'cancelled', hint: expect.stringMatching(/kept/) as unknown });
    expect(answer.text).toBe('Die');
  });

  it('covers every provider error code', () => {
    const produced = new Set<string>([...cases.map((c) => c.expected), 'provider_unreachable', 'cancelled']);
    const notFromProviders = ['forbidden_sender', 'settings_unwritable', 'internal_error', 'file_unwritable', 'policy_denied', 'settings_locked', 'budget_exceeded'];
    expect(errorCodes.filter((code) => !produced.has(code) && !notFromProviders.includes(code))).toEqual([]);
  });

  it('scrubs a key that a misbehaving server echoes back', async () => {
    useFakes().school.respondWith({
      kind: 'http-error',
      status: 400,
      body: { error: { message: `Bad request from key ${FAKE_KEYS.school} with header Authorization: Bearer ${FAKE_KEYS.school}`, type: 'invalid_request_error' } },
    });
    const answer = await ask(FAKE_MODELS.school);
    expect(answer.error?.code).toBe('invalid_request');
    expect(answer.error?.message).toContain('[redacted]');
    expectNoSecret(answer);
  });
});

function expectNoSecret(answer: CollectedAnswer): void {
  const text = JSON.stringify(answer);
  for (const secret of [...Object.values(FAKE_KEYS), 'wrongKeyWrongKey', 'wrongwrongwrong']) expect(text).not.toContain(secret);
  expect(text).not.toMatch(/Signature=[0-9a-f]{8}/);
}
