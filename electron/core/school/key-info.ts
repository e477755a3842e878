import type { SchoolKeyInfo } from '../../../shared/school-server';

/**
 * LiteLLM's `GET /key/info`: what the proxy knows of the key that asks (its spend, budget, when
 * the budget starts again, its rate limits). It lives at the server's root, beside `/v1`, so
 * `https://llm.school.example/v1` asks `https://llm.school.example/key/info`.
 */
export function keyInfoUrl(baseUrl: string): string {
  const url = new URL(baseUrl);
  url.pathname = `${url.pathname.replace(/\/+$/, '').replace(/\/v1$/, '')}/key/info`;
  url.search = '';
  url.hash = '';
  return url.toString();
}

/**
 * What the server answered: LiteLLM with the key's information, LiteLLM refusing the key (none
 * sent, a wrong one: LiteLLM's `auth_error`), or something that is not LiteLLM (a 404 from vLLM).
 */
export type KeyInfoAnswer =
  | { litellm: true; key: SchoolKeyInfo }
  | { litellm: true; key: null; status: number; message: string }
  | { litellm: false; status: number };

/** How long a /key/info question may take: it is a database read on the server. */
const KEY_INFO_TIMEOUT_MS = 10_000;

/**
 * Asks `/key/info` with the key (or none). Rejects when the server cannot be reached, as fetch
 * does; the caller says so in its own words.
 */
export async function askKeyInfo(baseUrl: string, apiKey: string | null, options: { fetch?: typeof fetch; signal?: AbortSignal; timeoutMs?: number } = {}): Promise<KeyInfoAnswer> {
  const timeout = AbortSignal.timeout(options.timeoutMs ?? KEY_INFO_TIMEOUT_MS);
  const response = await (options.fetch ?? fetch)(keyInfoUrl(baseUrl), {
    headers: { accept: 'application/json', ...(apiKey !== null && { authorization: `Bearer ${apiKey}` }) },
    signal: options.signal ? AbortSignal.any([options.signal, timeout]) : timeout,
    redirect: 'error',
  });
  const body = await readJson(response);
  if (response.ok) {
    const key = parseKeyInfo(body);
    return key ? { litellm: true, key } : { litellm: false, status: response.status };
  }
  const refusal = authRefusal(body);
  return refusal !== null && [400, 401, 403].includes(response.status) ? { litellm: true, key: null, status: response.status, message: refusal } : { litellm: false, status: response.status };
}

async function readJson(response: Response): Promise<unknown> {
  try {
    // A key's information is a few kilobytes; anything far larger is not LiteLLM's answer.
    const text = await response.text();
    return text.length > 1_000_000 ? null : (JSON.parse(text) as unknown);
  } catch {
    return null;
  }
}

function record(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

const numberOrNull = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);
const stringOrNull = (value: unknown): string | null => (typeof value === 'string' && value.trim() !== '' ? value : null);

/** LiteLLM's times are ISO 8601, with or without a zone (then UTC, as its database keeps them). */
function isoTime(value: unknown): string | null {
  const text = stringOrNull(value);
  if (text === null) return null;
  const zoned = /(?:Z|[+-]\d{2}:?\d{2})$/i.test(text) ? text : `${text}Z`;
  const at = Date.parse(zoned);
  return Number.isNaN(at) ? null : new Date(at).toISOString();
}

/**
 * `{"key": …, "info": {"spend": …, "max_budget": …, "budget_reset_at": …, "tpm_limit": …, …}}`
 * as LiteLLM answers it; null for anything else (no `info`, no numeric `spend`).
 */
export function parseKeyInfo(body: unknown): SchoolKeyInfo | null {
  const info = record(record(body)?.info);
  if (!info || typeof info.spend !== 'number' || !Number.isFinite(info.spend)) return null;
  const spentUsd = info.spend;
  const maxBudgetUsd = numberOrNull(info.max_budget);
  return {
    name: stringOrNull(info.key_alias) ?? stringOrNull(info.key_name),
    spentUsd,
    maxBudgetUsd,
    remainingUsd: maxBudgetUsd === null ? null : Math.max(0, maxBudgetUsd - spentUsd),
    budgetDuration: stringOrNull(info.budget_duration),
    budgetResetAt: isoTime(info.budget_reset_at),
    rpmLimit: numberOrNull(info.rpm_limit),
    tpmLimit: numberOrNull(info.tpm_limit),
    maxParallelRequests: numberOrNull(info.max_parallel_requests),
    models: Array.isArray(info.models) ? info.models.filter((model): model is string => typeof model === 'string') : [],
    expiresAt: isoTime(info.expires),
  };
}

/** LiteLLM's refusal of a key: `{"error": {"type": "auth_error", "message": "Authentication Error, …"}}` (older: `{"detail": …}`). */
function authRefusal(body: unknown): string | null {
  const error = record(record(body)?.error);
  if (error?.type === 'auth_error' && typeof error.message === 'string') return error.message;
  const detail = record(body)?.detail;
  return typeof detail === 'string' && detail.startsWith('Authentication Error') ? detail : null;
}

/** A reset time in words for messages: `at 14:05` today, else `on 3 March 2026 at 00:00` (this machine's time). */
export function describeResetTime(iso: string, now: Date = new Date()): string {
  const at = new Date(iso);
  const time = at.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });
  if (at.toDateString() === now.toDateString()) return `at ${time}`;
  return `on ${at.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric' })} at ${time}`;
}
