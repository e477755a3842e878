// npm run bench: what the router costs on top of calling each SDK directly, against the same
// loopback fakes, interleaved in one run so machine noise hits both sides alike.
//   1. Added time to first token, median and p99, per provider.
//   2. Tokens per second through router + IPC coalescing (with the event validation and
//      structured cloning Electron's webContents.send does), checked for loss.
//   3. What the budget check adds to time to first token: the same router with a budget (its
//      ledger in a real SQLite file, a reservation before and a settlement after every request)
//      and without, interleaved, against the Bedrock fake (a priced cloud model).
//   4. The same for retry and fallback bookkeeping when nothing fails (route health read and
//      written in SQLite, a fallback chain set, the first-token and idle timers).
// Targets: < 1 ms added at the median; >= 20,000 tokens/s; the budget check and the retry and
// fallback bookkeeping <= 0.2 ms each at the median. Exit code 1 if one is missed.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import { BedrockRuntimeClient, ConverseStreamCommand } from '@aws-sdk/client-bedrock-runtime';
import { Ollama } from 'ollama';
import OpenAI from 'openai';
import type { StreamPart } from '../../shared/chat';
import { ipcEvents } from '../../shared/ipc/contract';
import { DEFAULT_SETTINGS } from '../../shared/settings';
import { ChatRouter } from '../../electron/core/chat/router';
import { UNRESTRICTED } from '../../electron/core/privacy/policy';
import { resolveProviderConfig } from '../../electron/core/config/provider-config';
import { ChatStreams } from '../../electron/main/ipc/chat-streams';
import { openDatabase } from '../../electron/core/store/database';
import { BudgetLedger } from '../../electron/core/usage/budget-ledger';
import { RouteHealthStore } from '../../electron/core/reliability/route-health';
import type { DatabaseSync } from 'node:sqlite';
import type { LoopbackServer } from '../fakes/loopback-server';
import { FAKE_KEYS, FAKE_MODELS, startProviderFakes, type ProviderFakes } from '../support/provider-fakes';

const TTFT_ROUNDS = Number(process.env.BENCH_ROUNDS ?? 300);
const WARMUP = 30;
const THROUGHPUT_TOKENS = Number(process.env.BENCH_TOKENS ?? 50_000);
const TARGET_ADDED_MEDIAN_MS = 1;
const TARGET_TOKENS_PER_SECOND = 20_000;
const TARGET_BUDGET_MEDIAN_MS = 0.2;

const prompt = [{ role: 'user' as const, content: 'Erkläre die Photosynthese in einem Satz.' }];

/** Each provider called the way its SDK's own docs show, with the same fake and key. */
function directClients(fakes: ProviderFakes) {
  const openai = new OpenAI({ apiKey: FAKE_KEYS.openai, baseURL: fakes.env.OPENAI_BASE_URL, maxRetries: 0 });
  const openrouter = new OpenAI({ apiKey: FAKE_KEYS.openrouter, baseURL: fakes.env.OPENROUTER_BASE_URL, maxRetries: 0 });
  const anthropic = new Anthropic({ apiKey: FAKE_KEYS.anthropic, baseURL: fakes.env.ANTHROPIC_BASE_URL, maxRetries: 0 });
  const ollama = new Ollama({ host: fakes.env.OLLAMA_HOST });
  const bedrock = new BedrockRuntimeClient({
    region: 'eu-central-1',
    endpoint: fakes.env.AWS_ENDPOINT_URL_BEDROCK_RUNTIME,
    credentials: { accessKeyId: FAKE_KEYS.awsAccessKeyId, secretAccessKey: FAKE_KEYS.awsSecret },
    maxAttempts: 1,
  });
  const openAiStyle = (client: OpenAI, model: string) => async function* () {
    const stream = await client.chat.completions.create({ model, messages: prompt, stream: true, stream_options: { include_usage: true } });
    for await (const chunk of stream) {
      const text = chunk.choices[0]?.delta?.content;
      if (text) yield text;
    }
  };
  return {
    openai: openAiStyle(openai, 'gpt-fake-mini'),
    openrouter: openAiStyle(openrouter, 'anthropic/claude-sonnet-4.5'),
    anthropic: async function* () {
      const stream = await anthropic.messages.create({ model: 'claude-fake-4-5', max_tokens: 4096, messages: prompt, stream: true });
      for await (const event of stream) if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') yield event.delta.text;
    },
    local: async function* () {
      const stream = await ollama.chat({ model: 'llama3.2:3b', messages: prompt, stream: true, options: { num_ctx: 8192 } });
      for await (const chunk of stream) if (chunk.message.content) yield chunk.message.content;
    },
    bedrock: async function* () {
      const response = await bedrock.send(
        new ConverseStreamCommand({ modelId: 'eu.anthropic.claude-haiku-4-5-20251001-v1:0', messages: [{ role: 'user', content: [{ text: prompt[0]!.content }] }] }),
      );
      for await (const event of response.stream ?? []) if (event.contentBlockDelta?.delta?.text) yield event.contentBlockDelta.delta.text;
    },
  };
}

