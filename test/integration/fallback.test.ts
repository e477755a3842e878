import path from 'node:path';
import fs from 'node:fs/promises';
import type { DatabaseSync } from 'node:sqlite';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PrivacyTier } from '../../shared/choices';
import { DEFAULT_SETTINGS, type Settings } from '../../shared/settings';
import { collectAnswer } from '../../electron/core/chat/collect';
import { ChatRouter } from '../../electron/core/chat/router';
import { resolveProviderConfig } from '../../electron/core/config/provider-config';
import { EgressLog } from '../../electron/core/privacy/egress-log';
import { effectivePolicy, UNRESTRICTED, type PrivacyPolicy } from '../../electron/core/privacy/policy';
import { RouteHealthStore } from '../../electron/core/reliability/route-health';
import type { RetryPolicy } from '../../electron/core/reliability/retry';
import { openDatabase } from '../../electron/core/store/database';
import { BudgetLedger } from '../../electron/core/usage/budget-ledger';
import type { LoopbackServer } from '../fakes/loopback-server';
import type { Scenario } from '../fakes/scenario';
import { FAKE_MODELS, schoolEndpoint, useProviderFakes } from '../support/provider-fakes';
import { runAtelier } from '../support/run-cli';
import { anyProviderHome, writeSettings } from '../support/settings-file';
import { tempDir } from '../support/temp-dir';

const useFakes = useProviderFakes();
const FAST_RETRIES: RetryPolicy = { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 20, deadlineMs: 5000 };
const UNAVAILABLE: Scenario = { kind: 'http-error', status: 503, body: { error: { message: 'The engine is currently overloaded.', type: 'server_error', param: null, code: null } } };
const ANSWER: Scenario = { kind: 'answer', chunks: ['Antwort', ' da'] };

let db: DatabaseSync;
let settings: Settings;
let policy: PrivacyPolicy;
beforeEach(async () => {
  db = openDatabase(await tempDir());
  settings = { ...DEFAULT_SETTINGS, endpoints: [schoolEndpoint(useFakes())] };
  policy = UNRESTRICTED;
});
afterEach(() => db.close());

function router(health = new RouteHealthStore(db)) {
  const egress = new EgressLog(db);
  const ledger = new BudgetLedger(db);
  return new ChatRouter({
    policy: () => policy,
    config: () => ({ ...resolveProviderConfig(settings, useFakes().env), timeouts: { firstTokenMs: 2000, idleMs: 2000 } }),
    onEgress: (entry) => egress.record(entry),
    ledger: () => ledger,
    health: () => health,
    retry: FAST_RETRIES,
  });
}

const ask = (model: string, use = router()) => collectAnswer(use.stream({ model, messages: [{ role: 'user', content: 'Sag hallo.' }] }));
const chatRequests = (fake: LoopbackServer, from: number) => fake.requests.slice(from).filter((request) => /\/(chat\/completions|messages|api\/chat|converse-stream)$/.test(request.path.split('?')[0] ?? '')).length;

describe('route health', () => {
  it('cools a route down after three failures in a row that may pass; a success ends it; a wrong key does not count', () => {
    const health = new RouteHealthStore(db);
    const key = { provider: 'openai', modelId: 'gpt-4o-mini', place: 'api.openai.com' };
    const now = new Date('2026-12-01T10:00:00Z');
    health.failed(key, 'provider_error', undefined, now);
    health.failed(key, 'auth_invalid', undefined, now);
    health.failed(key, 'rate_limited', undefined, now);
    expect(health.coolingUntil(key, now)).toBeNull();
    expect(health.list(now)[0]).toMatchObject({ state: 'degraded', failures: 2, lastErrorCode: 'rate_limited' });
    health.failed(key, 'timeout', 90_000, now);
    expect(health.coolingUntil(key, now)?.toISOString()).toBe('2026-12-01T10:01:30.000Z');
    expect(health.list(now)[0]).toMatchObject({ state: 'cooling', failures: 3 });
    expect(health.coolingUntil(key, new Date('2026-12-01T10:02:00Z'))).toBeNull();
    health.succeeded(key, now);
    expect(health.list(now)[0]).toMatchObject({ state: 'ok', failures: 0, coolingUntil: null });
  });

  it('a Retry-After of years cools a route for an hour at most; a failure that does not count leaves a cool-down as it is', () => {
    const health = new RouteHealthStore(db);
    const key = { provider: 'openai', modelId: 'gpt-4o-mini', place: 'api.openai.com' };
    const now = new Date('2026-12-01T10:00:00Z');
    for (let i = 0; i < 3; i++) health.failed(key, 'rate_limited', 9_999_999_999_000, now);
    expect(health.coolingUntil(key, now)?.toISOString()).toBe('2026-12-01T11:00:00.000Z');
    health.failed(key, 'invalid_request', undefined, now);
    expect(health.list(now)[0]).toMatchObject({ state: 'cooling', coolingUntil: '2026-12-01T11:00:00.000Z' });
  });

  it('an unreachable route that cools down is "down"', () => {
    const health = new RouteHealthStore(db);
    const key = { provider: 'local', modelId: 'llama3.2:3b', place: '127.0.0.1' };
    for (let i = 0; i < 3; i++) health.failed(key, 'provider_unreachable');
    expect(health.list()[0]?.state).toBe('down');
  });
});

