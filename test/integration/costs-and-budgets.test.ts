import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StreamPart } from '../../shared/chat';
import { DEFAULT_SETTINGS, type Settings } from '../../shared/settings';
import { collectAnswer } from '../../electron/core/chat/collect';
import { ChatRouter } from '../../electron/core/chat/router';
import { resolveProviderConfig } from '../../electron/core/config/provider-config';
import { EgressLog } from '../../electron/core/privacy/egress-log';
import { effectivePolicy, UNRESTRICTED, type PrivacyPolicy } from '../../electron/core/privacy/policy';
import { openDatabase } from '../../electron/core/store/database';
import { BudgetLedger } from '../../electron/core/usage/budget-ledger';
import { Ledgers } from '../../electron/core/usage/ledgers';
import { pinsFrom, type LockPins } from '../../electron/core/privacy/lock-pins';
import { PRICE_TABLE, type Price } from '../../electron/core/usage/prices';
import { estimateInputTokens } from '../../electron/core/usage/spending';
import { usageDetails, usageReport } from '../../electron/core/usage/usage-report';
import { FAKE_MODELS, schoolEndpoint, useProviderFakes } from '../support/provider-fakes';
import { buildCli } from '../support/built-cli';
import { runAtelier } from '../support/run-cli';
import { anyProviderHome, writeSettings } from '../support/settings-file';
import { tempDir } from '../support/temp-dir';

const useFakes = useProviderFakes();
const PROMPT = 'one two three';
const CHUNKS = ['Guten', ' Tag', ', Klasse', ' 5b!'];
const ask = (model: string, maxTokens?: number) => ({ model, messages: [{ role: 'user' as const, content: PROMPT }], ...(maxTokens !== undefined && { maxTokens }) });
/** What the fakes report for PROMPT and CHUNKS: a token per word in, one per chunk out. */
const TOKENS = { input: 3, output: CHUNKS.length };
const usd = (price: Price, tokens: { input: number; output: number; cacheRead?: number; cacheWrite?: number }) =>
  (tokens.input * price.input + tokens.output * price.output + (tokens.cacheRead ?? 0) * (price.cacheRead ?? 0) + (tokens.cacheWrite ?? 0) * (price.cacheWrite ?? 0)) / 1_000_000;

const table = PRICE_TABLE.providers;
const SONNET = table.anthropic.models['claude-sonnet-4-6'] as Price;
const HAIKU_BEDROCK = table.bedrock.models['anthropic.claude-haiku-4-5-20251001-v1:0'];
const GPT_MINI = table.openai.models['gpt-4o-mini'] as Price;
const HAIKU = table.anthropic.models['claude-haiku-4-5'] as Price;

let settings: Settings;
let db: DatabaseSync;
let policy: PrivacyPolicy;
beforeEach(async () => {
  settings = { ...DEFAULT_SETTINGS, privacy: { tier: 'non_dsgvo' }, endpoints: [schoolEndpoint(useFakes())] };
  db = openDatabase(await tempDir());
  policy = UNRESTRICTED;
});
afterEach(() => db.close());

function router() {
  const egress = new EgressLog(db);
  const ledger = new BudgetLedger(db);
  return new ChatRouter({
    policy: () => policy,
    config: () => resolveProviderConfig(settings, useFakes().env),
    onEgress: (entry) => egress.record(entry),
    ledger: () => ledger,
  });
}

async function costOf(model: string): Promise<number | null | undefined> {
  const answer = await collectAnswer(router().stream(ask(model)));
  expect(answer.error).toBeNull();
  return answer.finish?.usage.costUsd;
}

