import { createHash } from 'node:crypto';
import { LoopbackServer, sendJson, type FakeResponse } from './loopback-server';
import { serveOpenAi } from './openai-fake';
import { fakeUsage } from './scenario';

/** A student's key on the proxy, with its budget and limits (LiteLLM's virtual key). */
export interface LiteLlmKey {
  key: string;
  alias?: string | null;
  /** US dollars spent; each answered chat adds `costPerAnswerUsd`. */
  spend: number;
  /** US dollars; null: no budget on the key. */
  maxBudget: number | null;
  /** `30d`, `7d`, `1h`; null: the budget never starts again by itself. */
  budgetDuration?: string | null;
  /** ISO time the budget starts again; null with no duration. */
  budgetResetAt?: string | null;
  rpmLimit?: number | null;
  tpmLimit?: number | null;
  maxParallelRequests?: number | null;
  /** The models the key may use; empty: all. */
  models?: string[];
  teamId?: string | null;
}

export interface LiteLlmFakeOptions {
  keys: LiteLlmKey[];
  models?: string[];
  /** What each answered chat adds to the key's spend, in US dollars. */
  costPerAnswerUsd?: number;
  /** Refuse a key over its budget with HTTP 400, as LiteLLM did before it used 429. */
  budgetStatus?: 400 | 429;
}

export interface LiteLlmFake extends LoopbackServer {
  /** The keys as the proxy keeps them (spend grows with each answer): tests change them at will. */
  keys: Map<string, LiteLlmKey>;
}

const WINDOW_S = 60;

/**
 * A LiteLLM proxy as a loopback server: OpenAI's wire format (`/v1/models`,
 * `/v1/chat/completions`, streamed and not, the paths without `/v1` too) plus `GET /key/info`,
 * with a virtual key per student, a budget per key and rate limits per key, refused as LiteLLM
 * refuses them: HTTP 429 (400 before LiteLLM 1.5x) `budget_exceeded` with "Budget has been
 * exceeded!", HTTP 429 `throttling_error` with `retry-after`, `reset_at` and "Limit resets at:",
 * and HTTP 401 `auth_error` for a key it does not know, all in its ProxyException body
 * `{"error": {"message", "type", "param", "code": "<status as a string>"}}`.
 */
export function createLiteLlmFake(options: LiteLlmFakeOptions): LiteLlmFake {
  const keys = new Map(options.keys.map((entry) => [entry.key, { ...entry }]));
  const requestTimes = new Map<string, number[]>();
  const models = options.models ?? ['llama-3.1-70b'];
  const fake = new LoopbackServer(async (request, response, body) => {
    const url = new URL(request.url ?? '/', 'http://fake');
    const path = url.pathname.replace(/^\/v1(?=\/)/, '');
    const token = request.headers.authorization?.replace(/^Bearer\s+/i, '') ?? '';
    const key = keys.get(token);
    if (!key) {
      proxyError(response, 401, 'auth_error', token === '' ? 'Authentication Error, No api key passed in.' : `Authentication Error, Invalid proxy server token passed. Received API Key = ${abbreviate(token)}, Key Hash (Token) =${hash(token)}. Unable to find token in cache or \`LiteLLM_VerificationTokenTable\``);
      return;
    }
    if (request.method === 'GET' && path === '/key/info') {
      sendJson(response, 200, { key: hash(key.key), info: keyInfo(key) });
      return;
    }
    if (request.method === 'GET' && path === '/models') {
      const allowed = key.models && key.models.length > 0 ? models.filter((model) => key.models?.includes(model)) : models;
      sendJson(response, 200, { object: 'list', data: allowed.map((id) => ({ id, object: 'model', created: 1_677_610_602, owned_by: 'openai' })) });
      return;
    }
    if (request.method !== 'POST' || path !== '/chat/completions') {
      proxyError(response, 404, 'not_found_error', `Not Found: ${path}`);
      return;
    }
    if (key.maxBudget !== null && key.spend >= key.maxBudget) {
      const status = options.budgetStatus ?? 429;
      proxyError(response, status, 'budget_exceeded', `Budget has been exceeded! Key=${key.alias ?? abbreviate(key.key)} (${abbreviate(key.key)}) Current cost: ${key.spend}, Max budget: ${key.maxBudget}`);
      return;
    }
    const now = Date.now();
    const times = (requestTimes.get(key.key) ?? []).filter((at) => now - at < WINDOW_S * 1000);
    requestTimes.set(key.key, times);
    const limit = key.rpmLimit ?? null;
    if (limit !== null && times.length >= limit) {
      const resetAt = formatResetAt(new Date(now + WINDOW_S * 1000));
      proxyError(
        response,
        429,
        'throttling_error',
        `Rate limit exceeded for api_key: ${hash(key.key)}. Limit type: requests. Current limit: ${limit}, Remaining: 0. Limit resets at: ${resetAt}`,
        { 'retry-after': String(WINDOW_S), rate_limit_type: 'requests', reset_at: resetAt, 'x-ratelimit-limit-requests': String(limit), 'x-ratelimit-remaining-requests': '0' },
      );
      return;
    }
    times.push(now);
    if (limit !== null) response.setHeader('x-ratelimit-remaining-requests', String(limit - times.length));
    key.spend += options.costPerAnswerUsd ?? 0.01;
    const chat = JSON.parse(body) as { model: string; stream?: boolean; messages: { content: unknown }[] };
    if (chat.stream !== true) {
      await answerWhole(fake, chat, response);
      return;
    }
    await serveOpenAi(fake, { validKey: null }, request, response, body);
  }) as LiteLlmFake;
  fake.keys = keys;
  return fake;
}