describe('fallback chains', () => {
  it('no chain, no fallback: the error of the model asked for', async () => {
    useFakes().openai.respondWith(UNAVAILABLE);
    const answer = await ask(FAKE_MODELS.openai);
    expect(answer.error?.code).toBe('provider_error');
  });

  it('the first model fails for good before any text: the next answers, and the provenance says from which and why', async () => {
    settings = { ...settings, fallbacks: { [FAKE_MODELS.openai]: [FAKE_MODELS.anthropic] } };
    policy = { ...UNRESTRICTED, fallbacks: effectivePolicy(settings, { state: 'none' }).fallbacks ?? {} };
    useFakes().openai.respondWith(UNAVAILABLE);
    useFakes().anthropic.respondWith(ANSWER);
    const before = useFakes().openai.requests.length;
    const answer = await ask(FAKE_MODELS.openai);
    expect(answer.error).toBeNull();
    expect(answer.text).toBe('Antwort da');
    expect(answer.provenance).toMatchObject({ provider: 'anthropic', fallbackFrom: FAKE_MODELS.openai, fallbackReason: 'provider_error' });
    expect(answer.notices.join(' ')).toMatch(/next model of its fallback chain answers/);
    expect(chatRequests(useFakes().openai, before)).toBe(2);
    // The record shows every try: two to OpenAI that failed, one to Anthropic that answered.
    expect(new EgressLog(db).list().reverse().map((entry) => [entry.provider, entry.outcome])).toEqual([
      ['openai', 'failed'],
      ['openai', 'failed'],
      ['anthropic', 'completed'],
    ]);
  });

  it('a model cooling down is passed over without a request; with no other model left it is asked all the same', async () => {
    settings = { ...settings, fallbacks: { [FAKE_MODELS.openai]: [FAKE_MODELS.anthropic] } };
    policy = { ...UNRESTRICTED, fallbacks: effectivePolicy(settings, { state: 'none' }).fallbacks ?? {} };
    const health = new RouteHealthStore(db);
    useFakes().openai.respondWith(UNAVAILABLE);
    // Real traffic cools it: answers that fail (no chain yet, so each ends with its error).
    const noChain = { ...policy, fallbacks: {} };
    const saved = policy;
    policy = noChain;
    for (let i = 0; i < 2; i++) await ask(FAKE_MODELS.openai, router(health));
    policy = saved;
    expect(health.list().find((route) => route.provider === 'openai')?.state).toBe('cooling');
    const before = useFakes().openai.requests.length;
    useFakes().anthropic.respondWith(ANSWER);
    const answer = await ask(FAKE_MODELS.openai, router(health));
    expect(answer.provenance).toMatchObject({ provider: 'anthropic', fallbackReason: 'cooling' });
    expect(chatRequests(useFakes().openai, before)).toBe(0);
    // Without a chain the cooling model is still asked.
    policy = noChain;
    useFakes().openai.respondWith(ANSWER);
    expect((await ask(FAKE_MODELS.openai, router(health))).error).toBeNull();
    expect(health.list().find((route) => route.provider === 'openai')?.state).toBe('ok');
  });

  it('a fallback the tier forbids is skipped, never asked; the next allowed one answers', async () => {
    settings = { ...settings, privacy: { tier: 'dsgvo_local' }, fallbacks: { [FAKE_MODELS.local]: [FAKE_MODELS.openai, 'local/qwen2.5:7b'] } };
    policy = effectivePolicy(settings, { state: 'none' });
    useFakes().ollama.respondWith({ kind: 'reset' });
    const openaiBefore = useFakes().openai.requests.length;
    const answer = await ask(FAKE_MODELS.local);
    expect(useFakes().openai.requests.length).toBe(openaiBefore);
    expect(answer.notices.join(' ')).toMatch(/The fallback openai\/gpt-fake-mini was skipped: The privacy setting/);
    // qwen is on the same (failing) Ollama: it fails too, and the error is the real one.
    expect(answer.error?.code).toBe('provider_error');
    useFakes().ollama.respondWith({ kind: 'reset' }, { kind: 'reset' }, ANSWER);
    const second = await ask(FAKE_MODELS.local);
    expect(second.error).toBeNull();
    expect(second.provenance).toMatchObject({ modelId: 'qwen2.5:7b', fallbackFrom: FAKE_MODELS.local });
  });

  it('a fallback over the budget is skipped', async () => {
    settings = { ...settings, fallbacks: { [FAKE_MODELS.local]: ['anthropic/claude-sonnet-4-6', 'local/qwen2.5:7b'] }, budget: { dailyUsd: 0.000001, monthlyUsd: null } };
    policy = { ...effectivePolicy(settings, { state: 'none' }), tier: 'non_dsgvo' };
    useFakes().ollama.respondWith(UNAVAILABLE, UNAVAILABLE, ANSWER);
    const before = useFakes().anthropic.requests.length;
    const answer = await ask(FAKE_MODELS.local);
    expect(answer.error).toBeNull();
    expect(answer.provenance?.modelId).toBe('qwen2.5:7b');
    expect(answer.notices.join(' ')).toMatch(/claude-sonnet-4-6 was skipped: This answer could cost up to/);
    expect(useFakes().anthropic.requests.length).toBe(before);
  });

  it('a fallback that cannot answer (no key, no such model) is passed over too, and the next one answers; tries add up', async () => {
    settings = { ...settings, fallbacks: { [FAKE_MODELS.openai]: [FAKE_MODELS.openrouter, 'local/llama-typo', FAKE_MODELS.local] } };
    policy = { ...UNRESTRICTED, fallbacks: effectivePolicy(settings, { state: 'none' }).fallbacks ?? {} };
    useFakes().openai.respondWith(UNAVAILABLE);
    useFakes().ollama.respondWith(ANSWER);
    const env = { ...useFakes().env };
    delete (env as Record<string, string | undefined>).OPENROUTER_API_KEY;
    const health = new RouteHealthStore(db);
    const withoutOpenRouterKey = new ChatRouter({
      policy: () => policy,
      config: () => ({ ...resolveProviderConfig(settings, env), timeouts: { firstTokenMs: 2000, idleMs: 2000 } }),
      health: () => health,
      retry: FAST_RETRIES,
    });
    const answer = await ask(FAKE_MODELS.openai, withoutOpenRouterKey);
    expect(answer.error).toBeNull();
    expect(answer.provenance).toMatchObject({ provider: 'local', modelId: 'llama3.2:3b', fallbackFrom: FAKE_MODELS.openai, fallbackReason: 'provider_error' });
    expect(answer.notices.join(' ')).toMatch(/openrouter\/anthropic\/claude-sonnet-4.5 could not answer/);
    // Two tries at OpenAI, one each at OpenRouter (no key) and the typo (no such model), one at llama3.2.
    expect(answer.attempts).toBe(5);
  });

  it('a model that fails for good without being busy (no credit left, a wrong key) hands over as well', async () => {
    settings = { ...settings, fallbacks: { [FAKE_MODELS.openai]: [FAKE_MODELS.local] } };
    policy = { ...UNRESTRICTED, fallbacks: effectivePolicy(settings, { state: 'none' }).fallbacks ?? {} };
    useFakes().ollama.respondWith(ANSWER);
    for (const [failure, reason] of [
      [{ kind: 'http-error', status: 429, body: { error: { message: 'You exceeded your current quota.', type: 'insufficient_quota', param: null, code: 'insufficient_quota' } } }, 'quota_exceeded'],
      [{ kind: 'http-error', status: 401, body: { error: { message: 'Incorrect API key provided.', type: 'invalid_request_error', param: null, code: 'invalid_api_key' } } }, 'auth_invalid'],
    ] as const) {
      useFakes().openai.respondWith(failure);
      const before = useFakes().openai.requests.length;
      const answer = await ask(FAKE_MODELS.openai);
      expect(answer.provenance, reason).toMatchObject({ provider: 'local', fallbackReason: reason });
      expect(chatRequests(useFakes().openai, before), reason).toBe(1);
    }
  });

  it('a server error before any text is not charged to the budget', async () => {
    policy = { ...UNRESTRICTED, budget: { dailyUsd: 5, monthlyUsd: null, source: 'settings' } };
    useFakes().anthropic.respondWith({ kind: 'http-error', status: 529, body: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } } });
    await ask('anthropic/claude-sonnet-4-6');
    expect(new BudgetLedger(db).spent().todayUsd).toBe(0);
  });

  it('a chain set for a role holds for the model the role is set to; the school’s chains win', () => {
    const withRole: Settings = { ...settings, roles: { ...settings.roles, fast: FAKE_MODELS.openai }, fallbacks: { fast: [FAKE_MODELS.local] } };
    expect(effectivePolicy(withRole, { state: 'none' }).fallbacks).toEqual({ [FAKE_MODELS.openai]: [FAKE_MODELS.local] });
    const school = effectivePolicy(withRole, { state: 'valid', file: '/etc/atelier/policy.json', policy: { fallbacks: { [FAKE_MODELS.openai]: [FAKE_MODELS.bedrock] } } });
    expect(school.fallbacks).toEqual({ [FAKE_MODELS.openai]: [FAKE_MODELS.bedrock] });
  });
});