type Provider = keyof ReturnType<typeof directClients>;
const providers: Provider[] = ['local', 'bedrock', 'anthropic', 'openai', 'openrouter'];

async function firstTokenMs(stream: AsyncIterable<string | StreamPart>): Promise<number> {
  const started = performance.now();
  let first = -1;
  for await (const item of stream) {
    if (first < 0 && (typeof item === 'string' || item.type === 'text-delta')) first = performance.now() - started;
  }
  if (first < 0) throw new Error('The stream produced no text.');
  return first;
}

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? NaN;
}

async function measureFirstToken(provider: Provider, router: ChatRouter, direct: ReturnType<typeof directClients>) {
  const viaRouter: number[] = [];
  const viaSdk: number[] = [];
  for (let round = -WARMUP; round < TTFT_ROUNDS; round++) {
    // Alternate which goes first, so neither side always meets a warmer connection pool.
    const order = round % 2 === 0 ? (['router', 'sdk'] as const) : (['sdk', 'router'] as const);
    for (const side of order) {
      const ms = side === 'router' ? await firstTokenMs(router.stream({ model: FAKE_MODELS[provider], messages: prompt })) : await firstTokenMs(direct[provider]());
      if (round >= 0) (side === 'router' ? viaRouter : viaSdk).push(ms);
    }
  }
  const median = { router: quantile(viaRouter, 0.5), sdk: quantile(viaSdk, 0.5) };
  const p99 = { router: quantile(viaRouter, 0.99), sdk: quantile(viaSdk, 0.99) };
  return { provider, median, p99, addedMedianMs: median.router - median.sdk, addedP99Ms: p99.router - p99.sdk };
}

async function measureThroughput(provider: Provider, fake: LoopbackServer, router: ChatRouter, direct: ReturnType<typeof directClients>) {
  const chunks = Array.from({ length: THROUGHPUT_TOKENS }, (_, i) => `t${i % 1000} `);
  const expected = chunks.join('');
  fake.respondWith({ kind: 'answer', chunks });

  let started = performance.now();
  let sdkText = '';
  for await (const text of direct[provider]()) sdkText += text;
  const sdkSeconds = (performance.now() - started) / 1000;

  // Through ChatStreams, as the app runs it: router, coalescer, and per event the contract check
  // and the structured clone that Electron's webContents.send performs.
  const streams = new ChatStreams(router);
  let ipcText = '';
  let messages = 0;
  started = performance.now();
  const done = new Promise<void>((resolve) => {
    streams.subscribe((event) => {
      const sent = structuredClone(ipcEvents['chat:stream-part'].parse(event));
      messages++;
      if (sent.part.type === 'text-delta') ipcText += sent.part.text;
      else if (sent.part.type === 'finish' || sent.part.type === 'error') resolve();
    });
  });
  streams.start({ model: FAKE_MODELS[provider], messages: prompt });
  await done;
  const ipcSeconds = (performance.now() - started) / 1000;
  fake.respondWith();
  return {
    provider,
    tokens: THROUGHPUT_TOKENS,
    sdkTokensPerSecond: Math.round(THROUGHPUT_TOKENS / sdkSeconds),
    routerIpcTokensPerSecond: Math.round(THROUGHPUT_TOKENS / ipcSeconds),
    ipcMessages: messages,
    lossless: sdkText === expected && ipcText === expected,
  };
}