describe('the cost of every answer', () => {
  beforeEach(() => {
    for (const fake of [useFakes().anthropic, useFakes().openai, useFakes().openrouter, useFakes().bedrock, useFakes().school, useFakes().ollama]) {
      fake.respondWith({ kind: 'answer', chunks: CHUNKS });
    }
  });

  it('Anthropic: the tokens the fake reported at the table’s price, a dated id priced as its alias (Haiku 4.5), cache reads and writes at theirs', async () => {
    expect(await costOf('anthropic/claude-haiku-4-5-20251001')).toBeCloseTo(usd(HAIKU, TOKENS), 9);
    useFakes().anthropic.respondWith({ kind: 'answer', chunks: CHUNKS, cache: { read: 1000, write: 200 } });
    const cached = await costOf('anthropic/claude-sonnet-4-6');
    expect(cached).toBeCloseTo(usd(SONNET, { ...TOKENS, cacheRead: 1000, cacheWrite: 200 }), 9);
    expect(cached).toBeGreaterThan(usd(SONNET, TOKENS));
  });

  it('OpenAI: the table’s price', async () => {
    expect(await costOf('openai/gpt-4o-mini')).toBeCloseTo(usd(GPT_MINI, TOKENS), 9);
  });

  it('OpenRouter: the cost it reported, taken as it is', async () => {
    expect(await costOf(FAKE_MODELS.openrouter)).toBe(0.00042);
  });

  it('Bedrock: an eu. profile at the source region’s rate, a global. one at the global rate, and they differ', async () => {
    const regional = HAIKU_BEDROCK?.regional?.['eu-central-1'] ?? HAIKU_BEDROCK?.regional?.['*'];
    const global = HAIKU_BEDROCK?.global;
    if (!regional || !global) throw new Error('the price table lost Claude Haiku 4.5 on Bedrock');
    const eu = await costOf('bedrock/eu.anthropic.claude-haiku-4-5-20251001-v1:0');
    const worldwide = await costOf('bedrock/global.anthropic.claude-haiku-4-5-20251001-v1:0');
    expect(eu).toBeCloseTo(usd(regional, TOKENS), 9);
    expect(worldwide).toBeCloseTo(usd(global, TOKENS), 9);
    expect(eu).not.toBe(worldwide);
    useFakes().bedrock.respondWith({ kind: 'answer', chunks: CHUNKS, cache: { read: 500, write: 0 } });
    expect(await costOf('bedrock/eu.anthropic.claude-haiku-4-5-20251001-v1:0')).toBeCloseTo(usd(regional, { ...TOKENS, cacheRead: 500 }), 9);
  });

  it('Ollama costs 0; a custom endpoint costs what settings or the policy say, and is unknown (null, not 0) without', async () => {
    expect(await costOf(FAKE_MODELS.local)).toBe(0);
    expect(await costOf(FAKE_MODELS.school)).toBeNull();
    settings = { ...settings, endpoints: [{ ...schoolEndpoint(useFakes()), price: { input: 1, output: 2 } }] };
    policy = effectivePolicy(settings, { state: 'none' });
    expect(await costOf(FAKE_MODELS.school)).toBeCloseTo(usd({ input: 1, output: 2 }, TOKENS), 9);
    // The school's policy wins over the user's settings.
    policy = effectivePolicy(settings, { state: 'valid', file: '/etc/atelier/policy.json', policy: { endpoints: { school: { residency: 'non-eu', price: { input: 10, output: 20 } } } } });
    expect(await costOf(FAKE_MODELS.school)).toBeCloseTo(usd({ input: 10, output: 20 }, TOKENS), 9);
  });

  it('an unknown model costs null, and the usage report counts it apart', async () => {
    expect(await costOf(FAKE_MODELS.anthropic)).toBeNull();
    await costOf('anthropic/claude-sonnet-4-6');
    const report = usageReport(db, '2000-01-01');
    expect(report.unpricedAnswers).toBe(1);
    expect(report.totalUsd).toBeCloseTo(usd(SONNET, TOKENS), 9);
    // A model with only unknown costs has no sum (never $0); the count says how many.
    expect(report.byModel).toEqual({ 'anthropic/claude-sonnet-4-6': expect.closeTo(usd(SONNET, TOKENS), 9) });
    // The Usage view learns which $0 is unknown rather than free.
    const details = usageDetails(db, '2000-01-01');
    expect(details.unpricedByModel).toEqual({ 'anthropic/claude-fake-4-5': 1 });
    expect(Object.values(details.unpricedByDay)).toEqual([1]);
    expect(Object.keys(report)).not.toContain('unpricedByModel');
  });

  it('goes into the egress record with the answer', async () => {
    await costOf('openai/gpt-4o-mini');
    const [entry] = new EgressLog(db).list();
    expect(entry?.costUsd).toBeCloseTo(usd(GPT_MINI, TOKENS), 9);
    expect(new EgressLog(db).toCsv().split('\r\n')[0]).toMatch(/,costUsd,client$/);
  });

  it('atelier chat --json gives costUsd: a number, or null for an unknown price', async () => {
    const home = await anyProviderHome();
    const env = { ...useFakes().env, ATELIER_HOME: home };
    const priced = await runAtelier(['chat', '-m', 'anthropic/claude-sonnet-4-6', '--json', PROMPT], { env });
    expect(priced.code).toBe(0);
    expect(JSON.parse(priced.stdout).costUsd).toBeCloseTo(usd(SONNET, TOKENS), 9);
    const unknown = await runAtelier(['chat', '-m', FAKE_MODELS.anthropic, '--json', PROMPT], { env });
    expect(JSON.parse(unknown.stdout)).toMatchObject({ costUsd: null });
  });
});