/** A chat answered in one JSON object (`stream` not set), from the scenario's chunks. */
async function answerWhole(fake: LoopbackServer, chat: { model: string; messages: { content: unknown }[] }, response: FakeResponse): Promise<void> {
  const scenario = fake.nextScenario();
  if (scenario.kind === 'http-error') {
    sendJson(response, scenario.status, scenario.body, scenario.headers);
    return;
  }
  const chunks = 'chunks' in scenario ? scenario.chunks : [];
  const prompt = chat.messages.map((message) => (typeof message.content === 'string' ? message.content : JSON.stringify(message.content))).join(' ');
  const usage = fakeUsage(prompt, chunks);
  sendJson(response, 200, {
    id: `chatcmpl-litellm${fake.requests.length}`,
    object: 'chat.completion',
    created: 1_700_000_000,
    model: chat.model,
    choices: [{ index: 0, message: { role: 'assistant', content: chunks.join('') }, finish_reason: scenario.kind === 'answer' ? (scenario.finish ?? 'stop') : 'stop' }],
    usage: { prompt_tokens: usage.input, completion_tokens: usage.output, total_tokens: usage.input + usage.output },
  });
}

/** LiteLLM's ProxyException body: the status as a string in `code`, `param` "None" or null. */
function proxyError(response: FakeResponse, status: number, type: string, message: string, headers: Record<string, string> = {}): void {
  sendJson(response, status, { error: { message, type, param: type === 'auth_error' ? 'None' : null, code: String(status) } }, headers);
}

/** The key's row as /key/info returns it (LiteLLM_VerificationToken, without the hashed token). */
function keyInfo(key: LiteLlmKey) {
  return {
    key_name: abbreviate(key.key),
    key_alias: key.alias ?? null,
    soft_budget_cooldown: false,
    spend: key.spend,
    expires: null,
    models: key.models ?? [],
    aliases: {},
    config: {},
    user_id: 'student-17',
    team_id: key.teamId ?? null,
    permissions: {},
    max_parallel_requests: key.maxParallelRequests ?? null,
    metadata: {},
    blocked: null,
    tpm_limit: key.tpmLimit ?? null,
    rpm_limit: key.rpmLimit ?? null,
    max_budget: key.maxBudget,
    budget_duration: key.budgetDuration ?? null,
    budget_reset_at: key.budgetResetAt ?? null,
    allowed_cache_controls: [],
    model_spend: {},
    model_max_budget: {},
    budget_id: null,
    created_at: '2026-09-01T08:00:00.000000Z',
    updated_at: '2026-09-01T08:00:00.000000Z',
    litellm_budget_table: null,
  };
}

/** `sk-...2345`: how LiteLLM abbreviates a key in `key_name` and its messages. */
function abbreviate(key: string): string {
  return `sk-...${key.slice(-4)}`;
}

function hash(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** `2026-09-22 19:15:54 UTC`, as LiteLLM writes a rate limit's reset. */
function formatResetAt(at: Date): string {
  return `${at.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