const fmt = (ms: number) => ms.toFixed(3).padStart(8);

/**
 * Time to first token through a router with a pipeline step and without it, in the same rounds,
 * against the Bedrock fake (a priced cloud model): the median of the per-round differences.
 */
async function measureStep(fakes: ProviderFakes, withStep: (db: DatabaseSync) => ChatRouter) {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'atelier-bench-'));
  const db = openDatabase(dir);
  const plain = new ChatRouter({ policy: () => UNRESTRICTED, config: () => resolveProviderConfig(DEFAULT_SETTINGS, fakes.env) });
  const stepped = withStep(db);
  const request = { model: FAKE_MODELS.bedrock, messages: prompt };
  const added: number[] = [];
  try {
    for (let round = -WARMUP; round < TTFT_ROUNDS; round++) {
      const order = round % 2 === 0 ? ([stepped, plain] as const) : ([plain, stepped] as const);
      const times = new Map<ChatRouter, number>();
      for (const router of order) times.set(router, await firstTokenMs(router.stream(request)));
      if (round >= 0) added.push((times.get(stepped) ?? NaN) - (times.get(plain) ?? NaN));
    }
    const reservations = (db.prepare('SELECT COUNT(*) AS n FROM spending WHERE settled = 1').get() as { n: number }).n;
    return { addedMedianMs: quantile(added, 0.5), addedP99Ms: quantile(added, 0.99), reservations };
  } finally {
    db.close();
    await fs.rm(dir, { recursive: true, force: true });
  }
}

/** The budget check: a ledger in a real SQLite file, a reservation before and a settlement after every request. */
const withBudget = (fakes: ProviderFakes) => (db: DatabaseSync) => {
  const ledger = new BudgetLedger(db);
  return new ChatRouter({ policy: () => ({ ...UNRESTRICTED, budget: { dailyUsd: 1_000_000, monthlyUsd: 1_000_000, source: 'settings' } }), config: () => resolveProviderConfig(DEFAULT_SETTINGS, fakes.env), ledger: () => ledger });
};

/** Retry and fallback bookkeeping when nothing fails: route health read and written, a fallback chain set, the timers. */
const withReliability = (fakes: ProviderFakes) => (db: DatabaseSync) => {
  const health = new RouteHealthStore(db);
  return new ChatRouter({
    policy: () => ({ ...UNRESTRICTED, fallbacks: { [FAKE_MODELS.bedrock]: [FAKE_MODELS.local] } }),
    config: () => resolveProviderConfig(DEFAULT_SETTINGS, fakes.env),
    health: () => health,
  });
};