describe('budgets that hold', () => {
  /** The worst case of one request: its estimated input and all of maxTokens at Sonnet's price. */
  const worstCase = (maxTokens: number) => (estimateInputTokens(ask('anthropic/claude-sonnet-4-6')) * SONNET.input + maxTokens * SONNET.output) / 1_000_000;

  it('20 requests at once: those sent fit the limit at their worst case, the rest end with budget_exceeded and never reach the provider; local ones still answer', async () => {
    const maxTokens = 1000;
    const limit = 6.5 * worstCase(maxTokens);
    policy = { ...UNRESTRICTED, budget: { dailyUsd: limit, monthlyUsd: null, source: 'settings' } };
    // Slow answers: every request is reserved while the first ones still run.
    useFakes().anthropic.respondWith({ kind: 'answer', chunks: CHUNKS, firstTokenDelayMs: 300 });
    const before = useFakes().anthropic.requests.length;
    const shared = router();
    const cloud = Array.from({ length: 20 }, () => collectAnswer(shared.stream(ask('anthropic/claude-sonnet-4-6', maxTokens))));
    const local = Array.from({ length: 3 }, () => collectAnswer(shared.stream(ask(FAKE_MODELS.local))));
    const answers = await Promise.all(cloud);
    const sent = answers.filter((answer) => answer.error === null);
    const refused = answers.filter((answer) => answer.error !== null);
    expect(sent.length).toBe(6);
    expect(sent.length * worstCase(maxTokens)).toBeLessThanOrEqual(limit);
    expect(refused.every((answer) => answer.error?.code === 'budget_exceeded')).toBe(true);
    expect(refused[0]?.error?.message).toMatch(/Nothing was sent\. It starts again at midnight/);
    expect(refused[0]?.error?.hint).toMatch(/atelier budget set --daily/);
    // The provider saw only the requests that were sent, each asked for exactly the reserved length.
    const seen = useFakes().anthropic.requests.slice(before).filter((request) => request.path.endsWith('/messages'));
    expect(seen.length).toBe(6);
    expect(seen.every((request) => (JSON.parse(request.body) as { max_tokens: number }).max_tokens === maxTokens)).toBe(true);
    for (const answer of await Promise.all(local)) expect(answer.error).toBeNull();
    // Settled at what they cost: the real spending is far below the limit, and nothing stays held.
    const spent = new BudgetLedger(db).spent();
    expect(spent.reservedUsd).toBe(0);
    expect(spent.todayUsd).toBeCloseTo(6 * usd(SONNET, TOKENS), 9);
    // The refusals are in the egress record as such.
    expect(new EgressLog(db).list().filter((entry) => entry.errorCode === 'budget_exceeded' && entry.outcome === 'refused')).toHaveLength(14);
  });

  it('the CLI and the app at once, in separate processes, cannot together pass the limit', async () => {
    const home = await anyProviderHome();
    const maxTokens = 1000;
    const limit = 3.5 * worstCase(maxTokens);
    await writeSettings(home, { budget: { dailyUsd: limit } });
    const env = { PATH: process.env.PATH, ATELIER_POLICY_FILE: process.env.ATELIER_POLICY_FILE, ...useFakes().env, ATELIER_HOME: home };
    // Answers slow enough that every process reserves while the first ones still run.
    useFakes().anthropic.respondWith({ kind: 'answer', chunks: CHUNKS, firstTokenDelayMs: 4000 });
    const before = useFakes().anthropic.requests.length;
    const cli = await buildCli();
    const commands = Array.from(
      { length: 6 },
      () =>
        new Promise<{ code: number | null; stderr: string }>((resolve) => {
          const child = spawn(process.execPath, [cli, 'chat', '-m', 'anthropic/claude-sonnet-4-6', '--max-tokens', String(maxTokens), PROMPT], { env, stdio: ['ignore', 'ignore', 'pipe'] });
          let stderr = '';
          child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
          child.once('exit', (code) => resolve({ code, stderr }));
        }),
    );
    // "The app": the same data folder's database, through a router in this process.
    const appDb = openDatabase(home);
    const appLedger = new BudgetLedger(appDb);
    const app = new ChatRouter({
      policy: () => ({ ...UNRESTRICTED, budget: { dailyUsd: limit, monthlyUsd: null, source: 'settings' } }),
      config: () => resolveProviderConfig(settings, useFakes().env),
      ledger: () => appLedger,
    });
    const appAnswers = Array.from({ length: 3 }, () => collectAnswer(app.stream(ask('anthropic/claude-sonnet-4-6', maxTokens))));
    const [runs, answers] = await Promise.all([Promise.all(commands), Promise.all(appAnswers)]);
    const sent = runs.filter((run) => run.code === 0).length + answers.filter((answer) => answer.error === null).length;
    expect(sent).toBeGreaterThanOrEqual(1);
    expect(sent * worstCase(maxTokens)).toBeLessThanOrEqual(limit);
    expect(useFakes().anthropic.requests.length - before).toBe(sent);
    for (const run of runs.filter((r) => r.code !== 0)) expect(run.stderr).toMatch(/budget for cloud use/);
    for (const answer of answers.filter((a) => a.error !== null)) expect(answer.error?.code).toBe('budget_exceeded');
    expect(appLedger.spent().reservedUsd).toBe(0);
    appDb.close();
  }, 60_000);

  it('a monthly limit holds like a daily one; a model with no price is refused while a limit is set', async () => {
    policy = { ...UNRESTRICTED, budget: { dailyUsd: null, monthlyUsd: worstCase(100) * 1.5, source: 'policy' } };
    const first = await collectAnswer(router().stream(ask('anthropic/claude-sonnet-4-6', 100)));
    expect(first.error).toBeNull();
    // The first answer cost little; the second still fits, since only what was spent counts after it ends.
    expect((await collectAnswer(router().stream(ask('anthropic/claude-sonnet-4-6', 100)))).error).toBeNull();
    const tooLong = await collectAnswer(router().stream(ask('anthropic/claude-sonnet-4-6', 1000)));
    expect(tooLong.error).toMatchObject({ code: 'budget_exceeded', message: expect.stringContaining('this month’s budget') });
    expect(tooLong.error?.hint).toMatch(/Your school sets this budget/);
    const unpriced = await collectAnswer(router().stream(ask(FAKE_MODELS.anthropic)));
    expect(unpriced.error).toMatchObject({ code: 'budget_exceeded', message: expect.stringContaining('knows no price') });
    expect((await collectAnswer(router().stream(ask(FAKE_MODELS.local)))).error).toBeNull();
  });

  it('warns at 80 % with a notice before the answer', async () => {
    policy = { ...UNRESTRICTED, budget: { dailyUsd: 1, monthlyUsd: null, source: 'settings' } };
    const ledger = new BudgetLedger(db);
    const spentBefore = ledger.reserve({ provider: 'anthropic', modelId: 'claude-sonnet-4-6', worstCaseUsd: 0.85 }, { dailyUsd: 1, monthlyUsd: null });
    if (!spentBefore.ok) throw new Error('the first reservation should fit');
    ledger.settle(spentBefore.id, 0.85);
    const parts: StreamPart[] = [];
    const answer = await collectAnswer(router().stream(ask('anthropic/claude-sonnet-4-6', 100)), (part) => parts.push(part));
    expect(answer.error).toBeNull();
    expect(answer.notices[0]).toMatch(/^85 % of today’s budget for cloud use is spent \(\$0\.85 of \$1\.00\)/);
    expect(parts.findIndex((part) => part.type === 'notice')).toBeLessThan(parts.findIndex((part) => part.type === 'text-delta'));
  });

  it('settles a stopped answer with an estimate of what was billed, and one refused by the provider at 0', async () => {
    policy = { ...UNRESTRICTED, budget: { dailyUsd: 100, monthlyUsd: null, source: 'settings' } };
    useFakes().anthropic.respondWith({ kind: 'stall', chunks: ['Part', 'ial'] });
    const controller = new AbortController();
    const stopped = await collectAnswer(router().stream(ask('anthropic/claude-sonnet-4-6', 100), controller.signal), (part) => {
      if (part.type === 'text-delta' && part.text === 'ial') controller.abort();
    });
    expect(stopped.error?.code).toBe('cancelled');
    const ledger = new BudgetLedger(db);
    const afterStop = ledger.spent();
    expect(afterStop.reservedUsd).toBe(0);
    expect(afterStop.todayUsd).toBeGreaterThan(0);
    expect(afterStop.todayUsd).toBeLessThan(worstCase(100));
    // The usage report does not pass the stopped answer off as $0: its cost is unknown.
    expect(usageReport(db, '2000-01-01')).toMatchObject({ totalUsd: 0, unpricedAnswers: 1, byModel: {} });
    expect(new EgressLog(db).list()[0]).toMatchObject({ outcome: 'cancelled', costUsd: null });
    useFakes().anthropic.respondWith({ kind: 'http-error', status: 401, body: { type: 'error', error: { type: 'authentication_error', message: 'invalid x-api-key' } } });
    expect((await collectAnswer(router().stream(ask('anthropic/claude-sonnet-4-6', 100)))).error?.code).toBe('auth_invalid');
    expect(ledger.spent()).toEqual(afterStop);
    // Refused by the provider before any text: nothing was billed, and the record says $0.
    expect(new EgressLog(db).list()[0]).toMatchObject({ errorCode: 'auth_invalid', costUsd: 0 });
  });

  it('an answer stopped after much text is settled at no more than its reservation', async () => {
    policy = { ...UNRESTRICTED, budget: { dailyUsd: 100, monthlyUsd: null, source: 'settings' } };
    // The provider sends far more than the 20 tokens asked for, then the reader stops it.
    useFakes().anthropic.respondWith({ kind: 'stall', chunks: ['x'.repeat(5000), 'y'.repeat(5000)] });
    const controller = new AbortController();
    await collectAnswer(router().stream(ask('anthropic/claude-sonnet-4-6', 20), controller.signal), (part) => {
      if (part.type === 'text-delta' && part.text.startsWith('y')) controller.abort();
    });
    const spent = new BudgetLedger(db).spent();
    expect(spent.todayUsd).toBeGreaterThan(0);
    expect(spent.todayUsd).toBeLessThanOrEqual(worstCase(20) + 1e-12);
  });

  it('the answer that crosses 80 % says so before it ends; the next says so before it starts', async () => {
    policy = { ...UNRESTRICTED, budget: { dailyUsd: 1, monthlyUsd: null, source: 'settings' } };
    const ledger = new BudgetLedger(db);
    const earlier = ledger.reserve({ provider: 'anthropic', modelId: 'claude-sonnet-4-6', worstCaseUsd: 0.79999 }, { dailyUsd: 1, monthlyUsd: null });
    if (!earlier.ok) throw new Error('the first reservation should fit');
    ledger.settle(earlier.id, 0.79999);
    const parts: StreamPart[] = [];
    const crossing = await collectAnswer(router().stream(ask('anthropic/claude-sonnet-4-6', 100)), (part) => parts.push(part));
    expect(crossing.error).toBeNull();
    const notice = parts.findIndex((part) => part.type === 'notice' && part.message.includes('budget'));
    expect(notice).toBeGreaterThan(parts.findIndex((part) => part.type === 'text-delta'));
    expect(notice).toBeLessThan(parts.findIndex((part) => part.type === 'finish'));
    const next = await collectAnswer(router().stream(ask('anthropic/claude-sonnet-4-6', 100)));
    expect(next.notices.filter((text) => text.includes('budget'))).toHaveLength(1);
  });

  it('a reservation left by a process that died counts at its worst case, and is not held forever', async () => {
    const dead = new BudgetLedger(db, 999_999, () => true);
    const held = dead.reserve({ provider: 'anthropic', modelId: 'claude-sonnet-4-6', worstCaseUsd: 0.4 }, { dailyUsd: 1, monthlyUsd: null });
    expect(held.ok).toBe(true);
    const alive = new BudgetLedger(db, process.pid, (pid) => pid !== 999_999);
    expect(alive.spent().reservedUsd).toBe(0.4);
    const next = alive.reserve({ provider: 'anthropic', modelId: 'claude-sonnet-4-6', worstCaseUsd: 0.1 }, { dailyUsd: 1, monthlyUsd: null });
    expect(next.ok).toBe(true);
    expect(alive.spent()).toMatchObject({ todayUsd: 0.4, reservedUsd: 0.1 });
    // One still open after hours (a hung or buggy process, this one too) is settled at its worst case.
    const longAgo = new Date(Date.now() - 7 * 60 * 60 * 1000);
    const forgotten = alive.reserve({ provider: 'anthropic', modelId: 'claude-sonnet-4-6', worstCaseUsd: 0.2 }, { dailyUsd: null, monthlyUsd: null }, longAgo);
    expect(forgotten.ok).toBe(true);
    new BudgetLedger(db).reserve({ provider: 'anthropic', modelId: 'claude-sonnet-4-6', worstCaseUsd: 0.01 }, { dailyUsd: 100, monthlyUsd: null });
    expect(alive.spent().reservedUsd).toBeCloseTo(0.11, 9);
  });

  it('a reader that stops at the first part still settles the reservation and completes the record', async () => {
    policy = { ...UNRESTRICTED, budget: { dailyUsd: 100, monthlyUsd: null, source: 'settings' } };
    const stream = router().stream(ask('anthropic/claude-sonnet-4-6', 100));
    const first = await stream.next();
    expect(first.value).toMatchObject({ type: 'provenance' });
    await stream.return(undefined);
    expect(new BudgetLedger(db).spent().reservedUsd).toBe(0);
    expect(new EgressLog(db).list()[0]?.outcome).toBe('cancelled');
  });
});

