import { afterAll, beforeAll, beforeEach } from 'vitest';
import { createAnthropicFake } from '../fakes/anthropic-fake';
import { createBedrockFake } from '../fakes/bedrock-fake';
import type { LoopbackServer } from '../fakes/loopback-server';
import { createOllamaFake } from '../fakes/ollama-fake';
import { createOpenAiFake } from '../fakes/openai-fake';

/** Keys the fakes accept. Shaped like real ones, so redaction is tested on realistic input. */
export const FAKE_KEYS = {
  openai: 'sk-proj-fakeOpenAiKey0123456789abcdef',
  openrouter: 'sk-or-v1-fake0123456789abcdef0123456789',
  anthropic: 'sk-ant-api03-fakeAnthropicKey0123456789',
  school: 'sk-school-fakeProxyKey0123456789',
  awsAccessKeyId: 'AKIAFAKEFAKEFAKE0001',
  awsSecret: 'fakeSecretAccessKey/0123456789abcdefghijABCDEFGH',
} as const;

export interface ProviderFakes {
  openai: LoopbackServer;
  openrouter: LoopbackServer;
  anthropic: LoopbackServer;
  ollama: ReturnType<typeof createOllamaFake>;
  bedrock: LoopbackServer;
  school: LoopbackServer;
  /** Environment pointing every provider at its fake, with valid keys. */
  env: Record<string, string>;
  close(): Promise<void>;
}

/** One model id per provider that its fake serves. */
export const FAKE_MODELS = {
  openai: 'openai/gpt-fake-mini',
  openrouter: 'openrouter/anthropic/claude-sonnet-4.5',
  anthropic: 'anthropic/claude-fake-4-5',
  local: 'local/llama3.2:3b',
  bedrock: 'bedrock/eu.anthropic.claude-haiku-4-5-20251001-v1:0',
  school: 'school/llama-3.1-70b',
} as const;

/** Starts a fake for every provider (and one custom endpoint, "school") on loopback. */
export async function startProviderFakes(): Promise<ProviderFakes> {
  const fakes = {
    openai: await createOpenAiFake({ validKey: FAKE_KEYS.openai }).start(),
    openrouter: await createOpenAiFake({ validKey: FAKE_KEYS.openrouter, flavor: 'openrouter', models: ['anthropic/claude-sonnet-4.5'] }).start(),
    anthropic: await createAnthropicFake({ validKey: FAKE_KEYS.anthropic }).start(),
    ollama: await createOllamaFake({ models: ['llama3.2:3b', 'qwen2.5:7b'] }).start(),
    bedrock: await createBedrockFake({ accessKeyId: FAKE_KEYS.awsAccessKeyId, streamingUnsupported: ['openai.gpt-oss-120b-1:0'] }).start({ http2: true }),
    school: await createOpenAiFake({ validKey: FAKE_KEYS.school, models: ['llama-3.1-70b'] }).start(),
  };
  return {
    ...fakes,
    env: {
      OPENAI_API_KEY: FAKE_KEYS.openai,
      OPENAI_BASE_URL: `${fakes.openai.url}/v1`,
      OPENROUTER_API_KEY: FAKE_KEYS.openrouter,
      OPENROUTER_BASE_URL: `${fakes.openrouter.url}/api/v1`,
      ANTHROPIC_API_KEY: FAKE_KEYS.anthropic,
      ANTHROPIC_BASE_URL: fakes.anthropic.url,
      OLLAMA_HOST: fakes.ollama.url,
      AWS_ACCESS_KEY_ID: FAKE_KEYS.awsAccessKeyId,
      AWS_SECRET_ACCESS_KEY: FAKE_KEYS.awsSecret,
      AWS_REGION: 'eu-central-1',
      AWS_ENDPOINT_URL_BEDROCK_RUNTIME: fakes.bedrock.url,
      // The control plane (model listings) over HTTP/1.1, as AWS's own SDK client speaks it.
      AWS_ENDPOINT_URL_BEDROCK: fakes.bedrock.http1Url,
      ATELIER_ENDPOINT_SCHOOL_KEY: FAKE_KEYS.school,
    },
    close: async () => {
      await Promise.all(Object.values(fakes).map((fake) => fake.close()));
    },
  };
}

/** The settings that add the "school" endpoint, pointing at its fake. */
export function schoolEndpoint(fakes: ProviderFakes) {
  return { prefix: 'school', name: 'School proxy', baseUrl: `${fakes.school.url}/v1` };
}

/**
 * Starts the fakes once for a test file and resets every fake to its default answer before
 * each test. Returns a getter, since the fakes exist only once beforeAll has run.
 */
export function useProviderFakes(): () => ProviderFakes {
  let fakes: ProviderFakes | undefined;
  beforeAll(async () => {
    fakes = await startProviderFakes();
  });
  afterAll(() => fakes?.close());
  beforeEach(() => {
    if (!fakes) return;
    for (const fake of [fakes.openai, fakes.openrouter, fakes.anthropic, fakes.ollama, fakes.bedrock, fakes.school]) fake.respondWith();
  });
  return () => {
    if (!fakes) throw new Error('The provider fakes start in beforeAll; use them inside a test.');
    return fakes;
  };
}