describe('property: over generated chains, tiers and failures', () => {
  const pool = [FAKE_MODELS.local, FAKE_MODELS.openai, FAKE_MODELS.anthropic, FAKE_MODELS.bedrock, FAKE_MODELS.school, FAKE_MODELS.openrouter] as const;
  const fakeOf = (model: string): LoopbackServer => {
    const fakes = useFakes();
    const prefix = model.slice(0, model.indexOf('/'));
    return ({ local: fakes.ollama, openai: fakes.openai, anthropic: fakes.anthropic, bedrock: fakes.bedrock, school: fakes.school, openrouter: fakes.openrouter } as Record<string, LoopbackServer>)[prefix] as LoopbackServer;
  };
  const faults: Scenario[] = [ANSWER, UNAVAILABLE, { kind: 'reset' }, { kind: 'die-midway', chunks: ['halb'] }, { kind: 'stream-error', chunks: ['Teil'], error: { type: 'overloaded_error', message: 'Overloaded' } }];

  it('never sends to a route the tier forbids, and never tries again after the first text', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom<PrivacyTier>('dsgvo_local', 'dsgvo_cloud', 'non_dsgvo'),
        fc.constantFrom(...pool),
        fc.uniqueArray(fc.constantFrom(...pool), { maxLength: 3 }),
        fc.array(fc.constantFrom(...faults), { minLength: pool.length, maxLength: pool.length }),
        async (tier, primary, chain, scenarios) => {
          settings = { ...DEFAULT_SETTINGS, endpoints: [schoolEndpoint(useFakes())], privacy: { tier }, fallbacks: chain.filter((model) => model !== primary).length > 0 ? { [primary]: chain.filter((model) => model !== primary) } : {} };
          // The school vouches for the Bedrock fake's address as in the EU, so dsgvo_cloud has an EU route.
          policy = effectivePolicy(settings, { state: 'valid', file: '/etc/atelier/policy.json', policy: { hosts: { [new URL(useFakes().bedrock.url).host]: 'eu' } } });
          pool.forEach((model, index) => fakeOf(model).respondWith(scenarios[index] ?? ANSWER));
          const before = new Map(pool.map((model) => [model, chatRequests(fakeOf(model), 0)]));
          const answer = await ask(primary, router(new RouteHealthStore(db)));
          for (const model of pool) {
            const sent = chatRequests(fakeOf(model), 0) - (before.get(model) ?? 0);
            const allowedHere = tier === 'non_dsgvo' || model === FAKE_MODELS.local || (tier === 'dsgvo_cloud' && model === FAKE_MODELS.bedrock);
            if (!allowedHere) expect(sent, `${model} under ${tier}`).toBe(0);
            // A failure after text (die-midway, an error event after text) is never tried again.
            const scenario = scenarios[pool.indexOf(model)];
            if (scenario && (scenario.kind === 'die-midway' || scenario.kind === 'stream-error')) expect(sent, `${model} retried after text`).toBeLessThanOrEqual(1);
          }
          if (answer.provenance) {
            const used = `${answer.provenance.provider}/${answer.provenance.modelId}`;
            expect(tier === 'non_dsgvo' || used.startsWith('local/') || (tier === 'dsgvo_cloud' && used.startsWith('bedrock/'))).toBe(true);
          }
        },
      ),
      { numRuns: 40 },
    );
  }, 120_000);
});