async function main(): Promise<void> {
  const fakes = await startProviderFakes();
  const router = new ChatRouter({ policy: () => UNRESTRICTED, config: () => resolveProviderConfig(DEFAULT_SETTINGS, fakes.env) });
  const direct = directClients(fakes);
  const fakeFor: Record<Provider, LoopbackServer> = { local: fakes.ollama, bedrock: fakes.bedrock, anthropic: fakes.anthropic, openai: fakes.openai, openrouter: fakes.openrouter };
  try {
    console.log(`Time to first token, ${TTFT_ROUNDS} interleaved rounds per provider (ms):`);
    console.log('provider     SDK median  router median   added    SDK p99  router p99   added');
    const firstToken = [];
    for (const provider of providers) {
      const result = await measureFirstToken(provider, router, direct);
      firstToken.push(result);
      console.log(
        `${provider.padEnd(10)} ${fmt(result.median.sdk)}   ${fmt(result.median.router)}    ${fmt(result.addedMedianMs)} ${fmt(result.p99.sdk)}  ${fmt(result.p99.router)} ${fmt(result.addedP99Ms)}`,
      );
    }

    console.log(`\nThroughput, ${THROUGHPUT_TOKENS} tokens per provider (tokens/s):`);
    console.log('provider     SDK directly   router + IPC   IPC messages   lossless');
    const throughput = [];
    for (const provider of providers) {
      const result = await measureThroughput(provider, fakeFor[provider], router, direct);
      throughput.push(result);
      console.log(
        `${provider.padEnd(10)} ${String(result.sdkTokensPerSecond).padStart(12)}   ${String(result.routerIpcTokensPerSecond).padStart(12)}   ${String(result.ipcMessages).padStart(12)}   ${result.lossless ? 'yes' : 'NO'}`,
      );
    }

    console.log(`\nBudget check, ${TTFT_ROUNDS} interleaved rounds against the Bedrock fake (ms added to time to first token):`);
    const budget = await measureStep(fakes, withBudget(fakes));
    console.log(`median ${fmt(budget.addedMedianMs)}   p99 ${fmt(budget.addedP99Ms)}   (${budget.reservations} reservations settled)`);
    console.log(`\nRetry and fallback bookkeeping (route health, a fallback chain), nothing failing, ${TTFT_ROUNDS} interleaved rounds (ms added):`);
    const reliability = await measureStep(fakes, withReliability(fakes));
    console.log(`median ${fmt(reliability.addedMedianMs)}   p99 ${fmt(reliability.addedP99Ms)}`);

    const worstMedian = Math.max(...firstToken.map((r) => r.addedMedianMs));
    const slowest = Math.min(...throughput.map((r) => r.routerIpcTokensPerSecond));
    const checks = [
      { target: `added time to first token < ${TARGET_ADDED_MEDIAN_MS} ms at the median`, value: `${worstMedian.toFixed(3)} ms (worst provider)`, pass: worstMedian < TARGET_ADDED_MEDIAN_MS },
      { target: `>= ${TARGET_TOKENS_PER_SECOND} tokens/s through router + IPC`, value: `${slowest} tokens/s (slowest provider)`, pass: slowest >= TARGET_TOKENS_PER_SECOND },
      {
        target: `the budget check adds <= ${TARGET_BUDGET_MEDIAN_MS} ms to time to first token at the median`,
        value: `${budget.addedMedianMs.toFixed(3)} ms`,
        pass: budget.addedMedianMs <= TARGET_BUDGET_MEDIAN_MS && budget.reservations >= TTFT_ROUNDS,
      },
      {
        target: `retry and fallback bookkeeping adds <= ${TARGET_BUDGET_MEDIAN_MS} ms to time to first token at the median`,
        value: `${reliability.addedMedianMs.toFixed(3)} ms`,
        pass: reliability.addedMedianMs <= TARGET_BUDGET_MEDIAN_MS,
      },
      { target: 'no text lost', value: throughput.every((r) => r.lossless) ? 'none lost' : 'LOSS', pass: throughput.every((r) => r.lossless) },
    ];
    console.log('\nTargets:');
    for (const check of checks) console.log(`  ${check.pass ? 'PASS' : 'FAIL'}  ${check.target}: ${check.value}`);

    const outDir = path.resolve(import.meta.dirname, '../../test-results/bench');
    await fs.mkdir(outDir, { recursive: true });
    const file = path.join(outDir, 'router.json');
    await fs.writeFile(
      file,
      `${JSON.stringify({ date: new Date().toISOString(), node: process.versions.node, rounds: TTFT_ROUNDS, firstToken, throughput, budget, reliability, checks }, null, 2)}\n`,
    );
    console.log(`\nNumbers written to ${path.relative(process.cwd(), file)}`);
    process.exitCode = checks.every((check) => check.pass) ? 0 : 1;
  } finally {
    await fakes.close();
  }
}

await main();
