import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { StreamPart } from '../../shared/chat';
import { DEFAULT_SETTINGS, type Settings } from '../../shared/settings';
import type { SchoolServerStatus } from '../../shared/school-server';
import { ChatRouter } from '../../electron/core/chat/router';
import { resolveProviderConfig } from '../../electron/core/config/provider-config';
import { effectivePolicy } from '../../electron/core/privacy/policy';
import { PolicyFileSchema, type ManagedPolicy } from '../../electron/core/privacy/policy-file';
import { withSchoolServer } from '../../electron/core/school/school-server';
import { createLiteLlmFake, type LiteLlmFake, type LiteLlmKey } from '../fakes/litellm-fake';
import { FAKE_MODELS, useProviderFakes } from '../support/provider-fakes';
import { runAtelier } from '../support/run-cli';
import { writeSettings } from '../support/settings-file';
import { tempDir } from '../support/temp-dir';
import { startMainProcess } from '../support/main-process';
import { RouteHealthStore } from '../../electron/core/reliability/route-health';
import { openDatabase } from '../../electron/core/store/database';

const useFakes = useProviderFakes();

/** A key per student, shaped as LiteLLM makes them. */
const KEYS = {
  anna: 'sk-Anna5bLiteLlmKey0123456789',
  broke: 'sk-BrokeLiteLlmKey0123456789',
  busy: 'sk-BusyLiteLlmKey01234567890',
} as const;
/** When Anna's budget starts again: in nine days, to the second. */
const RESET_AT = new Date(Math.floor(Date.now() / 1000) * 1000 + 9 * 86_400_000).toISOString();

function keys(): LiteLlmKey[] {
  return [
    { key: KEYS.anna, alias: 'anna-5b', spend: 1.2, maxBudget: 5, budgetDuration: '30d', budgetResetAt: RESET_AT, rpmLimit: 20, tpmLimit: 10_000, maxParallelRequests: 2 },
    { key: KEYS.broke, alias: 'ben-5b', spend: 2, maxBudget: 2, budgetDuration: '30d', budgetResetAt: RESET_AT },
    { key: KEYS.busy, alias: 'cem-5b', spend: 0, maxBudget: null, rpmLimit: 1 },
  ];
}

let litellm: LiteLlmFake;
/** The same proxy as LiteLLM was before it answered a spent budget with 429: HTTP 400. */
let legacy: LiteLlmFake;
beforeAll(async () => {
  litellm = await createLiteLlmFake({ keys: keys() }).start();
  legacy = await createLiteLlmFake({ keys: keys(), budgetStatus: 400 }).start();
});
afterAll(async () => {
  await Promise.all([litellm.close(), legacy.close()]);
});
beforeEach(() => {
  for (const fake of [litellm, legacy]) {
    fake.keys.clear();
    for (const key of keys()) fake.keys.set(key.key, key);
    fake.respondWith();
  }
});

const chats = (fake: LiteLlmFake) => fake.requests.filter((request) => request.path.endsWith('/chat/completions')).length;

/** A data folder (tier `tier`), a school policy file with `policy` in it, and the student's key in the environment. */
async function classroom(policy: object | null, options: { key?: string; settings?: Parameters<typeof writeSettings>[1] } = {}) {
  const home = await tempDir();
  await writeSettings(home, { privacy: { tier: 'non_dsgvo' }, ...options.settings });
  const policyFile = path.join(home, 'policy.json');
  if (policy) await fs.writeFile(policyFile, JSON.stringify(policy));
  const env = { ...useFakes().env, ATELIER_HOME: home, ATELIER_POLICY_FILE: policyFile, ATELIER_ENDPOINT_SCHOOL_KEY: options.key ?? KEYS.anna };
  return { home, env, atelier: (argv: string[], stdin?: string) => runAtelier(argv, { env, ...(stdin !== undefined && { stdin }) }) };
}

