import type { StreamPart } from '../../../shared/chat';
import { formatUsd } from '../../../shared/format';
import type { Provider } from '../providers/provider';
import { askKeyInfo, describeResetTime } from './key-info';

/** How long a refusal waits for the server to say when the budget starts again. */
const RESET_LOOKUP_MS = 3000;

/**
 * A custom endpoint's provider that, when a LiteLLM proxy refuses a key over its budget, asks the
 * same server (`/key/info`, the same key, no prompt) what is spent and when the budget starts
 * again, and says so in the refusal; the wait goes with it as `retryAfterMs`, so the route rests
 * until then instead of being asked again. Without an answer within 3 s the refusal stays as it was.
 */
export function withKeyBudgetReset(provider: Provider, server: { baseUrl: string; apiKey: string | null }, fetchImpl?: typeof fetch): Provider {
  return {
    prefix: provider.prefix,
    async *stream(request, signal) {
      for await (const part of provider.stream(request, signal)) {
        if (part.type === 'error' && part.code === 'budget_exceeded' && !signal.aborted) {
          yield await withReset(part, server, signal, fetchImpl);
          return;
        }
        yield part;
      }
    },
  };
}

async function withReset(part: Extract<StreamPart, { type: 'error' }>, server: { baseUrl: string; apiKey: string | null }, signal: AbortSignal, fetchImpl?: typeof fetch): Promise<StreamPart> {
  let answer;
  try {
    answer = await askKeyInfo(server.baseUrl, server.apiKey, { signal, timeoutMs: RESET_LOOKUP_MS, ...(fetchImpl && { fetch: fetchImpl }) });
  } catch {
    return part;
  }
  if (!answer.litellm || answer.key === null) return part;
  const { key } = answer;
  // The key's own budget is not what ran out (its team's, say): its figures would mislead.
  if (key.maxBudgetUsd === null || (key.remainingUsd ?? 0) > 0) return part;
  const now = new Date();
  const spent = ` ${formatUsd(key.spentUsd)} of ${formatUsd(key.maxBudgetUsd)} is spent.`;
  const resetAt = key.budgetResetAt === null ? null : Date.parse(key.budgetResetAt);
  const when =
    resetAt !== null && resetAt > now.getTime()
      ? ` It starts again ${describeResetTime(key.budgetResetAt ?? '', now)}.`
      : key.budgetDuration === null && key.budgetResetAt === null
        ? ' It does not start again by itself.'
        : '';
  // Said before what the server said in its own words (see providers/litellm-errors.ts).
  const marker = 'Nothing was answered.';
  const message = part.message.includes(marker) ? part.message.replace(marker, `${marker}${spent}${when}`) : `${part.message}${spent}${when}`;
  return {
    ...part,
    message,
    ...(resetAt !== null && resetAt > now.getTime() && { retryAfterMs: resetAt - now.getTime() }),
  };
}
