import type { ErrorCode } from '../../../shared/errors';

/**
 * Errors worth a second try, when they come before the answer's first text: the provider was
 * busy (429), failed on its side (5xx, overloaded, an error event before any text), could not be
 * reached or broke off (connection refused or reset), or was too slow to start. Never a wrong key,
 * a refusal by the tier or the budget, an unknown model or a bad request: those fail the same way
 * every time.
 */
const RETRYABLE: ReadonlySet<ErrorCode> = new Set(['rate_limited', 'provider_error', 'provider_unreachable', 'timeout']);

export function isRetryable(code: ErrorCode): boolean {
  return RETRYABLE.has(code);
}

/** How the router retries: attempts, backoff and the deadline for all of them together. */
export interface RetryPolicy {
  /** Tries in all, the first included. */
  maxAttempts: number;
  /** The first wait; each next one doubles, up to `maxDelayMs`, with jitter. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** No retry starts after this long from the first try (a Retry-After beyond it ends the tries). */
  deadlineMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 4, baseDelayMs: 500, maxDelayMs: 8000, deadlineMs: 30_000 };

/**
 * The wait before try number `attempt + 1`, or null when there is no next try (the attempts or
 * the deadline are used up). "Equal jitter": half the exponential step fixed, half random, so
 * thirty laptops that met the same 429 do not come back at the same moment. A Retry-After from
 * the provider is honoured (never waited less), as long as it ends before the deadline.
 */
export function nextDelay(policy: RetryPolicy, attempt: number, elapsedMs: number, retryAfterMs: number | undefined, random: () => number = Math.random): number | null {
  if (attempt >= policy.maxAttempts) return null;
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  const backoff = step / 2 + random() * (step / 2);
  const delay = Math.max(backoff, retryAfterMs ?? 0);
  return elapsedMs + delay > policy.deadlineMs ? null : Math.round(delay);
}

/**
 * A Retry-After header as milliseconds from now: delta-seconds (`2`, `1.5`) or an HTTP date;
 * `retry-after-ms` (OpenAI's) wins where given. Undefined for anything else, or a time passed.
 */
export function parseRetryAfter(header: string | null | undefined, headerMs?: string | null, now: number = Date.now()): number | undefined {
  const ms = headerMs?.trim();
  if (ms && /^\d+(\.\d+)?$/.test(ms)) return bounded(Number(ms));
  const value = header?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return bounded(Number(value) * 1000);
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  const wait = date - now;
  return wait > 0 ? bounded(wait) : undefined;
}

/** A wait of at most a day: anything longer (or too large to be a number) is read as a day. */
function bounded(ms: number): number {
  return Number.isFinite(ms) ? Math.min(ms, 24 * 60 * 60_000) : 24 * 60 * 60_000;
}

/** The Retry-After an SDK error carries: Anthropic's and OpenAI's `headers`, the AWS SDK's `$response.headers`. */
export function retryAfterOf(error: unknown): number | undefined {
  const headers = (error as { headers?: unknown } | null)?.headers ?? (error as { $response?: { headers?: unknown } } | null)?.$response?.headers;
  if (!headers || typeof headers !== 'object') return undefined;
  const get = (name: string): string | null => {
    if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name);
    const record = headers as Record<string, unknown>;
    const found = Object.keys(record).find((key) => key.toLowerCase() === name);
    const value = found === undefined ? undefined : record[found];
    return typeof value === 'string' ? value : null;
  };
  return parseRetryAfter(get('retry-after'), get('retry-after-ms'));
}

/** Waits `ms`, or less if `signal` aborts (then resolves false). */
export function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', stop);
      resolve(true);
    }, ms);
    const stop = () => {
      clearTimeout(timer);
      resolve(false);
    };
    signal.addEventListener('abort', stop, { once: true });
  });
}
