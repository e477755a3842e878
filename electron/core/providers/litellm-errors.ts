import type { ErrorPayload } from '../../../shared/errors';
import { describeResetTime } from '../school/key-info';
import { withDetail, type ErrorContext } from './provider-errors';

/**
 * A LiteLLM proxy's own refusals, which OpenAI's mapping would get wrong: a key over its budget
 * comes as HTTP 429 (400 before LiteLLM 1.5x) with `"type": "budget_exceeded"` (and "Budget has
 * been exceeded!" / "ExceededBudget" in the message), which is no rate limit: waiting a minute
 * does not help. Its rate limits come as 429 `"type": "throttling_error"` with the time they
 * reset in a `reset_at` header and in the message ("Limit resets at: 2026-09-22 19:15:54 UTC").
 * Null for anything else (mapped as for any OpenAI-compatible server).
 */
export function mapLiteLlmError(error: unknown, context: ErrorContext, now: Date = new Date()): ErrorPayload | null {
  const status = (error as { status?: unknown } | null)?.status;
  const body = inner((error as { error?: unknown } | null)?.error);
  const type = typeof body?.type === 'string' ? body.type : '';
  const message = typeof body?.message === 'string' ? body.message : '';
  if (type === 'budget_exceeded' || /Budget has been exceeded|ExceededBudget|ExceededTokenBudget/i.test(message)) {
    return {
      code: 'budget_exceeded',
      message: withDetail(`The budget of your key on ${context.provider} is used up, so it answers no more for now. Nothing was answered.`, message, context),
      hint: 'Wait until the budget starts again, or ask whoever runs the school server (your teacher) for more. A model on this computer is not limited by it.',
    };
  }
  if (status === 429 && (type === 'throttling_error' || /Rate limit exceeded for/i.test(message))) {
    const resetAt = rateLimitReset(header(error, 'reset_at') ?? /Limit resets at:\s*([^.]+?)\s*$/.exec(message)?.[1] ?? null);
    const kind = header(error, 'rate_limit_type') ?? /Limit type:\s*([a-z_]+)/i.exec(message)?.[1] ?? null;
    const what = kind === 'tokens' ? 'tokens per minute' : kind === 'max_parallel_requests' ? 'requests at once' : 'requests per minute';
    return {
      code: 'rate_limited',
      message: withDetail(
        `${context.provider} limits the ${what} your key may use, and the limit is reached${resetAt ? `; it starts again ${describeResetTime(resetAt, now)}` : ''}.`,
        message,
        context,
      ),
      hint: `Wait ${resetAt ? 'until then' : 'a minute'} and try again. The limit is set per key on the school’s server: if it is too low for the class, tell whoever runs it.`,
    };
  }
  return null;
}

function inner(value: unknown): Record<string, unknown> | null {
  const outer = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : null;
  const nested = outer?.error;
  return typeof nested === 'object' && nested !== null ? (nested as Record<string, unknown>) : outer;
}

function header(error: unknown, name: string): string | null {
  const headers = (error as { headers?: unknown } | null)?.headers;
  if (headers && typeof (headers as Headers).get === 'function') return (headers as Headers).get(name);
  return null;
}

/** LiteLLM writes the reset as `2026-09-22 19:15:54 UTC`; as an ISO time, or null when it cannot be read. */
function rateLimitReset(text: string | null): string | null {
  if (!text) return null;
  const match = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(?:\.\d+)?\s*(?:UTC|Z)?$/.exec(text.trim());
  if (!match) return null;
  const at = Date.parse(`${match[1]}T${match[2]}Z`);
  return Number.isNaN(at) ? null : new Date(at).toISOString();
}