/** A router as the app builds it, for a school whose policy file declares `server` (and `extra`). */
function schoolRouter(server: LiteLlmFake, key: string, extra: object = {}) {
  const managed: ManagedPolicy = { state: 'valid', file: 'policy.json', policy: PolicyFileSchema.parse({ schoolServer: { url: `${server.url}/v1`, residency: 'eu' }, ...extra }) };
  const settings: Settings = { ...DEFAULT_SETTINGS, privacy: { tier: 'dsgvo_cloud' } };
  return new ChatRouter({
    policy: () => effectivePolicy(settings, managed),
    config: () => resolveProviderConfig(withSchoolServer(settings, managed), { ATELIER_ENDPOINT_SCHOOL_KEY: key }),
  });
}

async function errorOf(parts: AsyncIterable<StreamPart>) {
  const all: StreamPart[] = [];
  for await (const part of parts) all.push(part);
  return all.find((part): part is Extract<StreamPart, { type: 'error' }> => part.type === 'error') ?? null;
}

const hi = { model: 'school/llama-3.1-70b', messages: [{ role: 'user' as const, content: 'Hallo!' }] };

describe('a school’s LiteLLM proxy', () => {
  it('(its fake) answers the openai SDK streamed and not, with and without /v1, and refuses a key it does not know as LiteLLM does', async () => {
    const { default: OpenAI } = await import('openai');
    for (const baseURL of [`${litellm.url}/v1`, litellm.url]) {
      const client = new OpenAI({ apiKey: KEYS.anna, baseURL, maxRetries: 0 });
      const whole = await client.chat.completions.create({ model: 'llama-3.1-70b', messages: [{ role: 'user', content: 'Hallo' }] });
      expect(whole.choices[0]?.message.content).toBe('Hello from the fake!');
      let streamed = '';
      for await (const chunk of await client.chat.completions.create({ model: 'llama-3.1-70b', messages: [{ role: 'user', content: 'Hallo' }], stream: true })) streamed += chunk.choices[0]?.delta.content ?? '';
      expect(streamed).toBe('Hello from the fake!');
    }
    const stranger = new OpenAI({ apiKey: 'sk-NotAStudentKey0123456789', baseURL: `${litellm.url}/v1`, maxRetries: 0 });
    await expect(stranger.models.list()).rejects.toMatchObject({ status: 401, error: { type: 'auth_error', code: '401' } });
  });

  it('is found by its /key/info answer when it is added, a plain OpenAI-compatible server is not, and nothing is asked where the tier forbids it', async () => {
    const { atelier } = await classroom(null);
    const added = await atelier(['endpoints', 'add', 'school', `${litellm.url}/v1`]);
    expect(added.stdout).toContain('It is a LiteLLM proxy');
    expect(litellm.lastRequest()).toMatchObject({ method: 'GET', path: '/key/info', headers: { authorization: `Bearer ${KEYS.anna}` } });
    const plain = await atelier(['endpoints', 'add', 'lab', `${useFakes().school.url}/v1`]);
    expect(plain.stdout).toContain('not a LiteLLM proxy');
    const listed = JSON.parse((await atelier(['endpoints', 'list', '--json'])).stdout) as { prefix: string; kind?: string }[];
    expect(listed.map(({ prefix, kind }) => ({ prefix, kind }))).toEqual([
      { prefix: 'school', kind: 'litellm' },
      { prefix: 'lab', kind: undefined },
    ]);

    // Under "local only" the proxy (outside the EU, as far as Atelier knows) is not even asked.
    const strict = await classroom(null, { settings: { privacy: { tier: 'dsgvo_local' } } });
    const before = litellm.requests.length;
    const refused = await strict.atelier(['endpoints', 'add', 'school', `${litellm.url}/v1`]);
    expect(refused.stdout).toContain('Atelier could not ask it whether it is a LiteLLM proxy');
    expect(litellm.requests.length).toBe(before);
  });

  it('atelier doctor shows the key’s budget, what is left, when it starts again and its limits, in text and --json, beside what it showed before', async () => {
    const { atelier } = await classroom({ schoolServer: { url: `${litellm.url}/v1`, name: 'Schulserver', residency: 'eu' }, tier: 'dsgvo_cloud' });
    const report = JSON.parse((await atelier(['doctor', '--json'])).stdout) as { schoolServers: SchoolServerStatus[]; providers: { provider: string }[]; hardware: unknown; privacy: unknown; notes: unknown };
    expect(report).toMatchObject({ hardware: expect.any(Object) as unknown, privacy: { tier: 'dsgvo_cloud' }, notes: expect.any(Array) as unknown });
    expect(report.providers.map((provider) => provider.provider)).toContain('school');
    expect(report.schoolServers).toEqual([
      {
        provider: 'school',
        name: 'Schulserver',
        baseUrl: `${litellm.url}/v1`,
        source: 'policy',
        litellm: true,
        key: {
          name: 'anna-5b',
          spentUsd: 1.2,
          maxBudgetUsd: 5,
          remainingUsd: 3.8,
          budgetDuration: '30d',
          budgetResetAt: RESET_AT,
          rpmLimit: 20,
          tpmLimit: 10_000,
          maxParallelRequests: 2,
          models: [],
          expiresAt: null,
        },
      },
    ]);
    const text = (await atelier(['doctor'])).stdout;
    expect(text).toContain('School server school (Schulserver at');
    expect(text).toContain('your key “anna-5b”: $3.80 left of $5.00 ($1.20 spent), starts again');
    expect(text).toContain('limits: 20 requests per minute, 10000 tokens per minute, 2 requests at once');
    expect(text).not.toContain(KEYS.anna.slice(3, 20));

    // A key the server does not know: said as that, with no key information.
    const wrong = await classroom({ schoolServer: { url: `${litellm.url}/v1`, residency: 'eu' }, tier: 'dsgvo_cloud' }, { key: 'sk-NotAStudentKey0123456789' });
    const [status] = (JSON.parse((await wrong.atelier(['doctor', '--json'])).stdout) as { schoolServers: SchoolServerStatus[] }).schoolServers;
    expect(status).toMatchObject({ litellm: true, key: null, error: { code: 'auth_invalid' } });
  });

  it('a rate limit is rate_limited, with the server’s reset time and Retry-After, and is not tried again before it', async () => {
    const router = schoolRouter(litellm, KEYS.busy);
    const before = chats(litellm);
    expect(await errorOf(router.stream(hi))).toBeNull();
    const error = await errorOf(router.stream(hi));
    expect(error).toMatchObject({ code: 'rate_limited', retryAfterMs: 60_000 });
    expect(error?.message).toMatch(/School server limits the requests per minute your key may use, and the limit is reached; it starts again at \d\d:\d\d\./);
    expect(error?.message).toContain('Limit resets at:');
    // Retry-After (60 s) is beyond the retries' deadline: the request was sent once, not again and again.
    expect(chats(litellm) - before).toBe(2);
  });

  it('a key over its budget is budget_exceeded (HTTP 429 now, 400 before), with what is spent and when it starts again', async () => {
    for (const server of [litellm, legacy]) {
      const before = chats(server);
      const error = await errorOf(schoolRouter(server, KEYS.broke).stream(hi));
      expect(error, String(server.url)).toMatchObject({ code: 'budget_exceeded' });
      expect(error?.message).toContain('The budget of your key on School server is used up');
      expect(error?.message).toMatch(/\$2\.00 of \$2\.00 is spent\. It starts again on \d+ \w+ \d{4} at \d\d:\d\d\./);
      expect(error?.message).toContain('Budget has been exceeded!');
      expect(error?.message).not.toContain(KEYS.broke.slice(3, 20));
      // It waits for the reset (the route rests), and it is not retried: one chat request went out.
      expect(error?.retryAfterMs).toBeGreaterThan(8 * 86_400_000);
      expect(chats(server) - before).toBe(1);
    }
    // The class's team budget ran out while Anna's own has $3.80 left: her key's figures are not
    // what ran out, so they are not given as the reason.
    litellm.respondWith({ kind: 'http-error', status: 429, body: { error: { message: 'Budget has been exceeded! Team=5b Current cost: 50.2, Max budget: 50.0', type: 'budget_exceeded', param: null, code: '429' } } });
    const team = await errorOf(schoolRouter(litellm, KEYS.anna).stream(hi));
    expect(team).toMatchObject({ code: 'budget_exceeded', message: expect.stringContaining('Team=5b') as unknown });
    expect(team?.message).not.toContain('is spent.');
    expect(team?.retryAfterMs).toBeUndefined();
  });

  it('after a key’s budget refusal the route rests until the budget starts again (at most a day)', async () => {
    const health = new RouteHealthStore(openDatabase(await tempDir()));
    const managed: ManagedPolicy = { state: 'valid', file: 'policy.json', policy: PolicyFileSchema.parse({ schoolServer: { url: `${litellm.url}/v1`, residency: 'eu' } }) };
    const settings: Settings = { ...DEFAULT_SETTINGS, privacy: { tier: 'dsgvo_cloud' } };
    const router = new ChatRouter({
      policy: () => effectivePolicy(settings, managed),
      config: () => resolveProviderConfig(withSchoolServer(settings, managed), { ATELIER_ENDPOINT_SCHOOL_KEY: KEYS.broke }),
      health: () => health,
    });
    expect(await errorOf(router.stream(hi))).toMatchObject({ code: 'budget_exceeded' });
    const route = health.list().find((entry) => entry.provider === 'school');
    expect(route?.state).toBe('cooling');
    const until = Date.parse(route?.coolingUntil ?? '');
    expect(until - Date.now()).toBeGreaterThan(23 * 3_600_000);
    expect(until - Date.now()).toBeLessThanOrEqual(24 * 3_600_000);
  });

  it('its answers are not held against this machine’s budget, where an unpriced or priced plain endpoint’s are', async () => {
    const price = { input: 1000, output: 1000 };
    const budget = { dailyUsd: 0.01, monthlyUsd: null };
    // The school's server, priced by the policy: answered, and nothing spent or held here.
    const school = await classroom({ schoolServer: { url: `${litellm.url}/v1`, residency: 'eu', price } }, { settings: { budget } });
    const answered = JSON.parse((await school.atelier(['chat', '--json', '-m', 'school/llama-3.1-70b', 'Hallo'])).stdout) as { text: string; error?: unknown };
    expect(answered).toMatchObject({ text: 'Hello from the fake!' });
    expect(answered.error ?? null).toBeNull();
    expect(JSON.parse((await school.atelier(['budget', 'show', '--json'])).stdout)).toMatchObject({ dailyUsd: 0.01, spentTodayUsd: 0, reservedUsd: 0 });

    // The same proxy added by hand: found to be LiteLLM, so the same.
    const byHand = await classroom(null, { settings: { budget } });
    await byHand.atelier(['endpoints', 'add', 'school', `${litellm.url}/v1`, '--price', '1000/1000']);
    expect(JSON.parse((await byHand.atelier(['chat', '--json', '-m', 'school/llama-3.1-70b', 'Hallo'])).stdout)).toMatchObject({ text: 'Hello from the fake!' });

    // A plain OpenAI-compatible server at that price does not fit the budget: refused, nothing sent.
    const plain = await classroom(null, { settings: { budget } });
    await plain.atelier(['endpoints', 'add', 'lab', `${useFakes().school.url}/v1`, '--price', '1000/1000']);
    const before = useFakes().school.requests.length;
    const refused = JSON.parse((await plain.atelier(['chat', '--json', '-m', 'lab/llama-3.1-70b', 'Hallo'])).stdout) as { error: { code: string } };
    expect(refused).toMatchObject({ error: { code: 'budget_exceeded' } });
    expect(useFakes().school.requests.length).toBe(before);
  });

  it('the policy file points every machine at it, lists its models live, and can pin it as the only provider', async () => {
    const policy = { schoolServer: { url: `${litellm.url}/v1`, name: 'Schulserver', residency: 'eu' }, tier: 'dsgvo_cloud', allowedProviders: ['school'] };
    const { home, atelier } = await classroom(policy);
    // Nobody added it: it is there, with its live list, and the settings file does not hold it.
    const models = JSON.parse((await atelier(['models', '--json'])).stdout) as { provider: string; source: string; models: { id: string }[] }[];
    expect(models.find((listing) => listing.provider === 'school')).toMatchObject({ source: 'live', models: [{ id: 'school/llama-3.1-70b' }] });
    expect((JSON.parse(await fs.readFile(path.join(home, 'settings.json'), 'utf8')) as Settings).endpoints).toEqual([]);
    expect((await atelier(['chat', '-m', 'school/llama-3.1-70b', 'Hallo'])).stdout).toBe('Hello from the fake!\n');

    // Every other provider is refused before anything is sent.
    const ollamaChats = () => useFakes().ollama.requests.filter((request) => request.path === '/api/chat').length;
    const before = { openai: useFakes().openai.requests.length, ollama: ollamaChats() };
    for (const model of [FAKE_MODELS.openai, FAKE_MODELS.local]) {
      const refused = JSON.parse((await atelier(['chat', '--json', '-m', model, 'Hallo'])).stdout) as { error: { code: string; message: string } };
      expect(refused, model).toMatchObject({ error: { code: 'policy_denied', message: expect.stringContaining('Your school’s policy does not allow') as unknown } });
    }
    expect({ openai: useFakes().openai.requests.length, ollama: ollamaChats() }).toEqual(before);

    // The roles: none of Atelier's own picks is allowed, so it says so; the school's model can be set for one.
    expect((await atelier(['chat', '-m', 'fast', 'Hallo'])).stderr).toContain('not allowed by your school');
    expect((await atelier(['settings', 'set', 'roles.fast', 'school/llama-3.1-70b'])).code).toBe(0);
    expect((await atelier(['chat', '-m', 'fast', 'Hallo'])).stdout).toBe('Hello from the fake!\n');

    // Nobody points its prefix at another server.
    const moved = await atelier(['endpoints', 'add', 'school', `${useFakes().school.url}/v1`]);
    expect(moved.code).toBe(1);
    expect(moved.stderr).toContain('Your school sets the endpoint “school” to its own server');

    // When the school locks settings, each student still saves their own key for its server, and no other.
    const locked = await classroom({ ...policy, lockSettings: true });
    expect((await locked.atelier(['auth', 'set', 'endpoint:school'], 'sk-OwnStudentKey0123456789')).code).toBe(0);
    expect((await locked.atelier(['auth', 'set', 'anthropic'], 'sk-ant-api03-notallowednotallowed')).stderr).toContain('Your school manages the providers and their keys');
  });
});