describe('atelier fallback and atelier status', () => {
  it('set, list, clear; bad ids and self-loops refused; status shows a cooling route', async () => {
    const home = await anyProviderHome();
    const env = { ...useFakes().env, ATELIER_HOME: home };
    expect((await runAtelier(['fallback', 'set', FAKE_MODELS.openai, FAKE_MODELS.anthropic, FAKE_MODELS.local], { env })).code).toBe(0);
    expect((await runAtelier(['fallback', 'set', 'fast', FAKE_MODELS.local], { env })).code).toBe(0);
    expect(JSON.parse((await runAtelier(['fallback', 'list', '--json'], { env })).stdout)).toEqual({
      source: 'settings',
      fallbacks: { [FAKE_MODELS.openai]: [FAKE_MODELS.anthropic, FAKE_MODELS.local], fast: [FAKE_MODELS.local] },
    });
    for (const bad of [['fallback', 'set', 'gpt-4o', FAKE_MODELS.local], ['fallback', 'set', FAKE_MODELS.local, 'not a model'], ['fallback', 'set', FAKE_MODELS.local, FAKE_MODELS.local], ['fallback', 'clear', 'slow']]) {
      const refused = await runAtelier(bad, { env });
      expect(refused.code, bad.join(' ')).not.toBe(0);
      expect(refused.stderr, bad.join(' ')).toMatch(/Error: /);
    }
    expect((await runAtelier(['fallback', 'clear', 'fast'], { env })).stdout).toMatch(/Removed the chain of fast/);

    // Three answers that fail against OpenAI (no chain for gpt-4o-mini… use a model with none).
    useFakes().openai.respondWith(UNAVAILABLE);
    for (let i = 0; i < 1; i++) await runAtelier(['chat', '-m', 'openai/gpt-4o-mini', '--json', 'hi'], { env });
    const status = JSON.parse((await runAtelier(['status', '--json', '--no-check'], { env })).stdout) as { providers: { provider: string; state: string }[]; routes: { provider: string; modelId: string; state: string; lastErrorCode: string }[] };
    expect(status.routes.find((route) => route.modelId === 'gpt-4o-mini')).toMatchObject({ state: 'cooling', lastErrorCode: 'provider_error' });
    expect(status.providers.find((provider) => provider.provider === 'openai')?.state).toBe('cooling');
    const text = await runAtelier(['status', '--no-check'], { env });
    expect(text.stdout).toMatch(/openai +cooling down until \d\d:\d\d:\d\d \(last error: provider_error\)/);
    // --check asks the providers for their model lists (free): a listing that works marks the provider ok at '*'.
    const checked = JSON.parse((await runAtelier(['status', '--json'], { env })).stdout) as { routes: { provider: string; modelId: string; state: string }[] };
    expect(checked.routes.find((route) => route.provider === 'anthropic' && route.modelId === '*')?.state).toBe('ok');
  }, 60_000);

  it('the school’s chains are pinned; the classroom lock keeps them', async () => {
    const home = await anyProviderHome();
    const policyFile = path.join(home, 'policy.json');
    await fs.writeFile(policyFile, JSON.stringify({ fallbacks: { [FAKE_MODELS.openai]: [FAKE_MODELS.local] } }));
    const env = { ...useFakes().env, ATELIER_HOME: home, ATELIER_POLICY_FILE: policyFile };
    const refused = await runAtelier(['fallback', 'set', FAKE_MODELS.openai, FAKE_MODELS.anthropic], { env });
    expect(refused.stderr).toMatch(/Your school sets the fallback chains/);
    expect(JSON.parse((await runAtelier(['fallback', 'list', '--json'], { env })).stdout)).toMatchObject({ source: 'policy' });
    const lockedHome = await anyProviderHome();
    await writeSettings(lockedHome, { fallbacks: { [FAKE_MODELS.openai]: [FAKE_MODELS.local] } });
    const lockedEnv = { ...useFakes().env, ATELIER_HOME: lockedHome };
    expect((await runAtelier(['lock'], { env: lockedEnv, stdin: 'teacher-password\n' })).code).toBe(0);
    expect((await runAtelier(['fallback', 'clear', FAKE_MODELS.openai], { env: lockedEnv })).stderr).toMatch(/locked for this class/);
  });
});