describe('atelier usage and atelier budget', () => {
  it('budget set, show --json, usage --json; refusals for bad amounts and dates', async () => {
    const home = await anyProviderHome();
    const env = { ...useFakes().env, ATELIER_HOME: home };
    expect(JSON.parse((await runAtelier(['budget', 'show', '--json'], { env })).stdout)).toMatchObject({ dailyUsd: null, monthlyUsd: null, source: 'none', spentTodayUsd: 0, reservedUsd: 0 });
    const set = await runAtelier(['budget', 'set', '--daily', '2.50', '--monthly', '40'], { env });
    expect(set.code).toBe(0);
    expect(set.stdout).toMatch(/Daily budget: {3}\$2\.50/);
    await runAtelier(['chat', '-m', 'anthropic/claude-sonnet-4-6', PROMPT], { env });
    const shown = JSON.parse((await runAtelier(['budget', 'show', '--json'], { env })).stdout);
    expect(shown).toEqual({
      dailyUsd: 2.5,
      monthlyUsd: 40,
      spentTodayUsd: expect.closeTo(usd(SONNET, { input: 3, output: 5 }), 9),
      spentThisMonthUsd: expect.closeTo(usd(SONNET, { input: 3, output: 5 }), 9),
      reservedUsd: 0,
      source: 'settings',
      lockedBy: null,
      dayResetsAt: expect.any(String),
      monthResetsAt: expect.any(String),
      warning: null,
    });
    expect((await runAtelier(['budget', 'set', '--daily', 'none'], { env })).code).toBe(0);
    expect(JSON.parse((await runAtelier(['budget', 'show', '--json'], { env })).stdout)).toMatchObject({ dailyUsd: null, monthlyUsd: 40 });

    for (const bad of ['0', '-1', 'abc', '5,50', '1e3', '']) {
      const refused = await runAtelier(['budget', 'set', '--daily', bad], { env });
      expect(refused.code, bad).toBe(2);
      expect(refused.stderr).toMatch(/--daily must be an amount in US dollars/);
    }
    expect((await runAtelier(['budget', 'set', '--daily', '5,50'], { env })).stderr).toMatch(/write 5\.50 with a point/);
    expect((await runAtelier(['budget', 'set'], { env })).stderr).toMatch(/Nothing to set/);

    const usage = await runAtelier(['usage', '--json', '--since', '2026-01-01'], { env });
    const report = JSON.parse(usage.stdout);
    expect(Object.keys(report)).toEqual(['since', 'totalUsd', 'byDay', 'byProvider', 'byModel', 'unpricedAnswers']);
    expect(report.byModel['anthropic/claude-sonnet-4-6']).toBeGreaterThan(0);
    expect(report.byDay.at(-1)).toMatchObject({ inputTokens: 3, outputTokens: 5 });
    for (const bad of ['2026-02-30', 'yesterday', '2999-01-01', '1999-12-31']) {
      const refused = await runAtelier(['usage', '--since', bad], { env });
      expect(refused.code, bad).not.toBe(0);
      expect(refused.stderr).toMatch(/YYYY-MM-DD/);
    }
  });

  it('the school’s policy pins the budget: set is refused, show says policy', async () => {
    const home = await anyProviderHome();
    const policyFile = path.join(home, 'policy.json');
    await (await import('node:fs/promises')).writeFile(policyFile, JSON.stringify({ budget: { dailyUsd: 3 } }));
    const env = { ...useFakes().env, ATELIER_HOME: home, ATELIER_POLICY_FILE: policyFile };
    const refused = await runAtelier(['budget', 'set', '--daily', '10'], { env });
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/Your school sets the budget/);
    expect(JSON.parse((await runAtelier(['budget', 'show', '--json'], { env })).stdout)).toMatchObject({ dailyUsd: 3, monthlyUsd: null, source: 'policy', lockedBy: 'policy' });
  });

  it('a budget that holds for the computer is not escaped with another data folder', async () => {
    // The school's budget (the system's policy file) is kept in the account's own data folder.
    const home = await tempDir();
    const account = await tempDir();
    const systemFile = path.join(await tempDir(), 'policy.json');
    const pins = { current: null as LockPins | null };
    const ledgers = (dataDir: string, file: string) =>
      new Ledgers({
        dataDir,
        ownDatabase: () => openDatabase(dataDir),
        policy: () => ({ state: 'valid', file, policy: { budget: { dailyUsd: 1 } } }),
        pins: () => pins.current,
        systemPolicyFile: systemFile,
        accountDataDir: () => account,
      });
    expect(ledgers(home, systemFile).folder()).toBe(account);
    expect(ledgers(await tempDir(), systemFile).folder()).toBe(account);
    // A policy the user named (ATELIER_POLICY_FILE, for trying one out) keeps it with the data folder.
    expect(ledgers(home, path.join(home, 'my-policy.json')).folder()).toBe(home);
    // While locked, the folder the class was locked in keeps it.
    pins.current = { ...pinsFrom(DEFAULT_SETTINGS, {}), ledgerDir: home };
    expect(ledgers(await tempDir(), path.join(home, 'my-policy.json')).folder()).toBe(home);
  });

  it('locked with a budget: another ATELIER_HOME finds what was spent, and is refused', async () => {
    const home = await anyProviderHome();
    const service = `Atelier-test-${randomUUID()}`;
    const env = { ...useFakes().env, ATELIER_HOME: home, ATELIER_KEYCHAIN_SERVICE: service };
    await writeSettings(home, { budget: { dailyUsd: 0.0002 } });
    // Spend the day's budget (each answer at most 1 token), then lock.
    for (let i = 0; i < 5; i++) await runAtelier(['chat', '-m', 'anthropic/claude-sonnet-4-6', '--max-tokens', '1', PROMPT], { env });
    expect((await runAtelier(['lock'], { env, stdin: 'teacher-password\n' })).code).toBe(0);
    const elsewhere = await anyProviderHome();
    const before = useFakes().anthropic.requests.length;
    const escaped = await runAtelier(['chat', '-m', 'anthropic/claude-sonnet-4-6', '--max-tokens', '1', PROMPT], { env: { ...env, ATELIER_HOME: elsewhere } });
    expect(escaped.code).toBe(1);
    expect(escaped.stderr).toMatch(/does not fit today’s budget/);
    expect(useFakes().anthropic.requests.length).toBe(before);
  });

  it('the classroom lock keeps the budget as it was', async () => {
    const home = await anyProviderHome();
    await writeSettings(home, { budget: { dailyUsd: 4 } });
    const env = { ...useFakes().env, ATELIER_HOME: home };
    expect((await runAtelier(['lock'], { env, stdin: 'teacher-password\n' })).code).toBe(0);
    const refused = await runAtelier(['budget', 'set', '--daily', '100'], { env });
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/lock/i);
    expect(JSON.parse((await runAtelier(['budget', 'show', '--json'], { env })).stdout)).toMatchObject({ dailyUsd: 4, lockedBy: 'classroom-lock' });
  });
});