describe('the school’s server in the app', () => {
  it('is in the settings in force and the picker, its key’s budget comes over IPC, and the student saves their own key under lockSettings', async () => {
    const home = await tempDir();
    await writeSettings(home, { privacy: { tier: 'dsgvo_cloud' } });
    const policyFile = path.join(home, 'policy.json');
    await fs.writeFile(policyFile, JSON.stringify({ schoolServer: { url: `${litellm.url}/v1`, name: 'Schulserver', residency: 'eu' }, allowedProviders: ['school'], lockSettings: true }));
    const main = await startMainProcess(home, ['app://atelier'], { ...useFakes().env, ATELIER_POLICY_FILE: policyFile, ATELIER_ENDPOINT_SCHOOL_KEY: undefined });
    const app = { url: 'app://atelier/' };
    try {
      const state = (await main.dispatch('settings:get', undefined, app)) as { ok: true; value: { settings: Settings } };
      expect(state.value.settings.endpoints).toEqual([expect.objectContaining({ prefix: 'school', name: 'Schulserver' })]);
      // The student's own key, though the school locks settings; no other key.
      expect(await main.dispatch('providers:set-secret', { name: 'endpoint:school', value: KEYS.anna, sessionOnly: true }, app)).toMatchObject({ ok: true });
      expect(await main.dispatch('providers:set-secret', { name: 'anthropic', value: 'sk-ant-api03-notallowednotallowed', sessionOnly: true }, app)).toMatchObject({ ok: false, error: { code: 'settings_locked' } });
      const status = (await main.dispatch('school:get-status', undefined, app)) as { ok: true; value: { servers: SchoolServerStatus[] } };
      expect(status.value.servers).toEqual([expect.objectContaining({ provider: 'school', litellm: true, key: expect.objectContaining({ spentUsd: 1.2, maxBudgetUsd: 5, remainingUsd: 3.8, rpmLimit: 20 }) as unknown })]);
      const catalogue = (await main.dispatch('models:get-catalogue', undefined, app)) as { ok: true; value: { groups: { provider: string; models: { id: string; available: boolean }[] }[] } };
      expect(catalogue.value.groups.find((group) => group.provider === 'school')?.models).toEqual([expect.objectContaining({ id: 'school/llama-3.1-70b', available: true })]);
      expect(main.internalErrors).toEqual([]);
    } finally {
      await main.services.close();
    }
  });
});
